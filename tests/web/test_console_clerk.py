"""The window clerk is never surprised, the manager knows whose words are whose, the citizen
knows what to do after 过号 (issue 11): in a real headless Chromium. Writes
docs/images/console-caller.png and console-ticket-skipped.png (console-ratings.png comes from
test_console_manage, with the same card)."""
from __future__ import annotations

from playwright.sync_api import expect

from conftest import STAFF, login, open_page, shot

LIVE_MS = 1000


def ticket(hall, number: str) -> dict:
    return {t["number"]: t for t in hall.service.tickets_of_day()}[number]


def test_the_recall_button_says_when_it_will_mark_a_no_show_and_the_record_says_so(hall, browser):
    t = hall.issue("zonghe")
    caller = login(browser, hall, "w01", window="1")
    recall = caller.locator("[data-action=recall]")
    caller.keyboard.press("n")
    expect(caller.locator("#ticket")).to_have_text(t["number"], timeout=LIVE_MS)
    expect(recall).to_have_text("重呼 R")
    for attempt in (2, 3):                           # county.yaml: max_recalls 2
        caller.keyboard.press("r")
        expect(caller.locator("#message")).to_contain_text(f"第{attempt}次")
    expect(recall).to_have_text("过号(重呼已满) R", timeout=LIVE_MS)
    expect(recall).to_have_class("warn")
    shot(caller, "caller")
    caller.keyboard.press("r")
    expect(caller.locator("#confirm-dialog")).to_be_visible()
    expect(caller.locator("#confirm-text")).to_contain_text("再重呼将记为过号")
    caller.keyboard.press("Escape")                  # not yet: nothing happens
    expect(caller.locator("#window-state")).to_have_text("已叫号")
    assert ticket(hall, t["number"])["status"] == "called"
    caller.keyboard.press("r")
    expect(caller.locator("#confirm-dialog")).to_be_visible()
    caller.keyboard.press("Enter")
    expect(caller.locator("#confirm-dialog")).to_be_hidden()
    expect(caller.locator("#message")).to_contain_text(f"重呼已满，{t['number']} 已记为过号")
    expect(caller.locator("#message")).to_have_class("message error")
    expect(caller.locator("#window-state")).to_have_text("空闲", timeout=LIVE_MS)
    row = hall.service.audit_log(window="1", limit=1)[0]
    assert (row["action"], row["ticket"], row["details"]["ticket_status"]) == ("window.recall", t["number"], "no_show")
    caller.context.close()


def test_skip_asks_first_and_not_done_asks_why(hall, browser):
    a, b = hall.issue("zonghe"), hall.issue("zonghe")
    caller = login(browser, hall, "w02", window="2")
    caller.keyboard.press("n")
    expect(caller.locator("#ticket")).to_have_text(a["number"], timeout=LIVE_MS)
    caller.keyboard.press("s")
    expect(caller.locator("#confirm-text")).to_have_text(f"确认 {a['number']} 过号？")
    caller.keyboard.press("Escape")
    expect(caller.locator("#window-state")).to_have_text("已叫号")
    caller.keyboard.press("s")
    caller.keyboard.press("Enter")
    expect(caller.locator("#message")).to_contain_text(f"已过号 {a['number']}（")
    expect(caller.locator("#message")).to_contain_text("前可过号重排")

    caller.keyboard.press("n")
    expect(caller.locator("#ticket")).to_have_text(b["number"], timeout=LIVE_MS)
    caller.keyboard.press("u")
    dialog = caller.locator("#not-done-dialog")
    expect(dialog).to_be_visible()
    caller.keyboard.press("Enter")                   # no reason: asked again, nothing recorded
    expect(dialog.locator(".error")).to_have_text("请填写原因")
    expect(dialog).to_be_visible()
    assert ticket(hall, b["number"])["status"] == "called"
    dialog.locator("input[name=reason]").fill("需其他部门办理")
    caller.keyboard.press("Enter")
    expect(caller.locator("#message")).to_contain_text(f"已记为未办结 {b['number']}")
    stored = ticket(hall, b["number"])
    assert (stored["outcome"], stored["reason"]) == ("not_done", "需其他部门办理")
    # the API itself refuses a 未办结 without a reason (a script, not only the page)
    c = hall.issue("zonghe")
    caller.keyboard.press("n")
    expect(caller.locator("#ticket")).to_have_text(c["number"], timeout=LIVE_MS)
    answer = caller.evaluate("""async () => {
        const r = await fetch('/api/window/finish', {method: 'POST', headers: {'Content-Type': 'application/json',
            'X-CSRF-Token': document.querySelector('meta[name=csrf]').content}, body: JSON.stringify({outcome: 'not_done'})});
        return [r.status, (await r.json()).error.message]; }""")
    assert answer == [400, "请填写未办结的原因"]
    assert ticket(hall, c["number"])["status"] == "called"
    caller.keyboard.press("f")
    caller.context.close()


