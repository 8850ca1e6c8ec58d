"""Fixtures of the hall bus tests: a real broker (the embedded broker's amqtt, and a private
Mosquitto, each started on a free port), a real HallService on a SQLite file, real HallClients."""
from __future__ import annotations

import sys

import pytest

from queue_server.broker import EmbeddedBroker, MosquittoBroker, free_port, mosquitto_path
from queue_server.bus import HallBus
from hall.config.hall import load_hall_config
from hall.protocol.client import HallClient

from bus_helpers import HALL_YAML, PASSWORD


class TestBroker:
    """A broker on a fixed free port that a test can restart."""

    def __init__(self, kind: str):
        self.kind, self.port = kind, free_port()
        self._broker = None

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    def start(self) -> None:
        # "embedded": amqtt, the program Mosquitto's tests (kind "mosquitto") do not cover
        self._broker = (MosquittoBroker(port=self.port) if self.kind == "mosquitto"
                        else EmbeddedBroker("127.0.0.1", self.port, program="amqtt"))
        self._broker.start()

    def stop(self) -> None:
        if self._broker:
            self._broker.stop()
            self._broker = None

    def restart(self) -> None:
        self.stop()
        self.start()


@pytest.fixture(autouse=True, scope="session")
def quick_thread_switches():
    """As `yichuang server` does: broker, server and clients share this process's GIL."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(0.0005)
    yield
    sys.setswitchinterval(before)


@pytest.fixture(params=["embedded", "mosquitto"])
def broker(request):
    if request.param == "mosquitto" and not mosquitto_path():
        pytest.fail("mosquitto is not installed (apt-get install mosquitto)")
    b = TestBroker(request.param)
    b.start()
    yield b
    b.stop()


@pytest.fixture
def config():
    return load_hall_config(HALL_YAML)


def add_staff(service) -> None:
    """One window account per window of the test hall: staff w<id>."""
    for window in service.config.windows:
        service.staff.add(f"w{window.id}", "李明", "window", PASSWORD)


@pytest.fixture
def server(broker, config, tmp_path):
    """HallService + HallBus in this process, connected to the broker."""
    from queue_server.service import HallService

    service = HallService(config, str(tmp_path / "hall.sqlite"))
    add_staff(service)
    bus = HallBus(service, config, broker.url)
    bus.start()
    assert bus.wait_connected(10), "the server did not connect to the broker"
    yield bus
    bus.stop()
    close = getattr(service, "close", None)
    if close:
        close()


@pytest.fixture
def clients(broker, config):
    """make(role, id) -> a started, connected HallClient; all stopped at the end."""
    made: list[HallClient] = []

    def make(role: str = "kiosk", client_id: str = "k1", watch: bool = True) -> HallClient:
        client = HallClient(config.id, role, client_id, broker.url, watch=watch)
        client.start()
        assert client.wait_connected(10), f"{role}-{client_id} did not connect"
        made.append(client)
        return client

    yield make
    for client in made:
        client.stop()
