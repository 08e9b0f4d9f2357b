"""A SQLite file at an older schema revision, for the tests of upgrades and restores."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine


def database_at(path: Path, revision: str) -> Engine:
    """Create `path` migrated up to `revision` (not to head); returns its engine for filling in old-style rows."""
    from alembic import command

    from models.core.db import alembic_config, make_engine

    engine = make_engine(f"sqlite:///{path}")
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    return engine


def insert_cadres(conn, rows, pinyin: str = "", initials: str = "") -> None:
    """Minimal cadre rows (id, name, ID number) written with plain SQL, valid at every schema revision since 0001."""
    for cid, name, number in rows:
        conn.exec_driver_sql(
            "insert into cadre(id, name, name_pinyin, name_initials, id_number, is_party_member, is_grassroots,"
            " status, version) values (?, ?, ?, ?, ?, 0, 0, '在职', 1)", (cid, name, pinyin, initials, number))
