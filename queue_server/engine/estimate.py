"""Each waiting ticket's time to be called: a look-ahead of the hall from its present state.

The look-ahead plays the hall forward with mean times, as the windows would: every window
open now (idle, calling or serving) calls by the engine's rule (order.py: oldest first by
issue time across the categories it serves, priority tickets ahead of older normal ones
until one of those reaches the overtake bound), is busy for the mean time a ticket of that
category holds a window (handle time and no-shows, learned today and from the same weekday
before, scaled by how fast that window has been), and a window holding a ticket now is free
after that ticket's expected remaining time given how long it has been held. Priority
tickets keep arriving at the rate seen in the last hour and overtake, within the bound, like
real ones. One phantom normal ticket per category, issued now and taking no window time,
gives the wait of a ticket taken now (the queue state's figure).

The spread: each call ends a window's run of tickets whose handle times vary; the variance
of a ticket's call time is taken as the summed variance of the runs of the windows that
serve its category, divided by their number squared (W windows share the work). Where
mean +- one standard deviation spans RANGE_MIN_S or more, the figure is shown as a range.

Pure and stdlib-only; one run costs about a millisecond per hundred waiting tickets
(docs/benchmarks.md), and its result is kept until the hall changes (Forecasts).
"""
from __future__ import annotations

import bisect
import heapq
import math
from collections import deque
from dataclasses import dataclass, field
from itertools import count

from .model import OPEN_WINDOW_STATES

RANGE_MIN_S = 600.0          # mean +- sd spanning this much or more is shown as a range
PRIOR_WEIGHT = 10            # history's handle times count like this many of today's
DEFAULT_WEIGHT = 2           # without history, the configured default counts like this many
WINDOW_PRIOR = 3             # tickets a window is assumed to take at the category's pace
DEFAULT_CV = 0.5             # spread of handle times before any was measured
RATE_WINDOW_S = 3600.0       # priority arrivals are counted over the last hour
MIN_RATE_SPAN_S = 900.0      # ... but over at least this long (few early tickets say little)
HORIZON_S = 4 * 3600.0       # future priority arrivals are played this far ahead at most
REUSE_S = 30.0               # an unchanged hall's forecast is reused this long


@dataclass
class History:
    """What past days (the same weekday) say, per category: handle time mean and variance
    with their count, no-show share, and priority tickets per open hour."""
    handle: dict[str, tuple[float, float, int]] = field(default_factory=dict)
    no_show: dict[str, float] = field(default_factory=dict)
    prio_per_hour: dict[str, float] = field(default_factory=dict)


class Learned:
    """Today's handle times, no-shows and priority arrivals, with history as a prior."""

    def __init__(self, default_s: float, history: History | None = None):
        self.default_s = float(default_s)
        self.history = history or History()
        self.done: dict[str, list[float]] = {}        # category -> handle times, sorted
        self.sums: dict[str, tuple[int, float, float]] = {}   # category -> (n, sum, squares)
        self.no_show: dict[str, list[float]] = {}     # category -> how long each held a window
        self.window: dict[str, list[float]] = {}      # window -> [handle sum, category mean sum]
        self.prio_issued: dict[str, deque] = {}       # category -> issue times today
        self.first_issue: float | None = None

    # -- what happened ----------------------------------------------------------------------
    def issued(self, category: str, priority: bool, at: float) -> None:
        self.first_issue = at if self.first_issue is None else min(self.first_issue, at)
        if priority:
            self.prio_issued.setdefault(category, deque()).append(at)

    def finished(self, category: str, window: str | None, held_s: float, no_show: bool) -> None:
        if no_show:
            self.no_show.setdefault(category, []).append(held_s)
            return
        mean = self.handle_mean(category)
        bisect.insort(self.done.setdefault(category, []), held_s)
        n, total, squares = self.sums.get(category, (0, 0.0, 0.0))
        self.sums[category] = (n + 1, total + held_s, squares + held_s ** 2)
        if window is not None:
            acc = self.window.setdefault(window, [0.0, 0.0])
            acc[0] += held_s
            acc[1] += mean

    # -- what it says -----------------------------------------------------------------------
    def handle_mean(self, category: str) -> float:
        return self._handle(category)[0]

    def _handle(self, category: str) -> tuple[float, float]:
        """(mean, variance) of a done ticket's handle time: today's, pulled towards the same
        weekday's history (or the configured default) by PRIOR_WEIGHT tickets."""
        n, total, squares = self.sums.get(category, (0, 0.0, 0.0))
        h_mean, h_var, h_n = self.history.handle.get(category, (self.default_s, 0.0, 0))
        if h_n == 0:
            h_var = (DEFAULT_CV * h_mean) ** 2
        w = min(h_n, PRIOR_WEIGHT) if h_n else DEFAULT_WEIGHT
        mean = (total + w * h_mean) / (n + w)
        var = (squares + w * (h_var + h_mean ** 2)) / (n + w) - mean ** 2
        return mean, max(0.0, var)

    def occupancy(self, category: str) -> tuple[float, float]:
        """(mean, variance) of how long a called ticket of the category holds its window."""
        mean, var = self._handle(category)
        shows = self.no_show.get(category, ())
        n = len(self.done.get(category, ())) + len(shows)
        prior = self.history.no_show.get(category, 0.05)
        p = (len(shows) + PRIOR_WEIGHT * prior) / (n + PRIOR_WEIGHT)
        gone = sum(shows) / len(shows) if shows else min(mean, 180.0)
        both = (1 - p) * mean + p * gone
        return both, (1 - p) * (var + mean ** 2) + p * gone ** 2 - both ** 2

    def remaining(self, category: str, held_s: float) -> tuple[float, float]:
        """(mean, variance) of the rest of a ticket held for `held_s`: the handle times seen
        today that were longer, less what is done; the mean's tail when too few were."""
        xs = self.done.get(category, ())
        longer = xs[bisect.bisect_right(xs, held_s):]
        if len(longer) >= 5:
            rest = [x - held_s for x in longer]
            mean = sum(rest) / len(rest)
            return mean, sum((r - mean) ** 2 for r in rest) / len(rest)
        mean, var = self._handle(category)
        rest = max(mean - held_s, 0.25 * mean)
        return rest, min(var, (0.5 * rest) ** 2)

    def speed(self, window: str) -> float:
        """How long this window takes against its categories' means (1.0: as usual)."""
        took, usual = self.window.get(window, (0.0, 0.0))
        prior = WINDOW_PRIOR * self.default_s
        return min(2.0, max(0.5, (took + prior) / (usual + prior)))

    def prio_rate(self, category: str, now: float) -> float:
        """Priority tickets per second of the category: the last hour today, else history."""
        times = self.prio_issued.get(category)
        while times and times[0] < now - RATE_WINDOW_S:
            times.popleft()
        if self.first_issue is None or now - self.first_issue < MIN_RATE_SPAN_S:
            return self.history.prio_per_hour.get(category, 0.0) / 3600.0
        span = min(RATE_WINDOW_S, now - self.first_issue)
        return len(times or ()) / span


