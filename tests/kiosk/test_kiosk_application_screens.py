"""办件查询 at the kiosk in a real offscreen Kivy window, against a real queue server and broker
(the county hall, with its 统一出件 queue H and window 17), the real card reader and printer
drivers on simulator ptys: a citizen swipes the ID card and sees each application as the
phone page shows it; types the number and the last four digits; and, with a result ready,
takes a 统一出件 ticket, decoded from the printer's ESC/POS bytes."""
from pathlib import Path

import pytest

from drivers.card_reader.simulator import SAMPLE_CARDS
from kiosk_window import find, open_window, pump, shown, tap

COUNTY = Path(__file__).parents[2] / "firmware_configs/sites/county.yaml"
CARD = SAMPLE_CARDS["resident"]
ID_NUMBER, NAME = CARD.values["id_number"], CARD.values["name"]
PASSED = {"result": "pass", "distance": 0.41, "liveness": "passed", "tries": 1, "at": 1767225600.0}
MATERIALS = {"居民身份证": "received", "近期免冠彩色照片": "received"}


@pytest.fixture(scope="module")
def kiosk():
    window = open_window()
    from hall.config.hall import load_hall_config
    from kiosk.app import KioskUI, clock_post
    from kiosk.harness import LocalHall, open_hall_clock

    config = load_hall_config(COUNTY)
    hall = LocalHall(COUNTY, "k1", clock=open_hall_clock(config.timezone)).start()
    session = hall.session(post=clock_post)
    ui = KioskUI(session, window.size)
    window.add_widget(ui.root)
    session.start()
    assert pump(lambda: any(t.can_take for t in session.view.tiles()), 15)
    service = hall.service
    service.staff.add("cj01", "出件员", "window", "chujian-123")
    assert service.handle("window", "17", "window.login",
                          {"staff": "cj01", "password": "chujian-123"})["status"] == "ok"
    printer, card, _scanner = session.devices.simulators
    yield type("Kiosk", (), dict(ui=ui, session=session, hall=hall, root=ui.root, printer=printer,
                                 card=card, service=service))
    window.remove_widget(ui.root)
    session.stop()
    hall.stop()


@pytest.fixture(autouse=True)
def from_home(kiosk):
    kiosk.card.lift()
    kiosk.ui.go("home")
    pump(lambda: kiosk.ui.manager.current == "home")
    yield


def on_screen(kiosk, name, timeout=10):
    manager = kiosk.ui.manager
    return pump(lambda: manager.current == name and manager.current_screen.box.children, timeout)


def filed(kiosk, identity_number, *steps):
    """An application filed over the bus as a kiosk does, moved on by a window."""
    made = kiosk.service.handle("kiosk", "k2", "application.submit",
                                {"item": "SB-001", "identity": {"id_number": identity_number},
                                 "materials": MATERIALS, "face_check": PASSED})
    number = made["data"]["application"]["number"]
    for step in steps:
        answer = kiosk.service.handle("window", "17", f"application.{step}", {"number": number})
        assert answer["status"] == "ok", answer
    return number


def test_by_card_each_application_shows_its_state_deadline_and_where_to_collect(kiosk):
    waiting = filed(kiosk, ID_NUMBER)
    ready = filed(kiosk, ID_NUMBER, "accept", "approve", "ready")
    tap(kiosk.root, "home:application_find")
    assert on_screen(kiosk, "application_find")
    kiosk.card.present(CARD)
    assert on_screen(kiosk, "application_status")
    assert pump(lambda: ready in shown(kiosk.root) and waiting in shown(kiosk.root))
    text = shown(kiosk.root)
    assert "办理状态：待领取" in text and "办理状态：已提交" in text
    assert "领取：请凭受理凭证到统一出件窗口领取" in text
    assert "承诺办结：" in text
    assert ID_NUMBER not in text and NAME not in text
    # the same lines as the phone page's (one source: the server's view)
    phone = kiosk.service.applications.lookup(ready, ID_NUMBER[-4:])
    for line in phone["lines"]:
        assert f"{line['label']}：{line['text']}" in text
    before = len(kiosk.printer.printed)
    tap(kiosk.root, "follow:pickup")
    assert pump(lambda: len(kiosk.printer.printed) > before, 10), "no ticket printed"
    paper = kiosk.printer.printed[before]
    assert any(t.startswith("H") and t[1:].isdigit() for t in paper.texts), paper.texts
    assert on_screen(kiosk, "ticket")
    # window 17 (统一出件) calls it and hands the result over
    called = kiosk.service.handle("window", "17", "window.call_next", {})["data"]["ticket"]
    assert called["category"] == "chujian" and called["number"] in paper.texts
    assert kiosk.service.handle("window", "17", "application.collect",
                                {"number": ready})["data"]["application"]["state"] == "collected"
    kiosk.service.handle("window", "17", "window.finish", {})


def test_by_number_and_last_four_digits(kiosk):
    number = filed(kiosk, ID_NUMBER, "accept")
    tap(kiosk.root, "home:application_find")
    assert on_screen(kiosk, "application_find")
    for key in number.replace("-", "")[-12:] + ID_NUMBER[-4:]:
        tap(kiosk.root, f"key:{key}")
    assert find(kiosk.root, "follow:ok").enabled
    tap(kiosk.root, "follow:ok")
    assert on_screen(kiosk, "application_status")
    assert pump(lambda: "办理状态：已受理" in shown(kiosk.root))
    assert number in shown(kiosk.root) and find(kiosk.root, "follow:pickup") is None


def test_a_wrong_last_four_is_explained_on_the_keypad(kiosk):
    number = filed(kiosk, ID_NUMBER)
    tap(kiosk.root, "home:application_find")
    assert on_screen(kiosk, "application_find")
    wrong = "0000" if ID_NUMBER[-4:] != "0000" else "1111"
    for key in number.replace("-", "")[-12:] + wrong:
        tap(kiosk.root, f"key:{key}")
    tap(kiosk.root, "follow:ok")
    assert pump(lambda: "没有找到这个办件" in getattr(find(kiosk.root, "follow:status"), "text", ""))
    assert kiosk.ui.manager.current == "application_find"
    assert find(kiosk.root, "follow:ok").enabled is False      # typed afresh


def test_a_receipt_reprinted_on_the_kiosks_a4_printer_through_cups(kiosk):
    import shutil
    import subprocess

    from cups_server import CupsServer, missing
    from drivers.printer.a4 import LpPrinter
    from kiosk.flows.idcard import mask_name

    if missing() or shutil.which("pdftotext") is None:
        pytest.skip(missing() or "poppler-utils is not installed")
    number = filed(kiosk, ID_NUMBER, "accept")
    cups = CupsServer().start()
    kiosk.session.devices.a4 = LpPrinter(cups.queue, env=cups.env)     # a4_printer: a4
    try:
        tap(kiosk.root, "home:application_find")
        assert on_screen(kiosk, "application_find")
        kiosk.card.present(CARD)
        assert pump(lambda: number in shown(kiosk.root))
        index = next(i for i, a in enumerate(kiosk.session.flow.applications) if a["number"] == number)
        tap(kiosk.root, f"follow:{index}:receipt")
        assert pump(lambda: "已打印" in shown(kiosk.root), 20), cups.log()
        paper = subprocess.run(["pdftotext", "-layout", "-", "-"], input=cups.printed(),
                               capture_output=True, check=True).stdout.decode()
        assert number in paper and "受理凭证" in paper and mask_name(NAME) in paper
        assert NAME not in paper and ID_NUMBER not in paper
    finally:
        kiosk.session.devices.a4 = None
        cups.stop()
