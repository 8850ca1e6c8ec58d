"""The manager's side in a real headless Chromium: alerts, rectification of a bad rating,
audit log, reports, staff accounts, the API description, and recovery after a restart."""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

from playwright.sync_api import expect

from conftest import SIZES, login, shot

LIVE_MS = 1000


def served_ticket(hall, window: str, staff: str, category: str = "zonghe") -> dict:
    """A ticket issued at the kiosk and served at `window` through the service (as a keypad would)."""
    ticket = hall.issue(category)
    hall.service.handle("window", window, "window.login", {"staff": staff, "password": "chuangkou1"})
    for action in ("window.call_next", "window.start", "window.finish"):
        answer = hall.service.handle("window", window, action, {})
        assert answer["status"] == "ok", answer
    return ticket


def test_alerts_rectification_and_audit(hall, browser):
    manager = login(browser, hall, "m01", size="dashboard")
    alerts = manager.locator("#alerts")
    expect(alerts).to_have_text("一切正常")

    ticket = served_ticket(hall, "4", "w01")
    hall.service.handle("window", "4", "evaluation.submit", {"ticket": ticket["number"], "level": 1, "reasons": ["等候时间长"]})
    expect(alerts.locator("li[data-kind=rating]")).to_contain_text(f"{ticket['number']} 评价“非常不满意”", timeout=LIVE_MS)

    hall.kiosk.publish_devices({"printer": {"state": "error", "code": "paper_out"}, "card_reader": {"state": "ok"}})
    expect(alerts.locator("li[data-kind=device]")).to_have_text("k1号取号机打印机缺纸", timeout=LIVE_MS)

    expect(manager.locator("#chart-hourly svg rect")).not_to_have_count(0)
    expect(manager.locator("#staff tbody")).to_contain_text("李小明")
    shot(manager, "dashboard-alerts", full_page=True)

    manager.goto(hall.url + "/manage/ratings")
    item = manager.locator("article.rating", has_text=ticket["number"])
    expect(item.locator(".state")).to_have_text("待整改")
    item.locator("textarea[name=cause]").fill("高峰时段只开一个综合窗口")
    item.locator("textarea[name=action]").fill("高峰时段增开2号窗口")
    item.locator("textarea[name=callback]").fill("已电话回访，群众表示理解")
    item.locator("button[type=submit]").click()
    expect(item.locator(".state")).to_have_text("已整改")
    shot(manager, "ratings")
    stored = hall.service.evaluations(bad_only=True)
    assert json.loads(stored[0]["rectification"])["action"] == "高峰时段增开2号窗口"
    assert stored[0]["rectified_by"] == "m01"

    manager.goto(hall.url + "/manage")
    expect(manager.locator("#alerts li[data-kind=rating]")).to_have_count(0, timeout=LIVE_MS * 6)

    manager.goto(hall.url + "/manage/audit")
    log = manager.locator("#log tbody")
    expect(log.locator("tr", has_text="办结").first).to_contain_text(ticket["number"])
    expect(log.locator("tr", has_text="差评整改")).to_contain_text("m01")
    expect(log.locator("tr", has_text="叫号").first).to_contain_text("w01")
    shot(manager, "audit")

    manager.goto(hall.url + "/manage/report")
    expect(manager.locator("#days tbody tr")).to_have_count(1)
    expect(manager.locator("#staff tbody")).to_contain_text("李小明")
    manager.context.close()


def test_admin_manages_staff_accounts(hall, browser):
    admin = login(browser, hall, "a01", size="dashboard")
    admin.goto(hall.url + "/admin/staff")
    form = admin.locator("#add")
    form.locator("input[name=staff_id]").fill("w09")
    form.locator("input[name=name]").fill("孙丽")
    form.locator("input[name=password]").fill("xinmima9")
    form.locator("button[type=submit]").click()
    expect(admin.locator("#accounts tbody")).to_contain_text("孙丽")
    row = admin.locator("#accounts tbody tr", has_text="w09")
    row.locator("button", has_text="停用").click()
    expect(row.locator("td").nth(3)).to_have_text("停用")   # the state cell: the button says 停用 before the click too
    assert hall.service.staff.verify("w09", "xinmima9") is None      # a disabled account cannot log in
    shot(admin, "staff")
    actions = [a["action"] for a in hall.service.audit_log(staff="a01")]
    assert {"staff.add", "staff.set_active"} <= set(actions)
    admin.context.close()


