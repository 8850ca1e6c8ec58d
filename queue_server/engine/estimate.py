"""Each waiting ticket's time to be called: plays of the hall from its present state.

A play runs the hall forward as the windows would: every window open now (idle, calling or
serving) calls by the engine's rule (order.py: oldest first by issue time across the
categories it serves, priority tickets ahead of older normal ones until one of those reaches
the overtake bound), and each call holds the window for a handle time drawn from what the
hall has learned of that category (a lognormal fitted to today's handle times, pulled
towards the same weekday's history, the tickets being served now counted as lasting at
least as long as they have; no-shows at their share), scaled by how fast that window has
been where windows really differ. A window holding a ticket now is free after a draw of that ticket's rest given how
long it has been held. Priority tickets arrive at random (Poisson) at the rate seen in the
last hour and overtake, within the bound, like real ones. One phantom normal ticket per
category, issued now and taking no window time, gives the wait of a ticket taken now (the
queue state's figure).

The estimate is the mean of PLAYS plays and its spread their standard deviation. Many
random plays, not one played with mean times, because the hall is not linear in its handle
times: a comprehensive window that happens to free early takes the oldest ticket of any
queue, and a burst of priority arrivals passes a normal ticket more often than evenly
spaced ones would (docs/benchmarks.md). Where mean +- one standard deviation spans
RANGE_MIN_S or more, the figure is shown as a range.

Pure and stdlib-only, and seeded by the hall's state: the same hall at the same moment gives
the same figures, after a restart too. A play costs about a millisecond per hundred waiting tickets (docs/benchmarks.md),
and the result is kept until the hall changes (Forecasts).
"""
from __future__ import annotations

import bisect
import datetime as dt
import heapq
import math
import random
from collections import deque
from dataclasses import dataclass, field
from itertools import count
from statistics import NormalDist, fmean, pstdev

from .model import OPEN_WINDOW_STATES, age

