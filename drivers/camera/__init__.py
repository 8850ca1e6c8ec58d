"""Cameras for face verification: frame sources with their own thread and health."""
import importlib

# Loaded on first use: a hall config's check reads only the profile, and the sources need
# numpy and Pillow.
_EXPORTS = {"FrameSource": ".source", "V4L2Source": ".source", "ImageSequenceSource": ".source",
            "CameraProfile": ".profile", "open_source": ".profile",
            "DocumentCameraSimulator": ".documents", "snapshot": ".documents"}
__all__ = list(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name], __name__), name)
