"""Calibration of the match threshold on faces shipped in installable packages.

Each identity's card photo (the picture framed and compressed as on a card) is compared with
synthetic live frames of the same person (genuine pairs) and of every other person (impostor
pairs). The frames vary distance, light, blur and head tilt; every one is a variation of
one photograph per person, so genuine pairs here are easier than real ones: the rates say
how the pipeline behaves on these pictures, not what a hall will see (docs/face.md).
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from . import synth
from .cardphoto import to_card_photo
from .model import FaceModel, distance
from .samples import sample_faces
from .verify import CardFace, NoUsableFace, live_faces

VARIATIONS = [dict(face_width=w, light=li, blur=bl, angle=an, seed=i)
              for i, (w, li, bl, an) in enumerate(itertools.product(
                  (160, 230), (0.7, 1.0, 1.3), (0.0, 1.2), (-6, 6)))]


@dataclass
class Pairs:
    genuine: list[float]
    impostor: list[float]
    no_card_face: list[str]
    no_live_face: int

    def rates(self, threshold: float) -> tuple[float, float]:
        """(false-accept rate, false-reject rate) at `threshold`."""
        far = sum(d <= threshold for d in self.impostor) / len(self.impostor)
        frr = sum(d > threshold for d in self.genuine) / len(self.genuine)
        return far, frr


def collect(model: FaceModel | None = None, variations=VARIATIONS) -> Pairs:
    model = model or FaceModel.shared()
    cards, live, missing, no_live = {}, {}, [], 0
    for name, rgb, box in sample_faces(model):
        try:
            cards[name] = CardFace.from_photo(to_card_photo(rgb, box), model).embedding
        except NoUsableFace:
            missing.append(name)
        live[name] = []
        for variation in variations:
            frame = synth.live_frame(rgb, box, **variation)
            faces = live_faces(model, frame)
            if len(faces) != 1:
                no_live += 1
                continue
            live[name].append(model.embed(frame, faces[0]))
    genuine, impostor = [], []
    for card_name, card in cards.items():
        for live_name, embeddings in live.items():
            target = genuine if live_name == card_name else impostor
            target.extend(distance(card, e) for e in embeddings)
    return Pairs(genuine, impostor, missing, no_live)


def report(pairs: Pairs, thresholds=np.arange(0.40, 0.62, 0.02)) -> str:
    g, i = np.array(pairs.genuine), np.array(pairs.impostor)
    lines = [f"genuine pairs {len(g)}: distance min {g.min():.3f} median {np.median(g):.3f} "
             f"max {g.max():.3f}",
             f"impostor pairs {len(i)}: distance min {i.min():.3f} median {np.median(i):.3f} "
             f"max {i.max():.3f}",
             f"card photos without a face found: {', '.join(pairs.no_card_face) or 'none'}; "
             f"live frames without exactly one face: {pairs.no_live_face}",
             "threshold  false-accept  false-reject"]
    for t in thresholds:
        far, frr = pairs.rates(float(t))
        lines.append(f"{t:9.2f}  {far:12.4%}  {frr:12.4%}")
    return "\n".join(lines)
