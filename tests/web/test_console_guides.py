"""办事指南 and 一次性告知书 in a real headless Chromium: the mobile guide page of an item (the
QR code of the kiosk's checklist), the caller showing the item of the called ticket and
issuing a notice of the ticked materials, the notice page (printable) and the ticket's phone
page showing it; guessing notice links is slowed down like guessing ticket links."""
from __future__ import annotations

from playwright.sync_api import expect

from conftest import login, open_page, shot
from hall.catalog.guide import guide_parts
from test_console_security import get_from

LIVE_MS = 1500


def test_mobile_guide_page_shows_the_kiosks_guide_in_big_text(hall, browser):
    item = hall.config.catalog.item("SB-001")
    page = open_page(browser, hall, "/g/SB-001", "phone")
    expect(page.locator("h1#name")).to_have_text("社会保障卡申领")
    parts = page.locator("#parts .part")
    expect(parts).to_have_count(5)
    for i, part in enumerate(guide_parts(item, hall.config)):   # the kiosk's words, part by part
        expect(parts.nth(i).locator("h2")).to_have_text(part.title)
        expect(parts.nth(i).locator("li")).to_have_text(list(part.lines))
    size = page.locator("#parts li").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 20
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390                                           # no sideways scrolling on a phone
    shot(page, "guide-phone", full_page=True)
    missing = open_page(browser, hall, "/g/NO-SUCH", "phone")
    expect(missing.locator("h1#name")).to_have_text("没有这个办理事项")


def test_caller_shows_the_item_and_issues_a_notice_of_the_ticked_materials(hall, browser):
    ticket = hall.kiosk.request("ticket.issue", {"category": "yibao", "service": "YB-003"})["ticket"]
    caller = login(browser, hall, "w03", window="7")
    caller.keyboard.press("n")
    expect(caller.locator("#ticket")).to_have_text(ticket["number"], timeout=LIVE_MS)
    expect(caller.locator("#item-name")).to_have_text("办理事项：医保关系转移接续")

    caller.keyboard.press("g")
    boxes = caller.locator("#notice-materials input[type=checkbox]")
    expect(boxes).to_have_count(2)                        # 居民身份证, 参保凭证
    caller.locator("#notice-dialog button[value=ok]").click()   # nothing ticked: asked again
    expect(caller.locator("#notice-form .error")).to_have_text("请勾选所缺的材料")
    caller.locator("#notice-materials label", has_text="参保凭证").click()
    shot(caller, "caller-notice-dialog")
    with caller.context.expect_page() as opened:
        caller.locator("#notice-dialog button[value=ok]").click()
    expect(caller.locator("#message")).to_contain_text("已出具一次性告知书")
    made = hall.service.notices_of_ticket(ticket["number"], hall.service.date)
    assert [n["materials"] for n in made] == [["参保凭证"]]

    printout = opened.value
    printout.wait_for_load_state()
    expect(printout.locator("#materials li")).to_have_count(1)
    expect(printout.locator("#materials li")).to_contain_text("参保凭证")
    expect(printout.locator("#figures")).to_contain_text(made[0]["number"])
    expect(printout.locator("#figures")).to_contain_text("医保关系转移接续")
    expect(printout.locator("#back")).to_contain_text("凭告知书取号")
    printout.set_viewport_size({"width": 390, "height": 844})
    shot(printout, "notice-phone", full_page=True)
    printout.emulate_media(media="print")
    expect(printout.locator("#print")).to_be_hidden()     # the printout has no button on it

    phone = open_page(browser, hall, "/t/" + ticket["url"].rsplit("/t/", 1)[1], "phone")
    link = phone.locator(".notice-link")
    expect(link).to_contain_text(made[0]["number"])
    expect(link).to_contain_text("参保凭证")
    expect(phone.locator("#item")).to_have_text("医保关系转移接续")
    shot(phone, "ticket-notice")
    link.click()
    expect(phone.locator("#materials li")).to_have_count(1)


def test_the_ticket_page_shows_a_notice_given_while_it_is_open(hall, browser):
    ticket = hall.kiosk.request("ticket.issue", {"category": "yibao", "service": "YB-003"})["ticket"]
    phone = open_page(browser, hall, "/t/" + ticket["url"].rsplit("/t/", 1)[1], "phone")
    expect(phone.locator("#number")).to_have_text(ticket["number"])
    expect(phone.locator(".notice-link")).to_have_count(0)
    hall.service.staff.add("w09", "孙丽", "window", "chuangkou9")
    hall.service.handle("window", "8", "window.login", {"staff": "w09", "password": "chuangkou9"})
    hall.service.handle("window", "8", "window.call_next", {})
    answer = hall.service.handle("window", "8", "notice.issue", {"materials": ["居民身份证", "参保凭证"]})
    assert answer["status"] == "ok", answer
    expect(phone.locator(".notice-link")).to_contain_text(answer["data"]["notice"]["number"],
                                                          timeout=LIVE_MS * 3)


def test_notice_numbers_do_not_open_notices_and_guessing_links_is_slowed(hall):
    hall.kiosk.request("ticket.issue", {"category": "yibao", "service": "YB-003"})
    hall.service.staff.add("w10", "吴刚", "window", "chuangkou10")
    hall.service.handle("window", "8", "window.login", {"staff": "w10", "password": "chuangkou10"})
    hall.service.handle("window", "8", "window.call_next", {})
    made = hall.service.handle("window", "8", "notice.issue", {"materials": ["参保凭证"]})["data"]["notice"]
    token = made["url"].rsplit("/n/", 1)[1]
    status, _, body = get_from(hall, "127.0.0.9", f"/api/notices/{made['number']}")
    assert status == 404 and "参保凭证" not in str(body)       # the number is not the link
    for i in range(29):
        assert get_from(hall, "127.0.0.9", f"/api/notices/{i:032x}")[0] == 404
    assert get_from(hall, "127.0.0.9", f"/api/notices/{token}")[0] == 429   # no oracle while slowed
    status, _, body = get_from(hall, "127.0.0.10", f"/api/notices/{token}")
    assert status == 200 and body["materials"] and body["number"] == made["number"]
    assert "name" not in body and "id_last4" not in body


def test_the_guide_and_notice_operations_are_described(hall):
    import json
    import urllib.request
    spec = json.loads(urllib.request.urlopen(hall.url + "/api/openapi.json", timeout=5).read())
    assert {"/api/guide/{code}", "/api/notices/{token}", "/api/window/notice"} <= set(spec["paths"])
    assert spec["paths"]["/api/window/notice"]["post"]["x-role"] == "window"
