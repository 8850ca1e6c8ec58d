"""预约办理 through the booking desk of a real HallService on a real SQLite file, with the
county example config (its appointments section, catalogue and working-day calendar).

Every person here is invented (area code 110105 with made-up serials)."""
from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from halls import id_number

from hall.config.hall import load_hall_config
from hall.workdays import WorkingDays
from queue_server.booking.desk import CODE_DIGITS
from queue_server.booking.slots import slot_labels
from queue_server.engine import EngineError
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
def config():
    return load_hall_config(ROOT / "firmware_configs" / "sites" / "county.yaml")


@pytest.fixture
def clock():
    return Clock(at(dt.date(2026, 10, 8), 8, 0))      # Thursday after the National Day week


@pytest.fixture
def service(config, clock, tmp_path):
    s = HallService(config, str(tmp_path / "hall.sqlite"), clock=clock)
    yield s
    s.close()


def person(serial: str, name: str = "张测试") -> dict:
    return {"name": name, "phone": "13912345678", "id_number": id_number("19800101", serial)}


def book(service, date: str, slot: str, who: dict, category: str = "zonghe") -> dict:
    return service.bookings.book({"category": category, "date": date, "slot": slot, **who},
                                 service.clock())


def refused(fn, *args) -> EngineError:
    with pytest.raises(EngineError) as caught:
        fn(*args)
    return caught.value


def test_no_slot_in_the_national_day_week_slots_on_the_make_up_saturday(config, service, clock):
    days = WorkingDays.for_hall(config)
    for d in range(1, 8):
        assert slot_labels(config, days, dt.date(2026, 10, d)) == [], f"1-7 Oct: 10/{d}"
    saturday = slot_labels(config, days, dt.date(2026, 10, 10))          # 调休 working day
    assert saturday[0] == "08:30-09:00" and "16:30-17:00" in saturday    # opening hours
    assert "17:30-18:00" in saturday and "18:00-18:30" in saturday       # 延时 of the config
    assert "17:00-17:30" not in saturday                                  # no ticket before close
    assert slot_labels(config, days, dt.date(2026, 10, 17)) == [          # weekend service only
        "09:00-09:30", "09:30-10:00", "10:00-10:30", "10:30-11:00", "11:00-11:30", "11:30-12:00"]
    assert slot_labels(config, days, dt.date(2026, 10, 18)) == []        # no Sunday service
    clock.now = at(dt.date(2026, 9, 30), 10, 0)
    offered = [d["date"] for d in service.bookings.days("zonghe", clock.now)]
    assert offered == ["2026-09-30"]                                     # then nothing until 8 Oct
    clock.now = at(dt.date(2026, 10, 8), 8, 0)
    offered = {d["date"]: d for d in service.bookings.days("zonghe", clock.now)}
    assert "2026-10-10" in offered and "2026-10-11" not in offered
    assert offered["2026-10-10"]["label"] == "10月10日 周六"


def test_booking_check_in_gives_an_appointment_ticket(service, clock, config):
    booking = book(service, "2026-10-08", "10:00-10:30", person("201", "欧阳小明"))
    code = booking["code"]
    assert len(code) == CODE_DIGITS and code.isdigit()
    assert (booking["name"], booking["phone"], booking["status"]) == ("欧**明", "139****5678", "booked")
    assert booking["id_last4"] == id_number("19800101", "201")[-4:]
    row = service.store.appointment(code)
    assert id_number("19800101", "201") not in str(row)                 # no raw ID number kept
    clock.now = at(dt.date(2026, 10, 8), 10, 5)
    reply = service.handle("kiosk", "k1", "appointment.checkin", {"code": code})
    ticket = reply["data"]["ticket"]
    assert (ticket["priority"], ticket["category"], ticket["number"]) == ("appointment", "zonghe", "A001")
    assert service.bookings.find(code, booking["id_last4"])["status"] == "checked_in"


