"""`yichuang bench estimate`: how far the printed wait is from the real one, old and new.

Seeded simulated days (queue_server/sim/day.py) are played against the engine in-process,
on a simulated clock, as sim/replay.py plays them (every window of the config staffed all
day). For every ticket the estimate printed at issue is kept for both
estimators: the one before issue 12 (ceil((ahead + 1) / open windows) rounds of today's
mean handle time) and the look-ahead of engine/estimate.py (what ticket_view prints now).
A ticket's real wait runs from its issue to its first call.

The engine in-process is the same code the server runs; the bus only adds milliseconds to
each step, which a wait of minutes does not see. A day takes seconds, not the hours of a
real day or the minutes of `yichuang simulate`.
"""
from __future__ import annotations

import argparse
import datetime as dt
import math
import platform
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from queue_server.sim.replay import HallDay

NAME = "estimate"
HELP = "wait estimates against real waits on simulated county days, old and new estimator"
COUNTY = Path(__file__).resolve().parents[2] / "firmware_configs" / "sites" / "county.yaml"
LOADS = (0.7, 0.9, 1.0)
DAY = dt.date(2025, 11, 24)        # a Monday
TARGET = {"mae_min": 5.0, "within": 0.8, "bias_min": 2.0}   # at 90% load (issue 12)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, default=COUNTY, help="hall config (default: county)")
    parser.add_argument("--seeds", default="1,2,3", help="day model seeds (default 1,2,3)")
    parser.add_argument("--loads", default=",".join(map(str, LOADS)),
                        help="arrivals / capacity, comma-separated (default 0.7,0.9,1.0)")
    parser.add_argument("--hours", type=float, default=None,
                        help="only the first H hours of issuing (default: the whole day)")
    parser.add_argument("--history", type=int, default=0, metavar="WEEKS",
                        help="first play this many earlier days of the same weekday (other seeds) and "
                             "give each measured day their history, as the server does (default 0)")


@dataclass
class Errors:
    """Estimate minus real wait (seconds) of each ticket called, per estimator."""
    old: list[float] = field(default_factory=list)
    new: list[float] = field(default_factory=list)
    waits: list[float] = field(default_factory=list)
    in_range: int = 0               # real waits inside the printed range (or within 5 min)

    def add(self, other: "Errors") -> None:
        self.old += other.old
        self.new += other.new
        self.waits += other.waits
        self.in_range += other.in_range


def figures(errors: list[float]) -> dict:
    """Mean absolute error and bias (minutes; positive: too pessimistic), share within 5 min."""
    n = len(errors) or 1
    return {"mae_min": sum(abs(e) for e in errors) / n / 60, "bias_min": sum(errors) / n / 60,
            "within": sum(abs(e) <= 300 for e in errors) / n}


def baseline_s(engine, t) -> int:
    """The estimate every ticket printed before issue 12: ceil((ahead + 1) / open windows)
    rounds of today's mean handle time (the configured default before the first finish)."""
    from queue_server.engine.model import age
    from queue_server.engine.order import waiting_ahead

    ahead = waiting_ahead(t, engine.normals[t.category], engine.prios[t.category],
                          engine.rules.priority_max_overtakes, age)
    n, total, _ = engine.learned.sums.get(t.category, (0, 0.0, 0.0))
    mean = total / n if n else float(engine.rules.handle_time_default_s)
    return int(math.ceil((ahead + 1) / max(1, engine.open_windows(t.category))) * round(mean))


class Replay(HallDay):
    """One simulated day against the engine (sim/replay.py), keeping both estimates of
    each ticket at its issue."""

    def __init__(self, config, load: float, seed: int, hours: float | None = None, **profile):
        from queue_server.sim.day import DayModel, Profile

        model = DayModel(config, Profile(load=load, **profile), seed)
        super().__init__(config, model.citizens(DAY, hours * 60 if hours else None), DAY)
        self.issued_views: dict[int, tuple[int, dict]] = {}     # ticket id -> (old, new view)
        self.estimate_ms: list[float] = []
        self.busiest = 0

    def issued(self, now: float, ticket) -> None:
        from queue_server.engine.views import ticket_view

        old = baseline_s(self.engine, ticket)
        started = time.perf_counter()
        view = ticket_view(self.engine, ticket, now)
        self.estimate_ms.append((time.perf_counter() - started) * 1000)
        self.busiest = max(self.busiest, self.engine.waiting_count())
        self.issued_views[ticket.id] = (old, view)

    def run(self) -> Errors:
        super().run()
        return self._errors()
    def _errors(self) -> Errors:
        errors = Errors()
        for tid, (old, view) in self.issued_views.items():
            t = self.engine.tickets.get(tid)
            if t is None or t.called_at is None:
                continue
            wait = t.called_at - t.issued_at
            errors.old.append(old - wait)
            errors.new.append(view["estimated_wait_s"] - wait)
            errors.waits.append(wait)
            low, high = view.get("estimated_wait_range_s") or (view["estimated_wait_s"] - 300,
                                                               view["estimated_wait_s"] + 300)
            errors.in_range += low <= wait <= high
        return errors


