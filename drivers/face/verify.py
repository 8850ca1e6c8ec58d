"""One verification try: the card photo against live frames, with quality gates and liveness.

    card = CardFace.from_photo(record.photo)          # embedding computed once per card
    attempt = Attempt(card, FaceModel.shared(), threshold=...)
    for frame in frames:                               # on a worker thread, never the UI's
        step = attempt.feed(frame)                     # step.prompt: what to show and say
        if step.outcome: break                         # passed / failed, distance, liveness

A try passes when a frontal frame matches the card, the head turns as asked, and a frontal
frame after the turns matches the card again (so the face that turned is the card holder's,
not someone standing in for the turns). Between frames the face may not jump.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from . import DEFAULT_THRESHOLD, quality
from .cardphoto import card_image
from .liveness import TURN_PROMPTS, HeadTurnChallenge
from .model import Face, FaceModel, distance

CARD_UPSAMPLE = (1, 2)
LIVENESS_FAILURES = ("wrong_way", "face_jumped", "many_faces")         # the 102x126 card photo's face is ~60 px: HOG needs 80 px


class NoUsableFace(Exception):
    """An image has no face to compare; str() is the Chinese reason."""


@dataclass(frozen=True)
class CardFace:
    embedding: np.ndarray

    @classmethod
    def from_photo(cls, photo, model: FaceModel | None = None) -> CardFace:
        """The card photo's embedding; upsampled until exactly one face is found."""
        model = model or FaceModel.shared()
        rgb = card_image(photo)
        for upsample in CARD_UPSAMPLE:
            boxes = model.detect(rgb, upsample)
            if len(boxes) == 1:
                return cls(model.embed(rgb, model.landmarks(rgb, boxes[0])))
        raise NoUsableFace("证件照片中未找到人脸")


# A live frame is searched at 3/4 size (a 640x480 frame as 480x360: about 60% of the time),
# which finds faces from about 100 px (HOG's 80 px window / 0.75): every face the size gate
# lets through (22% of 640 = 141 px). Only when that finds none is the whole frame searched,
# so a face too far away (80-100 px) still hears 请靠近一点. Landmarks and the embedding use the full-resolution frame.
LIVE_DETECT_SCALE = 0.75


def live_faces(model: FaceModel, rgb: np.ndarray) -> list[Face]:
    boxes = model.detect(rgb, 0, LIVE_DETECT_SCALE) or model.detect(rgb, 0)
    return [model.landmarks(rgb, box) for box in boxes]


def best_face(model: FaceModel, rgb: np.ndarray, upsample: tuple[int, ...] = (0, 1)) -> Face:
    """The one face of a still picture (CLI, calibration): the largest one found."""
    for level in upsample:
        boxes = model.detect(rgb, level)
        if boxes:
            return model.landmarks(rgb, max(boxes, key=lambda b: b.width * b.height))
    raise NoUsableFace("图片中未找到人脸")


@dataclass(frozen=True)
class Outcome:
    passed: bool
    distance: float | None          # the larger of the two comparisons (None: never compared)
    liveness: str                   # passed | failed | not_reached
    reason: str                     # passed, no_match, wrong_way, face_jumped, ...


@dataclass(frozen=True)
class Step:
    prompt: str
    outcome: Outcome | None = None


@dataclass
class Attempt:
    card: CardFace
    model: FaceModel
    threshold: float = DEFAULT_THRESHOLD
    gates: quality.Gates = field(default_factory=quality.Gates)
    challenge: HeadTurnChallenge = field(default_factory=HeadTurnChallenge)
    distances: list[float] = field(default_factory=list)
    _last: Face | None = None
    timings: dict = field(default_factory=dict)      # stage -> seconds, for the last frame

    def feed(self, rgb: np.ndarray) -> Step:
        faces = self._timed("detect_landmarks", live_faces, self.model, rgb)
        if self.distances and not self.challenge.finished:
            turning = self._turning(faces)
            if turning is not None:
                return turning
        prompt = quality.check(rgb, faces, self.gates)
        if prompt is not None:
            return Step(prompt.text)
        if not self._continuous(faces[0]):
            return self._fail("face_jumped")
        embedding = self._timed("embed", self.model.embed, rgb, faces[0])
        self.distances.append(self._timed("compare", distance, embedding, self.card.embedding))
        if self.distances[-1] > self.threshold:
            return self._fail("no_match")
        if self.challenge.finished:
            return Step("核验通过", Outcome(True, max(self.distances), "passed", "passed"))
        self.challenge.feed(faces[0].points)
        return Step(TURN_PROMPTS[self.challenge.step])

    def give_up(self) -> Outcome:
        """The time for this try ran out."""
        liveness = "not_reached" if not self.distances else (
            "passed" if self.challenge.passed else "failed")
        return Outcome(False, max(self.distances, default=None), liveness, "timeout")

    def _turning(self, faces: list[Face]) -> Step | None:
        """The step while the head turns; None once this frame faces the screen again."""
        if len(faces) > 1:
            return self._fail("many_faces")
        if faces:
            if not self._continuous(faces[0]):
                return self._fail("face_jumped")
            self.challenge.feed(faces[0].points)
        if self.challenge.failed:
            return self._fail(self.challenge.failed)
        if self.challenge.finished:
            return None
        if self.challenge.passed:
            return Step(quality.NOT_FRONTAL.text)
        return Step(TURN_PROMPTS[self.challenge.step])

    def _continuous(self, face: Face) -> bool:
        """The face moved less than its own width since the last frame it was seen in."""
        last, self._last = self._last, face
        if last is None:
            return True
        (x0, y0), (x1, y1) = last.box.centre, face.box.centre
        return np.hypot(x1 - x0, y1 - y0) < last.box.width

    def _fail(self, reason: str) -> Step:
        liveness = ("passed" if self.challenge.passed
                    else "failed" if reason in LIVENESS_FAILURES else "not_reached")
        return Step("核验未通过", Outcome(False, max(self.distances, default=None), liveness, reason))

    def _timed(self, stage: str, func, *args):
        start = time.perf_counter()
        result = func(*args)
        self.timings[stage] = time.perf_counter() - start
        return result
