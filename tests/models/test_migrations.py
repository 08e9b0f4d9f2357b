"""The migrations produce exactly the schema the models describe (no drift)."""
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from models.entities import Base


def test_models_and_migrations_agree(db):
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diffs = compare_metadata(ctx, Base.metadata)
    assert diffs == []
