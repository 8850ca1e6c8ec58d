"""The manager's dashboard shows tomorrow's expected tickets by hour, learned from the same
weekday of past weeks in the hall's database, and the windows of each kind they need
(queue_server/web/planning.py over sim/plan.py), in a real headless Chromium."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from conftest import login, shot
from queue_server.sim.day import DayModel
from queue_server.sim.plan import read_profile
from queue_server.sim.replay import HallDay

PROFILE = {"arrivals": {9: {"zonghe": 24, "yibao": 10, "shebao": 6}, 10: {"zonghe": 12, "yibao": 4}},
           "service_minutes": {"zonghe": 6, "yibao": 5, "shebao": 7}}


def past_day(config, day: dt.date, seed: int, first_id: int) -> list:
    """A day played on the engine, its tickets numbered from `first_id` (ids are unique
    across the hall's days; today's start at 1)."""
    citizens = DayModel(config, read_profile(PROFILE, config).profile(), seed).citizens(day)
    tickets = sorted(HallDay(config, citizens, day).run().tickets.values(), key=lambda t: t.id)
    for k, t in enumerate(tickets):
        t.id = first_id + k
    return tickets


def test_the_dashboard_shows_tomorrows_load_and_the_windows_it_needs(hall, browser):
    zone = ZoneInfo(hall.config.timezone)
    tomorrow = dt.datetime.now(zone).date() + dt.timedelta(days=1)
    history = past_day(hall.config, tomorrow - dt.timedelta(weeks=1), 21, 1_000_000) + \
        past_day(hall.config, tomorrow - dt.timedelta(weeks=2), 22, 2_000_000)
    other_weekday = past_day(hall.config, tomorrow - dt.timedelta(days=3), 23, 3_000_000)
    with hall.service.exclusive() as store:
        store.write_tickets(history + other_weekday)
    by_hour = Counter(dt.datetime.fromtimestamp(t.issued_at, zone).hour for t in history)

    manager = login(browser, hall, "m01", size="dashboard")
    table = manager.locator("#plan-table")
    expect(table.locator("tbody tr")).to_have_count(len(by_hour), timeout=60_000)
    expect(manager.locator("#plan-heading")).to_have_text("明日预计（按小时）")
    weekday = "星期" + "一二三四五六日"[tomorrow.weekday()]
    expect(manager.locator("#plan-day")).to_have_text(f"{tomorrow} {weekday}")
    expect(manager.locator("#plan-note")).to_have_text(
        f"普通号最长等候不超过20分钟所需窗口。依据：近2个{weekday}的取号"
        f"（{tomorrow - dt.timedelta(weeks=2)}至{tomorrow - dt.timedelta(weeks=1)}）")
    heads = table.locator("thead th").all_text_contents()
    assert heads[:2] == ["时段", "预计取号"] and heads[-2:] == ["合计开窗", "最长普通等候"]
    assert {"医保业务窗口", "综合窗口（综合业务优先）", "一件事一次办专窗"} <= set(heads)
    for row, hour in zip(table.locator("tbody tr").all(), sorted(by_hour)):
        cells = row.locator("td").all_text_contents()
        assert cells[0] == f"{hour:02d}:00-{hour + 1:02d}:00"
        assert cells[1] == str(round(by_hour[hour] / 2))          # the two Mondays' mean
        windows = [int(x) for x in cells[2:-2]]
        assert sum(windows) == int(cells[-2]) and 1 <= sum(windows) <= len(hall.config.windows)
        assert cells[-1].endswith("分钟")
    # the busier hour needs at least as many windows as the quieter one
    totals = dict(zip(sorted(by_hour), (int(r.locator("td").nth(-2).text_content())
                                        for r in table.locator("tbody tr").all())))
    busy, quiet = sorted(by_hour, key=by_hour.get, reverse=True)
    assert totals[busy] >= totals[quiet]
    expect(manager.locator("#chart-plan svg rect")).not_to_have_count(0)
    shot(manager, "dashboard-plan", full_page=True)

    # asked again (the page reloaded): the day's plan is kept, no second process computes it
    plans = hall.console.console.plans
    child = plans._child
    assert child.returncode == 0
    answer = manager.request.get(hall.url + "/api/plan/tomorrow")
    assert answer.ok and answer.json()["hours"][0]["expected"] == round(by_hour[min(by_hour)] / 2)
    assert plans._child is child
    manager.context.close()

    # managers only: a window clerk is refused, and so is a request without a session
    clerk = login(browser, hall, "w01", window="1")
    assert clerk.request.get(hall.url + "/api/plan/tomorrow").status == 403
    clerk.context.close()
    stranger = browser.new_context()
    assert stranger.request.get(hall.url + "/api/plan/tomorrow").status == 401
    stranger.close()
