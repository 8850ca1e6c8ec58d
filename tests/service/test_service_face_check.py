"""人证核验 results recorded with the ticket: stored, required where configured, never an image."""
import dataclasses
import json
import sqlite3

import pytest
from halls import hall, id_number

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
