"""The hall bus end to end: real broker (amqtt and Mosquitto), real server, real clients."""
from __future__ import annotations

import threading
import uuid

from hall.protocol import schema
from hall.protocol.client import HallClient, RequestError, wait_for_server

from bus_helpers import PASSWORD, RawPeer, ServerProcess, wait_until

HALL = "testhall"


def seq(number: str) -> int:
    return int(number.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))


def test_20_clients_issue_2000_tickets_without_duplicate_or_gap(server, clients):
    kiosks = [clients("kiosk", f"k{i}", watch=False) for i in range(1, 21)]
    issued: list[dict] = []
    errors: list[Exception] = []
    lock = threading.Lock()

    def issue(client: HallClient) -> None:
        for _ in range(100):
            try:
                ticket = client.request("ticket.issue", {"category": "zonghe"}, timeout=20)["ticket"]
            except RequestError as exc:
                errors.append(exc)
                continue
            with lock:
                issued.append(ticket)

    threads = [threading.Thread(target=issue, args=(k,)) for k in kiosks]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors
    numbers = [t["number"] for t in issued]
    assert len(numbers) == 2000
    assert len(set(numbers)) == 2000
    assert sorted(seq(n) for n in numbers) == list(range(1, 2001))
    for ticket in issued[:20]:
        schema.validate("response", "ticket.issue", {"ticket": ticket})


def test_same_transaction_gives_the_same_ticket_once(server, clients):
    kiosk = clients("kiosk", "k1")
    first = kiosk.request("ticket.issue", {"category": "zonghe"}, transaction="retry-1")["ticket"]
    again = kiosk.request("ticket.issue", {"category": "zonghe"}, transaction="retry-1")["ticket"]
    other = kiosk.request("ticket.issue", {"category": "zonghe"})["ticket"]
    assert again["number"] == first["number"]
    assert seq(other["number"]) == seq(first["number"]) + 1
    state = wait_until(lambda: (kiosk.states().get("queue/zonghe/state") or {}).get("waiting") == 2 and
                       kiosk.states()["queue/zonghe/state"])
    assert state, kiosk.states().get("queue/zonghe/state")


def test_late_subscriber_learns_everything_from_retained_states(server, clients, config):
    kiosk = clients("kiosk", "k1")
    for _ in range(3):
        kiosk.request("ticket.issue", {"category": "yibao"})
    late = clients("display", "d1")
    expected = {f"queue/{c.id}/state" for c in config.categories}
    expected |= {f"window/{w.id}/state" for w in config.windows} | {"hall/state"}
    states = wait_until(lambda: expected <= set(late.states()) and
                        late.states()["queue/yibao/state"]["waiting"] == 3 and late.states())
    assert states, late.states()
    queue = states["queue/yibao/state"]
    assert queue["prefix"] == "B" and queue["next"][0].startswith("B")
    assert states["hall/state"]["waiting"] == 3
    for suffix, payload in states.items():
        schema.validate("state", suffix.split("/")[0], payload)


def test_call_next_publishes_event_call(server, clients):
    kiosk = clients("kiosk", "k1")
    window = clients("window", "1")
    events: list[tuple[str, dict]] = []
    window.on_event(lambda name, payload: events.append((name, payload)))
    issued = kiosk.request("ticket.issue", {"category": "zonghe"})["ticket"]
    login = window.request("window.login", {"staff": "w1", "password": PASSWORD})
    schema.validate("response", "window.login", login)
    data = window.request("window.call_next")
    schema.validate("response", "window.call_next", data)
    called = data["ticket"]
    assert called["number"] == issued["number"] and called["window"] == "1"
    assert wait_until(lambda: any(name == "call" for name, _ in events))
    event = next(payload for name, payload in events if name == "call")
    window_state = wait_until(lambda: (kiosk.states().get("window/1/state") or {}).get("ticket") == issued["number"]
                              and kiosk.states()["window/1/state"])
    assert window_state and window_state["state"] in ("calling", "serving")
    window.request("window.finish")
    assert wait_until(lambda: any(name == "ticket_finished" for name, _ in events))
    for name, payload in events:   # ticket_issued, call, ticket_finished: each as documented
        schema.validate("event", name, payload)
    schema.validate("event", "call", event)
    assert (event["ticket"], event["window"], event["attempt"]) == (issued["number"], "1", 1)
    assert issued["number"] in event["text"]


