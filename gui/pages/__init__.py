"""The navigation pages, in order. Each entry: (object name, Chinese title, module, class).

A page class takes (ctx: AppContext, parent=None) and has `refresh()`; it listens to ctx.data_changed itself.
"""

PAGES = [
    ("dashboard", "工作台", "gui.pages.dashboard_page", "DashboardPage"),
    ("cadres", "干部", "gui.pages.cadres_page", "CadresPage"),
    ("commendations", "表彰奖励", "gui.pages.commendations_page", "CommendationsPage"),
    ("handling", "处理处分", "gui.pages.handling_page", "HandlingPage"),
    ("visits", "回访教育", "gui.pages.visits_page", "VisitsPage"),
    ("accusations", "举报与函询", "gui.pages.accusations_page", "AccusationsPage"),
    ("clarifications", "澄清正名", "gui.pages.clarifications_page", "ClarificationsPage"),
    ("units", "单位", "gui.pages.units_page", "UnitsPage"),
    ("statistics", "统计分析", "gui.pages.statistics_page", "StatisticsPage"),
    ("settings", "设置", "gui.pages.settings_page", "SettingsPage"),
]
