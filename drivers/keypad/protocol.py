"""Key presses of caller keypads and evaluator pads, over either frame (generic or ff68).

    POLL  30  host -> pad, payload: ACK, the sequence number of the last press the host
              received (00 before the first)
    reply B0  payload: empty (no press waiting) or SEQ KEY: the oldest press not yet acked,
              SEQ 1..255 (wrapping, never 0), KEY the key's code

A pad keeps its presses until the host acks them, and the host ignores a SEQ it already
received, so each press is delivered exactly once even when a reply or an ack is lost.
"""
from __future__ import annotations

from ..rs485 import generic
from ..rs485.frame import Frame, FrameError
from . import ff68

POLL = 0x30
CODECS = {"generic": generic.CODEC, "ff68": ff68.CODEC}


class KeyProtocol:
    def __init__(self, frame: str = "generic"):
        if frame not in CODECS:
            raise ValueError(f"key pad frame {frame!r} is not one of {', '.join(CODECS)}")
        self.name = frame
        self.codec = CODECS[frame]

    def poll(self, address: int, ack: int) -> Frame:
        return Frame(address, POLL, bytes([ack & 0xFF]))

    def parse_reply(self, reply: Frame) -> tuple[int, int] | None:
        """(seq, key) of a waiting press, None when there is none."""
        if not reply.payload:
            return None
        if len(reply.payload) != 2 or reply.payload[0] == 0:
            raise FrameError(f"bad key reply {reply.payload.hex()}")
        return reply.payload[0], reply.payload[1]

    # -- the pad's side (simulator) -----------------------------------------------------
    def parse_poll(self, frame: Frame) -> int:
        if frame.command != POLL or len(frame.payload) != 1:
            raise FrameError(f"not a poll: {frame}")
        return frame.payload[0]

    def keys_reply(self, request: Frame, press: tuple[int, int] | None) -> Frame:
        return self.codec.reply_to(request, bytes(press) if press else b"")
