"""The queue opens on the days of the one working-day calendar (hall/workdays.py): make-up
working days open, public holidays and local closures close (docs/queue.md, opening days)."""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hall.config.hall import load_hall_config
from hall.config.model import Hours
from queue_server.service import HallService

ROOT = Path(__file__).resolve().parents[2]
ZONE = ZoneInfo("Asia/Shanghai")


def at(day: dt.date, hh: int, mm: int = 0) -> float:
    return dt.datetime(day.year, day.month, day.day, hh, mm, tzinfo=ZONE).timestamp()


class Clock:
    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def county():
    return load_hall_config(ROOT / "firmware_configs" / "sites" / "county.yaml")


def hall_on(config, day: dt.date, tmp_path, hh: int = 10):
    return HallService(config, str(tmp_path / "hall.sqlite"), clock=Clock(at(day, hh)))


def walk_in(service) -> dict:
    return service.handle("kiosk", "k1", "ticket.issue", {"category": "zonghe"})


def test_a_walk_in_gets_a_ticket_on_the_make_up_saturday(county, tmp_path):
    service = hall_on(county, dt.date(2026, 10, 10), tmp_path)      # 调休: a working Saturday
    try:
        reply = walk_in(service)
        assert reply["status"] == "ok", reply
        assert reply["data"]["ticket"]["number"] == "A001"
        assert service.engine.is_open(service.clock())
    finally:
        service.close()


@pytest.mark.parametrize("day", [dt.date(2026, 10, 1), dt.date(2026, 10, 5), dt.date(2026, 10, 7)])
def test_national_day_weekdays_refuse_walk_ins_plainly(county, tmp_path, day):
    assert day.isoweekday() <= 5                     # a weekday the hours alone would open
    service = hall_on(county, day, tmp_path)
    try:
        error = walk_in(service)["error"]
        assert error == {"code": "closed", "message": "今天是法定节假日，大厅不开放"}
        assert not service.engine.is_open(service.clock())
    finally:
        service.close()


def test_a_local_closure_closes_the_hall(county, tmp_path):
    closed = dataclasses.replace(county, closures=(dt.date(2026, 12, 24),))
    service = hall_on(closed, dt.date(2026, 12, 24), tmp_path)
    try:
        assert walk_in(service)["error"] == {"code": "closed", "message": "今天大厅休息，不开放"}
    finally:
        service.close()
    service = hall_on(closed, dt.date(2026, 12, 23), tmp_path)       # the day before: open
    try:
        assert walk_in(service)["status"] == "ok"
    finally:
        service.close()


def test_an_ordinary_sunday_and_after_hours_keep_the_old_message(county, tmp_path):
    service = hall_on(county, dt.date(2026, 10, 18), tmp_path)       # an ordinary Sunday
    try:
        assert walk_in(service)["error"] == {"code": "closed", "message": "现在不在取号时间"}
    finally:
        service.close()


def test_the_opening_day_rule():
    week = Hours()                                   # Monday to Friday
    saturdays = Hours(weekdays=(1, 2, 3, 4, 5, 6))   # weekend service on Saturdays
    always = Hours(weekdays=(1, 2, 3, 4, 5, 6, 7), open_on_holidays=True)
    assert week.opens_on(6, "working") and week.opens_on(7, "working")    # 调休 opens
    assert not week.opens_on(6, "weekend") and saturdays.opens_on(6, "weekend")
    assert not saturdays.opens_on(7, "weekend")
    assert not week.opens_on(4, "holiday") and not saturdays.opens_on(6, "holiday")
    assert always.opens_on(4, "holiday") and not always.opens_on(4, "closure")
    assert week.opens_on(3, "ordinary") and not week.opens_on(6, "ordinary")  # no calendar


def test_a_hall_open_on_holidays_issues_on_national_day(county, tmp_path):
    hours = dataclasses.replace(county.hours, open_on_holidays=True)
    service = hall_on(dataclasses.replace(county, hours=hours), dt.date(2026, 10, 1), tmp_path)
    try:
        assert walk_in(service)["status"] == "ok"
    finally:
        service.close()


def test_the_simulated_day_is_one_the_hall_opens(county):
    from queue_server.sim.run import hall_day
    assert hall_day(county, dt.date(2026, 10, 7)) == dt.date(2026, 9, 30)    # back over National Day
    assert hall_day(county, dt.date(2026, 10, 11)) == dt.date(2026, 10, 10)  # the make-up Saturday
