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

    def cmd_press(self, address: str, key: str) -> str:
        """press ADDRESS KEY (a keypad's action name, or an evaluator's level 1-5)"""
        device = self.devices.get(int(address)) if address.isdigit() else None
        if not hasattr(device, "press"):
            raise ValueError(f"no keypad or evaluator pad at address {address}")
        value = int(key) if key.isdigit() else key
        if value not in device.codes:
            raise ValueError(f"address {address} has no key '{key}': "
                             + ", ".join(str(v) for v in device.codes))
        device.press(value)
        return f"pressed {key} on address {address}"

    def cmd_mute(self, address: str, state: str = "on") -> str:
        """mute ADDRESS [on|off]: the device stops (or starts again) answering"""
        device = self.devices.get(int(address)) if address.isdigit() else None
        if device is None or state not in ("on", "off"):
            raise ValueError("usage: mute ADDRESS [on|off]")
        device.answering = state == "off"
        return f"address {address} {'silent' if state == 'on' else 'answers'}"

    def tick(self) -> list[str]:
        """Lines for `yichuang device simulate`: each display's text when it changed."""
        out = []
        for address, device in sorted(self.devices.items()):
            text = getattr(device, "text", None)
            if text is not None and self._reported.get(address) != text:
                self._reported[address] = text
                out.append(f"显示屏 {address}：{text.replace(chr(10), ' / ') or '（黑屏）'}")
        return out
