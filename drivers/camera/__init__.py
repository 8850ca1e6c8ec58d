"""Cameras for face verification: frame sources with their own thread and health."""
from .profile import CameraProfile, open_source
from .source import FrameSource, ImageSequenceSource, V4L2Source

__all__ = ["FrameSource", "V4L2Source", "ImageSequenceSource", "CameraProfile", "open_source"]
