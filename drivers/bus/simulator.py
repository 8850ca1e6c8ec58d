"""A simulated RS-485 bus: every simulated device on one pty hears every byte, the way
devices on a real two-wire bus do, and answers frames for its own address in its own
protocol. Tests switch faults on per device: `answering = False` (it stops answering),
`corrupt_replies = n` (the next n replies carry a bad checksum).
"""
from __future__ import annotations

import threading

from ..simulator import PtySimulator
from .codec import Codec
from .frame import Frame


class SimDevice:
    """Base of simulated bus devices; `handle(frame)` returns the reply or None."""
    kind = "device"

    def __init__(self, address: int, codec: Codec):
        self.address = address
        self.codec = codec
        self.answering = True
        self.corrupt_replies = 0
        self.requests = 0           # frames received for this address
        self.lock = threading.Lock()

    def handle(self, frame: Frame) -> Frame | None:  # pragma: no cover - abstract
        raise NotImplementedError


class BusSimulator(PtySimulator):
    def __init__(self, link: str | None = None):
        super().__init__(link)
        self.devices: dict[int, SimDevice] = {}
        self._decoders: dict[int, tuple[Codec, object]] = {}
        self._reported: dict[int, str] = {}

    def add(self, device: SimDevice) -> SimDevice:
        self.devices[device.address] = device
        self._decoders.setdefault(id(device.codec), (device.codec, device.codec.decoder()))
        return device

    def on_data(self, data: bytes) -> None:
        for codec, decoder in list(self._decoders.values()):
            for frame in decoder.feed(data):
                self._answer(codec, frame)

    def _answer(self, codec: Codec, frame: Frame) -> None:
        device = self.devices.get(frame.address)
        if device is None or device.codec is not codec:
            return
        with device.lock:
            device.requests += 1
            if not device.answering:
                return
            reply = device.handle(frame)
            if reply is None:
                return
            data = codec.encode(reply)
            if device.corrupt_replies > 0:
                device.corrupt_replies -= 1
                data = data[:-3] + bytes([data[-3] ^ 0xFF]) + data[-2:]
        self.send(data)

    def tick(self) -> list[str]:
        """Lines for `yichuang device simulate`: each display's text when it changed."""
        out = []
        for address, device in sorted(self.devices.items()):
            text = getattr(device, "text", None)
            if text is not None and self._reported.get(address) != text:
                self._reported[address] = text
                out.append(f"显示屏 {address}：{text.replace(chr(10), ' / ') or '（黑屏）'}")
        return out
