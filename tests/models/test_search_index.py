"""The fragment index of search (issue 21): the same rows, in the same order, as the plain conditions give.

Every comparison runs the service twice on one database: with the index, and with it switched off, so the
plain conditions (the pre-index behaviour, itself covered by test_cadre_service.py) are the reference.
"""
from __future__ import annotations

import random
import re
from datetime import date

import pytest
from sqlalchemy import select, update

from models.core.actor import CLI_ACTOR, Actor
from models.demo import build_demo
from models.entities import Cadre, Unit
from models.services.cadres import search as cs
from models.services import search_index

TODAY = date(2026, 11, 25)


@pytest.fixture
def demo(db):
    if not db.is_sqlite:
        pytest.skip("the fragment index is SQLite's")
    build_demo(db, cadres=1500, seed=3, today=TODAY, actor=CLI_ACTOR)
    return db


def _both(db, monkeypatch, actor, text, *, offset=0, limit=50, **kw):
    flt = cs.CadreFilter(text=text, **kw)
    with db.session() as s:
        assert search_index.available(s)
        got = [r.id for r in cs.search(s, actor, flt, offset=offset, limit=limit)]
        got_n = cs.count(s, actor, flt)
    with monkeypatch.context() as m:
        m.setattr(search_index, "available", lambda _s: False)
        with db.session() as s:
            want = [r.id for r in cs.search(s, actor, flt, offset=offset, limit=limit)]
            want_n = cs.count(s, actor, flt)
    return got, want, got_n, want_n


def _terms(db, rng):
    with db.session() as s:
        rows = s.execute(select(Cadre.name, Cadre.name_pinyin, Cadre.name_initials, Cadre.id_number)).all()
        units = s.scalars(select(Unit.name)).all()
    terms = []
    for name, py, ini, number in rng.sample(rows, 40):
        i = rng.randrange(len(name))
        terms += [name[i], name[i:i + 2], name, ini[:1], ini[:2], ini, py[:3], py[1:5], py,
                  number[5:8], number[8:14], number[-4:], number[:2], ini.upper()[:2],
                  number[:4], number[:6], number[:7], number[:10], number[6:14], number[:17], number]
    terms += [u[:2] for u in rng.sample(units, 10)] + ["区", "局", "zz", "Zh", "x", "李 zx", "张 区", "qq 局"]
    return terms


@pytest.mark.slow
def test_every_term_finds_the_same_page_and_total(demo, monkeypatch):
    rng = random.Random(11)
    for term in _terms(demo, rng):
        got, want, got_n, want_n = _both(demo, monkeypatch, CLI_ACTOR, term)
        assert (got, got_n) == (want, want_n), term


def test_a_whole_id_number_finds_its_person_by_the_unique_index(demo):
    """Pasted whole (with a lower-case x or full-width digits), an ID number is found by equality: one person, from
    the unique index, never a merge of the fragment index's digit trigrams."""
    from sqlalchemy import event

    with demo.session() as s:
        cid, number = s.execute(select(Cadre.id, Cadre.id_number).where(Cadre.id_number.like("%X"))).first() or \
            s.execute(select(Cadre.id, Cadre.id_number)).first()
    typed = number.replace("X", "x").replace(number[0], chr(0xFF10 + int(number[0])), 1)
    sent = []
    listener = lambda _c, _cur, stmt, params, _ctx, _many: sent.append(stmt)  # noqa: E731
    event.listen(demo.engine, "before_cursor_execute", listener)
    try:
        with demo.session() as s:
            assert [r.id for r in cs.search(s, CLI_ACTOR, cs.CadreFilter(text=typed))] == [cid]
            assert cs.count(s, CLI_ACTOR, cs.CadreFilter(text=typed)) == 1
    finally:
        event.remove(demo.engine, "before_cursor_execute", listener)
    assert not any("cadre_search" in stmt for stmt in sent)


def test_a_term_most_numbers_contain_is_counted_without_the_index(demo):
    """"4201" begins every number of one city: counting its matches through the index read them all (1.8 s at a
    million cadres); a short probe tells, and the count then runs on the plain conditions — with the same total."""
    from sqlalchemy import event, func

    with demo.session() as s:
        common = s.scalar(select(func.substr(Cadre.id_number, 1, 4)).group_by(func.substr(Cadre.id_number, 1, 4))
                          .order_by(func.count().desc()).limit(1))
        want = s.scalar(select(func.count()).select_from(Cadre).where(Cadre.id_number.contains(common),
                                                                      Cadre.withdrawn_at.is_(None)))
    assert want > search_index.MIN_CAP  # common enough for the probe to stop at its cap
    sent = []
    listener = lambda _c, _cur, stmt, params, _ctx, _many: sent.append(stmt)  # noqa: E731
    event.listen(demo.engine, "before_cursor_execute", listener)
    try:
        with demo.session() as s:
            assert cs.count(s, CLI_ACTOR, cs.CadreFilter(text=common)) == want
    finally:
        event.remove(demo.engine, "before_cursor_execute", listener)
    through_index = [stmt for stmt in sent if "MATCH" in stmt]
    assert len(through_index) == 1 and "LIMIT" in through_index[0]  # the probe, and nothing more


