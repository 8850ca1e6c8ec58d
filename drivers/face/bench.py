"""`yichuang bench face`: the time of each stage of checking one live frame, and memory.

Stages: detect (HOG, no upsampling, 640x480), landmarks (5 points), embed (128-d, aligned
chip), compare; and, once per card, the card photo's embedding (upsampled detection).
The frame is a synthetic one made from a face shipped in scikit-image (needs the `face`
and `dev` extras). Target: the whole check of one frame at most 250 ms (median; the p95 is
printed too, and rises when other work shares the two cores).
"""
from __future__ import annotations

import resource
import statistics
import time

NAME = "face"
HELP = "face verification: per-stage time for one live frame, and memory"
TARGET_S = 0.250


def add_arguments(parser) -> None:
    parser.add_argument("--frames", type=int, default=20, help="frames to time (20)")
    parser.set_defaults(func=run)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _time(func, *args):
    start = time.perf_counter()
    result = func(*args)
    return result, time.perf_counter() - start


def run(args) -> int:
    from .cardphoto import to_card_photo
    from .model import FaceModel, distance
    from .samples import sample_faces
    from .synth import live_frame
    from .verify import CardFace

    model = FaceModel.shared()
    name, rgb, box = sample_faces(model)[0]
    card, card_s = _time(CardFace.from_photo, to_card_photo(rgb, box), model)
    stages: dict[str, list[float]] = {"detect": [], "landmarks": [], "embed": [], "compare": [],
                                      "whole check": []}
    for i in range(args.frames):
        frame = live_frame(rgb, box, seed=i)
        boxes, t_detect = _time(model.detect, frame, 0)
        face, t_marks = _time(model.landmarks, frame, boxes[0])
        embedding, t_embed = _time(model.embed, frame, face)
        _, t_compare = _time(distance, embedding, card.embedding)
        for stage, t in zip(stages, (t_detect, t_marks, t_embed, t_compare,
                                     t_detect + t_marks + t_embed + t_compare)):
            stages[stage].append(t)
    print(f"face bench: {args.frames} frames of 640x480 ({name}), card photo embedded once in "
          f"{card_s * 1000:.0f} ms")
    print(f"{'stage':<12} {'median ms':>10} {'p95 ms':>8}")
    for stage, values in stages.items():
        print(f"{stage:<12} {statistics.median(values) * 1000:10.1f} "
              f"{percentile(values, 0.95) * 1000:8.1f}")
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory {rss_mb:.0f} MB")
    whole = statistics.median(stages["whole check"])
    print(f"target: whole check median <= {TARGET_S * 1000:.0f} ms: "
          f"{'met' if whole <= TARGET_S else 'NOT met'}")
    return 0 if whole <= TARGET_S else 1
