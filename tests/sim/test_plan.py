"""Capacity planning (queue_server/sim/plan.py, `yichuang plan`): the windows it asks for,
played on the real engine, keep the longest normal wait under the target, and one window
fewer in the peak hour does not; the demand learned from a real SQLite store of past days."""
from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hall.config.hall import load_hall_config
from queue_server.cli import main
from queue_server.sim.day import DayModel
from queue_server.sim.plan import PlanError, demand_from_store, plan, read_profile
from queue_server.sim.replay import HallDay
from queue_server.store import Store

HALL = Path(__file__).with_name("hall.yaml")       # windows 1, 2 comprehensive; 3 医保 only
DAY = dt.date(2025, 11, 24)                        # a Monday
TARGET_S = 15 * 60
PROFILE = {"arrivals": {9: {"zonghe": 5, "yibao": 2}, 10: {"zonghe": 14, "yibao": 11},
                        11: {"zonghe": 6, "yibao": 2}},
           "service_minutes": {"zonghe": 6, "yibao": 5}}


@pytest.fixture(scope="module")
def config():
    return load_hall_config(HALL)


def longest_normal_wait(config, demand, staffed: dict[int, set[str]], seeds=(1, 2, 3)) -> float:
    """Played here on the engine, apart from the planner: windows staffed by hour (before
    the first hour as the first, after the last as the last), the longest wait of a normal
    ticket over the seeded days; a ticket never called waits forever."""
    zone, hours = ZoneInfo(config.timezone), sorted(staffed)

    def open_at(window, now):
        hour = min(max(dt.datetime.fromtimestamp(now, zone).hour, hours[0]), hours[-1])
        return window in staffed[hour]

    longest = 0.0
    for seed in seeds:
        engine = HallDay(config, DayModel(config, demand.profile(), seed).citizens(DAY), DAY, open_at).run()
        waits = [math.inf if t.called_at is None else t.called_at - t.issued_at
                 for t in engine.tickets.values() if not t.is_priority]
        assert len(waits) > 10
        longest = max(longest, *waits)
    return longest


def windows_of(p, hour: int) -> set[str]:
    return {w for group, n in zip(p.groups, p.staffed[hour]) for w in group.windows[:n]}


def test_the_plan_keeps_the_target_and_one_window_fewer_at_the_peak_does_not(config):
    demand = read_profile(PROFILE, config)
    p = plan(config, demand, TARGET_S, DAY)
    staffed = {h: windows_of(p, h) for h in p.hours}
    assert p.hours == [9, 10, 11] and not p.unreachable
    # the quiet first hour needs fewer windows than the peak, which needs all three
    assert len(staffed[9]) < len(staffed[10]) == 3
    assert longest_normal_wait(config, demand, staffed) <= TARGET_S
    assert max(p.longest_s.values()) <= TARGET_S
    for window in staffed[10]:
        fewer = {**staffed, 10: staffed[10] - {window}}
        assert longest_normal_wait(config, demand, fewer) > TARGET_S, f"without window {window}"


def test_an_hour_beyond_every_window_keeps_them_all_and_says_so(config):
    crowded = dict(PROFILE, arrivals={**PROFILE["arrivals"], 10: {"zonghe": 40, "yibao": 20}})
    p = plan(config, read_profile(crowded, config), TARGET_S, DAY, seeds=(1,))
    assert 10 in p.unreachable and p.staffed[10] == [1, 2]
    assert p.longest_s[10] > TARGET_S


@pytest.mark.parametrize("profile, says", [
    ({"arrivals": {9: {"shuiwu": 3}}}, "'shuiwu' is not a category of this hall"),
    ({"arrivals": {25: {"zonghe": 3}}}, "25 is not an hour 0-23"),
    ({"arrivals": {18: {"zonghe": 3}}}, "issue no tickets in hour 18"),
    ({"arrivals": {9: {"zonghe": -1}}}, "arrivals 9 zonghe: -1 is not a number"),
    ({"arrivals": {9: {"zonghe": 3}}, "service_minutes": {"zonghe": "6"}}, "service_minutes zonghe"),
    ({"arrivals": {9: {"zonghe": 3}}, "elderly": 0.3}, "unknown profile keys: elderly"),
    ([1, 2], "the profile needs `arrivals`"),
])
def test_a_bad_profile_is_refused_with_the_reason(config, profile, says):
    with pytest.raises(PlanError, match=says.replace("(", r"\(").replace("`", "`")):
        read_profile(profile, config)


