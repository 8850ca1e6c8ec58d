"""A whole hall for the console's browser tests: broker, bus, service, console, Chromium.

One hall and one browser per test module (starting Chromium costs ~1 s). The hall runs on
the real clock, open all day every day, so the browser's time and the server's agree.
"""
from __future__ import annotations

import dataclasses
import os
import tempfile
from pathlib import Path

import pytest

from queue_server.broker import EmbeddedBroker, free_port
from queue_server.bus import HallBus
from hall.config.hall import load_hall_config
from hall.config.model import Hours
from hall.protocol.client import HallClient
from queue_server.service import HallService
from queue_server.web import start_console
from queue_server.sim.line import TcpRelay

ROOT = Path(__file__).resolve().parents[2]
# Screenshots are taken on every run (drawing the page is part of the test); they replace the
# pictures of docs/ only when asked: YC_SCREENSHOTS=docs/images make test. A plain run leaves
# the work tree as it found it.
IMAGES = Path(os.environ.get("YC_SCREENSHOTS") or tempfile.mkdtemp(prefix="yc-console-shots-"))
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SIZES = {"phone": {"width": 390, "height": 844}, "staff": {"width": 1366, "height": 768},
         "tv": {"width": 1920, "height": 1080}, "dashboard": {"width": 1440, "height": 900}}
# Invented staff of the test hall (no real people).
STAFF = {"w01": ("李小明", "window", "chuangkou1"), "w02": ("赵敏", "window", "chuangkou2"),
         "w03": ("周小红", "window", "chuangkou3"), "w04": ("钱进", "window", "chuangkou4"),
         "m01": ("王大力", "manager", "guanli123"), "a01": ("陈静", "admin", "xitong123")}


def always_open(config):
    return dataclasses.replace(config, hours=Hours(open=0, close=1440, lunch=None,
                                                   weekdays=(1, 2, 3, 4, 5, 6, 7), last_ticket_before_close=0))


class Hall:
    """The parts of a running hall a test talks to."""

    def __init__(self, tmp: Path, clock=None):
        """clock: the hall's time (the service's injectable clock), the real one by default."""
        self.config = always_open(load_hall_config(ROOT / "firmware_configs" / "sites" / "county.yaml"))
        self.broker = EmbeddedBroker("127.0.0.1", free_port()).start()
        self.service = HallService(self.config, str(tmp / "hall.sqlite"), **({"clock": clock} if clock else {}))
        for staff_id, (name, role, password) in STAFF.items():
            self.service.staff.add(staff_id, name, role, password)
        self.bus = HallBus(self.service, self.config, self.broker.url)
        self.bus.start()
        assert self.bus.wait_connected(10), "the queue server did not reach the test broker"
        self.console = start_console(self.service, self.config, host="127.0.0.1", port=0, broker=self.broker.url)
        self.kiosk = HallClient(self.config.id, "kiosk", "k1", self.broker.url)
        self.kiosk.start()
        assert self.kiosk.wait_connected(10)

    @property
    def url(self) -> str:
        return self.console.url

    def serve_again(self) -> None:
        """After console.stop(): a new console on the same port (a restarted server)."""
        port = int(self.url.rsplit(":", 1)[1])
        self.console = start_console(self.service, self.config, host="127.0.0.1", port=port, broker=self.broker.url)

    def issue(self, category: str = "zonghe") -> dict:
        """A ticket issued the way a kiosk does it: a request on the hall bus."""
        return self.kiosk.request("ticket.issue", {"category": category})["ticket"]

    def phone_url(self, ticket: dict) -> str:
        """The QR code's link, pointed at this test server instead of the configured public URL."""
        return self.url + "/t/" + ticket["url"].rsplit("/t/", 1)[1]

    def stop(self) -> None:
        self.kiosk.stop()
        self.console.stop()
        self.bus.stop()
        self.service.close()
        self.broker.stop()


@pytest.fixture(scope="module")
def hall(tmp_path_factory):
    h = Hall(tmp_path_factory.mktemp("hall"))
    yield h
    h.stop()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class NetworkCut(TcpRelay):
    """A TCP relay in front of the console, for pages that lose the network while the
    console and the hall go on: cut() drops every connection through it and refuses new
    ones until mend()."""

    def __init__(self, target_url: str):
        super().__init__(int(target_url.rsplit(":", 1)[1]))


def open_page(browser, hall: Hall, path: str, size: str, *, via: str | None = None):
    """A page in a new browser context (its own cookies) of a realistic size; `via`: another
    address of the console (a NetworkCut's)."""
    context = browser.new_context(viewport=SIZES[size], locale="zh-CN", timezone_id=hall.config.timezone)
    page = context.new_page()
    page.goto((via or hall.url) + path)
    return page


def login(browser, hall: Hall, staff_id: str, *, window: str | None = None, size: str = "staff",
          via: str | None = None):
    """A new browser context logged in through the login page; returns its page."""
    page = open_page(browser, hall, "/login", size, via=via)
    page.fill("input[name=staff]", staff_id)
    page.fill("input[name=password]", STAFF[staff_id][2])
    page.select_option("select[name=window]", window or "")
    page.click("button[type=submit]")
    # the next page, or the login page's error (said at once instead of a 30 s timeout)
    page.locator("#error:not(:empty), body.page-caller, body.page-dashboard").first.wait_for(timeout=10000)
    assert not page.url.split("?")[0].endswith("/login"), page.locator("#error").text_content()
    page.wait_for_url("**/caller" if window else "**/manage")
    return page


def shot(page, name: str, *, full_page: bool = False) -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(IMAGES / f"console-{name}.png"), full_page=full_page)
