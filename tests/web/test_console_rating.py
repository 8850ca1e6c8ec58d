"""好差评 on the citizen's phone, in a real headless Chromium: the ticket page asks for a rating
once the service is over, takes the reasons of a bad one, and holds to the same rules as the
evaluator pad (one rating, changeable for a few minutes, never someone else's ticket).
Writes console-rating-phone.png (docs/ratings.md) and console-rating-phone-done.png."""
from __future__ import annotations

import sys
import threading
from pathlib import Path

import requests
from playwright.sync_api import expect

from conftest import STAFF, login, open_page, shot

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine"))
from halls import id_number  # noqa: E402

LIVE_MS = 5000


def served(hall, window: str = "2", staff: str = "w02", identity: dict | None = None) -> dict:
    """A ticket issued at the kiosk (with the ID card `identity`: a named citizen), called and
    finished at `window` (with any before it)."""
    t = hall.kiosk.request("ticket.issue", {"category": "zonghe", "identity": identity})["ticket"] \
        if identity else hall.issue("zonghe")
    hall.service.handle("window", window, "window.login", {"staff": staff, "password": STAFF[staff][2]})
    for _ in range(10):
        called = hall.service.handle("window", window, "window.call_next", {})["data"]["ticket"]
        hall.service.handle("window", window, "window.finish", {})
        if called["number"] == t["number"]:
            return t
    raise AssertionError("the ticket was never called")


def test_the_finished_ticket_asks_for_a_rating_and_a_bad_one_gets_its_reasons(hall, browser):
    t = served(hall)
    phone = open_page(browser, hall, hall.phone_url(t)[len(hall.url):] + "?via=sms", "phone")
    rating = phone.locator("#rating")
    expect(rating).to_be_visible(timeout=LIVE_MS)
    expect(rating.locator("h2")).to_have_text("请对本次服务进行评价")
    expect(rating.locator("button.level")).to_have_text(["非常满意", "满意", "基本满意", "不满意", "非常不满意"])
    expect(phone.locator("#rating-bad")).to_be_hidden()
    rating.locator("button.level", has_text="非常不满意").click()
    expect(phone.locator("#rating-bad")).to_be_visible()
    phone.locator("label.reason", has_text="等候时间长").click()
    phone.locator("label.reason", has_text="多次跑动").click()
    phone.fill("#comment", "跑了三次还没办完")
    phone.fill("#rating-phone", "13800005678")
    shot(phone, "rating-phone", full_page=True)
    phone.click("#rating-submit")
    expect(phone.locator("#rated-text")).to_have_text("感谢您的评价：非常不满意（等候时间长、多次跑动）", timeout=LIVE_MS)
    expect(phone.locator("#rated-note")).to_have_text("评价后10分钟内可以修改")
    [row] = [e for e in hall.service.evaluations() if e["ticket"] == t["number"]]
    assert (row["level"], row["channel"], row["named"], row["comment"], row["window"], row["staff"]) == \
        (1, "sms", True, "跑了三次还没办完", "2", "w02")

    # changed on the same page within the window: still one rating
    phone.click("#rating-change")
    phone.locator("button.level", has_text="基本满意").click()
    expect(phone.locator("#rating-bad")).to_be_hidden()
    phone.click("#rating-submit")
    expect(phone.locator("#rated-text")).to_have_text("感谢您的评价：基本满意", timeout=LIVE_MS)
    shot(phone, "rating-phone-done")
    [row] = [e for e in hall.service.evaluations() if e["ticket"] == t["number"]]
    assert (row["level"], row["version"], row["reasons"]) == (3, 2, [])
    # a reload shows the rating given, not the question
    phone.reload()
    expect(phone.locator("#rated-text")).to_have_text("感谢您的评价：基本满意", timeout=LIVE_MS)
    expect(phone.locator("#levels")).to_be_hidden()
    phone.context.close()


def test_a_waiting_ticket_is_not_asked_and_cannot_be_rated(hall, browser):
    t = hall.issue("zonghe")
    phone = open_page(browser, hall, hall.phone_url(t)[len(hall.url):], "phone")
    expect(phone.locator("#status")).to_have_text("等候中", timeout=LIVE_MS)
    expect(phone.locator("#rating")).to_be_hidden()
    phone.context.close()
    session = _session(hall, hall.phone_url(t))
    answer = session.post(hall.phone_url(t).replace("/t/", "/api/tickets/") + "/rating", json={"level": 5})
    assert (answer.status_code, answer.json()["error"]["code"]) == (409, "conflict")


def _session(hall, page_url: str) -> requests.Session:
    """What a script does that skips the page: fetch it for the cookie and its CSRF token."""
    s = requests.Session()
    html = s.get(page_url).text
    s.headers["X-CSRF-Token"] = html.split('name="csrf" content="', 1)[1].split('"', 1)[0]
    return s


