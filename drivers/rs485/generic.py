"""The project's own window-bus frame ("generic"), documented byte by byte in
docs/drivers-window.md. Displays, caller keypads and evaluator pads can all speak it.

    offset  size  field
    0       2     header 59 43 ("YC")
    2       1     address: 1..254 a device, 0 broadcast (nobody answers)
    3       1     command (a reply sets bit 7 of the command it answers)
    4       2     payload length N, little-endian, 0..1024
    6       N     payload (text is GB2312)
    6+N     2     CRC-16/MODBUS of bytes 2 .. 5+N, little-endian
    8+N     1     tail 0D

No byte stuffing: the length field frames the data, the CRC and the tail reject a frame that
was cut or corrupted, and the decoder then looks for the next header.
"""
from __future__ import annotations

import struct

from .codec import ReplyBitCodec
from .frame import MAX_PAYLOAD, Frame, FrameError, Skip, StreamDecoder, check_address, crc16_modbus

NAME = "generic"
HEADER = b"\x59\x43"
TAIL = 0x0D
REPLY = 0x80
_OVERHEAD = 9


def encode(frame: Frame) -> bytes:
    check_address(frame.address, 0, 254)
    if not 0 <= frame.command <= 255:
        raise FrameError(f"command {frame.command!r} is not one byte")
    if len(frame.payload) > MAX_PAYLOAD:
        raise FrameError(f"payload of {len(frame.payload)} bytes is over {MAX_PAYLOAD}")
    body = struct.pack("<BBH", frame.address, frame.command, len(frame.payload)) + frame.payload
    return HEADER + body + struct.pack("<H", crc16_modbus(body)) + bytes([TAIL])


class Decoder(StreamDecoder):
    def _next(self) -> Frame | None:
        buf = self._buf
        start = buf.find(HEADER)
        if start != 0:
            # Line noise before a header (or no header at all, keep a last 0x59 that may start one).
            drop = start if start > 0 else len(buf) - (1 if buf[-1:] == HEADER[:1] else 0)
            if drop == 0:
                return None
            raise Skip("", drop)
        if len(buf) < 6:
            return None
        address, command, length = struct.unpack_from("<BBH", buf, 2)
        if length > MAX_PAYLOAD:
            raise Skip(f"length {length} over {MAX_PAYLOAD}")
        if len(buf) < length + _OVERHEAD:
            return None
        end = 6 + length
        if buf[end + 2] != TAIL:
            raise Skip("missing tail")
        (crc,) = struct.unpack_from("<H", buf, end)
        if crc != crc16_modbus(bytes(buf[2:end])):
            raise Skip("bad CRC")
        frame = Frame(address, command, bytes(buf[6:end]))
        del buf[:end + 3]
        return frame


CODEC = ReplyBitCodec(NAME, encode, Decoder)
