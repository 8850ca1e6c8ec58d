"""A ticket's life through the console in a real headless Chromium: bus -> dashboard ->
staff caller -> hall screen and the citizen's phone, and what each role may open."""
from __future__ import annotations

import csv
import io
import re

import openpyxl
from playwright.sync_api import expect

from conftest import login, open_page, shot
from queue_server.login_limits import FREE_TRIES

LIVE_MS = 1000      # the brief: pages change within one second of a change


def test_ticket_issued_on_the_bus_is_called_and_every_page_follows(hall, browser):
    dashboard = login(browser, hall, "m01", size="dashboard")
    screen = open_page(browser, hall, "/screen", "tv")
    caller = login(browser, hall, "w01", window="1")
    expect(caller.locator("#window-state")).to_have_text("空闲")

    first, second = hall.issue(), hall.issue()
    row = dashboard.locator("#categories tbody tr", has_text="综合业务")
    expect(row.locator("td").nth(1)).to_have_text("2")
    phone = open_page(browser, hall, hall.phone_url(second)[len(hall.url):], "phone")
    expect(phone.locator("#number")).to_have_text(second["number"])
    expect(phone.locator("#figures")).to_contain_text("前面还有1 人")
    # the wait in the words of hall/words.py (约5分钟, or a range 约5-15分钟), not the seconds
    expect(phone.locator("#figures")).to_contain_text(re.compile(r"预计等候约\d+(-\d+)?分钟"))
    shot(phone, "ticket-waiting")

    caller.keyboard.press("n")                      # shortcut of 叫下一位
    expect(caller.locator("#ticket")).to_have_text(first["number"], timeout=LIVE_MS)
    expect(screen.locator("#latest-ticket")).to_have_text(first["number"], timeout=LIVE_MS)
    expect(screen.locator(".win-cell[data-window='1'] .win-ticket")).to_have_text(first["number"], timeout=LIVE_MS)
    expect(phone.locator("#figures")).to_contain_text("前面还有0 人", timeout=LIVE_MS)

    caller.keyboard.press("f")                      # 办结
    expect(caller.locator("#window-state")).to_have_text("空闲", timeout=LIVE_MS)
    caller.keyboard.press("n")
    expect(phone.locator("#called")).to_have_text("请到 1号窗口 办理", timeout=LIVE_MS)
    expect(phone.locator("#status")).to_have_text("已叫号")
    expect(screen.locator("#latest-ticket")).to_have_text(second["number"], timeout=LIVE_MS)
    expect(screen.locator("#recent li").first).to_contain_text(first["number"])
    expect(caller.locator("#today")).to_contain_text("1件")
    window_1 = dashboard.locator("#windows tbody tr").first
    expect(window_1).to_contain_text(second["number"])
    expect(window_1).to_contain_text("李小明")

    shot(phone, "ticket-called")
    shot(dashboard, "dashboard")
    # the TV shows everything without scroll bars
    assert screen.evaluate("document.documentElement.scrollHeight <= innerHeight && "
                           "document.documentElement.scrollWidth <= innerWidth")
    assert screen.evaluate("getComputedStyle(document.querySelector('#latest-ticket')).fontSize") >= "150px"
    for p in (dashboard, screen, caller, phone):
        p.context.close()


def test_every_staff_button_has_a_working_shortcut(hall, browser):
    hall.issue("yibao")
    caller = login(browser, hall, "w02", window="5")      # window 5 serves 医保
    expect(caller.locator("#window-state")).to_have_text("空闲")
    keys = {b.get_attribute("data-key") for b in caller.locator("[data-key]").all()}
    assert keys == {"n", "r", "b", "f", "u", "s", "t", "p", "q", "g", "v"}   # g: 一次性告知 (test_console_guides), v: 人工核验通过 (test_console_face)
    caller.keyboard.press("n")
    expect(caller.locator("#window-state")).to_have_text("已叫号", timeout=LIVE_MS)
    caller.keyboard.press("r")
    expect(caller.locator("#message")).to_contain_text("第2次")
    caller.keyboard.press("b")
    expect(caller.locator("#window-state")).to_have_text("办理中", timeout=LIVE_MS)
    caller.keyboard.press("t")
    caller.select_option("#transfer-form select[name=to_category]", "zonghe")
    caller.keyboard.press("Enter")
    expect(caller.locator("#message")).to_contain_text("已转移")
    expect(caller.locator("#window-state")).to_have_text("空闲", timeout=LIVE_MS)
    caller.keyboard.press("p")
    caller.keyboard.press("Enter")
    expect(caller.locator("#window-state")).to_have_text("暂停服务：临时离开", timeout=LIVE_MS)
    caller.keyboard.press("p")
    expect(caller.locator("#window-state")).to_have_text("空闲", timeout=LIVE_MS)
    hall.issue("yibao")
    caller.keyboard.press("n")
    expect(caller.locator("#window-state")).to_have_text("已叫号", timeout=LIVE_MS)
    caller.keyboard.press("s")
    caller.keyboard.press("Enter")                   # 过号 asks first
    expect(caller.locator("#message")).to_contain_text("已过号")
    caller.keyboard.press("q")                       # 过号重排 offers the number just skipped
    caller.keyboard.press("Enter")
    expect(caller.locator("#message")).to_contain_text("已重新排队")
    caller.keyboard.press("n")
    expect(caller.locator("#window-state")).to_have_text("已叫号", timeout=LIVE_MS)
    caller.keyboard.press("u")                       # 未办结 asks why
    caller.keyboard.type("材料不全")
    caller.keyboard.press("Enter")
    expect(caller.locator("#message")).to_contain_text("已记为未办结")
    caller.context.close()


