"""Typed camera profile (firmware_configs/devices/<name>.yaml with `kind: camera`)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..options import Option, ProfileSpec

if TYPE_CHECKING:
    from .source import FrameSource


@dataclass(frozen=True)
class CameraProfile:
    model: str = "USB UVC camera"
    width: int = 640
    height: int = 480
    fps: int = 15
    stall_timeout_s: float = 3.0      # no frame for this long: health error
    reopen_interval_s: float = 2.0    # how often an absent camera is looked for again


D = CameraProfile
OPTIONS = (
    Option("model", str, D.model),
    Option("width", int, D.width, minval=160, maxval=3840),
    Option("height", int, D.height, minval=120, maxval=2160),
    Option("fps", int, D.fps, minval=1, maxval=60),
    Option("stall_timeout_s", float, D.stall_timeout_s, minval=0.2, maxval=60),
    Option("reopen_interval_s", float, D.reopen_interval_s, minval=0.1, maxval=60),
)
PROFILE = ProfileSpec(OPTIONS, make=lambda values: CameraProfile(**values))


def open_source(port: str, profile: CameraProfile | None = None) -> FrameSource:
    """The source a site's camera entry names: /dev/videoN, or file:<dir or image> for tests."""
    from .source import ImageSequenceSource, V4L2Source   # numpy: a hall config's check never needs it
    p = profile or CameraProfile()
    timing = {"stall_timeout_s": p.stall_timeout_s, "reopen_interval_s": p.reopen_interval_s}
    if port.startswith("file:"):
        return ImageSequenceSource(port[5:], fps=p.fps, **timing)
    return V4L2Source(port, p.width, p.height, p.fps, **timing)
