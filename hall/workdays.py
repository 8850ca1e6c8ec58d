"""The product's one working-day calendar (工作日): what a deadline, a booking day or a
follow-up counts.

A day is a working day when China's State Council calendar says so (weekends and public
holidays off, make-up working days 调休 on), taken from the `chinesecalendar` package, and the
hall has not closed it locally (`hall.closures` in the hall config).

    days = WorkingDays.for_hall(config)          # or WorkingDays(closures)
    days.is_working_day(date(2026, 10, 10))      # True: a make-up Saturday
    days.add_working_days(date(2026, 9, 30), 5)  # date(2026, 10, 13): the 5th working day after
    days.working_days_between(a, b)

The package knows the years up to its release (the State Council publishes the next year's
holidays in November or December); a date outside them raises CalendarYearUnknown, never a
silent guess. docs/catalog.md says how a hall updates the package each year.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Iterable

import chinese_calendar

MAX_SPAN_DAYS = 3660        # no count runs longer than ten years: a bad argument, not a loop


class CalendarYearUnknown(ValueError):
    """The holiday calendar has no data for this year (the package is too old or too new)."""

    def __init__(self, day: dt.date):
        self.year = day.year
        super().__init__(
            f"the working-day calendar has no holidays for {day.year} "
            f"(chinesecalendar {chinese_calendar.__version__} knows "
            f"{first_known_year()}..{last_known_year()}); update it: "
            f"pip install -U chinesecalendar, then pin the new version in setup.py")


def first_known_year() -> int:
    return min(chinese_calendar.holidays).year


def last_known_year() -> int:
    """The last year whose holidays and make-up days the installed package knows."""
    return max(chinese_calendar.holidays).year


@lru_cache(maxsize=4096)
def _national_working_day(day: dt.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        raise CalendarYearUnknown(day) from None


class WorkingDays:
    """Working days of one hall: the national calendar minus the hall's local closures."""

    def __init__(self, closures: Iterable[dt.date] = ()):
        self.closures = frozenset(closures)

    @classmethod
    def for_hall(cls, config) -> "WorkingDays":
        """The calendar of a HallConfig (its `hall.closures`)."""
        return cls(config.closures)

    def is_working_day(self, day: dt.date) -> bool:
        """Raises CalendarYearUnknown for a year the holiday calendar does not know."""
        return _national_working_day(_as_date(day)) and day not in self.closures

    def day_kind(self, day: dt.date) -> str:
        """What the calendar says `day` is, in the words of hall.config.model.DAY_KINDS:
        "closure" (closed locally), "holiday" (a public holiday, its weekend days included),
        "working" (a working day, make-up Saturdays and Sundays included) or "weekend"
        (an ordinary weekend). The queue's opening hours decide from it (Hours.opens_on)."""
        day = _as_date(day)
        if day in self.closures:
            return "closure"
        if _national_working_day(day):
            return "working"
        return "holiday" if chinese_calendar.get_holiday_detail(day)[1] else "weekend"

    def is_ordinary_weekend(self, day: dt.date) -> bool:
        """A Saturday or Sunday that is neither a working day (调休) nor part of a public
        holiday nor closed locally: the days a hall's weekend service (周末服务) may open."""
        day = _as_date(day)
        return (day.isoweekday() >= 6 and not self.is_working_day(day)
                and chinese_calendar.get_holiday_detail(day)[1] is None
                and day not in self.closures)

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after `start` (the day of acceptance is not counted): a
        promise of n working days accepted on `start` is due on this day. n = 0 is `start`
        itself (即办件)."""
        if n < 0:
            raise ValueError("n must be 0 or more")
        day = _as_date(start)
        for _ in range(MAX_SPAN_DAYS):
            if n == 0:
                return day
            day += dt.timedelta(days=1)
            n -= self.is_working_day(day)
        raise ValueError("the count runs past ten years")

    def working_days_between(self, first: dt.date, last: dt.date) -> int:
        """Working days after `first` up to and including `last` (0 when last <= first): how
        many working days of a time limit have been used between acceptance and `last`."""
        first, last = _as_date(first), _as_date(last)
        if (last - first).days > MAX_SPAN_DAYS:
            raise ValueError("the span is longer than ten years")
        return sum(self.is_working_day(first + dt.timedelta(days=k))
                   for k in range(1, (last - first).days + 1))

    def next_working_day(self, day: dt.date) -> dt.date:
        """`day` itself when it is a working day, else the first working day after it."""
        day = _as_date(day)
        return day if self.is_working_day(day) else self.add_working_days(day, 1)


def _as_date(day) -> dt.date:
    if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
        raise TypeError(f"a date is needed, got {type(day).__name__}")
    return day


__all__ = ["CalendarYearUnknown", "WorkingDays", "first_known_year", "last_known_year"]
