"""The working-day calendar: national holidays, make-up days, local closures, deadlines."""
from __future__ import annotations

import datetime as dt

import pytest

from hall import workdays
from hall.config import ConfigError, load_hall_config
from hall.workdays import CalendarYearUnknown, WorkingDays

D = dt.date


def test_national_day_2026_is_off():
    days = WorkingDays()
    assert [days.is_working_day(D(2026, 10, k)) for k in range(1, 8)] == [False] * 7
    assert days.is_working_day(D(2026, 10, 8))


def test_make_up_weekend_days_are_working_days():
    days = WorkingDays()
    assert days.is_working_day(D(2026, 10, 10))      # Saturday, 调休 for National Day
    assert days.is_working_day(D(2026, 9, 20))       # Sunday, 调休
    assert not days.is_working_day(D(2026, 10, 17))  # an ordinary Saturday


def test_mid_autumn_weekend_2026_is_off():
    days = WorkingDays()
    assert not days.is_working_day(D(2026, 9, 26))
    assert not days.is_working_day(D(2026, 9, 27))


def test_five_working_days_from_30_september_2026():
    # Accepted Wednesday 30 Sep (not counted). 1-7 Oct off (National Day). 8 Oct (Thu) = 1,
    # 9 Oct (Fri) = 2, 10 Oct (Sat, make-up day) = 3, 11 Oct (Sun) off, 12 Oct (Mon) = 4,
    # 13 Oct (Tue) = 5.
    assert WorkingDays().add_working_days(D(2026, 9, 30), 5) == D(2026, 10, 13)


def test_zero_days_is_the_same_day_and_negative_is_refused():
    assert WorkingDays().add_working_days(D(2026, 9, 30), 0) == D(2026, 9, 30)
    with pytest.raises(ValueError):
        WorkingDays().add_working_days(D(2026, 9, 30), -1)


def test_a_local_closure_is_skipped():
    # 12 Oct 2026 (Mon) closed locally: the 5th working day moves from 13 to 14 Oct.
    days = WorkingDays([D(2026, 10, 12)])
    assert not days.is_working_day(D(2026, 10, 12))
    assert days.add_working_days(D(2026, 9, 30), 5) == D(2026, 10, 14)
    assert WorkingDays().is_working_day(D(2026, 10, 12))   # other halls unaffected


def test_working_days_between():
    days = WorkingDays()
    assert days.working_days_between(D(2026, 9, 30), D(2026, 10, 13)) == 5
    assert days.working_days_between(D(2026, 10, 13), D(2026, 9, 30)) == 0
    assert days.working_days_between(D(2026, 9, 28), D(2026, 9, 28)) == 0


def test_next_working_day():
    days = WorkingDays()
    assert days.next_working_day(D(2026, 10, 1)) == D(2026, 10, 8)
    assert days.next_working_day(D(2026, 10, 8)) == D(2026, 10, 8)


def test_an_unknown_year_is_a_clear_error():
    late = D(workdays.last_known_year() + 1, 3, 2)
    with pytest.raises(CalendarYearUnknown) as info:
        WorkingDays().is_working_day(late)
    assert str(late.year) in str(info.value) and "pip install -U chinesecalendar" in str(info.value)
    with pytest.raises(CalendarYearUnknown):
        WorkingDays().add_working_days(D(workdays.last_known_year(), 12, 28), 10)


def test_a_datetime_is_refused():
    with pytest.raises(TypeError):
        WorkingDays().is_working_day(dt.datetime(2026, 10, 1, 9, 0))


HALL = """\
hall:
  id: h
  name: 测试中心
  kind: village
  closures: [2026-12-24, "2026-12-31"]
"""


def test_closures_from_the_hall_config(tmp_path):
    path = tmp_path / "hall.yaml"
    path.write_text(HALL, encoding="utf-8")
    config = load_hall_config(path, tmp_path)
    assert config.closures == (D(2026, 12, 24), D(2026, 12, 31))
    assert not WorkingDays.for_hall(config).is_working_day(D(2026, 12, 24))


@pytest.mark.parametrize("value,message", [
    ('["2026-02-30"]', "is not a date"),
    ('["2026-12-24", 2026-12-24]', "listed twice"),
    ('["1999-12-24"]', "outside 2000..2099"),
    ('"2026-12-24"', "must be a list of dates"),
    ('[24.12.2026]', "is not a date"),
])
def test_bad_closures_point_at_their_line(tmp_path, value, message):
    path = tmp_path / "hall.yaml"
    path.write_text(HALL.replace('[2026-12-24, "2026-12-31"]', value), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_hall_config(path, tmp_path)
    assert [(p.line, message in p.message) for p in info.value.problems] == [(5, True)]


def test_day_kinds_name_what_the_opening_hours_decide_from():
    days = WorkingDays(closures=[dt.date(2026, 12, 24)])
    assert days.day_kind(dt.date(2026, 10, 10)) == "working"    # 调休 Saturday
    assert days.day_kind(dt.date(2026, 10, 1)) == "holiday"     # National Day, a Thursday
    assert days.day_kind(dt.date(2026, 10, 3)) == "holiday"     # its Saturday
    assert days.day_kind(dt.date(2026, 10, 17)) == "weekend"
    assert days.day_kind(dt.date(2026, 12, 24)) == "closure"
    assert days.day_kind(dt.date(2026, 12, 23)) == "working"