def test_extended_hours_check_in_although_the_queue_is_closed(service, clock):
    booking = book(service, "2026-10-08", "17:30-18:00", person("202"))
    clock.now = at(dt.date(2026, 10, 8), 17, 40)              # after the queue's last ticket
    assert service.handle("kiosk", "k1", "ticket.issue", {"category": "zonghe"})["error"]["code"] == "closed"
    reply = service.handle("kiosk", "k1", "appointment.checkin", {"code": booking["code"]})
    assert reply["status"] == "ok" and reply["data"]["ticket"]["priority"] == "appointment"


def test_window_checks_in_by_code(service, clock):
    booking = book(service, "2026-10-08", "09:00-09:30", person("203"))
    clock.now = at(dt.date(2026, 10, 8), 9, 10)
    reply = service.handle("window", "1", "appointment.checkin", {"code": booking["code"]})
    assert reply["status"] == "ok" and reply["data"]["ticket"]["priority"] == "appointment"
    assert reply["data"]["ticket"].get("kiosk") is None


def test_twenty_at_once_for_the_last_seat_get_one_booking(service, clock):
    service.bookings.set_capacity("yibao", "11:00-11:30", 2, "m01", clock.now)
    book(service, "2026-10-09", "11:00-11:30", person("300"), "yibao")
    results, start = [], threading.Barrier(20)

    def one(k):
        start.wait()
        try:
            results.append(book(service, "2026-10-09", "11:00-11:30", person(f"{310 + k}"), "yibao"))
        except EngineError as exc:
            results.append(exc.code)
    threads = [threading.Thread(target=one, args=(k,)) for k in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(isinstance(r, dict) for r in results) == 1
    assert results.count("quota_exceeded") == 19
    assert service.store.booked("2026-10-09", "yibao", "11:00-11:30") == 2


def test_cancel_and_move_need_the_code_and_the_last_four_digits(service, clock):
    service.bookings.set_capacity("zonghe", "14:00-14:30", 1, "m01", clock.now)
    b = book(service, "2026-10-09", "14:00-14:30", person("401"))
    other = person("402")
    assert refused(book, service, "2026-10-09", "14:00-14:30", other).code == "quota_exceeded"
    wrong = "0000" if b["id_last4"] != "0000" else "1111"
    assert refused(service.bookings.cancel, b["code"], wrong, clock.now).code == "unknown_ticket"
    assert refused(service.bookings.find, "1" * CODE_DIGITS, b["id_last4"]).message == \
        refused(service.bookings.find, b["code"], wrong).message       # one answer for both
    moved = service.bookings.move(b["code"], b["id_last4"], {"date": "2026-10-10", "slot": "09:00-09:30"},
                                  clock.now)
    assert (moved["code"], moved["date"], moved["slot"]) == (b["code"], "2026-10-10", "09:00-09:30")
    assert book(service, "2026-10-09", "14:00-14:30", other)["status"] == "booked"   # seat freed
    cancelled = service.bookings.cancel(b["code"], b["id_last4"], clock.now)
    assert cancelled["status"] == "cancelled" and service.store.appointment(b["code"])["phone"] is None
    assert refused(service.bookings.cancel, b["code"], b["id_last4"], clock.now).code == "conflict"
    clock.now = at(dt.date(2026, 10, 10), 9, 5)
    reply = service.handle("kiosk", "k1", "appointment.checkin", {"code": b["code"]})
    assert reply["error"]["code"] == "unknown_ticket" and "取消" in reply["error"]["message"]


def test_per_person_limits(service, clock):
    me = person("501")
    book(service, "2026-10-09", "09:00-09:30", me)
    error = refused(book, service, "2026-10-09", "15:00-15:30", me, "yibao")
    assert error.code == "limit_per_person" and "每天" in error.message
    book(service, "2026-10-10", "09:00-09:30", me)
    book(service, "2026-10-12", "09:00-09:30", me)
    error = refused(book, service, "2026-10-13", "09:00-09:30", me)
    assert error.code == "limit_per_person" and "未办理" in error.message


def test_repeated_no_shows_block_booking_for_the_configured_days(service, clock, config):
    me = person("601")
    for day in ("2026-10-08", "2026-10-09", "2026-10-10"):
        book(service, day, "16:00-16:30", me)
    clock.now = at(dt.date(2026, 10, 12), 8, 0)                      # all three missed
    error = refused(book, service, "2026-10-13", "09:00-09:30", me)
    blocked = dt.date(2026, 10, 10) + dt.timedelta(days=config.appointments.no_show_block_days + 1)
    assert error.code == "forbidden" and f"{blocked.month}月{blocked.day}日" in error.message
    assert book(service, "2026-10-13", "09:00-09:30", person("602"))["status"] == "booked"
    clock.now = at(blocked - dt.timedelta(days=1), 8, 0)           # the last day blocked
    day = service.bookings.days("zonghe", clock.now)[1]
    assert refused(book, service, day["date"], day["slots"][0]["slot"], me).code == "forbidden"
    clock.now = at(blocked, 8, 0)                                    # open again
    day = service.bookings.days("zonghe", clock.now)[1]
    assert book(service, day["date"], day["slots"][0]["slot"], me)["status"] == "booked"


def test_a_slot_outside_the_offer_is_refused(service, clock):
    me = person("701")
    clock.now = at(dt.date(2026, 10, 8), 9, 10)                # 08:30-09:00 has begun
    for date, slot in (("2026-10-11", "09:00-09:30"), ("2026-10-08", "07:00-07:30"),
                       ("2026-10-08", "08:30-09:00"), ("2026-10-30", "09:00-09:30"),
                       ("0166-06-19", "09:00-09:30"), ("2026-10-09", "20:48-68:73")):
        assert refused(book, service, date, slot, me).code == "conflict", (date, slot)   # not offered
    for date, slot in (("nonsense", "09:00-09:30"), ("2026-10-09", None)):
        assert refused(book, service, date, slot, me).code == "bad_request", (date, slot)  # form
    bad_phone = dict(me, phone="12345")
    assert "手机" in refused(book, service, "2026-10-09", "09:00-09:30", bad_phone).message
    bad_id = dict(me, id_number=me["id_number"][:17] + ("1" if me["id_number"][17] != "1" else "2"))
    assert refused(book, service, "2026-10-09", "09:00-09:30", bad_id).code == "bad_request"


def test_capacities_are_kept_and_checked(service, clock, config, tmp_path):
    table = service.bookings.set_capacity("shuiwu", "09:00-09:30", 0, "m01", clock.now)
    row = next(c for c in table["categories"] if c["id"] == "shuiwu")
    assert row["capacity"]["09:00-09:30"] == 0 and row["capacity"]["09:30-10:00"] == config.appointments.capacity
    assert refused(book, service, "2026-10-09", "09:00-09:30", person("801"), "shuiwu").code == "quota_exceeded"
    for args in (("shuiwu", "09:00-09:30", -1), ("shuiwu", "09:00-09:30", True),
                 ("shuiwu", "03:00-03:30", 2), ("nope", "09:00-09:30", 2)):
        assert refused(service.bookings.set_capacity, *args, "m01", clock.now).code in (
            "bad_request", "unknown_category", "conflict")
    service.close()
    again = HallService(config, service.store.path, clock=clock)          # kept on disk
    kept = next(c for c in again.bookings.capacity_table()["categories"] if c["id"] == "shuiwu")
    assert kept["capacity"]["09:00-09:30"] == 0
    again.close()


def test_a_booking_for_an_item_books_its_category(service, config):
    item = next(i for i in config.catalog.items if not i.retired)
    b = service.bookings.book({"service": item.code, "date": "2026-10-09", "slot": "10:00-10:30",
                               **person("901")}, service.clock())
    assert (b["category"], b["service"], b["service_name"]) == (item.category, item.code, item.name)


def test_phones_are_erased_when_the_day_is_over(service, clock):
    b = book(service, "2026-10-08", "15:00-15:30", person("950"))
    assert service.store.appointment(b["code"])["phone"] == "13912345678"
    clock.now = at(dt.date(2026, 10, 9), 0, 1)
    service.tick()
    row = service.store.appointment(b["code"])
    assert row["phone"] is None and row["phone_masked"] == "139****5678"
