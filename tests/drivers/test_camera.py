"""Camera frame sources: frames off the caller's thread, health absent / ok / error."""
from __future__ import annotations

import importlib.util
import threading
import time

import numpy as np
import pytest
from PIL import Image

from drivers.camera import CameraProfile, ImageSequenceSource, V4L2Source, open_source


def wait_for(condition, limit=5.0):
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.01)


@pytest.fixture
def images(tmp_path):
    for i, color in enumerate([(255, 0, 0), (0, 255, 0), (0, 0, 255)]):
        Image.new("RGB", (64, 48), color).save(tmp_path / f"frame{i}.png")
    return tmp_path


def test_image_sequence_delivers_rgb_frames_on_its_own_thread(images):
    seen, threads = [], set()

    def on_frame(frame):
        seen.append(frame)
        threads.add(threading.get_ident())
    source = ImageSequenceSource(images, fps=100)
    source.subscribe(on_frame)
    source.start()
    try:
        wait_for(lambda: len(seen) >= 4)
        frame = source.wait_frame(timeout=2)
        assert source.get_status() == {"state": "ok"}
    finally:
        source.stop()
    assert frame.shape == (48, 64, 3) and frame.dtype == np.uint8
    assert [tuple(f[0, 0]) for f in seen[:4]] == [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 0, 0)]
    assert threading.get_ident() not in threads


def test_frames_that_stop_turn_health_to_error(images):
    source = ImageSequenceSource(images, fps=100, loop=False, stall_timeout_s=0.2,
                                 reopen_interval_s=5).start()
    try:
        wait_for(lambda: source.get_status().get("code") == "no_frames")
    finally:
        source.stop()
    assert source.get_status() == {"state": "error", "code": "no_frames", "message": "摄像头没有画面"}


def test_absent_source_becomes_ok_when_its_images_appear(tmp_path):
    missing = tmp_path / "later"
    source = ImageSequenceSource(missing, fps=50, reopen_interval_s=0.05).start()
    try:
        wait_for(lambda: source.get_status()["state"] == "absent" and
                 source.get_status()["code"] == "absent")
        assert source.wait_frame(timeout=0.1) is None
        missing.mkdir()
        Image.new("RGB", (8, 8), (1, 2, 3)).save(missing / "a.png")
        frame = source.wait_frame(timeout=5)
    finally:
        source.stop()
    assert tuple(frame[0, 0]) == (1, 2, 3) and source.get_status()["state"] == "ok"


def test_v4l2_camera_that_cannot_be_opened():
    source = open_source("/dev/video-yichuang-none",
                         CameraProfile(reopen_interval_s=0.05))
    assert isinstance(source, V4L2Source)
    source.start()
    try:
        wait_for(lambda: source.get_status().get("code") not in (None, "not_started"))
        status = source.get_status()
    finally:
        source.stop()
    if importlib.util.find_spec("cv2") is None:       # opencv-python-headless is optional
        assert status == {"state": "error", "code": "opencv_missing",
                          "message": "未安装摄像头支持组件（opencv-python-headless）"}
    else:
        assert status["state"] == "absent" and "/dev/video-yichuang-none" in status["message"]


def test_file_port_opens_an_image_sequence(images):
    source = open_source(f"file:{images}", CameraProfile(fps=30)).start()
    try:
        assert source.wait_frame(timeout=5).shape == (48, 64, 3)
    finally:
        source.stop()
