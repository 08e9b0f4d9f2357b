"""Search as you type, the 工作台 lists and the came-off roster, each beside the same SQL run raw.

The baseline of a query figure is the very SQL the service sends (captured from the engine), replayed with the
stdlib sqlite3 module and fetched: the ratio is what our layer adds (SQLAlchemy, the session, the rows as
dataclasses); the absolute target tells whether the SQL itself is good enough.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Callable

from sqlalchemy import select

from models.services import dashboard, roster
from models.services.cadres import search as cadre_search
from models.core.actor import CLI_ACTOR
from bench.core import Figure, SqlCapture, median_pair, raw_connection, replay
from models.core.db import Database, sqlite_path
from models.entities import Cadre

SEARCH_PAGE = 200  # gui/widgets/cadre_models.py PAGE_SIZE
DASH_PAGE = 200  # gui/pages/dashboard_page.py PAGE_SIZE
ROSTER_PAGE = 500  # gui/dialogs/roster.py PREVIEW_ROWS


def _measure(db: Database, action: Callable[[object], object], repeat: int) -> tuple[float, float]:
    """(service median, raw median) in ms. The action runs in a fresh session, as a user action does."""

    def service():
        with db.session() as s:
            action(s)

    with SqlCapture(db.engine) as cap:
        service()
    statements = cap.reads
    conn = raw_connection(sqlite_path(db.url))
    try:
        a, b = median_pair(service, lambda: replay(conn, statements), repeat=repeat)
    finally:
        conn.close()
    return a * 1000, b * 1000


def search_terms(db: Database) -> dict[str, str]:
    """Terms taken from the data: the first two characters of a cadre's name, that name's pinyin initials, six
    digits from the middle of an ID number, and the whole number typed from its first digit, as an officer copies
    it from a form (the cadre in the middle of the table, so the same for a seed)."""
    with db.session() as s:
        n = s.scalar(select(Cadre.id).order_by(Cadre.id.desc()).limit(1)) or 1
        row = s.execute(select(Cadre.name, Cadre.name_initials, Cadre.id_number)
                        .where(Cadre.id >= n // 2, Cadre.withdrawn_at.is_(None)).order_by(Cadre.id).limit(1)).one()
    name, initials, number = row
    return {"name": name[:2], "initials": (initials or "zs")[:2], "id": number[8:14], "id_whole": number}


SEARCH_LABELS = {"name": "姓名片段", "initials": "拼音首字母", "id": "身份证号片段", "id_whole": "身份证号从头输入"}


def search_figures(db: Database, repeat: int = 7) -> list[Figure]:
    """One figure per kind of term: every keystroke of the term is measured and the slowest one is reported."""
    out = []
    for kind, term in search_terms(db).items():
        worst = (0.0, 0.0, "")
        for k in range(1, len(term) + 1):
            typed = term[:k]
            flt = cadre_search.CadreFilter(text=typed)
            value, base = _measure(db, lambda s, f=flt: cadre_search.search(s, CLI_ACTOR, f, limit=SEARCH_PAGE), repeat)
            if value > worst[0]:
                worst = (value, base, typed)
        out.append(Figure(f"搜索·{SEARCH_LABELS[kind]}“{worst[2]}”→首页", worst[0], "ms", worst[1],
                          max_value=50, max_ratio=3))
    return out


def dashboard_figures(db: Database, today: date, repeat: int = 7) -> list[Figure]:
    """Opening each 工作台 list as the page does: the first page of rows and the total."""
    with db.session() as s:
        keys = dashboard.list_keys(s)
    out = []
    for key, title, _hint in keys:
        def action(s, k=key):
            dashboard.rows(s, CLI_ACTOR, k, today, DASH_PAGE)
            dashboard.count(s, CLI_ACTOR, k, today)

        value, base = _measure(db, action, repeat)
        out.append(Figure(f"工作台·{title}（首页+总数）", value, "ms", base, max_value=30, max_ratio=3))
    return out


def quarter_of(today: date) -> tuple[date, date]:
    first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    nxt = date(first.year + (first.month + 2) // 12, (first.month + 2) % 12 + 1, 1)
    return first, nxt - timedelta(days=1)


def roster_figure(db: Database, today: date, repeat: int = 7) -> Figure:
    """"Came off between A and B" for the current quarter, as the roster dialog loads it (total and preview)."""
    a, b = quarter_of(today)
    q = roster.RosterQuery(mode=roster.MODE_CAME_OFF, date_from=a, date_to=b)

    def action(s):
        roster.count(s, CLI_ACTOR, q)
        roster.rows(s, CLI_ACTOR, q, limit=ROSTER_PAGE)

    value, base = _measure(db, action, repeat)
    return Figure(f"名单·{a.isoformat()}至{b.isoformat()}影响期满", value, "ms", base, max_value=30, max_ratio=3)


def statistics_figure(db: Database, today: date, repeat: int = 5) -> Figure:
    """The 统计分析 page for the current year over every unit (models.services.statistics.compute): every
    table of the page. Baseline: the same aggregate SQL replayed raw."""
    from models.services import statistics as stats_service

    q = stats_service.StatsQuery(date(today.year, 1, 1), date(today.year, 12, 31), today)
    value, base = _measure(db, lambda s: stats_service.compute(s, CLI_ACTOR, q), repeat)
    return Figure(f"统计分析·{today.year}年全部单位（全部表格）", value, "ms", base, max_value=1000, max_ratio=2)
