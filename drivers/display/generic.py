"""Window display commands in the project's generic frame (drivers/rs485/generic.py).

    SHOW  10  payload: the lines in GB2312, separated by 0A; the display shows them at once
    CLEAR 11  payload: none; the display goes dark
    reply     the command with bit 7 set (90, 91), payload one status byte, 00 = done
"""
from __future__ import annotations

from ..rs485 import generic
from ..rs485.frame import Frame, FrameError, decode_text, encode_text

SHOW = 0x10
CLEAR = 0x11
NAME = "generic"


class DisplayProtocol:
    name = NAME
    codec = generic.CODEC

    def show(self, address: int, lines: list[str]) -> Frame:
        if any("\n" in line for line in lines):
            raise FrameError("a display line cannot contain a line break")
        return Frame(address, SHOW, b"\n".join(encode_text(line) for line in lines))

    def clear(self, address: int) -> Frame:
        return Frame(address, CLEAR)

    def ack_ok(self, reply: Frame) -> bool:
        return reply.payload[:1] == b"\x00"

    # -- the display's side (simulator) -------------------------------------------------
    def parse(self, frame: Frame) -> list[str] | None:
        """The lines a SHOW asks for, [] ... or None for CLEAR; FrameError otherwise."""
        if frame.command == SHOW:
            return decode_text(frame.payload).split("\n") if frame.payload else []
        if frame.command == CLEAR:
            return None
        raise FrameError(f"unknown display command {frame.command:#04x}")

    def ack(self, request: Frame) -> Frame:
        return self.codec.reply_to(request, b"\x00")
