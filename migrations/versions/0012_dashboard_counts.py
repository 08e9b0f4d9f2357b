"""工作台 counts at a million cadres (issue 21): each count reads the records it counts, not every record.

Revision ID: 0012
Revises: 0011

- cadre.assessed_on: the latest live 影响期满考核 (models/derived/assessment_summary.py keeps it), filled here; the
  index ix_cadre_off_live gains it, so 期满待考核 tests "assessed since the off date" in the index instead of probing
  the assessments once per candidate (66,000 candidates: 120 ms);
- ix_visit_plan_status_from: 回访到期 counts the open windows as a range of due_from;
- ix_inquiry_open, ix_clarification_open: partial indexes of the unanswered 函询 and the waiting 澄清正名;
- ix_cadre_commended_urgent / _double: 优先考虑使用's 急难险重 and 双胜利 parts read from only the cadres that have
  such a commendation (a part with no members read the whole window: 50 → 5 ms for the first page).

ALTER TABLE ADD COLUMN, not a batch rebuild: rebuilding cadre would drop the search index's triggers (0010).
The SQL is written out here on purpose: a migration must not depend on today's models.
"""
from alembic import op
import sqlalchemy as sa

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

OPEN_INQUIRY = "replied_on IS NULL AND withdrawn_at IS NULL"
OPEN_CLARIFICATION = "withdrawn_at IS NULL AND status NOT IN ('done', 'declined', 'cancelled')"
COMMENDED = ["commended_on", "withdrawn_at", "status", "off_date", "urgent_commended_on", "double_victory_on",
             "name_pinyin"]
NEW_INDEXES = ("ix_cadre_off_live", "ix_visit_plan_status_from", "ix_inquiry_open", "ix_clarification_open",
               "ix_cadre_commended_urgent", "ix_cadre_commended_double")


def _partial(name: str, table: str, columns: list[str], where: str) -> None:
    op.create_index(name, table, columns, sqlite_where=sa.text(where), postgresql_where=sa.text(where))


def upgrade() -> None:
    op.add_column("cadre", sa.Column("assessed_on", sa.Date(), nullable=True))
    op.execute("UPDATE cadre SET assessed_on = (SELECT max(a.assessed_on) FROM expiry_assessment AS a"
               " WHERE a.cadre_id = cadre.id AND a.withdrawn_at IS NULL)"
               " WHERE id IN (SELECT cadre_id FROM expiry_assessment)")
    op.drop_index("ix_cadre_off_live", table_name="cadre")
    op.create_index("ix_cadre_off_live", "cadre",
                    ["off_date", "withdrawn_at", "status", "assessed_on", "name", "unit_id", "id_number"])
    op.create_index("ix_visit_plan_status_from", "visit_plan", ["status", "due_from", "due_by"])
    _partial("ix_inquiry_open", "inquiry", ["due_on", "id", "cadre_id", "replied_on", "withdrawn_at"], OPEN_INQUIRY)
    _partial("ix_clarification_open", "clarification", ["accusation_id", "id", "cadre_id", "status", "withdrawn_at"],
             OPEN_CLARIFICATION)
    _partial("ix_cadre_commended_urgent", "cadre", COMMENDED, "urgent_commended_on IS NOT NULL")
    _partial("ix_cadre_commended_double", "cadre", COMMENDED, "double_victory_on IS NOT NULL")
    bind = op.get_bind()
    if bind.dialect.name == "sqlite" and bind.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'").first() is not None:
        for name in NEW_INDEXES:  # the planner's statistics cover the new indexes as they do the others
            op.execute(f"ANALYZE {name}")


def downgrade() -> None:
    op.drop_index("ix_cadre_commended_double", table_name="cadre")
    op.drop_index("ix_cadre_commended_urgent", table_name="cadre")
    op.drop_index("ix_clarification_open", table_name="clarification")
    op.drop_index("ix_inquiry_open", table_name="inquiry")
    op.drop_index("ix_visit_plan_status_from", table_name="visit_plan")
    op.drop_index("ix_cadre_off_live", table_name="cadre")
    op.create_index("ix_cadre_off_live", "cadre", ["off_date", "withdrawn_at", "status", "name", "unit_id", "id_number"])
    op.execute("ALTER TABLE cadre DROP COLUMN assessed_on")  # SQLite 3.35+; no batch rebuild (see above)
