"""The console's pure parts: login slow-down, sessions, figures, alerts, exports, charts."""
from __future__ import annotations

import csv
import io
import json

import openpyxl
from zoneinfo import ZoneInfo

from hall.config.model import Category
from queue_server.web import alerts, charts, exports, stats
from queue_server.web.auth import SessionStore, allows, csrf_ok

ZONE = ZoneInfo("Asia/Shanghai")
T0 = 1763686800.0     # 2025-11-21 09:00 in Shanghai


def test_login_rotates_the_session_and_idle_sessions_expire():
    store = SessionStore(idle_s=60)
    anonymous = store.anonymous(None, T0)
    staff = store.login({"id": "w01", "name": "李小明", "role": "window", "stamp": "s"}, T0)
    assert staff.token != anonymous.token and store.get(anonymous.token, T0) is None
    assert store.get(staff.token, T0 + 59).staff == "w01"
    assert store.get(staff.token, T0 + 200) is None
    assert csrf_ok(staff, staff.csrf) and not csrf_ok(staff, "x") and not csrf_ok(staff, None)
    # a visitor's CSRF token is bound to its cookie and to this server
    assert store.anonymous(anonymous.token, T0).csrf == anonymous.csrf
    assert not csrf_ok(store.anonymous(None, T0), anonymous.csrf)
    assert SessionStore().anonymous(anonymous.token, T0).csrf != anonymous.csrf


def test_visitors_are_not_stored_and_logged_in_sessions_are_bounded():
    store = SessionStore(idle_s=60, limit=3)
    for _ in range(1000):
        store.anonymous(None, T0)
    assert len(store) == 0
    first = store.login({"id": "w01", "name": "李小明", "role": "window", "stamp": "s"}, T0)
    later = [store.login({"id": f"w{i}", "name": "x", "role": "window", "stamp": "s"}, T0 + i) for i in range(3)]
    assert store.get(first.token, T0 + 3) is None                       # the longest idle went first
    assert all(store.get(s.token, T0 + 3) for s in later)


def test_roles_nest():
    assert allows("admin", "manager") and allows("manager", "window")
    assert not allows("window", "manager") and not allows(None, "window") and allows(None, "public")


def ticket(number, status, issued, called=None, finished=None, window=None, staff=None, category="a"):
    return {"number": number, "category": category, "status": status, "issued_at": issued, "called_at": called,
            "started_at": called, "finished_at": finished, "window": window, "staff": staff, "priority": "normal",
            "date": "2025-11-21", "outcome": "done" if status == "done" else None}


TICKETS = [ticket("A001", "done", T0, T0 + 300, T0 + 900, "1", "w01"),
           ticket("A002", "no_show", T0 + 60, T0 + 1260, T0 + 1400, "1", "w01"),
           ticket("A003", "waiting", T0 + 120),
           ticket("A004", "waiting", T0 + 2000)]
CATS = (Category("a", "A", "综合业务", wait_alert_s=1800),)


def test_category_and_window_figures():
    [row] = stats.category_figures(TICKETS, CATS, T0 + 2120)
    assert (row["waiting"], row["issued"], row["longest_wait_s"]) == (2, 4, 2000)
    assert row["avg_wait_s"] == (300 + 1200) / 2
    fig = stats.window_figures(TICKETS, "1")
    assert (fig["served"], fig["no_show"], fig["avg_handle_s"]) == (1, 1, 600)
    assert dict(stats.wait_histogram(TICKETS)) == {"0-5": 0, "5-10": 1, "10-15": 0, "15-20": 0, "20-30": 1, "30-45": 0, "45-60": 0, "≥60": 0}
    assert [h for h, _ in stats.hourly_pairs(stats.hourly_issued(TICKETS, ZONE))] == [str(h) for h in range(7, 20)]


def test_alerts_say_what_is_wrong_in_chinese():
    assert alerts.wait_alerts(stats.category_figures(TICKETS, CATS, T0 + 1900)) == []   # 29 min 40 s
    rows = stats.category_figures(TICKETS, CATS, T0 + 2000)
    assert alerts.wait_alerts(rows)[0]["text"] == "综合业务（A）最长已等 31 分钟，超过 30 分钟"
    long = [dict(rows[0], waiting=alerts.LONG_QUEUE)]
    windows = [{"name": "1号窗口", "state": "paused", "categories": ["a"]},
               {"name": "2号窗口", "state": "serving", "categories": ["a"]}]
    assert alerts.queue_alerts(long, windows)[0]["text"] == "综合业务排队 10 人，1号窗口暂停"
    devices = {"kiosk/k1": {"status": {"state": "online"}, "devices": {"printer": {"state": "error", "code": "paper_out"}}},
               "agent/a1": {"status": {"state": "offline"}}}
    assert [a["text"] for a in alerts.device_alerts(devices)] == ["a1号设备代理离线", "k1号取号机打印机缺纸"]
    bad = [{"ticket": "A001", "level": 2, "window": "1", "ts": T0}]
    assert alerts.rating_alerts(bad, {"1": "1号窗口"}, T0 + 60)[0]["text"] == "1号窗口 A001 评价“不满意”，待整改"
    assert alerts.rating_alerts(bad, {"1": "1号窗口"}, T0 + alerts.BAD_RATING_RECENT_S + 1) == []


