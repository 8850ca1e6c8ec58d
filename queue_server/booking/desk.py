"""The booking desk (预约): book, look up, move and cancel a slot; the manager's capacities.

Every write counts the seats and writes the booking while holding the HallService's lock
and one SQLite transaction (BEGIN IMMEDIATE), so twenty phones asking for the last seat of
a slot at once get one booking and nineteen "约满" (tests/service/test_booking.py).

What is kept of a citizen: the ID number as identity.py keeps it (keyed hash, last four
digits, masked name), the phone number in full until the booked day is over (then only
138****5678; no view shows it in full). A booking code is 8 random digits: with the last
four ID digits it opens the booking on the web (cancel, move); alone it checks in at the
kiosk or the window on the booked day.
"""
from __future__ import annotations

import datetime as dt
import re
import secrets

from hall.config.model import BOOKING_CODE_DIGITS
from ..engine import EngineError, HallClock
from ..identity import read_identity
from .slots import every_slot_label, serving, slot_labels

CODE_DIGITS = BOOKING_CODE_DIGITS
PHONE = re.compile(r"1[3-9]\d{9}")
WEEKDAYS = "一二三四五六日"
NOT_FOUND = "没有找到这个预约，请核对预约码和身份证号后四位"
FULL = "这个时段已经约满，请选择其他时段"


def mask_phone(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:]


def new_code() -> str:
    return f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"


