"""Cases in a real headless Chromium: a citizen files a 办不成事 complaint on a phone and follows
it on its page; the 办不成事 window files one and prints its slip, and its lead verifies,
answers and records the 回访; the same window account cannot close the case over the bus
(nor on the web: no button, and the API refuses); the manager closes it; a bad rating opens
a case for its department's lead; the figures page counts coverage and exports it."""
from __future__ import annotations

import csv
import io
import sys
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import STAFF, login, open_page, shot
from hall.protocol.client import HallClient, RequestError

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine"))
from halls import id_number  # noqa: E402

# Invented accounts of the leads in firmware_configs/sites/county.yaml (hall.cases): the
# 办不成事 window's (the default lead) and 社保's. The hall fixture makes every STAFF account.
STAFF.update({"w16": ("吴小芳", "window", "chuangkou16"), "w9": ("郑小东", "window", "chuangkou9")})
PHONE = "13900002222"
PASSED = {"result": "pass", "distance": 0.41, "liveness": "passed", "tries": 1, "at": 1767225600.0}


def local(url: str) -> str:
    return "/c/" + url.rsplit("/c/", 1)[1]


@pytest.fixture(scope="module")
def window16(hall):
    client = HallClient(hall.config.id, "window", "16", hall.broker.url)
    client.start()
    assert client.wait_connected(10)
    yield client
    client.stop()


def test_a_complaint_from_a_phone_worked_at_the_window_and_closed_by_the_manager(hall, browser, window16):
    phone = open_page(browser, hall, "/complain", "phone")
    phone.fill("input[name=tried]", "补办社保卡")
    phone.select_option("#item", "SB-001")
    phone.fill("textarea[name=problem]", "系统显示已有卡，无法补办")
    phone.fill("input[name=phone]", PHONE)
    shot(phone, "complaint-phone", full_page=True)
    phone.click("button[type=submit]")
    expect(phone.locator("#filed-number")).to_contain_text("-C")
    number = phone.locator("#filed-number").text_content()
    case = hall.service.cases.staff_view(number)
    assert (case["lead"], case["department"], case["channel"]) == ("w9", "社保", "mobile")
    assert case["phone"] == "139****2222"
    phone.click("#follow")
    expect(phone.locator("#state")).to_have_text("待核实")
    expect(phone.locator("#figures")).to_contain_text(case["due"])
    expect(phone.locator("#qr")).to_be_visible()
    assert PHONE not in phone.content() and "139****" not in phone.content()
    shot(phone, "case-phone", full_page=True)

    # The 办不成事 window takes one at the counter; its account leads what no department takes.
    page = login(browser, hall, "w16", window="16")
    page.goto(hall.url + "/complaints")
    page.fill("#complaint-form input[name=tried]", "开无犯罪记录证明")
    page.fill("#complaint-form textarea[name=problem]", "被告知要回户籍地办理")
    page.click("#complaint-form button[type=submit]")
    expect(page.locator("#filed-number")).to_contain_text("-C")
    mine = page.locator("#filed-number").text_content()
    slip = open_page(browser, hall, page.locator("#slip").get_attribute("href"), "phone")
    expect(slip.locator("#number")).to_have_text(mine)
    expect(slip.locator("#kind")).to_have_text("办不成事")
    page.locator("#list a", has_text=mine).click()
    expect(page.locator("#c-number")).to_have_text(mine)
    assert page.locator("[data-step=close]").count() == 0           # a window account cannot close
    page.click("[data-step=verify]")
    expect(page.locator("#c-state")).to_have_text("已核实")
    page.fill("#c-text", "已联系公安窗口，可在本中心直接开具")
    page.click("[data-step=rectify]")
    expect(page.locator("#c-state")).to_have_text("已整改")
    page.select_option("#c-how", "phone")
    page.fill("#c-at", hall.service.date + "T10:30")
    page.fill("#c-said", "已经开到了，谢谢")
    page.check("#c-satisfied")
    page.click("[data-step=revisit]")
    expect(page.locator("#c-state")).to_have_text("已回访")
    shot(page, "complaints-window", full_page=True)

    # The bypass: the same window account sends the manager's step itself, over the bus...
    with pytest.raises(RequestError) as refused:
        window16.request("case.step", {"number": mine, "step": "close"})
    assert refused.value.code == "forbidden"
    # ... and to the web API behind its page.
    answer = page.evaluate("""n => fetch('/api/window/cases/' + n + '/close', {method: 'POST',
        headers: {'X-CSRF-Token': document.querySelector('meta[name=csrf]').content}})
        .then(r => r.status)""", mine)
    assert answer == 403
    assert hall.service.cases.staff_view(mine)["state"] == "revisited"

    manager = login(browser, hall, "m01")
    manager.goto(hall.url + "/manage/cases#" + mine)
    expect(manager.locator("#c-number")).to_have_text(mine)
    manager.click("[data-step=close]")
    expect(manager.locator("#c-state")).to_have_text("已办结")
    assert hall.service.cases.staff_view(mine)["state"] == "closed"
    closed = next(a for a in hall.service.audit_log() if a["action"] == "case.close")
    assert (closed["staff"], closed["channel"], closed["details"]["case"]) == ("m01", "web", mine)
    manager.locator("#list a", has_text=number).click()
    expect(manager.locator(".case-detail dl")).to_contain_text("139****2222")
    shot(manager, "cases-manager", full_page=True)
    slip.reload()
    expect(slip.locator("#state")).to_have_text("已办结")
    expect(slip.locator("#answer")).to_contain_text("可在本中心直接开具")


