"""The interface every frame protocol of the window bus offers the bus and the simulators."""
from __future__ import annotations

from typing import Callable, Protocol

from .frame import Frame, StreamDecoder


class Codec(Protocol):
    name: str

    def encode(self, frame: Frame) -> bytes: ...

    def decoder(self) -> StreamDecoder: ...

    def is_reply(self, request: Frame, reply: Frame) -> bool: ...


class ReplyBitCodec:
    """A codec whose replies come from the same address with bit 7 of the command set."""

    REPLY = 0x80

    def __init__(self, name: str, encode: Callable[[Frame], bytes],
                 decoder: Callable[[], StreamDecoder]):
        self.name = name
        self.encode = encode
        self.decoder = decoder

    def is_reply(self, request: Frame, reply: Frame) -> bool:
        return reply.address == request.address and reply.command == request.command | self.REPLY

    def reply_to(self, request: Frame, payload: bytes = b"") -> Frame:
        return Frame(request.address, request.command | self.REPLY, payload)
