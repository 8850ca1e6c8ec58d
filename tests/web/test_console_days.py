"""Two days of a hall on the service's injectable clock: the date-range report across both
days, each day's XLSX export, and ticket links that are valid on their own day only."""
from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from playwright.sync_api import expect

from conftest import STAFF, Hall, login, open_page, shot

ZONE = ZoneInfo("Asia/Shanghai")
DAY1, DAY2 = "2025-11-20", "2025-11-21"


class HallClock:
    """The hall's time, moved by the test (the service, the console and the bus read it)."""

    def __init__(self, when: dt.datetime):
        self.now = when.timestamp()

    def __call__(self) -> float:
        return self.now

    def set(self, when: dt.datetime) -> None:
        self.now = when.timestamp()

    def advance(self, minutes: float) -> None:
        self.now += minutes * 60


def at(day: str, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{hour:02d}:{minute:02d}").replace(tzinfo=ZONE)


@pytest.fixture(scope="module")
def clock():
    return HallClock(at(DAY1, 9))


@pytest.fixture(scope="module")
def hall(tmp_path_factory, clock):
    h = Hall(tmp_path_factory.mktemp("days"), clock=clock)
    yield h
    h.stop()


def act(hall, window: str, action: str, args: dict | None = None) -> dict:
    answer = hall.service.handle("window", window, action, args or {})
    assert answer["status"] == "ok", answer
    return answer["data"]


def serve(hall, clock, window: str, wait_min: float, handle_min: float, finish: str = "window.finish") -> str:
    clock.advance(wait_min)
    number = act(hall, window, "window.call_next")["ticket"]["number"]
    act(hall, window, "window.start")
    clock.advance(handle_min)
    act(hall, window, finish)
    return number


@pytest.fixture(scope="module")
def two_days(hall, clock):
    """Day 1: three tickets, two served at window 1 by 李小明, one no-show, one bad rating.
    Day 2: two tickets, one served at window 2 by 赵敏; one still waiting."""
    day1 = [hall.issue() for _ in range(3)]
    act(hall, "1", "window.login", {"staff": "w01", "password": STAFF["w01"][2]})
    serve(hall, clock, "1", 6, 10)
    serve(hall, clock, "1", 2, 20)
    clock.advance(1)
    act(hall, "1", "window.call_next")
    act(hall, "1", "window.skip")
    act(hall, "1", "evaluation.submit", {"ticket": day1[0]["number"], "level": 2, "reasons": ["态度差"]})
    clock.set(at(DAY2, 8, 30))
    hall.service.tick()                      # midnight has passed: the hall starts a new day
    day2 = [hall.issue() for _ in range(2)]
    act(hall, "2", "window.login", {"staff": "w02", "password": STAFF["w02"][2]})
    serve(hall, clock, "2", 30, 15)
    return day1, day2


def test_report_across_two_days(hall, browser, two_days):
    manager = login(browser, hall, "m01", size="dashboard")
    manager.goto(hall.url + "/manage/report")
    form = manager.locator("#range")
    form.locator("input[name=from]").fill(DAY1)
    form.locator("input[name=to]").fill(DAY2)
    form.locator("button[type=submit]").click()
    days = manager.locator("#days tbody tr")
    expect(days).to_have_count(2)
    # 日期 取号 办结 过号 平均等候 平均办理 评价 满意率 差评
    expect(days.nth(0).locator("td").nth(0)).to_have_text(DAY1)
    expect(days.nth(0).locator("td").nth(1)).to_have_text("3")
    expect(days.nth(0).locator("td").nth(2)).to_have_text("2")
    expect(days.nth(0).locator("td").nth(3)).to_have_text("1")
    expect(days.nth(0).locator("td").nth(8)).to_have_text("1")
    expect(days.nth(1).locator("td").nth(0)).to_have_text(DAY2)
    expect(days.nth(1).locator("td").nth(1)).to_have_text("2")
    expect(days.nth(1).locator("td").nth(2)).to_have_text("1")
    expect(days.nth(1).locator("td").nth(4)).to_have_text("30分钟")
    staff = manager.locator("#staff tbody")
    expect(staff.locator("tr", has_text="李小明").locator("td").nth(1)).to_have_text("2")
    expect(staff.locator("tr", has_text="赵敏").locator("td").nth(1)).to_have_text("1")
    expect(manager.locator("#totals")).to_contain_text("取号5")
    shot(manager, "report")
    report = manager.request.get(f"{hall.url}/api/report?from={DAY1}&to={DAY2}").json()
    assert [d["issued"] for d in report["days"]] == [3, 2] and report["totals"]["served"] == 3
    only_day2 = manager.request.get(f"{hall.url}/api/report?from={DAY2}&to={DAY2}").json()
    assert only_day2["totals"]["issued"] == 2
    assert manager.request.get(f"{hall.url}/api/report?from={DAY2}&to={DAY1}").status == 400
    manager.context.close()


def test_xlsx_export_of_a_past_day(hall, browser, two_days):
    day1, _ = two_days
    manager = login(browser, hall, "m01", size="dashboard")
    book = openpyxl.load_workbook(io.BytesIO(manager.request.get(f"{hall.url}/api/export/tickets.xlsx?date={DAY1}").body()))
    sheet = book.active
    assert sheet.title == DAY1
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("日期", "号码", "业务类别", "优先", "状态", "取号时间", "叫号时间", "办结时间",
                       "窗口", "工作人员", "等候(分钟)", "办理(分钟)", "结果", "人证核验")
    by_number = {r[1]: r for r in rows[1:]}
    assert set(by_number) == {t["number"] for t in day1}
    first = by_number[day1[0]["number"]]
    assert first == (DAY1, day1[0]["number"], "综合业务", "普通", "已办结", "09:00:00", "09:06:00", "09:16:00",
                     "1号窗口", "李小明", 6.0, 10.0, "办结", None)   # no face check: an empty cell
    assert by_number[day1[2]["number"]][4] == "过号"
    manager.context.close()


def test_ticket_link_is_valid_on_its_day_only(hall, browser, clock, two_days):
    day1, day2 = two_days
    old = open_page(browser, hall, "/t/" + day1[1]["url"].rsplit("/t/", 1)[1], "phone")
    expect(old.locator("#number")).to_have_text("无效")
    expect(old.locator("#category")).to_have_text("")
    waiting = open_page(browser, hall, "/t/" + day2[1]["url"].rsplit("/t/", 1)[1], "phone")
    expect(waiting.locator("#number")).to_have_text(day2[1]["number"])
    expect(waiting.locator("#figures")).to_contain_text("前面还有0 人")
    # the night passes with the page open: it says the ticket is over and stops listening
    clock.set(at("2025-11-22", 8))
    hall.service.tick()
    expect(waiting.locator("#number")).to_have_text("无效", timeout=3000)
    expect(waiting.locator("#status")).to_have_text("这张号票已过期")
    old.context.close()
    waiting.context.close()
