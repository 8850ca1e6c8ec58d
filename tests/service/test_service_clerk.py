"""The clerk's actions as the service records them, and 过号重排 over the bus contract
(issue 11)."""
import pytest

from drivers.card_reader.idnumber import check_digit
from hall.protocol import schema


def ok(reply):
    assert reply["status"] == "ok", reply
    return reply["data"]


@pytest.fixture
def staffed(open_service):
    service = open_service(max_recalls=1, requeue_behind=2, requeue_within_min=20)
    service.staff.add("s1", "李明", "window", "secret001")
    ok(service.handle("window", "4", "window.login", {"staff": "s1", "password": "secret001"}))
    return service


def issue(service, n=1):
    """n tickets a few seconds apart (as citizens take them)."""
    tickets = []
    for _ in range(n):
        service.clock.advance(5)
        tickets.append(ok(service.handle("kiosk", "k1", "ticket.issue", {"category": "a"}))["ticket"])
    return tickets


def test_a_recall_past_the_limit_is_recorded_as_the_no_show_it_was(staffed):
    issue(staffed)
    ok(staffed.handle("window", "4", "window.call_next", {}))
    assert staffed.retained_states()["window/4/state"]["recalls_left"] == 1
    ok(staffed.handle("window", "4", "window.recall", {}))
    assert staffed.retained_states()["window/4/state"]["recalls_left"] == 0
    t = ok(staffed.handle("window", "4", "window.recall", {}))["ticket"]
    assert t["status"] == "no_show"
    last, recall = staffed.audit_log(limit=2)
    assert (last["action"], last["ticket"], last["details"]) == \
        ("window.recall", "A001", {"result": "ok", "ticket_status": "no_show"})
    assert recall["details"]["ticket_status"] == "called"


def test_a_kiosk_requeues_a_skipped_ticket_and_the_place_survives_a_restart(staffed, open_service, clock):
    issue(staffed, 4)
    ok(staffed.handle("window", "4", "window.call_next", {}))
    skipped = ok(staffed.handle("window", "4", "window.skip", {}))["ticket"]
    assert skipped["requeue_until"] == clock.now + 20 * 60
    args = {"transaction": "rq1", "number": "A001"}
    schema.validate("request", "ticket.requeue", args)
    data = ok(staffed.handle("kiosk", "k2", "ticket.requeue", args))
    schema.validate("response", "ticket.requeue", data)
    assert (data["ticket"]["status"], data["ticket"]["waiting_ahead"]) == ("waiting", 2)
    assert staffed.retained_states()["queue/a/state"]["next"] == ["A002", "A003", "A001"]
    again = staffed.handle("kiosk", "k2", "ticket.requeue", {"number": "A001"})
    assert again["status"] == "error" and again["error"]["code"] == "conflict"
    staffed.close()
    reopened = open_service(max_recalls=1, requeue_behind=2, requeue_within_min=20)
    assert reopened.retained_states()["queue/a/state"]["next"] == ["A002", "A003", "A001"]


INVENTED = "11010119900307518"       # an invented person's first 17 digits


def test_a_kiosk_requeue_opens_no_more_of_the_ticket_than_a_lookup(staffed):
    """Anyone at a kiosk can type any number: no phone-page link, no holder."""
    ok(staffed.handle("kiosk", "k1", "ticket.issue", {"category": "a", "identity": {
        "id_number": INVENTED + check_digit(INVENTED), "name": "王测试"}}))
    issue(staffed, 1)
    for _ in range(2):
        ok(staffed.handle("window", "4", "window.call_next", {}))
        ok(staffed.handle("window", "4", "window.skip", {}))
    at_kiosk = ok(staffed.handle("kiosk", "k1", "ticket.requeue", {"number": "A001"}))["ticket"]
    assert at_kiosk["status"] == "waiting"
    assert not {"url", "name_masked", "id_last4"} & set(at_kiosk), at_kiosk
    by_clerk = ok(staffed.handle("window", "4", "ticket.requeue", {"number": "A002"}))["ticket"]
    assert by_clerk["url"]


def test_the_clerk_requeues_by_number_and_it_is_audited(staffed, clock):
    issue(staffed, 2)
    ok(staffed.handle("window", "4", "window.call_next", {}))
    ok(staffed.handle("window", "4", "window.skip", {}))
    clock.advance(21 * 60)
    late = staffed.handle("window", "4", "ticket.requeue", {"number": "A001"})
    assert late["error"]["message"] == "过号已超过重排时限，请重新取号"
    row = staffed.audit_log(limit=1)[0]
    assert (row["action"], row["staff"], row["details"]["result"]) == ("ticket.requeue", "s1", "conflict")


def test_bad_requeue_requests_are_refused_by_the_contract():
    for bad in ({}, {"number": 7}, {"number": "x" * 100}):
        with pytest.raises(schema.PayloadError):
            schema.validate("request", "ticket.requeue", bad)
