"""Frame sources: frames (H x W x 3 uint8 RGB numpy arrays) delivered off the caller's thread.

A source runs its own thread: it opens the device (retrying while it is absent), reads
frames, keeps the latest and hands each to the subscribers. Its health is `absent` while the
device cannot be opened, `error` when frames stop coming, `ok` while they flow.

- V4L2Source: a USB camera through OpenCV (imported only when used; opencv-python-headless
  is an optional dependency, the `camera` extra). A path that is not a /dev/video device
  (a recorded video file) is opened through OpenCV's own decoders, for demos and tests.
- ImageSequenceSource: still images from files, for tests, demos and a kiosk without camera.
"""
from __future__ import annotations

import os
import re
import threading
import time
from pathlib import Path
from typing import Callable

import numpy as np

from ..health import OK, DeviceError, Health
from ..threads import DriverThread

Frame = np.ndarray


class FrameSource(DriverThread):
    def __init__(self, *, stall_timeout_s: float = 3.0, reopen_interval_s: float = 2.0):
        super().__init__()
        self.stall_timeout_s = stall_timeout_s
        self.reopen_interval_s = reopen_interval_s
        self._health = Health("absent", "not_started", "摄像头未启动")
        self._latest: tuple[Frame, float] | None = None
        self._subscribers: list[Callable[[Frame], None]] = []
        self._new_frame = threading.Condition()

    # -- what a device implements -----------------------------------------------------------
    def _open(self) -> None:
        """Open the device; DeviceError (state absent) when it is not there."""
        raise NotImplementedError

    def _read(self) -> Frame | None:
        """The next frame, or None when none came (the device stalls or ended)."""
        raise NotImplementedError

    def _close(self) -> None:
        pass

    # -- what a caller uses -----------------------------------------------------------------
    def subscribe(self, callback: Callable[[Frame], None]) -> None:
        """callback(frame) runs on the source's thread for every frame."""
        self._subscribers.append(callback)

    def latest(self) -> Frame | None:
        return self._latest[0] if self._latest else None

    def wait_frame(self, timeout: float, newer_than: float = 0.0) -> Frame | None:
        """A frame taken after `newer_than` (time.monotonic()), or None by the deadline."""
        deadline = time.monotonic() + timeout
        with self._new_frame:
            while not (self._latest and self._latest[1] > newer_than):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self._new_frame.wait(remaining)
            return self._latest[0]

    def get_status(self) -> dict:
        return self._health.as_dict()

    # -- the thread ---------------------------------------------------------------------------
    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._open()
            except DeviceError as exc:
                self._health = exc.health
                self._stop.wait(self.reopen_interval_s)
                continue
            self._stream()           # health turns ok with the first frame
            self._close()
            self._stop.wait(self.reopen_interval_s)

    def _stream(self) -> None:
        last = time.monotonic()
        while not self._stop.is_set():
            frame = self._read()
            now = time.monotonic()
            if frame is None:
                if now - last > self.stall_timeout_s:
                    self._health = Health("error", "no_frames", "摄像头没有画面")
                    return      # close and reopen: a stalled USB camera often recovers so
                continue
            last = now
            self._health = OK
            with self._new_frame:
                self._latest = (frame, now)
                self._new_frame.notify_all()
            for callback in list(self._subscribers):
                callback(frame)


def capture_target(device: str | int) -> tuple[str | int, str]:
    """What OpenCV should open, and through which backend ("v4l2" or "any").

    A V4L2 camera is opened by its index: OpenCV 5 no longer opens V4L2 devices by name, and
    a stable /dev/v4l/by-id/... link resolves to its /dev/videoN. Any other path (a video
    file) goes to whichever OpenCV backend can read it.
    """
    if isinstance(device, int):
        return device, "v4l2"
    match = re.fullmatch(r"/dev/video(\d+)", os.path.realpath(device))
    if match:
        return int(match.group(1)), "v4l2"
    return device, "v4l2" if device.startswith("/dev/") else "any"


class V4L2Source(FrameSource):
    def __init__(self, device: str | int = "/dev/video0", width: int = 640, height: int = 480,
                 fps: int = 15, **kwargs):
        super().__init__(**kwargs)
        self.device, self.width, self.height, self.fps = device, width, height, fps
        self._cap = None

    def _open(self) -> None:
        try:
            import cv2     # optional: opencv-python-headless (pip install yichuang[camera])
        except ImportError:
            raise DeviceError("opencv_missing",
                              "未安装摄像头支持组件（opencv-python-headless）") from None
        self._cv2 = cv2
        target, backend = capture_target(self.device)
        cap = cv2.VideoCapture(target, cv2.CAP_V4L2 if backend == "v4l2" else cv2.CAP_ANY)
        if not cap.isOpened():
            cap.release()
            raise DeviceError("absent", f"摄像头未连接（{self.device}）", "absent")
        cap.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
        cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
        cap.set(cv2.CAP_PROP_FPS, self.fps)
        self._cap = cap

    def _read(self) -> Frame | None:
        ok, bgr = self._cap.read()
        if not ok:
            self._stop.wait(0.05)
            return None
        return self._cv2.cvtColor(bgr, self._cv2.COLOR_BGR2RGB)

    def _close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None


IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp"}


class ImageSequenceSource(FrameSource):
    """Images from a directory (sorted) or a list of files, at `fps`, looping or not."""

    def __init__(self, images: str | Path | list, fps: float = 10, loop: bool = True, **kwargs):
        super().__init__(**kwargs)
        self.images, self.fps, self.loop = images, fps, loop
        self._frames: list[Frame] = []
        self._index = 0

    def _paths(self) -> list[Path]:
        if isinstance(self.images, (str, Path)):
            root = Path(self.images)
            if root.is_dir():
                return sorted(p for p in root.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
            return [root] if root.exists() else []
        return [Path(p) for p in self.images if Path(p).exists()]

    def _open(self) -> None:
        from PIL import Image, UnidentifiedImageError
        try:
            self._frames = [np.asarray(Image.open(p).convert("RGB")) for p in self._paths()]
        except (OSError, UnidentifiedImageError) as exc:
            raise DeviceError("bad_image", f"图片无法读取：{exc}") from exc
        if not self._frames:
            raise DeviceError("absent", f"没有可用的图片（{self.images}）", "absent")
        self._index = 0

    def _read(self) -> Frame | None:
        self._stop.wait(1.0 / self.fps)
        if self._index >= len(self._frames):
            if not self.loop:
                return None
            self._index = 0
        frame = self._frames[self._index]
        self._index += 1
        return frame
