"""The booking page (预约办理) and its API against a whole hall: real HTTP in parallel, the
page in headless Chromium at phone size, the manager's page, and the attacker's tries.

Every person here is invented (area code 110105, made-up serials)."""
from __future__ import annotations

import json
import sys
import threading
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from conftest import login, open_page, shot

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine"))
from halls import id_number  # noqa: E402


class Phone:
    """One browser-less client of the console: its own cookie jar and CSRF token."""

    def __init__(self, url: str):
        self.url = url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        self.csrf = self.call("GET", "/api/session")[1]["csrf"]

    def call(self, method: str, path: str, body: dict | None = None, csrf: bool = True):
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"}
        if csrf and getattr(self, "csrf", None):
            headers["X-CSRF-Token"] = self.csrf
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with self.opener.open(request, timeout=30) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"{}")


def who(serial: str, name: str = "李测试") -> dict:
    return {"name": name, "phone": "13800138000", "id_number": id_number("19900101", serial)}


@pytest.fixture(autouse=True)
def fresh_limits(hall):
    """Each test starts with no earlier misses or bookings counted against 127.0.0.1."""
    c = hall.console.console
    for guard in (c.booking_misses, c.bookings_made):
        guard._seen.clear()


def a_slot(phone: Phone, category: str = "zonghe", day: int = 1) -> tuple[str, str]:
    status, days = phone.call("GET", f"/api/booking/days?category={category}")
    assert status == 200 and days
    return days[day]["date"], days[day]["slots"][3]["slot"]


