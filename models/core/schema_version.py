"""The schema revisions: ours, read from the migration files without importing alembic, and a database's own."""
from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect

from models.core.paths import PROJECT_ROOT

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = PROJECT_ROOT / "migrations"


def alembic_config() -> Config:
    from alembic.config import Config  # alembic is imported only when a migration runs (start-up time)

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


_REV = re.compile(r"^(down_revision|revision)\s*=\s*['\"]?([\w]+|None)['\"]?", re.M)


@functools.lru_cache(maxsize=1)
def known_revisions() -> tuple[frozenset[str], str]:
    """(every revision, the head) read from the migration files themselves, without importing alembic."""
    revisions, parents = set(), set()
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        fields = dict((k, v) for k, v in _REV.findall(script.read_text(encoding="utf-8")))
        if "revision" in fields:
            revisions.add(fields["revision"])
            if fields.get("down_revision") not in (None, "None"):
                parents.add(fields["down_revision"])
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"migrations must have exactly one head, found {sorted(heads)}")
    return frozenset(revisions), heads.pop()


def head_revision() -> str:
    return known_revisions()[1]


def current_revision(engine: Engine) -> str | None:
    """The schema revision stored in the database (alembic_version), None for an empty database."""
    with engine.connect() as conn:
        if "alembic_version" not in inspect(conn).get_table_names():
            return None
        return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
