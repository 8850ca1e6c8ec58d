"""The state of one hall's day: tickets, queues and windows, changed only by its methods.

Pure: every method takes `now` (Unix seconds) and does no I/O. A method either raises
EngineError before changing anything, or changes the state and records what changed in
`self.changes` (rows to persist, retained states to republish, events to send).
"""
from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import heapq
import hmac
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .errors import CLOSED_DAY_MESSAGES, EngineError
from .estimate import Forecasts, History, Learned
from .model import (OPEN_WINDOW_STATES, PRIORITIES, HallClock, Person, Ticket, WindowSlot, age,
                    handle_s, queued)
from .order import call_order

if TYPE_CHECKING:   # the config's types, for readers; the engine needs none of its code
    from hall.config.model import Category, HallConfig


FACE_CHECK = {"result": ("pass", "fail"), "liveness": ("passed", "failed", "not_reached"),
              "distance": (int, float, type(None)), "tries": (int,), "at": (int, float)}


def check_face_result(face_check: object) -> None:
    """Only the result of a face check is kept with a ticket: its few known fields, never
    more (an image or an embedding has nowhere to go). The bus schema says the same."""
    if face_check is None:
        return
    ok = isinstance(face_check, dict) and set(face_check) <= set(FACE_CHECK) and all(
        (value in allowed) if isinstance(allowed[0], str) else isinstance(value, allowed)
        for key, value in face_check.items() for allowed in [FACE_CHECK[key]])
    if not ok or not {"result", "liveness", "tries", "at"} <= set(face_check):
        raise EngineError("bad_request", "人证核验结果格式有误")


def face_result(face_check: dict | None) -> str:
    """pass / fail (the kiosk's), staff (人工核验通过 at the window), or not_done."""
    return (face_check or {}).get("result") or "not_done"


@dataclass
class Changes:
    """What the last operations changed: rows to write now (ticket_rows, window_rows), and
    for the batch, retained states to republish (categories, window_states, hall) and events."""
    ticket_rows: dict[int, Ticket] = field(default_factory=dict)
    window_rows: set[str] = field(default_factory=set)
    categories: set[str] = field(default_factory=set)
    hall: bool = False
    events: list[tuple[str, dict]] = field(default_factory=list)
    window_states: set[str] = field(default_factory=set)

    def take_rows(self) -> tuple[list[Ticket], list[str]]:
        """Rows dirtied since the last call (states and events stay for the batch)."""
        rows = (list(self.ticket_rows.values()), sorted(self.window_rows))
        self.window_states |= self.window_rows
        self.ticket_rows, self.window_rows = {}, set()
        return rows


def ticket_number(category: Category, seq: int) -> str:
    return f"{category.prefix}{seq:0{4 if category.daily_cap > 999 else 3}d}"