def test_a_transfer_to_a_window_nobody_calls_for_is_asked_shown_and_counted(hall, browser):
    t = hall.issue("zonghe")
    caller = login(browser, hall, "w03", window="3")
    caller.keyboard.press("n")
    expect(caller.locator("#ticket")).to_have_text(t["number"], timeout=LIVE_MS)
    caller.keyboard.press("t")
    option = caller.locator("#transfer-form select[name=to_window] option[value='4']")
    expect(option).to_have_text("4号窗口（未开放）")
    caller.select_option("#transfer-form select[name=to_window]", "4")
    caller.keyboard.press("Enter")
    expect(caller.locator("#confirm-text")).to_contain_text("4号窗口现在没有人登录")
    caller.keyboard.press("Escape")                  # thought better of it: still calling
    expect(caller.locator("#window-state")).to_have_text("已叫号")
    caller.keyboard.press("t")
    caller.select_option("#transfer-form select[name=to_window]", "4")
    caller.keyboard.press("Enter")
    expect(caller.locator("#confirm-dialog")).to_be_visible()
    caller.keyboard.press("Enter")                   # 仍然转移
    expect(caller.locator("#message")).to_contain_text(f"已转移 {t['number']} 到4号窗口（该窗口现在没有人登录")
    expect(caller.locator("#today")).to_contain_text("转移1个", timeout=LIVE_MS)
    phone = open_page(browser, hall, hall.phone_url(t)[len(hall.url):], "phone")
    expect(phone.locator("#figures")).to_contain_text("转到4号窗口，请等候该窗口叫号")
    four = login(browser, hall, "w04", window="4")
    expect(four.locator("#transferred-in")).to_have_text(f"转给本窗口 1人：{t['number']}")
    four.keyboard.press("n")
    expect(four.locator("#ticket")).to_have_text(t["number"], timeout=LIVE_MS)
    expect(four.locator("#transferred-in")).to_be_hidden()
    four.keyboard.press("f")
    for p in (caller, four, phone):
        p.context.close()


def test_a_skipped_citizen_is_told_what_to_do_and_the_kiosk_brings_the_ticket_back(hall, browser):
    skipped, *behind = [hall.issue("yibao") for _ in range(5)]
    hall.service.handle("window", "5", "window.login", {"staff": "w02", "password": STAFF["w02"][2]})
    assert hall.service.handle("window", "5", "window.call_next", {})["data"]["ticket"]["number"] == skipped["number"]
    phone = open_page(browser, hall, hall.phone_url(skipped)[len(hall.url):], "phone")
    hall.service.handle("window", "5", "window.skip", {})
    expect(phone.locator("#status")).to_have_text("过号", timeout=LIVE_MS)
    expect(phone.locator("#advice")).to_contain_text("前到取号机或窗口办理“过号重排”")
    expect(phone.locator("#note")).to_be_hidden()     # no promise of a call that will not come
    shot(phone, "ticket-skipped")
    data = hall.kiosk.request("ticket.requeue", {"number": skipped["number"]})   # over the bus
    assert (data["ticket"]["status"], data["ticket"]["waiting_ahead"]) == ("waiting", 3)
    expect(phone.locator("#figures")).to_contain_text("前面还有3 人", timeout=LIVE_MS)
    expect(phone.locator("#advice")).to_be_hidden()
    expect(phone.locator("#note")).to_be_visible()
    called = []
    for _ in range(4):
        called.append(hall.service.handle("window", "5", "window.call_next", {})["data"]["ticket"]["number"])
        hall.service.handle("window", "5", "window.finish", {})
    assert called == [b["number"] for b in behind[:3]] + [skipped["number"]]
    phone.context.close()


def test_the_rectification_card_keeps_the_citizens_words_apart_and_names_the_staff(hall, browser):
    hall.issue("zonghe")
    hall.service.handle("window", "1", "window.login", {"staff": "w01", "password": STAFF["w01"][2]})
    t = hall.service.handle("window", "1", "window.call_next", {})["data"]["ticket"]
    hall.service.handle("window", "1", "window.finish", {})
    answer = hall.service.handle("window", "1", "evaluation.submit",
                                 {"ticket": t["number"], "level": 1, "reasons": ["等候时间长", "态度差"]})
    assert answer["status"] == "ok", answer
    manager = login(browser, hall, "m01", size="dashboard")
    manager.goto(hall.url + "/manage/ratings")
    card = manager.locator("article.rating", has_text=t["number"])
    citizen, own = card.locator(".citizen"), card.locator("form.manager")
    expect(citizen.locator("h3")).to_contain_text("群众评价")
    expect(own.locator("h3")).to_contain_text("整改说明")
    expect(citizen).to_contain_text("评价：非常不满意")
    expect(citizen).to_contain_text("群众选择的原因：“态度差”、“等候时间长”")
    expect(citizen).to_contain_text("办理人员：李小明（工号 w01）")
    expect(own.locator("label").first).to_contain_text("原因分析")
    assert own.locator("textarea").count() == 3 and citizen.locator("textarea").count() == 0
    top, bottom = citizen.bounding_box(), own.bounding_box()
    assert top["y"] + top["height"] <= bottom["y"]            # apart, the citizen first
    assert citizen.evaluate("n => getComputedStyle(n).backgroundColor") != \
        own.evaluate("n => getComputedStyle(n).backgroundColor")
    manager.context.close()
