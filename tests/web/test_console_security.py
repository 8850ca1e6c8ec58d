"""What the console refuses, and how: CSRF, forged or guessed ticket links, bad input to
the API (always a 4xx with a Chinese message, never a 500), logout, argon2 hashes."""
from __future__ import annotations

import http.client
import json
import re

import requests
from playwright.sync_api import expect

from conftest import STAFF, login, open_page, shot

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def api_session(hall, staff: str, window: str | None = None) -> requests.Session:
    """A script's session, logged in the documented way; X-CSRF-Token set for later calls."""
    s = requests.Session()
    csrf = s.get(hall.url + "/api/session", timeout=5).json()["csrf"]
    body = {"staff": staff, "password": STAFF[staff][2], **({"window": window} if window else {})}
    answer = s.post(hall.url + "/api/session", json=body, headers={"X-CSRF-Token": csrf}, timeout=5)
    assert answer.status_code == 200, answer.text
    s.headers["X-CSRF-Token"] = answer.json()["csrf"]
    return s


def refused(answer: requests.Response, status: int, code: str | None = None) -> str:
    assert answer.status_code == status, (answer.status_code, answer.text)
    error = answer.json()["error"]
    assert CHINESE.search(error["message"]), error
    if code:
        assert error["code"] == code, error
    return error["message"]


def test_a_post_without_the_csrf_token_changes_nothing(hall, browser):
    hall.issue("zonghe")
    caller = login(browser, hall, "w01", window="1")
    for headers in ({}, {"X-CSRF-Token": "forged"}):
        answer = caller.request.post(hall.url + "/api/window/call_next", data={}, headers=headers)
        assert answer.status == 403 and answer.json()["error"]["code"] == "csrf"
        assert answer.json()["error"]["message"] == "页面已过期，请刷新后重试"
    assert hall.service.retained_states()["window/1/state"]["state"] == "idle"
    # the cookie never goes along with a request from another site
    cookie = next(c for c in caller.context.cookies() if c["name"] == "yc_session")
    assert cookie["sameSite"] == "Strict" and cookie["httpOnly"]
    caller.context.close()


def test_forged_link_shows_invalid_and_no_data(hall, browser):
    ticket = hall.issue("yibao")
    token = ticket["url"].rsplit("/t/", 1)[1]
    forged = token[:-1] + ("0" if token[-1] != "0" else "1")
    phone = open_page(browser, hall, "/t/" + forged, "phone")
    expect(phone.locator("#number")).to_have_text("无效")
    expect(phone.locator("#status")).to_contain_text("没有找到今天的这张号票")
    expect(phone.locator("#category")).to_have_text("")
    expect(phone.locator("#figures")).to_be_empty()
    shot(phone, "ticket-invalid")
    answer = requests.get(hall.url + "/api/tickets/" + forged, timeout=5)
    refused(answer, 404, "unknown_ticket")
    assert ticket["number"] not in answer.text and "yibao" not in answer.text
    assert requests.get(hall.url + "/api/tickets/" + forged + "/events", timeout=5).status_code == 404
    phone.context.close()


def test_bad_input_gets_a_clear_4xx_in_chinese_never_a_500(hall):
    staff, manager = api_session(hall, "w02", window="7"), api_session(hall, "m01")
    url = hall.url
    # wrong JSON types and shapes
    refused(staff.post(url + "/api/session", json={"staff": 123, "password": ["x"]}), 400, "bad_request")
    refused(staff.post(url + "/api/session", data=b"{not json", headers={"Content-Type": "application/json"}), 400)
    refused(staff.post(url + "/api/session", json=["staff", "password"]), 400)
    refused(staff.post(url + "/api/window/pause", json={"reason": 5}), 400)
    refused(staff.post(url + "/api/window/finish", json={"outcome": None}), 400)
    refused(manager.post(url + "/api/evaluations/abc/rectification", json={"cause": "x", "action": "y"}), 400)
    refused(manager.get(url + "/api/audit", params={"limit": "-1"}), 400)
    refused(manager.get(url + "/api/report", params={"from": "2025-02-30"}), 400)
    # unknown ids
    assert refused(staff.post(url + "/api/session", json={"staff": "w02", "password": "x", "window": "99"}), 400) \
        == "没有这个窗口"
    hall.issue("yibao")
    staff.post(url + "/api/window/call_next", json={})
    refused(staff.post(url + "/api/window/transfer", json={"to_window": "99"}), 400)
    refused(staff.post(url + "/api/window/transfer", json={"to_category": "nope"}), 404, "unknown_category")
    refused(staff.post(url + "/api/window/fly", json={}), 404, "not_found")
    refused(manager.post(url + "/api/evaluations/999999/rectification", json={"cause": "x", "action": "y"}), 404)
    refused(manager.get(url + "/api/no/such/thing"), 404)
    refused(manager.put(url + "/api/session", json={}), 405, "method_not_allowed")
    # a huge body, text that cannot be stored
    refused(staff.post(url + "/api/window/pause", data=b"{" + b" " * 200_000 + b"}",
                       headers={"Content-Type": "application/json"}), 413, "too_large")
    refused(staff.post(url + "/api/window/pause", data=b'{"reason": "\\ud800"}',
                       headers={"Content-Type": "application/json"}), 400)
    # after all that, the window works as before
    assert staff.post(url + "/api/window/finish", json={}).status_code == 200


def test_logout_ends_the_session_and_logs_the_window_out(hall):
    staff = api_session(hall, "w03", window="3")
    assert staff.get(hall.url + "/api/window").status_code == 200
    assert staff.delete(hall.url + "/api/session").json() == {"ok": True}
    assert hall.service.retained_states()["window/3/state"]["state"] == "closed"
    refused(staff.get(hall.url + "/api/window"), 401, "not_logged_in")


def test_passwords_are_stored_as_argon2id_hashes(hall):
    rows = list(hall.service.staff._db.query("SELECT staff_id, password_hash FROM staff"))
    assert rows and all(r["password_hash"].startswith("$argon2id$") for r in rows)
    assert not any(STAFF[r["staff_id"]][2] in r["password_hash"] for r in rows if r["staff_id"] in STAFF)


def get_from(hall, address: str, path: str) -> tuple[int, dict, dict]:
    """GET from a given local address (the whole 127/8 is this machine): another client."""
    host, port = hall.url.rsplit("/", 1)[1].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5, source_address=(address, 0))
    try:
        conn.request("GET", path)
        r = conn.getresponse()
        return r.status, dict(r.getheaders()), json.loads(r.read())
    finally:
        conn.close()


def test_guessing_ticket_links_is_slowed_down(hall):
    ticket = hall.issue("zonghe")
    token = ticket["url"].rsplit("/t/", 1)[1]
    for i in range(30):      # people mistype or keep yesterday's ticket: 30 misses are free
        assert get_from(hall, "127.0.0.7", f"/api/tickets/{i:032x}")[0] == 404
    status, headers, body = get_from(hall, "127.0.0.7", f"/api/tickets/{30:032x}")
    assert status == 429 and body["error"]["code"] == "rate_limited" and CHINESE.search(body["error"]["message"])
    assert 0 < int(headers["Retry-After"]) <= 600
    assert get_from(hall, "127.0.0.7", f"/api/tickets/{token}")[0] == 429   # no oracle while slowed down
    status, _, body = get_from(hall, "127.0.0.8", f"/api/tickets/{token}")    # other phones go on
    assert status == 200 and body["number"] == ticket["number"]
