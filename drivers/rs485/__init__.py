"""The shared RS-485 window bus: frames, codecs, the bus driver and its simulator."""
from .line import Bus
from .frame import Frame, FrameError

__all__ = ["Bus", "Frame", "FrameError"]