def past_history(config, load: float, weeks: int):
    """What `weeks` earlier days of the same weekday (seeds 1001..) teach the estimator, as
    the server learns it from its store (engine/estimate.py history_of); None for none."""
    from queue_server.engine.estimate import history_of, issuing_hours
    from queue_server.sim.day import DayModel, Profile

    if weeks <= 0:
        return None
    tickets = [t for k in range(weeks) for t in HallDay(
        config, DayModel(config, Profile(load=load), 1001 + k).citizens(DAY), DAY).run().tickets.values()]
    return history_of(tickets, weeks, issuing_hours(config.hours))


def busy_hall_cost_ms(config, waiting: int = 300, runs: int = 20) -> tuple[float, float]:
    """(median, max) ms of one look-ahead of a busy hall: every window of the config
    serving, `waiting` tickets (a third elderly) waiting."""
    from queue_server.engine import HallEngine, Person
    from queue_server.engine.estimate import look_ahead

    start = dt.datetime.combine(DAY, dt.time(9), dt.timezone(dt.timedelta(hours=8))).timestamp()
    engine = HallEngine(config, b"bench" * 8, start)
    ids = [c.id for c in config.categories]
    for i in range(waiting + len(config.windows)):
        priority = "elderly" if i % 3 == 0 and config.category(ids[i % len(ids)]).priority_allowed else "normal"
        person = Person(f"h{i}", "0000", "模*民", dt.date(1980, 1, 1))
        engine.issue(start + i, ids[i % len(ids)], priority=priority, person=person)
    for w in config.windows:
        engine.login(start, w.id, f"s{w.id}", "模*员")
        engine.call_next(start + 600, w.id)
    times = []
    for k in range(runs):
        began = time.perf_counter()
        look_ahead(engine, start + 900 + k)
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), max(times)


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def run(args: argparse.Namespace) -> int:
    from hall.config.hall import load_hall_config

    config = load_hall_config(args.config)
    seeds = [int(s) for s in args.seeds.split(",")]
    loads = [float(x) for x in args.loads.split(",")]
    elderly = 1 / 3
    print(f"{config.name}: {len(config.windows)} windows, {len(config.categories)} categories, "
          f"{elderly:.0%} elderly; seeds {seeds}; history {args.history} weeks; {platform.node()} {platform.python_version()} "
          f"{dt.date.today()}", flush=True)
    print(f"{'load':>5} {'tickets':>7} {'median':>7} | {'old: MAE':>9} {'bias':>6} {'<=5min':>6} | "
          f"{'new: MAE':>9} {'bias':>6} {'<=5min':>6} {'in range':>8}   (minutes)")
    met = True
    for load in loads:
        total, ms, busiest = Errors(), [], 0
        history = past_history(config, load, args.history)
        for seed in seeds:
            replay = Replay(config, load, seed, args.hours)
            if history is not None:
                replay.engine.learn_history(history)
            total.add(replay.run())
            ms += replay.estimate_ms
            busiest = max(busiest, replay.busiest)
        old, new = figures(total.old), figures(total.new)
        median = statistics.median(total.waits) / 60 if total.waits else 0.0
        print(f"{load:>5.0%} {len(total.new):>7} {median:>6.1f}m | {old['mae_min']:>9.1f} "
              f"{old['bias_min']:>+6.1f} {old['within']:>6.1%} | {new['mae_min']:>9.1f} "
              f"{new['bias_min']:>+6.1f} {new['within']:>6.1%} {total.in_range / max(1, len(total.new)):>8.1%}"
              f"   look-ahead at issue: median {statistics.median(ms):.2f} ms, "
              f"p99 {_quantile(ms, 0.99):.1f} ms, up to {busiest} waiting", flush=True)
        if math.isclose(load, 0.9):
            met = (new["mae_min"] <= TARGET["mae_min"] and new["within"] >= TARGET["within"]
                   and abs(new["bias_min"]) <= TARGET["bias_min"])
    median, worst = busy_hall_cost_ms(config)
    print(f"one look-ahead of a busy hall ({len(config.windows)} windows serving, 300 waiting): "
          f"median {median:.1f} ms, max {worst:.1f} ms")
    print("targets at 90% (MAE <= 5 min, >= 80% within 5 min, |bias| <= 2 min): "
          + ("met" if met else "NOT met"))
    return 0 if met else 1
