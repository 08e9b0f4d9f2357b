"""The layers of design §2, folder by folder: who may import whom, and where SQL may be written.

- models/ and reports/ never import Qt (nor gui/ or cli/); models/ never imports reports/;
- models/rules/ is the pure engine: no SQLAlchemy, no entities, nothing of the storage or service layers;
- gui/ writes no SQL (no sqlite3, no SQLAlchemy query building, no SQL text) and calls services;
- gui/ and cli/ never import each other; nothing but main.py imports or names bench/.
"""
import ast
import functools
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QT = ("PySide6", "shiboken6")
SQL_TEXT = re.compile(r"^\s*(SELECT\s.+\sFROM\s|INSERT\s+INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s|PRAGMA\s)",
                      re.IGNORECASE | re.DOTALL)


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


def _files(*folders: str) -> list[Path]:
    return sorted(p for f in folders for p in (ROOT / f).rglob("*.py"))


def _offenders(files, bad) -> list[str]:
    return [f"{p.relative_to(ROOT)}: {n}" for p in files for n in sorted(_imports(p)) if bad(n)]


def _top(name: str) -> str:
    return name.split(".")[0]


def test_models_and_reports_do_not_import_qt_gui_or_cli():
    assert _offenders(_files("models", "reports"), lambda n: _top(n) in (*QT, "gui", "cli", "bench")) == []


def test_models_do_not_import_reports():
    """Dependencies run one way: gui → reports → models; only main.py wires them."""
    assert _offenders(_files("models"), lambda n: _top(n) == "reports") == []


def test_rules_are_pure():
    """models/rules: no SQLAlchemy, no entities, no storage, no services (errors are the one shared type)."""
    allowed = ("models.rules", "models.core.errors")

    def bad(n):
        if _top(n) == "sqlalchemy":
            return True
        return _top(n) == "models" and not any(n == a or n.startswith(a + ".") for a in allowed)
    assert _offenders(_files("models/rules"), bad) == []


def test_gui_writes_no_sql():
    files = _files("gui")

    def bad(n):
        return n == "sqlite3" or n == "sqlalchemy" or n.startswith(("sqlalchemy.sql", "sqlalchemy.engine")) or \
            n in ("sqlalchemy.select", "sqlalchemy.text", "sqlalchemy.insert", "sqlalchemy.update", "sqlalchemy.delete")
    offenders = _offenders(files, bad)
    offenders += [f"{p.relative_to(ROOT)}: {s[:40]!r}" for p in files for s in _strings(p) if SQL_TEXT.match(s)]
    assert offenders == []


def test_the_sql_text_check_can_fail():
    """The check above must see SQL however it is cased (it once looked for lower case in upper-cased text)."""
    for text in ("SELECT id FROM cadre", "select name from unit where id = 1", "  Update cadre set x = 1",
                 "DELETE FROM visit", "insert into task values (1)", "PRAGMA journal_mode"):
        assert SQL_TEXT.match(text), text
    for text in ("选择干部", "Select a file", "更新 cadre", "delete the row?"):
        assert not SQL_TEXT.match(text), text


def test_gui_and_cli_do_not_import_each_other():
    assert _offenders(_files("gui"), lambda n: _top(n) == "cli") == []
    assert _offenders(_files("cli"), lambda n: _top(n) == "gui") == []


def test_only_main_names_bench():
    """bench/ may import everything; nothing imports it, or names it for a later import, but main.py (tests aside)."""
    product = [p for p in _files("models", "gui", "cli", "reports")]
    offenders = _offenders(product, lambda n: _top(n) == "bench")
    offenders += [f"{p.relative_to(ROOT)}: {s!r}" for p in product for s in _strings(p)
                  if re.fullmatch(r"bench(\.\w+)+", s)]
    assert offenders == []
    assert "bench.command" in _strings(ROOT / "main.py")


def test_the_import_checks_see_every_kind_of_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import PySide6.QtCore\nfrom sqlalchemy import select\nimport importlib\n"
                      "def f():\n    from cli import import_cmd\n    importlib.import_module('bench.command')\n",
                      encoding="utf-8")
    assert {"PySide6.QtCore", "sqlalchemy", "sqlalchemy.select", "cli", "cli.import_cmd", "bench.command"} \
        <= _imports(sample)
