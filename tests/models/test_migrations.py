"""The migrations produce exactly the schema the models describe (no drift)."""
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from models.entities import Base


def test_models_and_migrations_agree(db):
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diffs = compare_metadata(ctx, Base.metadata)
    assert diffs == []


def test_revisions_read_without_alembic_match_alembic():
    from alembic.script import ScriptDirectory

    from models.core.db import alembic_config, known_revisions

    script = ScriptDirectory.from_config(alembic_config())
    revisions, head = known_revisions()
    assert head == script.get_current_head()
    assert revisions == {r.revision for r in script.walk_revisions()}


def test_statistics_are_created_when_missing(db):
    import pytest

    from models.core.db import refresh_statistics

    if not db.is_sqlite:
        pytest.skip("SQLite planner statistics")
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS sqlite_stat1")
    refresh_statistics(db.engine)
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE name='sqlite_stat1'").scalar() == 1
