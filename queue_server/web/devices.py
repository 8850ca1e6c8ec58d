"""The console's own MQTT connection: availability and device health of kiosks and agents.

They publish retained `.../<role>/<id>/status` and `.../<role>/<id>/devices`; the manager's
alerts (device offline, printer out of paper) come from here.
"""
from __future__ import annotations

import json
import logging
from typing import Callable

from hall import __version__
from hall.protocol import topics
from hall.protocol.connection import BusConnection

log = logging.getLogger(__name__)
WATCHED_ROLES = ("kiosk", "agent", "display", "window")


def parse(topic: str) -> tuple[str, str] | None:
    """("kiosk/k1", "status" | "devices") for a watched topic, else None."""
    parts = topic.split("/")
    if len(parts) != 5 or parts[2] not in WATCHED_ROLES or parts[4] not in ("status", "devices"):
        return None
    return f"{parts[2]}/{parts[3]}", parts[4]


class DeviceWatcher:
    def __init__(self, hall: str, broker: str, deliver: Callable[[str, str, dict], None]):
        self._deliver = deliver
        base = f"{topics.ROOT}/{topics.check_name(hall, 'hall')}"
        self._conn = BusConnection(hall, "server", "console", broker, version=__version__,
                                   subscriptions=(f"{base}/+/+/status", f"{base}/+/+/devices"),
                                   on_message=self._receive)

    def start(self) -> None:
        self._conn.start()

    def stop(self) -> None:
        self._conn.stop()

    def wait_connected(self, timeout: float) -> bool:
        return self._conn.wait_connected(timeout)

    def _receive(self, topic: str, payload: bytes) -> None:
        found = parse(topic)
        if not found:
            return
        try:
            data = json.loads(payload)
        except (ValueError, UnicodeDecodeError):
            log.warning("ignoring a payload that is not JSON on %s", topic)
            return
        if isinstance(data, dict):
            self._deliver(*found, data)
