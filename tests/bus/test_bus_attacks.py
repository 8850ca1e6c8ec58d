"""The hall bus attacked from a kiosk or window account: nothing stops the server, guessing
is slowed, a ticket number opens nothing private, a worker that dies anyway is announced."""
from __future__ import annotations

import signal
import sys
from pathlib import Path

import pytest

from queue_server.broker import free_port
from queue_server.bus import HallBus
from queue_server.commands.server import EXIT_FAILED, StopSignal, serve, start_hall
from hall.protocol import schema
from hall.protocol.client import HallClient, RequestError

from bus_helpers import PASSWORD, RawPeer

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine"))
from halls import id_number  # noqa: E402  (invented ID numbers with a valid check digit)

embedded_only = pytest.mark.parametrize("broker", ["embedded"], indirect=True)


def test_a_deeply_nested_request_is_refused_and_the_hall_keeps_serving(server, clients, broker):
    kiosk = clients("kiosk", "k1")
    raw = RawPeer(broker.url, "kiosk", "k2")
    deep = b'{"transaction":"n1","category":"zonghe","x":' + b"[" * 1000 + b"]" * 1000 + b"}"
    tricky = b'{"transaction":"n2","category":"zonghe","s":"' + b"[{" * 900 + b'","x":[[1]]}'
    try:
        answer = raw.send("ticket.issue", deep)
        schema.validate("response", None, answer)
        assert (answer["transaction"], answer["error"]["code"]) == ("n1", "bad_request"), answer
        # a lone surrogate reads as JSON but fits no database row and no answer
        for payload in (b'{"transaction":"\\ud800","category":"zonghe"}',
                        b'{"transaction":"n3","category":"zonghe","service":"\\udfff"}'):
            assert raw.send("ticket.issue", payload)["error"]["code"] == "bad_request"
        # brackets inside a string are text, not nesting: this one is served
        assert raw.send("ticket.issue", tricky)["status"] == "ok"
    finally:
        raw.close()
    assert server.alive
    assert kiosk.request("ticket.issue", {"category": "zonghe"}, timeout=5)["ticket"]["number"] == "A0002"


def test_a_dead_worker_turns_the_status_offline_and_the_server_exits_non_zero(config, tmp_path, monkeypatch):
    def broken(self, items):   # fault injection: no payload can kill the worker any more
        raise RuntimeError("a bug in the worker")

    monkeypatch.setattr(HallBus, "_released", broken)
    previous = signal.getsignal(signal.SIGTERM)
    stop = StopSignal()
    try:
        hall = start_hall(config, tmp_path / "hall.sqlite", broker_port=free_port(), on_failure=stop.event.set)
        watcher = HallClient(config.id, "display", "d1", hall.broker_url)
        watcher.start()
        try:
            assert stop.event.wait(10), "the server was not told that its worker died"
            assert watcher.wait_server(False, 10), "the retained status still says online"
            assert serve(hall, stop) == EXIT_FAILED
        finally:
            watcher.stop()
    finally:
        signal.signal(signal.SIGTERM, previous)


@embedded_only
def test_window_login_on_the_bus_is_slowed_and_refuses_managers(server, clients):
    staff = server.service.staff
    staff.add("boss", "周瑜", "admin", PASSWORD)
    guesser, other = clients("window", "1"), clients("window", "2")
    answers = []
    for n in range(6):
        with pytest.raises(RequestError) as refused:
            guesser.request("window.login", {"staff": "w2", "password": f"guess-{n}"}, timeout=5)
        answers.append(refused.value.message)
    assert all(a.startswith("工号或密码错误") for a in answers[:3]), answers
    assert "秒后再试" in answers[-1], "the fourth and later guesses must wait"
    # the right password from the guessing window waits too: it is not even checked
    with pytest.raises(RequestError, match="秒后再试"):
        guesser.request("window.login", {"staff": "w2", "password": PASSWORD}, timeout=5)
    # ... but a stranger's guesses do not lock the right person out at another window
    assert other.request("window.login", {"staff": "w2", "password": PASSWORD}, timeout=5)["window"]["staff"]
    # console accounts never log in at a window, and the answer does not say the password was right
    with pytest.raises(RequestError) as admin:
        clients("window", "3").request("window.login", {"staff": "boss", "password": PASSWORD}, timeout=5)
    assert admin.value.code == "forbidden" and admin.value.message.startswith("工号或密码错误")


@embedded_only
def test_a_ticket_number_tells_a_kiosk_nothing_private(server, clients):
    issuer, other = clients("kiosk", "k1"), clients("kiosk", "k2")
    person = {"id_number": id_number(serial="432"), "name": "王小明"}
    issued = issuer.request("ticket.issue", {"category": "zonghe", "identity": person})["ticket"]
    assert issued["url"] and issued["id_last4"] == person["id_number"][-4:]   # the issuing kiosk prints them
    found = other.request("ticket.lookup", {"number": issued["number"]})["ticket"]
    assert (found["number"], found["status"], found["waiting_ahead"]) == (issued["number"], "waiting", 0)
    assert not {"url", "name_masked", "id_last4", "reason"} & set(found), found
