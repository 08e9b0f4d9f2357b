"""The clarification notice (澄清正名说明) as a GB/T 9704 document, and its 通报 variant for a scope (domain §3.4).

The wording is the editable template resources/templates/clarification_letter.txt (to the person and the unit)
or clarification_circular.txt (通报 within the scope of the adverse influence); this module only fills in:
the person (name, unit by its full name, post), the clarified issues, who verified and when (month), the
conclusion, and the statement that the issues must not affect the person's use and evaluation. It never uses the
accusation's own text, channel or reporter: a finished notice whose text contains the reporter's own data (name
as a whole word, unit, contact) or any phone or ID number, outside the cadre's own name, unit and post, is
refused (ValidationError) rather than printed (models/services/reporter_privacy.py).

Each document has its own 发文字号 from the 发文登记 (models/services/document_numbers.py): the 说明 (kind
"clarification", kept in the clarification's 文号 field too) and the 通报 (kind "clarification_circular"). The
number is taken when the document is issued (`issue=True`: printed, saved as final, or written by `python main.py
pdf`); a preview shows 〔文号待编〕 until then, and a reprint keeps its number. The 通报's 主送机关 is the setting
`documents.circular_addressee`, else the cadre's unit by its full name — never the 澄清范围 text, which the body
names as the scope.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy.orm import Session

from models.core import settings_store
from models.core.actor import Actor
from models.core.errors import PermissionDenied, ValidationError
from models.rules.period_math import cn_date
from models.services import clarifications as clar
from models.services import document_numbers as dn
from models.services import reporter_privacy as rp
from models.services import templates
from models.services.accusations import FALSE_ACCUSATION
from reports.document import DocumentPdf
from reports.document_settings import HEADER_KEYS, PREPRINTED_KEY, header_style, preprinted_top_mm
from reports.fonts import FontSet, load_config, resolve
from reports.notice import Notice, build_notice

VARIANTS = {"letter": "clarification_letter", "circular": "clarification_circular"}
VARIANT_LABELS = {"letter": "澄清正名说明", "circular": "澄清正名通报"}
NUMBER_KINDS = {"letter": "clarification", "circular": "clarification_circular"}  # 发文登记 kinds


@dataclass(frozen=True)
class NoticeInput:
    """Everything a clarification notice may carry (plain values), plus what it must not."""

    clarification_id: int
    cadre_id: int
    variant: str
    organ: str
    header: str
    name: str
    unit: str
    post: str
    verified_by: str
    verified_on: date | None
    issues: str
    conclusion: str
    scope: str
    false_accusation: bool
    doc_number: str
    date: date
    addressee: str = ""  # the 通报's 主送机关
    preprinted_top_mm: float = 100.0
    reporter: rp.Reporter = field(default_factory=rp.Reporter)  # checked against, never printed
    own: tuple[str, ...] = ()  # the cadre's own name, unit, post: not the reporter's data


def _post_only(post: str | None, unit: str | None) -> str:
    """The post without the unit in front (current_post is often 区住建局局长)."""
    post = (post or "").strip()
    if unit and post.startswith(unit):
        post = post[len(unit):]
    return post


def _month(d: date | None) -> str:
    return f"{d.year}年{d.month}月" if d else "近期"


def _number(session: Session, actor: Actor, row, variant: str, year: int, issue: bool, title: str) -> str:
    """The document's 发文字号: taken (or its own one again) when issued, else the one it has, else 〔文号待编〕."""
    kind = NUMBER_KINDS[variant]
    if variant == "letter" and row.doc_number and not dn.is_voided(session, row.doc_number):
        return row.doc_number  # typed when the clarification was done, or issued before: a reprint keeps it
    if not issue:
        found = dn.current(session, kind, "clarification", row.id)
        return found.text if found else dn.NUMBER_PENDING
    if not actor.can("handle_accusations"):
        raise PermissionDenied("只有承办举报和澄清正名的账号才能编发澄清文书的文号。请用有此权限的账号打印或保存。")
    if variant == "letter":
        return clar.allocate_number(session, actor, row.id, year)
    return dn.issue(session, actor, kind, year, subject_type="clarification", subject_id=row.id, title=title,
                    cadre_id=row.cadre_id).text


def notice_input(session: Session, actor: Actor, clarification_id: int, today: date, *,
                 variant: str = "letter", issue: bool = False, allocate: bool | None = None) -> NoticeInput:
    """Read one clarification for its notice (approved or done only). issue=True: the document is being issued
    and gets its number (a reprint its own one); otherwise the notice shows its number or 〔文号待编〕.
    `allocate` is the old name of `issue`."""
    return _read(session, actor, clarification_id, today, variant, issue if allocate is None else allocate)[0]


