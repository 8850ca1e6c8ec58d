"""Capacity planning: how many windows of each kind to staff, hour by hour, so that no
normal (non-priority) ticket waits longer than a target.

The demand of a day (expected tickets by hour and category, mean minutes at a window, the
elderly and no-show shares) comes from a manager's profile file or from the hall's own
history of the same weekday. It is played as seeded simulated days (day.py) against the
real engine (replay.py: the calling order, the priority bound and the windows' preferences
are the engine's own). The windows of the config are grouped by kind and what they serve,
in the config's order; staffing k windows of a group means its first k.

The search is greedy, hour by hour from the first: with the earlier hours as decided and
the later ones fully staffed, each group in turn (dedicated and domain windows first,
comprehensive ones last: they stand in for the others) gets the fewest windows for which,
in each seeded day, every normal ticket issued up to the end of the next hour is called
within the target (an hour pays for the backlog it leaves). So one window fewer of any
group staffed in an hour broke the target in at least one of those days when it was
decided. An hour that misses the target with every window staffed keeps them all; the
figures mark every hour whose longest wait is over the target.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from hall import words
from queue_server.engine.estimate import history_days

from .day import DayModel, Profile
from .replay import HallDay

SEEDS = (1, 2, 3)
KIND_ORDER = {"dedicated": 0, "domain": 1, "comprehensive": 2}   # who gives up windows first
SIGMA = 0.45                    # spread of service times (lognormal) when history has none


class PlanError(ValueError):
    """A profile or a history that cannot be planned from; the message says why."""


@dataclass(frozen=True)
class Demand:
    arrivals: dict[int, dict[str, float]]       # hall-local hour -> category -> tickets
    service_min: dict[str, float]               # mean minutes a ticket takes at a window
    elderly_share: float = 1 / 3
    no_show: float = 0.05
    sigma: float = SIGMA
    source: str = ""                            # where it came from, for the report

    def expected(self, hour: int) -> float:
        return sum(self.arrivals.get(hour, {}).values())

    def profile(self) -> Profile:
        return Profile(arrivals=self.arrivals, service_sigma=self.sigma,
                       service_median_min={c: m / math.exp(self.sigma ** 2 / 2)
                                           for c, m in self.service_min.items()},
                       elderly_share=self.elderly_share, no_show=self.no_show)


@dataclass(frozen=True)
class Group:
    kind: str
    categories: tuple[str, ...]                 # as served, most preferred first
    windows: tuple[str, ...]                    # in the config's order


@dataclass
class Plan:
    groups: list[Group]
    hours: list[int]
    staffed: dict[int, list[int]]               # hour -> windows staffed per group
    longest_s: dict[int, float] = field(default_factory=dict)   # hour -> longest normal wait
    unreachable: set[int] = field(default_factory=set)          # hours over target fully staffed


def window_groups(config) -> list[Group]:
    found: dict[tuple, list[str]] = {}
    for w in config.windows:
        found.setdefault((w.kind, tuple(w.categories)), []).append(w.id)
    return [Group(kind, cats, tuple(ids)) for (kind, cats), ids in found.items()]


# ------------------------------------------------------------------------------ demand
def read_profile(data: object, config, source: str = "") -> Demand:
    """A profile as read from its YAML file (docs/planning.md):
        arrivals: {9: {zonghe: 40, yibao: 12}, 10: {...}}   # expected tickets per hour
        service_minutes: {zonghe: 6}                        # optional; else the config's default
        elderly_share: 0.33                                 # optional
        no_show: 0.05                                       # optional
    """
    if not isinstance(data, dict) or not isinstance(data.get("arrivals"), dict) or not data["arrivals"]:
        raise PlanError("the profile needs `arrivals`: expected tickets by hour and category")
    unknown = set(data) - {"arrivals", "service_minutes", "elderly_share", "no_show"}
    if unknown:
        raise PlanError(f"unknown profile keys: {', '.join(sorted(map(str, unknown)))}")
    known = {c.id for c in config.categories}
    arrivals = {}
    for hour, row in data["arrivals"].items():
        if not isinstance(hour, int) or not 0 <= hour <= 23 or not isinstance(row, dict):
            raise PlanError(f"arrivals: {hour!r} is not an hour 0-23 with tickets by category")
        if hour not in issuing_hours(config):
            raise PlanError(f"arrivals: the kiosks of this hall issue no tickets in hour {hour}")
        arrivals[hour] = {_category(c, known): _number(n, f"arrivals {hour} {c}", 0, 10000)
                          for c, n in row.items()}
    minutes = data.get("service_minutes") or {}
    if not isinstance(minutes, dict):
        raise PlanError("service_minutes: minutes by category")
    default = config.rules.handle_time_default_s / 60
    service = {c: default for c in known}
    service.update({_category(c, known): _number(m, f"service_minutes {c}", 0.5, 240)
                    for c, m in minutes.items()})
    return Demand(arrivals, service,
                  _number(data.get("elderly_share", 1 / 3), "elderly_share", 0, 1),
                  _number(data.get("no_show", 0.05), "no_show", 0, 0.9), source=source)


def issuing_hours(config) -> set[int]:
    """The hall-local hours in which the kiosks issue tickets (day.py's issuing minutes)."""
    return {m // 60 for m in DayModel(config).issuing_minutes()}


def _category(c: object, known: set[str]) -> str:
    if c not in known:
        raise PlanError(f"{c!r} is not a category of this hall ({', '.join(sorted(known))})")
    return c


def _number(x: object, what: str, low: float, high: float) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float)) or not low <= x <= high:
        raise PlanError(f"{what}: {x!r} is not a number from {low:g} to {high:g}")
    return float(x)


