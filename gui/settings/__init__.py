"""Sections of the 设置 page, in order: (module, class). A section is a QWidget taking (ctx, parent=None)
with a class attribute TITLE (Chinese) and a `refresh()` method; it saves through services itself."""

SECTIONS = [
    ("gui.settings.rules_section", "RulesSection"),
]
