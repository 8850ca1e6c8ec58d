"""`yichuang face compare`: distance, decision and exit code; many pairs in one process."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from drivers.face import synth

ROOT = Path(__file__).resolve().parents[2]


def yichuang(*args):
    return subprocess.run([sys.executable, "-m", "queue_server.cli", "face", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def pictures(samples, tmp_path_factory):
    folder = tmp_path_factory.mktemp("faces")
    paths = {}
    for name, variation in (("astronaut", {}), ("t1-1", {})):
        rgb, box = samples[name]
        paths[name] = folder / f"{name}.png"
        Image.fromarray(synth.live_frame(rgb, box, **variation)).save(paths[name])
    rgb, box = samples["astronaut"]
    paths["astronaut-dim"] = folder / "astronaut-dim.png"
    Image.fromarray(synth.live_frame(rgb, box, light=0.8, face_width=220, seed=3)).save(
        paths["astronaut-dim"])
    paths["wall"] = folder / "wall.png"
    Image.fromarray(np.full((480, 640, 3), 128, np.uint8)).save(paths["wall"])
    return paths


def test_same_person_as_a_card_photo_matches_exit_0(pictures):
    run = yichuang("compare", str(pictures["astronaut-dim"]), str(pictures["astronaut"]), "--card")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("distance 0.") and run.stdout.strip().endswith(": match")


def test_different_people_do_not_match_exit_1(pictures):
    run = yichuang("compare", str(pictures["t1-1"]), str(pictures["astronaut"]), "--card")
    assert run.returncode == 1 and run.stdout.strip().endswith(": no match")


def test_a_picture_without_a_face_exits_2(pictures):
    run = yichuang("compare", str(pictures["wall"]), str(pictures["astronaut"]))
    assert run.returncode == 2 and "no usable face" in run.stderr and run.stdout == ""


def test_pairs_file_gives_one_csv_line_per_pair(pictures, tmp_path):
    p = {k: str(v) for k, v in pictures.items()}
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("a,b\n" + "\n".join([f"{p['astronaut-dim']},{p['astronaut']}",
                                          f"{p['t1-1']},{p['astronaut']}",
                                          f"{p['wall']},{p['astronaut']}"]) + "\n")
    run = yichuang("compare", "--pairs", str(pairs), "--card")
    lines = [line.split(",") for line in run.stdout.splitlines()]
    assert lines[0] == ["a", "b", "distance", "match"]
    assert [row[3] for row in lines[1:]] == ["1", "0", ""]
    assert float(lines[1][2]) < float(lines[2][2]) and lines[3][2] == ""
    assert run.returncode == 2 and "no usable face" in run.stderr
