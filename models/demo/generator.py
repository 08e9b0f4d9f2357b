"""A realistic, deterministic demo database (same seed → same data).

Written with bulk Core inserts (`session.execute(insert(Model), rows)`), because ORM add_all is ~4× slower;
derived dates come from the real engine (models.rules.engine) exactly as for entered records.
100,000 cadres take well under two minutes.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from bisect import bisect

from sqlalchemy import bindparam, func, insert, select, text, update
from sqlalchemy.orm import Session

from models.core import audit
from models.core.actor import Actor
from models.core.db import Database
from models.demo import vocab
from models.rules.rule_table import OFF_DATE_KINDS
from models.entities import (
    Accusation, AccusationSubject, Cadre, Clarification, Commendation, ExpiryAssessment, GuardRefusal, Handling,
    Inquiry, Restriction, Review, Task, Unit, Visit, VisitPlan,
)
from models.derived import assessment_summary
from models.derived.commendation_summary import refresh_all
from models.derived.restrictions import decision_ref_text, mark_explanations_current
from models.core.errors import ValidationError
from models.reference import codes
from models.services import search_index
from models.reference.id_number import make_id_number
from models.reference.pinyin import name_search_keys
from models.core.progress import Progress
from models.rules.engine import RecordInput, RuleSettings, evaluate
from models.rules.engine import Review as RuleReview

BATCH = 5000
BUILD_CACHE_KIB = 512 * 1024  # the page cache while the demo is built (only what is used is taken) ...
BUILD_CACHE_PER_CADRE_KIB = 3  # ... and for a large build about what the file grows by a cadre (a million: 3 GB),
# so that the one transaction does not spill pages to the WAL and read them back (the million-cadre build with it
# left its WAL at 1 MB). The index's own slowness there was its row order (search_index.bulk_load), not the cache.


@dataclass
class DemoSummary:
    units: int = 0
    cadres: int = 0
    commendations: int = 0
    handling: int = 0
    restrictions: int = 0
    reviews: int = 0
    visits: int = 0
    visit_plans: int = 0
    accusations: int = 0
    inquiries: int = 0
    clarifications: int = 0
    assessments: int = 0
    guard_refusals: int = 0

    def text(self) -> str:
        return (f"已生成演示数据：单位 {self.units} 个，干部 {self.cadres} 名，表彰奖励 {self.commendations} 条，"
                f"处理处分 {self.handling} 条（影响期限制 {self.restrictions} 条，复审复核 {self.reviews} 条），"
                f"回访计划 {self.visit_plans} 项、回访记录 {self.visits} 条，举报 {self.accusations} 件，函询 {self.inquiries} 件，澄清正名 {self.clarifications} 件，"
                f"影响期满考核 {self.assessments} 条，函询前检查未通过 {self.guard_refusals} 次。")


class _Weighted:
    def __init__(self, rng: random.Random, items):
        self.rng = rng
        self.values = [v for v, _w in items]
        self.cum = list(accumulate(w for _v, w in items))

    def __call__(self):
        return self.values[bisect(self.cum, self.rng.random() * self.cum[-1])]


def _insert(session: Session, model, rows: list[dict]) -> None:
    """Rows as one Core executemany per batch. (The ORM's bulk insert splits rows by which values are None and
    ran cadres almost one statement each: 9 ms a cadre, 20,000 in 190 s.) The table's column defaults fill what
    a row leaves out; the derived summaries are refreshed by the callers, as after the ORM's bulk insert."""
    table = model.__table__
    conn = session.connection()
    groups: dict[tuple[str, ...], list[dict]] = {}
    for r in rows:  # rows with the same keys share a statement (the demo's rows mostly have one shape)
        groups.setdefault(tuple(sorted(r)), []).append(r)
    for group in groups.values():
        for i in range(0, len(group), BATCH):
            conn.execute(insert(table), group[i:i + BATCH])


