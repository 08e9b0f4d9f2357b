"""The clarification notice (澄清正名说明) as a GB/T 9704 document, and its 通报 variant for a scope (domain §3.4).

The wording is the editable template resources/templates/clarification_letter.txt (to the person and the unit)
or clarification_circular.txt (通报 within the scope of the adverse influence); this module only fills in:
the person (name, unit, post), the clarified issues, who verified and when (month), the conclusion, and the
statement that the issues must not affect the person's use and evaluation. It never uses the accusation's own
text, channel or reporter: a finished notice whose text contains the reporter's name, unit or contact, or any
phone number, is refused (ValidationError) rather than printed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from models.services import clarifications as clar
from models.core import settings_store
from models.services import templates
from models.services.accusations import FALSE_ACCUSATION, reporter_tokens
from models.core.actor import Actor
from models.core.errors import ValidationError
from models.rules.period_math import cn_date
from reports.document import DocumentPdf
from reports.document_settings import header_style
from reports.fonts import FontSet, load_config, resolve
from reports.notice import Notice, build_notice

VARIANTS = {"letter": "clarification_letter", "circular": "clarification_circular"}
VARIANT_LABELS = {"letter": "澄清正名说明", "circular": "澄清正名通报"}
_PHONE = re.compile(r"(?<!\d)(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)")


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
    forbidden: tuple[str, ...] = ()  # reporter name/unit/contact: checked against, never printed


def _post_only(post: str | None, unit: str | None) -> str:
    """The post without the unit in front (current_post is often 区住建局局长)."""
    post = (post or "").strip()
    if unit and post.startswith(unit):
        post = post[len(unit):]
    return post


def _month(d: date | None) -> str:
    return f"{d.year}年{d.month}月" if d else "近期"


def notice_input(session: Session, actor: Actor, clarification_id: int, today: date, *,
                 variant: str = "letter", allocate: bool = True) -> NoticeInput:
    """Read one clarification for its notice. Approved or done only; an approved one without a 文号 gets one."""
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
    doc_number = row.doc_number or ""
    if not doc_number and allocate and actor.can("handle_accusations"):
        doc_number = clar.allocate_number(session, actor, clarification_id, (row.done_on or today).year)
    return NoticeInput(
        clarification_id=row.id, cadre_id=row.cadre_id, variant=variant,
        organ=str(settings_store.get(session, "org.name") or ""),
        header=header_style(session),
        name=row.cadre_name, unit=row.unit_name or "", post=_post_only(row.post, row.unit_name),
        verified_by=row.verified_by or "承办部门", verified_on=row.outcome_on,
        issues=row.issues_clarified, conclusion=row.conclusion, scope=row.scope or "",
        false_accusation=row.accusation_outcome == FALSE_ACCUSATION, doc_number=doc_number,
        date=row.done_on or today, forbidden=reporter_tokens(session, row.accusation_id),
    )


def _check_clean(texts: list[str], forbidden: tuple[str, ...]) -> None:
    compact = re.sub(r"\s+", "", "\n".join(texts))
    for token in forbidden:
        if re.sub(r"\s+", "", token) in compact:
            raise ValidationError("澄清文书中出现了举报人的姓名、单位或联系方式，已停止生成。"
                                  "请修改澄清正名中的文字（或文书模板），删去能识别举报人的内容。", "issues_clarified")
    if _PHONE.search(compact):
        raise ValidationError("澄清文书中出现了电话号码，已停止生成。请删去联系方式。", "issues_clarified")


def make_notice(data: NoticeInput) -> Notice:
    values = {
        "机关名称": data.organ, "姓名": data.name, "单位": data.unit, "职务": data.post,
        "核查部门": data.verified_by, "核查时间": _month(data.verified_on),
        "澄清的问题": data.issues.strip().rstrip("。；;，,.　 "),
        "核查结论": data.conclusion.strip() if data.conclusion.strip().endswith(("。", "！", "”"))
        else data.conclusion.strip() + "。",
        "范围": data.scope, "日期": cn_date(data.date),
    }
    sections = templates.render(VARIANTS[data.variant], values)
    body = [p.strip() for p in sections.get("正文", "").split("\n") if p.strip()]
    extra = sections.get("诬告陷害", "").strip()
    if data.false_accusation and extra:
        # before the closing line (特此说明。/特此通报。)
        at = len(body) - 1 if body and body[-1].startswith("特此") else len(body)
        body.insert(at, extra)
    addressee = sections.get("主送机关", "").strip().replace("\n", "，")
    if data.variant == "letter" and not data.unit:
        addressee = f"{data.name}同志"
    notice = Notice(
        title=sections.get("标题", "").strip(), body=body, addressee=addressee,
        signature=sections.get("署名", "").strip() or data.organ, date=data.date, doc_number=data.doc_number,
        header=data.header, org_mark=data.organ, sealed=True, author=data.organ,
    )
    _check_clean([notice.title, notice.addressee, *notice.body, notice.signature], data.forbidden)
    return notice


def build(data: NoticeInput, fonts: FontSet | None = None) -> bytes:
    return build_notice(make_notice(data), fonts)


def build_for(session: Session, actor: Actor, clarification_id: int, today: date, *, variant: str = "letter",
              fonts: FontSet | None = None) -> DocumentPdf:
    data = notice_input(session, actor, clarification_id, today, variant=variant)
    notice = make_notice(data)
    pdf = build_notice(notice, fonts or resolve(load_config(session)))
    return DocumentPdf(pdf, notice.title, data.cadre_id)


def load_for_pdf(session: Session, actor: Actor, record_id: int, today: date) -> DocumentPdf:
    """`python main.py pdf clarification ID`: the written notice (澄清正名说明) of clarification ID."""
    return build_for(session, actor, record_id, today, variant="letter")
