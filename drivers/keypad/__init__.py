"""Caller keypads and evaluator pads: key protocol (generic or ff68 frame), driver, simulator."""
from .driver import KeyPad
from .protocol import KeyProtocol

__all__ = ["KeyPad", "KeyProtocol"]
