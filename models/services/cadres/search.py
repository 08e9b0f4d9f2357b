"""Cadres: search as you type, sorted and paged in SQL (design §7).

The text is split on spaces and every
term must match one of: any part of the name, the start of the pinyin initials or full pinyin (or any part of the
full pinyin from two letters on), any part of the ID number (only for roles that may see ID numbers), any part of
a unit's name. Prefix look-ups use the plain (BINARY) indexes on name_pinyin / name_initials through GLOB; the
substring fallback is a scan of a narrow covering index (ix_cadre_search), not of the wide cadre rows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import false, func, or_, select
from sqlalchemy.orm import Session

from models.core import sql_match
from models.services import id_sample, search_index
from models.reference import id_number as idn
from models.reference import pinyin
from models.core.actor import Actor
from models.entities import Cadre, Unit
from models.services.unit_names import list_labels
from models.services.units import unit_and_subunit_ids


@dataclass(frozen=True)
class CadreRow:
    id: int
    name: str
    gender: str | None
    birth_date: date | None
    id_number: str
    unit_name: str | None
    current_post: str | None
    rank: str | None
    identity_category: str | None
    status: str
    off_date: date | None
    unit_id: int | None = None  # to show the unit's full path where its leaf name is ambiguous
    birth_year: int | None = None  # always; birth_date is None for roles without "see_id_number" (year only)


@dataclass
class CadreFilter:
    text: str = ""
    unit_id: int | None = None  # the unit and its sub-units
    identity_category: str | None = None
    rank: str | None = None
    status: str | None = None
    in_impact_period: bool = False  # off_date > today
    today: date | None = None
    include_withdrawn: bool = False  # administrators only


SORT_KEYS = ("name", "gender", "birth_date", "id_number", "unit", "current_post", "rank", "identity_category",
             "status", "off_date", "id")


_cadre = Cadre.__table__
_unit = Unit.__table__
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_GLOB_SPECIAL = re.compile(r"[\*\?\[\]]")


def _term_condition(term: str, session: Session, may_see_id: bool, indexed: bool):
    """One search term → (OR over the fields it can match, the same as a fragment-index query or None)."""
    c = _cadre.c
    term = _GLOB_SPECIAL.sub("", term).replace("\x00", "")  # a search term is never stored: drop NULs
    if not term:
        return None, None
    norm = idn.normalise(term)
    if re.fullmatch(r"[0-9]+X?", norm):
        # part of an ID number: only for roles that may see ID numbers (no probing through the search box)
        if not may_see_id:
            return false(), None
        if len(norm) == idn.LENGTH:
            # a whole ID number (pasted, or typed to its end) is the person's own: the unique index finds it at once,
            # where the fragment index had to merge its 16 digit-trigrams, each in most numbers of one region (50 ms
            # at a million cadres). Stored numbers are 18 characters, so "contains" is "equals" here.
            return c.id_number == norm, None
        parts = id_sample.sample(session).pick(norm) if indexed and len(norm) >= search_index.ID_PARTS_FROM else None
        query = search_index.term_query(term, norm, [], may_see_id, parts) if indexed else None
        return sql_match.glob(session, c.id_number, f"*{norm}*"), query
    conds = []
    if term.isascii() and term.isalpha():
        t = term.lower()
        # initials from the start (zs → 张三), full pinyin anywhere (sanf → 张三丰); Latin letters in a name
        conds += [sql_match.glob(session, c.name_initials, f"{t}*"), sql_match.glob(session, c.name_pinyin, f"*{t}*")]
        if term != t:
            conds.append(sql_match.glob(session, c.name, f"*{term}*"))
        name_part = term
    else:
        name_part = pinyin.normalise_name(term)
        conds.append(sql_match.glob(session, c.name, f"*{name_part}*"))
    unit_ids = _units_matching(session, term)
    if unit_ids:
        conds.append(c.unit_id.in_(unit_ids))
    query = search_index.term_query(name_part, None, unit_ids, may_see_id) if indexed else None
    return or_(*conds), query


def _units_matching(session: Session, term: str) -> list[int]:
    """Units whose name contains the term, with their sub-units (units are few: one small query)."""
    if len(term) < 2 and not _HAN.search(term):
        return []
    rows = session.execute(
        select(_unit.c.id, _unit.c.path).where(sql_match.glob(session, _unit.c.name, f"*{term}*"), _unit.c.withdrawn_at.is_(None))
    ).all()
    if not rows:
        return []
    ids = {r.id for r in rows}
    prefixes = [r.path for r in rows if r.path and r.path != "/"]
    if prefixes:
        sub = session.execute(
            select(_unit.c.id).where(or_(*[sql_match.glob(session, _unit.c.path, f"{p}*") for p in prefixes]))
        ).scalars()
        ids.update(sub)
    return sorted(ids)


def _where(session: Session, actor: Actor, flt: CadreFilter) -> tuple[list, str | None]:
    """The conditions of a filter, and the fragment-index query of the terms the index can express."""
    c = _cadre.c
    where = []
    if not (flt.include_withdrawn and actor.can("admin")):
        where.append(c.withdrawn_at.is_(None))
    conds, fts = _text_terms(session, flt.text or "", actor.can("see_id_number"), search_index.available(session))
    where += conds
    if flt.unit_id is not None:
        where.append(c.unit_id.in_(unit_and_subunit_ids(session, flt.unit_id)))
    if flt.identity_category:
        where.append(c.identity_category == flt.identity_category)
    if flt.rank:
        where.append(c.rank == flt.rank)
    if flt.status:
        where.append(c.status == flt.status)
    if flt.in_impact_period:
        if flt.today is None:
            raise ValueError("CadreFilter.today is needed for in_impact_period")
        where.append(c.off_date > flt.today)
    return where, fts


def _text_terms(session: Session, text: str, may_see_id: bool, indexed: bool) -> tuple[list, str | None]:
    """The conditions of every term, and the fragment-index query of the terms the index can express."""
    conds, queries = [], []
    for term in (text or "").replace("\u3000", " ").split():
        cond, query = _term_condition(term, session, may_see_id, indexed)
        if cond is not None:
            conds.append(cond)
            queries.append(query)
    return conds, search_index.combine(queries)


def text_conditions(session: Session, text: str, may_see_id: bool) -> list:
    """The search box's text as conditions on the cadre table (every term must match: name, pinyin initials or
    full pinyin, part of an ID number for roles that may see it, a unit with its sub-units) — the one matching
    rule every list page uses, e.g. `Visit.cadre_id.in_(cadre_ids_matching(...))`. Where the fragment index can
    narrow the text, the candidates it finds are a condition too (a rare term then reads only its own rows)."""
    if not (text or "").strip():  # a blank search box asks nothing of the database (lists count their queries)
        return []
    conds, fts = _text_terms(session, text, may_see_id, search_index.available(session))
    if fts is not None and search_index.proposes_few(session, fts):
        conds.append(_cadre.c.id.in_(search_index.matches(fts)))
    return conds


def cadre_ids_matching(session: Session, text: str, may_see_id: bool):
    """A subquery of the ids of the cadres the search text matches, or None when the text is blank."""
    conds = text_conditions(session, text, may_see_id)
    if not conds:
        return None
    return select(Cadre.id).where(*conds)


def cadre_text_where(cadre_col, session: Session, text: str, actor: Actor | None) -> list:
    """Conditions for another list's search box: its `cadre_col` (e.g. Visit.cadre_id) among the cadres the text
    matches; part of an ID number matches only for an actor who may see ID numbers. [] for a blank text."""
    ids = cadre_ids_matching(session, text, actor is not None and actor.can("see_id_number"))
    return [] if ids is None else [cadre_col.in_(ids)]


def _order(sort: str, descending: bool):
    c = _cadre.c
    col = {
        "name": c.name_pinyin, "gender": c.gender, "birth_date": c.birth_date, "id_number": c.id_number,
        "unit": _unit.c.name, "current_post": c.current_post, "rank": c.rank,
        "identity_category": c.identity_category, "status": c.status, "off_date": c.off_date, "id": c.id,
    }.get(sort)
    if col is None:
        raise ValueError(f"unknown sort key {sort}")
    if descending:
        return [col.desc(), c.id.desc()]
    return [col.asc(), c.id.asc()]


def search(session: Session, actor: Actor, flt: CadreFilter | None = None, *, sort: str = "name",
           descending: bool = False, offset: int = 0, limit: int = 100) -> list[CadreRow]:
    """One page of cadres as plain rows. ID numbers are masked for roles without "see_id_number"."""
    actor.require("read")
    flt = flt or CadreFilter()
    c = _cadre.c
    where, fts = _where(session, actor, flt)
    offset, limit = max(offset, 0), max(limit, 0)
    if fts is not None and sort == "name" and not descending:
        # the page from the fragment index: the matches up to the page's last sort key (or, fewer, their ids)
        where = where + [search_index.page_candidates(session, fts, where, offset + limit - 1) if limit
                         else c.id.in_(search_index.below(fts, None))]
    elif fts is not None and search_index.proposes_few(session, fts):
        where = where + [c.id.in_(search_index.matches(fts))]
    stmt = (
        select(c.id, c.name, c.gender, c.birth_date, c.id_number, _unit.c.name.label("unit_name"), c.current_post,
               c.rank, c.identity_category, c.status, c.off_date, c.unit_id)
        .select_from(_cadre.outerjoin(_unit, _unit.c.id == c.unit_id))
        .where(*where)
        .order_by(*_order(sort, descending))
        .offset(offset).limit(limit)
    )
    see = actor.can("see_id_number")
    labels = list_labels(session)  # 区财政局 alone where it is the only one, else 江岸区/区财政局
    return [  # a role without "see_id_number": the last 4 digits and the birth year, nothing to rebuild it from
        CadreRow(r[0], r[1], r[2], r[3] if see else None, r[4] if see else idn.mask(r[4]), labels.get(r[11], r[5]),
                 r[6], r[7], r[8], r[9], r[10], r[11], birth_year=r[3].year if r[3] else None)
        for r in session.execute(stmt)
    ]


def count(session: Session, actor: Actor, flt: CadreFilter | None = None) -> int:
    actor.require("read")
    flt = flt or CadreFilter()
    where, fts = _where(session, actor, flt)
    if fts is not None and search_index.proposes_few(session, fts):  # a common term: the plain conditions alone
        where = where + [_cadre.c.id.in_(search_index.matches(fts))]
    stmt = select(func.count()).select_from(_cadre).where(*where)
    return int(session.execute(stmt).scalar() or 0)
