"""The history of the unit tree (机构改革): renames, moves, merges and withdrawals with their dates and reasons.

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "unit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=True),
        sa.Column("old_name", sa.String(length=200), nullable=True),
        sa.Column("new_name", sa.String(length=200), nullable=True),
        sa.Column("old_parent_id", sa.Integer(), nullable=True),
        sa.Column("new_parent_id", sa.Integer(), nullable=True),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("cadres_moved", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name="fk_unit_event_unit_id_unit"),
        sa.PrimaryKeyConstraint("id", name="pk_unit_event"),
    )
    with op.batch_alter_table("unit_event", schema=None) as batch_op:
        batch_op.create_index("ix_unit_event_unit_id", ["unit_id"], unique=False)
        batch_op.create_index("ix_unit_event_merged_into_id", ["merged_into_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("unit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_unit_event_merged_into_id")
        batch_op.drop_index("ix_unit_event_unit_id")
    op.drop_table("unit_event")
