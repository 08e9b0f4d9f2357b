"""Settings stored in the database (shared by every PC on one database), with their defaults.

Items marked [?] in domain.md are settings here, never constants. A feature registers its keys in DEFAULTS.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from models.core import audit
from models.core.actor import Actor
from models.entities import Setting

DEFAULTS: dict[str, Any] = {
    # rules engine (domain §7.2, §9)
    "rules.month_end": "C2",
    "rules.party_overlap_before_2024": "separate",
    # the issuing organ (documents)
    "org.name": "中共某某市纪律检查委员会",
    "org.code": "某纪",  # 机关代字
    # documents: chosen fonts (empty = automatic, design §5) and the default 版头 of notices
    "documents.font_path": "",
    "documents.font_index": 0,
    "documents.title_font_path": "",
    "documents.title_font_index": 0,
    "documents.header_style": "red",  # every notice: red (红头) / preprinted (套打) / plain (无版头) / letter (信函格式)
    "documents.preprinted_top_mm": 100.0,  # 套打: the top of the page left free for the preprinted 红头纸
    # dashboard lead times in days
    "dashboard.lead_days": [30, 60, 90],
    "dashboard.commendation_years": 3,  # 优先考虑使用: commended within this many years, no running restriction
    # 统计分析 (models/services/statistics.py): the office's target share (%) of grassroots cadres among the 百佳公务员
    "statistics.grassroots_target": 50,
    # 影响期满考核 (domain §2.5)
    "assessment.outcomes": ["优秀(可大胆使用)", "合格(正常使用)", "基本合格(继续观察)", "不合格(继续教育、不宜使用)"],
    "assessment.early_days": 30,  # an assessment this many days before the off date counts as the 期满考核
    "assessment.lookback_days": 365,  # 期满待考核 lists off dates this many days back (0 = all)
    # 回访教育 (domain §2.2, §2.4): the local plan rule (models/rules/visit_plan.py) and the editable lists
    "visits.rule": {
        "first_talk_days": 30, "mid_visits": 1, "mid_window_days": 30, "final_visit": True, "final_months": 1,
        "before_restoration": True, "heavy_extra": 1,
        "heavy_kinds": ["party.removal_from_party_post", "party.probation_1y", "party.probation_2y", "party.expulsion",
                        "gov.demotion", "gov.dismissal", "gov.expulsion", "inst.post_grade_lowered", "inst.dismissal",
                        "inst.expulsion"],
        "covered": ["party.warning", "party.serious_warning", "party.removal_from_party_post", "party.probation_1y",
                    "party.probation_2y", "party.expulsion", "gov.warning", "gov.demerit", "gov.major_demerit",
                    "gov.demotion", "gov.dismissal", "gov.expulsion", "inst.warning", "inst.demerit",
                    "inst.post_grade_lowered", "inst.dismissal", "inst.expulsion", "org.post_adjustment",
                    "org.ordered_resignation", "org.removal", "org.resignation_blame", "org.demotion"],
    },
    "visits.evaluations": ["好", "一般", "较差"],
    "visits.recommendations": ["继续帮扶", "提醒", "建议正常使用", "建议大胆使用"],
    # 举报, 函询, 澄清正名 (domain §3)
    "accusations.categories": ["违反政治纪律", "违反组织纪律", "违反廉洁纪律", "违反群众纪律", "违反工作纪律",
                               "违反生活纪律", "违法犯罪", "其他"],
    "accusations.channels": ["来信", "来访", "电话", "网络", "上级转办"],
    "accusations.similarity_threshold": 45,  # models/reference/similarity.py: 0–100, rewordings score 50–85
    "inquiry.reply_working_days": 15,  # 函询 reply due (domain §3.6, counted by C9)
    "clarification.working_days": 5,  # clarify within this many working days after approval (domain §3.2)
    # trust: accounts, idle lock, automatic backups
    "security.max_failed_logins": 5,
    "security.lock_minutes": 15,
    "security.idle_minutes": 10,
    "backup.keep_days": 30,
    # first start (gui/dialogs/first_run.py): set once the administrator has been through the first-run wizard
    "app.first_run_done": False,
    # editable code lists (models/reference/codes.py, 设置 → 代码表)
    "codes.local_honours": ["百佳公务员", "先进典型", "通报表扬", "优秀共产党员", "优秀党务工作者"],
    "codes.identity_categories": ["公务员", "参公", "事业管理", "事业专技", "国企", "其他"],
    "codes.ranks_other": [
        "一级总监", "二级总监", "一级高级主管", "二级高级主管", "三级高级主管", "四级高级主管", "一级主管", "二级主管",
        "三级主管", "四级主管", "专业技术员", "督办", "一级高级主办", "二级高级主办", "三级高级主办", "四级高级主办",
        "一级主办", "二级主办", "三级主办", "四级主办", "一级行政执法员", "二级行政执法员",
    ],
    "codes.education": ["研究生", "大学本科", "大学专科", "中专", "高中", "初中及以下"],
    "codes.degrees": ["博士", "硕士", "学士"],
}


_GET = select(Setting.__table__.c.value).where(Setting.__table__.c.key == bindparam("key"))


def get(session: Session, key: str, default: Any = None) -> Any:
    # a plain column read (flushed first like any query): the 工作台 reads a few settings on every refresh, and
    # at start-up this keeps the ORM's one-time mapper set-up out of the path to the first window
    row = session.execute(_GET, {"key": key}).first()
    if row is not None:
        return row[0]
    if default is not None:
        return default
    return DEFAULTS.get(key)


_STORED = select(Setting.__table__.c.key, Setting.__table__.c.value).where(
    Setting.__table__.c.key.in_(bindparam("keys", expanding=True)))


def stored(session: Session, keys: Iterable[str]) -> dict[str, Any]:
    """The saved values of these keys in one statement; a key never saved is absent (a notice reads six
    settings: one statement each was a tenth of its build time)."""
    return {k: v for k, v in session.execute(_STORED, {"keys": list(keys)})}


def value_of(saved: Mapping[str, Any], key: str, default: Any = None) -> Any:
    """What `get` gives for `key`, from the rows `stored` read."""
    if key in saved:
        return saved[key]
    if default is not None:
        return default
    return DEFAULTS.get(key)


def get_many(session: Session, prefix: str) -> dict[str, Any]:
    values = {k: v for k, v in DEFAULTS.items() if k.startswith(prefix)}
    for row in session.execute(select(Setting).where(Setting.key.startswith(prefix))).scalars():
        values[row.key] = row.value
    return values


def put(session: Session, actor: Actor, key: str, value: Any) -> None:
    actor.require("admin")
    row = session.get(Setting, key)
    before = None if row is None else row.value
    if row is None:
        row = Setting(key=key)
        session.add(row)
    row.value = value
    row.updated_by = actor.username
    session.flush()
    audit.record(session, actor, "setting", "setting", key, before={"value": before}, after={"value": value},
                 summary=f"修改设置 {key}")
