"""The staff caller in a real headless Chromium: transfers to a category and to a window,
a window logged in or out elsewhere (its keypad, `yichuang window login`), every action in
the audit log, and the caller and dashboard complete again after the console restarts."""
from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from conftest import STAFF, NetworkCut, login

LIVE_MS = 1000


def yichuang(hall, *args: str) -> str:
    """The `yichuang` command, as a technician runs it against the hall's broker."""
    done = subprocess.run([sys.executable, "-m", "queue_server.cli", *args, "--broker", hall.broker.url,
                           "--hall", hall.config.id], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_transfer_to_a_category_and_to_a_window_from_the_browser(hall, browser):
    a, b = hall.issue("zonghe"), hall.issue("zonghe")
    caller = login(browser, hall, "w01", window="1")
    caller.keyboard.press("n")
    expect(caller.locator("#ticket")).to_have_text(a["number"], timeout=LIVE_MS)
    caller.click("[data-action=transfer]")
    caller.select_option("#transfer-form select[name=to_window]", "5")
    caller.click("#transfer-dialog button[value=ok]")
    caller.click("#confirm-dialog button[value=ok]")        # nobody is at window 5 yet
    expect(caller.locator("#message")).to_contain_text(f"已转移 {a['number']}")
    expect(caller.locator("#window-state")).to_have_text("空闲", timeout=LIVE_MS)
    assert {t["number"]: t for t in hall.service.tickets_of_day()}[a["number"]]["status"] == "waiting"

    caller.keyboard.press("n")
    expect(caller.locator("#ticket")).to_have_text(b["number"], timeout=LIVE_MS)
    caller.keyboard.press("t")
    caller.select_option("#transfer-form select[name=to_category]", "shuiwu")
    caller.keyboard.press("Enter")
    expect(caller.locator("#message")).to_contain_text(f"已转移 {b['number']}")
    assert {t["number"]: t for t in hall.service.tickets_of_day()}[b["number"]]["category"] == "shuiwu"

    # the window transfer arrives at window 5 first: its staff calls it next
    five = login(browser, hall, "w02", window="5")
    five.keyboard.press("n")
    expect(five.locator("#ticket")).to_have_text(a["number"], timeout=LIVE_MS)
    five.keyboard.press("f")
    expect(five.locator("#window-state")).to_have_text("空闲", timeout=LIVE_MS)

    manager = login(browser, hall, "m01", size="dashboard")
    manager.goto(hall.url + "/manage/audit")
    log = manager.locator("#log tbody")
    zone = ZoneInfo(hall.config.timezone)
    stored = hall.service.audit_log()
    for number, staff, window, action, name in ((a["number"], "w01", "1", "window.call_next", "叫号"),
                                                (a["number"], "w01", "1", "window.transfer", "转移"),
                                                (b["number"], "w01", "1", "window.transfer", "转移"),
                                                (a["number"], "w02", "5", "window.finish", "办结")):
        [entry] = [e for e in stored if (e["action"], e["ticket"], e["staff"]) == (action, number, staff)]
        when = dt.datetime.fromtimestamp(entry["ts"], zone).strftime("%H:%M:%S")
        row = log.locator("tr", has_text=name).filter(has_text=number).filter(has_text=staff)
        expect(row.locator("td")).to_have_text([when, staff, window, name, number, re.compile(".*"), "网页"])
    for p in (caller, five, manager):
        p.context.close()


def test_a_window_logged_in_or_out_through_mqtt_stops_the_browser_that_held_it(hall, browser):
    caller = login(browser, hall, "w03", window="9")
    expect(caller.locator("#window-state")).to_have_text("空闲")
    # another person logs in at window 9 with the window's keypad (`yichuang window login`)
    yichuang(hall, "window", "login", "--window", "9", "--staff", "w04", "--password", STAFF["w04"][2])
    expect(caller.locator("#takeover")).to_be_visible(timeout=LIVE_MS)
    expect(caller.locator("#takeover-text")).to_contain_text("钱*已在别处登录9号窗口")
    expect(caller.locator("[data-action=call_next]")).to_be_disabled()
    hall.issue("zonghe")
    answer = caller.request.post(hall.url + "/api/window/call_next", data={},
                                 headers={"X-CSRF-Token": caller.locator("meta[name=csrf]").get_attribute("content")})
    assert answer.status == 409 and answer.json()["error"]["code"] == "taken_over"
    assert hall.service.retained_states()["window/9/state"]["state"] == "idle"     # nothing was called

    # the browser logs in again and takes the window back; then the keypad logs out
    again = login(browser, hall, "w03", window="9")
    expect(again.locator("[data-action=call_next]")).to_be_enabled()
    yichuang(hall, "window", "logout", "--window", "9")
    expect(again.locator("#takeover-text")).to_have_text("9号窗口已在别处退出登录，本页已停止叫号", timeout=LIVE_MS)
    caller.context.close()
    again.context.close()


def test_a_window_calling_for_someone_else_refuses_the_browser_login(hall, browser):
    hall.issue("yibao")
    yichuang(hall, "window", "login", "--window", "8", "--staff", "w04", "--password", STAFF["w04"][2])
    yichuang(hall, "window", "call-next", "--window", "8")
    page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    page.goto(hall.url + "/login")
    page.fill("input[name=staff]", "w03")
    page.fill("input[name=password]", STAFF["w03"][2])
    page.select_option("select[name=window]", "8")
    page.click("button[type=submit]")
    expect(page.locator("#error")).to_have_text("窗口正在办理，请先办结当前号")
    assert page.url.endswith("/login")
    yichuang(hall, "window", "finish", "--window", "8")
    page.context.close()


def test_caller_and_dashboard_are_complete_after_the_console_restarts(hall, browser):
    caller = login(browser, hall, "w01", window="11")
    manager = login(browser, hall, "m01", size="dashboard")
    expect(caller.locator("#window-state")).to_have_text("空闲")
    hall.console.stop()
    expect(caller.locator("#offline")).to_be_visible(timeout=5000)
    expect(manager.locator("#offline")).to_be_visible(timeout=5000)
    # while the console is down the hall goes on: a ticket, a keypad call at window 14
    hall.issue("shuiwu")
    hall.service.handle("window", "14", "window.login", {"staff": "w02", "password": STAFF["w02"][2]})
    called = hall.service.handle("window", "14", "window.call_next", {})["data"]["ticket"]["number"]
    hall.serve_again()
    # the session died with the old console (sessions live in memory): the caller says so
    # at once instead of calling into nothing; the manager logs in again and sees it all
    expect(caller.locator("#offline")).to_be_hidden(timeout=10000)
    expect(caller.locator("#takeover")).to_be_visible(timeout=5000)
    manager.goto(hall.url + "/manage")
    expect(manager).to_have_url(hall.url + "/login?next=/manage")
    manager.context.close()
    manager = login(browser, hall, "m01", size="dashboard")
    row = manager.locator("#windows tbody tr", has_text="14号窗口")
    expect(row).to_contain_text(called)
    expect(row).to_contain_text("赵敏")
    caller.context.close()
    manager.context.close()


def test_caller_and_dashboard_are_complete_after_a_network_cut(hall, browser):
    """Changes made while a page is cut off are all shown as soon as it reconnects,
    without waiting for another change."""
    net = NetworkCut(hall.url)
    hall.issue("yibao")
    hall.service.handle("window", "7", "window.login", {"staff": "w04", "password": STAFF["w04"][2]})
    hall.service.handle("window", "7", "window.call_next", {})
    caller = login(browser, hall, "w03", window="13", via=net.url)
    manager = login(browser, hall, "m01", size="dashboard", via=net.url)
    row = manager.locator("#windows tbody tr", has_text="7号窗口")
    expect(row.locator(".badge")).to_have_text("已叫号")
    net.cut()
    expect(caller.locator("#offline")).to_be_visible(timeout=5000)
    expect(manager.locator("#offline")).to_be_visible(timeout=5000)
    hall.service.handle("window", "7", "window.finish", {})
    hall.service.handle("window", "13", "window.pause", {"reason": "会议"})
    caller.wait_for_timeout(500)
    expect(caller.locator("#window-state")).to_have_text("空闲")      # still the old picture
    net.mend()
    expect(caller.locator("#offline")).to_be_hidden(timeout=10000)
    expect(caller.locator("#window-state")).to_have_text("暂停服务：会议")
    expect(manager.locator("#offline")).to_be_hidden(timeout=10000)
    expect(row.locator(".badge")).to_have_text("空闲")
    expect(manager.locator("#windows tbody tr", has_text="13号窗口").locator(".badge")).to_have_text("暂停服务：会议")
    caller.context.close()
    manager.context.close()
    net.close()
