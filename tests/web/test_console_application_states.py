"""办件 across the 2026 National Day holiday in a real headless Chromium, the hall's clock on
Wednesday 30 September 2026: the window sees a kiosk-filed application's photo (opened for
the logged-in window only, never cached), tells once what is missing through the one-time
notice (/n/<token>, printable, on the phone), accepts it (due 13 October: 1-7 October skipped,
Saturday 10 October counted), downloads the A4 receipt; the citizen's phone page shows each
state; the manager's live dashboard warns of an application due today."""
from __future__ import annotations

import base64
import datetime as dt
import io
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from conftest import Hall, login, open_page, shot

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine"))
from halls import id_number  # noqa: E402

ID_NUMBER = id_number(serial="527")          # invented
# SB-001 is filed at a kiosk after face verification (人证核验): the kiosk sends its result
PASSED = {"result": "pass", "distance": 0.41, "liveness": "passed", "tries": 1, "at": 1767225600.0}
ACCEPTED_DAY = dt.datetime(2026, 9, 30, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(scope="module")
def hall(tmp_path_factory):
    """The county hall on 30 September 2026 (its clock runs on from 10:00 there)."""
    start, began = ACCEPTED_DAY.timestamp(), time.time()
    h = Hall(tmp_path_factory.mktemp("hall"), clock=lambda: start + time.time() - began)
    yield h
    h.stop()


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 40), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


def phone_path(view: dict) -> str:
    return "/a/" + view["url"].rsplit("/a/", 1)[1]


def test_from_kiosk_filing_to_collection_every_state_on_the_phone(hall, browser):
    made = hall.kiosk.request("application.submit", {
        "item": "SB-001", "identity": {"id_number": ID_NUMBER, "name": "郑小雨"}, "face_check": PASSED,
        "materials": {"居民身份证": "received"}, "phone": "13900002222",
        "photos": [{"material": "居民身份证", "data": base64.b64encode(jpeg()).decode()}]})
    view = made["application"]
    number = view["number"]
    phone = open_page(browser, hall, phone_path(view), "phone")
    expect(phone.locator("#state")).to_have_text("已提交")

    page = login(browser, hall, "w04", window="9")
    page.goto(hall.url + "/applications")
    page.fill("#open-form input[name=number]", number)
    page.click("#open-form button[type=submit]")
    expect(page.locator("#d-number")).to_have_text(number)
    photo = page.locator("#d-photos img")
    expect(photo).to_have_attribute("alt", "居民身份证")
    page.wait_for_function("document.querySelector('#d-photos img').naturalWidth === 64")
    answer = page.request.get(hall.url + f"/api/window/applications/{number}/photos/0")
    assert answer.status == 200 and answer.body() == jpeg()
    assert answer.headers["cache-control"] == "no-store" and answer.headers["content-type"] == "image/jpeg"
    stranger = open_page(browser, hall, "/", "phone")
    assert stranger.request.get(hall.url + f"/api/window/applications/{number}/photos/0").status in (401, 403)
    assert page.request.get(hall.url + f"/api/window/applications/{number}/photos/7").status == 404
    assert page.request.get(hall.url + f"/api/window/applications/{number}/receipt.pdf").status == 409

    # 补正: everything missing, once, in a one-time notice the window prints
    page.click("[data-step=correct]")
    expect(page.locator("#d-state")).to_have_text("待补正")
    expect(page.locator("#notice")).to_be_visible()
    notice = open_page(browser, hall, page.locator("#notice").get_attribute("href"), "staff")
    expect(notice.locator("#materials li")).to_have_text(["近期免冠彩色照片（原件，2份）：可容缺后补"])
    expect(notice.locator("#figures")).to_contain_text(number)
    shot(notice, "application-correction-notice")
    phone.reload()
    expect(phone.locator("#state")).to_have_text("待补正")
    expect(phone.locator("#missing li")).to_have_text(["近期免冠彩色照片"])
    expect(phone.locator("#notice")).to_be_visible()

    page.select_option("#d-materials select[data-material=近期免冠彩色照片]", "received")
    page.click("[data-step=resubmit]")
    expect(page.locator("#d-state")).to_have_text("已补正")
    phone.reload()
    expect(phone.locator("#state")).to_have_text("已补正")
    expect(phone.locator("#notice")).to_be_hidden()

    page.click("[data-step=accept]")
    expect(page.locator("#d-state")).to_have_text("已受理")
    phone.reload()
    expect(phone.locator("#state")).to_have_text("已受理")
    # 5 working days from 30 September: 8, 9, Saturday 10 (调休), 12, 13 October
    expect(phone.locator("#figures")).to_contain_text("2026年10月13日（5个工作日）")
    shot(phone, "application-phone-accepted", full_page=True)
    pdf = page.request.get(hall.url + f"/api/window/applications/{number}/receipt.pdf")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf.body(),
                              capture_output=True, check=True).stdout.decode()
        assert number in text and "2026年10月13日（5个工作日）" in text and "郑*雨" in text
        assert "统一出件窗口" in text and "郑小雨" not in text

    for step, state in (("approve", "已办结（准予）"), ("ready", "待领取")):
        page.click(f"[data-step={step}]")
        expect(page.locator("#d-state")).to_have_text(state)
        phone.reload()
        expect(phone.locator("#state")).to_have_text(state)
    expect(phone.locator("#collect")).to_have_text("请凭受理凭证到统一出件窗口领取")
    page.click("[data-step=collect]")
    expect(page.locator("#d-state")).to_have_text("已领取")
    phone.reload()
    expect(phone.locator("#state")).to_have_text("已领取")
    assert "郑" not in phone.content() and ID_NUMBER[-4:] not in phone.content()


