"""A simulated day played against the engine in-process, on a simulated clock.

The kiosks issue each citizen's ticket at their arrival (day.py), every window logs in
before opening and calls as soon as it is free (POLL_S later again when its queues are
empty), recalls a no-show twice a minute apart and skips it, and otherwise starts WALK_S
after the call and finishes after the citizen's service time, as `yichuang simulate` plays
them over the bus. The engine is the code the server runs: the calling order, the
priority bound and the windows' preferences are its own, not a copy.

`open_at(window, now)` says which windows are staffed when (capacity planning closes some
for an hour); a window that is not finishes its ticket and pauses, and comes back at the
next hour it is staffed. `wait_benchmark` (bench/estimate.py) and the planner (plan.py)
both play their days here.
"""
from __future__ import annotations

import datetime as dt
import heapq
import math
from itertools import count
from zoneinfo import ZoneInfo

POLL_S, WALK_S, RECALL_S = 30.0, 40.0, 60.0
AFTER_CLOSE_S = 6 * 3600.0       # a ticket no staffed window serves is given up this late


class HallDay:
    """One day of `citizens` (day.py) against a fresh engine of `config` on `day`."""

    def __init__(self, config, citizens, day: dt.date, open_at=None):
        from queue_server.engine import HallEngine

        self.config, self.citizens = config, citizens
        opening, zone = config.hours.open, ZoneInfo(config.timezone)
        self.opening = dt.datetime.combine(day, dt.time(opening // 60, opening % 60), zone).timestamp()
        self.give_up = self.opening + (config.hours.close - opening) * 60 + AFTER_CLOSE_S
        self.open_at = open_at or (lambda window, now: True)
        # staff arrive a minute before opening (at midnight for a hall open round the clock)
        self.arrive = max(self.opening - 60, dt.datetime.combine(day, dt.time(0), zone).timestamp())
        self.engine = HallEngine(config, b"sim-day" * 5, self.arrive)
        self.by_number: dict[str, object] = {}
        self.until, self.uncalled = None, 0      # tickets issued before `until` not yet called
        self.events: list = []
        self.seq = count()
        self.issuing = True
        self.resting: set[str] = set()      # windows paused until their next staffed hour
        self.idle_since: dict[str, float] = {}   # windows polling empty queues, since when
        self.rank = {w.id: i for i, w in enumerate(config.windows)}

    def at(self, when: float, what, *args) -> None:
        heapq.heappush(self.events, (when, next(self.seq), what, args))

    def run(self, until: float | None = None):
        """Play the day; with `until`, stop once every ticket issued before then has been
        called. Returns the engine, holding every ticket of the day."""
        self.until, self.uncalled = until, 0
        for w in self.config.windows:
            self.engine.login(self.arrive, w.id, f"s{w.id}", "模*员")
            self.at(self.opening, self._free, w.id)
        for c in self.citizens:
            self.at(self.opening + c.arrive_s, self._arrive, c)
        last = self.citizens[-1].arrive_s if self.citizens else 0.0
        self.at(self.opening + last + 1, self._stop_issuing)
        hour = self.opening - self.opening % 3600 + 3600
        while hour < self.give_up:            # staffed windows come back each hour
            self.at(hour, self._shift)
            hour += 3600
        while self.events:
            when, _, what, args = heapq.heappop(self.events)
            what(when, *args)
            if until is not None and when >= until and not self.uncalled:
                break
        return self.engine

    def _stop_issuing(self, now: float) -> None:
        self.issuing = False

    def _shift(self, now: float) -> None:
        for window in sorted(self.resting):
            if self.open_at(window, now):
                self.resting.discard(window)
                self.engine.resume_window(now, window)
                self._free(now, window)

    def _arrive(self, now: float, citizen) -> None:
        from queue_server.engine import Person

        born = dt.date(int(citizen.id_number[6:10]), int(citizen.id_number[10:12]),
                       int(citizen.id_number[12:14]))
        person = Person(f"h{citizen.n}", citizen.id_number[-4:], "模*民", born)
        t = self.engine.issue(now, citizen.category, person=person)
        self.by_number[t.number] = citizen
        self.uncalled += self.until is not None and now < self.until
        self._wake(now, t.category)
        self.issued(now, t)

    def _wake(self, now: float, category: str) -> None:
        """The windows polling empty queues that serve `category` call at their next poll
        (polls that would find nothing are not played: a day of them costs seconds). Windows
        polling on the same beat poll in the config's order, as they would."""
        for window, since in sorted(self.idle_since.items(), key=lambda item: self.rank[item[0]]):
            if category in self.engine.slots[window].served:
                del self.idle_since[window]
                self.at(since + max(1, math.ceil((now - since) / POLL_S)) * POLL_S, self._free, window)

    def issued(self, now: float, ticket) -> None:
        """A ticket was issued (the wait benchmark records its estimates here)."""

    def _free(self, now: float, window: str) -> None:
        from queue_server.engine import EngineError

        if not self.open_at(window, now):
            self.resting.add(window)
            self.engine.pause(now, window)
            return
        try:
            t = self.engine.call_next(now, window)
        except EngineError:
            self.idle_since[window] = now
            return
        citizen = self.by_number[t.number]
        self.uncalled -= self.until is not None and t.issued_at < self.until
        if citizen.no_show:
            for k in range(1, self.config.rules.max_recalls + 1):
                self.at(now + k * RECALL_S, self._act, "recall", window)
            done = now + (self.config.rules.max_recalls + 1) * RECALL_S
            self.at(done, self._act, "skip", window)
        else:
            self.at(now + min(WALK_S, citizen.service_s / 2), self._act, "start", window)
            done = now + citizen.service_s
            self.at(done, self._act, "finish", window)
        self.at(done, self._free, window)

    def _act(self, now: float, action: str, window: str) -> None:
        getattr(self.engine, action)(now, window)