def _rand_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange(max((end - start).days, 1)))


def _years_before(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


def build_demo(db: Database, *, cadres: int = 2000, seed: int = 1, today: date, actor: Actor,
               progress: Progress | None = None) -> DemoSummary:
    """Fill an empty database. One transaction: all of it or nothing."""
    if cadres < 1 or cadres > 1_000_000:
        raise ValidationError("干部人数应在 1 到 1,000,000 之间。", "cadres")
    progress = progress or Progress()
    rng = random.Random(seed)
    summary = DemoSummary()
    with db.session() as s:
        if s.scalar(select(func.count()).select_from(Cadre)):
            raise ValidationError("该数据库中已有干部数据，演示数据只能写入新的空数据库。请用 --db 指定一个新文件。", "db")
        if db.is_sqlite:
            # one transaction larger than SQLite's 2 MB page cache spills to the WAL and reads it back for every
            # index page it touches again (the search index most): a cache for the build, given back after it
            cache_kib = max(BUILD_CACHE_KIB, cadres * BUILD_CACHE_PER_CADRE_KIB)
            s.connection().exec_driver_sql(f"PRAGMA cache_size=-{cache_kib}")
        units = _make_units(s, rng, summary)
        progress.update(0, cadres, "正在生成干部")
        cadre_rows = _make_cadres(s, rng, cadres, units, today, summary, progress)
        _make_commendations(s, rng, cadre_rows, today, summary)
        progress.update(cadres, cadres, "正在生成处理处分并计算影响期")
        _make_handling(s, rng, cadre_rows, units, today, summary, progress)
        _make_accusations(s, rng, cadre_rows, today, summary)
        # a generator of its own, so that adding these did not change the data drawn above and below
        extra = random.Random(f"{seed}-assessments")
        _make_assessments(s, extra, today, summary)
        _make_guard_refusals(s, extra, today, summary)
        progress.update(cadres, cadres, "正在生成回访计划")
        from models.derived.visit_plans import sync_all  # plans follow the local rule, as for entered records

        sync_all(s, today)
        summary.visit_plans = s.scalar(select(func.count()).select_from(VisitPlan))
        _make_visits(s, rng, today, summary)
        if db.is_sqlite:
            s.execute(text("ANALYZE"))  # a fresh bulk-filled file has no statistics: plans would ignore indexes
        audit.record(s, actor, "demo", "database", None, after={"seed": seed, "cadres": cadres}, summary=summary.text())
        if db.is_sqlite:
            s.connection().exec_driver_sql("PRAGMA cache_size=-2000")  # SQLite's default, for what comes after
    return summary


def _make_units(s: Session, rng: random.Random, summary: DemoSummary) -> list[dict]:
    rows: list[dict] = []

    def add(name: str, parent: dict | None, grassroots: bool = False) -> dict:
        uid = len(rows) + 1
        row = {"id": uid, "name": name, "parent_id": parent["id"] if parent else None,
               "path": (parent["path"] if parent else "/") + f"{uid}/", "sort_order": uid,
               "is_grassroots": grassroots, "version": 1}
        rows.append(row)
        return row

    city = add(vocab.CITY, None)
    for dept in vocab.CITY_DEPARTMENTS:
        d = add(dept, city)
        for sec in rng.sample(vocab.SECTIONS, 3):
            add(sec, d)
    words = list(vocab.STREET_WORDS)
    rng.shuffle(words)
    for i, district in enumerate(vocab.DISTRICTS):
        d = add(district, city)
        for dept in vocab.DISTRICT_DEPARTMENTS:
            add(dept, d)
        for j in range(3):
            w = words[(i * 3 + j) % len(words)]
            street = add(f"{w}街道", d, grassroots=True)
            for k in range(2):
                add(f"{w}街{'一二三四'[k]}社区", street, grassroots=True)
    _insert(s, Unit, rows)
    summary.units = len(rows)
    for row in rows:
        row["district"] = next((r["name"] for r in rows if r["path"] == "/".join(row["path"].split("/")[:3]) + "/"), vocab.CITY)
    return rows


def _make_cadres(s, rng, n, units, today, summary, progress) -> list[dict]:
    surname = _Weighted(rng, vocab.SURNAMES)
    ethnicity = _Weighted(rng, vocab.ETHNICITIES)
    post = _Weighted(rng, [(i, p[2]) for i, p in enumerate(vocab.POSTS)])
    identity = _Weighted(rng, vocab.IDENTITY_CATEGORIES)
    education = _Weighted(rng, [(e, e[2]) for e in vocab.EDUCATIONS])
    leaf_units = [u for u in units if u["parent_id"] is not None]
    used_ids: set[str] = set()
    rows = []
    for i in range(1, n + 1):
        given_len = 1 if rng.random() < 0.25 else 2
        given = "".join(rng.choice(vocab.GIVEN_CHARS) for _ in range(given_len))
        if rng.random() < 0.01:
            given = given[:-1] + rng.choice(vocab.RARE_CHARS)
        name = surname() + given
        gender = "男" if rng.random() < 0.62 else "女"
        birth = _rand_date(rng, date(1966, 1, 1), date(2001, 12, 31))
        while True:
            idn = make_id_number(rng.choice(vocab.REGION_CODES), birth, rng.randrange(1000), gender)
            if idn not in used_ids:
                used_ids.add(idn)
                break
        unit = rng.choice(leaf_units)
        level_index = post()
        level, rank, _w = vocab.POSTS[level_index]
        cat = identity()
        edu, degree, _w2 = education()
        work_started = date(birth.year + rng.choice((21, 22, 22, 23, 25)), rng.choice((7, 8, 9)), 1)
        if work_started > today:
            work_started = date(today.year, 1, 1)
        party = rng.random() < 0.8
        pinyin, initials = name_search_keys(name)
        rows.append({
            "id": i, "name": name, "name_pinyin": pinyin, "name_initials": initials, "id_number": idn,
            "gender": gender, "birth_date": birth, "ethnicity": ethnicity(), "native_place": rng.choice(vocab.NATIVE_PLACES),
            "birthplace": rng.choice(vocab.NATIVE_PLACES), "political_status": "中共党员" if party else "群众",
            "party_joined": f"{birth.year + rng.randint(20, 30)}{rng.randint(1, 12):02d}" if party else None,
            "work_started": work_started, "health": "健康", "ft_education": edu,
            "ft_degree": f"{rng.choice(('法学', '文学', '经济学', '管理学', '工学'))}{degree}" if degree else None,
            "ft_education_school": f"{rng.choice(vocab.SCHOOLS)}{rng.choice(vocab.MAJORS)}专业",
            "current_post": f"{unit['name']}{vocab.post_title(unit['name'], level_index)}", "unit_id": unit["id"], "identity_category": cat,
            "post_level": level or None, "rank": rank, "is_party_member": party,
            "party_org": f"{unit['name']}党支部" if party else None,
            "management_authority": "市管" if level.startswith("县处级") else "区管",
            "is_grassroots": unit["is_grassroots"], "status": "在职" if rng.random() < 0.96 else "退休",
            "post_since": _rand_date(rng, max(work_started, date(2012, 1, 1)), today),
            "resume": f"{work_started.year}.{work_started.month:02d}--         {unit['name']}工作", "version": 1,
            "_district": unit["district"], "_unit": unit["name"],
        })
        if i % 10000 == 0:
            progress.check()
            progress.update(i, n, f"正在生成干部（{i}/{n}）")
    with search_index.bulk_load(s):  # one indexing statement for all of them, not a trigger run each
        _insert(s, Cadre, [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows])
        progress.update(n, n, "正在建立搜索索引")
    summary.cadres = n
    return rows


def _make_commendations(s, rng, cadres, today, summary) -> None:
    kind = _Weighted(rng, vocab.COMMENDATION_MIX)
    rows = []
    start = _years_before(today, 6)
    for c in rng.sample(cadres, k=len(cadres) // 5):
        k = kind()
        on = _rand_date(rng, start, today)
        urgent = rng.random() < 0.15
        rows.append({
            "cadre_id": c["id"], "kind": k, "awarded_on": on,
            "honour": f"{on.year - 1}年度{k}" if k in ("百佳公务员", "先进典型") else None,
            "organ": "中共武汉市委 武汉市人民政府" if k in ("百佳公务员", "记一等功") else f"中共{c['_district']}委",
            "doc_number": f"武{rng.choice('组人政')}〔{on.year}〕{rng.randint(1, 120)}号",
            "reason": f"在{rng.choice(vocab.URGENT_TASKS)}工作中表现突出" if urgent else "年度考核优秀，工作实绩突出",
            "urgent_task": urgent, "urgent_task_desc": rng.choice(vocab.URGENT_TASKS) if urgent else None,
            "double_victory": on.year in (2020, 2021) and rng.random() < 0.3, "version": 1,
        })
    _insert(s, Commendation, rows)
    refresh_all(s)  # the bulk insert bypasses the flush that keeps the cadres' commendation summary
    summary.commendations = len(rows)


def _make_handling(s, rng, cadres, units, today, summary, progress) -> list[dict]:
    mix = _Weighted(rng, [((r, k), w) for r, k, w in vocab.HANDLING_MIX])
    start = _years_before(today, 6)
    target = len(cadres) // 2  # about half as many handling records as cadres
    handling_rows: list[dict] = []
    review_rows: list[dict] = []
    task_rows: list[dict] = []
    per_cadre: dict[int, list[dict]] = {}
    pool = rng.sample(cadres, k=min(len(cadres), int(target * 0.8)))
    hid = 0

    def new(c, regime, kind, eff, **extra) -> dict:
        nonlocal hid
        hid += 1
        organ = rng.choice(vocab.ORGANS[regime]).format(d=c["_district"], u=c["_unit"])
        row = {
            "id": hid, "cadre_id": c["id"], "regime": regime, "kind": kind, "effective_on": eff,
            "decided_on": eff if regime != "party" else eff - timedelta(days=rng.randint(3, 20)),
            "approved_on": eff if regime == "party" else None, "served_on": eff + timedelta(days=rng.randint(1, 7)),
            "organ": organ, "doc_number": f"武{vocab.DOC_CODES[regime]}〔{eff.year}〕{rng.randint(1, 300)}号",
            "facts": rng.choice(vocab.FACTS), "rules_version": None, "months": None, "in_lieu_of_revocation": False,
            "probation_extended": False, "restored_on": None, "together_group": None, "status": "in_force",
            "version": 1,
        }
        row.update(extra)
        handling_rows.append(row)
        per_cadre.setdefault(c["id"], []).append(row)
        return row

    while len(handling_rows) < target:
        c = pool[len(handling_rows) % len(pool)]
        regime, kind = mix()
        eff = _rand_date(rng, start, today - timedelta(days=1))
        extra = {}
        if regime == "party" and kind == "serious_warning" and rng.random() < 0.05:
            extra["in_lieu_of_revocation"] = True
        if kind == "probation_1y" and rng.random() < 0.3:
            extra["probation_extended"] = True
        row = new(c, regime, kind, eff, **extra)
        roll = 1.0 if len(handling_rows) >= target else rng.random()  # extras only while below the target count
        if roll < 0.12 and regime == "party":
            # the same matter also handled by the government or organisationally (different regimes never add up)
            pair = {"warning": "warning", "serious_warning": "demerit"}.get(kind, "major_demerit")
            new(c, "gov", pair, eff + timedelta(days=rng.randint(0, 10)))
        elif roll < 0.17 and regime in ("gov", "party") and kind not in ("expulsion", "probation_1y", "probation_2y"):
            # a new sanction during the running period (adds up within the same regime)
            later = eff + timedelta(days=rng.randint(60, 300))
            if later < today:
                new(c, regime, "warning" if kind != "warning" else ("demerit" if regime == "gov" else "serious_warning"), later)
        elif roll < 0.19 and regime == "gov" and kind in ("warning", "demerit"):
            group = f"g{hid}"
            row["together_group"] = group
            new(c, "gov", "major_demerit", eff, together_group=group)
        if rng.random() < 0.02 and eff + timedelta(days=40) < today:
            outcome = rng.choice(("revoked", "changed", "upheld"))
            new_kind = None
            if outcome == "changed":
                lighter = {"gov": "warning", "party": "warning", "inst": "warning", "org": "post_adjustment",
                           "admonish": "admonishment"}[regime]
                new_kind = lighter if lighter != kind else None
                outcome = "changed" if new_kind else "upheld"
            review_rows.append({
                "handling_id": row["id"], "track": {"party": "申诉", "gov": "复审"}.get(regime, "复核"),
                "applied_on": eff + timedelta(days=10), "decided_on": eff + timedelta(days=rng.randint(20, 40)),
                "outcome": outcome, "new_kind": new_kind, "organ": row["organ"],
            })
            if outcome == "revoked":
                task_rows.append({"cadre_id": c["id"], "kind": "restore_reputation", "source_type": "handling",
                                  "source_id": row["id"], "title": "在原处分宣布范围内恢复名誉",
                                  "due_on": eff + timedelta(days=70), "version": 1})
    _insert(s, Handling, handling_rows)
    _insert(s, Review, review_rows)
    _insert(s, Task, task_rows)
    summary.handling, summary.reviews = len(handling_rows), len(review_rows)

    reviews_by_h = {r["handling_id"]: r for r in review_rows if r["outcome"] in ("revoked", "changed")}
    settings = RuleSettings()
    restriction_rows, handling_updates, cadre_updates = [], [], []
    for n, (cadre_id, rows) in enumerate(per_cadre.items(), 1):
        groups: dict[str, list[str]] = {}
        for r in rows:
            if r["together_group"]:
                groups.setdefault(r["together_group"], []).append(str(r["id"]))
        inputs = []
        for r in rows:
            rv = reviews_by_h.get(r["id"])
            inputs.append(RecordInput(
                id=str(r["id"]), regime=r["regime"], kind=r["kind"], effective=r["effective_on"],
                in_lieu_of_revocation=r["in_lieu_of_revocation"], probation_extended=r["probation_extended"],
                together_with=tuple(i for i in groups.get(r["together_group"] or "", []) if i != str(r["id"])),
                review=RuleReview(on=rv["decided_on"], outcome=rv["outcome"], kind=rv["new_kind"]) if rv else None,
                ref=decision_ref_text(r["doc_number"], r["effective_on"]),  # as an entered record names it
            ))
        result = evaluate(inputs, settings)
        cadre_off = None
        for rr in result.records:
            h_off = None
            for x in rr.restrictions:
                restriction_rows.append({
                    "handling_id": int(rr.id), "cadre_id": cadre_id, "kind": x.kind, "start": x.start,
                    "computed_last_day": x.last_day, "last_day": x.last_day, "off_date": x.off_date,
                    "basis": x.basis, "explanation": x.explanation,
                })
                if x.kind in OFF_DATE_KINDS and x.off_date is not None:
                    h_off = x.off_date if h_off is None else max(h_off, x.off_date)
            handling_updates.append({"id": int(rr.id), "status": rr.status, "off_date": h_off,
                                     "explanation": rr.explanation})
            if h_off is not None:
                cadre_off = h_off if cadre_off is None else max(cadre_off, h_off)
        cadre_updates.append({"id": cadre_id, "off_date": cadre_off})
        if n % 5000 == 0:
            progress.check()
    _insert(s, Restriction, restriction_rows)
    mark_explanations_current(s)  # written by this rule table: the first start recomputes nothing
    # Core executemany (not ORM bulk update): these derived columns do not bump the optimistic-lock version.
    ht, ct = Handling.__table__, Cadre.__table__
    s.execute(update(ht).where(ht.c.id == bindparam("b_id")).values(
        status=bindparam("status"), off_date=bindparam("off_date"), explanation=bindparam("explanation")),
        [{"b_id": u["id"], **{k: u[k] for k in ("status", "off_date", "explanation")}} for u in handling_updates])
    s.execute(update(ct).where(ct.c.id == bindparam("b_id")).values(off_date=bindparam("off_date")),
              [{"b_id": u["id"], "off_date": u["off_date"]} for u in cadre_updates])
    summary.restrictions = len(restriction_rows)
    status = {u["id"]: u["status"] for u in handling_updates}
    offs = {u["id"]: u["off_date"] for u in handling_updates}
    for r in handling_rows:
        r["status"], r["off_date"] = status[r["id"]], offs[r["id"]]
    return handling_rows


def _make_visits(s, rng, today, summary) -> None:
    """Most past plans were carried out: a visit record per plan, the plan marked done (as record_visit does)."""
    pt = VisitPlan.__table__
    plans = s.execute(select(pt.c.id, pt.c.handling_id, pt.c.cadre_id, pt.c.due_from, pt.c.due_by)
                      .where(pt.c.status == "planned", pt.c.due_by < today).order_by(pt.c.id)).all()
    rows, done, per_year, seq_of = [], [], {}, {}
    for plan_id, handling_id, cadre_id, due_from, due_by in plans:
        if rng.random() > 0.8:
            continue  # left overdue: the 工作台 shows these
        lo = due_from or due_by - timedelta(days=30)
        on = _rand_date(rng, lo, due_by) if due_by > lo else due_by
        if on >= today:
            continue
        per_year[on.year] = per_year.get(on.year, 0) + 1
        seq_of[handling_id] = seq_of.get(handling_id, 0) + 1
        vid = len(rows) + 1
        visitors = rng.sample(vocab.VISITORS, 2)
        rows.append({
            "id": vid, "record_no": f"{on.year}-{per_year[on.year]:04d}", "handling_id": handling_id,
            "cadre_id": cadre_id, "plan_id": plan_id, "seq": seq_of[handling_id], "visited_on": on,
            "place": rng.choice(vocab.VISIT_PLACES), "form": rng.choice(("谈心谈话", "谈心谈话", "走访", "书面")),
            "visitors": [{"name": n, "post": p} for n, p in visitors], "others_present": "单位主要负责人",
            "findings": {"对错误的认识": "能够正确认识错误，态度端正。", "整改落实情况": "已按要求完成整改。",
                         "思想状况": "思想稳定，无消极情绪。", "工作表现与实绩": "工作积极，完成了年度目标任务。"},
            "evaluation": rng.choice(("好", "好", "一般", "较差")), "suggestions": "继续帮扶，建议正常使用。",
            "version": 1,
        })
        done.append({"b_id": plan_id, "visit_id": vid})
    _insert(s, Visit, rows)
    if done:
        s.execute(update(pt).where(pt.c.id == bindparam("b_id")).values(status="done", visit_id=bindparam("visit_id")), done)
    summary.visits = len(rows)


ASSESSMENT_OUTCOMES = ("优秀(可大胆使用)", "合格(正常使用)", "合格(正常使用)", "合格(正常使用)", "基本合格(继续观察)",
                       "不合格(继续教育、不宜使用)")
RECOMMENDED = {"优秀(可大胆使用)": ("提拔", "进一步使用"), "合格(正常使用)": ("进一步使用", "平职交流", "暂不使用"),
               "基本合格(继续观察)": ("暂不使用",), "不合格(继续教育、不宜使用)": ("暂不使用",)}


def _make_assessments(s, rng, today, summary) -> None:
    """Most cadres who came off in the last three years had their 影响期满考核 around the off date; some of those
    who did well were used afterwards (提拔, 进一步使用, 平职交流), which the statistics count."""
    ct = Cadre.__table__
    came_off = s.execute(select(ct.c.id, ct.c.off_date).where(
        ct.c.off_date <= today, ct.c.off_date >= _years_before(today, 3)).order_by(ct.c.id)).all()
    rows = []
    for cadre_id, off in came_off:
        if rng.random() > 0.75:
            continue  # still waiting: the 工作台 lists these
        on = off + timedelta(days=rng.randint(-25, 40))
        if on >= today:
            continue
        outcome = rng.choice(ASSESSMENT_OUTCOMES)
        recommendation = rng.choice(RECOMMENDED[outcome])
        used_on = use_kind = post = None
        if recommendation != "暂不使用" and rng.random() < 0.6:
            used_on = on + timedelta(days=rng.randint(30, 240))
            if used_on < today:
                use_kind = recommendation if rng.random() < 0.85 else "平职交流"
                post = {"提拔": "副局长", "进一步使用": "办公室主任", "平职交流": "某处处长"}[use_kind]
            else:
                used_on = None
        rows.append({
            "cadre_id": cadre_id, "assessed_on": on, "outcome": outcome, "recommendation": recommendation,
            "items": {"政治表现": "政治立场坚定。", "对错误的认识和整改": "认识深刻，整改到位。", "工作实绩（含急难险重任务）": "较好完成了各项工作任务。"},
            "discipline_opinion": "同意所在单位意见。", "unit_opinion": "期间表现良好。", "used_on": used_on,
            "used_post": post, "use_kind": use_kind, "version": 1,
        })
    _insert(s, ExpiryAssessment, rows)
    assessment_summary.refresh_all(s)  # the bulk insert bypasses the flush that keeps Cadre.assessed_on
    summary.assessments = len(rows)


def _make_guard_refusals(s, rng, today, summary) -> None:
    """Officers ran the 函询 guard on reports that were not specific or not verifiable; most then gave up (the
    函询 the guard prevented), a few wrote a reason and sent one anyway (those already have their 函询)."""
    at, st, it = Accusation.__table__, AccusationSubject.__table__, Inquiry.__table__
    found = s.execute(select(at.c.id, st.c.cadre_id, at.c.received_on, at.c.is_specific, at.c.is_verifiable,
                             it.c.id.is_not(None))
                      .join(st, st.c.accusation_id == at.c.id)
                      .outerjoin(it, (it.c.accusation_id == at.c.id) & (it.c.cadre_id == st.c.cadre_id))
                      .order_by(at.c.id)).all()
    rows = []
    for acc_id, cadre_id, received, specific, verifiable, has_inquiry in found:
        if (specific and verifiable) or rng.random() > (0.15 if has_inquiry else 0.6):
            continue
        on = received + timedelta(days=rng.randint(2, 15))
        if on >= today:
            continue
        problems = "；".join(p for p, bad in (("举报内容不具体", not specific), ("举报内容难以查证", not verifiable)) if bad)
        rows.append({"accusation_id": acc_id, "cadre_id": cadre_id, "first_on": on, "last_on": on,
                     "problems": problems, "checked_by": "demo"})
    _insert(s, GuardRefusal, rows)
    summary.guard_refusals = len(rows)


def _make_accusations(s, rng, cadres, today, summary) -> None:
    n = max(3, len(cadres) // 30)
    start = _years_before(today, 4)
    acc_rows, subj_rows, inq_rows, cl_rows, task_rows = [], [], [], [], []
    categories = codes.default_values("accusation_categories")  # the list the dialog offers and the guard uses
    for i in range(1, n + 1):
        c = rng.choice(cadres)
        cat = rng.choice(categories)
        received = _rand_date(rng, start, today)
        anonymous = rng.random() < 0.4
        specific = rng.random() < 0.7
        disposal = rng.choice(("谈话函询", "谈话函询", "初步核实", "暂存待查", "予以了结")) if specific else rng.choice(("暂存待查", "予以了结"))
        concluded = received + timedelta(days=90) < today
        outcome = rng.choice(("属实", "部分属实", "不属实", "不属实", "错告", "诬告陷害", "无法查实")) if concluded and disposal in ("谈话函询", "初步核实") else None
        acc_rows.append({
            "id": i, "received_on": received, "channel": rng.choice(vocab.CHANNELS), "anonymous": anonymous,
            "reporter_name": None if anonymous else rng.choice(("群众甲", "赵某某", "钱某", "孙某某", "李某")) + "（举报人）",
            "reporter_unit": None if anonymous else "某社区居民",
            "reporter_contact": None if anonymous else f"1{rng.randint(3, 9)}{rng.randint(100000000, 999999999)}",
            "category": cat, "summary": f"{c['name']}，{c['current_post']}：" + rng.choice(vocab.ACCUSATION_TEXTS[cat]),
            "is_specific": specific, "is_verifiable": specific and rng.random() < 0.85, "disposal": disposal,
            "outcome": outcome, "outcome_on": received + timedelta(days=rng.randint(40, 85)) if outcome else None,
            "verified_by": "第一纪检监察室" if outcome else None, "version": 1,
        })
        subj_rows.append({"accusation_id": i, "cadre_id": c["id"]})
        if disposal == "谈话函询":
            sent = received + timedelta(days=rng.randint(5, 20))
            if sent < today:
                due = sent + timedelta(days=21)  # 15 working days ≈ 3 weeks; the workday calendar refines new ones
                replied = sent + timedelta(days=rng.randint(5, 30)) if rng.random() < 0.85 else None
                inq_rows.append({"accusation_id": i, "cadre_id": c["id"], "sent_on": sent, "due_on": due,
                                 "replied_on": replied if replied and replied < today else None,
                                 "outcome": "采信了结" if replied and outcome in ("不属实", "错告") else None,
                                 "doc_number": f"武纪函〔{sent.year}〕{rng.randint(1, 400)}号", "version": 1})
        if outcome in ("不属实", "错告", "诬告陷害"):
            done = rng.random() < 0.6
            cl_rows.append({
                "accusation_id": i, "cadre_id": c["id"], "initiated_by": rng.choice(("本人申请", "承办部门建议", "所在单位建议")),
                "consent": "同意", "methods": rng.choice(("书面", "书面,当面", "书面,会议", "书面,通报")),
                "scope": "所在单位领导班子及干部职工", "issues_clarified": acc_rows[-1]["summary"].split("：", 1)[1],
                "conclusion": "经核查，反映问题不属实。", "approved_by": "委分管领导" if done else None,
                "approved_on": acc_rows[-1]["outcome_on"] + timedelta(days=7) if done else None,
                "done_on": acc_rows[-1]["outcome_on"] + timedelta(days=12) if done else None,
                "status": "done" if done else "pending", "outcome_on": acc_rows[-1]["outcome_on"], "version": 1,
            })
            if outcome == "诬告陷害":
                task_rows.append({"cadre_id": None, "kind": "investigate_false_accusation", "source_type": "accusation",
                                  "source_id": i, "title": "对诬告陷害行为依规依纪依法查处", "version": 1})
    _insert(s, Accusation, acc_rows)
    _insert(s, AccusationSubject, subj_rows)
    _insert(s, Inquiry, inq_rows)
    _insert(s, Clarification, cl_rows)
    _insert(s, Task, task_rows)
    summary.accusations, summary.inquiries, summary.clarifications = len(acc_rows), len(inq_rows), len(cl_rows)
