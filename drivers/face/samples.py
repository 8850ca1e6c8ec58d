"""Faces shipped inside installable packages, for tests, calibration and demos.

None of these is in this repository; they are read from the installed packages:
- scikit-image `skimage.data.astronaut()`: Eileen Collins, a NASA photograph in the public
  domain (skimage/data/README.txt).
- the insightface 2.1 wheel (installed with --no-deps and never imported; code MIT):
  `t1.jpg` (six people) and `Tom_Hanks_54745.png` (a 112x112 aligned crop). The wheel states
  no separate licence for these pictures; they are used only as test data, never copied.
Each sample is (name, RGB array, face box); t1.jpg gives six, ordered left to right.
"""
from __future__ import annotations

import importlib.metadata

import numpy as np
from PIL import Image

from .model import Box, FaceModel
from .verify import best_face

INSIGHTFACE_IMAGES = "insightface/data/images/"


class SamplesMissing(Exception):
    pass


def _insightface(name: str) -> np.ndarray:
    try:
        path = importlib.metadata.distribution("insightface").locate_file(INSIGHTFACE_IMAGES + name)
    except importlib.metadata.PackageNotFoundError:
        raise SamplesMissing("pip install --no-deps insightface==2.1") from None
    return np.asarray(Image.open(path).convert("RGB"))


def sample_faces(model: FaceModel | None = None) -> list[tuple[str, np.ndarray, Box]]:
    model = model or FaceModel.shared()
    try:
        from skimage import data
    except ImportError:
        raise SamplesMissing("pip install scikit-image") from None
    astronaut = data.astronaut()
    faces = [("astronaut", astronaut, best_face(model, astronaut, (0,)).box)]
    group = _insightface("t1.jpg")
    boxes = sorted(model.detect(group, 0), key=lambda b: b.left)
    faces += [(f"t1-{i + 1}", group, box) for i, box in enumerate(boxes)]
    hanks = _insightface("Tom_Hanks_54745.png")
    faces.append(("tom-hanks", hanks, best_face(model, hanks, (0,)).box))
    return faces