def test_api_description_covers_every_route_with_the_same_roles(hall, browser):
    context = browser.new_context()
    spec = context.request.get(hall.url + "/api/openapi.json").json()
    routes = {(r.method, r.resource.canonical) for r in hall.console.app.router.routes()
              if r.resource is not None and r.resource.canonical.startswith("/api/")}
    described = {(m.upper(), path) for path, ops in spec["paths"].items() for m in ops}
    assert routes == described
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            if op["x-role"] == "public" or "{" in path:
                continue
            answer = context.request.fetch(hall.url + path, method=method.upper())
            assert answer.status in (401, 403), (method, path, answer.status)
    context.close()


def test_hall_screen_recovers_after_the_console_restarts(hall, browser):
    context = browser.new_context(viewport=SIZES["tv"], locale="zh-CN")
    screen = context.new_page()
    screen.goto(hall.url + "/screen")
    expect(screen.locator(".win-cell")).to_have_count(len(hall.config.windows))
    hall.console.stop()
    expect(screen.locator("#offline")).to_be_visible(timeout=5000)
    ticket = hall.issue("yijianshi")                  # the hall goes on while the console is down
    hall.serve_again()
    expect(screen.locator("#offline")).to_be_hidden(timeout=10000)
    expect(screen.locator(".queue[data-category=yijianshi] b")).to_have_text("1")  # from the snapshot
    hall.service.handle("window", "5", "window.login", {"staff": "w02", "password": "chuangkou2"})
    hall.service.handle("window", "5", "window.call_next", {})
    expect(screen.locator("#latest-ticket")).to_have_text(ticket["number"], timeout=LIVE_MS)
    context.close()


AGENT = """
import sys, time
from hall.protocol.client import HallClient
client = HallClient(sys.argv[1], "agent", "a1", sys.argv[2])
client.start()
assert client.wait_connected(10)
print("up", flush=True)
time.sleep(120)
"""


def seen_online(hall, key: str, timeout: float = 10.0) -> bool:
    """Whether the console has seen the host's retained "online" (killing the host before
    the broker has handled its own "online" could leave that message after the will)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (hall.console.console.hub.devices.get(key, {}).get("status") or {}).get("state") == "online":
            return True
        time.sleep(0.05)
    return False


def test_an_agent_that_dies_is_an_offline_alert(hall, browser):
    """The agent's process is killed: only the broker's will (its retained status going
    "offline") can tell the hall, and the dashboard says so within a second."""
    manager = login(browser, hall, "m01", size="dashboard")
    agent = subprocess.Popen([sys.executable, "-c", AGENT, hall.config.id, hall.broker.url],
                             stdout=subprocess.PIPE, text=True)
    try:
        assert agent.stdout.readline().strip() == "up"
        assert seen_online(hall, "agent/a1")
        expect(manager.locator("#alerts li[data-kind=device]", has_text="a1号设备代理")).to_have_count(0)
        agent.send_signal(signal.SIGKILL)
        agent.wait(10)
        expect(manager.locator("#alerts li[data-kind=device]", has_text="a1号设备代理离线")).to_be_visible(timeout=5000)
        back = subprocess.Popen([sys.executable, "-c", AGENT, hall.config.id, hall.broker.url],
                                stdout=subprocess.PIPE, text=True)
        assert back.stdout.readline().strip() == "up"
        expect(manager.locator("#alerts li", has_text="a1号设备代理离线")).to_have_count(0, timeout=LIVE_MS * 6)
        back.kill()
        back.wait(10)
    finally:
        agent.kill()
        agent.wait(10)
        manager.context.close()
