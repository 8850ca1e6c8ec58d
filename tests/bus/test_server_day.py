"""The day of a real `yichuang server` process over the bus: the automatic reset at hall-local
midnight, and a restart (SIGKILL) that resumes the day exactly."""
from __future__ import annotations

import datetime as dt
import struct
import time

import pytest

from hall.protocol.client import HallClient
from queue_server.staff import StaffDirectory
from queue_server.store import Store

from bus_helpers import HALL_YAML, PASSWORD, ServerProcess, wait_until

HALL = "testhall"


def seq(number: str) -> int:
    return int(number.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))


def zone_with_midnight_in(seconds: float, folder) -> str:
    """A time zone file (TZif v1, one fixed offset) in which hall-local midnight comes
    `seconds` from now: the server keeps its real clock, only the hall's zone is unusual."""
    offset = int(-(time.time() + seconds)) % 86400
    data = b"TZif" + b"\0" * 16 + struct.pack(">6l", 0, 0, 0, 0, 1, 4) + struct.pack(">lBB", offset, 0, 0) + b"TST\0"
    (folder / "Test").mkdir(parents=True, exist_ok=True)
    (folder / "Test" / "Midnight").write_bytes(data)
    return "Test/Midnight"


def with_staff(db) -> None:
    """The hall file with staff w1-w3 (window accounts), before the server opens it."""
    Store(str(db)).close()
    staff = StaffDirectory(str(db))
    for w in ("1", "2", "3"):
        staff.add(f"w{w}", "李明", "window", PASSWORD)
    staff.close()


def started(client: HallClient) -> HallClient:
    client.start()
    assert client.wait_connected(10)
    return client


# Time stamps, and the wait forecasts: the look-ahead counts how long each window has held its
# ticket, so a forecast made seconds later (after a restart) differs by design.
BY_THE_CLOCK = ("ts", "estimated_wait_s", "estimated_wait_range_s")


def steady_states(display: HallClient) -> dict:
    """The retained states without what depends on the moment they were made."""
    return {k: {f: v for f, v in p.items() if f not in BY_THE_CLOCK}
            for k, p in display.states().items()}


@pytest.mark.parametrize("broker", ["mosquitto"], indirect=True)
def test_the_day_resets_at_hall_local_midnight(broker, tmp_path, monkeypatch):
    zones = tmp_path / "zones"
    zone = zone_with_midnight_in(20, zones)
    monkeypatch.setenv("PYTHONTZPATH", str(zones))   # the server process reads its zones there
    config = tmp_path / "hall.yaml"
    config.write_text(HALL_YAML.read_text(encoding="utf-8").replace("Asia/Shanghai", zone), encoding="utf-8")
    with_staff(tmp_path / "hall.sqlite")
    server = ServerProcess(broker.url, tmp_path / "hall.sqlite", config)
    server.start()
    kiosk, window = HallClient(HALL, "kiosk", "k1", broker.url), HallClient(HALL, "window", "1", broker.url)
    display = HallClient(HALL, "display", "d1", broker.url)
    try:
        for c in (kiosk, window, display):
            started(c)
        assert kiosk.wait_server(True, 15), server.stop()
        before = [kiosk.request("ticket.issue", {"category": "zonghe"})["ticket"] for _ in range(3)]
        day = before[0]["date"]
        window.request("window.login", {"staff": "w1", "password": PASSWORD})
        called = window.request("window.call_next")["ticket"]
        hall = lambda: display.states().get("hall/state") or {}
        assert hall().get("date") == day, "midnight came before the test was ready"
        next_day = (dt.date.fromisoformat(day) + dt.timedelta(days=1)).isoformat()
        assert wait_until(lambda: hall().get("date") == next_day, 40), server.stop()
        # what still waited is cancelled, numbering restarts; the window keeps its login and ticket
        assert wait_until(lambda: (display.states().get("queue/zonghe/state") or {}).get("waiting") == 0)
        assert display.states()["window/1/state"]["ticket"] == called["number"]
        first = kiosk.request("ticket.issue", {"category": "zonghe"})["ticket"]
        assert (seq(first["number"]), first["date"]) == (1, next_day)
        assert window.request("window.finish")["ticket"]["number"] == called["number"]
        assert window.request("window.call_next")["ticket"]["number"] == first["number"]
    finally:
        for c in (kiosk, window, display):
            c.stop()
        server.stop()


@pytest.mark.parametrize("broker", ["mosquitto"], indirect=True)
def test_a_killed_server_resumes_the_day_exactly(broker, tmp_path):
    """SIGKILL mid-day, and the broker restarted empty too: what the new server publishes is
    the same day (waiting tickets, windows serving and calling, a paused window), and numbering
    goes on."""
    with_staff(tmp_path / "hall.sqlite")
    server = ServerProcess(broker.url, tmp_path / "hall.sqlite")
    server.start()
    kiosk = HallClient(HALL, "kiosk", "k1", broker.url)
    windows = {w: HallClient(HALL, "window", w, broker.url) for w in ("1", "2", "3")}
    display = HallClient(HALL, "display", "d1", broker.url)
    clients = [kiosk, *windows.values(), display]
    try:
        for c in clients:
            started(c)
        assert kiosk.wait_server(True, 15), server.stop()
        for category in ("zonghe",) * 5 + ("yibao",) * 2:
            kiosk.request("ticket.issue", {"category": category})
        kiosk.request("ticket.issue", {"category": "zonghe", "priority": "green"})
        for w, client in windows.items():
            client.request("window.login", {"staff": f"w{w}", "password": PASSWORD})
        windows["1"].request("window.call_next")
        windows["1"].request("window.start")                       # serving
        windows["3"].request("window.call_next")
        windows["3"].request("window.recall")                      # calling, attempt 2
        windows["2"].request("window.pause", {"reason": "外出"})   # paused
        kiosk.request("ticket.issue", {"category": "zonghe"})
        time.sleep(0.5)   # the last retained states reach the display (no assertion on time)
        before = steady_states(display)
        assert before["window/1/state"]["state"] == "serving" and before["window/2/state"]["state"] == "paused"

        server.kill()
        assert kiosk.wait_server(False, 10)
        broker.restart()                                           # no retained state survives
        for c in clients:
            assert c.wait_connected(20)
        server.start()
        late = started(HallClient(HALL, "display", "d2", broker.url))
        try:
            assert wait_until(lambda: steady_states(late) == before, 30), \
                (steady_states(late), before, server.stop())
            forecasts = [p.get("estimated_wait_s") for k, p in late.states().items()
                         if k.startswith("queue/") and p.get("waiting")]
            assert forecasts and all(isinstance(f, int) for f in forecasts)   # made again
        finally:
            late.stop()
        after = kiosk.request("ticket.issue", {"category": "zonghe"}, timeout=10)["ticket"]
        assert seq(after["number"]) == 8                           # A0001-A0007 were issued
        assert windows["1"].request("window.finish")["ticket"]["number"] == before["window/1/state"]["ticket"]
        recalled = windows["3"].request("window.recall")["ticket"]
        assert (recalled["number"], recalled["attempt"]) == (before["window/3/state"]["ticket"], 3)
        assert windows["2"].request("window.resume")["window"]["state"] == "idle"
    finally:
        for c in clients:
            c.stop()
        server.stop()
