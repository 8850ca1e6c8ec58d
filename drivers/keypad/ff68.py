"""The "FF 68" frame seen on caller keypads and evaluator pads of several vendors:

    offset  size  field
    0       1     FF (wake-up / preamble)
    1       1     68
    2       2     L, L: the length of ADDR CMD DATA, sent twice (one byte, must match)
    4       1     68
    5       1     ADDR
    6       1     CMD (a reply sets bit 7, as our generic frame does: uncertain per vendor)
    7       L-2   DATA
    5+L     1     SUM: sum of ADDR .. DATA, modulo 256
    6+L     1     16

The shape is the M-Bus long frame's; the command set on top is the same as the generic
frame's (drivers/keypad/protocol.py).
"""
from __future__ import annotations

from ..rs485.codec import ReplyBitCodec
from ..rs485.frame import Frame, FrameError, Skip, StreamDecoder, check_address

NAME = "ff68"
_MAX_DATA = 253


def encode(frame: Frame) -> bytes:
    check_address(frame.address)
    if not 0 <= frame.command <= 255:
        raise FrameError(f"command {frame.command!r} is not one byte")
    if len(frame.payload) > _MAX_DATA:
        raise FrameError(f"payload of {len(frame.payload)} bytes is over {_MAX_DATA}")
    body = bytes([frame.address, frame.command]) + frame.payload
    return bytes([0xFF, 0x68, len(body), len(body), 0x68]) + body + bytes([sum(body) & 0xFF, 0x16])


class Decoder(StreamDecoder):
    def _next(self) -> Frame | None:
        buf = self._buf
        start = buf.find(0x68)
        if start != 0:
            raise Skip("", start if start > 0 else len(buf))
        if len(buf) < 4:
            return None
        length = buf[1]
        if buf[2] != length or buf[3] != 0x68 or length < 2:
            raise Skip("")            # a 68 that does not start a frame: noise
        if len(buf) < length + 6:
            return None
        body = bytes(buf[4:4 + length])
        if buf[5 + length] != 0x16:
            raise Skip("missing end byte 16")
        if buf[4 + length] != sum(body) & 0xFF:
            raise Skip("bad checksum")
        del buf[:length + 6]
        return Frame(body[0], body[1], body[2:])


CODEC = ReplyBitCodec(NAME, encode, Decoder)
