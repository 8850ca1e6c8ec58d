"""人证核验 results recorded with the ticket: stored, required where configured, never an image."""
import dataclasses
import json
import sqlite3

import pytest
from halls import hall, id_number

from hall.catalog import Catalog, Item
from hall.config.model import Category
from hall.protocol.schema import PayloadError, validate

PASSED = {"result": "pass", "distance": 0.41, "liveness": "passed", "tries": 1, "at": 1767225600.0}


def face_hall():
    base = hall()
    face = Category("f", "F", "出入境业务", real_name=True, face_verify=True)
    return dataclasses.replace(base, categories=base.categories + (face,))


def issue(service, **args):
    return service.handle("kiosk", "k1", "ticket.issue",
                          {"category": "f", "identity": {"id_number": id_number("19800101")}, **args})


def test_the_face_check_is_stored_with_the_ticket(open_service, tmp_path):
    service = open_service(config=face_hall())
    reply = issue(service, face_check=PASSED)
    assert reply["status"] == "ok", reply
    service.close()
    with sqlite3.connect(tmp_path / "hall.sqlite") as db:
        (stored,) = db.execute("SELECT face_check FROM tickets WHERE number = 'F001'").fetchone()
    assert json.loads(stored) == PASSED
    again = open_service(config=face_hall())
    assert again.engine.tickets[1].face_check == PASSED     # read back after a restart


def test_a_category_that_asks_for_it_refuses_a_ticket_without_it(open_service):
    # The bus is not a way round the kiosk's check.
    reply = issue(open_service(config=face_hall()))
    assert reply["status"] == "error" and reply["error"]["code"] == "bad_request"
    assert reply["error"]["message"] == "此业务需要人证核验"


def test_a_failed_check_still_gets_a_ticket_for_staff_to_verify(open_service):
    failed = dict(PASSED, result="fail", liveness="failed", tries=3)
    assert issue(open_service(config=face_hall()), face_check=failed)["status"] == "ok"


def test_nothing_but_the_result_fits_in_the_field(open_service):
    # Both the bus contract and the engine (which the console reaches without the bus) refuse.
    service = open_service(config=face_hall())
    for extra in ({"image": "data:image/jpeg;base64,/9j/4AAQ"}, {"embedding": [0.1] * 128}):
        with pytest.raises(PayloadError):
            validate("request", "ticket.issue", {"transaction": "t1", "category": "f",
                                                 "face_check": dict(PASSED, **extra)})
        reply = issue(service, face_check=dict(PASSED, **extra))
        assert reply["status"] == "error" and reply["error"]["code"] == "bad_request", extra
    validate("request", "ticket.issue", {"transaction": "t1", "category": "f", "face_check": PASSED})
    assert service.tickets_of_day() == []


ITEM_CATALOG = Catalog(domains=("综合",), items=(
    Item("zh09", "自助证明开具", "综合", "a", kiosk=True, face_check=True),
    Item("zh01", "证明开具", "综合", "a", kiosk=True)))


def test_an_item_filed_after_face_verification_needs_the_card_and_the_check(open_service):
    # Category a asks for neither; its item zh09 does (face_check in the catalogue), and the
    # bus is no way round the kiosk for it either.
    service = open_service(config=dataclasses.replace(hall(), catalog=ITEM_CATALOG))
    card = {"id_number": id_number("19800101")}
    refusals = [({"identity": card}, "此事项需要人证核验"),
                ({"face_check": PASSED}, "此事项需要刷身份证取号")]
    for args, message in refusals:
        reply = service.handle("kiosk", "k1", "ticket.issue",
                               {"category": "a", "service": "zh09", **args})
        assert reply["status"] == "error" and reply["error"]["message"] == message, reply
    assert service.tickets_of_day() == []
    reply = service.handle("kiosk", "k1", "ticket.issue", {"category": "a", "service": "zh09",
                                                           "identity": card, "face_check": PASSED})
    assert reply["status"] == "ok", reply
    assert service.engine.tickets[1].face_check == PASSED
    # The other items of the category, and the category itself, take no check.
    for args in ({"service": "zh01"}, {}):
        assert service.handle("kiosk", "k1", "ticket.issue",
                              {"category": "a", **args})["status"] == "ok"


