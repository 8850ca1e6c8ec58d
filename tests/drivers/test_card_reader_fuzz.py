"""Fuzzing the card reader's parsers: whatever arrives, only CardReaderError comes out."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drivers.card_reader import CardReader, CardReaderError, CardReaderProfile, idnumber, protocol
from drivers.card_reader.record import TEXT_LEN, parse_text
from drivers.card_reader.simulator import SAMPLE_CARDS, CardReaderSimulator

GOOD_TEXTS = [card.text() for card in SAMPLE_CARDS.values()]
GOOD_READ = protocol.reply(protocol.SUCCESS, protocol.build_read_data(GOOD_TEXTS[0], bytes(1024)))


def parse_all(stream: bytes, fingerprint: bool = False) -> None:
    """What the driver does with received bytes, start to end."""
    body, _ = protocol.split_frame(stream)
    if body is None:
        return
    reply = protocol.parse_reply(body)
    data = protocol.parse_read_data(reply.data, fingerprint)
    parse_text(data.text)


def only_driver_errors(call, *args) -> None:
    try:
        call(*args)
    except CardReaderError as exc:
        assert exc.code and exc.health.message


@st.composite
def mutated(draw, original: bytes):
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["flip", "cut", "insert", "delete"]))
        pos = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "flip" and data:
            data[pos] = draw(st.integers(0, 255))
        elif kind == "cut":
            del data[pos:]
        elif kind == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=8))
        elif data:
            del data[pos]
    return bytes(data)


def fix_checksum(frame: bytes) -> bytes:
    """Re-sign a mutated frame so the mutation reaches the layers behind the checksum."""
    if len(frame) < 8:
        return frame
    return frame[:-1] + bytes([protocol.checksum(frame[5:-1])])


@settings(max_examples=600, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes(stream):
    only_driver_errors(parse_all, protocol.PREAMBLE + stream)
    only_driver_errors(parse_all, stream)


@settings(max_examples=600, deadline=None)
@given(mutated(GOOD_READ), st.booleans(), st.booleans())
def test_mutated_read_replies(frame, resign, fingerprint):
    only_driver_errors(parse_all, fix_checksum(frame) if resign else frame, fingerprint)


@settings(max_examples=600, deadline=None)
@given(st.sampled_from(GOOD_TEXTS).flatmap(mutated))
def test_mutated_text_blocks(text):
    only_driver_errors(parse_text, text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["\u0020", "J", "Y", "I", "长", "期", "0", "1", "9", "X", "A"]),
                min_size=TEXT_LEN // 2, max_size=TEXT_LEN // 2))
def test_texts_of_plausible_characters(chars):
    only_driver_errors(parse_text, "".join(chars).encode("utf-16-le"))


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=25))
def test_id_number_check_never_raises(text):
    assert idnumber.validate(text) in (True, False)
    assert "*" in idnumber.mask_id(text) or len(text.strip()) <= 4


class NoisySimulator(CardReaderSimulator):
    """Answers every command with whatever the test chose (random bytes or a mangled frame)."""
    answer = b""

    def on_data(self, data: bytes) -> None:
        if self.answer:
            self.send(self.answer)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.binary(min_size=1, max_size=300), mutated(GOOD_READ).map(fix_checksum)))
def test_driver_over_a_pty_with_garbage_replies(answer):
    with NoisySimulator() as sim:
        sim.answer = answer
        reader = CardReader(sim.path, CardReaderProfile(reply_timeout_s=0.05, read_timeout_s=0.2))
        try:
            only_driver_errors(reader.read_card)
        finally:
            reader.close()
