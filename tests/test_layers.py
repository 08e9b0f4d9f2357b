"""The layers of design §2, folder by folder: who may import whom, and where SQL may be written.

- models/ and reports/ never import Qt (nor gui/ or cli/); models/ never imports reports/;
- models/rules/ is the pure engine: no SQLAlchemy, no entities, nothing of the storage or service layers;
- gui/ writes no SQL: it imports no SQLAlchemy and no sqlite3 (the session type and the stale-save error come from
  models.core) and holds no SQL text; it calls services;
- gui/ and cli/ never import each other;
- nothing imports or names bench/ but bench/ itself, its tests (tests/bench/) and main.py, which wires the command.

Each rule is a function of a source tree returning its offenders: the tests run it on this tree (no offender) and
on a small tree planted in a temporary folder (the planted offender is found), so that no rule can pass by seeing
nothing.
"""
import ast
import functools
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
QT = ("PySide6", "shiboken6")
SQL_TEXT = re.compile(r"^\s*(SELECT\s.+\sFROM\s|INSERT\s+INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s|PRAGMA\s)",
                      re.IGNORECASE | re.DOTALL)
RULES_MAY_IMPORT = ("models.rules", "models.core.errors")


@functools.lru_cache(maxsize=None)
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _imports(path: Path) -> set[str]:
    """Every module an import statement names, including importlib/__import__ calls with a literal name."""
    names = set()
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("import_module", "__import__") and isinstance(node.args[0].value, str):
                names.add(node.args[0].value)
    return names


def _strings(path: Path) -> list[str]:
    return [n.value for n in ast.walk(_tree(path)) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def _files(root: Path, *folders: str) -> list[Path]:
    return sorted(p for f in folders for p in (root / f).rglob("*.py"))


def _offenders(root: Path, files, bad) -> list[str]:
    return [f"{p.relative_to(root).as_posix()}: {n}" for p in files for n in sorted(_imports(p)) if bad(n)]


def _top(name: str) -> str:
    return name.split(".")[0]


# ----------------------------------------------------------------------------------------------- the rules


def models_and_reports_import_no_qt_gui_cli_or_bench(root: Path) -> list[str]:
    return _offenders(root, _files(root, "models", "reports"), lambda n: _top(n) in (*QT, "gui", "cli", "bench"))


def models_import_no_reports(root: Path) -> list[str]:
    """Dependencies run one way: gui → reports → models; only main.py wires them."""
    return _offenders(root, _files(root, "models"), lambda n: _top(n) == "reports")


def rules_are_pure(root: Path) -> list[str]:
    """models/rules: no SQLAlchemy, no entities, no storage, no services (errors are the one shared type)."""
    def bad(n: str) -> bool:
        if _top(n) == "sqlalchemy":
            return True
        return _top(n) == "models" and not any(n == a or n.startswith(a + ".") for a in RULES_MAY_IMPORT)
    return _offenders(root, _files(root, "models/rules"), bad)


def models_below_exchange_import_no_exchange(root: Path) -> list[str]:
    """models/exchange (files in and out) builds on the services; nothing below it imports it."""
    below = ("models/core", "models/entities", "models/rules", "models/derived", "models/reference",
             "models/services", "models/demo")
    return _offenders(root, _files(root, *below), lambda n: n == "models.exchange" or n.startswith("models.exchange."))


def gui_writes_no_sql(root: Path) -> list[str]:
    files = _files(root, "gui")
    offenders = _offenders(root, files, lambda n: _top(n) in ("sqlalchemy", "sqlite3"))
    offenders += [f"{p.relative_to(root).as_posix()}: {s[:40]!r}" for p in files for s in _strings(p)
                  if SQL_TEXT.match(s)]
    return offenders


def gui_and_cli_do_not_import_each_other(root: Path) -> list[str]:
    return (_offenders(root, _files(root, "gui"), lambda n: _top(n) == "cli")
            + _offenders(root, _files(root, "cli"), lambda n: _top(n) == "gui"))


def nothing_names_bench(root: Path) -> list[str]:
    """bench/ may import everything; nothing imports it or names it for a later import, but bench/, its tests and
    main.py (which maps the `bench` command to bench.command); this file names it only to plant violations."""
    files = [p for p in _files(root, "models", "gui", "cli", "reports", "tests", "scripts")
             if not p.relative_to(root).as_posix().startswith(("tests/bench/", "tests/test_layers.py"))]
    offenders = _offenders(root, files, lambda n: _top(n) == "bench")
    offenders += [f"{p.relative_to(root).as_posix()}: {s!r}" for p in files for s in _strings(p)
                  if re.fullmatch(r"bench(\.\w+)+", s)]
    return offenders


RULES = [models_and_reports_import_no_qt_gui_cli_or_bench, models_import_no_reports, rules_are_pure,
         models_below_exchange_import_no_exchange, gui_writes_no_sql, gui_and_cli_do_not_import_each_other, nothing_names_bench]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.__name__)