class BookingDesk:
    def __init__(self, service):
        self.service = service                  # the HallService: its lock, store, ID key
        self.settings = service.config.appointments
        self.calendar = service.calendar
        self.clock = HallClock(service.config.timezone)

    @property
    def config(self):
        """The service's config: its catalogue changes when a manager edits an item."""
        return self.service.config

    # -- what may be booked ---------------------------------------------------------------
    def offer(self) -> dict:
        """Categories and catalogue items the booking page offers."""
        catalog = self.config.catalog
        items = [{"code": i.code, "name": i.name, "domain": i.domain, "category": i.category}
                 for i in (catalog.items if catalog else ()) if not i.retired
                 and self.config.category(i.category) is not None]
        return {"categories": [{"id": c.id, "name": c.name} for c in self.config.categories],
                "items": items, "days_ahead": self.settings.days_ahead}

    def days(self, category: str, now: float) -> list[dict]:
        """The bookable days of a category with each slot's seats left."""
        self._category(category)
        with self.service.exclusive() as store:
            capacity = store.capacities()
            out = []
            for day in self._bookable_days(now):
                booked = store.booked_by_slot(day.isoformat(), category)
                slots = [{"slot": s, "left": max(0, self._capacity(capacity, category, s)
                                                 - booked.get(s, 0))}
                         for s in self._open_slots(day, now)]
                if slots:
                    out.append({"date": day.isoformat(), "label": day_label(day), "slots": slots})
            return out

    def _bookable_days(self, now: float) -> list[dt.date]:
        today = dt.date.fromisoformat(self.clock.date(now))
        return [today + dt.timedelta(days=k) for k in range(self.settings.days_ahead + 1)]

    def _open_slots(self, day: dt.date, now: float) -> list[str]:
        """The day's slots not begun yet."""
        labels = slot_labels(self.config, self.calendar, day)
        if day.isoformat() != self.clock.date(now):
            return labels
        minute = self.clock.weekday_minute(now)[1]
        return [s for s in labels if _minutes(s[:5]) > minute]

    def _capacity(self, stored: dict, category: str, slot: str) -> int:
        return stored.get((category, slot), self.settings.capacity)

    def _category(self, category: object) -> str:
        if not isinstance(category, str) or self.config.category(category) is None:
            raise EngineError("unknown_category")
        return category

    # -- booking --------------------------------------------------------------------------
    def book(self, form: dict, now: float) -> dict:
        """form: category or service (item code), date, slot, name, phone, id_number."""
        category, service = self._what(form)
        date, slot = self._when(form, category, now)
        person = read_identity({"id_number": form.get("id_number"), "name": form.get("name")},
                               self.service.id_key, dt.date.fromisoformat(self.clock.date(now)))
        if not person.name_masked:
            raise EngineError("bad_request", "请填写姓名")
        phone = form.get("phone")
        if not isinstance(phone, str) or not PHONE.fullmatch(phone.strip()):
            raise EngineError("bad_request", "请填写11位手机号码")
        phone = phone.strip()
        with self.service.exclusive() as store:
            self._check_person(store, person.id_hash, date, now)
            self._check_seat(store, category, date, slot)
            code = self._insert(store, {
                "category": category, "service": service, "date": date, "slot": slot,
                "name_masked": person.name_masked, "id_hash": person.id_hash,
                "id_last4": person.id_last4, "phone": phone, "phone_masked": mask_phone(phone),
                "created_at": now, "checked_in": 0, "ticket_id": None})
            return self.view(store.appointment(code), with_code=True)

    def insert(self, row: dict) -> str:
        """A booking written as given (no checks: tests, screenshots); its code."""
        with self.service.exclusive() as store:
            return self._insert(store, row)

    @staticmethod
    def _insert(store, row: dict) -> str:
        while True:       # a taken code (one in a hundred million per booking): draw again
            code = new_code()
            if store.add_appointment(dict(row, code=code)):
                return code

    def _what(self, form: dict) -> tuple[str, str | None]:
        service = form.get("service")
        if service in (None, ""):
            return self._category(form.get("category")), None
        catalog = self.config.catalog
        item = catalog.item(service) if catalog and isinstance(service, str) else None
        if item is None or item.retired:
            raise EngineError("unknown_category", "没有这个事项")
        return item.category, item.code

    def _when(self, form: dict, category: str, now: float) -> tuple[str, str]:
        date, slot = form.get("date"), form.get("slot")
        try:
            day = dt.date.fromisoformat(date)
        except (TypeError, ValueError):
            raise EngineError("bad_request", "预约日期有误") from None
        if not isinstance(slot, str):
            raise EngineError("bad_request", "请选择预约时段")
        if day not in self._bookable_days(now) or slot not in self._open_slots(day, now):
            # a well-formed day and slot the hall does not offer (now): not the form's fault
            raise EngineError("conflict", "这个时段不能预约，请重新选择")
        return date, slot

    def _check_seat(self, store, category: str, date: str, slot: str) -> None:
        if store.booked(date, category, slot) >= self._capacity(store.capacities(), category, slot):
            raise EngineError("quota_exceeded", FULL)

    def _check_person(self, store, id_hash: str, date: str, now: float,
                      moving: str | None = None) -> None:
        mine = [b for b in store.bookings_of_person(id_hash) if b["code"] != moving]
        today = self.clock.date(now)
        blocked = self.blocked_until(mine, today)
        if blocked:
            day = dt.date.fromisoformat(blocked)
            raise EngineError("forbidden", f"您多次预约未到，{day.month}月{day.day}日起才能再预约")
        if sum(b["date"] == date for b in mine) >= self.settings.per_person_per_day:
            raise EngineError("limit_per_person",
                              f"每人每天最多预约{self.settings.per_person_per_day}次")
        if sum(b["date"] >= today and not b["checked_in"] for b in mine) \
                >= self.settings.per_person_open:
            raise EngineError("limit_per_person",
                              f"您已有{self.settings.per_person_open}个未办理的预约，"
                              "请办理或取消后再预约")

    def blocked_until(self, bookings: list[dict], today: str) -> str | None:
        """The day booking opens again for a person whose missed bookings (not checked in,
        not cancelled, day gone) reach the count within the window; None when not blocked."""
        s = self.settings
        if not s.no_show_count:
            return None
        first = (dt.date.fromisoformat(today) - dt.timedelta(days=s.no_show_window_days)).isoformat()
        missed = sorted(b["date"] for b in bookings
                        if not b["checked_in"] and first <= b["date"] < today)
        if len(missed) < s.no_show_count:
            return None
        until = dt.date.fromisoformat(missed[-1]) + dt.timedelta(days=s.no_show_block_days + 1)
        return until.isoformat() if until.isoformat() > today else None

    # -- the citizen's own booking: code + last four ID digits ------------------------------
    def find(self, code: object, last4: object) -> dict:
        return self.view(self._own(code, last4))

    def cancel(self, code: object, last4: object, now: float) -> dict:
        with self.service.exclusive() as store:
            booking = self._own(code, last4, store, changeable=True, now=now)
            store.cancel_appointment(booking["code"], now)
            return self.view(store.appointment(booking["code"]))

    def move(self, code: object, last4: object, form: dict, now: float) -> dict:
        """改约: the same booking (same code) on another day or slot of its category."""
        with self.service.exclusive() as store:
            booking = self._own(code, last4, store, changeable=True, now=now)
            date, slot = self._when(form, booking["category"], now)
            if (date, slot) == (booking["date"], booking["slot"]):
                return self.view(booking)
            self._check_person(store, booking["id_hash"], date, now, moving=booking["code"])
            self._check_seat(store, booking["category"], date, slot)
            store.move_appointment(booking["code"], date, slot)
            return self.view(store.appointment(booking["code"]))

    def _own(self, code: object, last4: object, store=None, *, changeable: bool = False,
             now: float = 0.0) -> dict:
        """The booking of a code whose holder's ID number ends in last4; one answer for a
        wrong code and a wrong last4, so that the answer does not tell a guesser which."""
        if not (isinstance(code, str) and re.fullmatch(rf"\d{{{CODE_DIGITS}}}", code)
                and isinstance(last4, str) and re.fullmatch(r"\d{3}[\dXx]", last4)):
            raise EngineError("unknown_ticket", NOT_FOUND)
        if store is None:
            with self.service.exclusive() as store:
                booking = store.appointment(code)
        else:
            booking = store.appointment(code)
        if booking is None or not secrets.compare_digest(booking["id_last4"] or "",
                                                         last4.upper()):
            raise EngineError("unknown_ticket", NOT_FOUND)
        if changeable and (booking["cancelled_at"] or booking["checked_in"]
                           or booking["date"] < self.clock.date(now)):
            raise EngineError("conflict", "这个预约已取消、已签到或已过期，不能再更改")
        return booking

    def view(self, booking: dict, *, with_code: bool = True) -> dict:
        """What the citizen's page and the manager see: masked, in the hall's words."""
        category = self.config.category(booking["category"])
        catalog = self.config.catalog
        item = catalog.item(booking["service"]) if catalog and booking.get("service") else None
        day = dt.date.fromisoformat(booking["date"])
        return {**({"code": booking["code"]} if with_code else {}),
                "category": booking["category"], "category_name": category.name if category else "",
                "service": booking.get("service"), "service_name": item.name if item else "",
                "date": booking["date"], "date_label": day_label(day), "slot": booking["slot"],
                "name": booking["name_masked"], "phone": booking.get("phone_masked"),
                "id_last4": booking["id_last4"], "status": status_of(booking, self.service.date),
                "status_text": STATUS_TEXT[status_of(booking, self.service.date)]}

    # -- the manager -------------------------------------------------------------------------
    def capacity_table(self) -> dict:
        with self.service.exclusive() as store:
            stored = store.capacities()
        slots = every_slot_label(self.config)
        return {"default": self.settings.capacity, "slots": slots,
                "categories": [{"id": c.id, "name": c.name,
                                "capacity": {s: self._capacity(stored, c.id, s) for s in slots}}
                               for c in self.config.categories]}

    def set_capacity(self, category: object, slot: object, capacity: object, staff: str | None,
                     now: float) -> dict:
        if not isinstance(capacity, int) or isinstance(capacity, bool) or not 0 <= capacity <= 999:
            raise EngineError("bad_request", "每个时段可约人数应为0到999")
        if not isinstance(slot, str):
            raise EngineError("bad_request", "请选择时段")
        self._category(category)
        if slot not in every_slot_label(self.config):
            raise EngineError("conflict", "本厅没有这个时段")
        with self.service.exclusive() as store:
            store.set_capacity(category, slot, capacity, staff, now)
        return self.capacity_table()

    def day_bookings(self, date: str) -> list[dict]:
        with self.service.exclusive() as store:
            rows = store.bookings_of_day(date)
        return [self.view(r, with_code=False) for r in rows]

    # -- check-in ---------------------------------------------------------------------------
    def serving(self, now: float) -> bool:
        """Whether bookings of today may check in now (延时 and weekend spans included)."""
        day = dt.date.fromisoformat(self.clock.date(now))
        return serving(self.config, self.calendar, day, self.clock.weekday_minute(now)[1])


STATUS_TEXT = {"booked": "已预约", "cancelled": "已取消", "checked_in": "已签到", "missed": "未到"}


def status_of(booking: dict, today: str) -> str:
    if booking["cancelled_at"]:
        return "cancelled"
    if booking["checked_in"]:
        return "checked_in"
    return "missed" if booking["date"] < today else "booked"


def day_label(day: dt.date) -> str:
    return f"{day.month}月{day.day}日 周{WEEKDAYS[day.weekday()]}"


def _minutes(hhmm: str) -> int:
    return int(hhmm[:2]) * 60 + int(hhmm[3:5])
