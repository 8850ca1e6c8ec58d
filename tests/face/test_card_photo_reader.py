"""A simulated card carrying a photo, read by the unmodified driver on a pty, then matched."""
from __future__ import annotations

import dataclasses

from drivers.card_reader import CardReader, CardReaderProfile
from drivers.card_reader.simulator import SAMPLE_CARDS, CardReaderSimulator
from drivers.face import synth
from drivers.face.model import distance
from drivers.face.verify import DEFAULT_THRESHOLD, CardFace, live_faces

PROFILE = CardReaderProfile(reply_timeout_s=0.3, read_timeout_s=1.0, photo_library="simulator")


def test_the_simulators_card_photo_is_read_and_matches_its_holder(model, samples, card_photo):
    card = dataclasses.replace(SAMPLE_CARDS["resident"], face=card_photo["astronaut"])
    with CardReaderSimulator() as sim:
        reader = CardReader(sim.path, PROFILE)
        sim.present(card)
        record = reader.read_card()
        reader.close()
    assert record.photo.size == (102, 126) and record.photo_unavailable_reason == ""
    frame = synth.live_frame(*samples["astronaut"])
    (face,) = live_faces(model, frame)
    card_face = CardFace.from_photo(record.photo, model)
    assert distance(model.embed(frame, face), card_face.embedding) <= DEFAULT_THRESHOLD


def test_a_simulated_card_without_a_photo_says_the_photo_is_unusable():
    with CardReaderSimulator() as sim:
        reader = CardReader(sim.path, PROFILE)
        sim.present(SAMPLE_CARDS["resident"])
        record = reader.read_card()
        reader.close()
    assert record.photo is None and record.photo_unavailable_reason == "证件照片解码结果不是有效图片"
