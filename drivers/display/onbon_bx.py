"""Onbon BX-5K family LED controllers (BX-5K1, 5K2, 5MK ...): frame and dynamic-area text.

Certain (from public implementations): the frame starts with A5 and ends with 5A; between
them A5, A6, 5A, 5B are stuffed (A5 -> A6 02, A6 -> A6 01, 5A -> 5B 02, 5B -> 5B 01); the
checksum is CRC-16/ARC over the unstuffed packet; text is GB2312; numbers are little-endian;
A3 06 updates a dynamic area, A3 10 clears.

UNCERTAIN (a best reading, every value configurable in the profile, see
docs/drivers-window.md): the packet header fields and their defaults, the reply's command
(A0 00 = done), and the dynamic-area parameter block.

Packet (unstuffed):

    DstAddr 2 | SrcAddr 2 | Reserved 3 | Option 1 | CheckMode 1 | DisplayMode 1 |
    DeviceType 1 | ProtocolVer 1 | DataLen 2 | Data (CmdGroup, Cmd, ResponseFlag,
    Reserved 2, parameters) | CRC 2

A Frame's `address` is the screen's address (DstAddr of a request, SrcAddr of a reply),
`command` is CmdGroup << 8 | Cmd, `payload` the parameters.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass, field

from ..rs485.frame import (MAX_PAYLOAD, Frame, FrameError, Skip, StreamDecoder, check_address,
                         crc16_arc, decode_text, encode_text)

NAME = "onbon_bx"
START, END = 0xA5, 0x5A
_STUFF = {0xA5: b"\xa6\x02", 0xA6: b"\xa6\x01", 0x5A: b"\x5b\x02", 0x5B: b"\x5b\x01"}
_UNSTUFF = {(0xA6, 0x02): 0xA5, (0xA6, 0x01): 0xA6, (0x5B, 0x02): 0x5A, (0x5B, 0x01): 0x5B}
_HEAD = struct.Struct("<HH3sBBBBBH")          # DstAddr .. DataLen, 14 bytes
_MAX_STUFFED = 2 * (_HEAD.size + 5 + MAX_PAYLOAD + 2)

UPDATE_DYNAMIC = 0xA306
CLEAR = 0xA310
REPLY_GROUP = 0xA0
DONE = 0xA000


def stuff(data: bytes) -> bytes:
    return b"".join(_STUFF.get(b, bytes([b])) for b in data)


def unstuff(data: bytes) -> bytes:
    out = bytearray()
    it = iter(data)
    for byte in it:
        if byte in (0xA6, 0x5B):
            pair = (byte, next(it, -1))
            if pair not in _UNSTUFF:
                raise FrameError(f"bad escape {byte:02X} {pair[1] & 0xFF:02X}")
            out.append(_UNSTUFF[pair])
        elif byte in (START, END):
            raise FrameError(f"unescaped {byte:02X} inside a frame")
        else:
            out.append(byte)
    return bytes(out)


@dataclass(frozen=True)
class Area:
    """A dynamic area: one line of the window's text. Units as the controller counts them."""
    x: int = 0
    y: int = 0
    width: int = 64
    height: int = 16


@dataclass(frozen=True)
class OnbonSettings:
    host_address: int = 0x8000
    device_type: int = 0xFE           # "any model"
    protocol_version: int = 0x02
    preamble: int = 8                 # A5 bytes sent before a frame to wake the controller
    display_mode: int = 0x01          # 1: show at once (static)
    speed: int = 0
    stay_time: int = 10
    areas: tuple[Area, ...] = field(default_factory=lambda: (Area(0, 0, 64, 16),
                                                             Area(0, 16, 64, 16)))


class OnbonCodec:
    name = NAME

    def __init__(self, settings: OnbonSettings | None = None):
        self.settings = settings or OnbonSettings()

    def encode(self, frame: Frame) -> bytes:
        s = self.settings
        check_address(frame.address, 0, 0xFFFF)
        if len(frame.payload) > MAX_PAYLOAD:
            raise FrameError(f"payload of {len(frame.payload)} bytes is over {MAX_PAYLOAD}")
        group, cmd = divmod(frame.command, 256)
        if group >= 256:
            raise FrameError(f"command {frame.command:#x} is not two bytes")
        reply = group == REPLY_GROUP
        dst, src = (s.host_address, frame.address) if reply else (frame.address, s.host_address)
        data = bytes([group, cmd, 0 if reply else 1]) + b"\x00\x00" + frame.payload
        packet = _HEAD.pack(dst, src, b"\0\0\0", 0, 0, 0, s.device_type, s.protocol_version,
                            len(data)) + data
        packet += struct.pack("<H", crc16_arc(packet))
        return bytes([START]) * max(1, s.preamble) + stuff(packet) + bytes([END])

    def decoder(self) -> "Decoder":
        return Decoder(self.settings.host_address)

    def is_reply(self, request: Frame, reply: Frame) -> bool:
        return reply.address == request.address and reply.command >> 8 == REPLY_GROUP