def learn_demand(tickets, days: int, config, source: str = "") -> Demand:
    """The demand of an average one of `days` past days from their tickets: tickets issued
    per hall-local hour and category, mean handle time of those done, the share of
    priority tickets and of no-shows among those called."""
    zone = ZoneInfo(config.timezone)
    arrivals: dict[int, dict[str, float]] = {}
    handled: dict[str, list[float]] = {}
    priority = no_show = called = 0
    for t in tickets:
        row = arrivals.setdefault(dt.datetime.fromtimestamp(t.issued_at, zone).hour, {})
        row[t.category] = row.get(t.category, 0.0) + 1 / days
        priority += t.is_priority
        if t.called_at is not None and t.finished_at is not None:
            called += 1
            no_show += t.status == "no_show"
            if t.status == "done":
                handled.setdefault(t.category, []).append(t.finished_at - t.called_at)
    default = config.rules.handle_time_default_s / 60
    service = {c.id: sum(handled[c.id]) / len(handled[c.id]) / 60 if handled.get(c.id) else default
               for c in config.categories}
    return Demand(arrivals, service, priority / max(1, len(tickets)),
                  no_show / called if called else 0.05, _sigma(handled), source)


def _sigma(handled: dict[str, list[float]]) -> float:
    """The lognormal sigma matching the handle times' spread (pooled over categories)."""
    cv2 = [sum((x - m) ** 2 for x in xs) / len(xs) / m ** 2
           for xs in handled.values() if len(xs) >= 10 for m in [sum(xs) / len(xs)] if m > 0]
    return math.sqrt(math.log(1 + sum(cv2) / len(cv2))) if cv2 else SIGMA


def demand_from_store(store, config, day: dt.date, weeks: int) -> Demand:
    """The demand of `day` learned from the same weekday of the last `weeks` weeks."""
    days = history_days(day, weeks)
    rows = store.tickets(f"date IN ({', '.join('?' * len(days))})", days)
    opened = sorted({t.date for t in rows})
    if not opened:
        raise PlanError(f"no tickets on the same weekday in the {weeks} weeks before {day}")
    return learn_demand(rows, len(opened), config,
                        words.plan_source_history(len(opened), day.weekday(), opened[0], opened[-1]))


# ------------------------------------------------------------------------------ the search
def plan(config, demand: Demand, target_s: float, day: dt.date, seeds=SEEDS, progress=None) -> Plan:
    """The plan of `day` (its date only names the simulated day); `progress(hour)` is told
    as each hour is decided."""
    groups = sorted(window_groups(config), key=lambda g: KIND_ORDER.get(g.kind, 1))
    # history may hold a few tickets outside the queue's hours (bookings of 延时服务)
    hours = sorted(h for h in demand.arrivals if demand.expected(h) > 0 and h in issuing_hours(config))
    result = Plan(groups, hours, {h: [len(g.windows) for g in groups] for h in hours})
    days = [DayModel(config, demand.profile(), s).citizens(day) for s in seeds]
    full = longest_by_hour(config, days, day, result)
    allowed = {h: max(target_s, w) for h, w in full.items()}
    result.unreachable = {h for h in hours if full.get(h, 0.0) > target_s}
    for hour in hours:
        if progress:
            progress(hour)
        if hour in result.unreachable:
            continue
        for g in range(len(groups)):
            result.staffed[hour][g] = _fewest(
                len(groups[g].windows),
                lambda k: _keeps(config, days, day, _with(result, hour, g, k), hour, allowed))
    result.longest_s = longest_by_hour(config, days, day, result)
    return result


