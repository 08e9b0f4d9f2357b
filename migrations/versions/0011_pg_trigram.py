"""Fragment search without a scan on PostgreSQL (issue 21): pg_trgm GIN indexes on the searched cadre columns.

SQLite has the FTS5 index of 0010. On PostgreSQL the search's own `LIKE '%…%'` conditions (models/core/sql_match.py)
are what a pg_trgm GIN index serves, so no query changes: the planner uses the index for fragments of 3+ characters.
pg_trgm is a trusted extension (PostgreSQL 13+), so the database owner may create it; where it is not installed or
not allowed, the migration leaves the search as it was (the conditions are the same, only slower) rather than fail
an upgrade. The indexes are outside the models on purpose (SQLite must not get them); the schema comparison skips them.

Revision ID: 0011
Revises: 0010
"""
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

COLUMNS = ("name", "name_pinyin", "name_initials", "id_number")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    if bind.exec_driver_sql("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'").first() is None:
        return
    try:
        with bind.begin_nested():  # a refused CREATE EXTENSION must not abort the upgrade's transaction
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception:  # no privilege: the search keeps its plain conditions
        return
    for col in COLUMNS:
        bind.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS ix_cadre_trgm_{col} ON cadre USING gin ({col} gin_trgm_ops)")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for col in COLUMNS:
        bind.exec_driver_sql(f"DROP INDEX IF EXISTS ix_cadre_trgm_{col}")
