"""Serial transport shared by every serial driver: opens by URL, reads with deadlines,
and reopens a port that disappeared (a USB adapter pulled and plugged back in).

URLs are pyserial's: a device path (/dev/ttyUSB0, a pty path), socket://host:port, loop://.
"""
from __future__ import annotations

import termios
import threading
import time

import serial

from .health import DeviceError

# What a port that vanished raises: pyserial's own errors, OSError from os.read/write,
# termios.error from flush/tcdrain on a dead pty, and TypeError that pyserial raises inside
# read() when the fd was closed under it.
_LOST = (serial.SerialException, OSError, TypeError, termios.error)


class SerialTransport:
    def __init__(self, url: str, baudrate: int = 115200, *, timeout: float = 1.0,
                 exclusive: bool = True):
        self.url = url
        self.baudrate = baudrate
        self.timeout = timeout
        self.exclusive = exclusive
        self._port: serial.SerialBase | None = None
        self.lock = threading.RLock()   # one conversation at a time on a shared line

    @property
    def is_open(self) -> bool:
        return self._port is not None and self._port.is_open

    def open(self) -> None:
        """Open the port if it is closed; DeviceError('absent') when it isn't there."""
        if self.is_open:
            return
        try:
            kwargs = {"baudrate": self.baudrate, "timeout": self.timeout}
            if self.url.startswith("/"):
                kwargs["exclusive"] = self.exclusive
            self._port = serial.serial_for_url(self.url, **kwargs)
        except (serial.SerialException, OSError, ValueError) as exc:
            self._port = None
            raise DeviceError("absent", f"设备未连接（{self.url}）", "absent") from exc

    def close(self) -> None:
        port, self._port = self._port, None
        if port is not None:
            try:
                port.close()
            except (serial.SerialException, OSError):
                pass

    def _lost(self, exc: Exception) -> DeviceError:
        # The port vanished under us: close it so the next call reopens it.
        self.close()
        return DeviceError("absent", f"设备连接中断（{self.url}）", "absent")

    def write(self, data: bytes) -> None:
        self.open()
        try:
            self._port.write(data)
            self._port.flush()
        except _LOST as exc:
            raise self._lost(exc) from exc

    def discard_input(self) -> None:
        self.open()
        try:
            self._port.reset_input_buffer()
        except _LOST as exc:
            raise self._lost(exc) from exc

    def read(self, size: int, timeout: float | None = None) -> bytes:
        """Up to `size` bytes, returning early with what arrived by the deadline."""
        self.open()
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        buf = bytearray()
        try:
            while len(buf) < size:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._port.timeout = remaining
                chunk = self._port.read(size - len(buf))
                if chunk:
                    buf += chunk
        except _LOST as exc:
            raise self._lost(exc) from exc
        return bytes(buf)

    def read_available(self, timeout: float) -> bytes:
        """Whatever has arrived, waiting up to `timeout` for the first byte (b"" if none)."""
        first = self.read(1, timeout)
        if not first:
            return first
        try:
            waiting = self._port.in_waiting
            return first + (self._port.read(waiting) if waiting else b"")
        except _LOST as exc:
            raise self._lost(exc) from exc