def test_later_pages_and_other_sorts_agree(demo, monkeypatch):
    for term in ("王", "zh", "l", "区财", "li"):
        for offset in (0, 50, 150, 400, search_index.FEW_ROWS):  # the last: past the pages read as ids
            got, want, *_ = _both(demo, monkeypatch, CLI_ACTOR, term, offset=offset)
            assert got == want, (term, offset)
    flt_kw = dict(status=None)
    for term in ("王", "zh"):
        flt = cs.CadreFilter(text=term, **flt_kw)
        with demo.session() as s:
            by_birth = cs.search(s, CLI_ACTOR, flt, sort="birth_date", descending=True, limit=30)
        with monkeypatch.context() as m:
            m.setattr(search_index, "available", lambda _s: False)
            with demo.session() as s:
                plain = cs.search(s, CLI_ACTOR, flt, sort="birth_date", descending=True, limit=30)
        assert [r.id for r in by_birth] == [r.id for r in plain]


def _sent_while(db, fn):
    from sqlalchemy import event

    sent = []
    listener = lambda _c, _cur, stmt, params, _ctx, _many: sent.append((stmt, params))  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return sent


def test_an_id_fragment_asks_the_index_for_its_rare_trigrams_only(demo, monkeypatch):
    """A number typed from its start: the index is asked for a few of its trigrams, never the region's ones every
    number holds, and read once when fewer than a page match (their ids make the page) — with the same rows and total."""
    from sqlalchemy import func

    with demo.session() as s:
        number = s.scalar(select(Cadre.id_number).where(Cadre.withdrawn_at.is_(None)).order_by(Cadre.id).limit(1))
        holding_start = s.scalar(select(func.count()).select_from(Cadre).where(Cadre.id_number.contains(number[:3])))
        total = s.scalar(select(func.count()).select_from(Cadre))
    assert holding_start > total * 0.8  # the demo's numbers are mostly of one region: its first trigram is in most
    for k in (6, 8, 10, 12, 14, 17):
        typed = number[:k]

        def page(typed=typed):
            with demo.session() as s:
                return [r.id for r in cs.search(s, CLI_ACTOR, cs.CadreFilter(text=typed), limit=200)]

        found = []
        sent = _sent_while(demo, lambda: found.extend(page()))
        queries = [p for stmt, params in sent if "MATCH" in stmt for p in params if isinstance(p, str) and ":" in p]
        # fewer than a page: one pass, the rows come back as ids (a full page asks again, below its last sort key)
        assert len(queries) == (1 if len(found) < 200 else 2), typed
        asked = re.findall(r'id_number : "(\w+)"', queries[0])
        assert asked and number[:3] not in asked and len(asked) < k - 2, (typed, asked)
        assert all(g in typed for g in asked)
        got, want, got_n, want_n = _both(demo, monkeypatch, CLI_ACTOR, typed, limit=200)
        assert (got, got_n) == (want, want_n) and got == found, typed


def test_a_number_added_after_the_sample_is_still_found(demo, monkeypatch):
    """The rarity sample is read once and kept: a cadre given a number with digits the sample never saw (so the
    choice goes to exactly those trigrams) is found all the same — the sample chooses the question, not the answer."""
    from models.services import id_sample
    from tests.exchange.files import number

    with demo.session() as s:
        top = s.scalar(select(Cadre.id).order_by(Cadre.id.desc()).limit(1))
        cid = s.scalar(select(Cadre.id).where(Cadre.withdrawn_at.is_(None)).order_by(Cadre.id.desc()).limit(1))
        # as if read long ago: a few numbers only, none of them the one given below
        sample = id_sample.Sample(list(s.scalars(select(Cadre.id_number).order_by(Cadre.id).limit(20))), top)
        monkeypatch.setitem(id_sample._cache, str(s.get_bind().url), sample)
    unusual = number(date(1958, 11, 30), "女", 467)
    with demo.session() as s:
        assert s.scalar(select(Cadre.id).where(Cadre.id_number == unusual)) is None
        s.execute(update(Cadre).where(Cadre.id == cid).values(id_number=unusual))
        s.commit()
    with demo.session() as s:
        assert id_sample.sample(s) is sample
    for typed in (unusual[:12], unusual[3:13], unusual[6:]):
        unseen = [typed[i:i + 3] for i in range(len(typed) - 2) if not sample.bits(typed[i:i + 3])]
        assert unseen, typed  # the premise: the sample steers this fragment to digits it has never seen
        assert set(sample.pick(typed)) <= set(unseen)  # the cheapest: no sampled number holds them
        got, want, got_n, want_n = _both(demo, monkeypatch, CLI_ACTOR, typed)
        assert cid in got and (got, got_n) == (want, want_n), typed


