"""工作台 lists at a million cadres (issue 21): 期满待考核, 澄清正名待办 and 待办事项 read only their candidates.

Revision ID: 0013
Revises: 0012

- ix_cadre_unassessed: the cadres not assessed since their off date (partial index), so that 期满待考核 reads
  them instead of every cadre whose off date is in the window (at a million cadres 18,000 of 66,000);
- clarification.outcome_on: the accusation's outcome date, copied here and from now on by set_outcome, and
  ix_clarification_waiting, the waiting clarifications in that order (replacing ix_clarification_open): the list's
  page no longer joins every waiting clarification to its accusation to sort them;
- ix_task_open: the open tasks in due order, so that 待办事项 counts and pages them without the done ones.

ALTER TABLE ADD COLUMN, not a batch rebuild (see 0012). The SQL is written out here: a migration must not depend on
today's models.
"""
from alembic import op
import sqlalchemy as sa

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

UNASSESSED = "withdrawn_at IS NULL AND (assessed_on IS NULL OR assessed_on < off_date)"
OPEN_CLARIFICATION = "withdrawn_at IS NULL AND status NOT IN ('done', 'declined', 'cancelled')"
OPEN_TASK = "done_on IS NULL AND withdrawn_at IS NULL"


def _partial(name: str, table: str, columns: list[str], where: str) -> None:
    op.create_index(name, table, columns, sqlite_where=sa.text(where), postgresql_where=sa.text(where))


def upgrade() -> None:
    op.add_column("clarification", sa.Column("outcome_on", sa.Date(), nullable=True))
    op.execute("UPDATE clarification SET outcome_on = (SELECT a.outcome_on FROM accusation AS a"
               " WHERE a.id = clarification.accusation_id)")
    op.drop_index("ix_clarification_open", table_name="clarification")
    _partial("ix_clarification_waiting", "clarification", ["outcome_on", "id", "cadre_id", "status", "withdrawn_at"],
             OPEN_CLARIFICATION)
    _partial("ix_cadre_unassessed", "cadre", ["off_date", "withdrawn_at", "status", "assessed_on", "name", "unit_id"],
             UNASSESSED)
    _partial("ix_task_open", "task", ["due_on", "id"], OPEN_TASK)
    bind = op.get_bind()
    if bind.dialect.name == "sqlite" and bind.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'").first() is not None:
        for name in ("ix_clarification_waiting", "ix_cadre_unassessed", "ix_task_open"):  # statistics as for the other indexes
            op.execute(f"ANALYZE {name}")


def downgrade() -> None:
    op.drop_index("ix_task_open", table_name="task")
    op.drop_index("ix_cadre_unassessed", table_name="cadre")
    op.drop_index("ix_clarification_waiting", table_name="clarification")
    _partial("ix_clarification_open", "clarification", ["accusation_id", "id", "cadre_id", "status", "withdrawn_at"],
             OPEN_CLARIFICATION)
    op.execute("ALTER TABLE clarification DROP COLUMN outcome_on")  # SQLite 3.35+; no batch rebuild
