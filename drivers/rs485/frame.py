"""What every protocol of the window bus shares: a decoded frame, the frame error, CRC-16,
and the resynchronising stream buffer that decoders build on.

Protocols are pure bytes: `encode(frame) -> bytes`, and a decoder whose `feed(chunk)` returns
the complete, valid frames found so far. A frame with a bad checksum or shape is dropped
(counted in `rejected`, described in `last_error`) and the decoder resynchronises on the
next header, so a noisy line never stops the bus and `feed` never raises.
"""
from __future__ import annotations

from dataclasses import dataclass

MAX_PAYLOAD = 1024      # longer than any window text; bounds what a decoder buffers


@dataclass(frozen=True)
class Frame:
    """One protocol-neutral message: who (bus address), what (command), and its data."""
    address: int
    command: int
    payload: bytes = b""


class FrameError(ValueError):
    """A frame that cannot be encoded (bad address, payload too long, text not GB2312)."""


def _crc16_table(poly: int) -> list[int]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ poly if crc & 1 else crc >> 1
        table.append(crc)
    return table


_TABLE_A001 = _crc16_table(0xA001)


def crc16(data: bytes, init: int = 0x0000) -> int:
    """Reflected CRC-16 with polynomial 0xA001: init 0 is CRC-16/ARC, init 0xFFFF CRC-16/MODBUS.

    (binascii only has the CCITT variant; the two we need are this one table.)
    """
    crc = init
    for byte in data:
        crc = (crc >> 8) ^ _TABLE_A001[(crc ^ byte) & 0xFF]
    return crc


def crc16_arc(data: bytes) -> int:
    return crc16(data, 0x0000)


def crc16_modbus(data: bytes) -> int:
    return crc16(data, 0xFFFF)


def check_address(address: int, low: int = 0, high: int = 255) -> int:
    if not isinstance(address, int) or not low <= address <= high:
        raise FrameError(f"bus address {address!r} is not in {low}..{high}")
    return address


def encode_text(text: str) -> bytes:
    """Window text as GB2312 (what LED controllers render); other characters are an error."""
    try:
        return text.encode("gb2312")
    except UnicodeEncodeError as exc:
        raise FrameError(f"text {text!r} has characters a GB2312 display cannot show") from exc


def decode_text(data: bytes) -> str:
    return data.decode("gb2312", errors="replace")


class StreamDecoder:
    """Base of the decoders: a bounded buffer, frames out, bad frames counted.

    Subclasses implement `_next()`: look at `self._buf`, and return a Frame (consuming it),
    `None` when more bytes are needed, or raise `Skip(reason, n)` to drop `n` bytes.
    """

    def __init__(self) -> None:
        self._buf = bytearray()
        self.rejected = 0
        self.last_error = ""

    def feed(self, chunk: bytes) -> list[Frame]:
        self._buf += chunk
        frames: list[Frame] = []
        while self._buf:
            try:
                frame = self._next()
            except Skip as skip:
                if skip.reason:
                    self.rejected += 1
                    self.last_error = skip.reason
                del self._buf[:max(1, skip.count)]
                continue
            if frame is None:
                break
            frames.append(frame)
        return frames

    def reset(self) -> None:
        self._buf.clear()

    def _next(self) -> Frame | None:  # pragma: no cover - abstract
        raise NotImplementedError


class Skip(Exception):
    """Drop `count` bytes; `reason` empty for line noise, else a rejected frame."""

    def __init__(self, reason: str, count: int = 1):
        self.reason = reason
        self.count = count