def test_second_browser_at_the_same_window_takes_over(hall, browser):
    first = login(browser, hall, "w03", window="2")
    second = login(browser, hall, "w03", window="2")
    expect(first.locator("#takeover")).to_be_visible(timeout=LIVE_MS)
    expect(first.locator("[data-action=call_next]")).to_be_disabled()
    answer = first.evaluate("""async () => {
        const r = await fetch('/api/window/call_next', {method: 'POST', headers: {'X-CSRF-Token':
            document.querySelector('meta[name=csrf]').content}});
        return [r.status, (await r.json()).error.code]; }""")
    assert answer == [409, "taken_over"]
    expect(second.locator("[data-action=call_next]")).to_be_enabled()
    first.context.close()
    second.context.close()


def test_window_staff_cannot_open_manager_pages(hall, browser):
    caller = login(browser, hall, "w04", window="3")
    for path in ("/manage", "/manage/report", "/manage/audit", "/admin/staff"):
        response = caller.goto(hall.url + path)
        assert response.status == 403, path
        expect(caller.locator("h1")).to_have_text("无权访问")
    for path in ("/api/dashboard", "/api/export/tickets.csv", "/api/audit", "/api/staff"):
        assert caller.request.get(hall.url + path).status == 403, path
    caller.context.close()
    manager = login(browser, hall, "m01", size="dashboard")
    assert manager.goto(hall.url + "/admin/staff").status == 403
    assert manager.request.get(hall.url + "/api/staff").status == 403
    manager.context.close()


def test_wrong_passwords_in_a_row_are_slowed_down(hall, browser):
    page = open_page(browser, hall, "/login", "staff")
    for attempt in range(FREE_TRIES):
        page.fill("input[name=staff]", "w02")
        page.fill("input[name=password]", f"wrong-{attempt}")
        page.click("button[type=submit]")
        expect(page.locator("#error")).to_have_text("工号或密码错误")
        page.locator("#error").evaluate("n => n.textContent = ''")
    page.fill("input[name=password]", "chuangkou2")            # even the right one must wait now
    page.click("button[type=submit]")
    expect(page.locator("#error")).to_contain_text("秒后再试")
    assert page.url.endswith("/login")
    shot(page, "login")
    page.context.close()


def test_day_exports_contain_the_days_tickets(hall, browser):
    issued = hall.issue("shuiwu")
    manager = login(browser, hall, "m01", size="dashboard")
    response = manager.request.get(hall.url + "/api/export/tickets.csv")
    assert response.status == 200
    text = response.body().decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][:5] == ["日期", "号码", "业务类别", "优先", "状态"]
    by_number = {row[1]: row for row in table[1:]}
    assert by_number[issued["number"]][2] == "税务业务"
    assert by_number[issued["number"]][4] == "等候中"
    numbers = {t["number"] for t in hall.service.tickets_of_day()}
    assert set(by_number) == numbers
    book = openpyxl.load_workbook(io.BytesIO(manager.request.get(hall.url + "/api/export/tickets.xlsx").body()))
    sheet = book.active
    assert {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)} == numbers
    manager.context.close()


def test_a_stopped_console_leaves_no_listener_on_the_service(tmp_path):
    """A console restarted in one process (tests, a reload) used to stay subscribed."""
    from conftest import ROOT, always_open

    from hall.config.hall import load_hall_config
    from queue_server.service import HallService
    from queue_server.web import start_console

    config = always_open(load_hall_config(ROOT / "firmware_configs" / "sites" / "county.yaml"))
    service = HallService(config, str(tmp_path / "hall.sqlite"))
    try:
        for _ in range(2):
            start_console(service, config, host="127.0.0.1", port=0).stop()
        assert service._listeners == []
    finally:
        service.close()
