"""models/ and reports/ never import Qt (design §2); gui/ never builds SQL itself."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_models_and_reports_do_not_import_qt():
    offenders = []
    for folder in ("models", "reports"):
        for path in (ROOT / folder).rglob("*.py"):
            if any(n.split(".")[0] in ("PySide6", "shiboken6", "gui") for n in _imports(path)):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_models_do_not_import_reports_or_cli():
    """Dependencies run one way: gui → reports → models; only main.py wires them."""
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "models").rglob("*.py")
                 if any(n.split(".")[0] in ("reports", "cli") for n in _imports(p))]
    assert offenders == []


def test_gui_does_not_use_sql_directly():
    offenders = []
    for path in (ROOT / "gui").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        names = _imports(path)
        if "sqlite3" in names or any(n == "sqlalchemy" or n.startswith("sqlalchemy.sql") for n in names) or "text(\"SELECT" in text.upper():
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