def _fewest(most: int, ok) -> int:
    """The smallest k in 0..most with ok(k), ok(most) taken as true (binary search: the
    wait grows as windows close). When it is above 0, ok(k - 1) was tried and failed."""
    low, high = 0, most
    while low < high:
        mid = (low + high) // 2
        low, high = (low, mid) if ok(mid) else (mid + 1, high)
    return high


def _with(p: Plan, hour: int, group: int, k: int) -> Plan:
    staffed = dict(p.staffed)
    staffed[hour] = [k if i == group else n for i, n in enumerate(p.staffed[hour])]
    return Plan(p.groups, p.hours, staffed)


def _keeps(config, days, day: dt.date, p: Plan, hour: int, allowed: dict[int, float]) -> bool:
    """Every normal ticket issued up to the end of the next hour is called within what is
    allowed for its hour (the target, or what all windows reach where that is more): a
    backlog left to the next hour counts against the hour that left it."""
    end = _hour_end(config, day, hour + 1)
    return all(w <= allowed.get(h, math.inf) for citizens in days
               for h, w in _waits(config, citizens, day, p, until=end))


def longest_by_hour(config, days, day: dt.date, p: Plan) -> dict[int, float]:
    """Hour of issue -> the longest normal wait over the simulated days of the plan."""
    longest: dict[int, float] = {}
    for citizens in days:
        for h, w in _waits(config, citizens, day, p):
            longest[h] = max(longest.get(h, 0.0), w)
    return longest


def _waits(config, citizens, day: dt.date, p: Plan, until: float | None = None):
    """(hour of issue, wait) of every normal ticket of one simulated day under the plan;
    a ticket never called waits forever."""
    zone = ZoneInfo(config.timezone)
    engine = HallDay(config, citizens, day, _open_at(p, zone)).run(until)
    for t in engine.tickets.values():
        if not t.is_priority and (until is None or t.issued_at < until):
            wait = math.inf if t.called_at is None else t.called_at - t.issued_at
            yield dt.datetime.fromtimestamp(t.issued_at, zone).hour, wait


def _open_at(p: Plan, zone):
    """open_at(window, now) of the plan: before its first hour as the first, after its last
    as the last (the windows serve whoever still waits)."""
    rank = {w: (g, i) for g, group in enumerate(p.groups) for i, w in enumerate(group.windows)}

    def open_at(window: str, now: float) -> bool:
        hour = dt.datetime.fromtimestamp(now, zone).hour
        staffed = p.staffed[min(p.hours, key=lambda h: (abs(h - hour), -h))] if p.hours else []
        g, i = rank[window]
        return bool(staffed) and i < staffed[g]
    return open_at


def _hour_end(config, day: dt.date, hour: int) -> float:
    return dt.datetime.combine(day, dt.time(0), ZoneInfo(config.timezone)).timestamp() + (hour + 1) * 3600


# ------------------------------------------------------------------------------ the figures
def figures(p: Plan, demand: Demand, config, target_s: float) -> dict:
    """The plan as the manager reads it (the command's table and the dashboard's)."""
    names = {c.id: c.name for c in config.categories}
    return {
        "title": words.plan_title(target_s / 60), "source": demand.source,
        "headings": words.PLAN_HEADINGS, "over_note": words.PLAN_OVER,
        "groups": [words.plan_group_name(g.kind, [names[c] for c in g.categories[:1 if g.kind == "comprehensive" else None]])
                   for g in p.groups],
        "hours": [{"hour": h, "label": f"{h:02d}:00-{h + 1:02d}:00",
                   "expected": round(demand.expected(h)), "windows": p.staffed[h],
                   "total": sum(p.staffed[h]), "over": p.longest_s.get(h, 0.0) > target_s,
                   "longest_min": None if math.isinf(p.longest_s.get(h, 0.0))
                   else math.ceil(p.longest_s.get(h, 0.0) / 60)} for h in p.hours],
    }


def figures_from_store(config, db_path: str, day: dt.date, weeks: int, target_s: float) -> dict:
    """The figures of `day` planned from the store's history, or a message why there are none."""
    from queue_server.store import Store

    store = Store(db_path)
    try:
        demand = demand_from_store(store, config, day, weeks)
    except PlanError:
        return {"message": words.PLAN_NO_HISTORY}
    finally:
        store.close()
    return figures(plan(config, demand, target_s, day), demand, config, target_s)


if __name__ == "__main__":      # the dashboard's child (web/planning.py): its inputs pickled on stdin
    import json
    import os
    import pickle
    import sys

    os.nice(10)                 # the server's own work comes first
    json.dump(figures_from_store(*pickle.load(sys.stdin.buffer)), sys.stdout, ensure_ascii=False)