PLAYS = 24                   # random plays averaged per look-ahead
RANGE_MIN_S = 600.0          # mean +- sd spanning this much or more is shown as a range
PRIOR_WEIGHT = 10            # history's handle times count like this many of today's
DEFAULT_WEIGHT = 2           # without history, the configured default counts like this many
DEFAULT_CV = 0.5             # spread of handle times before any was measured
FIT_ROUNDS = 3               # rounds of counting the tickets served now into the fit
MIN_LONGER = 5               # today's longer handle times needed to draw a held ticket's rest
RATE_WINDOW_S = 3600.0       # priority arrivals are counted over the last hour
MIN_RATE_SPAN_S = 900.0      # ... but over at least this long (few early tickets say little)
HORIZON_S = 4 * 3600.0       # future priority arrivals are played this far ahead at most
REUSE_S = 30.0               # an unchanged hall's forecast is reused this long
NORMAL = NormalDist()


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
        return self.handle(category)[0]

    def handle(self, category: str, serving=()) -> tuple[float, float]:
        """(mean, variance) of a done ticket's handle time: today's, pulled towards the same
        weekday's history (or the configured default) by PRIOR_WEIGHT tickets. `serving`:
        how long each ticket of the category being served now has been; each counts with
        what the fit says a ticket that long takes (a few rounds: the fit moves with them).
        Without them the fit leans short all morning, when the long ones are not done yet."""
        n, total, squares = self.sums.get(category, (0, 0.0, 0.0))
        h_mean, h_var, h_n = self.history.handle.get(category, (self.default_s, 0.0, 0))
        if h_n == 0:
            h_var = (DEFAULT_CV * h_mean) ** 2
        w = min(h_n, PRIOR_WEIGHT) if h_n else DEFAULT_WEIGHT
        known = (n + w, total + w * h_mean, squares + w * (h_var + h_mean ** 2))
        mean, var = _moments(*known)
        for _ in range(FIT_ROUNDS if serving else 0):
            mu, sigma = lognormal(mean, var)
            more = [_beyond(mu, sigma, held) for held in serving]
            mean, var = _moments(known[0] + len(more), known[1] + sum(m[0] for m in more),
                                 known[2] + sum(m[1] for m in more))
        return mean, var

    def no_shows(self, category: str) -> tuple[float, float]:
        """(share of called tickets that do not come, how long one holds its window)."""
        shows = self.no_show.get(category, ())
        n = len(self.done.get(category, ())) + len(shows)
        prior = self.history.no_show.get(category, 0.05)
        share = (len(shows) + PRIOR_WEIGHT * prior) / (n + PRIOR_WEIGHT)
        return share, (fmean(shows) if shows else min(self.handle_mean(category), 180.0))

    def longer(self, category: str, held_s: float) -> list[float]:
        """Today's handle times of the category that ran longer than `held_s`."""
        xs = self.done.get(category, ())
        return xs[bisect.bisect_right(xs, held_s):]

    def paces(self) -> dict[str, float]:
        """How long each window that finished tickets today takes against its categories'
        means (1.0: as usual), where windows really differ. A window's ratio over n tickets
        is noisy (each handle time varies), so it is pulled towards 1.0 by the share of the
        windows' spread that this noise explains (empirical Bayes): equal windows keep 1.0,
        a window that is really slower shows it."""
        ratios = {}
        for window, done in self.window.items():
            took = sum(total for _, total in done.values())
            usual = sum(n * self.handle_mean(c) for c, (n, _) in done.items())
            ratios[window] = (took / usual, self._spread2(done) / sum(n for n, _ in done.values()))
        if len(ratios) < 2:
            return {}
        real = max(0.0, fmean((r - 1) ** 2 for r, _ in ratios.values())
                   - fmean(noise for _, noise in ratios.values()))
        return {w: min(2.0, max(0.5, 1 + (r - 1) * real / (real + noise)))
                for w, (r, noise) in ratios.items()}

    def _spread2(self, done: dict) -> float:
        """Squared coefficient of variation of one handle time, over a window's categories."""
        fits = [self.handle(c) for c in done]
        return fmean(var / max(mean, 1.0) ** 2 for mean, var in fits)

    def prio_rate(self, category: str, now: float) -> float:
        """Priority tickets per second of the category: the last hour today, else history."""
        times = self.prio_issued.get(category)
        while times and times[0] < now - RATE_WINDOW_S:
            times.popleft()
        if self.first_issue is None or now - self.first_issue < MIN_RATE_SPAN_S:
            return self.history.prio_per_hour.get(category, 0.0) / 3600.0
        span = min(RATE_WINDOW_S, now - self.first_issue)
        return len(times or ()) / span


def _moments(n: float, total: float, squares: float) -> tuple[float, float]:
    mean = total / n
    return mean, max(0.0, squares / n - mean ** 2)


def lognormal(mean: float, var: float) -> tuple[float, float]:
    """(mu, sigma) of the lognormal with this mean and variance."""
    mean = max(mean, 1.0)
    sigma2 = math.log1p(var / mean ** 2)
    return math.log(mean) - sigma2 / 2, math.sqrt(sigma2)


def _beyond(mu: float, sigma: float, held_s: float) -> tuple[float, float]:
    """(E[X], E[X^2]) of a lognormal(mu, sigma) handle time known to exceed `held_s`."""
    if sigma <= 0:
        x = max(math.exp(mu), held_s)
        return x, x * x
    z = (math.log(max(held_s, 1.0)) - mu) / sigma
    tail = NORMAL.cdf(-z)
    if tail < 1e-9:                  # far beyond what the fit expects: it lasts about that long
        return held_s, held_s ** 2
    return (math.exp(mu + sigma ** 2 / 2) * NORMAL.cdf(sigma - z) / tail,
            math.exp(2 * mu + 2 * sigma ** 2) * NORMAL.cdf(2 * sigma - z) / tail)