class Decoder(StreamDecoder):
    def __init__(self, host_address: int = 0x8000):
        super().__init__()
        self.host_address = host_address

    def _next(self) -> Frame | None:
        buf = self._buf
        start = buf.find(START)
        if start != 0:
            raise Skip("", start if start > 0 else len(buf))
        first = 1
        while first < len(buf) and buf[first] == START:
            first += 1
        if first > 1:
            raise Skip("", first - 1)               # keep one A5 of the preamble
        ends = [i for i in (buf.find(START, 1), buf.find(END, 1)) if i > 0]
        if not ends:
            if len(buf) > _MAX_STUFFED:
                raise Skip("frame too long", len(buf))
            return None
        end = min(ends)
        if buf[end] == START:
            raise Skip("frame cut short", end)      # a new frame began before this one ended
        raw = bytes(buf[1:end])
        try:
            frame = self._parse(unstuff(raw))
        except FrameError as exc:
            raise Skip(str(exc), end + 1) from None
        del buf[:end + 1]
        return frame

    def _parse(self, packet: bytes) -> Frame:
        if len(packet) < _HEAD.size + 5 + 2:
            raise FrameError("frame too short")
        (crc,) = struct.unpack_from("<H", packet, len(packet) - 2)
        if crc != crc16_arc(packet[:-2]):
            raise FrameError("bad CRC")
        dst, src, _res, _opt, _check, _mode, _type, _ver, length = _HEAD.unpack_from(packet)
        data = packet[_HEAD.size:-2]
        if length != len(data):
            raise FrameError(f"DataLen {length} but {len(data)} data bytes")
        address = src if dst == self.host_address else dst
        return Frame(address, data[0] << 8 | data[1], data[5:])


# -- display commands -------------------------------------------------------------------
_AREA = struct.Struct("<BHHHHBBBHBBBBBBI")     # AreaType .. DataLen, before the text


class DisplayProtocol:
    name = NAME

    def __init__(self, settings: OnbonSettings | None = None):
        self.codec = OnbonCodec(settings)
        self.settings = self.codec.settings

    def show(self, address: int, lines: list[str]) -> Frame:
        areas = self.settings.areas
        if len(lines) > len(areas):
            raise FrameError(f"{len(lines)} lines but the profile has {len(areas)} areas")
        padded = list(lines) + [""] * (len(areas) - len(lines))
        blocks = [self._area(index, area, encode_text(text))
                  for index, (area, text) in enumerate(zip(areas, padded))]
        payload = bytes([0, len(blocks)]) + b"".join(blocks)   # DeleteAreaNum 0, AreaNum
        return Frame(address, UPDATE_DYNAMIC, payload)

    def _area(self, index: int, area: Area, text: bytes) -> bytes:
        s = self.settings
        body = _AREA.pack(0x06, area.x, area.y, area.width, area.height, index,
                          0, 0, 0, 0, 0, s.display_mode, 0, s.speed, s.stay_time,
                          len(text)) + text
        return struct.pack("<H", len(body)) + body

    def clear(self, address: int) -> Frame:
        return Frame(address, CLEAR)

    def ack_ok(self, reply: Frame) -> bool:
        return reply.command == DONE

    # -- the controller's side (simulator) ----------------------------------------------
    def parse(self, frame: Frame) -> list[str] | None:
        if frame.command == CLEAR:
            return None
        if frame.command != UPDATE_DYNAMIC:
            raise FrameError(f"unknown display command {frame.command:#06x}")
        data = frame.payload
        if len(data) < 2:
            raise FrameError("dynamic area command too short")
        count, pos, lines = data[1], 2, {}
        for _ in range(count):
            if pos + 2 > len(data):
                raise FrameError("area cut short")
            (size,) = struct.unpack_from("<H", data, pos)
            body = data[pos + 2:pos + 2 + size]
            if size < _AREA.size or len(body) != size:
                raise FrameError("area cut short")
            fields = _AREA.unpack_from(body)
            text = body[_AREA.size:]
            if fields[-1] != len(text):
                raise FrameError("area text length does not match")
            lines[fields[5]] = decode_text(text)
            pos += 2 + size
        return [lines[i] for i in sorted(lines)]

    def ack(self, request: Frame) -> Frame:
        return Frame(request.address, DONE)
