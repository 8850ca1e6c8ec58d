"""Evidence photos (整改材料) on a case through the console's API: the case's lead uploads one
from its window, a manager another; both see them, never cached; another window account and
anyone not logged in are refused; a photo over 4 MiB and a file that is no image are refused;
every view is audited; and the database file holds no image in clear (sealed like the
application photos). The bus carries no photos: its case.step has no such step."""
from __future__ import annotations

import io

import requests
from PIL import Image

from playwright.sync_api import expect

from conftest import login
from test_console_accounts import Client
from test_console_cases import PASSED, id_number



def jpeg(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "JPEG")
    return out.getvalue()


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), "blue").save(out, "PNG")
    return out.getvalue()


def bad_case(hall, serial: str) -> str:
    """A bad rating at window 9 (社保): its case is led by w9."""
    service = hall.service
    assert service.handle("window", "9", "window.login", {"staff": "w9", "password": "chuangkou9"})["status"] == "ok"
    ticket = hall.kiosk.request("ticket.issue", {"category": "shebao", "service": "SB-002",   # invented ID
                                                 "identity": {"id_number": id_number(serial=serial)},
                                                 "face_check": PASSED})["ticket"]
    for action in ("window.call_next", "window.start", "window.finish"):
        assert service.handle("window", "9", action, {})["status"] == "ok"
    assert service.handle("window", "9", "evaluation.submit", {"ticket": ticket["number"], "level": 1})["status"] == "ok"
    return next(c for c in service.cases.listing(kind="rating") if c["ticket"] == ticket["number"])["number"]


def upload(client: Client, path: str, data: bytes, kind: str = "image/jpeg") -> requests.Response:
    return client.http.post(client.url + path, data=data, timeout=20,
                            headers={"X-CSRF-Token": client.csrf, "Content-Type": kind})


def test_evidence_photos_sealed_and_shown_only_to_the_lead_and_managers(hall):
    number = bad_case(hall, "621")
    lead, manager, other, nobody = Client(hall), Client(hall), Client(hall), Client(hall)
    assert lead.login("w9", window="9").status_code == 200
    assert manager.login("m01").status_code == 200
    assert other.login("w02", window="2").status_code == 200
    window_path, manager_path = f"/api/window/cases/{number}/evidence", f"/api/cases/{number}/evidence"

    first, second = jpeg("red"), png()
    added = upload(lead, window_path, first)
    assert added.status_code == 200, added.text
    assert upload(manager, manager_path, second, "image/png").status_code == 200
    case = hall.service.cases.staff_view(number)
    assert [(e["index"], e["staff"]) for e in case["evidence"]] == [(0, "w9"), (1, "m01")]
    assert [n["action"] for n in case["notes"]] == ["evidence", "evidence"]

    # Both photos, to the lead and to a manager, as sent, never cached.
    for client, path in ((lead, window_path), (manager, manager_path)):
        for index, data, kind in ((0, first, "image/jpeg"), (1, second, "image/png")):
            got = client.get(f"{path}/{index}")
            assert (got.status_code, got.content, got.headers["Content-Type"]) == (200, data, kind)
            assert got.headers["Cache-Control"] == "no-store"
            assert got.headers["X-Content-Type-Options"] == "nosniff"
    views = [a for a in hall.service.audit_log() if a["action"] == "case.evidence_view"
             and a["details"]["case"] == number]
    assert sorted((a["staff"], a["details"]["photo"]) for a in views) == [
        ("m01", 0), ("m01", 1), ("w9", 0), ("w9", 1)]

    # Another window's account: neither sees nor adds, whatever path it tries; nobody logged in neither.
    assert other.get(f"{window_path}/0").status_code == 403
    assert upload(other, window_path, first).status_code == 403
    assert other.get(f"{manager_path}/0").status_code == 403
    assert nobody.get(f"{window_path}/0").status_code in (401, 403)
    assert nobody.get(f"{manager_path}/0").status_code in (401, 403)
    assert upload(nobody, manager_path, first).status_code in (401, 403)
    assert lead.get(f"{window_path}/7").status_code == 404

    # Oversized (refused before it is all read), and a file that is no image: nothing kept.
    big = first + b"\0" * (4 * 1024 * 1024)
    assert upload(lead, window_path, big).status_code == 413
    assert upload(lead, window_path, b"<svg onload=alert(1)>", "image/png").status_code == 400
    assert upload(lead, window_path, b"").status_code == 400
    assert len(hall.service.cases.staff_view(number)["evidence"]) == 2

    # At rest: no JPEG or PNG in clear anywhere in the database file (nor its WAL).
    hall.service.store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = open(hall.service.store.path, "rb").read()
    assert b"\xff\xd8\xff" not in raw and b"\x89PNG" not in raw and first[20:60] not in raw


def test_the_lead_adds_a_photo_on_its_case_page_and_the_manager_sees_it(hall, browser):
    number = bad_case(hall, "622")
    page = login(browser, hall, "w9", window="9")
    page.goto(hall.url + "/complaints")
    page.locator("#list a", has_text=number).click()
    expect(page.locator("#c-number")).to_have_text(number)
    page.set_input_files("#c-photo", files=[{"name": "整改.jpg", "mimeType": "image/jpeg",
                                             "buffer": jpeg("green")}])
    page.click("#c-photo-add")
    expect(page.locator("#c-evidence img")).to_have_count(1)
    expect(page.locator("#c-message")).to_contain_text("已保存")
    manager = login(browser, hall, "m01")
    manager.goto(hall.url + "/manage/cases#" + number)
    image = manager.locator("#c-evidence img")
    expect(image).to_have_count(1)
    expect(image).to_have_js_property("naturalWidth", 64)      # the photo itself, decrypted