def test_a_bad_rating_opens_a_case_and_the_figures_count_it(hall, browser):
    service = hall.service
    assert service.handle("window", "9", "window.login", {"staff": "w9", "password": "chuangkou9"})["status"] == "ok"
    rated = []
    for serial, level in (("611", 1), ("612", 5), ("613", None)):      # invented ID numbers
        ticket = hall.kiosk.request("ticket.issue", {"category": "shebao", "service": "SB-002",
                                                     "identity": {"id_number": id_number(serial=serial)},
                                                     "face_check": PASSED})["ticket"]
        for action in ("window.call_next", "window.start", "window.finish"):
            assert service.handle("window", "9", action, {})["status"] == "ok"
        if level:
            assert service.handle("window", "9", "evaluation.submit",
                                  {"ticket": ticket["number"], "level": level})["status"] == "ok"
            rated.append(ticket["number"])
    case = next(c for c in service.cases.listing(kind="rating") if c["ticket"] == rated[0])
    assert (case["lead"], case["department"], case["staff"], case["level"], case["named"]) == \
        ("w9", "社保", "w9", 1, True)

    manager = login(browser, hall, "m01")
    manager.goto(hall.url + "/manage/case-figures")
    manager.select_option("select[name=by]", "window")
    manager.click("#range button[type=submit]")
    row = manager.locator("#figures tbody tr", has_text="9号窗口")
    expect(row).to_contain_text("66.7%")             # 2 of 3 services rated
    shot(manager, "case-figures", full_page=True)
    cookie = {c["name"]: c["value"] for c in manager.context.cookies()}
    query = manager.locator("#csv").get_attribute("href").split("?", 1)[1].replace("by=window", "by=staff")
    request = urllib.request.Request(hall.url + "/api/case-figures.csv?" + query,
                                     headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookie.items())})
    text = urllib.request.urlopen(request, timeout=10).read().decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][:4] == ["工作人员", "服务数", "评价数", "评价覆盖率"]
    staff_row = next(r for r in table if r[0] == "郑小东")
    assert staff_row[1:4] == ["3", "2", "66.7%"]
    request.full_url = request.full_url.replace("case-figures.csv", "case-figures.xlsx")
    from openpyxl import load_workbook
    sheet = load_workbook(io.BytesIO(urllib.request.urlopen(request, timeout=10).read())).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:4] == ["工作人员", "服务数", "评价数", "评价覆盖率"]
    assert next(r for r in rows if r[0] == "郑小东")[1:4] == [3, 2, "66.7%"]