def test_the_sample_is_read_again_when_the_table_has_doubled_or_halved(demo):
    from models.services import id_sample

    with demo.session() as s:
        first = id_sample.sample(s)
        key, top = str(s.get_bind().url), first.upto
        assert top > 0 and id_sample.sample(s) is first
        for upto in (top * 3, top // 3):
            id_sample._cache[key] = id_sample.Sample([], upto)
            again = id_sample.sample(s)
            assert again.upto == top and again.numbers == first.numbers


def test_viewer_cannot_probe_id_numbers_through_the_index(demo, monkeypatch):
    viewer = Actor(username="cyr", role="viewer", display_name="查阅人")
    with demo.session() as s:
        number = s.scalar(select(Cadre.id_number).limit(1))
    got, want, got_n, want_n = _both(demo, monkeypatch, viewer, number[6:14])
    assert got == want == [] and got_n == want_n == 0


def test_triggers_follow_renames_unit_moves_and_new_cadres(demo, monkeypatch):
    with demo.session() as s:
        cadre = s.scalars(select(Cadre).where(Cadre.withdrawn_at.is_(None)).limit(1)).one()
        unit_id = s.scalar(select(Unit.id).where(Unit.id != cadre.unit_id).limit(1))
        cid = cadre.id
        s.execute(update(Cadre).where(Cadre.id == cid).values(name="欧阳堃喆", name_pinyin="ouyangkunzhe",
                                                               name_initials="oykz", unit_id=unit_id))
        s.commit()
    for term in ("堃喆", "堃", "oykz", "kunzhe", "欧阳堃喆"):
        got, want, *_ = _both(demo, monkeypatch, CLI_ACTOR, term)
        assert cid in got and got == want, term
    with demo.session() as s:
        unit_name = s.scalar(select(Unit.name).where(Unit.id == unit_id))
    got, want, *_ = _both(demo, monkeypatch, CLI_ACTOR, f"{unit_name} 堃", limit=500)
    assert got == want and cid in got


def test_names_longer_than_the_pieces_are_still_found(demo, monkeypatch):
    long_name = "阿卜杜热合曼·买买提艾力" * 3  # 36 characters: pinyin far past the pieces
    with demo.session() as s:
        cid = s.scalar(select(Cadre.id).limit(1))
        s.execute(update(Cadre).where(Cadre.id == cid).values(name=long_name, name_pinyin="a" * 150,
                                                               name_initials="abdrhm"))
        s.commit()
    got, want, *_ = _both(demo, monkeypatch, CLI_ACTOR, "aa", limit=2000)
    assert cid in got and got == want


def test_postgresql_serves_the_fragment_conditions_from_trigram_indexes(db):
    """On PostgreSQL the search's own LIKE conditions are answered by the pg_trgm indexes of migration 0011."""
    if db.is_sqlite:
        pytest.skip("pg_trgm is PostgreSQL's")
    from sqlalchemy import text

    with db.engine.connect() as conn:
        if conn.exec_driver_sql("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'").first() is None:
            pytest.skip("pg_trgm is not installed on this server")
        names = {r[0] for r in conn.execute(text("SELECT indexname FROM pg_indexes WHERE tablename = 'cadre'"))}
        assert {f"ix_cadre_trgm_{c}" for c in ("name", "name_pinyin", "name_initials", "id_number")} <= names
        # enough rows (rolled back) that the planner prefers an index to reading the table
        conn.exec_driver_sql(
            "INSERT INTO cadre (name, name_pinyin, name_initials, id_number, is_party_member, is_grassroots, status,"
            " version) SELECT '测试' || i, 'ceshi' || i, 'cs', substr(md5(i::text), 1, 18), false, false, '在职', 1"
            " FROM generate_series(1, 20000) AS i")
        conn.exec_driver_sql("SELECT gin_clean_pending_list('ix_cadre_trgm_id_number')")  # as autovacuum would
        conn.exec_driver_sql("ANALYZE cadre")
        plan = "\n".join(r[0] for r in conn.execute(text(
            "EXPLAIN SELECT id FROM cadre WHERE id_number LIKE :p ESCAPE '\\'"), {"p": "%3f9a1c%"}))
        conn.rollback()
    assert "ix_cadre_trgm_id_number" in plan


def test_a_bulk_load_indexes_the_rows_as_the_trigger_would_and_keeps_the_trigger(db):
    """search_index.bulk_load (the demo's million cadres) leaves the index as one trigger run per row would."""
    from sqlalchemy import text

    if not db.is_sqlite:
        pytest.skip("the fragment index is SQLite's")
    build_demo(db, cadres=300, seed=5, today=TODAY, actor=CLI_ACTOR)  # loads its cadres through bulk_load
    with db.engine.begin() as conn:
        loaded = conn.execute(text("SELECT rowid, * FROM cadre_search ORDER BY rowid")).all()
        assert len(loaded) == conn.execute(text("SELECT count(*) FROM cadre")).scalar() == 300
        assert conn.execute(text(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'cadre_search_ai'")).scalar() == 1
        conn.execute(text("DELETE FROM cadre_search"))
        conn.execute(text("UPDATE cadre SET name = name"))  # the same rows through the triggers, one run each
        by_trigger = conn.execute(text("SELECT rowid, * FROM cadre_search ORDER BY rowid")).all()
    assert by_trigger == loaded


def test_a_bulk_load_that_fails_leaves_the_trigger_in_place(db):
    """The trigger is set aside inside the caller's transaction even when nothing was written before it (Python's
    sqlite3 would commit a DROP TRIGGER sent outside a transaction at once): a failure puts everything back."""
    from sqlalchemy import text

    if not db.is_sqlite:
        pytest.skip("the fragment index is SQLite's")
    with pytest.raises(RuntimeError):
        with db.session() as s:
            s.execute(select(Cadre.id)).all()  # a read only: the driver has no transaction open yet
            with search_index.bulk_load(s):
                s.add(Cadre(name="钱六", id_number="110101199001010011", name_pinyin="qianliu", name_initials="ql"))
                s.flush()
                raise RuntimeError("half-way")
    with db.session() as s:
        s.add(Cadre(name="孙七", id_number="110101199001010038", name_pinyin="sunqi", name_initials="sq"))
    with db.engine.connect() as conn:
        assert conn.execute(text(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'cadre_search_ai'")).scalar() == 1
        assert conn.execute(text("SELECT name FROM cadre_search")).scalars().all() == ["孙七"]


def test_a_bulk_load_holds_the_write_lock_from_its_start(db):
    """No other program can add a cadre while a bulk load runs (the trigger's DROP used to commit at once, leaving
    no lock): the rows numbered after its start are its own, or another one's cadre would be indexed twice and an
    import's numbers taken."""
    import sqlite3

    if not db.is_sqlite:
        pytest.skip("the fragment index is SQLite's")
    other = sqlite3.connect(db.engine.url.database, timeout=0.05)
    try:
        with db.session() as s:
            s.execute(select(Cadre.id)).all()
            with search_index.bulk_load(s):
                with pytest.raises(sqlite3.OperationalError, match="locked"):
                    other.execute("INSERT INTO cadre (name, id_number, name_pinyin, name_initials, is_party_member,"
                                  " is_grassroots, version) VALUES ('周八', '110101199001010054', '', '', 0, 0, 1)")
        other.execute("SELECT count(*) FROM cadre").fetchone()  # free again once the block has ended
    finally:
        other.close()


def test_cadres_an_import_creates_are_in_the_index(demo, monkeypatch, tmp_path):
    """Cadres an import writes in bulk are indexed (in one statement at the end of the insert): found as any other."""
    from models.exchange.cadre_import import import_cadres
    from tests.exchange.files import number, write_xlsx

    path = write_xlsx(tmp_path / "台账.xlsx", ["姓名", "身份证号", "工作单位"],
                      [["欧阳翠花", number(date(1975, 3, 15), "女", 7), "市委组织部"],
                       ["欧阳建国", number(date(1980, 10, 2), "男", 8), "市委组织部"]])
    with demo.session() as s:
        assert import_cadres(s, CLI_ACTOR, path, today=TODAY).created == 2
    for text in ("欧阳", "oyjg", "翠花"):
        got, want, got_n, want_n = _both(demo, monkeypatch, CLI_ACTOR, text)
        assert got == want and got_n == want_n >= 1
