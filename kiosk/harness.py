"""A whole hall in one process: embedded broker, queue server, and a kiosk session with
simulated devices. Used by `yichuang bench kiosk`, the screenshot command and the tests;
nothing here is a stand-in: the server, broker, drivers and simulators are the real ones.
"""
from __future__ import annotations

import datetime as dt
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

from queue_server.broker import EmbeddedBroker, free_port
from queue_server.bus import HallBus
from hall.config.hall import load_hall_config
from hall.config.model import served_categories
from hall.protocol.client import HallClient

from .devices import open_devices
from .session import Session, call_now


def opening_hour(timezone: str) -> float:
    """Next Wednesday 10:00 hall-local, as a Unix time (a moment every example hall is open)."""
    today = dt.datetime.now(ZoneInfo(timezone)).date()
    wednesday = today + dt.timedelta(days=(2 - today.weekday()) % 7)
    return dt.datetime.combine(wednesday, dt.time(10, 0), ZoneInfo(timezone)).timestamp()


def open_hall_clock(timezone: str):
    """A server clock that runs from 10:00 on a working day: the example halls are open."""
    start, began = opening_hour(timezone), time.time()
    return lambda: start + (time.time() - began)


class LocalHall:
    def __init__(self, config_path: str | Path, host_id: str = "k1", db_dir: str | None = None,
                 clock=None):
        self.config = load_hall_config(config_path)
        self.host = self.config.host(host_id)
        if self.host is None:
            raise ValueError(f"no kiosk host '{host_id}' in {config_path}")
        self._tmp = None if db_dir else tempfile.TemporaryDirectory(prefix="yichuang-hall-")
        self.db = Path(db_dir or self._tmp.name) / "hall.sqlite"
        self.port = free_port()
        self.broker: EmbeddedBroker | None = None
        self.service = None
        self.bus = None
        self.clock = clock          # the server's clock (screenshots: a fixed opening hour)

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    def start(self) -> "LocalHall":
        from queue_server.service import HallService

        self.start_broker()
        extra = {"clock": self.clock} if self.clock else {}
        self.service = HallService(self.config, str(self.db), **extra)
        self.start_server()
        return self

    def start_server(self) -> None:
        """The server's hall bus (again): it republishes every state when it connects."""
        self.bus = HallBus(self.service, self.config, self.url)
        self.bus.start()
        if not self.bus.wait_connected(10):
            raise RuntimeError("the queue server did not connect to the embedded broker")

    def stop_server(self) -> None:
        """The server leaves the bus (the broker stays): requests go unanswered."""
        if self.bus is not None:
            self.bus.stop()
            self.bus = None

    def start_broker(self) -> None:
        self.broker = EmbeddedBroker("127.0.0.1", self.port).start()

    def stop_broker(self) -> None:
        if self.broker is not None:
            self.broker.stop()
            self.broker = None

    def session(self, post=call_now, simulate: bool = True, orientation: str = "",
                **options) -> Session:
        host = self.host
        if orientation:
            host = replace(host, kiosk=replace(host.kiosk, orientation=orientation))
        client = HallClient(self.config.id, "kiosk", host.id, self.url)
        devices = open_devices(self.config, host, simulate=simulate)
        return Session(self.config, host, client, devices, post=post, **options)

    def window_client(self, category: str, staff: str = "demo01") -> HallClient:
        """The client of a window serving `category`, on the bus, logged in by a staff
        account made for it (the caller stops it)."""
        ids = [c.id for c in self.config.categories]
        window_id = next(w.id for w in self.config.windows
                         if category in served_categories(w, ids))
        password = "harness-pass-1"
        if self.service.staff.get(staff) is None:
            self.service.staff.add(staff, "测试员", "window", password)
        client = HallClient(self.config.id, "window", window_id, self.url)
        client.start()
        if not client.wait_connected(10):
            raise RuntimeError("the window client did not connect")
        client.request("window.login", {"staff": staff, "password": password})
        return client

    def skip(self, window: HallClient, number: str) -> None:
        """The window calls until `number` comes (finishing the tickets before it) and
        marks it 过号: the citizen did not come."""
        while True:
            called = window.request("window.call_next")["ticket"]["number"]
            if called == number:
                window.request("window.skip")
                return
            window.request("window.finish")

    def stop(self) -> None:
        if self.bus is not None:
            self.bus.stop()
        if self.service is not None:
            self.service.close()
        self.stop_broker()
        if self._tmp is not None:
            self._tmp.cleanup()
