"""`yichuang broker-config` output run by a real Mosquitto: the ACL holds."""
from __future__ import annotations

import dataclasses
import getpass

import paho.mqtt.client as mqtt
import pytest

from queue_server.broker import MosquittoBroker, free_port, mosquitto_path
from queue_server.bus import HallBus
from queue_server.commands import broker_config
from hall.config.model import Host
from hall.protocol.client import HallClient, RequestTimeout

from bus_helpers import PASSWORD, wait_until


@pytest.fixture
def secured(config, tmp_path):
    if not mosquitto_path():
        pytest.fail("mosquitto is not installed (apt-get install mosquitto)")
    port = free_port()
    passwords = broker_config.write(config, tmp_path / "mqtt", port=port, bind="127.0.0.1", user=getpass.getuser())
    broker = MosquittoBroker(port, config=tmp_path / "mqtt" / "mosquitto.conf").start()
    yield port, passwords
    broker.stop()


def url(port: int, passwords: dict, user: str) -> str:
    return f"mqtt://{user}:{passwords[user]}@127.0.0.1:{port}"


def test_acl_keeps_each_account_to_its_own_topics(secured, config, tmp_path):
    from queue_server.service import HallService

    port, passwords = secured
    service = HallService(config, str(tmp_path / "hall.sqlite"))
    service.staff.add("w1", "李明", "window", PASSWORD)
    bus = HallBus(service, config, url(port, passwords, "server-main"))
    bus.start()
    k1 = HallClient(config.id, "kiosk", "k1", url(port, passwords, "kiosk-k1"))
    k2 = HallClient(config.id, "kiosk", "k2", url(port, passwords, "kiosk-k2"))
    window = HallClient(config.id, "window", "1", url(port, passwords, "window-1"))
    # k1's credentials, posing as window 1 on window 1's request topic
    impostor = HallClient(config.id, "window", "1", url(port, passwords, "kiosk-k1"))
    clients = [k1, k2, window, impostor]
    spy_seen: list[str] = []
    spy = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="kiosk-k1-spy")
    spy.username_pw_set("kiosk-k1", passwords["kiosk-k1"])
    spy.on_message = lambda _c, _u, m: spy_seen.append(m.topic)
    try:
        assert bus.wait_connected(10)
        for c in clients:
            c.start()
        assert all(c.wait_connected(10) for c in (k1, k2, window))
        assert k1.wait_server(True, 10), "the ACL must let a kiosk read the server's status"
        spy.connect("127.0.0.1", port)
        spy.subscribe(f"yichuang/{config.id}/kiosk/k2/response/#", qos=1)
        spy.subscribe(f"yichuang/{config.id}/event/#", qos=1)
        spy.loop_start()

        ticket = k1.request("ticket.issue", {"category": "zonghe"})["ticket"]
        # a kiosk account cannot get a call through: the broker drops it, the server never sees it
        with pytest.raises(RequestTimeout):
            impostor.request("window.call_next", timeout=1.5)
        assert k1.request("ticket.lookup", {"number": ticket["number"]})["ticket"]["status"] == "waiting"
        # ... and cannot read another kiosk's responses
        k2.request("ticket.issue", {"category": "zonghe"})
        # the window account can call; the spy does get the event (it may read events), which
        # comes after k2's response: so k2's response would have reached it by now
        window.request("window.login", {"staff": "w1", "password": PASSWORD})
        called = window.request("window.call_next")["ticket"]
        assert called["number"] == ticket["number"]
        assert wait_until(lambda: any(t.endswith("/event/call") for t in spy_seen))
        assert not [t for t in spy_seen if "/response/" in t]
    finally:
        spy.loop_stop()
        spy.disconnect()
        for c in clients:
            c.stop()
        bus.stop()
        service.close()


def with_agent(config):
    """The test hall with an agent host a1 driving the displays of windows 1 and 2."""
    windows = tuple(dataclasses.replace(w, display=("a1", n)) if w.id in ("1", "2") else w
                    for n, w in enumerate(config.windows, 1))
    return dataclasses.replace(config, hosts=config.hosts + (Host("a1", "agent"),), windows=windows)