FAILED = dict(PASSED, result="fail", distance=None, liveness="failed", tries=3)


def at_window(service, face_check, window="1"):
    """A ticket of the face category taken at the kiosk, called at a window by its clerk."""
    assert issue(service, face_check=face_check)["status"] == "ok"
    if service.staff.get("w1") is None:
        service.staff.add("w1", "李明", "window", "mima-1234")
    service.handle("window", window, "window.login", {"staff": "w1", "password": "mima-1234"})
    return service.handle("window", window, "window.call_next", {})["data"]["ticket"]["number"]


def test_the_clerk_verifies_a_failed_holder_at_the_window_audited(open_service, tmp_path):
    service = open_service(config=face_hall())
    number = at_window(service, FAILED)
    assert service.face_at_window("1") == {"ticket": number, "result": "fail", "at": FAILED["at"]}
    reply = service.handle("window", "1", "ticket.face_verify", {"transaction": "v1"},
                           channel="web")
    assert reply["status"] == "ok", reply
    validate("response", "ticket.face_verify", reply["data"])
    at = reply["data"]["face_check"]["at"]
    assert reply["data"]["face_check"] == {"ticket": number, "result": "staff", "staff": "w1", "at": at}
    assert service.face_at_window("1")["result"] == "staff"
    [listed] = [t for t in service.tickets_of_day() if t["number"] == number]
    assert listed["face_check"]["result"] == "staff"          # the manager's ticket list
    [audit] = [a for a in service.audit_log() if a["action"] == "ticket.face_verify"]
    assert (audit["staff"], audit["window"], audit["ticket"], audit["channel"]) == ("w1", "1", number, "web")
    service.close()
    with sqlite3.connect(tmp_path / "hall.sqlite") as db:
        (stored,) = db.execute("SELECT face_check FROM tickets WHERE number = ?", [number]).fetchone()
    # who and when, and the kiosk's own result kept underneath
    assert json.loads(stored) == {"result": "staff", "staff": "w1", "at": at, "kiosk": FAILED}
    again = open_service(config=face_hall())
    assert again.face_at_window("1")["result"] == "staff"      # after a restart
    refused = again.handle("window", "1", "ticket.face_verify", {})
    assert refused["error"] == {"code": "conflict", "message": "这个号已经核验过了"}


def test_staff_verification_is_refused_where_it_has_no_place(open_service):
    service = open_service(config=face_hall())
    service.staff.add("w1", "李明", "window", "mima-1234")
    service.handle("window", "1", "window.login", {"staff": "w1", "password": "mima-1234"})
    # no ticket called
    assert service.handle("window", "1", "ticket.face_verify", {})["error"]["message"] == "请先叫号，再核验"
    # a ticket whose category asks for no face check
    service.handle("kiosk", "k1", "ticket.issue", {"category": "a"})
    service.handle("window", "1", "window.call_next", {})
    assert service.face_at_window("1") is None
    assert service.handle("window", "1", "ticket.face_verify", {})["error"]["message"] == "这个号不需要人证核验"
    service.handle("window", "1", "window.finish", {})
    # a holder the kiosk verified already
    at_window(service, PASSED)
    assert service.handle("window", "1", "ticket.face_verify", {})["error"]["code"] == "conflict"
    # a kiosk cannot mark it, nor claim it in the ticket: only the window's clerk
    assert service.handle("kiosk", "k1", "ticket.face_verify", {})["error"]["code"] == "forbidden"
    claimed = issue(service, face_check=dict(FAILED, result="staff"))
    assert claimed["error"]["code"] == "bad_request"
    with pytest.raises(PayloadError):
        validate("request", "ticket.issue", {"transaction": "t2", "category": "f",
                                             "face_check": dict(FAILED, result="staff")})
    assert all(t["face_check"]["result"] != "staff" for t in service.tickets_of_day()
               if "face_check" in t)
