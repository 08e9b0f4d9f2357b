"""Role rules on reads as on writes (design §2, §6): every read service takes the actor, refuses an account whose
role holds no "read" permission, and applies the role's masks; a 查阅人 never finds a person by a fragment of the
ID number (searching by ID number is only for roles that may see ID numbers, issue 16) nor sees a full number."""
from __future__ import annotations

from datetime import date

import pytest

from models.core.actor import Actor
from models.core.errors import PermissionDenied
from models.entities import Cadre, Handling
from models.reference import id_number as idn
from models.services.handling import register

NUMBER = idn.generate(date(1975, 3, 15), "男", region="320102", seq=7)
MIDDLE = NUMBER[6:12]  # six digits from the middle of the number (birth year and month)
TODAY = date(2025, 1, 10)
NOBODY = Actor(username="x", role="retired", display_name="已停用角色")  # a role that holds no permission


@pytest.fixture
def person(db):
    """周卫国 with a 政务警告 in force."""
    with db.session() as s:
        c = Cadre(name="周卫国", name_initials="zwg", id_number=NUMBER, gender="男", birth_date=date(1975, 3, 15))
        s.add(c)
        s.flush()
        h = Handling(cadre_id=c.id, regime="gov", kind="warning", effective_on=date(2024, 3, 1),
                     decided_on=date(2024, 3, 1), doc_number="某监〔2024〕3号")
        s.add(h)
        s.flush()
        return c.id, h.id


def _text(obj) -> str:
    return repr(obj)


# ------------------------------------------------------------------------------------ handling register


def test_the_handling_register_refuses_a_role_without_read(db, person):
    cid, hid = person
    with db.session() as s:
        for call in (lambda: register.list_handlings(s, NOBODY), lambda: register.count_handlings(s, NOBODY),
                     lambda: register.get_handling(s, NOBODY, hid), lambda: register.cadre_choice(s, NOBODY, cid),
                     lambda: register.find_cadres(s, NOBODY, "周"), lambda: register.restrictions_of_cadre(s, NOBODY, cid),
                     lambda: register.open_tasks(s, NOBODY, cid)):
            with pytest.raises(PermissionDenied):
                call()


@pytest.mark.parametrize("role", ["admin", "officer", "viewer"])
def test_the_handling_register_per_role(db, person, role, request):
    actor = request.getfixturevalue(role)
    cid, hid = person
    may_see = role != "viewer"
    with db.session() as s:
        by_name = register.list_handlings(s, actor, register.HandlingFilter(text="周卫"))
        assert [r.id for r in by_name] == [hid]
        by_middle = register.list_handlings(s, actor, register.HandlingFilter(text=MIDDLE))
        assert [r.id for r in by_middle] == ([hid] if may_see else [])
        assert register.count_handlings(s, actor, register.HandlingFilter(text=MIDDLE)) == (1 if may_see else 0)
        # the whole number: also nothing for a 查阅人 (no look-up of a number the role may not see)
        assert register.count_handlings(s, actor, register.HandlingFilter(text=NUMBER)) == (1 if may_see else 0)
        assert [c.id for c in register.find_cadres(s, actor, MIDDLE)] == ([cid] if may_see else [])
        found = register.find_cadres(s, actor, "周卫国")
        choice = register.cadre_choice(s, actor, cid)
        detail = register.get_handling(s, actor, hid)
    assert detail.cadre_name == "周卫国"
    for shown in (found[0].id_number, choice.id_number):
        assert shown == (NUMBER if may_see else idn.mask(NUMBER))
    if not may_see:
        assert NUMBER not in _text(found) + _text(choice) + _text(detail) + _text(by_name)


def test_withdrawn_decisions_only_for_the_administrator(db, person, admin, officer):
    cid, hid = person
    with db.session() as s:
        s.get(Handling, hid).withdrawn_at = TODAY
        s.flush()
        flt = register.HandlingFilter(include_withdrawn=True)
        assert [r.id for r in register.list_handlings(s, admin, flt)] == [hid]
        assert register.list_handlings(s, officer, flt) == []
