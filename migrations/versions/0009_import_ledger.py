"""The import ledger (every import with its file, account, mapping, counts, report and the records it touched)
and remembered column mappings.

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_batch",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("file_name", sa.String(260), nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("account", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("sheet", sa.String(100)),
        sa.Column("mapping", sa.JSON),
        sa.Column("counts", sa.JSON, nullable=False),
        sa.Column("report", sa.JSON),
        sa.Column("withdrawn_at", sa.DateTime),
        sa.Column("withdrawn_by", sa.String(64)),
        sa.Column("withdrawn_reason", sa.Text),
    )
    op.create_index("ix_import_batch_file_sha256", "import_batch", ["file_sha256"])
    op.create_index("ix_import_batch_at", "import_batch", ["at"])
    op.create_table(
        "import_item",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("import_batch.id"), nullable=False),
        sa.Column("entity", sa.String(20), nullable=False),
        sa.Column("record_id", sa.Integer, nullable=False),
        sa.Column("action", sa.String(10), nullable=False),
        sa.Column("before", sa.JSON),
        sa.Column("version", sa.Integer),
    )
    op.create_index("ix_import_item_batch_id", "import_item", ["batch_id"])
    op.create_index("ix_import_item_record", "import_item", ["entity", "record_id"])
    op.create_table(
        "import_mapping",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("signature", sa.String(16), nullable=False),
        sa.Column("name", sa.String(60)),
        sa.Column("mapping", sa.JSON, nullable=False),
        sa.Column("headers", sa.JSON),
        sa.Column("saved_by", sa.String(64), nullable=False),
        sa.Column("saved_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("kind", "signature", name="uq_import_mapping_kind_signature"),
    )
    op.create_index("ix_import_mapping_name", "import_mapping", ["name"])


def downgrade() -> None:
    op.drop_table("import_mapping")
    op.drop_table("import_item")
    op.drop_table("import_batch")
