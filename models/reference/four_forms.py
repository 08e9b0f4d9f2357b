"""监督执纪“四种形态”: which form each handling kind counts in, from `resources/statistics/four_forms.json`.

The mapping and its sources are data, not code, so that an office whose 纪委 counts differently edits the table.
函询 (and 谈话提醒, which closes a 函询) count in the first form; the fourth form (立案审查, 移送司法) is not recorded
by this program and is shown as not counted.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

TABLE_PATH = Path(__file__).resolve().parents[2] / "resources" / "statistics" / "four_forms.json"


@dataclass(frozen=True)
class Form:
    form: int
    label: str
    description: str
    sources: tuple[str, ...]
    not_counted: str = ""  # why the program cannot count this form ("" = counted)


@dataclass(frozen=True)
class FormSource:
    id: str
    name: str
    text: str
    status: str


@dataclass(frozen=True)
class FourForms:
    title: str
    version: str
    forms: tuple[Form, ...]
    sources: tuple[FormSource, ...]
    kinds: dict  # "regime.kind" -> form number
    inquiry_form: int
    inquiry_note: str

    def form_of(self, regime: str, kind: str) -> int | None:
        return self.kinds.get(f"{regime}.{kind}")

    def label(self, form: int) -> str:
        return next((f.label for f in self.forms if f.form == form), f"第{form}种形态")

    def kinds_in(self, form: int) -> list[tuple[str, str]]:
        return [tuple(key.split(".", 1)) for key, f in self.kinds.items() if f == form]  # type: ignore[misc]


class FourFormsError(RuntimeError):
    """The shipped table is broken (a packaging fault, not user input)."""


def parse(data: dict) -> FourForms:
    try:
        forms = tuple(Form(int(f["form"]), f["label"], f.get("description", ""), tuple(f.get("sources", ())),
                           f.get("not_counted", "")) for f in data["forms"])
        sources = tuple(FormSource(s["id"], s["name"], s.get("text", ""), s.get("status", "")) for s in data["sources"])
        kinds = {str(k): int(v) for k, v in data["kinds"].items()}
        inquiries = data["inquiries"]
    except (KeyError, TypeError, ValueError) as exc:
        raise FourFormsError(f"four forms table: {exc!r}") from exc
    known = {f.form for f in forms}
    bad = sorted(k for k, v in kinds.items() if v not in known)
    if bad:
        raise FourFormsError(f"four forms table: kinds mapped to an unknown form: {bad}")
    ids = {s.id for s in sources}
    missing = sorted({s for f in forms for s in f.sources} - ids)
    if missing:
        raise FourFormsError(f"four forms table: unknown sources {missing}")
    return FourForms(data.get("title", ""), data.get("version", ""), forms, sources, kinds,
                     int(inquiries["form"]), inquiries.get("note", ""))


@lru_cache(maxsize=1)
def table() -> FourForms:
    return parse(json.loads(TABLE_PATH.read_text(encoding="utf-8")))