def test_the_tree_keeps_the_rule(rule):
    assert rule(ROOT) == []


def test_main_is_the_one_place_that_wires_bench():
    assert "bench.command" in _strings(ROOT / "main.py")


# ----------------------------------------------------------------------------------------------- each rule can fail

# rule -> (file planted, its text, the offender the rule must report); a file the rule allows is planted beside
# each, so a rule that reports everything fails too.
PLANTED = {
    models_and_reports_import_no_qt_gui_cli_or_bench: (
        "reports/page.py", "def f():\n    from PySide6.QtGui import QFont\n", "reports/page.py: PySide6.QtGui"),
    models_import_no_reports: (
        "models/services/x.py", "import reports.notice\n", "models/services/x.py: reports.notice"),
    rules_are_pure: (
        "models/rules/x.py", "from models.entities import Cadre\n", "models/rules/x.py: models.entities"),
    models_below_exchange_import_no_exchange: (
        "models/services/y.py", "from models.exchange.xlsx_text import append_row\n",
        "models/services/y.py: models.exchange.xlsx_text"),
    gui_writes_no_sql: (
        "gui/pages/x.py", "Q = '''\n  select name\n  from cadre'''\n", "gui/pages/x.py: '\\n  select name\\n  from cadre'"),
    gui_and_cli_do_not_import_each_other: (
        "cli/x_cmd.py", "import importlib\nimportlib.import_module('gui.app')\n", "cli/x_cmd.py: gui.app"),
    nothing_names_bench: (
        "tests/models/test_x.py", "NAME = 'bench.data'\n", "tests/models/test_x.py: 'bench.data'"),
}
ALLOWED = {
    "models/rules/ok.py": "from models.rules import period_math\nfrom models.core.errors import ValidationError\n",
    "models/services/ok.py": "from sqlalchemy import select\nfrom models.entities import Cadre\n",
    "reports/ok.py": "from models.core.errors import AppError\n",
    "models/exchange/ok.py": "from models.services import roster\n",
    "gui/ok.py": "from PySide6.QtWidgets import QLabel\nfrom models.core.db import Session\nTEXT = '选择干部'\n"
                 "HINT = 'Select a file'\n",
    "cli/ok_cmd.py": "from models.services import roster\n",
    "bench/ok.py": "import gui.app\nimport cli\nfrom bench import data\n",
    "tests/bench/test_ok.py": "from bench.pdf_baseline import bare_page\n",
    "main.py": "BENCH = 'bench.command'\n",
}


def _plant(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.__name__)
def test_each_rule_finds_a_planted_violation_and_nothing_else(rule, tmp_path):
    _plant(tmp_path, ALLOWED)
    assert rule(tmp_path) == []
    rel, text, offender = PLANTED[rule]
    _plant(tmp_path, {rel: text})
    found = rule(tmp_path)
    assert offender in found
    assert all(f.startswith(rel + ": ") for f in found), found


def test_every_rule_has_a_planted_violation():
    assert set(PLANTED) == set(RULES)


def test_the_sql_text_check_sees_sql_in_any_case():
    """The SQL-text check once looked for a lower-case needle in upper-cased text and could never fail."""
    for text in ("SELECT id FROM cadre", "select name from unit where id = 1", "  Update cadre set x = 1",
                 "DELETE FROM visit", "insert into task values (1)", "PRAGMA journal_mode"):
        assert SQL_TEXT.match(text), text
    for text in ("选择干部", "Select a file", "更新 cadre", "delete the row?"):
        assert not SQL_TEXT.match(text), text


def test_the_import_checks_see_every_kind_of_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import PySide6.QtCore\nfrom sqlalchemy import select\nimport importlib\n"
                      "def f():\n    from cli import import_cmd\n    importlib.import_module('bench.command')\n",
                      encoding="utf-8")
    assert {"PySide6.QtCore", "sqlalchemy", "sqlalchemy.select", "cli", "cli.import_cmd", "bench.command"} \
        <= _imports(sample)
