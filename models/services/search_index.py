"""The fragment index behind search as you type (SQLite): the first page of any term without a scan.

`cadre_search` (migration 0010) is an FTS5 trigram table kept by triggers on `cadre`; its rowid is a sort key
(the first eight characters of name_pinyin, then the cadre id), so matches come out of the index in nearly the
order the list shows. A page is found in two steps, both reading about one page of index entries however many
cadres match or the table holds:

1. `page_candidates`: the sort key of the last row of the page among the matches that pass every other condition,
   read in index order (the key's pinyin part, rounded up, bounds the page) — or, on a first page with fewer
   matches than rows, those matches' ids;
2. the search itself restricted to the matches below that bound (or to those ids), sorted exactly by name_pinyin
   and id: the few extra rows sharing the bound's eight pinyin characters make the order exact.

The index only proposes rows: the search still applies its own conditions, so a result is exactly what the
plain conditions give. A term the index cannot express (one or two digits of an ID number: they match so many
cadres, evenly, that the name-ordered scan finds a page at once) leaves the search to its plain conditions.
PostgreSQL has no such table: there the same plain conditions are served by pg_trgm GIN indexes (migration 0011).
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Iterator

from sqlalchemy import Integer, column, func, literal_column, select, table, text
from sqlalchemy.orm import Session

from models.entities import Cadre

TABLE = "cadre_search"
ID_BITS = 23  # migration 0010: rowid = pinyin key * 2^23 + cadre id
ID_MASK = (1 << ID_BITS) - 1
_PHRASE_DROP = re.compile(r'["\x00-\x1f]')
# A term naming more units than this matches so many cadres that the name-ordered scan is quicker.
MAX_UNITS = 4

_fts = table(TABLE, column("rowid", Integer))


PG_INDEX_PREFIX = "ix_cadre_trgm_"  # migration 0011, PostgreSQL only


def is_index_table(name: str) -> bool:
    """The FTS table and the shadow tables SQLite makes for it (not described by the entities)."""
    return name == TABLE or name.startswith(TABLE + "_")


def is_trigram_index(name: str) -> bool:
    """A pg_trgm index of migration 0011 (PostgreSQL only, so not described by the entities)."""
    return name.startswith(PG_INDEX_PREFIX)


def available(session: Session) -> bool:
    """True on a SQLite database that has the index (every database at schema 0010 or later)."""
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        return False
    key = ("search_index", str(bind.url))
    known = session.info.get(key)
    if known is None:
        conn = session.connection()
        known = conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (TABLE,)).first() is not None
        # ids past the key's id bits are not in the index (8.4 million cadres: never in practice)
        known = known and (conn.exec_driver_sql("SELECT max(id) FROM cadre").scalar() or 0) <= ID_MASK
        session.info[key] = known
    return known


@contextmanager
def bulk_load(session: Session) -> Iterator[None]:
    """Cadres inserted inside are indexed by one INSERT … SELECT at the end instead of one trigger run each (the
    demo's million cadres: the trigger costs about 1 ms a row and grows with the index). The statement is the
    insert trigger's own, read from the database, over the rows added; the trigger is back before the block ends.
    All of it in the caller's transaction: a failure rolls back the rows, the index and the trigger together."""
    if not available(session):
        yield
        return
    conn = session.connection()
    trigger = conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'cadre_search_ai'").scalar()
    if trigger is None:
        yield
        return
    # Python's sqlite3 opens a transaction only before INSERT, UPDATE or DELETE: a DROP TRIGGER sent before any of
    # them commits at once, and a later rollback (a failure, a cancel, the benchmark's import) would leave the index
    # without its trigger for good. Begin it here, so that the DROP is part of the caller's transaction; IMMEDIATE,
    # so that from here on no other program can add a cadre (the rows after `before` are the caller's alone).
    driver = conn.connection.driver_connection
    if driver is not None and not driver.in_transaction:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    conn.exec_driver_sql("DROP TRIGGER cadre_search_ai")
    before = conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM cadre").scalar()
    try:
        yield
        body = trigger[trigger.index(" BEGIN ") + len(" BEGIN "):trigger.rindex(" END")].strip().rstrip(";")
        # in rowid order: FTS5 flushes its pending terms to a new segment whenever a rowid is lower than the last
        # one, so the sort keys in id order made a segment of a row or two each time and merged them all again
        conn.exec_driver_sql(body.replace("new.", "cadre.").replace(
            " WHERE cadre.id <", f" FROM cadre WHERE cadre.id > {int(before)} AND cadre.id <") + " ORDER BY 1")
    finally:
        conn.exec_driver_sql(trigger)


def _phrase(col: str, fragment: str) -> str:
    return f'{col} : "{_PHRASE_DROP.sub("", fragment)}"'


def _pieces(col: str, fragment: str) -> str:
    """A fragment of 1 or 2 characters as its padded piece, 3+ as a trigram phrase of the full column."""
    if len(fragment) == 1:
        return _phrase(col + "_grams", fragment + "##")
    if len(fragment) == 2:
        return _phrase(col + "_grams", fragment + "#")
    return _phrase(col, fragment)


ID_PARTS_FROM = 6  # digits from which an ID fragment asks for chosen trigrams rather than the phrase of all


def term_query(term: str, norm_id: str | None, unit_ids: list[int], may_see_id: bool,
               id_parts: list[str] | None = None) -> str | None:
    """The FTS query of one search term (the same alternatives as the search's own condition), or None when the
    index cannot express it. `norm_id` is the term as ID-number digits when it is one; `id_parts`, from
    ID_PARTS_FROM digits on, the trigrams of it to require (models/services/id_sample.py: the rarest few) instead
    of the phrase of all of them, each in most numbers of one region — more rows are proposed, the search's own
    condition keeps the exact ones."""
    if len(unit_ids) > MAX_UNITS:
        return None
    if norm_id is not None:
        if not may_see_id or len(norm_id) < 3:
            return None
        if len(norm_id) < ID_PARTS_FROM or not id_parts:
            return _phrase("id_number", norm_id)
        return "(" + " AND ".join(_phrase("id_number", p) for p in id_parts) + ")"
    if term.isascii() and term.isalpha():
        low = term.lower()
        alts = [_phrase("initials", "^^" + low)]
        alts.append(_pieces("pinyin", low) if len(low) < 3 else _phrase("name_pinyin", low))
        if term != low:
            alts.append(_pieces("name", term))
    else:
        alts = [_pieces("name", term)]
    alts += [_phrase("unit", f"|{u}|") for u in unit_ids]
    alts.append('long : "***"')  # names longer than the pieces cover are always candidates
    return "(" + " OR ".join(alts) + ")"


def combine(queries: list[str | None]) -> str | None:
    """The terms the index can express, all required; the search's conditions still check every term."""
    known = [q for q in queries if q is not None]
    return " AND ".join(known) if known else None


def _match(query: str):
    return text(f"{TABLE} MATCH :fts_q").bindparams(fts_q=query)


def matches(query: str):
    """Subquery of the cadre ids the query matches (for count and as the candidate set)."""
    return select(literal_column(f"rowid & {ID_MASK}")).select_from(_fts).where(_match(query))


# A query proposing more than 1/COMMON_SHARE of the cadres is no help to a count: an IN over its matches costs about
# 4–5 µs a match, the plain conditions over the covering search index about 0.2 µs a cadre ("4201", the start of
# every number of one city: 100 → 20 ms at 100,000 cadres, 1.8 → 0.2 s at a million).
COMMON_SHARE = 25
MIN_CAP, MAX_CAP = 1_000, 50_000


def proposes_few(session: Session, query: str) -> bool:
    """Whether `query` proposes few enough cadres for a count (or another list's condition) to go through the index;
    found by reading at most a cap of its matches (the first ones in index order: no whole list is read)."""
    conn = session.connection()
    total = conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM cadre").scalar() or 0  # the rowid's end: O(1)
    cap = min(MAX_CAP, max(MIN_CAP, int(total) // COMMON_SHARE))
    probe = select(func.count()).select_from(select(literal_column("rowid")).select_from(_fts)
                                             .where(_match(query)).limit(cap).subquery())
    return (session.execute(probe).scalar() or 0) < cap


# A page this deep or less is found by reading the matches' sort keys up to it (one pass of the index): when fewer
# match, those are all of them, and the page's own query takes their ids instead of asking the index again — that
# second pass was half of a 10-digit ID search. (Reading on past a full page, to the rows sharing its last pinyin
# key, and passing those ids as well, measured slower for common terms than the second pass: hundreds of ids.)
FEW_ROWS = 1000


def page_candidates(session: Session, query: str, conditions: list, last_row: int):
    """A condition on cadre.id that keeps the first `last_row + 1` matches passing `conditions` in the list's order
    and few others: the matches up to the sort key of that row, rounded up to its next pinyin key (the rows sharing
    those eight characters make the exact order) — or, when fewer match, their ids."""
    c = Cadre.__table__.c
    rowid = literal_column(f"{TABLE}.rowid")
    stmt = (
        select(rowid)
        .select_from(_fts.join(Cadre.__table__, c.id == literal_column(f"{TABLE}.rowid & {ID_MASK}")))
        .where(_match(query), *conditions)
        .order_by(rowid)
    )
    if last_row < FEW_ROWS:
        keys = session.execute(stmt.limit(last_row + 1)).scalars().all()
        if len(keys) <= last_row:  # fewer match: these are all of them
            return c.id.in_([k & ID_MASK for k in keys])
        bound = ((keys[-1] >> ID_BITS) + 1) << ID_BITS
    else:
        key = session.execute(stmt.offset(last_row).limit(1)).scalar()
        if key is None:  # fewer match: every match is on the page
            return c.id.in_(below(query, None))
        bound = ((key >> ID_BITS) + 1) << ID_BITS
    return c.id.in_(below(query, bound))


def below(query: str, bound: int | None):
    """Candidate ids: the matches whose sort key is under the bound."""
    stmt = matches(query)
    if bound is not None:
        stmt = stmt.where(literal_column("rowid") < bound)
    return stmt
