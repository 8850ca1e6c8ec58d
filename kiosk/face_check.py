"""人证核验 at the kiosk: the card photo against the camera, off the UI thread.

    check = FaceCheck(camera, post, on_update, on_done)
    check.start(record.photo)      # on its own thread: card embedding once, then tries
    check.stop()                   # the session ended: thread stopped, photo and frames gone

Each try lasts `try_s` seconds with a countdown; at most `tries` tries, then the result is
a failure and the citizen is sent to staff at the window. Camera frames and the card photo
live only in this object's memory (and the latest frame in the screen's texture): never in
a log, a file, a topic or the server; `stop()` drops them. on_update(FaceView) and
on_done(result) are handed to the UI thread through `post`.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

from drivers.face import DEFAULT_THRESHOLD

log = logging.getLogger(__name__)

TRIES = 3
TRY_S = 20.0
RETRY_PROMPT = "请再试一次"
NO_CAMERA = "摄像头不可用"
NO_PHOTO = "证件照片无法使用"


@dataclass(frozen=True)
class FaceView:
    """What the verification screen shows now."""
    prompt: str
    seconds_left: int
    attempt: int                 # 1..TRIES
    frame: Any = None            # the latest camera frame (RGB array), for the live image


class FaceCheck:
    def __init__(self, camera, post: Callable, on_update: Callable[[FaceView], None],
                 on_done: Callable[[dict], None], *, threshold: float = DEFAULT_THRESHOLD,
                 tries: int = TRIES, try_s: float = TRY_S, clock=time.monotonic,
                 now=time.time):
        self.camera, self.post = camera, post
        self.on_update, self.on_done = on_update, on_done
        self.threshold, self.tries, self.try_s = threshold, tries, try_s
        self._clock, self._now = clock, now
        self._stop = threading.Event()
        self._photo = None
        self._thread: threading.Thread | None = None

    def start(self, photo) -> None:
        self._photo = photo
        self._thread = threading.Thread(target=self._run, name="kiosk-face", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop, and drop the card photo; the frames go with the thread's locals."""
        self._stop.set()
        self._photo = None
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(3.0)

    # -- the worker thread ------------------------------------------------------------------
    def _run(self) -> None:
        try:
            card, model, attempt_class = self._prepare()
        except _Unavailable as exc:
            self._finish(self._result(False, None, "not_reached", 1), str(exc))
            return
        for number in range(1, self.tries + 1):
            outcome = self._one_try(number, card, model, attempt_class)
            if self._stop.is_set():
                return
            if outcome.passed or number == self.tries:
                self._finish(self._result(outcome.passed, outcome.distance, outcome.liveness,
                                          number), "")
                return
            self._show(RETRY_PROMPT, int(self.try_s), number + 1)
            self._stop.wait(2.0)

    def _prepare(self):
        try:
            from drivers.face.model import FaceModel, FaceModelMissing
            from drivers.face.verify import Attempt, CardFace, NoUsableFace
        except ImportError:
            raise _Unavailable("未安装人脸识别组件") from None
        if self.camera is None:
            raise _Unavailable(NO_CAMERA)
        if self._photo is None:
            raise _Unavailable(NO_PHOTO)
        try:
            model = FaceModel.shared()
            card = CardFace.from_photo(self._photo, model)
        except (FaceModelMissing, NoUsableFace) as exc:
            raise _Unavailable(str(exc)) from None
        finally:
            self._photo = None           # the embedding is all that is needed from now on
        return card, model, Attempt

    def _one_try(self, number: int, card, model, attempt_class):
        attempt = attempt_class(card, model, threshold=self.threshold)
        deadline = self._clock() + self.try_s
        seen = 0.0
        while not self._stop.is_set():
            left = deadline - self._clock()
            if left <= 0:
                return attempt.give_up()
            frame = self.camera.wait_frame(timeout=min(0.5, left), newer_than=seen)
            if frame is None:
                self._show(NO_CAMERA, int(left), number)
                continue
            seen = self._clock()
            step = attempt.feed(frame)
            if step.outcome is not None:
                return step.outcome
            self._show(step.prompt, int(deadline - self._clock()), number, frame)
        return attempt.give_up()

    def _result(self, passed: bool, distance, liveness: str, tries: int) -> dict:
        return {"result": "pass" if passed else "fail",
                "distance": None if distance is None else round(float(distance), 4),
                "liveness": liveness, "tries": tries, "at": round(self._now(), 3)}

    def _show(self, prompt: str, seconds: int, attempt: int, frame=None) -> None:
        if not self._stop.is_set():
            self.post(self.on_update, FaceView(prompt, max(seconds, 0), attempt, frame))

    def _finish(self, result: dict, reason: str) -> None:
        if reason:
            log.info("face check not possible: %s", reason)
        if not self._stop.is_set():
            self.post(self.on_done, result)


class _Unavailable(Exception):
    pass
