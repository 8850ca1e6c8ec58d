"""The embedded broker, each of its programs (a private Mosquitto, and amqtt 0.12.1 plus our
two work-arounds), under what a hall does at start-up: many clients connecting and subscribing
at once, and retained states that only their subscribers may receive; what amqtt's process
loads; which program runs by default, and when it fails; who the Mosquitto runs as; where each
listens."""
from __future__ import annotations

import os
import re
import threading
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest

from bus_helpers import wait_until
from queue_server import broker as brokers
from queue_server.broker import PROGRAMS, BrokerError, EmbeddedBroker, free_port

CLIENTS = 40


def _client(port: int, name: str, on_message=None) -> mqtt.Client:
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=name)
    if on_message:
        client.on_message = on_message
    client.connect("127.0.0.1", port)
    client.loop_start()
    return client


def _close(clients) -> None:
    for client in clients:
        client.disconnect()    # before loop_stop: the network loop then ends at once
        client.loop_stop()


@pytest.mark.parametrize("program", PROGRAMS)
def test_many_clients_connecting_and_subscribing_at_once_all_stay_connected(program):
    port = free_port()
    with EmbeddedBroker("127.0.0.1", port, program=program):
        server = _client(port, "server-main")
        for n in range(CLIENTS):     # the window states a (re)starting hall has retained
            server.publish(f"yichuang/h/window/{n}/state", b"{}", qos=1, retain=True).wait_for_publish()
        drops, subscribed, got = [], [], []
        clients = []
        for n in range(CLIENTS):     # an agent's windows all (re)connecting together
            client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"window-{n}")
            client.on_connect = lambda c, u, f, rc, p, n=n: c.subscribe([
                (f"yichuang/h/window/{n}/response/#", 1), (f"yichuang/h/window/{n}/state", 1),
                ("yichuang/h/event/#", 1)])
            client.on_subscribe = lambda *args, n=n: subscribed.append(n)
            client.on_disconnect = lambda *args, n=n: drops.append(n)
            client.on_message = lambda c, u, m: got.append(m.topic)
            client.connect_async("127.0.0.1", port)
            client.loop_start()
            clients.append(client)
        assert wait_until(lambda: len(subscribed) == CLIENTS)
        server.publish("yichuang/h/event/call", b"{}", qos=1)
        assert wait_until(lambda: got.count("yichuang/h/event/call") == CLIENTS)
        assert drops == []
        _close(clients + [server])


@pytest.mark.parametrize("program", PROGRAMS)
def test_a_new_client_gets_only_the_retained_messages_it_subscribed_to(program):
    port = free_port()
    with EmbeddedBroker("127.0.0.1", port, program=program):
        server = _client(port, "server-main")
        watcher = _client(port, "display-1")
        watcher.subscribe("yichuang/h/queue/+/state", 1)
        server.publish("yichuang/h/queue/a/state", b'{"waiting": 1}', qos=1, retain=True).wait_for_publish()
        server.publish("yichuang/h/window/3/state", b'{"state": "idle"}', qos=1, retain=True).wait_for_publish()

        got = []
        kiosk = _client(port, "kiosk-k1", lambda c, u, m: got.append(m.topic))
        kiosk.subscribe("yichuang/h/kiosk/k1/response/#", 1)
        kiosk.subscribe("yichuang/h/window/+/state", 1)
        assert wait_until(lambda: "yichuang/h/window/3/state" in got)
        kiosk.publish("yichuang/h/kiosk/k1/response/x", b"{}", qos=1).wait_for_publish()
        assert wait_until(lambda: "yichuang/h/kiosk/k1/response/x" in got)
        # the queue state is retained and someone subscribed to it, but not this client
        assert "yichuang/h/queue/a/state" not in got
        _close([server, watcher, kiosk])


