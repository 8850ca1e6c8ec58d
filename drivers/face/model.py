"""The dlib models behind face verification, loaded once per process.

Only the public-domain models are used: the HOG frontal face detector, the 5-point landmark
model and the 128-d ResNet embedding. dlib's 68-point landmark model may not be used in a
commercial product, so it is never loaded: we call dlib directly rather than through
face_recognition's `api` module, which loads the 68-point model when imported.

The model files ship in the face-recognition-models wheel. They are located through package
metadata, without importing that package: its __init__ imports pkg_resources, which
setuptools 82+ no longer has (and whose import can end the process with exit code 0).
"""
from __future__ import annotations

import importlib.metadata
import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np

LANDMARKS_5 = "face_recognition_models/models/shape_predictor_5_face_landmarks.dat"
EMBEDDING = "face_recognition_models/models/dlib_face_recognition_resnet_model_v1.dat"


class FaceModelMissing(Exception):
    """dlib or the model files are not installed; str() is the Chinese reason for staff."""


@dataclass(frozen=True)
class Box:
    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top

    @property
    def centre(self) -> tuple[float, float]:
        return (self.left + self.right) / 2, (self.top + self.bottom) / 2


@dataclass
class Face:
    box: Box
    points: np.ndarray                       # 5 x 2 (x, y): 4 eye corners, then below the nose
    shape: Any = field(default=None, repr=False)   # dlib's landmark object, for embedding


def model_file(name: str) -> str:
    try:
        path = importlib.metadata.distribution("face_recognition_models").locate_file(name)
    except importlib.metadata.PackageNotFoundError:
        raise FaceModelMissing("未安装人脸模型（face-recognition-models）") from None
    if not path.exists():
        raise FaceModelMissing(f"人脸模型文件缺失：{name}")
    return str(path)


class FaceModel:
    """detect -> landmarks -> embed. Thread-safe: dlib's objects are used under one lock."""

    _shared: FaceModel | None = None
    _shared_lock = threading.Lock()

    def __init__(self):
        try:
            import dlib
        except ImportError:
            raise FaceModelMissing("未安装人脸识别组件（dlib-bin）") from None
        self._detector = dlib.get_frontal_face_detector()
        self._predictor = dlib.shape_predictor(model_file(LANDMARKS_5))
        self._encoder = dlib.face_recognition_model_v1(model_file(EMBEDDING))
        self._rect = dlib.rectangle
        self._resize = dlib.resize_image
        self._lock = threading.Lock()

    @classmethod
    def shared(cls) -> FaceModel:
        """One model per process: loading takes ~0.5 s and ~100 MB."""
        with cls._shared_lock:
            if cls._shared is None:
                cls._shared = cls()
            return cls._shared

    def detect(self, rgb: np.ndarray, upsample: int = 0, scale: float = 1.0) -> list[Box]:
        """Face boxes in the image's own pixels, clipped to it. Upsampling finds smaller
        faces (80 px at 0); `scale` < 1 searches a smaller copy, faster (the HOG's cost
        follows the pixel count) but only for faces from 80 / scale px."""
        height, width = rgb.shape[:2]
        image = rgb if scale == 1.0 else self._resize(
            rgb, round(height * scale), round(width * scale))
        with self._lock:
            rects = self._detector(image, upsample)
        return [Box(max(round(r.left() / scale), 0), max(round(r.top() / scale), 0),
                    min(round(r.right() / scale), width), min(round(r.bottom() / scale), height))
                for r in rects]

    def landmarks(self, rgb: np.ndarray, box: Box) -> Face:
        with self._lock:
            shape = self._predictor(rgb, self._rect(box.left, box.top, box.right, box.bottom))
        points = np.array([(p.x, p.y) for p in shape.parts()], dtype=float)
        return Face(box, points, shape)

    def embed(self, rgb: np.ndarray, face: Face) -> np.ndarray:
        """The 128-d embedding of the face aligned by its 5 points (dlib's 150x150 chip)."""
        with self._lock:
            return np.array(self._encoder.compute_face_descriptor(rgb, face.shape, 0))


def distance(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b))
