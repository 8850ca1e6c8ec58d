"""自助申报 at the kiosk, end to end: the real Kivy window (offscreen), the county hall's real
queue server and embedded broker, the card reader and printer drivers on their simulators'
ptys, and the document camera simulator (drawn sample sheets). A citizen files 城乡居民养老
保险待遇申领 (SB-005) from the card to the receipt; the receipt is decoded from the printer's
ESC/POS bytes; the server holds the application with its photos sealed; nothing personal stays
on the kiosk when the session ends (finished, cancelled, timed out).

Screenshots of every step go to a temp dir (YC_SCREENSHOTS=docs/images to refresh the docs').
"""
from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import pytest

from drivers.card_reader.simulator import SAMPLE_CARDS
from kiosk_window import (SIZE, back_home, find, on_screen, open_window, opening_clock, pump,
                          shown, tap)

COUNTY = Path(__file__).parents[2] / "firmware_configs/sites/county.yaml"
ELDER = SAMPLE_CARDS["resident_two_char"]      # 李样, born 1950, region 990101: passes the rules
YOUNGER = SAMPLE_CARDS["resident"]             # 王测试, born 1985: too young for SB-005
ACCOUNT, PHONE = "6222000011112222333", "13800001234"
SHOTS = Path(os.environ.get("YC_SCREENSHOTS") or tempfile.mkdtemp(prefix="yc-filing-shots-"))


@pytest.fixture(scope="module")
def kiosk():
    window = open_window()
    from kiosk.harness import LocalHall

    hall = LocalHall(COUNTY, "k1", clock=opening_clock(COUNTY)).start()
    kiosk = type("Kiosk", (), dict(hall=hall, window=window, session=None))
    start_kiosk(kiosk, "portrait")
    yield kiosk
    stop_kiosk(kiosk)
    hall.stop()
    window.size = SIZE                  # the next module's window is a portrait panel again
    pump(timeout=0.3)


def start_kiosk(kiosk, orientation):
    """The kiosk app on the panel of `orientation` (the one offscreen window resized)."""
    from kiosk.app import KioskUI, clock_post

    kiosk.window.size = SIZE[::-1] if orientation == "landscape" else SIZE
    pump(timeout=0.3)
    session = kiosk.hall.session(post=clock_post, orientation=orientation)
    kiosk.ui = KioskUI(session, kiosk.window.size)
    kiosk.root, kiosk.session = kiosk.ui.root, session
    kiosk.window.add_widget(kiosk.ui.root)
    session.start()
    assert pump(lambda: session.view.connected, 15)
    kiosk.printer, kiosk.card = session.devices.simulators[:2]


def stop_kiosk(kiosk):
    from kivy.clock import Clock

    Clock.unschedule(kiosk.ui.tick)
    kiosk.window.remove_widget(kiosk.ui.root)
    kiosk.session.stop()


@pytest.fixture(autouse=True)
def from_home(kiosk):
    back_home(kiosk)


def shot(kiosk, name):
    pump(timeout=0.2)
    mode = "elderly" if kiosk.session.elderly else "normal"
    orientation = kiosk.session.mode.orientation
    kiosk.root.export_to_png(str(SHOTS / f"kiosk-{orientation}-{mode}-{name}.png"))


def sign(kiosk):
    """A finger drawing a stroke across the signature box."""
    from kivy.tests.common import UnitTestTouch

    pad = find(kiosk.root, "sign:pad")
    pump(timeout=0.2)
    x0, y0 = pad.to_window(pad.x + pad.width * 0.2, pad.center_y)
    touch = UnitTestTouch(x0, y0)
    touch.touch_down()
    for step in range(1, 11):
        touch.touch_move(x0 + step * pad.width * 0.06, y0 + (step % 3 - 1) * pad.height * 0.1)
    touch.touch_up()


def type_keys(kiosk, digits):
    for key in digits:
        tap(kiosk.root, f"key:{key}")


