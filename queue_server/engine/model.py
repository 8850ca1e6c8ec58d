"""The engine's mutable records: tickets and window slots, plus hall-local time."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

TICKET_STATUSES = ("waiting", "called", "serving", "done", "no_show", "transferred", "cancelled")
WINDOW_STATES = ("closed", "idle", "calling", "serving", "paused")
OPEN_WINDOW_STATES = ("idle", "calling", "serving")   # a window that is working through a queue
PRIORITIES = ("normal", "appointment", "elderly", "disabled", "green")


@dataclass(frozen=True)
class Person:
    """What the hall keeps of a citizen: a keyed hash of the ID number, never the number."""
    id_hash: str
    id_last4: str
    name_masked: str
    birth: dt.date

    def age_on(self, day: dt.date) -> int:
        before_birthday = (day.month, day.day) < (self.birth.month, self.birth.day)
        return day.year - self.birth.year - before_birthday


@dataclass(slots=True, eq=False)
class Ticket:
    id: int                      # unique across days; also the last tie-breaker of the order
    date: str                    # hall-local day of issue, ISO
    category: str                # the queue it waits in now (changes on transfer)
    origin: str                  # the category whose sequence gave the number
    seq: int
    number: str                  # "A012"
    priority: str
    issued_at: float
    token: str = ""
    status: str = "waiting"
    service: str | None = None
    window: str | None = None
    staff: str | None = None
    called_at: float | None = None
    started_at: float | None = None
    finished_at: float | None = None
    attempt: int = 0
    overtaken: int = 0           # times a younger priority ticket was called ahead of it
    reserved_for: str | None = None     # window id after a transfer to a window
    transferred_from: dict | None = None
    outcome: str | None = None   # done | not_done
    reason: str | None = None
    id_hash: str | None = None
    id_last4: str | None = None
    name_masked: str | None = None
    appointment: str | None = None
    kiosk: str | None = None     # the kiosk that issued it (migration 0002)
    queued_at: float | None = None   # its place after 过号重排 (migration 0003); None: issued_at

    @property
    def is_priority(self) -> bool:
        return self.priority != "normal"


def handle_s(called_at: float | None, finished_at: float | None) -> float | None:
    """Handle time of a finished ticket: from its call to its finish (docs/queue.md). The
    wait for the citizen to walk up counts: the window is busy with the ticket from the call."""
    if called_at is None or finished_at is None:
        return None
    return max(0.0, finished_at - called_at)


def queued(t: Ticket) -> float:
    """Where a ticket stands in its queue: its issue time, or its new place after 过号重排."""
    return t.issued_at if t.queued_at is None else t.queued_at


def age(t: Ticket) -> tuple[float, int]:
    """Order of a queue: place, then ticket id (a transferred ticket keeps its place)."""
    return (queued(t), t.id)


@dataclass(slots=True)
class WindowSlot:
    id: str
    state: str = "closed"
    staff: str | None = None           # staff id
    staff_name: str | None = None      # masked (王*明) by whoever logs in: what displays show
    ticket_id: int | None = None
    reason: str | None = None          # pause reason
    since: float | None = None
    served: tuple[str, ...] = field(default=())   # categories in order of preference


class HallClock:
    """Hall-local date and minute from Unix time (the engine never reads the clock)."""

    def __init__(self, timezone: str):
        self.zone = ZoneInfo(timezone)

    def local(self, now: float) -> dt.datetime:
        return dt.datetime.fromtimestamp(now, self.zone)

    def date(self, now: float) -> str:
        return self.local(now).date().isoformat()

    def weekday_minute(self, now: float) -> tuple[int, int]:
        t = self.local(now)
        return t.isoweekday(), t.hour * 60 + t.minute
