"""The one registry of what can be imported: key → label, the function that imports it, whether a blank template
exists. The command line (`main.py import KIND`), the import dialog and the first-run wizard all read it.

An importer is `(session, actor, path, *, dry_run, today, progress) -> ImportResult` and is imported only when
used (keeps start-up light). A new kind is one line here.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

from sqlalchemy.orm import Session

from models.core.actor import Actor
from models.core.errors import AppError
from models.core.progress import Progress
from models.exchange.common import ImportResult


@dataclass(frozen=True)
class ImportKind:
    key: str
    label: str  # as the dialogs show it
    file_help: str  # what FILE is, for the command line's help
    target: str  # "module:function"
    template: bool = False  # a blank template can be saved (models/exchange/template.py)

    def importer(self) -> Callable[..., ImportResult]:
        module, _, name = self.target.partition(":")
        return getattr(importlib.import_module(module), name)


IMPORTS: dict[str, ImportKind] = {k.key: k for k in (  # in the order to import them: cadres before their records
    ImportKind("cadres", "干部台账（Excel）", "干部台账 .xlsx", "models.exchange.cadre_import:import_cadres", True),
    ImportKind("lrmx", "干部任免审批表（.lrmx 文件、文件夹或 zip）", ".lrmx 文件、文件夹或 zip", "models.exchange.lrmx:import_lrmx"),
    ImportKind("handling", "处分处理台账（Excel）", "处分处理台账 .xlsx", "models.exchange.handling_import:import_handling"),
    ImportKind("commendations", "表彰奖励台账（Excel）", "表彰奖励台账 .xlsx",
               "models.exchange.commendation_import:import_commendations", True),
)}


def import_kind(key: str) -> ImportKind:
    kind = IMPORTS.get(key)
    if kind is None:
        raise AppError(f"不认识的导入类型“{key}”。可选：{'、'.join(IMPORTS)}。")
    return kind


def run_import(session: Session, actor: Actor, key: str, path: str | Path, *, dry_run: bool, today: date | None,
               progress: Progress | None = None) -> ImportResult:
    """Import (or, with dry_run, only check) one file of the given kind in the caller's transaction."""
    return import_kind(key).importer()(session, actor, path, dry_run=dry_run, today=today, progress=progress)