# ---------------------------------------------------------------------------------- look-ahead
@dataclass(frozen=True)
class Estimate:
    wait_s: float                 # expected seconds until the call
    sd_s: float                   # its standard deviation

    def range_s(self) -> tuple[int, int] | None:
        """(low, high) seconds where the spread is wide, else None."""
        low, high = max(0.0, self.wait_s - self.sd_s), self.wait_s + self.sd_s
        return (int(low), int(math.ceil(high))) if high - low >= RANGE_MIN_S else None


class _Draws:
    """What the plays of one look-ahead draw from: per category the fitted handle times and
    no-shows, and the priority arrivals to come."""

    def __init__(self, engine, now: float):
        learned = self.learned = engine.learned
        self.now, self.rng = now, random.Random(_seed(engine, now))
        serving: dict[str, list[float]] = {}
        for slot in engine.slots.values():
            held = engine.held(slot)
            if slot.state == "serving" and held is not None and held.called_at is not None:
                serving.setdefault(held.category, []).append(now - held.called_at)
        self.fit = {c: lognormal(*learned.handle(c, serving.get(c, ()))) for c in engine.categories}
        self.shows = {c: learned.no_shows(c) for c in engine.categories}
        self.pace = learned.paces()
        until = now + min(HORIZON_S, engine.issuing_left_s(now))
        self.arriving = {c: (learned.prio_rate(c, now), until)
                         for c, category in engine.categories.items() if category.priority_allowed}

    def occupancy(self, category: str) -> float:
        """How long one called ticket of the category holds its window."""
        share, gone = self.shows[category]
        if self.rng.random() < share:
            return gone
        return self.rng.lognormvariate(*self.fit[category])

    def rest(self, category: str, held_s: float) -> float:
        """The rest of a ticket held for `held_s`: one of today's handle times that ran
        longer, where enough did (they show the category's real shape), else a draw of the
        fitted lognormal beyond `held_s` (inverse transform of its upper tail)."""
        longer = self.learned.longer(category, held_s)
        if len(longer) >= MIN_LONGER:
            return self.rng.choice(longer) - held_s
        mu, sigma = self.fit[category]
        if sigma > 0:
            low = NORMAL.cdf((math.log(max(held_s, 1.0)) - mu) / sigma)
            u = low + (1 - low) * self.rng.random()
            if 0 < u < 1:
                return max(0.0, math.exp(mu + sigma * NORMAL.inv_cdf(u)) - held_s)
        mean = math.exp(mu + sigma ** 2 / 2)
        return max(mean - held_s, 0.25 * mean)

    def arrivals(self, category: str) -> list[float]:
        """When the priority tickets of the category to come arrive, in one play."""
        rate, until = self.arriving.get(category, (0.0, 0.0))
        times, at = [], self.now
        while rate > 0:
            at += self.rng.expovariate(rate)
            if at > until:
                break
            times.append(at)
        return times


def _seed(engine, now: float) -> int:
    """The plays' seed: the hall as it is (who waits, who is held where) and the second, so
    that the same hall at the same moment gives the same figures, after a restart too
    (a hash of integers only: the same in every process)."""
    waiting = tuple(t.id for lists in (engine.normals, engine.prios, engine.reserved)
                    for queue in lists.values() for t in queue)
    held = tuple(getattr(engine.held(slot), "id", 0) for slot in engine.slots.values())
    return hash((int(now), waiting, held))


class _Ghost:
    """A ticket the look-ahead invents: a future priority arrival or a phantom taken now."""
    __slots__ = ("id", "issued_at", "queued_at", "overtaken", "category")

    def __init__(self, id_: int, issued_at: float, category: str):
        self.id, self.issued_at, self.queued_at = id_, issued_at, None
        self.overtaken, self.category = 0, category


