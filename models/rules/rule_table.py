"""The rule table of the impact-period engine, loaded from `resources/rules/rule_table.json`.

The JSON holds every month count, restriction and citation; this module checks it once, turns it into small
frozen objects and caches them, so the engine never parses JSON on a hot path. Labels for the GUI:

    REGIME_LABELS["party"]                 -> "党纪处分"
    kind_label("gov", "demerit")           -> "记过"
    RESTRICTION_LABELS["NO_PROMOTION"]     -> "不得提拔/晋升"
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

TABLE_PATH = Path(__file__).resolve().parents[2] / "resources" / "rules" / "rule_table.json"

KIND_TYPES = ("timed", "probation", "permanent", "none")
PROBATION_SPANS = ("probation", "effective_to_restoration_end", "after_restoration")


class RuleTableError(RuntimeError):
    """The shipped rule table is broken (a programming/packaging fault, not user input)."""


@dataclass(frozen=True, slots=True)
class RestrictionSpec:
    kind: str
    months: int | None = None  # a fixed length; None = the record's period
    span: str | None = None  # probation kinds only: which part of the probation timeline
    articles: dict[str, str] | None = None  # source id -> article text for this restriction alone (None: the kind's)


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    name: str
    in_force_from: date | None
    rules_version: str | None = None


@dataclass(frozen=True, slots=True)
class KindSpec:
    regime: str
    kind: str
    label: str
    severity: int
    type: str
    months: int | None
    restrictions: tuple[RestrictionSpec, ...]
    articles: dict[str, str]  # source id -> article text ("" when not verified)
    months_by_rules_version: dict[str, int]
    in_lieu_months: int | None = None
    in_lieu_restrictions: tuple[RestrictionSpec, ...] = ()
    in_lieu_articles: dict[str, str] | None = None
    probation_months: int | None = None
    extended_probation_months: int | None = None
    after_restoration_months: int | None = None

    @property
    def has_period(self) -> bool:
        return self.type == "timed"


@dataclass(frozen=True, slots=True)
class Overlap:
    adds_up: bool
    cap_months: int | None = None
    sum_from: date | None = None
    never_add_up: frozenset[str] = frozenset()
    basis: str = ""
    basis_before_sum_from: str = ""


@dataclass(frozen=True, slots=True)
class RegimeSpec:
    regime: str
    label: str
    period_word: str
    sources: tuple[Source, ...]  # sorted by in_force_from
    overlap: Overlap
    kinds: dict[str, KindSpec]  # kind -> KindSpec
    rules_versions: tuple[str, ...] = ()
    version_2003_before: date | None = None


@dataclass(frozen=True, slots=True)
class RuleTable:
    version: str
    title: str
    restriction_labels: dict[str, str]
    off_date_kinds: frozenset[str]
    regimes: dict[str, RegimeSpec]  # regime -> RegimeSpec


def _date(value: Any, where: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise RuleTableError(f"rule table: bad date {value!r} at {where}") from exc


def _restrictions(items: Any, where: str, known: dict[str, Any], probation: bool,
                  source_ids: set[str] | None = None) -> tuple[RestrictionSpec, ...]:
    out = []
    for item in items:
        kind = item.get("kind")
        if kind not in known:
            raise RuleTableError(f"rule table: unknown restriction kind {kind!r} at {where}")
        months = item.get("months")
        if months is not None and (not isinstance(months, int) or months <= 0):
            raise RuleTableError(f"rule table: bad months {months!r} at {where}")
        span = item.get("span")
        if probation and span not in PROBATION_SPANS:
            raise RuleTableError(f"rule table: probation restriction without a valid span at {where}")
        articles = item.get("articles")
        if articles is not None and (not isinstance(articles, dict) or set(articles) - (source_ids or set())):
            raise RuleTableError(f"rule table: restriction articles name unknown sources at {where}")
        out.append(RestrictionSpec(kind, months, span, dict(articles) if articles is not None else None))
    return tuple(out)


def parse_table(data: dict[str, Any]) -> RuleTable:
    """Check the JSON structure and build the table (raises RuleTableError on any inconsistency)."""
    try:
        version = data["table_version"]
        known = data["restriction_kinds"]
        regimes_raw = data["regimes"]
    except (KeyError, TypeError) as exc:
        raise RuleTableError(f"rule table: missing top-level key {exc}") from exc
    regimes: dict[str, RegimeSpec] = {}
    for regime, raw in regimes_raw.items():
        sources = tuple(
            sorted(
                (
                    Source(s["id"], s["name"], _date(s.get("in_force_from"), f"{regime}.sources"), s.get("rules_version"))
                    for s in raw["sources"]
                ),
                key=lambda s: s.in_force_from or date.min,
            )
        )
        if not sources:
            raise RuleTableError(f"rule table: regime {regime} has no source")
        source_ids = {s.id for s in sources}
        ov = raw.get("overlap", {})
        overlap = Overlap(
            adds_up=bool(ov.get("adds_up")),
            cap_months=ov.get("cap_months"),
            sum_from=_date(ov.get("sum_from"), f"{regime}.overlap"),
            never_add_up=frozenset(ov.get("never_add_up", ())),
            basis=ov.get("basis", ""),
            basis_before_sum_from=ov.get("basis_before_sum_from", ""),
        )
        kinds: dict[str, KindSpec] = {}
        for kind, k in raw["kinds"].items():
            where = f"{regime}.{kind}"
            ktype = k.get("type")
            if ktype not in KIND_TYPES:
                raise RuleTableError(f"rule table: bad type {ktype!r} at {where}")
            articles = k.get("articles", {})
            if set(articles) - source_ids:
                raise RuleTableError(f"rule table: articles name unknown sources at {where}")
            months = k.get("months")
            if ktype == "timed" and (not isinstance(months, int) or months <= 0):
                raise RuleTableError(f"rule table: timed kind without months at {where}")
            lieu = k.get("in_lieu_of_revocation")
            spec = KindSpec(
                regime=regime,
                kind=kind,
                label=k["label"],
                severity=int(k["severity"]),
                type=ktype,
                months=months,
                restrictions=_restrictions(k.get("restrictions", ()), where, known, ktype == "probation", source_ids),
                articles=dict(articles),
                months_by_rules_version=dict(k.get("months_by_rules_version", {})),
                in_lieu_months=lieu["months"] if lieu else None,
                in_lieu_restrictions=_restrictions(lieu["restrictions"], where, known, False) if lieu else (),
                in_lieu_articles=dict(lieu.get("articles", {})) if lieu else None,
                probation_months=k.get("probation_months"),
                extended_probation_months=k.get("extended_probation_months"),
                after_restoration_months=k.get("after_restoration_months"),
            )
            if ktype == "probation" and not (spec.probation_months and spec.after_restoration_months):
                raise RuleTableError(f"rule table: probation kind without its months at {where}")
            kinds[kind] = spec
        if overlap.never_add_up - set(kinds):
            raise RuleTableError(f"rule table: never_add_up names unknown kinds in {regime}")
        dv = raw.get("default_rules_version", {})
        regimes[regime] = RegimeSpec(
            regime=regime,
            label=raw["label"],
            period_word=raw["period_word"],
            sources=sources,
            overlap=overlap,
            kinds=kinds,
            rules_versions=tuple(raw.get("rules_versions", ())),
            version_2003_before=_date(dv.get("2003_before"), f"{regime}.default_rules_version"),
        )
    return RuleTable(
        version=str(version),
        title=data.get("title", ""),
        restriction_labels={k: v["label"] for k, v in known.items()},
        off_date_kinds=frozenset(k for k, v in known.items() if v.get("counts_for_off_date")),
        regimes=regimes,
    )


@lru_cache(maxsize=1)
def load_table(path: str | None = None) -> RuleTable:
    """The table, parsed once per process."""
    p = Path(path) if path else TABLE_PATH
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RuleTableError(f"rule table {p} cannot be read: {exc}") from exc
    return parse_table(data)


TABLE = load_table()
TABLE_VERSION: str = TABLE.version
REGIMES: tuple[str, ...] = tuple(TABLE.regimes)
REGIME_LABELS: dict[str, str] = {r: s.label for r, s in TABLE.regimes.items()}
KIND_LABELS: dict[tuple[str, str], str] = {
    (r, k): ks.label for r, s in TABLE.regimes.items() for k, ks in s.kinds.items()
}
RESTRICTION_LABELS: dict[str, str] = dict(TABLE.restriction_labels)
OFF_DATE_KINDS: frozenset[str] = TABLE.off_date_kinds


def regime_spec(regime: str) -> RegimeSpec:
    return TABLE.regimes[regime]


def kind_spec(regime: str, kind: str) -> KindSpec:
    return TABLE.regimes[regime].kinds[kind]


def kinds_of(regime: str) -> tuple[str, ...]:
    return tuple(TABLE.regimes[regime].kinds)


def kind_label(regime: str, kind: str) -> str:
    """Chinese label of a kind, e.g. kind_label("party", "probation_1y") -> "留党察看一年"; the code if unknown."""
    return KIND_LABELS.get((regime, kind), kind)


def full_label(regime: str, kind: str) -> str:
    """e.g. "党纪处分·严重警告"."""
    return f"{REGIME_LABELS.get(regime, regime)}·{kind_label(regime, kind)}"


def restriction_label(kind: str) -> str:
    return RESTRICTION_LABELS.get(kind, kind)


@lru_cache(maxsize=1 << 16)
def source_for(regime: str, effective: date, rules_version: str | None = None) -> Source:
    """The regulation in force for a record: the latest source in force on `effective`.

    Party: rules_version "2003" selects the 2003 text; "2015+" never selects it.
    """
    spec = TABLE.regimes[regime]
    sources = spec.sources
    if rules_version is not None and any(s.rules_version for s in sources):
        sources = tuple(s for s in sources if s.rules_version == rules_version) or sources
    chosen = sources[0]
    for s in sources:
        if s.in_force_from is None or s.in_force_from <= effective:
            chosen = s
    return chosen


def choices_text(regime: str | None = None) -> str:
    """"party（党纪处分）、gov（…）" or the kinds of one regime, for error messages."""
    if regime is None:
        return "、".join(f"{r}（{lbl}）" for r, lbl in REGIME_LABELS.items())
    return "、".join(f"{k}（{ks.label}）" for k, ks in TABLE.regimes[regime].kinds.items())