def test_the_live_dashboard_warns_of_an_application_due_today(hall, browser):
    manager = login(browser, hall, "m01")
    hall.service.staff.add("w10", "孙一", "window", "chuangkou10")
    hall.service.handle("window", "10", "window.login", {"staff": "w10", "password": "chuangkou10"})
    made = hall.service.handle("window", "10", "application.submit", {   # 即办件, a walk-in
        "item": "SB-002", "identity": {"id_number": ID_NUMBER}, "materials": {"居民身份证": "received"}})
    number = made["data"]["application"]["number"]
    assert hall.service.handle("window", "10", "application.accept", {"number": number})["status"] == "ok"
    alert = manager.locator("#alerts li[data-kind=deadline]", has_text=number)
    expect(alert).to_contain_text("今天到期", timeout=5000)
    expect(alert).to_have_class("error")
    shot(manager, "dashboard-deadline-alert")


def test_the_phone_shows_a_refusal_with_its_reason_and_a_posted_result(hall, browser):
    def filed():
        return hall.kiosk.request("application.submit", {
            "item": "SB-001", "identity": {"id_number": ID_NUMBER}, "face_check": PASSED,
            "materials": {"居民身份证": "received", "近期免冠彩色照片": "received"}})["application"]

    def step(number, action, **args):
        answer = hall.service.handle("window", "9", f"application.{action}", {"number": number, **args})
        assert answer["status"] == "ok", answer

    refused, posted = filed(), filed()
    step(refused["number"], "refuse", reason="申请人不在本县参保")
    for action in ("accept", "approve", "ready", "post"):
        step(posted["number"], action)
    phone = open_page(browser, hall, phone_path(refused), "phone")
    expect(phone.locator("#state")).to_have_text("不予办理")
    expect(phone.locator("#figures")).to_contain_text("不予办理理由")
    expect(phone.locator("#figures")).to_contain_text("申请人不在本县参保")
    phone.goto(hall.url + phone_path(posted))
    expect(phone.locator("#state")).to_have_text("已邮寄")
    expect(phone.locator("#collect")).to_be_hidden()
