"""One RS-485 window bus: the only thing that touches its serial port.

Half-duplex: one exchange at a time (request, then the reply within `timeout` seconds), so
every exchange holds the transport's lock. A request without a valid reply is sent again
`retries` times; then the address is marked `error/no_reply` (or `bad_frame` when replies
came back corrupted) and goes back to `ok` the next time it answers. A port that vanished
marks every address `absent`; the transport reopens it on the next exchange.

Devices (displays, caller keypads, evaluator pads) are objects with `address`, `kind` and
`tick(bus)`; the bus's worker thread ticks each of them every `poll_interval` seconds (a
keypad asks for key presses, a display sends text it still owes) and at once after `wake()`.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Protocol

from ..health import OK, DeviceError, Health
from ..threads import DriverThread
from ..transport import SerialTransport
from .codec import Codec
from .frame import Frame

log = logging.getLogger(__name__)

KIND_NAMES = {"display": "显示屏", "keypad": "呼叫器", "evaluator": "评价器"}


class BusDevice(Protocol):
    address: int
    kind: str

    def tick(self, bus: "Bus") -> None: ...


class Bus(DriverThread):
    def __init__(self, port: str, *, baudrate: int = 9600, timeout: float = 0.3,
                 retries: int = 2, poll_interval: float = 0.2):
        super().__init__()
        self.transport = SerialTransport(port, baudrate, timeout=timeout)
        self.timeout = timeout
        self.retries = retries
        self.poll_interval = poll_interval
        self.devices: dict[int, BusDevice] = {}
        self._health: dict[int, Health] = {}
        self._wake = threading.Event()

    @property
    def port(self) -> str:
        return self.transport.url

    def add(self, device: BusDevice) -> BusDevice:
        if device.address in self.devices:
            raise ValueError(f"bus {self.port}: address {device.address} is used twice")
        self.devices[device.address] = device
        self._health.setdefault(device.address, OK)
        return device

    # -- exchanges ---------------------------------------------------------------------
    def exchange(self, codec: Codec, request: Frame, *, reply: bool = True) -> Frame | None:
        """Send `request`; return its reply (None when no reply is expected).

        Raises DeviceError: `absent` (no port) or `no_reply` / `bad_frame` after the retries.
        """
        address = request.address
        data = codec.encode(request)
        with self.transport.lock:
            corrupted = False
            for _attempt in range(1 + self.retries):
                try:
                    self.transport.discard_input()
                    self.transport.write(data)
                    if not reply:
                        return None
                    answer, bad = self._read_reply(codec, request)
                except DeviceError as exc:
                    self._port_lost(exc.health)
                    raise
                corrupted = corrupted or bad
                if answer is not None:
                    self._set(address, OK)
                    return answer
            raise self._failed(address, corrupted)

    def _read_reply(self, codec: Codec, request: Frame) -> tuple[Frame | None, bool]:
        decoder = codec.decoder()
        deadline = time.monotonic() + self.timeout
        while (remaining := deadline - time.monotonic()) > 0:
            chunk = self.transport.read_available(remaining)
            for frame in decoder.feed(chunk):
                if codec.is_reply(request, frame):
                    return frame, False
            if decoder.rejected:
                return None, True      # a corrupted reply: send again without waiting out
        return None, False

    def _failed(self, address: int, corrupted: bool) -> DeviceError:
        device = self.devices.get(address)
        what = KIND_NAMES.get(getattr(device, "kind", ""), "设备")
        if corrupted:
            error = DeviceError("bad_frame", f"{what}（地址{address}）应答校验错误")
        else:
            error = DeviceError("no_reply", f"{what}（地址{address}）无应答")
        self._set(address, error.health)
        return error

    # -- health --------------------------------------------------------------------------
    def _set(self, address: int, health: Health) -> None:
        before = self._health.get(address)
        self._health[address] = health
        if before != health:
            log.info("bus %s address %d: %s", self.port, address, health.as_dict())

    def _port_lost(self, health: Health) -> None:
        for address in set(self.devices) | set(self._health):
            self._set(address, health)

    def health(self, address: int) -> Health:
        return self._health.get(address, OK)

    def get_status(self) -> dict[int, dict]:
        return {address: self._health[address].as_dict() for address in sorted(self._health)}

    # -- worker --------------------------------------------------------------------------
    def thread_name(self) -> str:
        return f"bus {self.port}"

    def stop(self) -> None:
        super().stop()
        with self.transport.lock:
            self.transport.close()

    def _interrupt(self) -> None:
        self._wake.set()

    def wake(self) -> None:
        """Tick the devices now (a display has new text)."""
        self._wake.set()

    def tick(self) -> None:
        """One round over every device; a failing device never stops the others."""
        for device in list(self.devices.values()):
            if self._stop.is_set():
                return
            try:
                device.tick(self)
            except DeviceError:
                pass    # already recorded in the address's health
            except Exception:  # a bug in one device must not silence the whole bus
                log.exception("bus %s address %d failed", self.port, device.address)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            self.tick()
            self._wake.wait(self.poll_interval)
