"""The demo database: realistic, deterministic, every regime and kind, derived dates from the engine."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models.core.actor import CLI_ACTOR
from models.demo import build_demo, vocab
from models.entities import (
    Accusation, AuditEvent, Cadre, Clarification, Commendation, Handling, Inquiry, Restriction, Review, Unit, Visit,
)
from models.reference import id_number
from models.services import accusations
from models.core.errors import ValidationError
from models.rules.engine import evaluate

TODAY = date(2026, 11, 25)
ROOT = Path(__file__).resolve().parents[2]


def _fingerprint(db) -> list:
    with db.session() as s:
        return s.execute(select(Cadre.name, Cadre.id_number, Cadre.off_date).order_by(Cadre.id)).all()


def test_demo_is_realistic_and_consistent(db):
    summary = build_demo(db, cadres=600, seed=7, today=TODAY, actor=CLI_ACTOR)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Cadre)) == 600 == summary.cadres
        assert s.scalar(select(func.count()).select_from(Unit)) > 100
        names = s.scalars(select(Cadre.name)).all()
        assert all(2 <= len(n) <= 4 and all("\u4e00" <= ch <= "\u9fff" or ch == "〇" for ch in n) for n in names)
        assert all(id_number.is_valid(n) for n in s.scalars(select(Cadre.id_number)))
        regimes = set(s.scalars(select(Handling.regime).distinct()))
        assert regimes == {"party", "gov", "inst", "org", "admonish"}
        assert s.scalar(select(func.count()).select_from(Handling)) == 300
        assert s.scalar(select(func.count()).where(Handling.probation_extended.is_(True)).select_from(Handling)) >= 0
        assert s.scalar(select(func.count()).select_from(Review)) >= 1
        for model in (Commendation, Visit, Accusation, Inquiry, Clarification):
            assert s.scalar(select(func.count()).select_from(model)) > 0, model.__name__
        assert s.scalar(select(func.count()).where(Accusation.reporter_name.is_not(None)).select_from(Accusation)) > 0
        # the demo's 问题类别 are the ones the registration dialog offers and the 函询 guard compares
        offered = accusations.categories(s)
        assert set(s.scalars(select(Accusation.category).distinct())) <= set(offered)
        assert set(vocab.ACCUSATION_TEXTS) == set(offered)
        # derived dates equal what the engine computes for that cadre's records alone
        cadre_id = s.scalar(select(Handling.cadre_id).where(Handling.status == "in_force").limit(1))
        rows = s.scalars(select(Handling).where(Handling.cadre_id == cadre_id)).all()
        from models.derived.restrictions import to_record_inputs

        expected = evaluate(to_record_inputs(rows))
        cadre = s.get(Cadre, cadre_id)
        assert cadre.off_date == expected.off_date
        stored = sorted((r.kind, r.last_day) for r in s.scalars(select(Restriction).where(Restriction.cadre_id == cadre_id)))
        computed = sorted((x.kind, x.last_day) for rr in expected.records for x in rr.restrictions)
        assert stored == computed
        assert s.scalar(select(func.count()).select_from(AuditEvent)) == 1


def test_same_seed_same_data(tmp_path):
    from models.core.db import open_database

    dbs = [open_database(tmp_path / f"d{i}.sqlite3") for i in range(3)]
    for d, seed in zip(dbs, (3, 3, 4)):
        build_demo(d, cadres=200, seed=seed, today=TODAY, actor=CLI_ACTOR)
    a, b, c = (_fingerprint(d) for d in dbs)
    assert a == b and a != c
    for d in dbs:
        d.dispose()


def test_demo_refuses_a_database_with_data(db):
    build_demo(db, cadres=20, seed=1, today=TODAY, actor=CLI_ACTOR)
    with pytest.raises(ValidationError, match="已有干部数据"):
        build_demo(db, cadres=20, seed=1, today=TODAY, actor=CLI_ACTOR)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Cadre)) == 20


def test_demo_command(tmp_path):
    out = tmp_path / "demo.sqlite3"
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), "demo", "--db", str(out), "--cadres", "50", "--seed", "2"],
                          capture_output=True, text=True, env={**os.environ, "CADRECARE_DATA_DIR": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr
    assert "干部 50 名" in proc.stdout
    from models.core import settings_store
    from models.core.db import open_database

    made = open_database(out)
    try:
        with made.session() as s:  # no first-run wizard on a database made to try the program on
            assert settings_store.get(s, "app.first_run_done") is True
    finally:
        made.dispose()
    again = subprocess.run([sys.executable, str(ROOT / "main.py"), "demo", "--db", str(out)],
                           capture_output=True, text=True, env={**os.environ, "CADRECARE_DATA_DIR": str(tmp_path)})
    assert again.returncode == 2 and "已有干部数据" in again.stderr and "Traceback" not in again.stderr