def file_to_summary(kiosk, card=ELDER, shots=False):
    """From home to the summary of SB-005, the paper photographed."""
    snap = (lambda name: shot(kiosk, name)) if shots else (lambda name: None)
    snap("home")
    tap(kiosk.root, "home:filing")
    assert on_screen(kiosk, "filing")
    snap("filing")
    tap(kiosk.root, "file:SB-005")
    assert on_screen(kiosk, "identity")
    assert "城乡居民养老保险待遇申领：请刷身份证" in shown(kiosk.root)
    snap("filing-identity")
    kiosk.card.present(card)
    assert on_screen(kiosk, "filing_question")
    assert "请选择领取方式" in shown(kiosk.root) and "第1问，共3问" in shown(kiosk.root)
    snap("filing-question-choice")
    tap(kiosk.root, "choice:银行卡")
    assert pump(lambda: "请输入银行账号" in shown(kiosk.root))
    type_keys(kiosk, ACCOUNT[:5])
    tap(kiosk.root, "question:ok")                      # too short: said, and kept
    assert pump(lambda: "请输入16到19位数字" in shown(kiosk.root))
    type_keys(kiosk, ACCOUNT[5:])
    snap("filing-question-digits")
    tap(kiosk.root, "question:ok")
    assert pump(lambda: "请输入联系电话" in shown(kiosk.root))
    type_keys(kiosk, PHONE)
    tap(kiosk.root, "question:ok")
    assert on_screen(kiosk, "filing_photo")
    assert "本人银行卡或存折" in shown(kiosk.root)
    camera = kiosk.session.devices.document_camera
    assert pump(lambda: camera.latest() is not None, 10)
    assert not find(kiosk.root, "photo:next").enabled   # nothing to go on with yet
    snap("filing-photo")
    tap(kiosk.root, "photo:take")
    assert pump(lambda: find(kiosk.root, "photo:next").enabled)
    snap("filing-photo-taken")
    tap(kiosk.root, "photo:next")
    assert on_screen(kiosk, "filing_summary")
    snap("filing-summary")


def sign_and_file(kiosk, shots=False):
    tap(kiosk.root, "summary:ok")
    assert on_screen(kiosk, "filing_sign")
    tap(kiosk.root, "sign:done")                        # nothing drawn yet
    assert pump(lambda: "请先签名" in shown(kiosk.root))
    sign(kiosk)
    if shots:
        shot(kiosk, "filing-sign")
    tap(kiosk.root, "sign:done")
    assert on_screen(kiosk, "filing_result")
    assert pump(lambda: kiosk.session.flow.printed is not None, 20), shown(kiosk.root)
    if shots:
        shot(kiosk, "filing-receipt")
    return kiosk.session.flow.application


def receipt_text(kiosk, before):
    assert pump(lambda: len(kiosk.printer.printed) > before, 10)
    paper = kiosk.printer.printed[before]
    return "\n".join(paper.texts), paper