class HallEngine:
    def __init__(self, config: HallConfig, link_secret: bytes, now: float,
                 day_kind: Callable[[dt.date], str] | None = None):
        """`day_kind`: what the working-day calendar says a date is ("working", "weekend",
        "holiday", "closure"); the service passes the hall's calendar. Without it every day
        is judged by its weekday alone ("ordinary")."""
        self.config = config
        self._day_kind = day_kind or (lambda day: "ordinary")
        self._day_kinds: dict[dt.date, str] = {}
        self.rules = config.rules
        self.clock = HallClock(config.timezone)
        self.link_secret = link_secret
        self.categories = {c.id: c for c in config.categories}
        self.slots = {w.id: WindowSlot(w.id, served=tuple(c for c in w.categories if c in self.categories))
                      for w in config.windows}
        self.serving = {c: [w for w in self.slots.values() if c in w.served]
                        for c in self.categories}
        self.tickets: dict[int, Ticket] = {}
        self.next_id = 1
        self.changes = Changes()
        self.history = History()
        self.version = 0           # grows with every change of a ticket or a window
        self.forecasts = Forecasts()
        self._start_day(self.clock.date(now))

    def _start_day(self, date: str) -> None:
        self.date = date
        self.by_number: dict[str, Ticket] = {}
        self.seq: Counter[str] = Counter()
        self.normals: dict[str, list[Ticket]] = {c: [] for c in self.categories}
        self.prios: dict[str, list[Ticket]] = {c: [] for c in self.categories}
        self.reserved: dict[str, list[Ticket]] = {w: [] for w in self.slots}
        self.per_person: Counter[tuple[str, str]] = Counter()
        self.learned = Learned(self.rules.handle_time_default_s, self.history)
        self.served_today = 0

    # ------------------------------------------------------------------ day
    def resume(self, tickets: list[Ticket], windows: list[dict], next_id: int) -> None:
        """Rebuild the day from stored rows (today's tickets plus those windows hold)."""
        self.next_id = max(self.next_id, next_id)
        for t in sorted(tickets, key=lambda t: t.id):
            self.tickets[t.id] = t
            if t.date != self.date:
                continue
            self._count_issued(t)
            if t.status == "waiting":
                self._enqueue(t)
            elif t.status in ("done", "no_show"):
                self._count_finished(t)
        for row in windows:
            slot = self.slots.get(row["id"])
            if slot:
                for name in ("state", "staff", "staff_name", "ticket_id", "reason", "since"):
                    setattr(slot, name, row[name])
        self._mark_all()

    def roll_day(self, now: float) -> bool:
        """At hall-local midnight: cancel what still waits, restart numbering; windows stay."""
        date = self.clock.date(now)
        if date <= self.date:
            return False
        for t in self._all_waiting():
            t.status, t.finished_at = "cancelled", now
            self._dirty(t)
        held = {s.ticket_id for s in self.slots.values() if s.ticket_id is not None}
        self.tickets = {i: t for i, t in self.tickets.items() if i in held}
        self._start_day(date)
        self._mark_all()
        return True

    def _all_waiting(self):
        for lists in (self.normals, self.prios, self.reserved):
            for queue in lists.values():
                yield from queue

    def _mark_all(self) -> None:
        self.changes.categories |= set(self.categories)
        self.changes.window_states |= set(self.slots)
        self.changes.hall = True

    def day_kind(self, now: float) -> str:
        day = self.clock.local(now).date()
        if day not in self._day_kinds:
            self._day_kinds = {day: self._day_kind(day)}    # one day at a time is enough
        return self._day_kinds[day]

    def is_open(self, now: float) -> bool:
        return self.config.hours.is_open(*self.clock.weekday_minute(now), self.day_kind(now))

    def _closed_message(self, now: float) -> str | None:
        """A day the hall does not open says why (holiday, local closure); None: the hours."""
        kind = self.day_kind(now)
        weekday = self.clock.weekday_minute(now)[0]
        return None if self.config.hours.opens_on(weekday, kind) else CLOSED_DAY_MESSAGES.get(kind)

    # ------------------------------------------------------------------ issuing
    def issue(self, now: float, category: str, *, priority: str = "normal",
              service: str | None = None, person: Person | None = None,
              kiosk: str | None = None, face_check: dict | None = None) -> Ticket:
        cat = self._category(category)
        if priority not in PRIORITIES or priority == "appointment":
            raise EngineError("bad_request", "优先类别有误")
        if service is not None and (not isinstance(service, str)
                                    or cat.services and service not in cat.services):
            raise EngineError("bad_request", "本业务没有这个事项")
        if cat.real_name and person is None:
            raise EngineError("bad_request", "此业务需要刷身份证取号")
        if cat.face_verify and face_check is None:
            raise EngineError("bad_request", "此业务需要人证核验")
        check_face_result(face_check)
        today = dt.date.fromisoformat(self.date)
        self._check_can_issue(now, cat)
        if person and cat.per_person_limit and \
                self.per_person[(cat.id, person.id_hash)] >= cat.per_person_limit:
            raise EngineError("limit_per_person", "您今天在此业务取号已达上限")
        if person and priority == "normal" and person.age_on(today) >= self.rules.elderly_age:
            priority = "elderly"
        t = self._new_ticket(now, cat, priority, service, person=person, kiosk=kiosk)
        t.face_check = face_check
        return t

    def check_in(self, now: float, appointment: dict, kiosk: str | None = None,
                 serving: bool = False) -> Ticket:
        """Issue the ticket of a booked appointment (row from the store, for today).
        `serving`: the hall serves bookings now (延时, weekend service) though the queue's
        own opening hours say closed."""
        cat = self._category(appointment["category"])
        self._check_can_issue(now, cat, open_anyway=serving)
        return self._new_ticket(now, cat, "appointment", None, appointment=appointment, kiosk=kiosk)

    def _category(self, category: object) -> Category:
        cat = self.categories.get(category) if isinstance(category, str) else None
        if cat is None:
            raise EngineError("unknown_category")
        return cat

    def _check_can_issue(self, now: float, cat: Category, open_anyway: bool = False) -> None:
        if not (open_anyway or self.is_open(now)):
            raise EngineError("closed", self._closed_message(now))
        if self.seq[cat.id] >= cat.daily_cap:
            raise EngineError("quota_exceeded")

    def _new_ticket(self, now: float, cat: Category, priority: str, service: str | None, *,
                    person: Person | None = None, appointment: dict | None = None,
                    kiosk: str | None = None) -> Ticket:
        if not cat.priority_allowed:
            priority = "normal"
        seq = self.seq[cat.id] + 1
        number = ticket_number(cat, seq)
        t = Ticket(id=self.next_id, date=self.date, category=cat.id, origin=cat.id, seq=seq,
                   number=number, priority=priority, issued_at=now, service=service,
                   token=self.token(self.date, number), kiosk=kiosk)
        source = person.__dict__ if person else appointment or {}
        t.id_hash, t.id_last4 = source.get("id_hash"), source.get("id_last4")
        t.name_masked = source.get("name_masked") or None
        t.appointment = appointment["code"] if appointment else None
        self.next_id += 1
        self.tickets[t.id] = t
        self._count_issued(t)
        self._enqueue(t)
        self._dirty(t)
        self.changes.events.append(("ticket_issued", {
            "ticket": number, "category": cat.id, "priority": priority, "ts": now}))
        return t

    def token(self, date: str, number: str) -> str:
        """Unguessable name of a ticket for the mobile page link."""
        return hmac.new(self.link_secret, f"{date}/{number}".encode(), hashlib.sha256).hexdigest()[:32]

    def _count_issued(self, t: Ticket) -> None:
        self.by_number[t.number] = t
        self.learned.issued(t.category, t.is_priority, t.issued_at)
        self.seq[t.origin] = max(self.seq[t.origin], t.seq)
        if t.id_hash:
            self.per_person[(t.origin, t.id_hash)] += 1

    # ------------------------------------------------------------------ queues
    def _queue_of(self, t: Ticket) -> list[Ticket]:
        if t.reserved_for is not None:
            return self.reserved[t.reserved_for]
        return (self.prios if t.is_priority else self.normals)[t.category]

    def _enqueue(self, t: Ticket) -> None:
        if t.category not in self.categories or \
                t.reserved_for is not None and t.reserved_for not in self.reserved:
            return   # the config lost its category or window: stored, never called
        bisect.insort(self._queue_of(t), t, key=age)
        self._touch_queue(t)

    def _dequeue(self, t: Ticket) -> None:
        queue = self._queue_of(t)
        del queue[bisect.bisect_left(queue, age(t), key=age)]
        self._touch_queue(t)

    def _touch_queue(self, t: Ticket) -> None:
        self.changes.categories.add(t.category)
        if t.reserved_for is not None:     # the window's own queue is part of its state
            self.changes.window_states.add(t.reserved_for)
        self.changes.hall = True

    def window_key(self, slot: WindowSlot):
        rank = {c: i for i, c in enumerate(slot.served)}
        return lambda t: (queued(t), -1 if t.reserved_for else rank[t.category], t.id)

    def candidates(self, slot: WindowSlot):
        """(normal tickets, priority tickets, key) a window calls from: lazy merges, oldest
        first by the window's key (its reserved tickets first among equals)."""
        key = self.window_key(slot)
        own = self.reserved[slot.id]
        normals = heapq.merge(*(self.normals[c] for c in slot.served),
                              [t for t in own if not t.is_priority], key=key)
        prios = heapq.merge(*(self.prios[c] for c in slot.served),
                            [t for t in own if t.is_priority], key=key)
        return normals, prios, key

    # ------------------------------------------------------------------ windows
    def slot(self, window_id: str) -> WindowSlot:
        slot = self.slots.get(window_id)
        if slot is None:
            raise EngineError("forbidden", "没有这个窗口")
        return slot

    def _require(self, slot: WindowSlot, *states: str) -> None:
        if slot.state in states:
            return
        if slot.state == "closed":
            raise EngineError("not_logged_in")
        raise EngineError("conflict", _CONFLICT.get(slot.state, _CONFLICT["idle"]))

    def held(self, slot: WindowSlot) -> Ticket | None:
        return self.tickets.get(slot.ticket_id) if slot.ticket_id is not None else None

    def _set(self, slot: WindowSlot, now: float, state: str, ticket: Ticket | None = None) -> None:
        was_open = slot.state in OPEN_WINDOW_STATES
        slot.state, slot.since = state, now
        self.version += 1
        slot.ticket_id = ticket.id if ticket else None
        if state != "paused":
            slot.reason = None
        self.changes.window_rows.add(slot.id)
        self.changes.hall = True
        if was_open != (state in OPEN_WINDOW_STATES):
            self.changes.categories |= set(slot.served)   # wait estimates change

    def login(self, now: float, window_id: str, staff: str, staff_name: str) -> WindowSlot:
        """A person sits at one window: logging in at a second window logs the first one out,
        unless a citizen is being called or served there (then `conflict`)."""
        slot = self.slot(window_id)
        if slot.state in ACTIVE_WINDOW and slot.staff != staff:
            raise EngineError("conflict", "窗口正在办理，请先办结当前号")
        if slot.staff == staff and slot.state != "closed":
            return slot
        other = next((s for s in self.slots.values() if s.staff == staff and s is not slot
                      and s.state != "closed"), None)
        if other is not None and other.state in ACTIVE_WINDOW:
            name = self.config.window(other.id).name
            raise EngineError("conflict", f"您在{name}还有号没办完，请先办结再换窗口")
        if other is not None:
            other.staff = other.staff_name = None
            self._set(other, now, "closed")
        slot.staff, slot.staff_name = staff, staff_name
        self._set(slot, now, "idle")
        return slot

    def logout(self, now: float, window_id: str) -> WindowSlot:
        slot = self.slot(window_id)
        self._require(slot, "idle", "paused")
        slot.staff = slot.staff_name = None
        self._set(slot, now, "closed")
        return slot

    def pause(self, now: float, window_id: str, reason: str | None = None) -> WindowSlot:
        slot = self.slot(window_id)
        self._require(slot, "idle")
        self._set(slot, now, "paused")
        slot.reason = reason
        return slot

    def resume_window(self, now: float, window_id: str) -> WindowSlot:
        slot = self.slot(window_id)
        self._require(slot, "paused")
        self._set(slot, now, "idle")
        return slot

    def call_next(self, now: float, window_id: str) -> Ticket:
        slot = self.slot(window_id)
        self._require(slot, "idle")
        normals, prios, key = self.candidates(slot)
        order = call_order(normals, prios, self.rules.priority_max_overtakes, key)
        if not order:
            raise EngineError("no_ticket_waiting")
        t, passed = order[0]
        for n in passed:
            n.overtaken += 1
            self._dirty(n)
            self.changes.categories.add(n.category)
        self._dequeue(t)
        t.status, t.window, t.staff, t.called_at, t.attempt = "called", slot.id, slot.staff, now, 1
        t.reserved_for = None
        self._dirty(t)
        self._set(slot, now, "calling", t)
        self._announce(now, slot, t)
        return t

    def recall(self, now: float, window_id: str) -> Ticket:
        slot = self.slot(window_id)
        self._require(slot, "calling")
        t = self.held(slot)
        if self.recalls_left(t) == 0:     # the window's state said so: the button reads 过号
            return self._close_ticket(now, slot, t, "no_show")
        t.attempt += 1
        self._dirty(t)
        self.changes.window_rows.add(slot.id)
        self._announce(now, slot, t)
        return t

    def recalls_left(self, t: Ticket) -> int:
        """Recalls that still call the ticket; at 0 the next 重呼 marks it a no-show."""
        return max(0, self.rules.max_recalls + 1 - t.attempt)

    def skip(self, now: float, window_id: str) -> Ticket:
        slot = self.slot(window_id)
        self._require(slot, "calling")
        return self._close_ticket(now, slot, self.held(slot), "no_show")

    def start(self, now: float, window_id: str) -> Ticket:
        slot = self.slot(window_id)
        self._require(slot, "calling")
        t = self.held(slot)
        t.status, t.started_at = "serving", now
        self._dirty(t)
        self._set(slot, now, "serving", t)
        return t

    def finish(self, now: float, window_id: str, outcome: str = "done",
               reason: str | None = None) -> Ticket:
        if outcome not in ("done", "not_done"):
            raise EngineError("bad_request", "办理结果只能是办结或未办成")
        slot = self.slot(window_id)
        self._require(slot, "calling", "serving")
        t = self.held(slot)
        t.outcome, t.reason = outcome, reason
        return self._close_ticket(now, slot, t, "done")

    def transfer(self, now: float, window_id: str, to_category: str | None = None,
                 to_window: str | None = None) -> Ticket:
        if (to_category is None) == (to_window is None):
            raise EngineError("bad_request", "请选择转到的业务或窗口（只选一个）")
        if to_category is not None:
            self._category(to_category)
        elif not isinstance(to_window, str) or to_window not in self.slots:
            raise EngineError("bad_request", "没有这个窗口")
        slot = self.slot(window_id)
        self._require(slot, "calling", "serving")
        if to_window == slot.id:
            raise EngineError("conflict", "不能转到本窗口")
        t = self.held(slot)
        self._set(slot, now, "idle")
        t.transferred_from = {"category": t.category, "window": slot.id}
        self.changes.categories.add(t.category)
        t.status, t.window, t.staff, t.called_at, t.started_at, t.attempt = \
            "waiting", None, None, None, None, 0
        t.category = to_category or t.category
        t.reserved_for = to_window
        self._enqueue(t)
        self._dirty(t)
        self._finished_event(now, slot, t, "transferred")
        return t

    def requeue(self, now: float, number: object) -> Ticket:
        """过号重排: a no-show of today comes back behind the next `requeue_behind` tickets of
        its queue, once, within `requeue_within_min` of being skipped."""
        t = self.lookup(number)
        if t.status != "no_show":
            raise EngineError("conflict", _NOT_REQUEUED.get(t.status, "这个号没有过号，不用重排"))
        if t.queued_at is not None:
            raise EngineError("conflict", "这个号已经重排过一次，请重新取号")
        until = self.requeue_until(t)
        if until is None or now > until:
            raise EngineError("conflict", "过号已超过重排时限，请重新取号")
        t.queued_at = self._place_behind(t, now)
        t.status, t.finished_at, t.window, t.staff = "waiting", None, None, None
        t.called_at = t.started_at = None
        t.attempt = 0
        self._enqueue(t)
        self._dirty(t)
        return t

    def verify_face_by_staff(self, now: float, window_id: str, needed: bool) -> Ticket:
        """人工核验通过: the clerk of the window checked the held ticket's holder against the
        ID card, after the kiosk's face check failed or could not be done. The kiosk's result
        stays in the record under `kiosk`."""
        slot = self.slots[window_id]
        t = self.held(slot)
        if t is None:
            raise EngineError("conflict", "请先叫号，再核验")
        if not needed:
            raise EngineError("conflict", "这个号不需要人证核验")
        if face_result(t.face_check) in ("pass", "staff"):
            raise EngineError("conflict", "这个号已经核验过了")
        t.face_check = {"result": "staff", "staff": slot.staff, "at": now, "kiosk": t.face_check}
        self._dirty(t)
        return t

    def requeue_until(self, t: Ticket) -> float | None:
        """Until when a no-show may still come back (None: it may not)."""
        within_s = self.rules.requeue_within_min * 60
        if t.status != "no_show" or t.queued_at is not None or not within_s \
                or t.finished_at is None or t.date != self.date:
            return None
        return t.finished_at + within_s

    def _place_behind(self, t: Ticket, now: float) -> float:
        """A place just behind the `requeue_behind`-th waiting ticket of the queue `t` joins
        (or behind all of them when fewer wait: every place is a moment already past).
        Tickets issued in the very same instant as the N-th (a frozen test clock) stay ahead."""
        queue = self._queue_of(t)
        n = self.rules.requeue_behind
        if n == 0:
            return queued(queue[0]) - 1.0 if queue else now
        if len(queue) < n:
            return now
        return math.nextafter(queued(queue[n - 1]), math.inf)

    def _close_ticket(self, now: float, slot: WindowSlot, t: Ticket, status: str) -> Ticket:
        t.status, t.finished_at = status, now
        self._count_finished(t)
        self.changes.categories.add(t.category)   # handle times or the no-show share moved
        self._dirty(t)
        self._set(slot, now, "idle")
        self._finished_event(now, slot, t, status)
        return t

    def _count_finished(self, t: Ticket) -> None:
        """A done or no-show ticket: what it teaches the estimates (and the day's count)."""
        if t.status == "done":
            self.served_today += 1
        handled = handle_s(t.called_at, t.finished_at)
        if handled is not None:
            self.learned.finished(t.category, t.window, handled, no_show=t.status == "no_show")

    def _announce(self, now: float, slot: WindowSlot, t: Ticket) -> None:
        name = self.config.window(slot.id).name
        self.changes.events.append(("call", {
            "ticket": t.number, "window": slot.id, "window_name": name, "category": t.category,
            "attempt": t.attempt, "ts": now}))   # the service adds the sentence (hall.words)

    def _finished_event(self, now: float, slot: WindowSlot, t: Ticket, status: str) -> None:
        handled = handle_s(t.called_at, now) if status == "done" else None
        self.changes.events.append(("ticket_finished", {
            "ticket": t.number, "category": t.category, "window": slot.id, "status": status,
            "outcome": t.outcome if status == "done" else None,
            "handle_s": None if handled is None else round(handled, 1),
            "ts": now}))

    def _dirty(self, t: Ticket) -> None:
        self.changes.ticket_rows[t.id] = t
        self.version += 1

    def lookup(self, number: object) -> Ticket:
        t = self.by_number.get(number) if isinstance(number, str) else None
        if t is None:
            raise EngineError("unknown_ticket")
        return t

    # ------------------------------------------------------------------ estimates
    def learn_history(self, history: History) -> None:
        """What past days of the same weekday say (the service reads them from the store)."""
        self.history = self.learned.history = history
        self.version += 1

    def forecast(self, now: float) -> Forecasts:
        """The look-ahead of the hall as it is now (estimate.py), kept until it changes."""
        return self.forecasts.of(self, now)

    def issuing_left_s(self, now: float) -> float:
        """Seconds until the kiosks stop issuing today (0 once they have)."""
        hours = self.config.hours
        _weekday, minute = self.clock.weekday_minute(now)
        return max(0.0, (hours.close - hours.last_ticket_before_close - minute) * 60.0)

    def open_windows(self, category: str) -> int:
        return sum(1 for w in self.serving.get(category, ()) if w.state in OPEN_WINDOW_STATES)

    def waiting_count(self) -> int:
        return sum(len(q) for lists in (self.normals, self.prios, self.reserved)
                   for q in lists.values())


ACTIVE_WINDOW = ("calling", "serving")
_NOT_REQUEUED = {
    "waiting": "这个号还在等候，不用重排",
    "called": "这个号正在叫，请直接到窗口",
    "serving": "这个号正在办理",
    "done": "这个号已经办结",
    "cancelled": "这个号已作废，请重新取号",
}
_CONFLICT = {
    "calling": "窗口正在叫号，请先办结当前号",
    "serving": "窗口正在办理，请先办结当前号",
    "paused": "窗口已暂停服务，请先恢复",
    "idle": "窗口当前没有在办理的号",
}
