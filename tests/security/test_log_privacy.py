"""No name, ID number, phone number or password in the log or in an error line: hostile inputs are run through
the program (in process and as commands), then the log file is searched for every secret they carried."""
from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

import main
from models.core.logs import RedactingFormatter, log_file_path, redact
from models.reference.id_number import generate

ROOT = Path(__file__).resolve().parents[2]
NAME = "欧阳娜娜"
NUMBER = generate(__import__("datetime").date(1986, 7, 9), "女", seq=3)
PHONE = "13912345678"
PASSWORD = "S3cret-pw-Zz9"
SECRETS = (NAME, NUMBER, PHONE, PASSWORD)


def _assert_clean(text: str):
    for secret in SECRETS:
        assert secret not in text, secret


def test_redact_removes_every_kind_of_secret():
    text = redact(f"干部“{NAME}”身份证号 {NUMBER} 电话 {PHONE} postgresql://u:{PASSWORD}@h/db password={PASSWORD}")
    _assert_clean(text)
    assert "[ID-NUMBER]" in text and "[PHONE]" in text and "u:***@h" in text


def test_an_sql_error_with_the_row_values_is_logged_without_them(db, tmp_path):
    from sqlalchemy import text

    handler = logging.FileHandler(tmp_path / "x.log", encoding="utf-8")
    handler.setFormatter(RedactingFormatter("%(levelname)s %(message)s"))
    log = logging.getLogger("privacy-test")
    log.addHandler(handler)
    try:
        with pytest.raises(Exception) as err:
            with db.engine.begin() as conn:
                for _ in range(2):
                    conn.execute(text("insert into cadre (name, name_pinyin, name_initials, id_number, is_party_member,"
                                      " is_grassroots, status, version) values (:n, 'x', 'x', :i, false, false, '在职', 1)"),
                                 {"n": NAME, "i": NUMBER})
        assert NUMBER in str(err.value)  # the raw error carries the row …
        log.error("unexpected error", exc_info=(err.type, err.value, err.value.__traceback__))
    finally:
        log.removeHandler(handler)
        handler.close()
    written = (tmp_path / "x.log").read_text(encoding="utf-8")
    assert "IntegrityError" in written and "Traceback" in written  # … the log keeps what helps to debug
    _assert_clean(written)


def test_hostile_inputs_leave_no_secret_in_the_log_or_the_error_lines(db, db_path, tmp_path, capsys, monkeypatch,
                                                                      cli_account):
    from cli import export_cmd
    from tests.exchange.files import write_xlsx

    user = cli_account(db)
    log_before = log_file_path().read_text(encoding="utf-8") if log_file_path().exists() else ""
    errors = []

    def boom(session, actor, args):  # an unexpected fault whose message carries personal data
        raise RuntimeError(f"row for {NAME} {NUMBER} tel {PHONE}")

    monkeypatch.setitem(export_cmd.EXPORTERS, "boom", boom)
    assert main.main(["export", "boom", "--db", str(db_path), *user, "--out", str(tmp_path / "a.xlsx")]) == 1
    errors.append(capsys.readouterr().err)
    ledger = write_xlsx(tmp_path / "台账.xlsx", ["序号", "姓名", "身份证号", "工作单位", "联系电话"],
                        [[1, NAME, NUMBER[:-1] + "Q", "=HYPERLINK(\"x\")", PHONE], [2, NAME, NUMBER + "1", "某局", PHONE]])
    main.main(["import", "cadres", str(ledger), "--db", str(db_path), *user])
    capsys.readouterr()
    monkeypatch.setenv("CADRECARE_PASSWORD", PASSWORD)  # a wrong password for the account
    assert main.main(["audit", "verify", "--db", str(db_path), *user]) == 2
    errors.append(capsys.readouterr().err)
    for url in (f"postgresql+psycopg://admin:{PASSWORD}@127.0.0.1:1/cadres",
                f"postgresql+psycopg://admin:{PASSWORD}@127.0.0.1:notaport/cadres"):
        proc = subprocess.run([sys.executable, str(ROOT / "main.py"), "audit", "verify", "--db", url, "--user", "x"],
                              capture_output=True, text=True, timeout=120,
                              env={**os.environ, "CADRECARE_DATA_DIR": str(log_file_path().parent.parent)})
        assert proc.returncode in (1, 2) and "Traceback" not in proc.stderr
        errors.append(proc.stderr)
    for line in errors:
        _assert_clean(line)
    written = log_file_path().read_text(encoding="utf-8")[len(log_before):]
    assert "RuntimeError" in written  # the fault itself is in the log …
    _assert_clean(written)  # … without the personal data it carried
