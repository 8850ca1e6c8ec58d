"""The console's own MQTT connection: availability and device health of kiosks and agents.

They publish retained `.../<role>/<id>/status` and `.../<role>/<id>/devices`; the manager's
alerts (device offline, printer out of paper) come from here.

Only the hall's devices count: the kiosks and agents of the hall config that have devices.
Command-line clients (`yichuang watch`, `ticket`, `window`: roles display, kiosk "cli", window)
come and go and are no hall device; a window's devices (display, keypad, evaluator pad) are
reported by the agent that drives them. Anything else on these topics, or larger than
MAX_PAYLOAD, is dropped (counted, the first one logged): forged topics from the hall's network
must not grow the console's state or raise alerts.
"""
from __future__ import annotations

import json
import logging
from typing import Callable

from hall import __version__
from hall.protocol import topics
from hall.protocol.connection import BusConnection

log = logging.getLogger(__name__)
MAX_PAYLOAD = 16 * 1024      # a host's health is a few hundred bytes


def hall_devices(config) -> frozenset[str]:
    """"kiosk/k1", "agent/a1": the configured hosts that have devices."""
    return frozenset(f"{h.role}/{h.id}" for h in config.hosts if h.devices)


def parse(topic: str) -> tuple[str, str] | None:
    """("kiosk/k1", "status" | "devices") for a status or devices topic, else None."""
    parts = topic.split("/")
    if len(parts) != 5 or parts[4] not in ("status", "devices"):
        return None
    return f"{parts[2]}/{parts[3]}", parts[4]


class DeviceWatcher:
    def __init__(self, hall: str, broker: str, deliver: Callable[[str, str, dict], None],
                 devices: frozenset[str]):
        self._deliver = deliver
        self._devices = devices
        self.dropped = 0
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
        if found[0] not in self._devices or len(payload) > MAX_PAYLOAD:
            self.dropped += 1
            if self.dropped == 1:
                log.warning("ignoring %s (%d bytes): not a device of the hall config, or too "
                            "large; later ones are only counted", topic, len(payload))
            return
        try:
            data = json.loads(payload)
        except (ValueError, UnicodeDecodeError):
            log.warning("ignoring a payload that is not JSON on %s", topic)
            return
        if isinstance(data, dict):
            self._deliver(*found, data)