class _Queue:
    """One category's (or one window's reserved) tickets in a play, read by index, then
    the priority tickets to come at `arrivals`. The keys (issue time, id) of the heads are
    kept: the engine's order compares them."""
    __slots__ = ("category", "normals", "prios", "ni", "pi", "nk", "pk", "passes",
                 "arrivals", "ai", "ids")

    def __init__(self, category: str, normals: list, prios: list, arrivals=(), ids=None):
        self.category, self.normals, self.prios = category, normals, prios
        self.arrivals, self.ids = arrivals, ids
        self.ni = self.pi = self.ai = 0
        self.passes: list[tuple] = []      # keys of priority tickets called past this queue
        self.nk = _key(normals[0]) if normals else None
        self._prio_head()

    def _prio_head(self) -> None:
        if self.pi < len(self.prios):
            self.pk = _key(self.prios[self.pi])
        elif self.ai < len(self.arrivals):
            self.pk = (self.arrivals[self.ai], next(self.ids))
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
            self.ai += 1
        self._prio_head()
        return t

    def passed(self) -> int:
        """Times the head normal ticket has been passed: before and during the play."""
        n = self.normals[self.ni]
        return n.overtaken + len(self.passes) - bisect.bisect_right(self.passes, self.nk)


_key = age     # the order of a queue (model.py): place, then ticket id


def look_ahead(engine, now: float, plays: int = PLAYS) -> tuple[dict[int, Estimate], dict[str, Estimate]]:
    """({ticket id: Estimate} of waiting tickets, {category: Estimate of a ticket taken now})."""
    draws = _Draws(engine, now)
    ids = count(10 ** 12)
    phantoms = {c: _Ghost(next(ids), now, c) for c in engine.categories}
    calls: dict[int, list[float]] = {}
    for _ in range(plays):
        for ticket_id, at in _play(engine, now, draws, phantoms, ids).items():
            calls.setdefault(ticket_id, []).append(at - now)
    found = {tid: Estimate(fmean(waits), pstdev(waits)) for tid, waits in calls.items()}
    by_category = {c: found.pop(p.id) for c, p in phantoms.items() if p.id in found}
    return found, by_category


def _play(engine, now: float, draws: _Draws, phantoms: dict, ids) -> dict[int, float]:
    """One play of the hall: {ticket id: when it is called} of the waiting tickets and the
    phantoms."""
    bound = engine.rules.priority_max_overtakes
    queues = {c: _Queue(c, engine.normals[c] + [phantoms[c]], engine.prios[c],
                        draws.arrivals(c), ids)
              for c in engine.categories}
    windows, heap = [], []
    for slot in engine.slots.values():
        if slot.state not in OPEN_WINDOW_STATES:
            continue
        own = engine.reserved[slot.id]
        mine = [_Queue("", [t for t in own if not t.is_priority],
                       [t for t in own if t.is_priority])] if own else []
        speed = draws.pace.get(slot.id, 1.0)
        held = engine.held(slot)
        free = now
        if held is not None and held.called_at is not None:
            free = now + draws.rest(held.category, now - held.called_at) * speed
        windows.append((mine + [queues[c] for c in slot.served if c in queues], speed))
        heapq.heappush(heap, (free, len(windows) - 1))
    found: dict[int, float] = {}
    wanted = engine.waiting_count() + len(phantoms)
    while heap and len(found) < wanted:
        t, i = heapq.heappop(heap)
        served, speed = windows[i]
        ticket = _pick(served, t, bound)
        if ticket is None:
            wake = [q.pk[0] for q in served if q.pk is not None]
            if wake:
                heapq.heappush(heap, (max(t, min(wake)), i))
            continue
        if type(ticket) is not _Ghost or ticket is phantoms[ticket.category]:
            found[ticket.id] = t
            if type(ticket) is _Ghost:
                heapq.heappush(heap, (t, i))        # a phantom takes no window time
                continue
        heapq.heappush(heap, (t + draws.occupancy(ticket.category) * speed, i))
    return found


def _pick(served: list[_Queue], t: float, bound: int):
    """The ticket a window calls at play time t, by the rule of order.py; the passes
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
