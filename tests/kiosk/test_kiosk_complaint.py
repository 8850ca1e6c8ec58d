"""办不成事反映 at the kiosk: the flow's rules without a window (steps, the phone typed and
checked, one transaction, back), then in a real offscreen Kivy window against a real server
and broker: a complaint picked in big keys, filed, its slip printed in ESC/POS (decoded by the
printer simulator) with the case number, the day it will be answered by and its QR code; the
phone never on the slip, and the case assigned to the picked domain's lead."""
import os
import tempfile
from pathlib import Path

import pytest

from kiosk.flows.complaint import (COMPLAINT, COMPLAINT_PHONE, COMPLAINT_PROBLEM, DONE, FAILED,
                                   ISSUING, ComplaintFlow)
from kiosk_window import open_window, pump, shown, tap

COUNTY = Path(__file__).parents[2] / "firmware_configs/sites/county.yaml"
PHONE = "13700001234"
# The printed slip is drawn on every run; into docs/images only when asked (YC_SCREENSHOTS).
IMAGES = Path(os.environ.get("YC_SCREENSHOTS") or tempfile.mkdtemp(prefix="yc-kiosk-slip-"))


def flow() -> ComplaintFlow:
    return ComplaintFlow([], 65, new_transaction=lambda: "t1")


def test_the_flow_asks_domain_problem_phone_and_sends_once():
    f = flow()
    assert f.choose_problem("窗口说办不了") == COMPLAINT        # not yet: the domain first
    assert f.choose_domain("社保") == COMPLAINT_PROBLEM
    assert f.choose_problem("随便写的") == COMPLAINT_PROBLEM     # only the offered reasons
    assert f.choose_problem("窗口说办不了") == COMPLAINT_PHONE
    for key in "2370000":
        f.press(key)
    assert f.typed_personal
    assert f.submit() and f.step == COMPLAINT_PHONE              # not a mobile number
    f.press("clear")
    for key in PHONE + "9":                                      # the 12th digit is ignored
        f.press(key)
    assert f.phone == PHONE and f.submit() == "" and f.step == ISSUING
    assert f.request() == {"tried": "办理社保方面的事", "problem": "窗口说办不了", "domain": "社保",
                           "phone": PHONE}
    assert f.request() is None                                   # a double tap sends nothing
    assert f.on_response(None, "timeout") == FAILED and f.can_retry
    assert f.retry() is not None and f.transaction == "t1"       # the same transaction again
    case = {"number": "Q-C20261202-0001", "due": "2026-12-07", "url": "http://h/c/x", "hall": "青山"}
    assert f.on_response({"case": case}) == DONE
    assert f.phone == "" and not f.typed_personal                # sent once, then forgotten
    lines = [getattr(b, "text", "") for b in f.slip(32)]
    assert "Q-C20261202-0001" in lines and any("2026年12月7日" in t for t in lines)


def test_back_forgets_what_was_chosen_and_without_a_phone_none_is_sent():
    f = flow()
    f.choose_domain(None)
    f.choose_problem("其他问题")
    f.press("1")
    assert f.back() == COMPLAINT_PROBLEM and f.phone == "" and f.problem == ""
    assert f.back() == COMPLAINT and f.tried == ""
    f.choose_domain(None)
    f.choose_problem("其他问题")
    f.press("1")
    assert f.submit(with_phone=False) == "" and "phone" not in f.request()


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
    assert pump(lambda: session.view.tiles() and all(t.can_take for t in session.view.tiles()
                                                     if t.category != "fanying"), 15)
    yield type("Kiosk", (), dict(ui=ui, session=session, hall=hall, root=ui.root,
                                 printer=session.devices.simulators[0]))
    window.remove_widget(ui.root)
    session.stop()
    hall.stop()


def test_a_complaint_at_the_kiosk_prints_its_slip(kiosk, tmp_path):
    manager = kiosk.ui.manager
    kiosk.ui.go("home")
    assert pump(lambda: manager.current == "home")
    tap(kiosk.root, "home:complaint")
    assert pump(lambda: manager.current == "complaint")
    tap(kiosk.root, "domain:医保")
    assert pump(lambda: manager.current == "complaint_problem")
    tap(kiosk.root, "problem:1")
    assert pump(lambda: manager.current == "complaint_phone")
    for key in PHONE:
        tap(kiosk.root, f"key:{key}")
    assert pump(lambda: PHONE in shown(kiosk.root))
    assert kiosk.session.shows_personal_data               # the typed phone leaves with the citizen
    before = len(kiosk.printer.printed)
    tap(kiosk.root, "complaint:ok")
    assert pump(lambda: manager.current == "complaint_result" and kiosk.session.flow.step == DONE)
    case = kiosk.session.flow.case
    assert pump(lambda: len(kiosk.printer.printed) > before and "请取走回执" in shown(kiosk.root))
    assert case["number"] in shown(kiosk.root) and PHONE not in shown(kiosk.root)
    paper = kiosk.printer.printed[before]
    due = kiosk.session.flow.due_words()
    assert case["number"] in paper.texts and "办不成事反映回执" in paper.texts
    assert any(due in t for t in paper.texts) and "材料要求说不清楚" in paper.texts, paper.texts
    assert paper.qr_codes[0].data == case["url"] and "/c/" in case["url"]
    assert not any(PHONE in t for t in paper.texts)
    from drivers.printer.render import render_png
    assert render_png(paper, 576, IMAGES / "complaint-slip-80mm.png").stat().st_size > 2000
    filed = kiosk.hall.service.cases.staff_view(case["number"])
    assert (filed["channel"], filed["department"], filed["lead"], filed["phone"]) == \
        ("kiosk", "医保", "w7", "137****1234")
