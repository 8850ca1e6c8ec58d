"""The hall's live picture inside the console, and the fan-out to every open page (SSE).

Everything runs on the console's event loop: the service's listener (called on other
threads) hands changes over with call_soon_threadsafe. A page that connects, or reconnects
after a network cut, first gets the whole snapshot, then every change: it never depends on
having seen earlier messages.
"""
from __future__ import annotations

import asyncio
import json
import logging
from collections import deque

log = logging.getLogger(__name__)

RECENT_CALLS = 12
QUEUE_LIMIT = 500          # messages buffered for a slow page before it is dropped (it reconnects)


class Subscriber:
    def __init__(self, audience: str, session_token: str | None = None):
        self.audience = audience            # "public" or "manager": managers also get dashboards
        self.session_token = session_token
        self.queue: asyncio.Queue = asyncio.Queue(QUEUE_LIMIT)

    def send(self, event: str, data: dict) -> bool:
        try:
            self.queue.put_nowait((event, data))
            return True
        except asyncio.QueueFull:
            return False

    def close(self) -> None:
        """Drop what is buffered and tell the page's stream to end."""
        while not self.queue.empty():
            self.queue.get_nowait()
        self.queue.put_nowait(("close", {}))


class LiveHub:
    def __init__(self):
        self.states: dict[str, dict] = {}                  # "queue/a/state" -> payload
        self.calls: deque[dict] = deque(maxlen=RECENT_CALLS)
        self.devices: dict[str, dict] = {}                 # "kiosk/k1" -> {"status", "devices"}
        self.dashboard: dict | None = None                 # managers' figures, set by the feed
        self.version = 0                                   # bumps on every change
        self._subscribers: set[Subscriber] = set()
        self._changed = asyncio.Event()

    # -- input -----------------------------------------------------------------------------
    def load(self, retained: dict[str, dict]) -> None:
        """The service's retained states, keyed by topic suffix."""
        self.states.update(retained)
        self._bump()

    def apply(self, kind: str, suffix: str, payload: dict) -> None:
        """One change from the service: kind "state" (suffix "window/3/state") or "event"."""
        if kind == "state":
            self.states[suffix] = payload
            self._broadcast("state", {"key": suffix, "value": payload})
        elif suffix == "event/call":
            # one entry per ticket: a recall moves its ticket to the top, never adds a row
            for old in [c for c in self.calls if c.get("ticket") == payload.get("ticket")]:
                self.calls.remove(old)
            self.calls.appendleft(payload)
            self._broadcast("call", payload)
        else:
            self._broadcast("event", {"name": suffix.split("/", 1)[-1], "value": payload})
        self._bump()

    def apply_device(self, key: str, part: str, payload: dict) -> None:
        """Availability ("status") or health ("devices") of a kiosk or agent."""
        self.devices.setdefault(key, {})[part] = payload
        self._broadcast("device", {"key": key, "part": part, "value": payload})
        self._bump()

    def set_dashboard(self, figures: dict) -> None:
        self.dashboard = figures
        self._broadcast("dashboard", figures, audience="manager")

    def notify_session(self, token: str, event: str, data: dict) -> None:
        for sub in list(self._subscribers):
            if sub.session_token == token:
                sub.send(event, data)

    def close_session(self, token: str) -> None:
        """End the open streams of a session that was logged out (they reconnect as visitors)."""
        for sub in [s for s in self._subscribers if s.session_token == token]:
            self._subscribers.discard(sub)
            if not sub.send("close", {}):    # after what is queued (the message saying why)
                sub.close()

    # -- output ----------------------------------------------------------------------------
    def snapshot(self, audience: str = "public") -> dict:
        snap = {"states": self.states, "calls": list(self.calls), "devices": self.devices}
        if audience == "manager" and self.dashboard is not None:
            snap["dashboard"] = self.dashboard
        return snap

    def subscribe(self, audience: str = "public", session_token: str | None = None) -> Subscriber:
        sub = Subscriber(audience, session_token)
        sub.send("snapshot", self.snapshot(audience))
        self._subscribers.add(sub)
        if audience == "manager":
            self._bump()   # wake the dashboard feed: it sleeps while no manager watches
        return sub

    def has_managers(self) -> bool:
        return any(sub.audience == "manager" for sub in self._subscribers)

    def unsubscribe(self, sub: Subscriber) -> None:
        self._subscribers.discard(sub)

    async def wait_change(self, seen: int, timeout: float) -> int:
        """Return the version once it differs from `seen` (or after timeout)."""
        if self.version == seen:
            event = self._changed
            try:
                await asyncio.wait_for(event.wait(), timeout)
            except asyncio.TimeoutError:
                pass
        return self.version

    def _broadcast(self, event: str, data: dict, audience: str = "public") -> None:
        for sub in list(self._subscribers):
            if audience == "manager" and sub.audience != "manager":
                continue
            if not sub.send(event, data):
                log.warning("a page fell %d messages behind; dropping it (it will reconnect)", QUEUE_LIMIT)
                self._subscribers.discard(sub)
                sub.close()

    def _bump(self) -> None:
        self.version += 1
        self._changed.set()
        self._changed = asyncio.Event()


def sse_frame(event: str, data: dict) -> bytes:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"event: {event}\ndata: {body}\n\n".encode("utf-8")
