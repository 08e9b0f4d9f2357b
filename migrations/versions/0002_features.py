"""Schema additions made after the first revision, one section per feature area.

Revision ID: 0002
Revises: 0001

Each feature adds its own operations inside its section (add_column, create_table, create_index …),
with `batch_alter_table` for SQLite. tests/models/test_migrations.py fails when models and migrations differ.
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # --- cadres & commendations ---
    # --- handling, dashboard, assessments ---
    # --- documents ---
    # --- visits ---
    # --- accusations, inquiries, clarifications ---
    # --- trust: accounts, audit, backups ---
    pass


def downgrade() -> None:
    pass
