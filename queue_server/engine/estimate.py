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
import datetime as dt
import heapq
import math
from collections import deque
from dataclasses import dataclass, field
from itertools import count

from .model import OPEN_WINDOW_STATES, age

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


def history_days(day, weeks: int) -> list[str]:
    """The same weekday of the `weeks` weeks before `day` (a date), ISO: what history is."""
    return [(day - dt.timedelta(weeks=k)).isoformat() for k in range(1, weeks + 1)]


def issuing_hours(hours) -> float:
    """Hours a day the kiosks issue tickets (config hours: open to last ticket, less lunch)."""
    minutes = hours.close - hours.last_ticket_before_close - hours.open
    if hours.lunch:
        minutes -= hours.lunch[1] - hours.lunch[0]
    return max(0.0, minutes / 60)


def history_of(tickets, days: int, issuing_hours: float) -> History:
    """History from the tickets of `days` past days (the service picks the same weekday)."""
    done: dict[str, list[float]] = {}
    shows: dict[str, int] = {}
    prios: dict[str, int] = {}
    for t in tickets:
        if t.is_priority:
            prios[t.category] = prios.get(t.category, 0) + 1
        if t.called_at is None or t.finished_at is None:
            continue
        if t.status == "done":
            done.setdefault(t.category, []).append(max(0.0, t.finished_at - t.called_at))
        elif t.status == "no_show":
            shows[t.category] = shows.get(t.category, 0) + 1
    handle = {}
    for c, xs in done.items():
        mean = sum(xs) / len(xs)
        handle[c] = (mean, sum((x - mean) ** 2 for x in xs) / len(xs), len(xs))
    no_show = {c: shows.get(c, 0) / (len(done.get(c, ())) + shows.get(c, 0))
               for c in set(done) | set(shows)}
    hours = max(1.0, days * issuing_hours)
    return History(handle, no_show, {c: n / hours for c, n in prios.items()})


class Learned:
    """Today's handle times, no-shows and priority arrivals, with history as a prior."""

    def __init__(self, default_s: float, history: History | None = None):
        self.default_s = float(default_s)
        self.history = history or History()
        self.done: dict[str, list[float]] = {}        # category -> handle times, sorted
        self.sums: dict[str, tuple[int, float, float]] = {}   # category -> (n, sum, squares)
        self.no_show: dict[str, list[float]] = {}     # category -> how long each held a window
        self.window: dict[str, dict[str, list]] = {}  # window -> category -> [n, handle sum]
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
        bisect.insort(self.done.setdefault(category, []), held_s)
        n, total, squares = self.sums.get(category, (0, 0.0, 0.0))
        self.sums[category] = (n + 1, total + held_s, squares + held_s ** 2)
        if window is not None:
            acc = self.window.setdefault(window, {}).setdefault(category, [0, 0.0])
            acc[0] += 1
            acc[1] += held_s

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
        done = self.window.get(window, {})
        took = sum(total for _, total in done.values())
        usual = sum(n * self.handle_mean(c) for c, (n, _) in done.items())
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
    __slots__ = ("id", "issued_at", "queued_at", "overtaken", "category")

    def __init__(self, id_: int, issued_at: float, category: str):
        self.id, self.issued_at, self.queued_at = id_, issued_at, None
        self.overtaken, self.category = 0, category


class _Queue:
    """One category's (or one window's reserved) tickets in the look-ahead, read by index,
    then priority tickets expected every `gap` seconds from `ghost_at` until `until`. The
    keys (issue time, id) of the heads are kept: the engine's order compares them."""
    __slots__ = ("category", "normals", "prios", "ni", "pi", "nk", "pk", "passes",
                 "ghost_at", "gap", "until", "ids")

    def __init__(self, category: str, normals: list, prios: list, arrivals=None):
        self.category, self.normals, self.prios = category, normals, prios
        self.ni = self.pi = 0
        self.passes: list[tuple] = []      # keys of priority tickets called past this queue
        self.ghost_at = None
        if arrivals is not None:           # (first, gap, until, ids)
            self.ghost_at, self.gap, self.until, self.ids = arrivals
        self.nk = _key(normals[0]) if normals else None
        self._prio_head()

    def _prio_head(self) -> None:
        if self.pi < len(self.prios):
            self.pk = _key(self.prios[self.pi])
        elif self.ghost_at is not None and self.ghost_at <= self.until:
            self.pk = (self.ghost_at, next(self.ids))
        else:
            self.pk = None

    def take_normal(self):
        t = self.normals[self.ni]
        self.ni += 1
        self.nk = _key(self.normals[self.ni]) if self.ni < len(self.normals) else None
        return t

    def take_prio(self):
        if self.pi < len(self.prios):
            t = self.prios[self.pi]
            self.pi += 1
        else:
            t = _Ghost(self.pk[1], self.pk[0], self.category)
            self.ghost_at += self.gap
        self._prio_head()
        return t

    def passed(self) -> int:
        """Times the head normal ticket has been passed: before and during the look-ahead."""
        n = self.normals[self.ni]
        return n.overtaken + len(self.passes) - bisect.bisect_right(self.passes, self.nk)