def test_a_citizen_files_at_the_kiosk_and_takes_the_receipt(kiosk):
    before = len(kiosk.printer.printed)
    file_to_summary(kiosk, shots=True)
    text = shown(kiosk.root)
    assert "李*" in text and f"身份证尾号{ELDER.values['id_number'][-4:]}" in text
    assert ELDER.values["id_number"] not in text and "李样" not in text
    assert "***************2333" in text and "138****1234" in text and "已拍照" in text
    application = sign_and_file(kiosk, shots=True)
    assert application["state"] == "accepted"           # 自动核验: accepted at once
    number = application["number"]
    service = kiosk.hall.service
    today = dt.date.fromisoformat(service.engine.date)
    due = service.calendar.add_working_days(today, 10)
    due_words = f"承诺{due.year}年{due.month}月{due.day}日前办结"
    assert number in shown(kiosk.root) and due_words in shown(kiosk.root)
    assert "请取走受理凭证" in shown(kiosk.root)

    paper, document = receipt_text(kiosk, before)
    assert "受理凭证" in paper and number in paper and due_words in paper
    assert "城乡居民养老保险待遇申领" in paper and "已受理" in paper
    assert [q.data for q in document.qr_codes] == [application["url"]]
    assert "/a/" in application["url"]
    assert "李" not in paper and ELDER.values["id_number"][-4:] not in paper

    # The server holds it: the form, the photo and the signature, sealed.
    held = service.applications.for_window(number)
    assert held["form"] == {"领取方式": "银行卡", "银行账号": ACCOUNT, "联系电话": PHONE}
    assert [p["material"] for p in held["photos"]] == ["本人银行卡或存折", "申请人签名"]
    assert held["due"] == due.isoformat()
    assert held["name"] == "李*" and held["materials"][1]["status"] == "received"
    blobs = {p["material"]: p["sealed"] for p in service.store.photos(number)}
    opened = {m: service.applications.sealer.open_bytes(number, b) for m, b in blobs.items()}
    assert opened["本人银行卡或存折"][:2] == b"\xff\xd8"             # a JPEG of the paper
    assert opened["申请人签名"][:8] == b"\x89PNG\r\n\x1a\n"         # the signature drawn
    raw = Path(kiosk.hall.db).read_bytes() + b"".join(
        Path(str(kiosk.hall.db) + s).read_bytes() for s in ("-wal",)
        if Path(str(kiosk.hall.db) + s).exists())
    for secret in (b"JFIF", b"\x89PNG", ACCOUNT.encode(), PHONE.encode(),
                   ELDER.values["id_number"].encode(), "李样".encode()):
        assert secret not in raw, secret

    # Finished: the kiosk keeps nothing of it.
    flow = kiosk.session.flow
    assert flow.photos == {} and flow.signature is None and flow.answers == {}
    assert flow.identity is None and flow.parts() == []


def test_the_rules_refuse_at_once_and_say_why(kiosk):
    before = len(kiosk.printer.printed)
    file_to_summary(kiosk, card=YOUNGER)
    application = sign_and_file(kiosk)
    assert application["state"] == "refused"
    assert "自动核验未通过：申请人应年满60周岁" in shown(kiosk.root)
    paper, _ = receipt_text(kiosk, before)
    assert application["number"] in paper and "申请人应年满60周岁" in paper
    assert "前办结" not in paper


def test_the_receipt_also_comes_out_of_the_kiosks_a4_printer_through_cups(kiosk):
    """Issue 15: a kiosk with an A4 printer prints the filing's 受理凭证 there as well (a real
    cupsd, read back with pdftotext); a queue CUPS does not know is said as a fault."""
    import shutil
    import subprocess

    from cups_server import CupsServer, missing
    from drivers.printer.a4 import LpPrinter
    from hall.words import day_words

    if missing() or shutil.which("pdftotext") is None:
        pytest.skip(missing() or "poppler-utils is not installed")
    cups = CupsServer().start()
    kiosk.session.devices.a4 = LpPrinter(cups.queue, env=cups.env)     # a4_printer: a4
    try:
        file_to_summary(kiosk)
        application = sign_and_file(kiosk)
        assert pump(lambda: "A4受理凭证已打印，请在A4打印机取件" in shown(kiosk.root), 20), cups.log()
        shot(kiosk, "filing-receipt-a4")
        assert "请取走受理凭证" in shown(kiosk.root)             # the ticket printer's too
        paper = subprocess.run(["pdftotext", "-layout", "-", "-"], input=cups.printed(),
                               capture_output=True, check=True).stdout.decode()
        assert application["number"] in paper and "受理凭证" in paper
        assert day_words(application["due"]) in paper            # the finish date
        assert "李*" in paper and "李样" not in paper and ELDER.values["id_number"] not in paper

        kiosk.session.devices.a4 = LpPrinter("gone", env=cups.env)   # no such queue
        kiosk.ui.go("home")
        file_to_summary(kiosk)
        sign_and_file(kiosk)
        assert pump(lambda: "A4打印机出了故障，A4受理凭证未能打印" in shown(kiosk.root), 20)
        assert "请取走受理凭证" in shown(kiosk.root)
    finally:
        kiosk.session.devices.a4 = None
        cups.stop()


