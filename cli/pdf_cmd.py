"""`python main.py pdf DOCUMENT ID --db X --user U --out FILE.pdf|FILE.docx` — one document of one record, as a file.

DOCUMENTS is the registry: document name → "module:function". A document module adds its own line; its
loader has the signature

    def load_for_pdf(session, actor, record_id: int, today: datetime.date, *, issue=True, fmt="pdf")
        -> reports.document.DocumentPdf

(`issue` and `fmt` are optional: a loader without them writes PDF only and numbers nothing) and raises
models.core.errors.NotFoundError when there is no record with that ID (→ exit 2 with its message).

A document written here is issued: a document that carries a 发文字号 takes its number from the 发文登记 (a
reprint keeps it); `--draft` writes it with 〔文号待编〕 instead and takes nothing. The output's extension picks
the format: .pdf (the reference) or .docx (the same document as an editable Word file). The file, the number
and the export entry of the audit log are one transaction.
"""
from __future__ import annotations

import argparse
import importlib
import inspect
from datetime import date
from pathlib import Path

from cli.accounts import add_account_arguments, login_from_args
from models.core.errors import AppError

NAME = "pdf"
HELP = ("生成一份文书（.pdf 或可编辑的 .docx）：clarification 澄清正名说明、circular 澄清正名通报、"
        "visit 回访教育记录表、assessment 影响期满考核表；一个期间的（用 --from/--to）："
        "visits 全部回访教育记录表、roster 影响期人员名单（或 --on 某日）")

DOCUMENTS: dict[str, str] = {
    "clarification": "reports.clarification_notice:load_for_pdf",  # 澄清正名说明 (clarification ID)
    "circular": "reports.clarification_notice:load_circular",  # 澄清正名通报 (clarification ID)
    "visit": "reports.visit_record:load_for_pdf",  # 回访教育记录表 (visit ID)
    "assessment": "reports.assessment_form:load_for_pdf",  # 影响期满考核表 (assessment ID)
}

LABELS = {"clarification": "澄清正名说明", "circular": "澄清正名通报", "visit": "回访教育记录表",
          "assessment": "影响期满考核表"}
# documents of a period rather than of one record: no ID, --from/--to (the roster also --on)
PERIOD_DOCUMENTS: dict[str, str] = {
    "visits": "reports.visit_record:load_period",  # every 回访教育记录表 of a period, one PDF
    "roster": "reports.roster_export:load_period",  # 影响期满名单 (--from/--to) or 影响期内名单 (--on)
}
PERIOD_LABELS = {"visits": "一个期间的全部回访教育记录表", "roster": "影响期人员名单"}
FORMATS = {".pdf": "pdf", ".docx": "docx"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_account_arguments(parser)
    parser.add_argument("document", metavar="DOCUMENT",
                        help="文书种类：" + "、".join(f"{k}（{v}）" for k, v in {**LABELS, **PERIOD_LABELS}.items()))
    parser.add_argument("record_id", metavar="ID", nargs="?",
                        help="记录编号（数字）：澄清正名、回访记录或期满考核的编号（visits、roster 不用编号）")
    parser.add_argument("--from", dest="date_from", metavar="DATE", help="visits、roster：起始日期，如 2026-01-01")
    parser.add_argument("--to", dest="date_to", metavar="DATE", help="visits、roster：截止日期（含当天）")
    parser.add_argument("--on", dest="on", metavar="DATE", help="roster：列出这一天仍处于影响期内的人员")
    parser.add_argument("--out", required=True, metavar="FILE.pdf|FILE.docx",
                        help="保存的文件：.pdf（标准版式）或 .docx（同一版式的可编辑 Word 文件）")
    parser.add_argument("--draft", action="store_true",
                        help="草稿：不编发文字号（文号处显示“〔文号待编〕”），不计入发文登记")


def resolve_loader(document: str):
    """The loader function of a document name; AppError for an unknown document."""
    spec = DOCUMENTS.get(document) or PERIOD_DOCUMENTS.get(document)
    if spec is None:
        known = "、".join(f"{k}（{v}）" for k, v in {**LABELS, **PERIOD_LABELS}.items() if k in DOCUMENTS
                         or k in PERIOD_DOCUMENTS)
        raise AppError(f"不认识的文书种类“{document}”。可以生成的文书有：{known}。")
    module_name, _, func_name = spec.partition(":")
    return getattr(importlib.import_module(module_name), func_name)


def parse_id(text: str) -> int:
    try:
        value = int(str(text).strip())
    except ValueError:
        raise AppError(f"记录编号“{text}”不是数字。请给出记录的编号，如 12。") from None
    if value <= 0:
        raise AppError(f"记录编号应为正整数，收到的是 {value}。")
    return value


def output_format(out: Path) -> str:
    fmt = FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise AppError(f"输出文件“{out}”应以 .pdf 或 .docx 结尾（.docx 为可编辑的 Word 文件）。")
    return fmt


def call_loader(loader, session, actor, record_id: int, today: date, *, issue: bool, fmt: str, label: str):
    """Call a loader with the options it takes; a PDF-only loader asked for .docx is refused."""
    params = inspect.signature(loader).parameters
    kwargs = {}
    if "issue" in params:
        kwargs["issue"] = issue
    if "fmt" in params:
        kwargs["fmt"] = fmt
    elif fmt != "pdf":
        raise AppError(f"“{label}”暂只能生成 PDF。请把输出文件改为 .pdf。")
    return loader(session, actor, record_id, today, **kwargs)


def run(args: argparse.Namespace) -> int:
    from models.core.db import open_database
    from models.services.document_log import record_export
    from reports.document import DocumentPdf
    from reports.output import write_bytes

    loader = resolve_loader(args.document)
    period = args.document in PERIOD_DOCUMENTS
    if period:
        if args.record_id is not None:
            raise AppError(f"“{PERIOD_LABELS[args.document]}”不用记录编号，请用 --from 和 --to 给出期间。")
        record_id = None
    else:
        if args.record_id is None:
            raise AppError(f"请给出{LABELS.get(args.document, args.document)}的记录编号，如 12。")
        record_id = parse_id(args.record_id)
    out = Path(args.out)
    fmt = output_format(out)
    label = LABELS.get(args.document) or PERIOD_LABELS.get(args.document, args.document)
    db = open_database(args.db)
    try:
        actor = login_from_args(args, db, require="print")
        with db.session() as s:
            if period:
                result = loader(s, actor, args.date_from, args.date_to, date.today(), on=args.on, fmt=fmt)
            else:
                result = call_loader(loader, s, actor, record_id, date.today(), issue=not args.draft, fmt=fmt,
                                     label=label)
            if isinstance(result, (bytes, bytearray)):
                result = DocumentPdf(bytes(result), label)
            record_export(s, actor, args.document, title=result.title, subject_id=record_id,
                          cadre_id=result.cadre_id, path=str(out.resolve()))
            write_bytes(result.data, out)  # a failed write rolls the audit entry and the number back
    finally:
        db.dispose()
    print(f"已生成：{out}" + (f"（发文字号 {result.number}）" if result.number else ""))
    return 0
