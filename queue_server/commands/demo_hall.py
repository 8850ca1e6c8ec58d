"""The demo's living hall: citizens arrive, windows call and serve, ratings come in.

Everything goes over the hall bus as real clients do: a kiosk client takes the tickets, and
each live window's own client (the one its simulated keypad uses in the display agent, so no
second client takes its MQTT id) logs in, calls, starts, finishes and sends the citizen's
rating. The pace is one a person can follow: a citizen every ~10 s, 30-60 s at the window.
The hall's first window is left to the visitor (the greeting's commands use it).
"""
from __future__ import annotations

import logging
import random
import threading

from hall.config.model import HallConfig, Window
from hall.protocol.client import HallClient, RequestError

log = logging.getLogger(__name__)
LIVE_WINDOWS = 5
ARRIVAL_S = (6.0, 14.0)          # between two citizens
SERVICE_S = (30.0, 60.0)         # at the window, once called
WALK_S = (3.0, 6.0)              # from the call to the window
LEVELS = (5, 5, 5, 4, 4, 3, 2)   # ratings, mostly satisfied


def live_windows(config: HallConfig) -> list[Window]:
    """One window per category (its first window, not the hall's first), at most LIVE_WINDOWS.
    Real-name categories are left out: the demo invents no ID numbers."""
    chosen: dict[str, Window] = {}
    for window in config.windows[1:]:
        first = window.categories[0] if window.categories else ""
        category = config.category(first)
        if (category and not category.real_name and first not in chosen
                and len(chosen) < LIVE_WINDOWS):
            chosen[first] = window
    return list(chosen.values())


class LiveHall:
    def __init__(self, config: HallConfig, kiosk: HallClient, windows: dict[str, HallClient],
                 password: str, *, pace: float = 1.0, seed: int | None = None):
        self.config, self.kiosk, self.password, self.pace = config, kiosk, password, pace
        self.windows = {w.id: windows[w.id] for w in live_windows(config) if w.id in windows}
        self.categories = sorted({config.window(w).categories[0] for w in self.windows})
        self._random = random.Random(seed)
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> "LiveHall":
        self.kiosk.start()
        workers = [("citizens", self._arrivals)] + [
            (f"window-{w}", lambda w=w: self._serve(w)) for w in self.windows]
        for name, target in workers:
            thread = threading.Thread(target=target, name=f"demo-{name}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(5)
        self.kiosk.stop()

    def _pause(self, span: tuple[float, float]) -> bool:
        """Wait a random time in span (scaled by pace); False when the demo stops."""
        return not self._stop.wait(self._random.uniform(*span) * self.pace)

    def _ask(self, client: HallClient, action: str, args: dict | None = None) -> dict | None:
        try:
            return client.request(action, args or {}, timeout=5)
        except RequestError as exc:     # e.g. nobody waiting: the window tries again later
            log.debug("demo %s: %s", action, exc)
            return None

    def _arrivals(self) -> None:
        self.kiosk.wait_connected(10)
        for category in self.categories:         # a few citizens are already there
            self._ask(self.kiosk, "ticket.issue", {"category": category})
        while self._pause(ARRIVAL_S):
            self._ask(self.kiosk, "ticket.issue",
                      {"category": self._random.choice(self.categories)})

    def _serve(self, window: str) -> None:
        client = self.windows[window]
        client.wait_connected(10)
        self._ask(client, "window.login", {"staff": f"w{window}", "password": self.password})
        while not self._stop.is_set():
            called = self._ask(client, "window.call_next")
            if not called or not called.get("ticket"):
                if not self._pause((1.0, 3.0)):
                    return
                continue
            ticket = called["ticket"]["number"]
            if not (self._pause(WALK_S) and self._ask(client, "window.start") is not None
                    and self._pause(SERVICE_S)):
                continue
            self._ask(client, "window.finish")
            self._ask(client, "evaluation.submit",
                      {"ticket": ticket, "level": self._random.choice(LEVELS)})
            self._pause(WALK_S)
