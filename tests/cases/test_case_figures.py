"""Figures of ratings and cases (queue_server/cases/figures.py): coverage, 满意率, 差评率,
按期整改率 and 回访率 counted as the reform documents count them, from a simulated county day
played through HallService (the day model of queue_server/sim); a rate without a denominator
is "—", never 0 % or 100 %; the CSV export keeps a formula-looking name as text; a case past
its day is escalated on the dashboard."""
import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from halls import Clock
from hall.config.hall import load_hall_config
from queue_server.cases import figures
from queue_server.sim.day import DayModel
from queue_server.web import alerts, exports
from queue_server.web.records import ConsoleRecords
from zoneinfo import ZoneInfo

COUNTY = Path(__file__).parents[2] / "firmware_configs/sites/county.yaml"
DAY = dt.date(2026, 12, 2)                  # a Wednesday
REVISIT = {"how": "phone", "at": f"{DAY}T16:00", "said": "满意", "satisfied": True}


def at(minutes_after_open: float) -> float:
    opening = dt.datetime(DAY.year, DAY.month, DAY.day, 8, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    return opening.timestamp() + minutes_after_open * 60


@pytest.fixture(scope="module")
def day(tmp_path_factory):
    """Ninety minutes of a county day: each citizen takes a ticket, is called at a window
    serving the category, served (or skipped as a no-show) and rates or not, as the model says."""
    from queue_server.service import HallService

    config = load_hall_config(COUNTY)
    config = dataclasses.replace(config, hours=dataclasses.replace(config.hours, open=0, close=1440,
                                                                   last_ticket_before_close=0))
    citizens = DayModel(config, seed=7).citizens(DAY, minutes=90)
    clock = Clock(at(0))
    path = tmp_path_factory.mktemp("day") / "hall.sqlite"
    service = HallService(config, str(path), clock=clock)
    service.staff.add("boss", "王大明", "manager", "mima-1234")
    for w in config.windows:
        service.staff.add(f"w{w.id}", "李明", "window", "mima-1234")
        assert service.handle("window", w.id, "window.login", {"staff": f"w{w.id}", "password": "mima-1234"})["status"] == "ok"
    for c in citizens:
        clock.now = at(c.arrive_s / 60)
        issued = service.handle("kiosk", "k1", "ticket.issue", {"category": c.category,
                                                               "identity": {"id_number": c.id_number}})
        assert issued["status"] == "ok", issued
        window = next(w.id for w in config.windows if w.categories[0] == c.category)   # its own first
        number = issued["data"]["ticket"]["number"]
        steps = ["window.skip"] if c.no_show else \
            ["window.start", "window.finish"] + (["evaluation.submit"] if c.rating else [])
        answers = service.handle_batch([("window", window, "window.call_next", {})] + [
            ("window", window, step, {"ticket": number, "level": c.rating}) for step in steps])
        assert answers[0]["data"]["ticket"]["number"] == number
        assert all(a["status"] == "ok" for a in answers), answers
    records = ConsoleRecords(str(path))
    yield type("Day", (), dict(service=service, config=config, citizens=citizens, records=records))
    records.close()
    service.close()


def figures_of(day, by, today=DAY.isoformat()):
    first = DAY.isoformat()
    return figures.figures(by, day.records.tickets(first, first), day.service.evaluations(first, first),
                           day.service.cases.listing(live=False), lambda t: figures.ticket_department(day.config, t),
                           today)


def test_coverage_and_rates_of_a_simulated_day(day):
    came = [c for c in day.citizens if not c.no_show]
    rated = [c for c in came if c.rating]
    bad = [c for c in rated if c.rating <= 2]
    assert len(came) > 100 and bad, "the day should have enough services and some bad ratings"
    total = figures_of(day, "day")["total"]
    assert (total["served"], total["ratings"], total["named_bad"]) == (len(came), len(rated), len(bad))
    assert total["coverage"] == round(len(rated) / len(came), 4)
    assert total["satisfied_rate"] == round(sum(c.rating >= 4 for c in rated) / len(rated), 4)
    assert total["bad_rate"] == round(len(bad) / len(rated), 4)
    assert total["on_time_rate"] is None          # nothing rectified, nothing due yet: no rate
    by_window = figures_of(day, "window")
    assert sum(r["served"] for r in by_window["rows"]) == len(came)
    assert sum(r["ratings"] for r in by_window["rows"]) == len(rated)
    departments = {r["key"]: r for r in figures_of(day, "department")["rows"]}
    assert {"医保", "社保", "不动产", "税务"} <= set(departments)       # the domain windows' departments
    assert departments["医保"]["served"] == sum(c.category == "yibao" for c in came)


def test_the_on_time_rate_counts_named_bad_ratings_rectified_by_their_day(day):
    cases = day.service.cases.listing(kind="rating")
    done = cases[: len(cases) // 2 or 1]
    for case in done:
        for step, args in (("verify", {}), ("rectify", {"text": "已整改"}), ("revisit", {"revisit": REVISIT})):
            answer = day.service.handle("manager", "boss", "case.step",
                                        {"number": case["number"], "step": step, **args})
            assert answer["status"] == "ok", answer
    today = figures_of(day, "day")["total"]
    assert today["on_time_rate"] == 1.0 and today["revisit_rate"] == 1.0
    after = figures_of(day, "day", today=max(c["due"] for c in cases) + "x")["total"]
    assert after["on_time_rate"] == round(len(done) / len(cases), 4)


def test_a_case_past_its_day_is_escalated_on_the_dashboard(day):
    case = day.service.cases.listing(kind="rating")[-1]
    later = dt.datetime.fromisoformat(case["due"] + "T09:00+08:00").timestamp() + 86400 * 3
    day.service.clock.now = later
    day.service.tick(later)
    warned = alerts.case_alerts(day.service.cases.warnings(), {"9": "9号窗口"})
    assert any(case["number"] in a["text"] and "已超期" in a["text"] and a["level"] == "error"
               for a in warned)


def test_a_rate_without_a_denominator_and_a_formula_looking_key():
    result = figures.figures("department", [], [], [
        {"kind": "complaint", "opened_on": "2026-12-02", "department": "=HYPERLINK(1)", "state": "open",
         "due": "2026-12-07", "deadline": "ok"}], lambda t: "", "2026-12-02")
    row = result["rows"][0]
    assert row["coverage"] is None and row["complaints"] == 1
    table = figures.table(result, lambda key: key)
    assert table[0][:4] == ["=HYPERLINK(1)", 0, 0, "—"] and table[-1][0] == "合计"
    text = exports.to_csv(table, ("部门", *figures.COLUMNS)).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text
