"""办件 in a real headless Chromium: a window files an application for the called ticket, tells
once what is missing (补正), accepts it with a 容缺 material, prints the receipt with its QR
code, decides, and hands the result out at 统一出件; the citizen's phone page follows each
state; lookups by number and last four digits are slowed down for guessers; the manager's
report lists what is overdue per department and window."""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from hall.protocol.client import RequestError

from conftest import login, open_page, shot
from test_console_security import get_from

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine"))
from halls import id_number  # noqa: E402

ID_NUMBER = id_number(serial="518")          # invented


def phone_path(application: dict) -> str:
    return "/a/" + application["url"].rsplit("/a/", 1)[1]


def test_a_window_files_corrects_accepts_decides_and_hands_out(hall, browser):
    # SB-001 is filed after face verification: the kiosk sends its result with the ticket
    passed = {"result": "pass", "distance": 0.41, "liveness": "passed", "tries": 1, "at": 1767225600.0}
    ticket = hall.kiosk.request("ticket.issue", {"category": "shebao", "service": "SB-001",
                                                "identity": {"id_number": ID_NUMBER},
                                                "face_check": passed})["ticket"]
    caller = login(browser, hall, "w04", window="9")
    caller.keyboard.press("n")
    expect(caller.locator("#ticket")).to_have_text(ticket["number"], timeout=3000)
    page = caller
    page.goto(hall.url + "/applications")
    expect(page.locator("#window-name")).to_have_text(hall.config.window("9").name)    # the bar
    expect(page.locator("#staff-name")).to_have_text("钱进")
    assert page.locator("a.bar-link").get_attribute("href") == "/caller"
    page.fill("#new-form input[name=id_number]", ID_NUMBER)
    page.fill("#new-form input[name=name]", "孙小美")
    page.fill("#new-form input[name=phone]", "13900001111")
    page.fill("#new-form input[name=address]", "幸福路十八号")
    page.select_option("#item", "SB-001")
    page.select_option("#new-materials select[data-material=居民身份证]", "received")
    page.click("#new-form button[type=submit]")
    expect(page.locator("#d-state")).to_have_text("已提交")
    number = page.locator("#d-number").text_content()
    expect(page.locator("#called")).to_contain_text(number)       # the called ticket's
    expect(page.locator("#d-figures")).to_contain_text("孙*美")
    expect(page.locator("#d-figures")).to_contain_text(ticket["number"])
    expect(page.locator("#d-form")).to_contain_text("幸福路十八号")
    viewed = [a for a in hall.service.audit_log(window="9") if a["action"] == "application.view"]
    assert viewed and viewed[0]["staff"] == "w04" and viewed[0]["details"] == {"application": number}
    page.click("[data-step=accept]")
    expect(page.locator("#message")).to_contain_text("材料不齐")
    page.click("[data-step=correct]")
    expect(page.locator("#d-state")).to_have_text("待补正")
    shot(page, "applications-window", full_page=True)

    app = hall.service.applications.lookup(number, ID_NUMBER[-4:])
    phone = open_page(browser, hall, phone_path(app), "phone")
    expect(phone.locator("#state")).to_have_text("待补正")
    expect(phone.locator("#missing li")).to_have_text(["近期免冠彩色照片"])
    assert "孙" not in phone.content() and ID_NUMBER[-4:] not in phone.content()
    shot(phone, "application-phone-correction", full_page=True)

    page.select_option("#d-materials select[data-material=近期免冠彩色照片]", "later")   # 容缺
    page.click("[data-step=resubmit]")
    expect(page.locator("#d-state")).to_have_text("已补正")
    page.click("[data-step=accept]")
    expect(page.locator("#d-state")).to_have_text("已受理")
    accepted = hall.service.applications.lookup(number, ID_NUMBER[-4:])
    expect(page.locator("#d-deadline")).to_contain_text(accepted["due"])

    receipt = open_page(browser, hall, phone_path(app) + "/receipt", "staff")
    expect(receipt.locator("#figures")).to_contain_text(number)
    due = dt.date.fromisoformat(accepted["due"])
    expect(receipt.locator("#figures")).to_contain_text(f"{due.year}年{due.month}月{due.day}日")
    expect(receipt.locator("#qr")).to_be_visible()
    shot(receipt, "application-receipt")

    page.click("[data-step=approve]")                   # the photo is still owed
    expect(page.locator("#message")).to_contain_text("容缺的材料还没有补齐")
    page.select_option("#d-materials select[data-material=近期免冠彩色照片]", "received")
    page.click("[data-step=approve]")
    expect(page.locator("#d-state")).to_have_text("已办结（准予）")
    page.click("[data-step=ready]")
    expect(page.locator("#ready")).to_contain_text(number)     # 统一出件: waits to be collected
    phone.reload()
    expect(phone.locator("#collect")).to_contain_text("统一出件窗口")
    page.locator("#ready tr", has_text=number).locator("button").click()
    page.click("[data-step=collect]")
    expect(page.locator("#d-state")).to_have_text("已领取")
    expect(page.locator("#ready")).not_to_contain_text(number)
    phone.reload()
    expect(phone.locator("#state")).to_have_text("已领取")


