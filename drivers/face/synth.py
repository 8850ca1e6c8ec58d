"""Synthetic variations of a face picture: live camera frames and a head that turns.

For tests, calibration and the demo. What they can prove: that the pipeline, its gates and
its decisions behave as designed on these variations. What they cannot: how the threshold
does on real cameras and real people (a variation is still the same photograph).
"""
from __future__ import annotations

import numpy as np
from PIL import Image, ImageEnhance, ImageFilter

from .model import Box

FRAME_SIZE = (640, 480)


def live_frame(rgb: np.ndarray, box: Box, *, face_width: int = 190, light: float = 1.0,
               blur: float = 0.0, angle: float = 0.0, dx: int = 0,
               seed: int = 0) -> np.ndarray:
    """A 640x480 frame with the face `face_width` px wide near the centre, on a plain wall."""
    scale = face_width / box.width
    cx, cy = box.centre
    half_w, half_h = FRAME_SIZE[0] / 2 / scale, FRAME_SIZE[1] / 2 / scale
    region = (round(cx - half_w), round(cy - half_h * 0.9), round(cx + half_w), round(cy + half_h * 1.1))
    wall = Image.new("RGB", FRAME_SIZE, (128, 132, 140))
    face = Image.fromarray(rgb).crop(region).resize(FRAME_SIZE, Image.BICUBIC)
    if angle:
        face = face.rotate(angle, Image.BICUBIC, center=(FRAME_SIZE[0] / 2, FRAME_SIZE[1] * 0.45),
                           fillcolor=(128, 132, 140))
    wall.paste(face, (dx, 0))
    frame = wall
    if light != 1.0:
        frame = ImageEnhance.Brightness(frame).enhance(light)
    if blur:
        frame = frame.filter(ImageFilter.GaussianBlur(blur))
    out = np.asarray(frame).astype(np.float32)
    out += np.random.default_rng(seed).normal(0, 3, out.shape)     # sensor noise
    out = np.clip(out, 0, 255).astype(np.uint8)
    return out

def turn_head(frame: np.ndarray, nose: tuple[float, float], face_width: float,
              amount: float) -> np.ndarray:
    """A crude stand-in for a head turned by about `amount` radians (+ = the person's left,
    the picture's right): each point moves sideways by its depth times the turn, the head
    taken as a cylinder with the nose standing out. `nose` is the landmark below the nose in
    the frontal frame. Enough to move the landmarks as a turn does; not a realistic face."""
    height, width = frame.shape[:2]
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    radius = face_width * 0.6
    across = np.clip((xs - nose[0]) / radius, -1, 1)
    depth = radius * np.sqrt(1 - across ** 2)
    depth += face_width * 0.5 * np.exp(-((xs - nose[0]) / (face_width * 0.12)) ** 2
                                        - ((ys - nose[1]) / (face_width * 0.18)) ** 2)
    inside = np.abs(ys - nose[1]) < face_width * 0.9
    shift = np.where(inside, np.sin(amount) * depth, 0)
    source_x = np.clip(np.round(xs - shift), 0, width - 1).astype(int)
    return frame[ys.astype(int), source_x]


def turned_heads(model, frontal: np.ndarray, amount: float = 0.35) -> dict[str, np.ndarray]:
    """The frontal frame's head turned left and right by `amount`. The warp is sized on the
    face as found in the whole frame (the pipeline may search a smaller copy, whose boxes
    are quantized differently): the same test input whatever the detection does."""
    face = model.landmarks(frontal, model.detect(frontal, 0)[0])
    return {way: turn_head(frontal, face.points[4], face.box.width,
                           amount if way == "left" else -amount) for way in ("left", "right")}