def test_face_items_are_not_offered_without_a_working_camera(kiosk):
    assert kiosk.session.devices.camera.get_status()["state"] != "ok"    # /dev/video0: none here
    tap(kiosk.root, "home:filing")
    assert on_screen(kiosk, "filing")
    tile = find(kiosk.root, "file:YB-001")      # 居民医保参保登记 needs 人脸核验
    assert tile is not None and not tile.enabled
    assert "需刷脸核验，本机暂不能办理，请取号到窗口" in shown(kiosk.root)
    offer = dict((item.code, why) for item, why in kiosk.session.flow.offer)
    assert offer["SB-001"] and offer["SB-005"] == "" and "YB-002" not in offer   # not a kiosk item
    tap(kiosk.root, "file:YB-001")
    assert kiosk.ui.manager.current == "filing"
    tap(kiosk.root, "file:SB-005")
    assert on_screen(kiosk, "identity")
    assert find(kiosk.root, "identity:manual") is None       # a typed number cannot file
    assert "自助申报需要刷身份证" in shown(kiosk.root)


def _nothing_left(kiosk, flow):
    """The old flow and every screen hold nothing of the citizen."""
    assert flow.photos == {} and flow.signature is None and flow.answers == {}
    assert flow.identity is None and flow.item is None
    session = kiosk.session
    assert type(session.flow).__name__ == "TicketFlow" and session.flow.identity is None
    assert kiosk.ui.manager.current == "home"
    photo = kiosk.ui.screens["filing_photo"]
    assert not hasattr(photo, "picture") and photo._live is None
    assert not hasattr(kiosk.ui.screens["filing_sign"], "pad")
    text = shown(kiosk.root)
    assert "李*" not in text and ACCOUNT[-4:] not in text


def test_photos_and_answers_are_wiped_when_the_session_times_out(kiosk):
    file_to_summary(kiosk)
    flow = kiosk.session.flow
    assert flow.photos and flow.answers and flow.identity
    kiosk.session.idle._since -= 3600     # nobody touched it for longer than the time allowed
    kiosk.ui.tick()
    assert on_screen(kiosk, "home")
    _nothing_left(kiosk, flow)


def test_back_goes_one_step_and_cancel_wipes_it_all(kiosk):
    file_to_summary(kiosk)
    flow = kiosk.session.flow
    tap(kiosk.root, "footer:back")                     # summary -> the photo, as taken
    assert on_screen(kiosk, "filing_photo")
    assert find(kiosk.root, "photo:next").enabled
    tap(kiosk.root, "footer:back")                     # -> the last question
    assert on_screen(kiosk, "filing_question")
    assert "请输入联系电话" in shown(kiosk.root)
    assert flow is kiosk.session.flow and flow.photos
    tap(kiosk.root, "footer:home")                     # 返回首页: the citizen cancels
    assert on_screen(kiosk, "home")
    _nothing_left(kiosk, flow)


STEPS = ("filing", "filing-identity", "filing-question-choice", "filing-question-digits",
         "filing-photo", "filing-photo-taken", "filing-summary", "filing-sign", "filing-receipt")


def test_elderly_mode_files_the_same_way(kiosk):
    kiosk.session.set_elderly(True)
    file_to_summary(kiosk, shots=True)
    sign_and_file(kiosk, shots=True)
    assert kiosk.session.flow.application["state"] == "accepted"


def test_landscape_panel_normal_and_elderly(kiosk):
    """Last in this module: the kiosk app again, on a landscape panel."""
    stop_kiosk(kiosk)
    start_kiosk(kiosk, "landscape")
    kiosk.ui.go("home")
    for elderly in (False, True):
        kiosk.session.set_elderly(elderly)
        file_to_summary(kiosk, shots=True)
        application = sign_and_file(kiosk, shots=True)
        assert application["state"] == "accepted"
        kiosk.ui.go("home")
        assert on_screen(kiosk, "home")
    names = {p.name for p in SHOTS.glob("kiosk-*.png")}
    missing = [f"kiosk-{o}-{m}-{step}.png" for o in ("portrait", "landscape")
               for m in ("normal", "elderly") for step in STEPS
               if f"kiosk-{o}-{m}-{step}.png" not in names]
    assert not missing, (missing, SHOTS)
