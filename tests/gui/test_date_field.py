"""The one date field: the importer's parser and messages; the red frame goes when the text is fixed."""
from __future__ import annotations

from datetime import date

import pytest

from gui.widgets.date_field import DateField, parse_date_text
from models.core.errors import ValidationError


@pytest.mark.parametrize("text, expected", [
    ("2024-03-15", date(2024, 3, 15)), ("2024/3/5", date(2024, 3, 5)), ("2024.3.5", date(2024, 3, 5)),
    ("20240315", date(2024, 3, 15)), ("2024年3月15日", date(2024, 3, 15)), ("２０２４－０３－１５", date(2024, 3, 15)),
    ("", None),
])
def test_forms_officers_type(text, expected):
    assert parse_date_text(text, "决定日期") == expected


def test_impossible_day_says_why_like_the_importer():
    with pytest.raises(ValidationError) as err:
        parse_date_text("2026-02-30", "决定日期", "decided_on")
    assert "2月没有30日" in err.value.message and "格式" not in err.value.message
    assert err.value.field == "decided_on"


def test_month_only_refused_unless_the_field_takes_months():
    with pytest.raises(ValidationError) as err:
        parse_date_text("2024.03", "决定日期")
    assert "哪一天" in err.value.message
    assert parse_date_text("1975.03", "出生日期", month_ok=True) == date(1975, 3, 1)
    with pytest.raises(ValidationError) as err:
        parse_date_text("43000", "决定日期")  # an Excel serial is never typed
    assert "无法识别" in err.value.message
    with pytest.raises(ValidationError) as err:
        parse_date_text("", "考核日期", required=True)
    assert "请填写“考核日期”" in err.value.message


def test_field_marks_and_clears(qtbot):
    field = DateField(label="批准日期")
    qtbot.addWidget(field)
    field.setText("2026-02-30")
    field.editingFinished.emit()
    assert field.styleSheet() and "2月没有30日" in field.toolTip()
    field.setText("2026-02-28")
    assert field.styleSheet() == "" and field.value() == date(2026, 2, 28)
    field.setText("2026/3/1")
    field.editingFinished.emit()
    assert field.text() == "2026-03-01"  # one format on screen


def test_calendar_sets_the_value(qtbot):
    field = DateField(value=date(2024, 5, 6))
    qtbot.addWidget(field)
    field.show()
    field._on_calendar_action_triggered()
    cal = field._calendar
    assert cal.selectedDate().toPython() == date(2024, 5, 6)
    cal.clicked.emit(cal.selectedDate().addDays(3))
    assert field.value() == date(2024, 5, 9)
