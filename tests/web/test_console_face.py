"""人证核验 at the window in a real headless Chromium: the staff caller shows whether the
called ticket's holder was verified at the kiosk, its clerk marks 人工核验通过 after checking
the ID card, and the manager's export shows who did."""
from __future__ import annotations

from playwright.sync_api import expect

from conftest import login
from drivers.card_reader.simulator import SAMPLE_CARDS

LIVE_MS = 1000
FAILED = {"result": "fail", "distance": None, "liveness": "failed", "tries": 3, "at": 1767225600.0}


def take(hall, service: str, **args) -> dict:
    """A ticket for a catalogue item of 医保, taken at the kiosk over the bus."""
    return hall.kiosk.request("ticket.issue", {"category": "yibao", "service": service, **args})["ticket"]


def test_the_clerk_sees_a_failed_face_check_and_marks_the_id_card_checked(hall, browser):
    # YB-001 is filed after face verification (face_check in the catalogue); YB-003 is not.
    card = {"id_number": SAMPLE_CARDS["resident"].values["id_number"]}
    failed = take(hall, "YB-001", identity=card, face_check=FAILED)
    plain = take(hall, "YB-003")
    caller = login(browser, hall, "w01", window="7")
    button = caller.locator("[data-action=face_verify]")
    caller.keyboard.press("n")
    expect(caller.locator("#ticket")).to_have_text(failed["number"], timeout=LIVE_MS)
    face = caller.locator("#face-check")
    expect(face).to_have_text("人证核验：刷脸未通过（请到窗口由工作人员核验）")
    expect(button).to_be_visible()
    expect(button).to_contain_text("人工核验通过")

    button.click()
    expect(caller.locator("#message")).to_contain_text(f"已记录人工核验通过 {failed['number']}")
    expect(face).to_contain_text("人证核验：人工核验通过（w01 · ")
    expect(button).to_be_hidden()
    [stored] = [t for t in hall.service.tickets_of_day() if t["number"] == failed["number"]]
    assert stored["face_check"]["result"] == "staff" and stored["face_check"]["staff"] == "w01"
    [audit] = [a for a in hall.service.audit_log() if a["action"] == "ticket.face_verify"]
    assert (audit["staff"], audit["ticket"], audit["channel"]) == ("w01", failed["number"], "web")

    # the next holder needs no check: nothing is shown, and no button
    caller.keyboard.press("f")
    expect(caller.locator("#window-state")).to_have_text("空闲", timeout=LIVE_MS)
    caller.keyboard.press("n")
    expect(caller.locator("#ticket")).to_have_text(plain["number"], timeout=LIVE_MS)
    expect(face).to_be_hidden()
    expect(button).to_be_hidden()
    caller.keyboard.press("v")                 # its key does nothing either
    assert "face_check" not in [t for t in hall.service.tickets_of_day()
                                if t["number"] == plain["number"]][0]

    manager = login(browser, hall, "m01", size="dashboard")
    csv = manager.request.get(hall.url + "/api/export/tickets.csv").text()
    header, *rows = csv.lstrip("\ufeff").splitlines()
    assert header.endswith(",人证核验")
    [row] = [r for r in rows if f",{failed['number']}," in r]
    assert row.endswith(",人工核验通过（w01）")
    for page in (caller, manager):
        page.context.close()
