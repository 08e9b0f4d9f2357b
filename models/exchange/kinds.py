"""The one registry of what can be imported: key → label, the function that imports it, whether a blank template
exists. The command line (`main.py import KIND`), the import dialog and the first-run wizard all read it.

An importer is `(session, actor, path, *, dry_run, today, progress, mapping, allow_renames, sheet) -> ImportResult`
(mapping: file header → field key or "ignore"; allow_renames: apply name/sex/birth-date changes of existing
cadres; sheet: the worksheet to read, else the first with a recognisable header; .lrmx ignores it) and is imported only when used (keeps start-up light). A new kind is one line here.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable, Mapping

from sqlalchemy.orm import Session

from models.core.actor import Actor
from models.core.errors import AppError
from models.core.progress import Progress
from models.exchange.common import ImportResult


TABLE_FILES = ".xlsx .xlsm .xls .et .ods .csv .txt"


@dataclass(frozen=True)
class ImportKind:
    key: str
    label: str  # as the dialogs show it
    file_help: str  # what FILE is, for the command line's help
    target: str  # "module:function"
    template: bool = False  # a blank template can be saved (models/exchange/template.py)
    columns: bool = True  # a table file whose columns can be mapped (not .lrmx)

    def importer(self) -> Callable[..., ImportResult]:
        module, _, name = self.target.partition(":")
        return getattr(importlib.import_module(module), name)


IMPORTS: dict[str, ImportKind] = {k.key: k for k in (  # in the order to import them: cadres before their records
    ImportKind("cadres", "干部台账（Excel、WPS、CSV）", f"干部台账 {TABLE_FILES}", "models.exchange.cadre_import:import_cadres",
               True),
    ImportKind("lrmx", "干部任免审批表（.lrmx 文件、文件夹或 zip）", ".lrmx 文件、文件夹或 zip", "models.exchange.lrmx:import_lrmx",
               columns=False),
    ImportKind("handling", "处分处理台账（Excel、WPS、CSV）", f"处分处理台账 {TABLE_FILES}",
               "models.exchange.handling_import:import_handling"),
    ImportKind("commendations", "表彰奖励台账（Excel、WPS、CSV）", f"表彰奖励台账 {TABLE_FILES}",
               "models.exchange.commendation_import:import_commendations", True),
)}


def import_kind(key: str) -> ImportKind:
    kind = IMPORTS.get(key)
    if kind is None:
        raise AppError(f"不认识的导入类型“{key}”。可选：{'、'.join(IMPORTS)}。")
    return kind


def run_import(session: Session, actor: Actor, key: str, path: str | Path, *, dry_run: bool, today: date | None,
               progress: Progress | None = None, mapping: Mapping[str, str | None] | None = None,
               allow_renames: bool = False, sheet: str | None = None) -> ImportResult:
    """Import (or, with dry_run, only check) one file of the given kind in the caller's transaction."""
    return import_kind(key).importer()(session, actor, path, dry_run=dry_run, today=today, progress=progress,
                                       mapping=mapping, allow_renames=allow_renames, sheet=sheet)
