"""`yichuang bench face`: the time of each stage of checking one live frame, and memory.

Stages as a live frame goes through them (verify.live_faces): detect (HOG, no upsampling, on
the 640x480 frame scaled to 3/4), landmarks (5 points, full resolution), embed (128-d,
aligned chip), compare; and, once per card, the card photo's embedding (upsampled
detection). The full-frame detection is timed alongside, for comparison. The load average
is printed with the figures: on this shared 2-core machine it moves them more than any code.
The frame is a synthetic one made from a face shipped in scikit-image (needs the `face`
and `dev` extras). Target: the whole check of one frame at most 250 ms (median; the p95 is
printed too, and rises when other work shares the two cores).
"""
from __future__ import annotations

import os
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
    """(result, wall seconds, CPU seconds): on a loaded machine the wall time also holds the
    wait for a core, the CPU time only the work."""
    start, cpu_start = time.perf_counter(), time.process_time()
    result = func(*args)
    return result, time.perf_counter() - start, time.process_time() - cpu_start


def _row(label: str, wall: list[float], cpu: list[float]) -> str:
    figures = [f(v) * 1000 for v in (wall, cpu) for f in (statistics.median,
                                                          lambda v: percentile(v, 0.95))]
    return f"{label:<20}" + "".join(f"{x:10.1f}" for x in figures)


def run(args) -> int:
    from .cardphoto import to_card_photo
    from .model import FaceModel, distance
    from .samples import sample_faces
    from .synth import live_frame
    from .verify import LIVE_DETECT_SCALE, CardFace

    model = FaceModel.shared()
    name, rgb, box = sample_faces(model)[0]
    card, card_s, _ = _time(CardFace.from_photo, to_card_photo(rgb, box), model)
    names = ("detect", "landmarks", "embed", "compare", "whole check", "(full-frame detect)")
    wall: dict[str, list[float]] = {n: [] for n in names}
    cpu: dict[str, list[float]] = {n: [] for n in names}
    for i in range(args.frames):
        frame = live_frame(rgb, box, seed=i)
        boxes, *detect = _time(model.detect, frame, 0, LIVE_DETECT_SCALE)
        face, *marks = _time(model.landmarks, frame, boxes[0])
        embedding, *embed = _time(model.embed, frame, face)
        _, *compare = _time(distance, embedding, card.embedding)
        _, *full = _time(model.detect, frame, 0)
        steps = (detect, marks, embed, compare)
        whole = [sum(step[k] for step in steps) for k in (0, 1)]
        for stage, (w, c) in zip(names, (*steps, whole, full)):
            wall[stage].append(w)
            cpu[stage].append(c)
    print(f"face bench: {args.frames} frames of 640x480 ({name}), card photo embedded once in "
          f"{card_s * 1000:.0f} ms; detection on the frame scaled by {LIVE_DETECT_SCALE}")
    print(f"{'stage':<20}{'median ms':>10}{'p95 ms':>10}{'cpu med':>10}{'cpu p95':>10}")
    for stage in names:
        print(_row(stage, wall[stage], cpu[stage]))
    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.1f}" for x in os.getloadavg())
          + f" on {os.cpu_count()} cores")
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory {rss_mb:.0f} MB")
    median = statistics.median(wall["whole check"])
    print(f"target: whole check median <= {TARGET_S * 1000:.0f} ms: "
          f"{'met' if median <= TARGET_S else 'NOT met'}")
    return 0 if median <= TARGET_S else 1