def played_day(config, day: dt.date, seed: int, first_id: int, profile=PROFILE) -> list:
    """The tickets of a day played on the engine, numbered from `first_id` (ids are unique
    across a hall's days)."""
    engine = HallDay(config, DayModel(config, read_profile(profile, config).profile(), seed)
                     .citizens(day), day).run()
    tickets = sorted(engine.tickets.values(), key=lambda t: t.id)
    for k, t in enumerate(tickets):
        t.id = first_id + k
    return tickets


@pytest.fixture(scope="module")
def history(config, tmp_path_factory):
    """A real hall database: two past Mondays, and a busy Tuesday that must not count."""
    path = tmp_path_factory.mktemp("history") / "hall.sqlite"
    store = Store(str(path))
    mondays = played_day(config, DAY - dt.timedelta(weeks=1), 11, 1) + \
        played_day(config, DAY - dt.timedelta(weeks=3), 12, 10_000)
    tuesday = dict(PROFILE, arrivals={14: {"zonghe": 30}})
    with store.transaction():
        store.write_tickets(mondays)
        store.write_tickets(played_day(config, DAY - dt.timedelta(days=6), 13, 20_000, tuesday))
    yield path, store, mondays
    store.close()


def test_the_demand_is_learned_from_the_same_weekday_in_the_store(config, history):
    _path, store, mondays = history
    demand = demand_from_store(store, config, DAY, weeks=4)
    zone = ZoneInfo(config.timezone)
    issued = Counter((dt.datetime.fromtimestamp(t.issued_at, zone).hour, t.category) for t in mondays)
    assert demand.arrivals == {h: {c: n / 2 for (hh, c), n in issued.items() if hh == h}
                               for h in {h for h, _ in issued}}
    assert 14 not in demand.arrivals            # the Tuesday's afternoon crowd is not a Monday's
    done = [t.finished_at - t.called_at for t in mondays if t.category == "zonghe" and t.status == "done"]
    assert demand.service_min["zonghe"] == pytest.approx(sum(done) / len(done) / 60)
    assert 5 < demand.service_min["zonghe"] < 8        # the profile's 6 minutes, learned back
    priority = sum(t.is_priority for t in mondays) / len(mondays)
    assert demand.elderly_share == pytest.approx(priority) and 0.15 < priority < 0.5
    assert demand.source == "依据：近2个星期一的取号（2025-11-03至2025-11-17）"
    with pytest.raises(PlanError, match="no tickets on the same weekday"):
        demand_from_store(store, config, DAY + dt.timedelta(days=3), weeks=4)


def test_the_command_prints_the_plan_from_history_in_chinese(config, history, capsys):
    path = history[0]
    assert main(["plan", "--config", str(HALL), "--from-history", str(path), "--day", DAY.isoformat(),
                 "--target-minutes", "15", "--seeds", "1"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "模拟大厅 2025-11-24 — 依据：近2个星期一的取号（2025-11-03至2025-11-17）"
    assert out[1] == "普通号最长等候不超过15分钟所需窗口"
    rows = {line.split()[0]: line.split()[1:] for line in out[2:]}
    assert rows["时段"][:3] == ["09:00", "10:00", "11:00"]
    assert {"预计取号", "医保业务窗口", "综合窗口（综合业务优先）", "合计开窗", "最长普通等候（分钟）"} <= set(rows)
    totals = [int(x) for x in rows["合计开窗"]]
    assert totals == [int(a) + int(b) for a, b in zip(rows["医保业务窗口"], rows["综合窗口（综合业务优先）"])]
    assert all(1 <= n <= 3 for n in totals)


def test_the_command_refuses_what_it_cannot_plan_from_and_creates_nothing(tmp_path, capsys):
    missing = tmp_path / "nope.sqlite"
    assert main(["plan", "--config", str(HALL), "--from-history", str(missing)]) == 2
    assert "no such database" in capsys.readouterr().err and not missing.exists()
    bad = tmp_path / "profile.yaml"
    bad.write_text("arrivals: {9: {shuiwu: 3}}\n", encoding="utf-8")
    assert main(["plan", "--config", str(HALL), "--profile", str(bad)]) == 2
    assert "'shuiwu' is not a category of this hall" in capsys.readouterr().err
    assert main(["plan", "--config", str(HALL), "--profile", str(bad), "--target-minutes", "0"]) == 2


def test_the_shipped_example_profile_fits_the_county_hall():
    import yaml

    data = Path(__file__).parents[2] / "firmware_configs"
    county = load_hall_config(data / "sites" / "county.yaml")
    profile = yaml.safe_load((data / "profiles" / "county.yaml").read_text(encoding="utf-8"))
    demand = read_profile(profile, county)
    assert sorted(demand.arrivals) == list(range(8, 17)) and demand.expected(10) == 100
    assert demand.service_min["yijianshi"] == 16.6 and demand.elderly_share == 0.33
