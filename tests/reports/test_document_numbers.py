"""发文字号: format of domain §4.2, one sequence per kind and year, never repeated (also concurrently)."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from models.services import document_numbers as dn
from models.entities import AuditEvent, DocumentNumber
from models.core.errors import PermissionDenied, ValidationError


def test_format_full_year_hexagonal_brackets_no_leading_zero():
    assert dn.format_number("某纪", 2026, 3) == "某纪〔2026〕3号"
    assert dn.parse_number("某纪〔2026〕3号") == ("某纪", 2026, 3)
    assert dn.parse_number("某纪[2026]3号") is None
    assert dn.parse_number("某纪〔2026〕03号") is None
    assert dn.parse_number("某纪〔26〕3号") is None


def test_sequence_per_code_and_year_never_repeats_a_text(db, admin, officer):
    """Kinds under one 机关代字 share its sequence (a 说明 and a 通报 never carry the same number text); a kind with
    its own code (某纪函) has its own sequence; every year starts at 1."""
    from models.core import settings_store

    with db.session() as s:
        settings_store.put(s, admin, "documents.code.letter", "某纪函")
        a = dn.allocate(s, officer, "clarification", 2026)
        b = dn.allocate(s, officer, "clarification", 2026)
        c = dn.allocate(s, officer, "clarification_circular", 2026)
        d = dn.allocate(s, officer, "clarification", 2027)
        e = dn.allocate(s, officer, "letter", 2026)
    assert (a.seq, b.seq, c.seq, d.seq, e.seq) == (1, 2, 3, 1, 1)
    assert a.text == "某纪〔2026〕1号" and c.text == "某纪〔2026〕3号" and d.text == "某纪〔2027〕1号"
    assert e.text == "某纪函〔2026〕1号"
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.entity == "document_number")) == 5


def test_code_comes_from_settings(db, admin, officer):
    from models.core import settings_store

    with db.session() as s:
        settings_store.put(s, admin, "org.code", "武纪")
        settings_store.put(s, admin, "documents.code.letter", "武纪函")
    with db.session() as s:
        assert dn.allocate(s, officer, "clarification", 2026).text == "武纪〔2026〕1号"
        assert dn.allocate(s, officer, "letter", 2026).text == "武纪函〔2026〕1号"


def test_bad_code_and_bad_year_are_refused(db, admin, officer):

    with pytest.raises(ValidationError, match="括号"):
        dn.validate_code("某纪〔")
    with db.session() as s, pytest.raises(ValidationError, match="年份"):
        dn.allocate(s, officer, "clarification", 26)


def test_viewer_cannot_allocate(db, viewer):
    with db.session() as s, pytest.raises(PermissionDenied):
        dn.allocate(s, viewer, "clarification", 2026)


def test_rolled_back_action_gives_its_number_back(db, officer):
    """The savepoint must not commit on its own: the user's action stays one transaction."""
    with pytest.raises(RuntimeError):
        with db.session() as s:
            dn.allocate(s, officer, "clarification", 2026)
            raise RuntimeError("the rest of the action failed")
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(DocumentNumber)) == 0
        assert dn.allocate(s, officer, "clarification", 2026).seq == 1


def test_retry_on_integrity_error_takes_the_next_number(db, officer, monkeypatch):
    """Another officer took number 1 between our read and our insert: we get 2, not an error."""
    with db.session() as s:
        dn.allocate(s, officer, "clarification", 2026)
    real_scalar = None
    calls = {"n": 0}

    from sqlalchemy.orm import Session

    real_scalar = Session.scalar

    def stale_scalar(self, stmt, *a, **k):
        calls["n"] += 1
        if calls["n"] == 1 and "max" in str(stmt).lower():
            return 0  # a stale read, as if the other officer had not committed yet
        return real_scalar(self, stmt, *a, **k)

    monkeypatch.setattr(Session, "scalar", stale_scalar)
    with db.session() as s:
        got = dn.allocate(s, officer, "clarification", 2026)
    assert got.seq == 2


def test_two_officers_at_once_never_get_the_same_number(db_path, officer):
    from models.core.db import open_database

    databases = [open_database(db_path) for _ in range(2)]
    results: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def worker(database):
        try:
            start.wait()
            for _ in range(15):
                with database.session() as s:
                    results.append(dn.allocate(s, officer, "clarification", 2026).seq)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(d,)) for d in databases]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for d in databases:
        d.dispose()
    assert errors == []
    assert sorted(results) == list(range(1, 31))


def test_issue_keeps_the_number_of_a_reprint_and_void_keeps_the_row(db, officer):
    with db.session() as s:
        first = dn.issue(s, officer, "clarification_circular", 2026, subject_type="clarification", subject_id=7,
                         title="关于对张三同志有关问题予以澄清的通报", cadre_id=3)
        again = dn.issue(s, officer, "clarification_circular", 2026, subject_type="clarification", subject_id=7)
        other = dn.issue(s, officer, "clarification", 2026, subject_type="clarification", subject_id=7)
        assert again.text == first.text and again.reprint and not first.reprint
        assert other.text != first.text  # the 说明 of the same clarification has its own number
        assert dn.current(s, "clarification_circular", "clarification", 8) is None  # never issued: nothing taken
        with pytest.raises(ValidationError, match="原因"):
            dn.void(s, officer, first.id, "错")
        dn.void(s, officer, first.id, "通报范围写错，重新发文")
        renewed = dn.issue(s, officer, "clarification_circular", 2026, subject_type="clarification", subject_id=7)
        assert renewed.seq == 3 and renewed.text != first.text  # the voided number is never given again
        rows = dn.register(s, officer, year=2026)
    assert [r.text for r in rows] == ["某纪〔2026〕1号", "某纪〔2026〕2号", "某纪〔2026〕3号"]
    voided = rows[0]
    assert voided.voided and voided.void_reason == "通报范围写错，重新发文" and voided.voided_by == officer.username
    assert voided.title == "关于对张三同志有关问题予以澄清的通报" and voided.cadre_id == 3 and voided.kind_label == "澄清正名通报"
    table = dn.register_table(rows)
    assert table[0][9].startswith("已作废") and table[1][9] == "有效"


def test_voiding_twice_or_an_unknown_number_is_refused(db, officer):
    from models.core.errors import NotFoundError

    with db.session() as s:
        n = dn.allocate(s, officer, "clarification", 2026)
        dn.void(s, officer, n.id, "测试作废原因")
        with pytest.raises(ValidationError, match="已于"):
            dn.void(s, officer, n.id, "再次作废原因")
        with pytest.raises(NotFoundError):
            dn.void(s, officer, 999, "没有这个文号")
