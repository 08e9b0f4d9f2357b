"""`python main.py pdf DOCUMENT ID --db X --user U --out FILE.pdf` — one document of one record, as a PDF file.

DOCUMENTS is the registry: document name → "module:function". A document module adds its own line; its
loader has the signature

    def load_for_pdf(session, actor, record_id: int, today: datetime.date) -> reports.document.DocumentPdf

and raises models.core.errors.NotFoundError when there is no record with that ID (→ exit 2 with its message).
The command writes the file and the export into the audit log in one transaction.
"""
from __future__ import annotations

import argparse
import importlib
from datetime import date
from pathlib import Path

from cli.accounts import add_account_arguments, login_from_args
from models.core.errors import AppError

NAME = "pdf"
HELP = "生成一份文书的 PDF：clarification 澄清正名说明、visit 回访教育记录表、assessment 影响期满考核表"

DOCUMENTS: dict[str, str] = {
    "clarification": "reports.clarification_notice:load_for_pdf",  # 澄清正名说明 (clarification ID)
    "visit": "reports.visit_record:load_for_pdf",  # 回访教育记录表 (visit ID)
    "assessment": "reports.assessment_form:load_for_pdf",  # 影响期满考核表 (assessment ID)
}

LABELS = {"clarification": "澄清正名说明", "visit": "回访教育记录表", "assessment": "影响期满考核表"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_account_arguments(parser)
    parser.add_argument("document", metavar="DOCUMENT", help="文书种类：" + "、".join(DOCUMENTS))
    parser.add_argument("record_id", metavar="ID", help="记录编号（数字）")
    parser.add_argument("--out", required=True, metavar="FILE.pdf", help="保存的 PDF 文件")


def resolve_loader(document: str):
    """The loader function of a document name; AppError for an unknown or not yet available document."""
    spec = DOCUMENTS.get(document)
    if spec is None:
        known = "、".join(f"{k}（{LABELS.get(k, k)}）" for k in DOCUMENTS)
        raise AppError(f"不认识的文书种类“{document}”。可以生成的文书有：{known}。")
    module_name, _, func_name = spec.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):
            raise AppError(f"本版本还不能生成“{LABELS.get(document, document)}”（{module_name} 尚未提供）。") from None
        raise
    loader = getattr(module, func_name, None)
    if loader is None:
        raise AppError(f"本版本还不能生成“{LABELS.get(document, document)}”（{spec} 尚未提供）。")
    return loader


def parse_id(text: str) -> int:
    try:
        value = int(str(text).strip())
    except ValueError:
        raise AppError(f"记录编号“{text}”不是数字。请给出记录的编号，如 12。") from None
    if value <= 0:
        raise AppError(f"记录编号应为正整数，收到的是 {value}。")
    return value


def run(args: argparse.Namespace) -> int:
    from models.core.db import open_database
    from models.services.document_log import record_export
    from reports.document import DocumentPdf
    from reports.output import write_bytes

    loader = resolve_loader(args.document)
    record_id = parse_id(args.record_id)
    out = Path(args.out)
    if out.suffix.lower() != ".pdf":
        raise AppError(f"输出文件“{out}”应以 .pdf 结尾。")
    db = open_database(args.db)
    try:
        actor = login_from_args(args, db, require="print")
        with db.session() as s:
            result = loader(s, actor, record_id, date.today())
            if isinstance(result, (bytes, bytearray)):
                result = DocumentPdf(bytes(result), LABELS.get(args.document, args.document))
            record_export(s, actor, args.document, title=result.title, subject_id=record_id,
                          cadre_id=result.cadre_id, path=str(out.resolve()))
            write_bytes(result.data, out)  # a failed write rolls the audit entry back
    finally:
        db.dispose()
    print(f"已生成：{out}")
    return 0
