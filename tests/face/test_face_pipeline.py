"""Face verification pipeline: 1:1 match against the card photo, quality gates, liveness."""
from __future__ import annotations

import io
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from drivers.face import quality, synth
from drivers.face.cardphoto import CARD_BYTES, CARD_SIZE
from drivers.face.liveness import HeadTurnChallenge
from drivers.face.model import distance
from drivers.face.verify import (DEFAULT_THRESHOLD, LIVE_DETECT_SCALE, Attempt, CardFace,
                                  NoUsableFace, live_faces)

from .conftest import turning_frames

FRONTAL = ["astronaut", "t1-1", "t1-3", "t1-4", "tom-hanks"]


def test_face_models_load_in_a_fresh_process():
    # A broken pkg_resources can end the import with exit code 0: demand the printed marker.
    code = ("from drivers.face.model import FaceModel; FaceModel(); import sys; "
            "print('loaded', 'face_recognition' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.stdout.strip() == "loaded False", run.stderr


def test_card_photo_is_the_cards_size_and_fits_its_1024_bytes(card_photo):
    for photo in card_photo.values():
        assert len(photo) <= CARD_BYTES
        assert Image.open(io.BytesIO(photo)).size == CARD_SIZE


def test_card_photos_need_upsampling_and_get_it(model, card_photo):
    found_plain = [n for n, p in card_photo.items()
                   if len(model.detect(np.asarray(Image.open(io.BytesIO(p)).convert("RGB")), 0)) == 1]
    found = [n for n, p in card_photo.items() if _card(p, model) is not None]
    assert set(found_plain) < set(found)          # upsampling finds faces HOG alone misses
    assert set(FRONTAL) <= set(found)


def _card(photo, model):
    try:
        return CardFace.from_photo(photo, model)
    except NoUsableFace:
        return None


@pytest.mark.parametrize("name", FRONTAL)
def test_same_person_matches_their_card_photo_across_light_and_distance(model, samples,
                                                                       card_photo, name):
    card = CardFace.from_photo(card_photo[name], model)
    rgb, box = samples[name]
    for variation in ({}, {"face_width": 160, "light": 0.75}, {"face_width": 230, "blur": 1.0}):
        frame = synth.live_frame(rgb, box, **variation)
        (face,) = live_faces(model, frame)
        assert distance(model.embed(frame, face), card.embedding) <= DEFAULT_THRESHOLD, variation


def test_different_people_do_not_match(model, samples, card_photo):
    cards = {n: CardFace.from_photo(card_photo[n], model) for n in FRONTAL}
    for live_name, (rgb, box) in samples.items():
        frame = synth.live_frame(rgb, box)
        faces = live_faces(model, frame)
        embedding = model.embed(frame, faces[0])
        for card_name, card in cards.items():
            if card_name != live_name:
                assert distance(embedding, card.embedding) > DEFAULT_THRESHOLD, (live_name, card_name)


def test_quality_gates_give_the_prompt_for_what_is_wrong(model, samples):
    rgb, box = samples["astronaut"]

    def prompt(frame):
        found = quality.check(frame, live_faces(model, frame))
        return found.text if found else None
    assert prompt(synth.live_frame(rgb, box)) is None
    assert prompt(synth.live_frame(rgb, box, face_width=100)) == "请靠近一点"
    assert prompt(synth.live_frame(rgb, box, light=0.3)) == "光线太暗"
    assert prompt(synth.live_frame(rgb, box, blur=3.0)) == "请保持不动"
    assert prompt(np.full((480, 640, 3), 128, np.uint8)) == "请正对屏幕"
    left, right = synth.live_frame(rgb, box, face_width=120), synth.live_frame(rgb, box, face_width=120)
    two = np.concatenate([left[:, 160:480], right[:, 160:480]], axis=1)
    assert prompt(two) == "请一个人站在镜头前"


def attempt(model, card_photo, name, order):
    return Attempt(CardFace.from_photo(card_photo[name], model), model,
                   challenge=HeadTurnChallenge(order=list(order)))


def run(attempt_, frames):
    for frame in frames:
        step = attempt_.feed(frame)
        if step.outcome:
            return step.outcome
    return attempt_.give_up()


@pytest.mark.parametrize("order", [("left", "right"), ("right", "left")])
def test_the_card_holder_turning_as_asked_passes(model, samples, card_photo, order):
    rgb, box = samples["astronaut"]
    outcome = run(attempt(model, card_photo, "astronaut", order),
                  turning_frames(model, rgb, box, order))
    assert outcome.passed and outcome.liveness == "passed"
    assert outcome.distance <= DEFAULT_THRESHOLD


def test_a_still_picture_of_the_card_holder_fails_liveness(model, samples, card_photo):
    # The same picture, as a camera sees it: fresh sensor noise and a little sway each frame.
    rgb, box = samples["astronaut"]
    a = attempt(model, card_photo, "astronaut", ("left", "right"))
    prompts = {a.feed(synth.live_frame(rgb, box, seed=i, dx=i % 5 - 2)).prompt for i in range(30)}
    outcome = a.give_up()
    assert prompts == {"请向左转头"}
    assert not outcome.passed and outcome.liveness == "failed" and outcome.reason == "timeout"


def test_a_photo_tilted_in_front_of_the_camera_never_turns(model, samples, card_photo):
    # A flat picture turned about the vertical axis shrinks evenly: the nose stays between the eyes.
    rgb, box = samples["astronaut"]
    frames = [np.asarray(Image.fromarray(synth.live_frame(rgb, box)).resize((int(640 * s), 480))
                         .crop((0, 0, 640, 480))) for s in (1.0, 1.0, 1.0, 0.85, 0.7, 0.85, 1.0)]
    outcome = run(attempt(model, card_photo, "astronaut", ("left", "right")), frames * 3)
    assert not outcome.passed and outcome.liveness == "failed"


def test_turning_the_wrong_way_fails(model, samples, card_photo):
    rgb, box = samples["astronaut"]
    frames = turning_frames(model, rgb, box, ("right", "left"))
    outcome = run(attempt(model, card_photo, "astronaut", ("left", "right")), frames)
    assert not outcome.passed and outcome.reason == "wrong_way"


def test_someone_else_is_refused_before_any_turning(model, samples, card_photo):
    rgb, box = samples["t1-1"]
    outcome = run(attempt(model, card_photo, "astronaut", ("left", "right")),
                  [synth.live_frame(rgb, box)])
    assert not outcome.passed and outcome.reason == "no_match" and outcome.liveness == "not_reached"
    assert outcome.distance > DEFAULT_THRESHOLD


def test_another_face_doing_the_turns_is_caught(model, samples, card_photo):
    # The holder's picture for the first match, then someone else in its place does the turns:
    # the comparison after the turns refuses them.
    holder = synth.live_frame(*samples["t1-1"])
    rgb, box = samples["astronaut"]
    other = turning_frames(model, rgb, box, ("left", "right"))
    outcome = run(attempt(model, card_photo, "t1-1", ("left", "right")), [holder] + other)
    assert not outcome.passed and outcome.reason == "no_match" and outcome.liveness == "passed"


def test_a_live_frame_is_searched_at_three_quarters_and_whole_only_when_nothing_is_found(
        model, samples, monkeypatch):
    rgb, box = samples["astronaut"]
    frame = synth.live_frame(rgb, box)
    (whole,) = model.detect(frame, 0)
    (small,) = model.detect(frame, 0, LIVE_DETECT_SCALE)       # in the frame's own pixels
    assert abs(small.centre[0] - whole.centre[0]) < 0.2 * whole.width
    assert abs(small.centre[1] - whole.centre[1]) < 0.2 * whole.width
    assert 0.75 < small.width / whole.width < 1.35             # one step of HOG's pyramid
    searched = []
    detect = model.detect
    monkeypatch.setattr(model, "detect", lambda image, up, scale=1.0:
                        searched.append(scale) or detect(image, up, scale))
    live_faces(model, frame)
    assert searched == [LIVE_DETECT_SCALE]                     # the face was found small
    searched.clear()
    far = synth.live_frame(rgb, box, face_width=60)            # too small at 3/4: the whole
    assert len(live_faces(model, far)) == 1 and searched == [LIVE_DETECT_SCALE, 1.0]
    assert quality.check(far, live_faces(model, far)).text == "请靠近一点"
