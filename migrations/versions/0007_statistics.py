"""Statistics (issue 20): the 函询 guard's refusals are kept, the kind of actual use after an expiry assessment, and
covering indexes for the aggregates of a period.

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "guard_refusal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("accusation_id", sa.Integer(), nullable=False),
        sa.Column("cadre_id", sa.Integer(), nullable=False),
        sa.Column("first_on", sa.Date(), nullable=False),
        sa.Column("last_on", sa.Date(), nullable=False),
        sa.Column("problems", sa.Text(), nullable=False),
        sa.Column("checked_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["accusation_id"], ["accusation.id"], name=op.f("fk_guard_refusal_accusation_id_accusation")),
        sa.ForeignKeyConstraint(["cadre_id"], ["cadre.id"], name=op.f("fk_guard_refusal_cadre_id_cadre")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guard_refusal")),
    )
    op.create_index("uq_guard_refusal_pair", "guard_refusal", ["accusation_id", "cadre_id"], unique=True)
    op.create_index(op.f("ix_guard_refusal_cadre_id"), "guard_refusal", ["cadre_id"], unique=False)
    op.create_index(op.f("ix_guard_refusal_first_on"), "guard_refusal", ["first_on"], unique=False)
    with op.batch_alter_table("expiry_assessment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("use_kind", sa.String(length=20), nullable=True))
    # the aggregates of a period read these indexes instead of the wide rows
    op.create_index("ix_cadre_unit_live", "cadre", ["id", "withdrawn_at", "unit_id"])
    op.create_index("ix_handling_stats", "handling",
                    ["withdrawn_at", "effective_on", "cadre_id", "regime", "kind", "status", "organ"])
    op.create_index("ix_visit_plan_stats", "visit_plan", ["status", "due_by", "cadre_id", "visit_id"])
    op.create_index("ix_visit_done_on", "visit", ["id", "visited_on"])
    op.create_index("ix_restriction_cadre_span", "restriction", ["cadre_id", "kind", "start", "off_date"])
    op.create_index("ix_expiry_assessment_stats", "expiry_assessment",
                    ["assessed_on", "withdrawn_at", "cadre_id", "outcome", "recommendation", "used_on", "use_kind"])


def downgrade() -> None:
    for name, table in (("ix_expiry_assessment_stats", "expiry_assessment"), ("ix_restriction_cadre_span", "restriction"),
                        ("ix_visit_done_on", "visit"), ("ix_visit_plan_stats", "visit_plan")):
        op.drop_index(name, table_name=table)
    op.drop_index("ix_handling_stats", table_name="handling")
    op.drop_index("ix_cadre_unit_live", table_name="cadre")
    with op.batch_alter_table("expiry_assessment", schema=None) as batch_op:
        batch_op.drop_column("use_kind")
    op.drop_index(op.f("ix_guard_refusal_first_on"), table_name="guard_refusal")
    op.drop_index(op.f("ix_guard_refusal_cadre_id"), table_name="guard_refusal")
    op.drop_index("uq_guard_refusal_pair", table_name="guard_refusal")
    op.drop_table("guard_refusal")
