"""Typed camera profile (firmware_configs/devices/<name>.yaml with `kind: camera`)."""
from __future__ import annotations

from dataclasses import dataclass

from hall.config import Section

from .source import FrameSource, ImageSequenceSource, V4L2Source


@dataclass(frozen=True)
class CameraProfile:
    model: str = "USB UVC camera"
    width: int = 640
    height: int = 480
    fps: int = 15
    stall_timeout_s: float = 3.0      # no frame for this long: health error
    reopen_interval_s: float = 2.0    # how often an absent camera is looked for again


def read_profile(section: Section) -> CameraProfile:
    profile = CameraProfile(
        model=section.get_str("model", CameraProfile.model),
        width=section.get_int("width", 640, minval=160, maxval=3840),
        height=section.get_int("height", 480, minval=120, maxval=2160),
        fps=section.get_int("fps", 15, minval=1, maxval=60),
        stall_timeout_s=section.get_float("stall_timeout_s", 3.0, minval=0.2, maxval=60),
        reopen_interval_s=section.get_float("reopen_interval_s", 2.0, minval=0.1, maxval=60),
    )
    section.finish()
    return profile


def open_source(port: str, profile: CameraProfile | None = None) -> FrameSource:
    """The source a site's camera entry names: /dev/videoN, or file:<dir or image> for tests."""
    p = profile or CameraProfile()
    timing = {"stall_timeout_s": p.stall_timeout_s, "reopen_interval_s": p.reopen_interval_s}
    if port.startswith("file:"):
        return ImageSequenceSource(port[5:], fps=p.fps, **timing)
    return V4L2Source(port, p.width, p.height, p.fps, **timing)