def test_malformed_requests_get_bad_request_and_the_server_keeps_serving(server, clients, broker):
    kiosk = clients("kiosk", "k1")   # connected: the server is subscribed by now
    raw = RawPeer(broker.url, "kiosk", "k2")
    try:
        cases = [
            ("ticket.issue", b"{not json", None),
            ("ticket.issue", b'["transaction", "t1"]', None),
            ("ticket.issue", b'{"transaction": "t2", "category": 5}', "t2"),
            ("ticket.issue", b'{"category": "zonghe"}', None),
            ("ticket.issue", b'{"transaction": "t3", "category": "zonghe", "pad": "' + b"x" * 5000 + b'"}', "t3"),
            ("ticket.teleport", b'{"transaction": "t4"}', "t4"),
            ("ticket.issue", b"\xff\xfe\x00", None),
        ]
        for action, payload, txn in cases:
            answer = raw.send(action, payload)
            schema.validate("response", None, answer)
            assert answer["status"] == "error" and answer["error"]["code"] == "bad_request", (payload[:40], answer)
            assert answer["transaction"] == txn
        forbidden = raw.send("window.call_next", b'{"transaction": "t5"}')
        assert (forbidden["transaction"], forbidden["error"]["code"]) == ("t5", "forbidden")
        unknown = raw.send("ticket.issue", b'{"transaction": "t6", "category": "nosuch"}')
        assert unknown["error"]["code"] == "unknown_category"
        stranger = RawPeer(broker.url, "kiosk", "k99")   # a kiosk id the hall config does not list
        try:
            refused = stranger.send("ticket.issue", b'{"transaction": "t7", "category": "zonghe"}')
            assert (refused["transaction"], refused["error"]["code"]) == ("t7", "forbidden")
        finally:
            stranger.close()
    finally:
        raw.close()
    ticket = kiosk.request("ticket.issue", {"category": "zonghe"})["ticket"]
    assert seq(ticket["number"]) == 1   # nothing above created a ticket


def test_server_and_clients_survive_a_broker_restart(server, clients, broker):
    kiosk = clients("kiosk", "k1")
    first = kiosk.request("ticket.issue", {"category": "zonghe"})["ticket"]
    drops: list[bool] = []
    kiosk.on_connection(drops.append)
    broker.restart()
    assert wait_until(lambda: False in drops and kiosk.connected and server.connected, 20)
    second = kiosk.request("ticket.issue", {"category": "zonghe"}, timeout=10)["ticket"]
    assert seq(second["number"]) == seq(first["number"]) + 1
    # the restarted broker had no retained messages: the server published them again
    late = clients("display", "d1")
    assert wait_until(lambda: (late.states().get("queue/zonghe/state") or {}).get("waiting") == 2)


def test_killed_server_loses_no_announced_ticket_and_repeats_no_number(broker, config, tmp_path):
    """SIGKILL the server process while 5 kiosks issue; restart it; every ticket a kiosk was
    told about is still there, and no number was given twice."""
    server = ServerProcess(broker.url, tmp_path / "hall.sqlite")
    server.start()
    kiosks = [HallClient(HALL, "kiosk", f"k{i}", broker.url) for i in range(1, 6)]
    for k in kiosks:
        k.start()
    told: list[dict] = []
    stop = threading.Event()
    lock = threading.Lock()

    def issue(client: HallClient) -> None:
        while not stop.is_set():
            txn = uuid.uuid4().hex
            while True:   # a kiosk retries the same transaction until answered, even after stop
                try:
                    ticket = client.request("ticket.issue", {"category": "zonghe"}, transaction=txn, timeout=1)["ticket"]
                except RequestError as exc:
                    assert exc.code == "timeout", exc
                    continue
                with lock:
                    told.append(ticket)
                break

    try:
        assert wait_for_server(kiosks[0]), server.stop()
        threads = [threading.Thread(target=issue, args=(k,)) for k in kiosks]
        for t in threads:
            t.start()
        assert wait_until(lambda: len(told) >= 150, 30)
        server.kill()
        at_kill = len(told)
        server.start()
        assert wait_until(lambda: len(told) >= at_kill + 150, 40), server.stop()
        stop.set()
        for t in threads:
            t.join(10)
        numbers = [t["number"] for t in told]
        assert len(numbers) == len(set(numbers)), "a number was given twice"
        assert sorted(seq(n) for n in numbers) == list(range(1, len(numbers) + 1))
        checker = kiosks[0]
        for ticket in told[: at_kill + 5]:
            found = checker.request("ticket.lookup", {"number": ticket["number"]}, timeout=5)["ticket"]
            assert found["number"] == ticket["number"]
    finally:
        stop.set()
        for k in kiosks:
            k.stop()
        server.stop()
