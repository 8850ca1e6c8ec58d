"""Liveness by challenge and response: turn the head left and right, in a random order.

The head's turn (yaw) is measured from the 5-point landmarks: how far the point below the
nose sits from the midpoint of the eyes, along the line between the eyes, in eye distances.
A face looking at the camera gives about 0; turning moves the nose towards the side turned
to while the eyes stay nearly put. A flat picture turned or tilted in front of the camera
shrinks evenly, so this ratio barely moves: a photo or a phone screen held up never turns.

What it does not stop: a video of the card holder turning their head (played on a screen
in the order asked, or a face mask). The 5-point model gives no eyelids, so there is no blink
check (an eye aspect ratio needs 6 points per eye, which only the 68-point model, not
licensed for commercial use, provides). See docs/face.md.

Directions are the citizen's own: the camera's picture is not mirrored, so when a person
turns to their left their nose moves to the picture's right (positive yaw).
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field

import numpy as np

LEFT, RIGHT = "left", "right"
TURN_PROMPTS = {LEFT: "请向左转头", RIGHT: "请向右转头"}


def yaw(points: np.ndarray) -> float:
    """Signed nose offset from the eyes' midpoint in eye distances (+ = person's left)."""
    eyes = sorted((points[0:2].mean(axis=0), points[2:4].mean(axis=0)), key=lambda p: p[0])
    across = eyes[1] - eyes[0]
    span = float(np.linalg.norm(across))
    if span == 0:
        return 0.0
    return float(np.dot(points[4] - (eyes[0] + eyes[1]) / 2, across / span) / span)


@dataclass
class HeadTurnChallenge:
    """Feed it the landmarks of successive frames; it says when the turns were made.

    `order` is random unless given (tests). A turn the wrong way fails the challenge, so a
    recording that turns in a fixed order passes at most half of the time by luck... and
    only if it also fools the identity check before and after.
    """
    turn: float = 0.08                       # yaw change from the baseline: a small turn
    baseline_frames: int = 3
    order: list[str] = field(default_factory=lambda: secrets.SystemRandom().sample([LEFT, RIGHT], 2))
    _baseline: list[float] = field(default_factory=list)
    _done: int = 0
    _recentre: bool = False                  # after a turn, face the screen again first
    failed: str = ""

    @property
    def step(self) -> str | None:
        """The turn being asked for now; None once all are done."""
        return self.order[self._done] if self._done < len(self.order) else None

    @property
    def passed(self) -> bool:
        return self.step is None and not self.failed

    @property
    def finished(self) -> bool:
        """Passed, and facing the screen again (ready for the last comparison)."""
        return self.passed and not self._recentre

    def feed(self, points: np.ndarray) -> None:
        value = yaw(points)
        if len(self._baseline) < self.baseline_frames:
            self._baseline.append(value)
            return
        if self.failed:
            return
        change = value - float(np.median(self._baseline))
        if abs(change) < self.turn / 2:
            self._recentre = False           # facing the screen again
            return
        if self.step is None or abs(change) < self.turn:
            return
        if (LEFT if change > 0 else RIGHT) == self.step:
            self._done += 1
            self._recentre = True
        elif not self._recentre:             # (still turned the last way asked: not wrong)
            self.failed = "wrong_way"
