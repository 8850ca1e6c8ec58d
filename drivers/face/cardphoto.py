"""The ID card's photo: 102x126 pixels stored in 1024 bytes, and how a picture becomes one.

The card stores its photo in a 1024-byte wavelet format (WLT) that only vendor code decodes.
To test with pictures of our own (the simulator's cards, `yichuang face compare --card`), a
picture is cut to the card's framing and JPEG-compressed into the same 1024 bytes, which
loses about as much detail.
"""
from __future__ import annotations

import io

import numpy as np
from PIL import Image

from .model import Box

CARD_SIZE = (102, 126)          # width, height (GA 450 / the reader's decoded image)
CARD_BYTES = 1024
FACE_WIDTH_SHARE = 0.62         # the detector's face box spans this share of the card's width
FACE_CENTRE_HEIGHT = 0.55       # ... and its centre sits this far down the card


def card_crop(box: Box, image_size: tuple[int, int]) -> tuple[int, int, int, int]:
    """The region of a picture that, scaled to 102x126, frames the face as a card does."""
    width = box.width / FACE_WIDTH_SHARE
    height = width * CARD_SIZE[1] / CARD_SIZE[0]
    cx, cy = box.centre
    left, top = cx - width / 2, cy - height * FACE_CENTRE_HEIGHT
    return round(left), round(top), round(left + width), round(top + height)


def to_card_photo(rgb: np.ndarray, box: Box) -> bytes:
    """JPEG bytes (at most 1024) of the face in `box` framed and sized as on a card."""
    image = Image.fromarray(rgb).crop(card_crop(box, (rgb.shape[1], rgb.shape[0])))
    image = image.resize(CARD_SIZE, Image.LANCZOS)
    for quality in range(60, 4, -5):
        out = io.BytesIO()
        image.save(out, "JPEG", quality=quality, optimize=True)
        if out.tell() <= CARD_BYTES:
            return out.getvalue()
    raise ValueError("picture does not compress into a card photo")


def card_image(photo: Image.Image | bytes) -> np.ndarray:
    """The card photo as an RGB array (from the decoder's image, or the simulator's bytes)."""
    if isinstance(photo, (bytes, bytearray)):
        photo = Image.open(io.BytesIO(bytes(photo)))
    return np.asarray(photo.convert("RGB"))
