"""Quality gates a live frame passes before its face is compared, each with its prompt.

Checked in this order, the first that fails gives the prompt shown and spoken:
exactly one face, big enough (and not too big), facing the screen, lit well enough, sharp
enough. Sharpness is the variance of the Laplacian of the face scaled to a fixed size, so
it does not depend on how far away the person stands.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from .liveness import yaw
from .model import Face


@dataclass(frozen=True)
class Prompt:
    code: str
    text: str          # what the citizen reads and hears


NO_FACE = Prompt("no_face", "请正对屏幕")
MANY_FACES = Prompt("many_faces", "请一个人站在镜头前")
TOO_SMALL = Prompt("too_small", "请靠近一点")
TOO_BIG = Prompt("too_big", "请离远一点")
NOT_FRONTAL = Prompt("not_frontal", "请正对屏幕")
TOO_DARK = Prompt("too_dark", "光线太暗")
TOO_BRIGHT = Prompt("too_bright", "光线太亮，请避开强光")
BLURRED = Prompt("blurred", "请保持不动")


@dataclass(frozen=True)
class Gates:
    min_face_share: float = 0.22     # face box width / frame width (~140 px of 640)
    max_face_share: float = 0.75
    max_yaw: float = 0.12            # |nose offset| / eye distance when facing the screen
    min_brightness: float = 60       # mean luma of the face, 0-255
    max_brightness: float = 215
    min_sharpness: float = 40        # Laplacian variance of the face at 112x112


def luma(rgb: np.ndarray) -> np.ndarray:
    return rgb[..., :3].astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)


def sharpness(gray: np.ndarray) -> float:
    """Variance of the 4-neighbour Laplacian: low when the image is blurred."""
    lap = (gray[:-2, 1:-1] + gray[2:, 1:-1] + gray[1:-1, :-2] + gray[1:-1, 2:]
           - 4 * gray[1:-1, 1:-1])
    return float(lap.var())


def face_luma(rgb: np.ndarray, face: Face) -> np.ndarray:
    b = face.box
    crop = Image.fromarray(rgb[b.top:b.bottom, b.left:b.right]).resize((112, 112))
    return luma(np.asarray(crop))


def check(rgb: np.ndarray, faces: list[Face], gates: Gates = Gates()) -> Prompt | None:
    """None when the frame is good enough to compare, else the prompt to give."""
    if not faces:
        return NO_FACE
    if len(faces) > 1:
        return MANY_FACES
    face = faces[0]
    share = face.box.width / rgb.shape[1]
    if share < gates.min_face_share:
        return TOO_SMALL
    if share > gates.max_face_share:
        return TOO_BIG
    if abs(yaw(face.points)) > gates.max_yaw:
        return NOT_FRONTAL
    gray = face_luma(rgb, face)
    brightness = float(gray.mean())
    if brightness < gates.min_brightness:
        return TOO_DARK
    if brightness > gates.max_brightness:
        return TOO_BRIGHT
    if sharpness(gray) < gates.min_sharpness:
        return BLURRED
    return None
