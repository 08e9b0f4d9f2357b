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
    # search as you type over 100,000 cadres: a narrow covering index scanned instead of the wide rows
    op.create_index("ix_cadre_search", "cadre", [
        "withdrawn_at", "name_pinyin", "id", "name", "name_initials", "id_number", "unit_id", "gender", "birth_date",
        "rank", "identity_category", "status", "off_date", "current_post"])
    # --- handling, dashboard, assessments ---
    # --- documents ---
    # --- visits ---
    with op.batch_alter_table("visit_plan", schema=None) as batch_op:
        batch_op.add_column(sa.Column("code", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("note", sa.Text(), nullable=True))
        batch_op.drop_index("ix_visit_plan_status")
        batch_op.create_index("ix_visit_plan_status_due", ["status", "due_by", "due_from"], unique=False)
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recommendation", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("attachments", sa.Text(), nullable=True))
        batch_op.create_index("ix_visit_live_date", ["withdrawn_at", "visited_on"], unique=False)
    # --- accusations, inquiries, clarifications ---
    # --- trust: accounts, audit, backups ---
    # Shared PostgreSQL: 0001 declares visit_plan.visit_id → visit.id with use_alter, which create_table leaves
    # out on servers that can ALTER (SQLite keeps it inline). Add it there so both schemas match the models.
    if op.get_bind().dialect.name != "sqlite":
        op.create_foreign_key(op.f("fk_visit_plan_visit_id_visit"), "visit_plan", "visit", ["visit_id"], ["id"])
    # --- commendations & assessments (indexes) ---
    # 优先考虑使用: commendations of a date window per cadre from the index alone (models/services/commendations.py)
    op.create_index("ix_commendation_window", "commendation",
                    ["awarded_on", "cadre_id", "withdrawn_at", "revoked_on", "urgent_task", "double_victory"])
    # 期满待考核: the per-cadre "assessed since the off date" test from the index alone (models/services/dashboard.py)
    op.create_index("ix_expiry_assessment_live", "expiry_assessment", ["cadre_id", "withdrawn_at", "assessed_on"])
    pass


def downgrade() -> None:
    pass
