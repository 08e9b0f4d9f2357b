"""The handling register opens on 50,000 records without scanning them: live records newest first from an index.

Revision ID: 0005
Revises: 0004
"""
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_handling_register", "handling", ["withdrawn_at", "effective_on"])


def downgrade() -> None:
    op.drop_index("ix_handling_register", table_name="handling")
