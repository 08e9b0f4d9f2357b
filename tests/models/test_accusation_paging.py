"""The 举报, 函询 and 澄清正名 lists are paged in SQL: offset/limit pages add up to the whole list in order, the
counts agree with the lists, the reporter stays masked on every page, and a page costs the same few queries
whatever its length (never one query per row)."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import event

from models.services import accusations as acc
from models.services import clarifications as clar
from models.services import dashboard
from models.services import inquiries as inq
from models.services.unit_names import list_labels
from tests.models.accusation_helpers import REPORTER, make_accusation, make_cadre
from models.core.actor import Actor

READER = Actor(username="jbr", role="officer", display_name="经办人")  # reads as an officer

TODAY = date(2024, 6, 3)
REASON = "本次反映内容具体，需要本人书面说明情况。"
SUMMARIES = [
    "反映{n}同志利用职务便利为其亲属承揽工程提供帮助，收受好处费。",
    "反映{n}同志违规操办其儿子婚礼，宴请管理服务对象，收受礼金。",
    "反映{n}同志长期在工作时间打牌，群众意见很大，影响恶劣。",
]


def make_seven(db, officer) -> list[int]:
    """Seven accusations received 2024-01-01 … 01-07 about three cadres, each with a 函询 sent the next day;
    the first three concluded 不属实 (a clarification each); the fourth is anonymous."""
    with db.session() as s:
        cadres = [make_cadre(s, n) for n in ("张建国", "李明华", "王志强")]
        names = {cadres[0]: "张建国", cadres[1]: "李明华", cadres[2]: "王志强"}
        ids = []
        for i in range(7):
            cid = cadres[i % 3]
            a = make_accusation(s, officer, [cid], SUMMARIES[i % 3].format(n=names[cid]),
                                received_on=date(2024, 1, 1 + i), anonymous=(i == 3),
                                category=("违反廉洁纪律", "违反工作纪律")[i % 2])
            inq.create_inquiry(s, officer, a.id, cid, date(2024, 1, 2 + i), override_reason=REASON)
            if i < 3:
                acc.set_outcome(s, officer, a.id, "不属实", date(2024, 5, 1 + i))
            ids.append(a.id)
    return ids


@pytest.fixture
def seven(db, officer):
    return make_seven(db, officer)


@contextmanager
def _statements(db):
    seen: list[str] = []

    def on_execute(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", on_execute)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", on_execute)


def _pages(fn, total: int, size: int):
    out = []
    for offset in range(0, total + size, size):
        out.extend(fn(offset, size))
    return out


def test_accusation_pages_add_up_to_the_whole_list_newest_first(db, officer, admin, seven):
    with db.session() as s:
        whole = acc.list_accusations(s, officer)
        assert [r.id for r in whole] == list(reversed(seven))  # newest first
        assert acc.count_accusations(s, officer) == 7
        paged = _pages(lambda o, n: acc.list_accusations(s, officer, limit=n, offset=o), 7, 3)
        assert [r.id for r in paged] == [r.id for r in whole]
        assert paged == whole  # the same rows, field by field
        assert [r.inquiry_count for r in paged] == [1] * 7
        assert paged[-1].subject_names == "张建国" and paged[-1].reporter_name is None  # a list never carries the reporter
        assert {r.reporter_display for r in paged} <= {"实名", "匿名"}
        # filters count the same rows they list
        assert acc.count_accusations(s, officer, text="婚礼") == len(acc.list_accusations(s, officer, text="婚礼")) == 2
        assert acc.count_accusations(s, officer, text="王志强") == 2  # a person concerned, by name
        assert acc.count_accusations(s, officer, text="廉洁") == 4
        assert acc.count_accusations(s, officer, outcome="不属实") == 3
        assert acc.count_accusations(s, officer, text=REPORTER["reporter_name"]) == 0  # never the reporter
        acc.withdraw_accusation(s, admin, seven[6], "重复登记")
    with db.session() as s:
        assert acc.count_accusations(s, officer) == 6 and len(acc.list_accusations(s, officer)) == 6
        assert acc.count_accusations(s, admin, include_withdrawn=True) == 7
        assert acc.count_accusations(s, officer, include_withdrawn=True) == 6  # only administrators see withdrawn


def test_the_reporter_is_masked_on_every_page_for_a_viewer(db, viewer, seven):
    with db.session() as s:
        rows = _pages(lambda o, n: acc.list_accusations(s, viewer, limit=n, offset=o), 7, 2)
    assert len(rows) == 7
    for r in rows:
        assert r.reporter_name is None and r.reporter_unit is None and r.reporter_contact is None
        assert not r.reporter_visible
        assert r.reporter_display == ("匿名" if r.id == seven[3] else "实名（无权查看）")
    assert not any(v in repr(r) for r in rows for v in REPORTER.values())


def test_inquiry_pages_counts_and_overdue(db, officer, seven):
    with db.session() as s:
        whole = inq.list_inquiries(s, officer, TODAY)
        assert len(whole) == inq.count_inquiries(s, officer) == 7
        paged = _pages(lambda o, n: inq.list_inquiries(s, officer, TODAY, limit=n, offset=o), 7, 3)
        assert paged == whole
        assert [r.due_on for r in whole] == sorted(r.due_on for r in whole)
        assert whole[0].cadre_name == "张建国" and whole[0].unit_name == "区住建局" and whole[0].overridden is False
        assert whole[0].category == "违反廉洁纪律" and whole[0].summary.startswith("反映张建国")
        assert inq.count_overdue(s, officer, TODAY) == len(inq.list_overdue(s, officer, TODAY)) == 7
        first_due = whole[0].due_on
        assert inq.count_overdue(s, officer, first_due) == 0  # due today: not yet overdue
        inq.record_reply(s, officer, whole[0].id, first_due, "采信了结", version=whole[0].version)
    with db.session() as s:
        assert inq.count_inquiries(s, officer, only_open=True) == 6
        assert inq.count_overdue(s, officer, TODAY) == 6
        rows = inq.list_inquiries(s, officer, TODAY)
        assert rows[-1].id == whole[0].id and rows[-1].state == "已回复"  # answered after the unanswered
        assert [r.id for r in inq.list_overdue(s, officer, TODAY, limit=2, offset=1)] == [r.id for r in rows[1:3]]
        assert inq.count_inquiries(s, officer, accusation_id=seven[0]) == 1


def test_clarification_pages_and_counts(db, officer, seven):
    with db.session() as s:
        whole = clar.list_clarifications(s, officer)
        assert len(whole) == clar.count_clarifications(s, officer) == 3
        assert [r.outcome_on for r in whole] == [date(2024, 5, 1), date(2024, 5, 2), date(2024, 5, 3)]
        paged = _pages(lambda o, n: clar.list_clarifications(s, officer, limit=n, offset=o), 3, 2)
        assert paged == whole
        assert whole[0].cadre_name == "张建国" and whole[0].post == "区住建局局长" and whole[0].status_label == "待批准"
        assert clar.count_clarifications(s, officer, status="pending") == 3
        assert clar.count_clarifications(s, officer, status="done") == 0
        assert clar.counts(s, officer) == {"pending": 3, "approved": 0, "done": 0, "declined": 0}
        clar.decline(s, officer, whole[0].id, "本人书面表示不需要澄清", on=TODAY, version=whole[0].version)
    with db.session() as s:
        assert clar.count_clarifications(s, officer, status="declined") == 1
        assert clar.counts(s, officer)["pending"] == 2
        assert [r.id for r in clar.list_clarifications(s, officer, status="pending", limit=1, offset=1)] == [whole[2].id]


def test_a_page_costs_the_same_queries_whatever_its_length(db, officer, seven):
    def queries(fn) -> int:
        with db.session() as s:
            list_labels(s)  # the unit labels are read once, then only checked
        with db.session() as s, _statements(db) as seen:
            fn(s)
        return len(seen)

    for short, long in [
        (lambda s: acc.list_accusations(s, officer, limit=1), lambda s: acc.list_accusations(s, officer, limit=7)),
        (lambda s: inq.list_inquiries(s, officer, TODAY, limit=1), lambda s: inq.list_inquiries(s, officer, TODAY)),
        (lambda s: clar.list_clarifications(s, officer, limit=1), lambda s: clar.list_clarifications(s, officer)),
    ]:
        assert queries(short) == queries(long) == 2  # the page and the unit labels' check


def test_an_accusation_about_several_people_is_one_row_with_its_people_in_order(db, officer, seven):
    with db.session() as s:
        zhao, qian = make_cadre(s, "赵国庆", unit="区水务局"), make_cadre(s, "钱卫东", post="副局长")
        both = make_accusation(s, officer, [qian, zhao], "反映钱卫东、赵国庆两位同志在项目验收中收受施工方宴请。",
                               received_on=date(2024, 1, 4))
    with db.session() as s:
        rows = acc.list_accusations(s, officer)
        assert len(rows) == acc.count_accusations(s, officer) == 8
        (row,) = [r for r in rows if r.id == both.id]
        assert row.subject_names == "钱卫东、赵国庆"  # in the order they were chosen
        assert [(p.name, p.unit_name, p.post) for p in row.subjects] == [
            ("钱卫东", "区住建局", "区住建局副局长"), ("赵国庆", "区水务局", "区水务局局长")]
        assert row.inquiry_count == 0
        # the same day as seven[3]: the later id first; pages cut between them still add up
        assert [r.id for r in rows[3:5]] == [both.id, seven[3]]
        assert _pages(lambda o, n: acc.list_accusations(s, officer, limit=n, offset=o), 8, 4) == rows
        assert acc.list_accusations(s, officer, text="赵国庆") == [row]
        assert acc.count_accusations(s, officer, cadre_id=zhao) == 1


def test_dashboard_statements_built_once_still_follow_today_and_the_page(db, officer, seven):
    with db.session() as s:
        overdue = inq.list_overdue(s, officer, TODAY)
        first_due = overdue[0].due_on
        # the same cached statement, three different days, in one session
        assert dashboard.count_inquiries_overdue(s, READER, first_due) == 0
        assert dashboard.count_inquiries_overdue(s, READER, TODAY) == 7
        assert dashboard.count_inquiries_overdue(s, READER, date(2024, 1, 1)) == 0
        rows = dashboard.list_inquiries_overdue(s, READER, TODAY)
        assert [r.ref_id for r in rows] == [r.id for r in overdue]
        assert rows[0].name == "张建国" and rows[0].unit_name == "区住建局" and rows[0].when == first_due
        assert f"已逾期 {(TODAY - first_due).days} 天" in rows[0].detail
        assert dashboard.list_inquiries_overdue(s, READER, TODAY, limit=2, offset=3) == rows[3:5]
        assert dashboard.list_inquiries_overdue(s, READER, TODAY, limit=None) == rows
        assert dashboard.rows(s, READER, "inquiries_overdue", TODAY, 3, 0) == rows[:3]

        waiting = dashboard.list_clarifications_waiting(s, READER, TODAY)
        assert dashboard.count_clarifications_waiting(s, READER, TODAY) == len(waiting) == 3
        assert [r.when for r in waiting] == [date(2024, 5, 1), date(2024, 5, 2), date(2024, 5, 3)]
        assert waiting[0].detail == "澄清正名待批准（举报于 2024-05-01 查结）"
        assert dashboard.list_clarifications_waiting(s, READER, TODAY, limit=1, offset=2) == waiting[2:]
        assert dashboard.list_clarifications_waiting(s, READER, TODAY, limit=None) == waiting


def test_dashboard_details_are_made_when_read_and_once(db, officer, seven, monkeypatch):
    """The 情况 text of the inquiry and clarification lists is made for the rows the table shows, not for every row
    of the page — and made once, after the session has ended as well as in it."""
    made = []
    real = dashboard._inquiry_detail
    monkeypatch.setattr(dashboard, "_inquiry_detail", lambda *a: made.append(a) or real(*a))
    with db.session() as s:
        rows = dashboard.list_inquiries_overdue(s, READER, TODAY)
        waiting = dashboard.list_clarifications_waiting(s, READER, TODAY)
    assert len(rows) == 7 and made == []
    first = rows[0].detail
    assert "发出函询" in first and f"已逾期 {(TODAY - rows[0].when).days} 天" in first
    assert rows[0].detail is first and len(made) == 1
    assert waiting[0].detail == "澄清正名待批准（举报于 2024-05-01 查结）"
    rows[1].detail = "改写"  # the 工作台 appends to a row's text (the decisions it is about)
    assert rows[1].detail == "改写" and len(made) == 1
