"""Working days with the State Council holiday and 调休 schedules (domain §7.2 C9)."""
from __future__ import annotations

from datetime import date

import pytest

from models.rules import calendar as workday_calendar
from models.services import holidays as holiday_schedules
from models.core.errors import PermissionDenied, ValidationError
from models.rules.calendar import Calendar, add_working_days, calendar_from, working_days_between
from models.services.holidays import load_calendar


@pytest.fixture(scope="module")
def cal() -> Calendar:
    return calendar_from({y: holiday_schedules.shipped_schedule(y) for y in holiday_schedules.shipped_years()})


def test_every_year_2020_to_2026_is_shipped_and_makeup_days_are_weekends(cal):
    assert holiday_schedules.shipped_years() == [2020, 2021, 2022, 2023, 2024, 2025, 2026]
    for y in range(2020, 2027):
        assert cal.knows(y)
        sched = holiday_schedules.shipped_schedule(y)
        assert {"元旦", "春节", "清明节", "劳动节"} <= {h["name"] for h in sched["holidays"]}
        assert all(date.fromisoformat(w).weekday() >= 5 for w in sched["workdays"])


def test_fifteen_working_days_across_spring_festival_2024_with_makeup_sunday(cal):
    # Received Monday 2024-02-05. Working days: 6,7,8,9 Feb (4); 10–17 Feb 春节 off; Sunday 18 Feb is a
    # make-up working day (5); 19–23 Feb (10); 26 Feb–1 Mar (15).
    assert not cal.is_working_day(date(2024, 2, 12))  # a Monday inside 春节
    assert cal.is_working_day(date(2024, 2, 18))  # Sunday 调休上班
    assert add_working_days(date(2024, 2, 5), 15, cal) == date(2024, 3, 1)
    # a naive Mon–Fri count would say 26 Feb
    assert add_working_days(date(2024, 2, 5), 15, Calendar()) == date(2024, 2, 26)


def test_fifteen_working_days_across_national_day_2025_with_two_makeup_weekends(cal):
    # Received Friday 2025-09-26: Sun 28 Sep (1, 调休), 29, 30 Sep (3); 1–8 Oct off; 9, 10 Oct (5);
    # Sat 11 Oct (6, 调休); 13–17 Oct (11); 20–23 Oct (15).
    assert cal.is_working_day(date(2025, 9, 28)) and cal.is_working_day(date(2025, 10, 11))
    assert not cal.is_working_day(date(2025, 10, 8))
    assert add_working_days(date(2025, 9, 26), 15, cal) == date(2025, 10, 23)
    assert working_days_between(date(2025, 9, 26), date(2025, 10, 23), cal) == 15


def test_receipt_on_a_holiday_counts_from_the_next_working_day(cal):
    # Received on 国庆 2024-10-03: the first working day after is Tue 8 Oct; Sat 12 Oct is 调休.
    assert add_working_days(date(2024, 10, 3), 1, cal) == date(2024, 10, 8)
    assert add_working_days(date(2024, 10, 3), 5, cal) == date(2024, 10, 12)


def test_2020_spring_festival_uses_the_extended_holiday(cal):
    assert not cal.is_working_day(date(2020, 2, 1))  # Saturday: the make-up day was cancelled by the extension
    assert not cal.is_working_day(date(2020, 1, 31))
    assert cal.is_working_day(date(2020, 2, 3))


def test_invalid_count_is_refused(cal):
    with pytest.raises(ValidationError):
        add_working_days(date(2024, 1, 1), 0, cal)


def test_an_office_edit_changes_the_calendar_and_is_audited(db, admin, officer):
    from sqlalchemy import select

    from models.entities import AuditEvent

    with db.session() as s:
        cal = load_calendar(s)
        assert not cal.is_working_day(date(2024, 2, 16))
        sched = holiday_schedules.shipped_schedule(2024)
        # the office's local arrangement: 春节 ends on the 15th, the 16th is a working day
        sched["holidays"] = [h if h["name"] != "春节" else {**h, "to": "2024-02-15"} for h in sched["holidays"]]
        with pytest.raises(PermissionDenied):
            holiday_schedules.save_schedule(s, officer, 2024, sched)
        holiday_schedules.save_schedule(s, admin, 2024, sched)
    with db.session() as s:
        assert load_calendar(s).is_working_day(date(2024, 2, 16))
        ev = s.execute(select(AuditEvent).where(AuditEvent.entity_id == "holidays.2024")).scalar_one()
        assert ev.actor == "admin" and "2024年" in ev.summary
    with db.session() as s:
        holiday_schedules.reset_schedule(s, admin, 2024)
    with db.session() as s:
        assert not load_calendar(s).is_working_day(date(2024, 2, 16))


def test_schedule_validation_says_what_is_wrong():
    with pytest.raises(ValidationError, match="本来就是工作日"):
        workday_calendar.validate_schedule(2024, {"holidays": [], "workdays": ["2024-02-05"]})
    with pytest.raises(ValidationError, match="早于开始日期"):
        workday_calendar.validate_schedule(2024, {"holidays": [{"name": "春节", "from": "2024-02-17", "to": "2024-02-10"}]})
    with pytest.raises(ValidationError, match="有效日期"):
        workday_calendar.validate_schedule(2024, {"holidays": [{"name": "春节", "from": "2024-02-30", "to": "2024-03-01"}]})
