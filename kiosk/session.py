"""The kiosk's brain without Kivy: it joins the hall bus, the devices and the flows.

Threads: bus callbacks arrive on paho's thread, card reads on the poller's thread, printing
and speech run on their own workers. Every result is handed to `post(fn, *args)`, which the
app implements with Kivy's Clock (so flows and views are only touched on the UI thread);
tests pass a post that runs immediately or queues for the test's thread.
"""
from __future__ import annotations

import logging
import time
from typing import Callable

from drivers.health import DeviceError
from queue_server.config.model import HallConfig, Host, KioskSettings

from .flows.hall_view import HallView
from .flows.idle import IdleTimer
from .flows.mode import Mode, mode_for
from .flows.ticket import DONE, FAILED, ISSUING, TicketFlow

log = logging.getLogger(__name__)

REQUEST_TIMEOUT_S = 5.0
PROBE_INTERVAL_S = 5.0      # how often to knock while the server does not answer


def call_now(fn, *args):
    fn(*args)


class Session:
    def __init__(self, hall: HallConfig, host: Host, client, devices, *,
                 post: Callable = call_now, clock=time.monotonic,
                 request_timeout_s: float = REQUEST_TIMEOUT_S,
                 probe_interval_s: float = PROBE_INTERVAL_S):
        self.hall = hall
        self.host = host
        self.settings: KioskSettings = host.kiosk
        self.client = client
        self.devices = devices
        self.post = post
        self._clock = clock
        self.view = HallView(hall.categories)
        self.flow = TicketFlow(list(hall.categories), hall.rules.elderly_age)
        self.elderly = self.settings.elderly_default
        self.idle = IdleTimer(self.mode.idle_timeout_s, clock)
        self.at_home = True
        self._listeners: list[Callable[[str], None]] = []
        self._probe_at = 0.0
        self.request_timeout_s = request_timeout_s
        self.probe_interval_s = probe_interval_s
        self.card_problem = ""     # why the last card was refused, in Chinese
        self.last_printed: dict | None = None     # what the printer was last handed (tests, bench)

    # -- wiring ---------------------------------------------------------------------------
    @property
    def mode(self) -> Mode:
        return mode_for(self.settings, self.elderly)

    def listen(self, fn: Callable[[str], None]) -> None:
        """fn(what) on the UI thread when something shown changed: hall, flow, devices, card."""
        self._listeners.append(fn)

    def _notify(self, what: str) -> None:
        for fn in list(self._listeners):
            fn(what)

    def start(self) -> None:
        self.client.on_connection(lambda up: self.post(self._connection, up))
        self.client.on_state(lambda suffix, payload: self.post(self._state, suffix, payload))
        self.devices.start(on_card=lambda record: self.post(self._card, record),
                           on_health=lambda health: self.post(self._health, health))
        self.client.start()

    def stop(self) -> None:
        self.devices.stop()
        self.client.stop()

    # -- from the bus and devices (already on the UI thread) -----------------------------
    def _connection(self, up: bool) -> None:
        self.view.set_connected(up)
        if up:
            self.client.publish_devices(self.devices.health())
        self._notify("hall")

    def _state(self, suffix: str, payload: dict) -> None:
        if self.view.update_state(suffix, payload):
            self._notify("hall")

    def _health(self, health: dict) -> None:
        for kind, value in health.items():
            self.view.set_device(kind, value)
        if self.client.connected:
            self.client.publish_devices(health)
        self._notify("devices")

    def _card(self, record) -> None:
        """A card on the reader; used only while the identity screen asks for it."""
        if self.flow.step != "identity":
            return
        problem = self.flow.identify(record.id_number, record.name, source="card")
        self.card_problem = problem
        self._after_choice()
        self._notify("card")

    # -- from the screens -----------------------------------------------------------------
    def touched(self) -> None:
        self.idle.touch()

    def set_elderly(self, on: bool) -> None:
        self.elderly = on
        self.idle.touch(self.mode.idle_timeout_s)
        self._notify("mode")

    def leave_home(self) -> None:
        self.at_home = False
        self.idle.touch(self.mode.idle_timeout_s)

    def go_home(self) -> None:
        """Back to the start: nothing of the last citizen stays (flow, typed digits, mode)."""
        self.flow.clear()
        self.card_problem = ""
        self.at_home = True
        self.elderly = self.settings.elderly_default
        self.idle.held = False
        self.idle.touch(self.mode.idle_timeout_s)
        self._notify("home")

    def new_ticket(self) -> None:
        """Start choosing a category afresh (the last ticket, if any, is finished with)."""
        if self.flow.step != "category":
            self.flow.clear()
            self.card_problem = ""

    def choose(self, tile) -> str:
        self.flow.choose(tile)
        return self._after_choice()

    def identify(self, id_number: str) -> str:
        """A typed ID number; its problem in Chinese, "" when accepted."""
        problem = self.flow.identify(id_number, source="manual")
        self._after_choice()
        return problem

    def choose_priority(self, priority: str) -> str:
        self.flow.choose_priority(priority)
        return self._after_choice()

    def _after_choice(self) -> str:
        if self.flow.step == ISSUING:
            args = self.flow.request()
            if args is not None:
                self._send(args)
        return self.flow.step

    def retry(self) -> None:
        args = self.flow.retry()
        if args is not None:
            self._send(args)
            self._notify("flow")

    def say(self, text: str) -> None:
        """Spoken guidance, in elderly mode only."""
        if self.mode.speak and text:
            self.devices.say(text)

    def tick(self) -> bool:
        """Called every second by the app: True when the idle time ran out (go home)."""
        now = self._clock()
        if self.view.server_down and self.client.connected and now >= self._probe_at:
            self._probe_at = now + self.probe_interval_s
            self.client.request_async("ticket.lookup", {"number": "A9999"},
                                      lambda data, error: self.post(self._probed, error),
                                      timeout=self.request_timeout_s)
        if not self.at_home and self.idle.expired():
            self.go_home()
            return True
        return False

    def _probed(self, error) -> None:
        # Any answer, even "no such ticket", proves the server is back.
        if error is None or error.code != "timeout":
            self.view.set_server_down(False)
            self._notify("hall")

    # -- the ticket -----------------------------------------------------------------------
    def _send(self, args: dict) -> None:
        self.idle.held = True
        self.client.request_async("ticket.issue", args,
                                  lambda data, error: self.post(self._answered, data, error),
                                  timeout=self.request_timeout_s,
                                  transaction=self.flow.transaction)

    def _answered(self, data: dict | None, error) -> None:
        self.idle.held = False
        code = error.code if error is not None else ""
        step = self.flow.on_response(data, code)
        if step == DONE:
            self.idle.touch(self.mode.ticket_show_s)
            ticket = dict(self.flow.ticket)
            self.devices.print_ticket(ticket, self._printed)
            self.say(self._spoken(ticket))
        elif step == FAILED:
            self.idle.touch(self.mode.idle_timeout_s)
            self.view.issue_refused(self.flow.category.id, code)
            if code == "timeout":
                self.view.set_server_down(True)
                self._probe_at = self._clock() + self.probe_interval_s
        self._notify("flow")

    def _printed(self, ticket: dict, error: DeviceError | None, health: dict) -> None:
        """From the printer worker: hand over to the UI thread."""
        self.post(self._on_printed, ticket, error, health)

    def _on_printed(self, ticket: dict, error: DeviceError | None, health: dict) -> None:
        self.last_printed = ticket
        current = self.flow.ticket and self.flow.ticket.get("number") == ticket.get("number")
        if current:
            self.flow.on_printed(error is None, self._print_problem(error))
            if error is not None:
                # Keep the number on screen long enough to photograph it.
                self.idle.touch(self.mode.ticket_show_unprinted_s)
        self._health(health)
        self._notify("flow")

    @staticmethod
    def _print_problem(error: DeviceError | None) -> str:
        """The printer's trouble as a citizen reads it (its own message is for staff)."""
        if error is None:
            return ""
        return "打印机缺纸" if error.code == "paper_out" else "打印机出了故障"

    @staticmethod
    def _spoken(ticket: dict) -> str:
        return (f"您的号码是{ticket.get('number', '')}，前面还有{ticket.get('waiting_ahead', 0)}"
                f"人，请留意叫号")