# ---------------------------------------------------------------------------------- look-ahead
@dataclass(frozen=True)
class Estimate:
    wait_s: float                 # expected seconds until the call
    sd_s: float                   # its standard deviation

    def range_s(self) -> tuple[int, int] | None:
        """(low, high) seconds where the spread is wide, else None."""
        low, high = max(0.0, self.wait_s - self.sd_s), self.wait_s + self.sd_s
        return (int(low), int(math.ceil(high))) if high - low >= RANGE_MIN_S else None


class _Ghost:
    """A ticket the look-ahead invents: a future priority arrival or a phantom taken now."""
    __slots__ = ("id", "issued_at", "overtaken", "category", "is_priority")

    def __init__(self, id_: int, issued_at: float, category: str, priority: bool):
        self.id, self.issued_at, self.overtaken = id_, issued_at, 0
        self.category, self.is_priority = category, priority


class _Queue:
    """One category's (or one window's reserved) tickets in the look-ahead, read by index."""
    __slots__ = ("name", "normals", "prios", "ni", "pi", "passes")

    def __init__(self, name: str, normals: list, prios: list):
        self.name, self.normals, self.prios = name, normals, prios
        self.ni = self.pi = 0
        self.passes: list[tuple] = []      # ages of priority tickets called past this queue

    def normal(self):
        return self.normals[self.ni] if self.ni < len(self.normals) else None

    def prio(self, t: float):
        """The oldest priority ticket already issued at look-ahead time t."""
        p = self.prios[self.pi] if self.pi < len(self.prios) else None
        return p if p is not None and p.issued_at <= t else None

    def next_arrival(self) -> float | None:
        return self.prios[self.pi].issued_at if self.pi < len(self.prios) else None

    def passed(self, n) -> int:
        """Times the normal ticket n has been passed: before and during the look-ahead."""
        return n.overtaken + len(self.passes) - bisect.bisect_right(self.passes, _age(n))


def _age(t) -> tuple:
    return (t.issued_at, t.id)


