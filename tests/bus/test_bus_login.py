"""A staff login (a deliberately slow password hash) runs beside the hall's batches: the hall
keeps answering meanwhile, and the requests that window sent after its login wait for it."""
from __future__ import annotations

import threading

from bus_helpers import PASSWORD, wait_until


def test_a_login_holds_up_nobody_but_its_own_window(server, clients, monkeypatch):
    staff = server.service.staff
    real_verify, gate, verifying = staff.verify, threading.Event(), threading.Event()

    def held_verify(staff_id, password):   # the real check, held until the test lets it go
        verifying.set()
        gate.wait(20)
        return real_verify(staff_id, password)

    monkeypatch.setattr(staff, "verify", held_verify)
    kiosk, window = clients("kiosk", "k1"), clients("window", "1")
    answers: list[tuple[str, object, object]] = []
    window.request_async("window.login", {"staff": "w1", "password": PASSWORD},
                         lambda data, error: answers.append(("login", data, error)), timeout=30)
    assert verifying.wait(10)
    # sent after the login, before it is answered: must be served after it, not refused
    window.request_async("window.call_next", {},
                         lambda data, error: answers.append(("call", data, error)), timeout=30)
    ticket = kiosk.request("ticket.issue", {"category": "zonghe"}, timeout=10)["ticket"]
    assert answers == [], "the window's requests were answered before its login was checked"
    gate.set()
    assert wait_until(lambda: len(answers) == 2, 20)
    (first, login, login_error), (second, call, call_error) = answers
    assert (first, second, login_error, call_error) == ("login", "call", None, None)
    assert login["window"]["state"] == "idle" and call["ticket"]["number"] == ticket["number"]