def _read(session: Session, actor: Actor, clarification_id: int, today: date, variant: str,
          issue: bool) -> tuple[NoticeInput, Notice]:
    actor.require("print")
    if variant not in VARIANTS:
        raise ValidationError(f"澄清文书样式“{variant}”无效，应为 letter（说明）或 circular（通报）。", "variant")
    row = clar.get_clarification(session, actor, clarification_id)
    if row.status not in ("approved", "done"):
        raise ValidationError(f"这条澄清正名{row.status_label}：批准后才能生成澄清文书。", "status")
    if not row.issues_clarified or not row.conclusion:
        raise ValidationError("请先在澄清正名中填写“澄清的问题”和“核查结论”。", "issues_clarified")
    if variant == "circular" and not row.scope:
        raise ValidationError("通报需要写明通报范围。请在澄清正名中填写“澄清范围”。", "scope")
    own = rp.own_words(session, row.cadre_id)
    unit_full = own[3] if len(own) > 3 else ""
    unit = unit_full or row.unit_name or ""
    # every setting the notice uses, in one statement
    saved = settings_store.stored(session, ("documents.circular_addressee", "org.name", PREPRINTED_KEY, *HEADER_KEYS))
    addressee = (str(settings_store.value_of(saved, "documents.circular_addressee", "") or "").strip() or unit
                 or "各有关单位")  # a 通报 always has its 主送机关, also for a cadre without a unit
    data = NoticeInput(
        clarification_id=row.id, cadre_id=row.cadre_id, variant=variant,
        organ=str(settings_store.value_of(saved, "org.name") or ""), header=header_style(session, saved),
        name=row.cadre_name, unit=unit, post=_post_only(_post_only(row.post, row.unit_name), unit),
        verified_by=row.verified_by or "承办部门", verified_on=row.outcome_on,
        issues=row.issues_clarified, conclusion=row.conclusion, scope=row.scope or "",
        false_accusation=row.accusation_outcome == FALSE_ACCUSATION, doc_number="",
        date=row.done_on or today, addressee=addressee, preprinted_top_mm=preprinted_top_mm(session, saved),
        reporter=rp.reporter_of(session, row.accusation_id), own=tuple(own),
    )
    return _numbered(session, actor, row, data, issue)


def _numbered(session: Session, actor: Actor, row, data: NoticeInput, issue: bool) -> tuple[NoticeInput, Notice]:
    """The input and its notice with the number: the notice is checked (no reporter data) before a number is
    taken, and made once (the number is not part of the text the check reads)."""
    notice = make_notice(data)
    number = _number(session, actor, row, data.variant, data.date.year, issue, notice.title)
    return NoticeInput(**{**data.__dict__, "doc_number": number}), replace(notice, doc_number=number)


def _check_clean(texts: list[str], data: NoticeInput) -> None:
    found = rp.find(texts, data.reporter, data.own)
    if found in ("电话号码", "身份证号"):
        raise ValidationError(f"澄清文书中出现了{found}，已停止生成。请删去后再生成。", "issues_clarified")
    if found:
        raise ValidationError("澄清文书中出现了举报人的姓名、单位或联系方式，已停止生成。"
                              "请修改澄清正名中的文字（或文书模板），删去能识别举报人的内容。", "issues_clarified")


def make_notice(data: NoticeInput) -> Notice:
    values = {
        "机关名称": data.organ, "姓名": data.name, "单位": data.unit, "职务": data.post,
        "所在单位": data.unit or "其所在单位",
        "核查部门": data.verified_by, "核查时间": _month(data.verified_on),
        "澄清的问题": data.issues.strip().rstrip("。；;，,.　 "),
        "核查结论": data.conclusion.strip() if data.conclusion.strip().endswith(("。", "！", "”"))
        else data.conclusion.strip() + "。",
        "范围": data.scope, "主送机关": data.addressee, "日期": cn_date(data.date),
    }
    sections = templates.render(VARIANTS[data.variant], values)
    body = [p.strip() for p in sections.get("正文", "").split("\n") if p.strip()]
    extra = sections.get("诬告陷害", "").strip()
    if data.false_accusation and extra:
        # before the closing line (特此说明。/特此通报。)
        at = len(body) - 1 if body and body[-1].startswith("特此") else len(body)
        body.insert(at, extra)
    addressee = sections.get("主送机关", "").strip().replace("\n", "，").strip("，")
    if data.variant == "letter" and not data.unit:
        addressee = f"{data.name}同志"
    notice = Notice(
        title=sections.get("标题", "").strip(), body=body, addressee=addressee,
        signature=sections.get("署名", "").strip() or data.organ, date=data.date, doc_number=data.doc_number,
        header=data.header, org_mark=data.organ, sealed=True, author=data.organ,
        preprinted_top_mm=data.preprinted_top_mm, title_keep=(f"{data.name}同志",),
    )
    _check_clean([notice.title, notice.addressee, *notice.body, notice.signature], data)
    return notice


def build(data: NoticeInput, fonts: FontSet | None = None) -> bytes:
    return build_notice(make_notice(data), fonts)


def build_for(session: Session, actor: Actor, clarification_id: int, today: date, *, variant: str = "letter",
              fonts: FontSet | None = None, issue: bool = False, fmt: str = "pdf") -> DocumentPdf:
    """The notice as a PDF (fmt "pdf") or an editable Word file (fmt "docx"); issue=True numbers it."""
    data, notice = _read(session, actor, clarification_id, today, variant, issue)
    fs = fonts or resolve(load_config(session))
    if fmt == "docx":
        from reports.notice_docx import build_notice_docx

        payload = build_notice_docx(notice, fs)
    else:
        payload = build_notice(notice, fs)
    number = data.doc_number if data.doc_number != dn.NUMBER_PENDING else ""
    return DocumentPdf(payload, notice.title, data.cadre_id, number=number)


def load_for_pdf(session: Session, actor: Actor, record_id: int, today: date, *, issue: bool = True,
                 fmt: str = "pdf") -> DocumentPdf:
    """`python main.py pdf clarification ID`: the written notice (澄清正名说明) of clarification ID."""
    return build_for(session, actor, record_id, today, variant="letter", issue=issue, fmt=fmt)


def load_circular(session: Session, actor: Actor, record_id: int, today: date, *, issue: bool = True,
                  fmt: str = "pdf") -> DocumentPdf:
    """`python main.py pdf circular ID`: the 澄清正名通报 of clarification ID."""
    return build_for(session, actor, record_id, today, variant="circular", issue=issue, fmt=fmt)