def test_an_agent_account_speaks_only_for_the_windows_it_drives(config, tmp_path):
    from queue_server.service import HallService

    if not mosquitto_path():
        pytest.fail("mosquitto is not installed (apt-get install mosquitto)")
    config = with_agent(config)
    port = free_port()
    passwords = broker_config.write(config, tmp_path / "mqtt", port=port, bind="127.0.0.1",
                                    user=getpass.getuser())
    broker = MosquittoBroker(port, config=tmp_path / "mqtt" / "mosquitto.conf").start()
    service = HallService(config, str(tmp_path / "hall.sqlite"))
    for staff in ("w1", "w3"):
        service.staff.add(staff, "李明", "window", PASSWORD)
    bus = HallBus(service, config, url(port, passwords, "server-main"))
    agent_url = url(port, passwords, "agent-a1")
    driven = HallClient(config.id, "window", "1", agent_url)
    not_driven = HallClient(config.id, "window", "3", agent_url)
    try:
        bus.start()
        assert bus.wait_connected(10)
        for client in (driven, not_driven):
            client.start()
        assert driven.wait_connected(10) and not_driven.wait_connected(10)
        assert driven.request("window.login", {"staff": "w1", "password": PASSWORD})
        with pytest.raises(RequestTimeout):
            not_driven.request("window.login", {"staff": "w3", "password": PASSWORD}, timeout=1.5)
        assert service.retained_states()["window/3/state"]["state"] == "closed"
    finally:
        for client in (driven, not_driven):
            client.stop()
        bus.stop()
        service.close()
        broker.stop()


def test_broker_config_writes_private_secrets_and_keeps_passwords(config, tmp_path):
    out = tmp_path / "mqtt"
    first = broker_config.write(config, out)
    again = broker_config.write(config, out)
    assert first == again
    kiosks = {f"kiosk-{h.id}" for h in config.hosts}
    assert {"kiosk-k1", "kiosk-k2", "kiosk-cli"} <= kiosks
    assert set(first) == {"server-main", "window-1", "window-2", "window-3"} | kiosks
    assert (out / "secrets").stat().st_mode & 0o077 == 0
    conf = (out / "mosquitto.conf").read_text()
    for line in ("set_tcp_nodelay true", "allow_anonymous false", "persistence true"):
        assert line in conf
    assert all(pw not in (out / "passwd").read_text() for pw in first.values())


def test_no_account_can_knock_the_server_off_and_huge_packets_are_refused(secured, config, tmp_path):
    from queue_server.service import HallService

    port, passwords = secured
    assert f"max_packet_size {broker_config.max_packet_bytes(config)}" in (tmp_path / "mqtt" / "mosquitto.conf").read_text()
    service = HallService(config, str(tmp_path / "hall.sqlite"))
    bus = HallBus(service, config, url(port, passwords, "server-main"))
    drops: list[bool] = []
    bus._conn.on_connection(lambda up: up or drops.append(True))
    kiosk = HallClient(config.id, "kiosk", "k1", url(port, passwords, "kiosk-k1"))
    got: list[int] = []
    watcher = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="watcher-of-devices")
    watcher.username_pw_set("server-main", passwords["server-main"])
    watcher.on_message = lambda _c, _u, m: got.append(len(m.payload))
    # a kiosk account connecting under the names the server's connection might use
    impostors = []
    for name in ("server-main", "server-console"):
        impostor = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=name)
        impostor.username_pw_set("kiosk-k1", passwords["kiosk-k1"])
        impostors.append(impostor)
    try:
        bus.start()
        kiosk.start()
        assert bus.wait_connected(10) and kiosk.wait_server(True, 10)
        for impostor in impostors:
            impostor.connect("127.0.0.1", port)
            impostor.loop_start()
        assert not wait_until(lambda: drops, 2), "a kiosk account knocked the server off the bus"
        assert kiosk.request("ticket.issue", {"category": "zonghe"}, timeout=5)["ticket"]["number"] == "A0001"
        # a 1 MB "device status" never reaches a reader; an ordinary one does
        watcher.connect("127.0.0.1", port)
        watcher.subscribe(f"yichuang/{config.id}/kiosk/k1/devices", qos=1)
        watcher.loop_start()
        devices = f"yichuang/{config.id}/kiosk/k1/devices"
        impostors[0].publish(devices, b'{"pad":"' + b"x" * 1_000_000 + b'"}', qos=1)
        kiosk.publish_devices({"printer": {"state": "ok"}})
        assert wait_until(lambda: got, 5) and max(got) < 1000, got
    finally:
        for client in (watcher, *impostors):
            client.loop_stop()
            client.disconnect()
        kiosk.stop()
        bus.stop()
        service.close()