def test_the_broker_process_loads_amqtt_and_nothing_an_anonymous_broker_does_not_use(monkeypatch, capfd):
    # Every module it loads is memory the server pays for a second time (docs/bench/server.md).
    monkeypatch.setenv("PYTHONPROFILEIMPORTTIME", "1")    # the child logs its imports to stderr
    port = free_port()
    with EmbeddedBroker(port=port, program="amqtt"):
        client = _client(port, "import-check")   # it serves anonymous clients
        assert wait_until(client.is_connected, 5)
        _close([client])
    modules = {m.group(1).strip() for m in re.finditer(
        r"^import time:\s+\d+ \|\s+\d+ \| (.+)$", capfd.readouterr().err, re.MULTILINE)}
    assert "amqtt.broker" in modules
    packages = {name.split(".")[0] for name in modules}
    assert packages & {"pwdlib", "argon2", "_cffi_backend", "hall", "drivers", "kiosk"} == set()
    assert {name for name in modules if name.startswith("queue_server.")} == set()


def test_the_default_is_mosquitto_where_installed_else_amqtt(monkeypatch):
    assert EmbeddedBroker(port=free_port()).program == "mosquitto"   # installed here (.ci/debian-packages.txt)
    monkeypatch.setattr(brokers, "mosquitto_path", lambda: None)      # a machine without it
    port = free_port()
    with EmbeddedBroker(port=port) as fallback:
        assert fallback.program == "amqtt"
        client = _client(port, "fallback")
        assert wait_until(client.is_connected, 5)
        _close([client])


def _uid(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"^Uid:\s+(\d+)", status, re.MULTILINE).group(1))


def test_the_private_mosquitto_runs_as_user_mosquitto_when_started_by_root_and_leaves_no_file():
    port = free_port()
    with EmbeddedBroker(port=port, program="mosquitto") as broker:
        process = broker._broker._process
        assert Path(f"/proc/{process.pid}/exe").resolve().name == "mosquitto"
        if os.geteuid() == 0:
            assert _uid(process.pid) != 0
        assert broker._broker._tmp is None   # its config is read and gone once it listens


def test_a_taken_port_is_a_clear_error_for_either_program():
    for program in PROGRAMS:
        with EmbeddedBroker(port=free_port(), program="mosquitto") as running:
            with pytest.raises(BrokerError, match=f"port {running.port} on 127.0.0.1 is already in use"):
                EmbeddedBroker(port=running.port, program=program).start()


def test_a_mosquitto_that_ends_at_once_is_reported_or_by_default_replaced_by_amqtt(monkeypatch, caplog):
    # a config mosquitto refuses: what a broken install or a port lost in a race looks like
    monkeypatch.setattr(brokers, "private_config", lambda host, port: "no_such_option 1\n")
    with pytest.raises(BrokerError, match=r"could not start on 127.0.0.1:\d+: mosquitto ended at once"):
        EmbeddedBroker(port=free_port(), program="mosquitto").start(timeout=10)   # asked for by name
    port = free_port()
    with EmbeddedBroker(port=port) as chosen:    # the default: the hall still starts
        assert chosen.program == "amqtt"
        client = _client(port, "after-the-fallback")
        assert wait_until(client.is_connected, 5)
        _close([client])
    assert "the private Mosquitto did not start" in caplog.text


def test_a_mosquitto_started_from_a_thread_that_ends_keeps_serving():
    # its parent-death signal would come when that thread ends (a simulation's fault thread)
    port, started = free_port(), []
    starter = threading.Thread(target=lambda: started.append(EmbeddedBroker(port=port, program="mosquitto").start()))
    starter.start()
    starter.join()
    try:
        client = _client(port, "after-the-thread")
        assert wait_until(client.is_connected, 5)
        _close([client])
    finally:
        started[0].stop()


def _listening_addresses(port: int) -> set[str]:
    """The local addresses of the sockets listening on this port (IPv4 and IPv6), from /proc."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text().splitlines()[1:]:
            local, state = row.split()[1], row.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


@pytest.mark.parametrize("program", PROGRAMS)
def test_either_program_listens_on_loopback_only(program):
    # it has no passwords: a socket on 0.0.0.0 or the hall's LAN address would let anyone in
    port = free_port()
    with EmbeddedBroker(port=port, program=program):
        assert _listening_addresses(port) == {"0100007F"}   # 127.0.0.1, nothing else
