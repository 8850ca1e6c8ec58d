"""Faces for the face verification tests: only pictures shipped in installed packages
(drivers/face/samples.py), and synthetic variations of them. Never a file in this repository."""
from __future__ import annotations

import pytest

from drivers.face import synth
from drivers.face.cardphoto import to_card_photo
from drivers.face.model import FaceModel
from drivers.face.samples import sample_faces


@pytest.fixture(scope="session")
def model():
    return FaceModel.shared()


@pytest.fixture(scope="session")
def samples(model):
    return {name: (rgb, box) for name, rgb, box in sample_faces(model)}


@pytest.fixture(scope="session")
def card_photo(samples):
    """name -> the JPEG bytes of that person's card photo."""
    return {name: to_card_photo(rgb, box) for name, (rgb, box) in samples.items()}


def turning_frames(model, rgb, box, order, amount=0.35, **variation):
    """Frames of a head that faces the camera, turns each way in `order`, and faces it again."""
    frontal = synth.live_frame(rgb, box, **variation)
    turned = synth.turned_heads(model, frontal, amount)
    return ([frontal] * 4 + [turned[order[0]]] * 2 + [frontal] * 2 + [turned[order[1]]] * 2
            + [frontal] * 3)
