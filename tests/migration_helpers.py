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
