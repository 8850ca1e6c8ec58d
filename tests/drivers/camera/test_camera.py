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


def test_capture_target_opens_v4l2_devices_by_index(tmp_path):
    from drivers.camera.source import capture_target
    link = tmp_path / "usb-Camera-video-index0"          # like /dev/v4l/by-id/...
    link.symlink_to("/dev/video7")
    assert capture_target(str(link)) == (7, "v4l2")
    assert capture_target("/dev/video2") == (2, "v4l2") and capture_target(0) == (0, "v4l2")
    assert capture_target("/dev/video-none") == ("/dev/video-none", "v4l2")
    assert capture_target(str(tmp_path / "hall.avi")) == (str(tmp_path / "hall.avi"), "any")


# -- with the real OpenCV (opencv-python-headless, the `camera` extra) ----------------------
def test_real_opencv_reports_a_missing_camera_absent():
    import cv2  # noqa: F401  the camera extra, installed by `make test`
    source = V4L2Source("/dev/video99", reopen_interval_s=0.05).start()
    try:
        wait_for(lambda: source.get_status().get("code") not in (None, "not_started"))
        status = source.get_status()
    finally:
        source.stop()
    assert status == {"state": "absent", "code": "absent", "message": "摄像头未连接（/dev/video99）"}


def test_real_opencv_delivers_rgb_frames_then_reports_the_stall(tmp_path):
    import cv2    # the camera extra, installed by `make test`
    video = tmp_path / "hall.avi"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 10, (64, 48))
    for _ in range(5):
        writer.write(np.full((48, 64, 3), (0, 0, 255), np.uint8))     # red, in OpenCV's BGR
    writer.release()
    source = V4L2Source(str(video), stall_timeout_s=0.3, reopen_interval_s=30)
    threads = set()
    source.subscribe(lambda frame: threads.add(threading.current_thread().name))
    source.start()
    try:
        frame = source.wait_frame(timeout=5)
        wait_for(lambda: source.get_status().get("code") == "no_frames")   # the file ended
    finally:
        source.stop()
    r, g, b = (int(v) for v in frame[24, 32])
    assert frame.shape == (48, 64, 3) and r > 200 and g < 60 and b < 60   # RGB for the caller
    assert threads == {"V4L2Source"}
    assert source.get_status()["state"] == "error"
