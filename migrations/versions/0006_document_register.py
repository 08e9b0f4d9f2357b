"""The 发文登记: numbers run per 机关代字 and year (no two documents share a number text), each row names its
document, record and cadre, and a voided number stays with its reason.

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("document_number", schema=None) as batch_op:
        batch_op.add_column(sa.Column("code", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("title", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("cadre_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("voided_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("voided_by", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("void_reason", sa.Text(), nullable=True))
    conn = op.get_bind()
    table = sa.table("document_number", sa.column("id", sa.Integer), sa.column("text", sa.String),
                     sa.column("code", sa.String), sa.column("year", sa.Integer), sa.column("seq", sa.Integer),
                     sa.column("voided_at", sa.DateTime), sa.column("void_reason", sa.Text))
    seen: set[tuple[str, int, int]] = set()
    for row in conn.execute(sa.select(table.c.id, table.c.text, table.c.year, table.c.seq).order_by(table.c.id)).all():
        code = (row.text or "").split("〔", 1)[0] or "?"
        values: dict = {"code": code}
        if (code, row.year, row.seq) in seen:
            # two kinds numbered apart under one 机关代字 gave one text twice: the later one is kept, marked
            values = {"code": f"{code}（重复{row.id}）"[:20], "voided_at": sa.func.current_timestamp(),
                      "void_reason": "升级时发现与另一文书文号重复（旧版本按文书种类分别编号）"}
        seen.add((code, row.year, row.seq))
        conn.execute(table.update().where(table.c.id == row.id).values(**values))
    with op.batch_alter_table("document_number", schema=None) as batch_op:
        batch_op.alter_column("code", existing_type=sa.String(length=20), nullable=False)
        batch_op.drop_constraint("uq_document_number_kind_year_seq", type_="unique")
        batch_op.create_unique_constraint("uq_document_number_code_year_seq", ["code", "year", "seq"])
        batch_op.create_index("ix_document_number_subject", ["subject_type", "subject_id", "kind"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("document_number", schema=None) as batch_op:
        batch_op.drop_index("ix_document_number_subject")
        batch_op.drop_constraint("uq_document_number_code_year_seq", type_="unique")
        batch_op.create_unique_constraint("uq_document_number_kind_year_seq", ["kind", "year", "seq"])
        batch_op.drop_column("void_reason")
        batch_op.drop_column("voided_by")
        batch_op.drop_column("voided_at")
        batch_op.drop_column("cadre_id")
        batch_op.drop_column("title")
        batch_op.drop_column("code")