def test_lookup_by_number_and_last_four_and_guessing_is_slowed(hall):
    made = hall.kiosk.request("application.submit",            # filed at a kiosk, over the bus
                              {"item": "SB-001", "identity": {"id_number": ID_NUMBER},
                               "face_check": {"result": "pass", "distance": 0.41, "liveness": "passed",
                                              "tries": 1, "at": 1767225600.0}})
    number = made["application"]["number"]
    status, _, body = get_from(hall, "127.0.0.21", f"/api/application-lookup?number={number}&last4={ID_NUMBER[-4:]}")
    assert status == 200 and body["number"] == number and body["state"] == "submitted"
    assert "name" not in body and "form" not in body
    statuses = [get_from(hall, "127.0.0.22", f"/api/application-lookup?number={number}&last4={n:04d}")[0]
                for n in range(40)]
    assert statuses[0] == 404 and statuses[-1] == 429
    status, headers, _ = get_from(hall, "127.0.0.22", f"/api/application-lookup?number={number}&last4={ID_NUMBER[-4:]}")
    assert status == 429 and int(headers["Retry-After"]) > 0      # the right pair waits too
    # The two limits hold together (docs/applications.md): an address and a kiosk are counted
    # apart by the one GuessLimiter policy, so neither unlocks the other. The slowed address
    # does not slow the kiosk; the kiosk's own 30 misses slow it, not the web.
    pair = {"number": number, "last4": ID_NUMBER[-4:]}
    assert hall.kiosk.request("application.find", pair)["applications"][0]["number"] == number
    for n in range(30):
        with pytest.raises(RequestError):
            hall.kiosk.request("application.find", {"number": number, "last4": f"{n:04d}"})
    with pytest.raises(RequestError) as slowed:     # k1 stays slowed for 10 minutes: last here
        hall.kiosk.request("application.find", pair)
    web = get_from(hall, "127.0.0.22", f"/api/application-lookup?number={number}&last4={ID_NUMBER[-4:]}")[2]
    assert slowed.value.code == "rate_limited" and slowed.value.message == web["error"]["message"]
    assert get_from(hall, "127.0.0.24", f"/api/application-lookup?number={number}&last4={ID_NUMBER[-4:]}")[0] == 200
    assert get_from(hall, "127.0.0.23", "/api/applications/not-a-token")[0] == 404


def test_the_manager_sees_what_is_overdue_per_department_and_window(hall, browser):
    hall.service.staff.add("w09", "吴一", "window", "chuangkou9")
    hall.service.handle("window", "10", "window.login", {"staff": "w09", "password": "chuangkou9"})
    made = hall.service.handle("window", "10", "application.submit",       # a walk-in
                               {"item": "SB-011", "identity": {"id_number": ID_NUMBER},
                                "materials": {"居民身份证": "received", "解除或终止劳动合同证明": "promise",
                                              "本人银行卡或存折": "received"}})
    number = made["data"]["application"]["number"]
    assert hall.service.handle("window", "10", "application.accept", {"number": number})["status"] == "ok"
    _backdate(hall, number, accepted_on="2026-01-05", due="2026-01-12")   # accepted long ago
    manager = login(browser, hall, "m01")
    manager.goto(hall.url + "/manage/applications")
    row = manager.locator("#warnings tr", has_text=number)
    expect(row).to_contain_text("已超期")
    expect(manager.locator("#by-domain")).to_contain_text("社保")
    expect(manager.locator("#by-window")).to_contain_text("10号窗口")
    shot(manager, "applications-report", full_page=True)


def _backdate(hall, number: str, **dates) -> None:
    """Move an application's dates into the past, as if the hall had run for months."""
    with hall.service.exclusive() as store:
        row = store.application("number", number)
        record = {**json.loads(row["record"]), **dates}
        store.update_application(number, {"record": json.dumps(record, ensure_ascii=False),
                                          "due": dates["due"]})


def test_a_burst_of_guesses_sent_at_once_is_counted_like_one_after_another(hall):
    """Each try is counted before its lookup runs: 60 wrong pairs sent together from one
    address get at most the 30 free answers, the rest 429 (and the address stays slowed)."""
    from concurrent.futures import ThreadPoolExecutor
    number = hall.kiosk.request("application.submit", {"item": "SB-008", "identity": {"id_number": ID_NUMBER}})[
        "application"]["number"]
    with ThreadPoolExecutor(30) as pool:
        statuses = list(pool.map(lambda n: get_from(hall, "127.0.0.31", f"/api/application-lookup?number={number}"
                                                                         f"&last4={n:04d}")[0], range(60)))
    assert statuses.count(404) <= 30 and statuses.count(429) >= 30 and set(statuses) <= {404, 429}
    assert get_from(hall, "127.0.0.31", f"/api/application-lookup?number={number}&last4={ID_NUMBER[-4:]}")[0] == 429
    # a right answer gives its try back: an address that finds what it asks for is never slowed
    for _ in range(40):
        assert get_from(hall, "127.0.0.32", f"/api/application-lookup?number={number}&last4={ID_NUMBER[-4:]}")[0] == 200