def test_twenty_parallel_requests_for_the_last_seat_book_it_once(hall):
    phone = Phone(hall.url)
    date, slot = a_slot(phone, "yibao")
    hall.service.bookings.set_capacity("yibao", slot, 1, "m01", hall.service.clock())
    answers, start = [], threading.Barrier(20)

    def one(k):
        p = Phone(hall.url)
        start.wait()
        answers.append(p.call("POST", "/api/bookings", {"category": "yibao", "date": date, "slot": slot,
                                                          **who(f"{100 + k}")}))
    threads = [threading.Thread(target=one, args=(k,)) for k in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = sorted(s for s, _ in answers)
    assert statuses == [200] + [409] * 19, statuses
    assert {b["error"]["message"] for s, b in answers if s == 409} == {"这个时段已经约满，请选择其他时段"}
    assert hall.service.store.booked(date, "yibao", slot) == 1


def test_booking_then_checking_in_gives_an_appointment_ticket(hall):
    phone = Phone(hall.url)
    today = hall.service.date
    status, days = phone.call("GET", "/api/booking/days?category=zonghe")
    slot = days[0]["slots"][0]["slot"] if days[0]["date"] == today else None
    assert slot, "an always-open hall offers a later slot today"
    status, booking = phone.call("POST", "/api/bookings", {"category": "zonghe", "date": today, "slot": slot,
                                                           **who("201", "王小明")})
    assert status == 200 and booking["name"] == "王*明" and booking["phone"] == "138****8000"
    assert booking["qr"].startswith("data:image/svg+xml;base64,")
    ticket = hall.kiosk.request("appointment.checkin", {"code": booking["code"]})["ticket"]
    assert ticket["priority"] == "appointment"
    status, seen = phone.call("POST", "/api/bookings/lookup", {"code": booking["code"], "last4": booking["id_last4"]})
    assert status == 200 and seen["status"] == "checked_in"


def test_post_without_the_csrf_token_is_refused(hall):
    phone = Phone(hall.url)
    date, slot = a_slot(phone)
    status, body = phone.call("POST", "/api/bookings", {"category": "zonghe", "date": date, "slot": slot,
                                                        **who("301")}, csrf=False)
    assert status == 403 and body["error"]["code"] == "csrf"


def test_guessing_codes_is_slowed_and_cancel_needs_the_last_four_digits(hall):
    phone = Phone(hall.url)
    date, slot = a_slot(phone, "shuiwu", 2)
    status, mine = phone.call("POST", "/api/bookings", {"category": "shuiwu", "date": date, "slot": slot, **who("401")})
    assert status == 200
    wrong = "0000" if mine["id_last4"] != "0000" else "1234"
    status, body = phone.call("POST", "/api/bookings/cancel", {"code": mine["code"], "last4": wrong})
    assert status == 404 and "预约码和身份证号后四位" in body["error"]["message"]
    status, body = phone.call("POST", "/api/bookings/cancel", {"code": mine["code"]})
    assert status == 400                                         # the code alone is not enough
    assert hall.service.bookings.find(mine["code"], mine["id_last4"])["status"] == "booked"
    codes = [f"{n:08d}" for n in range(12345670, 12345700)]
    answers = [phone.call("POST", "/api/bookings/lookup", {"code": c, "last4": mine["id_last4"]})[0] for c in codes]
    assert answers[:18].count(404) == 18 and 429 in answers      # the address is slowed down
    status, body = phone.call("POST", "/api/bookings/lookup", {"code": mine["code"], "last4": mine["id_last4"]})
    assert status == 429                                         # even the right code, for now
    codes = {hall.service.bookings.insert({"category": "zonghe", "date": date, "slot": slot, "created_at": 0,
                                           "checked_in": 0}) for _ in range(200)}
    assert len(codes) == 200 and all(len(c) == 8 and c.isdigit() for c in codes)
    assert len({c[:3] for c in codes}) > 100                     # random, not counting up


def test_the_openapi_description_has_the_booking_operations(hall):
    status, spec = Phone(hall.url).call("GET", "/api/openapi.json")
    for path in ("/api/bookings", "/api/bookings/lookup", "/api/bookings/cancel", "/api/bookings/move",
                 "/api/booking/days", "/api/manage/capacities", "/api/window/checkin"):
        assert path in spec["paths"], path
    assert "429" in spec["paths"]["/api/bookings/lookup"]["post"]["responses"]


def test_booking_page_on_a_phone(hall, browser):
    page = open_page(browser, hall, "/book", "phone")
    page.click("#categories button:has-text('不动产登记')")
    page.locator("#days button:not([disabled])").nth(1).click()
    page.locator("#slots button:not([disabled])").nth(2).click()
    page.fill("input[name=name]", "赵测试")
    page.fill("input[name=phone]", "13700137000")
    page.fill("input[name=id_number]", id_number("19750505", "501"))
    shot(page, "book-form", full_page=True)
    page.click("#step-who button[type=submit]")
    page.locator("#booking:not([hidden])").wait_for(timeout=10000)
    code = page.locator("#b-code").text_content()
    text = page.locator("#booking").inner_text()
    assert len(code) == 8 and "已预约" in text and "赵*" in text and "137****7000" in text
    assert id_number("19750505", "501") not in page.content()
    shot(page, "book-done", full_page=True)
    last4 = id_number("19750505", "501")[-4:]
    first = hall.service.bookings.find(code, last4)["date"]
    other = open_page(browser, hall, "/book", "phone")
    other.click("#tab-mine")
    other.fill("input[name=code]", code)
    other.fill("input[name=last4]", last4)
    other.click("#find button[type=submit]")
    other.locator("#booking:not([hidden])").wait_for(timeout=10000)
    other.click("#b-move")
    other.locator("#days button:not([disabled])").nth(2).click()
    other.locator("#slots button:not([disabled])").nth(0).click()
    other.locator("#booking:not([hidden])").wait_for(timeout=10000)
    moved = hall.service.bookings.find(code, last4)
    assert moved["code"] == code and moved["date_label"] in other.locator("#b-figures").inner_text()
    assert moved["date"] != first                                # another day, the same code
    other.on("dialog", lambda d: d.accept())
    other.click("#b-cancel")
    other.locator("#booking[data-status=cancelled]").wait_for(timeout=10000)
    assert "已取消" in other.locator("#b-status").text_content()
    shot(other, "book-cancelled", full_page=True)
    assert hall.service.bookings.find(code, last4)["status"] == "cancelled"


def test_manager_sees_the_day_masked_and_sets_a_capacity(hall, browser):
    phone = Phone(hall.url)
    today = hall.service.date
    days = phone.call("GET", "/api/booking/days?category=shebao")[1]
    slot = days[0]["slots"][-1]["slot"]
    phone.call("POST", "/api/bookings", {"category": "shebao", "date": days[0]["date"], "slot": slot,
                                         **who("601", "孙测试")})
    page = login(browser, hall, "m01", size="dashboard")
    page.goto(hall.url + "/manage/bookings")
    page.fill("input[name=date]", days[0]["date"])
    page.click("#filter button[type=submit]")
    page.locator("#list td:has-text('孙*')").first.wait_for(timeout=10000)
    listed = page.locator("#list").inner_text()
    assert "138****8000" in listed and id_number("19900101", "601") not in page.content()
    cell = page.locator(f"input[data-cell='yibao@{slot}']")
    cell.fill("7")
    cell.dispatch_event("change")
    page.locator(f"input[data-cell='yibao@{slot}'].saved").wait_for(timeout=10000)
    table = hall.service.bookings.capacity_table()
    assert next(c for c in table["categories"] if c["id"] == "yibao")["capacity"][slot] == 7
    assert today
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "bookings")
    window = Phone(hall.url)
    assert window.call("PUT", "/api/manage/capacities", {"category": "yibao", "slot": slot, "capacity": 1})[0] == 401


def test_window_checks_a_booking_in_by_code(hall, browser):
    code = hall.service.book_appointment("zonghe", hall.service.date, "12:00-12:30")
    page = login(browser, hall, "w02", window="2")
    page.fill("#checkin-form input[name=code]", code)
    page.click("#checkin-form button[type=submit]")
    page.locator("#message:has-text('签到成功')").wait_for(timeout=10000)
    number = page.locator("#message").text_content().split("号码 ")[1].split("（")[0]
    ticket = next(t for t in hall.service.tickets_of_day() if t["number"] == number)
    assert ticket["priority"] == "appointment" and ticket.get("kiosk") is None
    shot(page, "caller-checkin")
    page.fill("#checkin-form input[name=code]", "00000000" if code != "00000000" else "00000001")
    page.click("#checkin-form button[type=submit]")
    page.locator("#message.error").wait_for(timeout=10000)
    assert "没有找到" in page.locator("#message").text_content()
    page.click("#logout")
