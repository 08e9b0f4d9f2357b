"""Units named in full wherever a document names them (13 "区财政局" in one tree must be told apart).

A unit's full name is built from its path: the names from the root down, joined as a Chinese name is written
("武汉市" + "江岸区" + "区财政局" → "武汉市江岸区财政局"): a level is left out when the next one already starts
with it, and a level's leading 市/区/县 is dropped when the level above ends with the same character.
"""
from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.entities import Unit

_LEVEL_CHARS = "省市区县镇乡"


def join_names(names: list[str]) -> str:
    """The full name from the names along the path, root first."""
    out = ""
    for name in (n.strip() for n in names):
        if not name:
            continue
        if out and name.startswith(out):
            out = name  # the level already carries the name above it
            continue
        if out and name[0] in _LEVEL_CHARS and out.endswith(name[0]):
            name = name[1:]
        out += name
    return out


def _ids(path: str | None, own_id: int) -> list[int]:
    return [int(p) for p in (path or "").strip("/").split("/") if p.isdigit()] or [own_id]


def full_names(session: Session, unit_ids: set[int] | None = None) -> dict[int, str]:
    """unit id → full name, for the given units (all units when None). For given units only they and their
    ancestors are read (a document names one unit: reading a province's whole tree for it cost more than the
    rest of the notice's reads)."""
    if unit_ids is None:
        rows = session.execute(select(Unit.id, Unit.name, Unit.path)).all()
        names = {r.id: r.name for r in rows}
    else:
        if not unit_ids:
            return {}
        rows = session.execute(select(Unit.id, Unit.name, Unit.path).where(Unit.id.in_(unit_ids))).all()
        names = {r.id: r.name for r in rows}
        above = {i for r in rows for i in _ids(r.path, r.id)} - names.keys()
        if above:
            names.update((i, n) for i, n in session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(above))))
    return {r.id: join_names([names.get(i, "") for i in _ids(r.path, r.id)])
            for r in rows if unit_ids is None or r.id in unit_ids}


def full_name(session: Session, unit_id: int | None) -> str:
    """The full name of one unit; "" for none."""
    if unit_id is None:
        return ""
    return full_names(session, {unit_id}).get(unit_id, "")


# ---------------------------------------------------------------------------------------------------------------
# Short labels for lists: a unit's own name where no other live unit bears it, else as much of its path as tells
# it apart ("江岸区/区财政局" beside "汉阳区/区财政局") — a list column stays narrow and is never ambiguous.

_label_cache: dict[tuple, tuple[tuple, dict[int, str], frozenset[str]]] = {}


# Built once and run on the connection: made per call and sent through the ORM session, this check cost more
# than the 工作台 list it labels (1.5 ms against the list's 1 ms of SQL).
_u = Unit.__table__
_FINGERPRINT = select(func.count(_u.c.id), func.max(_u.c.id), func.sum(_u.c.version), func.max(_u.c.updated_at),
                      func.min(_u.c.created_at))


def _fingerprint(session: Session) -> tuple:
    return tuple(session.connection().execute(_FINGERPRINT).one())


def list_labels(session: Session) -> dict[int, str]:
    """unit id → the label a list shows (see above). Recomputed only when a unit was added or changed."""
    return _labels(session)[1]


def labels_and_shared_names(session: Session) -> tuple[dict[int, str], frozenset[str]]:
    """list_labels, and the unit names whose label is more than the name (several units bear them): a list row
    whose unit has another name shows that name as it is, so the list need not look up which unit it is."""
    _fp, labels, shared = _labels(session)
    return labels, shared


def _labels(session: Session) -> tuple[tuple, dict[int, str], frozenset[str]]:
    bind = session.get_bind()
    key = (id(bind), str(bind.url))
    fp = _fingerprint(session)
    cached = _label_cache.get(key)
    if cached is not None and cached[0] == fp:
        return cached
    rows = session.execute(select(Unit.id, Unit.name, Unit.path, Unit.withdrawn_at)).all()
    names = {r.id: r.name for r in rows}
    chains = {r.id: [names.get(i, "") for i in _ids(r.path, r.id)] for r in rows}
    live = {r.id for r in rows if r.withdrawn_at is None}
    tails: dict[int, Counter] = {}  # depth → how many live units end in each tail of that many names

    def others(uid: int, tail: tuple, depth: int) -> int:
        if depth not in tails:
            tails[depth] = Counter(tuple(chains[u][-depth:]) for u in live)
        return tails[depth][tail] - (1 if uid in live else 0)

    labels: dict[int, str] = {}
    for uid, chain in chains.items():
        depth = 1
        while depth < len(chain) and others(uid, tuple(chain[-depth:]), depth) > 0:
            depth += 1
        labels[uid] = "/".join(chain[-depth:])
    shared = frozenset(names[uid] for uid, label in labels.items() if label != names[uid])
    _label_cache[key] = made = (fp, labels, shared)
    return made


def relabel(session: Session, pairs) -> dict[int, str]:
    """The list labels of the units named in `pairs` [(key, unit id)] → {key: label} (no label for no unit)."""
    labels = list_labels(session)
    return {k: labels.get(u, "") for k, u in pairs if u is not None}