_key = age     # the order of a queue (model.py): place, then ticket id


def look_ahead(engine, now: float) -> tuple[dict[int, Estimate], dict[str, Estimate]]:
    """({ticket id: Estimate} of waiting tickets, {category: Estimate of a ticket taken now})."""
    learned, bound = engine.learned, engine.rules.priority_max_overtakes
    ids = count(10 ** 12)
    phantoms = {c: _Ghost(next(ids), now, c) for c in engine.categories}
    until = now + min(HORIZON_S, engine.issuing_left_s(now))
    queues = {c: _Queue(c, engine.normals[c] + [phantoms[c]], engine.prios[c],
                        _arrivals(engine, c, now, until, ids))
              for c in engine.categories}
    windows, heap = [], []
    spread = dict.fromkeys(queues, 0.0)     # summed variance of the windows serving each
    sharing = dict.fromkeys(queues, 0)      # ... and how many there are
    for slot in engine.slots.values():
        if slot.state not in OPEN_WINDOW_STATES:
            continue
        own = engine.reserved[slot.id]
        mine = [_Queue("", [t for t in own if not t.is_priority],
                       [t for t in own if t.is_priority])] if own else []
        cats = [c for c in slot.served if c in queues]
        speed = learned.speed(slot.id)
        held = engine.held(slot)
        free, var = now, 0.0
        if held is not None and held.called_at is not None:
            rest, var = learned.remaining(held.category, now - held.called_at)
            free, var = now + rest * speed, var * speed ** 2
        for c in cats:
            spread[c] += var
            sharing[c] += 1
        windows.append((mine + [queues[c] for c in cats], cats, speed))
        heapq.heappush(heap, (free, len(windows) - 1))
    cost = {c: learned.occupancy(c) for c in engine.categories}
    found: dict[int, Estimate] = {}
    wanted = engine.waiting_count() + len(phantoms)
    while heap and len(found) < wanted:
        t, i = heapq.heappop(heap)
        served, cats, speed = windows[i]
        ticket = _pick(served, t, bound)
        if ticket is None:
            wake = [q.pk[0] for q in served if q.pk is not None]
            if wake:
                heapq.heappush(heap, (max(t, min(wake)), i))
            continue
        c = ticket.category
        if type(ticket) is not _Ghost or ticket is phantoms[c]:
            found[ticket.id] = Estimate(t - now, math.sqrt(spread.get(c, 0.0)) / max(1, sharing.get(c, 0)))
            if type(ticket) is _Ghost:
                heapq.heappush(heap, (t, i))        # a phantom takes no window time
                continue
        mean, var = cost.get(c, (learned.default_s, 0.0))
        var *= speed ** 2
        for served_c in cats:
            spread[served_c] += var
        heapq.heappush(heap, (t + mean * speed, i))
    by_category = {c: found.pop(p.id) for c, p in phantoms.items() if p.id in found}
    return found, by_category


def _arrivals(engine, category: str, now: float, until: float, ids):
    """Priority tickets expected from now until the kiosks stop: (first, gap, until, ids)."""
    if not engine.categories[category].priority_allowed:
        return None
    rate = engine.learned.prio_rate(category, now)
    return (now + 1.0 / rate, 1.0 / rate, until, ids) if rate > 0 else None


def _pick(served: list[_Queue], t: float, bound: int):
    """The ticket a window calls at look-ahead time t, by the rule of order.py; the passes
    of a priority call are counted on the queues it passes."""
    nq = pq = None
    for q in served:
        if q.nk is not None and (nq is None or q.nk < nq.nk):
            nq = q
        if q.pk is not None and q.pk[0] <= t and (pq is None or q.pk < pq.pk):
            pq = q
    if pq is None:
        return nq.take_normal() if nq is not None else None
    if nq is None or pq.pk < nq.nk:
        return pq.take_prio()
    # Within a queue the oldest normal ticket has been passed the most (order.py), so the
    # oldest ticket at the bound, if any, is the oldest head at the bound.
    older = [q for q in served if q.nk is not None and q.nk < pq.pk]
    due = [q for q in older if q.passed() >= bound]
    if due:
        return min(due, key=lambda q: q.nk).take_normal()
    for q in older:
        bisect.insort(q.passes, pq.pk)
    return pq.take_prio()


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