def test_scripts_get_the_same_rules_as_the_page(hall):
    """Bypasses: the web and the bus at once on one ticket, a made-up link, oversized reasons."""
    t = served(hall, "3", "w03")
    url = hall.phone_url(t).replace("/t/", "/api/tickets/") + "/rating"
    s = _session(hall, hall.phone_url(t))
    answers, start = [], threading.Barrier(10)

    def web(level):
        start.wait()
        answers.append(s.post(url, json={"level": level}).status_code)

    def bus(level):
        start.wait()
        answers.append(hall.service.handle("window", "3", "evaluation.submit",
                                           {"ticket": t["number"], "level": level})["status"])
    threads = [threading.Thread(target=(web if i % 2 else bus), args=(1 + i % 5,)) for i in range(10)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(map(str, answers)) == ["200"] * 5 + ["ok"] * 5
    rows = [e for e in hall.service.evaluations() if e["ticket"] == t["number"]]
    assert len(rows) == 1 and rows[0]["version"] == 10
    # The case follows the changes: one case for the rating, never two, in step with its
    # last level (open while bad, withdrawn once good: nobody worked on it meanwhile).
    cases = [c for c in hall.service.cases.listing(live=False) if c["ticket"] == t["number"]]
    assert len(cases) == 1
    if rows[0]["level"] <= 2:
        assert (cases[0]["state"], cases[0]["level"]) == ("open", rows[0]["level"])
    else:           # withdrawn at the first good level; later good levels leave it be
        assert cases[0]["state"] == "withdrawn" and cases[0]["level"] > 2
    for body, status in [({"level": 1, "reasons": ["等候时间长"] * 5000}, 400),
                         ({"level": 1, "reasons": [{"$gt": ""}]}, 400),
                         ({"level": 1, "comment": "长" * 100000}, 400),
                         ({"level": "5"}, 400)]:
        assert s.post(url, json=body).status_code in (status, 413)
    assert s.post(url.replace(t["url"].rsplit("/t/", 1)[1], "x" * 40), json={"level": 5}).status_code == 404
    assert s.post(url, json={"level": 5}, headers={"X-CSRF-Token": "forged"}).status_code == 403
    assert [e["version"] for e in hall.service.evaluations() if e["ticket"] == t["number"]] == [10]


def test_the_manager_sees_the_phone_masked_and_never_the_id_hash(hall):
    t = served(hall, "3", "w03")
    s = _session(hall, hall.phone_url(t))
    url = hall.phone_url(t).replace("/t/", "/api/tickets/") + "/rating"
    assert s.post(url, json={"level": 2, "reasons": ["态度差"], "phone": "13912345678"}).status_code == 200
    manager = _session(hall, hall.url + "/login")
    assert manager.post(hall.url + "/api/session", json={"staff": "m01", "password": STAFF["m01"][2]}).ok
    manager.headers["X-CSRF-Token"] = manager.get(hall.url + "/api/session").json()["csrf"]
    answer = manager.get(hall.url + "/api/evaluations?bad=1")
    [row] = [e for e in answer.json() if e["ticket"] == t["number"]]
    assert (row["phone"], row["channel"], row["named"]) == ("139****5678", "mobile", True)
    assert "id_hash" not in row and "13912345678" not in answer.text


def test_the_ratings_page_shows_what_each_bad_rating_carries(hall, browser):
    """The manager's 差评整改 page: level, reasons, the comment as text (markup stays text),
    channel, named or anonymous, the phone masked, changes, and the case it opened (a link)."""
    t = served(hall, "3", "w03", identity={"id_number": id_number(serial="533"), "name": "孙测试"})
    s = _session(hall, hall.phone_url(t) + "?via=sms")
    url = hall.phone_url(t).replace("/t/", "/api/tickets/") + "/rating"
    comment = '<img src=x onerror="document.title=1">跑了三次'
    assert s.post(url, json={"level": 1, "reasons": ["等候时间长", "多次跑动"], "comment": comment,
                             "phone": "13912345678", "via": "sms"}).status_code == 200
    pad = served(hall, "2", "w02")            # the evaluator pad: anonymous, changed once
    for level in (2, 1):
        assert hall.service.handle("window", "2", "evaluation.submit",
                                   {"ticket": pad["number"], "level": level,
                                    "reasons": ["态度差"]})["status"] == "ok"
    rows = {e["ticket"]: e for e in hall.service.evaluations(bad_only=True)}
    case_of = {n: hall.service.store.case("evaluation_id", rows[n]["id"])["number"]
               for n in (t["number"], pad["number"])}

    page = login(browser, hall, "m01")
    page.goto(hall.url + "/manage/ratings")
    phone_card = page.locator("article.rating", has_text=" · " + t["number"])
    expect(phone_card.locator(".level")).to_have_text("评价：非常不满意", timeout=LIVE_MS)
    expect(phone_card.locator(".reasons")).to_have_text("群众选择的原因：“等候时间长”、“多次跑动”")
    expect(phone_card.locator(".comment")).to_have_text(f"群众留言：“{comment}”")
    assert phone_card.locator(".comment img").count() == 0 and page.title() != "1"
    expect(phone_card.locator(".who")).to_have_text(
        "评价渠道：短信评价 · 实名评价 · 回访电话 139****5678")
    expect(phone_card.locator(".given")).not_to_contain_text("修改过")
    link = phone_card.locator(".case a")
    expect(link).to_have_text(f"整改工单 {case_of[t['number']]}（待核实）")

    pad_card = page.locator("article.rating", has_text=" · " + pad["number"])
    expect(pad_card.locator(".who")).to_have_text("评价渠道：评价器 · 匿名评价")
    expect(pad_card.locator(".comment")).to_have_text("群众留言：未留言")
    expect(pad_card.locator(".given")).to_contain_text("修改过1次，最后修改")
    expect(pad_card.locator(".case a")).to_have_text(f"整改工单 {case_of[pad['number']]}（待核实）")

    shot(page, "ratings-manage", full_page=True)
    html, id_hash = page.content(), rows[t["number"]]["id_hash"]
    assert id_hash and id_hash not in html and "13912345678" not in html and "孙" not in html
    link.click()
    expect(page.locator("#case-detail")).to_contain_text(case_of[t["number"]], timeout=LIVE_MS)
    page.context.close()
