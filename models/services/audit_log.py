"""Reading the audit log (administrators only): filters by who, what, when and which cadre, paged in SQL."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.core import audit, audit_anchor
from models.core.actor import Actor
from models.entities import AuditEvent, Cadre

ACTION_LABELS = {
    "create": "新建", "update": "修改", "withdraw": "撤回", "restore": "恢复", "export": "导出", "print": "打印",
    "import": "导入", "setting": "修改设置", "login": "登录", "login_failed": "登录失败", "lock": "账号锁定",
    "unlock": "解锁", "password": "修改密码", "password_reset": "重设密码", "deactivate": "停用账号",
    "reactivate": "启用账号", "backup": "备份", "restore_backup": "从备份恢复", "demo": "演示数据", "override": "人工调整",
    "view_reporter": "查看举报人身份",
}
ENTITY_LABELS = {
    "cadre": "干部", "commendation": "表彰奖励", "handling": "处理处分", "restriction": "影响期限制", "review": "复审复核",
    "visit": "回访", "visit_plan": "回访计划", "expiry_assessment": "期满考核", "accusation": "举报", "inquiry": "函询",
    "clarification": "澄清正名", "unit": "单位", "user": "账号", "setting": "设置", "database": "数据库",
    "document": "文书", "task": "待办",
}


@dataclass(frozen=True)
class AuditFilter:
    actor: str | None = None          # user name, exact
    action: str | None = None         # code, e.g. "update"
    entity: str | None = None         # code, e.g. "cadre"
    date_from: date | None = None     # inclusive
    date_to: date | None = None       # inclusive
    cadre_id: int | None = None
    text: str | None = None           # part of the summary
    cadre_name: str | None = None     # part of the cadre's name


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: datetime
    actor: str
    action: str
    action_label: str
    entity: str
    entity_label: str
    entity_id: str | None
    cadre_id: int | None
    cadre_name: str | None
    summary: str
    before: dict | None
    after: dict | None


@dataclass(frozen=True)
class AuditPage:
    rows: list[AuditRow]
    total: int
    offset: int


@dataclass(frozen=True)
class FilterChoices:
    actors: list[str] = field(default_factory=list)
    actions: list[tuple[str, str]] = field(default_factory=list)   # (code, label)
    entities: list[tuple[str, str]] = field(default_factory=list)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _where(f: AuditFilter) -> list:
    from dataclasses import replace

    f = replace(f, **{k: audit._storable(getattr(f, k)) for k in ("actor", "action", "entity", "text", "cadre_name")})
    cond = []
    if f.actor:
        cond.append(AuditEvent.actor == f.actor)
    if f.action:
        cond.append(AuditEvent.action == f.action)
    if f.entity:
        cond.append(AuditEvent.entity == f.entity)
    if f.date_from:
        cond.append(AuditEvent.at >= datetime.combine(f.date_from, time.min))
    if f.date_to:
        cond.append(AuditEvent.at < datetime.combine(f.date_to + timedelta(days=1), time.min))
    if f.cadre_id is not None:
        cond.append(AuditEvent.cadre_id == f.cadre_id)
    if f.cadre_name:
        names = select(Cadre.id).where(Cadre.name.like(f"%{_escape_like(f.cadre_name)}%", escape="\\"))
        cond.append(AuditEvent.cadre_id.in_(names))
    if f.text:
        cond.append(AuditEvent.summary.like(f"%{_escape_like(f.text)}%", escape="\\"))
    return cond


def search(session: Session, actor: Actor, flt: AuditFilter = AuditFilter(), *, offset: int = 0,
           limit: int = 200) -> AuditPage:
    """Newest first. Total counts every match; rows holds one page."""
    actor.require("admin")
    cond = _where(flt)
    total = session.scalar(select(func.count()).select_from(AuditEvent).where(*cond))
    stmt = (
        select(AuditEvent, Cadre.name)
        .outerjoin(Cadre, Cadre.id == AuditEvent.cadre_id)
        .where(*cond)
        .order_by(AuditEvent.seq.desc())
        .offset(max(0, offset))
        .limit(max(1, min(limit, 1000)))
    )
    rows = [
        AuditRow(
            seq=ev.seq, at=ev.at, actor=ev.actor, action=ev.action, action_label=ACTION_LABELS.get(ev.action, ev.action),
            entity=ev.entity, entity_label=ENTITY_LABELS.get(ev.entity, ev.entity), entity_id=ev.entity_id,
            cadre_id=ev.cadre_id, cadre_name=name, summary=ev.summary or "", before=ev.before, after=ev.after,
        )
        for ev, name in session.execute(stmt)
    ]
    return AuditPage(rows=rows, total=total, offset=offset)


def choices(session: Session, actor: Actor) -> FilterChoices:
    """The values that occur in the log, for the filter lists."""
    actor.require("admin")
    actors = list(session.scalars(select(AuditEvent.actor).distinct().order_by(AuditEvent.actor)))
    actions = list(session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))
    entities = list(session.scalars(select(AuditEvent.entity).distinct().order_by(AuditEvent.entity)))
    return FilterChoices(
        actors=actors,
        actions=[(a, ACTION_LABELS.get(a, a)) for a in actions],
        entities=[(e, ENTITY_LABELS.get(e, e)) for e in entities],
    )


def verify(session: Session, actor: Actor) -> audit.ChainProblem | None:
    actor.require("admin")
    return audit.verify_chain(session)


@dataclass(frozen=True)
class AuditVerdict:
    """The whole check: the chain, its anchor, and the accounts whose creation the log must hold."""
    count: int
    chain: audit.ChainProblem | None
    anchor: audit_anchor.AnchorCheck
    unlogged_accounts: int = 0

    @property
    def problems(self) -> list[str]:
        out = []
        if self.chain is not None:
            out.append(f"{self.chain.message}（第一处问题在第 {self.chain.seq} 条）")
        if self.anchor.problem:
            out.append(self.anchor.problem)
        if self.unlogged_accounts:
            out.append(f"有 {self.unlogged_accounts} 个账号在审计日志中没有建立记录：日志的开头被删除或整体替换了")
        return out

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_all(session: Session, actor: Actor) -> AuditVerdict:
    """`audit verify` and the viewer's 校验完整性: chain, anchor (truncation, wipe, recomputed chain), accounts."""
    from models.entities import User

    actor.require("admin")
    logged = {e for e in session.scalars(select(AuditEvent.entity_id).where(
        AuditEvent.entity == "user", AuditEvent.action == "create"))}
    accounts = [str(i) for i in session.scalars(select(User.id))]
    return AuditVerdict(
        count=session.scalar(select(func.count()).select_from(AuditEvent)) or 0,
        chain=audit.verify_chain(session), anchor=audit_anchor.check(session),
        unlogged_accounts=sum(1 for i in accounts if i not in logged),
    )


def anchor_line(session: Session, actor: Actor) -> str:
    """The anchor as one line, for the viewer to show (to be noted on paper)."""
    actor.require("admin")
    anchor, _ = audit_anchor.read_anchor(audit_anchor.anchor_path(session.get_bind().url))
    return audit_anchor.AnchorCheck(anchor).line()


def format_change(before: dict | None, after: dict | None, limit: int = 2000) -> str:
    """before → after, one field per line, for the detail pane."""
    lines = []
    keys = list(dict.fromkeys([*(before or {}).keys(), *(after or {}).keys()]))
    for k in keys:
        b = (before or {}).get(k, "") if before is not None else ""
        a = (after or {}).get(k, "") if after is not None else ""
        if before is None:
            lines.append(f"{k}：{a}")
        elif after is None:
            lines.append(f"{k}：{b}（原值）")
        else:
            lines.append(f"{k}：{b} → {a}")
    text = "\n".join(lines)
    return text if len(text) <= limit else text[:limit] + "…"