def test_csv_rows_are_readable_and_excel_friendly():
    table = exports.rows(TICKETS, {"a": "综合业务"}, {"1": "1号窗口"}, ZONE)
    data = exports.to_csv(table)
    assert data.startswith("\ufeff".encode())
    parsed = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert parsed[1][:9] == ["2025-11-21", "A001", "综合业务", "普通", "已办结", "09:00:00", "09:05:00", "09:15:00", "1号窗口"]
    assert parsed[1][10:] == ["5.0", "10.0", "办结", ""]      # no 人证核验 was asked for


def test_the_export_says_how_the_holder_was_verified():
    stored = {"result": "staff", "staff": "w01", "at": T0, "kiosk": {"result": "fail"}}
    checks = [(None, ""), ('{"result": "pass", "distance": 0.4}', "刷脸通过"),
              ('{"result": "fail"}', "刷脸未通过"), (json.dumps(stored), "人工核验通过（w01）")]
    for face_check, words in checks:
        assert exports.rows([dict(TICKETS[0], face_check=face_check)], {}, {}, ZONE)[0][-1] == words


def test_no_exported_text_becomes_a_formula():
    names = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "王-明", "A-001"]
    table = [[name, 3.5] for name in names]
    rows = list(csv.reader(io.StringIO(exports.to_csv(table).decode("utf-8-sig"))))[1:]
    assert [r[0] for r in rows] == ["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", "'\rx", "王-明", "A-001"]
    sheet = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(table, "2025-11-21"))).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in cells][:4] == names[:4] and all(c.data_type == "s" for c in cells)
    assert [row[1].value for row in sheet.iter_rows(min_row=2)] == [3.5] * len(names)   # numbers stay numbers


def test_bar_chart_is_plain_svg():
    svg = charts.bar_chart([("9", 3), ("10", 0), ("<b>", 1)])
    assert svg.startswith("<svg") and svg.count("<rect") == 3 and "<b>" not in svg and "&lt;b&gt;" in svg


def test_handle_time_runs_from_the_call_to_the_finish_as_in_the_engine():
    """One definition (docs/queue.md): the dashboard used to start at `started_at`."""
    served = dict(ticket("A001", "done", T0, T0 + 300, T0 + 900, "1", "w01"), started_at=T0 + 600)
    assert stats.window_figures([served], "1")["avg_handle_s"] == 600
    assert stats.day_totals([served], [])["avg_handle_s"] == 600


def test_every_status_reads_the_same_on_the_phone_the_command_line_and_the_export():
    """One wording per status (hall/words.py): "called" was 请前往窗口 on the phone, 已呼叫 on
    the command line and 已叫号 in the export."""
    from types import SimpleNamespace

    from queue_server.commands.clients import ticket_line
    from queue_server.web.api import phone_view

    names = SimpleNamespace(category_names={"a": "综合业务"}, window_names={"1": "1号窗口"},
                            config=SimpleNamespace(catalog=None))
    expected = {"waiting": "等候中", "called": "已叫号", "serving": "办理中", "done": "已办结",
                "no_show": "过号", "transferred": "已转移", "cancelled": "已取消"}
    for status, word in expected.items():
        t = dict(ticket("A001", status, T0), status=status)
        assert phone_view(names, t)["status_text"] == word
        assert ticket_line(t).split(" ")[2].rstrip(",") == word
        assert exports.rows([t], {}, {}, ZONE)[0][4] == word


def test_deadline_alerts_warn_before_and_alarm_at_and_after_the_day():
    """临近 (within the warning's working days) is a warning; due today and overdue are errors."""
    rows = [{"number": f"Q-20261009-000{i}", "item_name": "社会保障卡申领", "due": "2026-10-13",
             "deadline": status, "deadline_text": text}
            for i, (status, text) in enumerate((("soon", "临近办结期限"), ("due", "今天到期"),
                                                ("overdue", "已超期")))]
    found = alerts.deadline_alerts(rows)
    assert [(a["kind"], a["level"]) for a in found] == [("deadline", "warning"), ("deadline", "error"),
                                                       ("deadline", "error")]
    assert found[0]["text"] == "办件Q-20261009-0000（社会保障卡申领）临近办结期限，承诺2026年10月13日办结"
    assert alerts.all_alerts([], [], {}, [], {}, 0.0) == []          # no applications: no alert
