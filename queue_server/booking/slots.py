"""Which half-hour slots a day offers for booking.

A working day (the working-day calendar: make-up days 调休 included, holidays and local
closures excluded) offers the opening hours (before the last-ticket cut, without the lunch
break) plus the 延时/错时 spans of the config; an ordinary weekend offers its weekend
service spans; any other day nothing. A span is cut into slots of `slot_minutes` from its
start; a short rest is dropped.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from hall.config.model import HallConfig
from hall.workdays import CalendarYearUnknown, WorkingDays

log = logging.getLogger(__name__)


@dataclass(frozen=True, order=True)
class Slot:
    start: int                   # minutes after hall-local midnight
    end: int

    @property
    def label(self) -> str:
        """"09:00-09:30": how the slot is stored and shown."""
        return f"{_hhmm(self.start)}-{_hhmm(self.end)}"


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def opening_spans(config: HallConfig) -> list[tuple[int, int]]:
    hours = config.hours
    end = hours.close - hours.last_ticket_before_close
    if not hours.lunch:
        return [(hours.open, end)]
    return [(hours.open, min(hours.lunch[0], end)), (hours.lunch[1], end)]


def spans_of_day(config: HallConfig, days: WorkingDays, day: dt.date) -> list[tuple[int, int]]:
    """The service spans of `day` open for booking ([] when the hall does not book it)."""
    try:
        if days.is_working_day(day):
            return opening_spans(config) + list(config.appointments.extended)
        if days.is_ordinary_weekend(day):
            return [(start, end) for weekday, start, end in config.appointments.weekend
                    if weekday == day.isoweekday()]
    except CalendarYearUnknown as exc:     # better no slot than a slot on a holiday
        log.warning("no booking on %s: %s", day, exc)
    return []


def slots_of_day(config: HallConfig, days: WorkingDays, day: dt.date) -> list[Slot]:
    step = config.appointments.slot_minutes
    slots = {Slot(t, t + step) for start, end in spans_of_day(config, days, day)
             for t in range(start, end - step + 1, step)}
    return sorted(slots)


def slot_labels(config: HallConfig, days: WorkingDays, day: dt.date) -> list[str]:
    return [s.label for s in slots_of_day(config, days, day)]


def every_slot_label(config: HallConfig) -> list[str]:
    """Every slot any day may offer (the rows of the manager's capacity table)."""
    step = config.appointments.slot_minutes
    spans = opening_spans(config) + list(config.appointments.extended) + \
        [(start, end) for _, start, end in config.appointments.weekend]
    return [s.label for s in sorted({Slot(t, t + step) for start, end in spans
                                     for t in range(start, end - step + 1, step)})]


def serving(config: HallConfig, days: WorkingDays, day: dt.date, minute: int) -> bool:
    """Whether a booking of `day` may check in at `minute` (also in 延时 and weekend spans,
    when the queue's own opening hours say closed)."""
    return any(start <= minute < end for start, end in spans_of_day(config, days, day))
