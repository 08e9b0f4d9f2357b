"""Sections of the 设置 page, in order: (module, class). A section is a QWidget taking (ctx, parent=None)
with a class attribute TITLE (Chinese) and a `refresh()` method; it saves through services itself.
A module that is not present is skipped."""

SECTIONS = [
    ("gui.settings.rules_section", "RulesSection"),            # engine settings
    ("gui.settings.dashboard_section", "DashboardSection"),    # lead times, assessment outcome lists
    ("gui.settings.documents_section", "DocumentsSection"),    # organ, 机关代字, fonts with preview, templates
    ("gui.settings.visits_section", "VisitsSection"),          # 回访 plan rule
    ("gui.settings.holidays_section", "HolidaysSection"),      # holiday and 调休 calendar
    ("gui.settings.code_lists_section", "CodeListsSection"),   # editable code lists (honours, outcomes …)
    ("gui.settings.accounts_section", "AccountsSection"),      # users and roles
    ("gui.settings.backup_section", "BackupSection"),          # backup / restore / automatic backups
]
