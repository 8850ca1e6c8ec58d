"""`yichuang face compare|calibrate`: the face verification pipeline on pictures.

    yichuang face compare LIVE.jpg CARD.jpg [--card]     exit 0 match, 1 no match, 2 no face
    yichuang face compare --pairs pairs.csv [--card]     CSV a,b,distance,match per pair
    yichuang face calibrate                               FAR / FRR on the shipped faces

The first picture plays the live camera frame, the second the card photo (with --card it is
first made into one: framed, 102x126, compressed into 1024 bytes as the card stores it).
"""
from __future__ import annotations

import argparse
import csv
import sys

NO_FACE_EXIT = 2


def register(subparsers) -> None:
    face = subparsers.add_parser("face", help="face verification: compare pictures, calibrate",
                                 description=__doc__.split("\n\n")[0])
    sub = face.add_subparsers(dest="face_command", metavar="ACTION", required=True)
    compare = sub.add_parser("compare", help="compare two pictures, or the pairs in a CSV file")
    compare.add_argument("images", nargs="*", metavar="IMAGE",
                         help="LIVE CARD: the live picture, then the card photo")
    compare.add_argument("--pairs", metavar="FILE.csv", help="CSV with columns a,b (image paths)")
    compare.add_argument("--card", action="store_true",
                         help="make the second picture into an ID card photo first")
    compare.add_argument("--threshold", type=float, default=None,
                         help="match when the distance is at most this (default: calibrated)")
    compare.set_defaults(func=run_compare)
    sub.add_parser("calibrate", help="false-accept / false-reject rates on the shipped faces "
                   "(about a minute)").set_defaults(func=run_calibrate)


class Comparer:
    """Embeddings cached per path and side, so a pairs file embeds each picture once."""

    def __init__(self, card: bool, threshold: float | None):
        from drivers.face.model import FaceModel
        from drivers.face.verify import DEFAULT_THRESHOLD

        self.model = FaceModel.shared()
        self.card, self.threshold = card, threshold if threshold is not None else DEFAULT_THRESHOLD
        self._cache: dict = {}

    def distance(self, live_path: str, card_path: str) -> float:
        from drivers.face.model import distance

        return distance(self._embed(live_path, False), self._embed(card_path, True))

    def _embed(self, path: str, card_side: bool):
        key = (path, card_side)
        if key not in self._cache:
            self._cache[key] = self._compute(path, card_side)
        return self._cache[key]

    def _compute(self, path: str, card_side: bool):
        import numpy as np
        from PIL import Image, UnidentifiedImageError

        from drivers.face.cardphoto import to_card_photo
        from drivers.face.verify import CardFace, NoUsableFace, best_face

        try:
            rgb = np.asarray(Image.open(path).convert("RGB"))
        except (OSError, UnidentifiedImageError) as exc:
            raise NoUsableFace(f"图片无法读取：{path}（{exc}）") from exc
        if card_side and self.card:
            return CardFace.from_photo(to_card_photo(rgb, best_face(self.model, rgb).box),
                                       self.model).embedding
        if card_side:
            return CardFace.from_photo(rgb, self.model).embedding
        return self.model.embed(rgb, best_face(self.model, rgb))


def run_compare(args: argparse.Namespace) -> int:
    from drivers.face.verify import NoUsableFace

    if bool(args.pairs) == bool(args.images) or (args.images and len(args.images) != 2):
        print("give two pictures (LIVE CARD) or --pairs FILE.csv", file=sys.stderr)
        return NO_FACE_EXIT
    comparer = Comparer(args.card, args.threshold)
    if args.pairs:
        return _compare_pairs(comparer, args.pairs)
    try:
        d = comparer.distance(*args.images)
    except NoUsableFace as exc:
        print(f"no usable face: {exc}", file=sys.stderr)
        return NO_FACE_EXIT
    match = d <= comparer.threshold
    print(f"distance {d:.4f} threshold {comparer.threshold:.2f}: {'match' if match else 'no match'}")
    return 0 if match else 1


def _compare_pairs(comparer: Comparer, path: str) -> int:
    from drivers.face.verify import NoUsableFace

    try:
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
    except OSError as exc:
        print(f"cannot read {path}: {exc}", file=sys.stderr)
        return NO_FACE_EXIT
    if rows and not {"a", "b"} <= set(rows[0]):
        print(f"{path}: needs columns a,b", file=sys.stderr)
        return NO_FACE_EXIT
    out, worst = csv.writer(sys.stdout, lineterminator="\n"), 0
    out.writerow(["a", "b", "distance", "match"])
    for row in rows:
        try:
            d = comparer.distance(row["a"], row["b"])
        except NoUsableFace as exc:
            print(f"{row['a']},{row['b']}: no usable face: {exc}", file=sys.stderr)
            out.writerow([row["a"], row["b"], "", ""])
            worst = NO_FACE_EXIT
            continue
        out.writerow([row["a"], row["b"], f"{d:.4f}", int(d <= comparer.threshold)])
    return worst


def run_calibrate(_args: argparse.Namespace) -> int:
    from drivers.face.calibrate import collect, report

    print(report(collect()))
    return 0
