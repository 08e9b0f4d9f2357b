"""`python main.py pdf DOCUMENT ID --db X --out FILE.pdf`: the registry, exit codes, the file and the audit."""
from __future__ import annotations

import os
import subprocess
import sys
import types
from pathlib import Path

import pytest
from sqlalchemy import select

from models.entities import AuditEvent

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args, tmp_path):
    env = dict(os.environ, CADRECARE_DATA_DIR=str(tmp_path / "data"), PYTHONIOENCODING="utf-8")
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), "pdf", *map(str, args)], cwd=tmp_path, env=env,
                          capture_output=True, timeout=120)
    return proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")


def test_unknown_document_exits_2_with_the_known_ones(tmp_path, db_path):
    code, out, err = run_cli("decision", "1", "--db", db_path, "--out", tmp_path / "x.pdf", tmp_path=tmp_path)
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert "decision" in err and "clarification" in err and "visit" in err
    assert not (tmp_path / "x.pdf").exists()


def test_bad_id_exits_2(tmp_path, db_path):
    code, _out, err = run_cli("clarification", "abc", "--db", db_path, "--out", tmp_path / "x.pdf", tmp_path=tmp_path)
    assert code == 2 and "不是数字" in err


@pytest.fixture
def fake_document(monkeypatch):
    """A registered document module, as another engineer adds one with one line in DOCUMENTS."""
    from cli import pdf_cmd
    from models.core.errors import NotFoundError
    from reports.document import DocumentPdf
    from reports.notice import Notice, build_notice

    module = types.ModuleType("reports.fake_doc")

    def load_for_pdf(session, actor, record_id, today):
        if record_id != 7:
            raise NotFoundError(f"没有编号为 {record_id} 的记录。")
        return DocumentPdf(build_notice(Notice(title="关于对张堃喆同志的说明", body=["特此说明。"])), "关于对张堃喆同志的说明", 3)

    module.load_for_pdf = load_for_pdf
    monkeypatch.setitem(sys.modules, "reports.fake_doc", module)
    monkeypatch.setitem(pdf_cmd.DOCUMENTS, "fake", "reports.fake_doc:load_for_pdf")
    return module


def test_registered_document_is_written_and_audited(fake_document, db_path, tmp_path, capsys, cli_account):
    import main
    from models.core.db import open_database

    out = tmp_path / "说明.pdf"
    assert main.main(["pdf", "fake", "7", "--db", str(db_path), *cli_account(db_path), "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    db = open_database(db_path)
    with db.session() as s:
        ev = s.execute(select(AuditEvent).where(AuditEvent.action == "export")).scalar_one()
    db.dispose()
    assert ev.actor == "cli-admin"  # the account named by --user
    assert ev.entity == "fake" and ev.entity_id == "7" and ev.cadre_id == 3
    assert str(out.resolve()) in ev.summary


def test_unknown_id_exits_2_and_writes_nothing(fake_document, db_path, tmp_path, capsys, cli_account):
    import main

    out = tmp_path / "x.pdf"
    assert main.main(["pdf", "fake", "8", "--db", str(db_path), *cli_account(db_path), "--out", str(out)]) == 2
    assert "没有编号为 8 的记录" in capsys.readouterr().err
    assert not out.exists()


def test_every_advertised_document_exists():
    """Nothing is advertised that is not built: each DOCUMENTS entry names a loader that exists."""
    from cli import pdf_cmd

    for name in pdf_cmd.DOCUMENTS:
        assert callable(pdf_cmd.resolve_loader(name)), name
        assert name in pdf_cmd.LABELS and name in pdf_cmd.HELP