def look_ahead(engine, now: float) -> tuple[dict[int, Estimate], dict[str, Estimate]]:
    """({ticket id: Estimate} of waiting tickets, {category: Estimate of a ticket taken now})."""
    learned, bound = engine.learned, engine.rules.priority_max_overtakes
    ids = count(10 ** 12)
    phantoms = {c: _Ghost(next(ids), now, c, False) for c in engine.categories}
    phantom_ids = {p.id for p in phantoms.values()}
    queues = {c: _Queue(c, engine.normals[c] + [phantoms[c]],
                        engine.prios[c] + _arrivals(engine, c, now, ids))
              for c in engine.categories}
    windows, heap = [], []
    for slot in engine.slots.values():
        if slot.state not in OPEN_WINDOW_STATES:
            continue
        own = engine.reserved[slot.id]
        mine = [_Queue("@" + slot.id, [t for t in own if not t.is_priority],
                       [t for t in own if t.is_priority])] if own else []
        served = mine + [queues[c] for c in slot.served if c in queues]
        held = engine.held(slot)
        free, var = now, 0.0
        if held is not None and held.called_at is not None:
            rest, var = learned.remaining(held.category, now - held.called_at)
            free = now + rest * learned.speed(slot.id)
        windows.append([slot.id, served, var, learned.speed(slot.id)])
        heapq.heappush(heap, (free, len(windows) - 1))
    serving = {c: [w for w in windows if any(q is queues[c] for q in w[1])] for c in queues}
    cost = {c: learned.occupancy(c) for c in engine.categories}
    found: dict[int, Estimate] = {}
    while heap:
        t, i = heapq.heappop(heap)
        window = windows[i]
        ticket, queue = _pick(window[1], t, bound)
        if ticket is None:
            wake = [a for a in (q.next_arrival() for q in window[1]) if a is not None]
            if wake:
                heapq.heappush(heap, (max(t, min(wake)), i))
            continue
        phantom = ticket.id in phantom_ids
        if phantom or not isinstance(ticket, _Ghost):
            sharers = serving.get(ticket.category) or [window]
            var = sum(w[2] for w in sharers) / len(sharers) ** 2
            found[ticket.id] = Estimate(t - now, math.sqrt(var))
        if phantom:
            heapq.heappush(heap, (t, i))        # a phantom takes no window time
            continue
        mean, var = cost.get(ticket.category, (learned.default_s, 0.0))
        window[2] += var * window[3] ** 2
        heapq.heappush(heap, (t + mean * window[3], i))
    by_category = {c: found[p.id] for c, p in phantoms.items() if p.id in found}
    return found, by_category


def _arrivals(engine, category: str, now: float, ids) -> list:
    """Priority tickets expected to be issued from now until the kiosks stop, evenly spaced."""
    if not engine.categories[category].priority_allowed:
        return []
    rate = engine.learned.prio_rate(category, now)
    if rate <= 0:
        return []
    until = now + min(HORIZON_S, engine.issuing_left_s(now))
    gap = 1.0 / rate
    return [_Ghost(next(ids), now + k * gap, category, True)
            for k in range(1, int((until - now) / gap) + 1)]


def _pick(served: list[_Queue], t: float, bound: int):
    """The ticket a window calls at look-ahead time t, by the rule of order.py, and its queue;
    the passes of a priority call are counted on the queues it passes."""
    heads = [(n, q) for q in served if (n := q.normal()) is not None]
    prios = [(p, q) for q in served if (p := q.prio(t)) is not None]
    normal = min(heads, key=lambda nq: _age(nq[0]), default=None)
    prio = min(prios, key=lambda pq: _age(pq[0]), default=None)
    if prio is None and normal is None:
        return None, None
    if prio is not None and (normal is None or _age(prio[0]) < _age(normal[0])):
        return _take(prio, "pi")
    if prio is None:
        return _take(normal, "ni")
    # Within a queue the oldest normal ticket has been passed the most (order.py), so the
    # oldest ticket at the bound, if any, is the oldest head at the bound.
    p_age = _age(prio[0])
    older = [(n, q) for n, q in heads if _age(n) < p_age]
    due = [(n, q) for n, q in older if q.passed(n) >= bound]
    if due:
        return _take(min(due, key=lambda nq: _age(nq[0])), "ni")
    for _, q in older:
        bisect.insort(q.passes, p_age)
    return _take(prio, "pi")


def _take(pick: tuple, index: str) -> tuple:
    setattr(pick[1], index, getattr(pick[1], index) + 1)
    return pick


class Forecasts:
    """The hall's last look-ahead, kept until the hall changes or REUSE_S passes."""

    def __init__(self):
        self._key = None
        self._at = 0.0
        self.tickets: dict[int, Estimate] = {}
        self.categories: dict[str, Estimate] = {}

    def of(self, engine, now: float) -> "Forecasts":
        if self._key != engine.version or not 0 <= now - self._at < REUSE_S:
            self.tickets, self.categories = look_ahead(engine, now)
            self._key, self._at = engine.version, now
        return self

    def ticket(self, ticket_id: int, now: float) -> Estimate | None:
        return self._aged(self.tickets.get(ticket_id), now)

    def category(self, category: str, now: float) -> Estimate | None:
        return self._aged(self.categories.get(category), now)

    def _aged(self, e: Estimate | None, now: float) -> Estimate | None:
        """An estimate made a few seconds ago, less those seconds."""
        if e is None or now <= self._at:
            return e
        return Estimate(max(0.0, e.wait_s - (now - self._at)), e.sd_s)
