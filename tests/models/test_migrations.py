"""The migrations produce exactly the schema the models describe (no drift)."""
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from models.entities import Base


def _described(name, type_, _parent):
    """Everything but the fragment indexes of the search (an FTS5 table and its shadow tables on SQLite, pg_trgm
    indexes on PostgreSQL)."""
    from models.services.search_index import is_index_table, is_trigram_index

    if type_ == "index" and is_trigram_index(name or ""):
        return False
    return not (type_ == "table" and is_index_table(name or ""))


def test_models_and_migrations_agree(db):
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": _described})
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


def test_search_index_is_kept_by_triggers_after_every_migration(db):
    """A later migration that rebuilds the cadre table (Alembic batch mode on SQLite) would drop the triggers that
    keep the search index: new cadres would then be missing from search without any error."""
    import pytest

    if not db.is_sqlite:
        pytest.skip("the fragment index is SQLite's")
    with db.engine.connect() as conn:
        names = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='trigger'")}
    assert {"cadre_search_ai", "cadre_search_ad", "cadre_search_au"} <= names
