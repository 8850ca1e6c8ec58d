"""The scanner driver: codes out of a byte stream, and a poller thread that reports each.

A scanner only talks: each scan is the code's bytes and the terminator. What arrives is
split at the terminator (CR, LF or CR LF count alike, so a scanner set differently still
works); a piece longer than the profile's max_length, not decodable, or cut off (nothing
more for gap_timeout_s before its terminator) is dropped, never passed on half.
"""
from __future__ import annotations

import time
from typing import Callable

from ..health import OK, DeviceError, Health, TracksHealth
from ..threads import DriverThread
from ..transport import SerialTransport
from .profile import ScannerProfile

READ_CHUNK_S = 0.1


class ScannerError(DeviceError):
    pass


def split_codes(buf: bytes) -> tuple[list[bytes], bytes]:
    """(complete codes, the rest): CR LF, CR and LF each end a code; empty lines vanish."""
    parts = buf.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
    return [p for p in parts[:-1] if p], parts[-1]


class BarcodeScanner(TracksHealth):
    error_class = ScannerError

    def __init__(self, port: str, profile: ScannerProfile | None = None, *,
                 transport: SerialTransport | None = None):
        self.profile = profile or ScannerProfile()
        self.transport = transport or SerialTransport(port, self.profile.baudrate,
                                                      timeout=READ_CHUNK_S)
        self._buf = b""
        self._last_byte = 0.0
        self.dropped = 0                 # garbled or cut-off pieces, for a technician

    def probe(self) -> None:
        self.read_codes(0.0)

    def close(self) -> None:
        self.transport.close()

    def read_codes(self, timeout: float = READ_CHUNK_S) -> list[str]:
        """The codes completed within `timeout` (often none)."""
        try:
            chunk = self.transport.read_available(timeout)
        except DeviceError as exc:
            self._buf = b""
            raise self._failed(exc) from exc
        self._health = OK
        now = time.monotonic()
        if self._buf and not chunk and now - self._last_byte > self.profile.gap_timeout_s:
            self._buf, self.dropped = b"", self.dropped + 1      # cut off: never half a code
        if chunk:
            self._last_byte = now
        pieces, self._buf = split_codes(self._buf + chunk)
        if len(self._buf) > self.profile.max_length:
            self._buf, self.dropped = b"", self.dropped + 1
        return [code for code in map(self._text, pieces) if code]

    def _text(self, piece: bytes) -> str:
        try:
            text = piece.decode(self.profile.encoding).strip()
        except UnicodeDecodeError:
            text = ""
        if not text or len(piece) > self.profile.max_length or not text.isprintable():
            self.dropped += 1
            return ""
        return text


class ScannerPoller(DriverThread):
    """Reads the scanner on its own thread: on_code(text) for each scan, on_health(Health)
    for each change of the scanner's health (unplugged, back). Both run on this thread."""

    def __init__(self, scanner: BarcodeScanner, on_code: Callable[[str], None],
                 on_health: Callable[[Health], None] | None = None):
        super().__init__()
        self.scanner = scanner
        self.on_code = on_code
        self.on_health = on_health or (lambda health: None)
        self._last_health: Health | None = None

    def _run(self) -> None:
        while not self._stop.is_set():
            codes = []
            try:
                codes = self.scanner.read_codes()
            except ScannerError:
                self._stop.wait(self.scanner.profile.reopen_interval_s)
            if self.scanner.health != self._last_health:
                self._last_health = self.scanner.health
                self.on_health(self._last_health)
            for code in codes:
                self.on_code(code)
