"""Fuzzing the card reader's parsers: whatever arrives, only CardReaderError comes out."""
from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drivers.card_reader import CardReader, CardReaderError, CardReaderProfile, idnumber, protocol
from drivers.card_reader.record import LAYOUTS, TEXT_LEN, build_text, parse_text
from drivers.card_reader.simulator import SAMPLE_CARDS, CardReaderSimulator, invented_id

GOOD_TEXTS = [card.text() for card in SAMPLE_CARDS.values()]
GOOD_READS = [protocol.reply(protocol.SUCCESS, protocol.build_read_data(text, bytes(1024), fp))
              for text in GOOD_TEXTS for fp in (None, bytes(range(256)) * 4)]
GOOD_READ = GOOD_READS[0]


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
@given(st.sampled_from(range(len(GOOD_READS))).flatmap(
    lambda i: st.tuples(st.just(i % 2 == 1), mutated(GOOD_READS[i]))), st.booleans())
def test_mutated_read_replies_of_every_card_with_and_without_fingerprint(read, resign):
    fingerprint, frame = read
    only_driver_errors(parse_all, fix_checksum(frame) if resign else frame, fingerprint)
    only_driver_errors(parse_all, fix_checksum(frame) if resign else frame, not fingerprint)


def test_the_fingerprint_read_parses_only_as_a_fingerprint_read():
    with_fp = GOOD_READS[1]
    body, _ = protocol.split_frame(with_fp)
    data = protocol.parse_read_data(protocol.parse_reply(body).data, True)
    assert parse_text(data.text).name == "王测试" and len(data.fingerprint) == 1024
    only_driver_errors(parse_all, with_fp, False)      # read as the wrong variant: an error


YYYYMMDD = st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)).map(lambda d: d.strftime("%Y%m%d"))
DATES = st.one_of(YYYYMMDD, st.just("长期"),
                  st.text("0123456789", max_size=9))
FIELD_TEXT = st.text(st.sampled_from("测试示例 ABCXYZ-,.0123456789长期"), max_size=40)


@st.composite
def layout_fields(draw, kind: str) -> dict:
    """Field values of one card layout: well-formed (with a valid ID number whose birth date
    is the card's) but for at most one flaw, so parsing reaches every later check."""
    birth = draw(YYYYMMDD)
    values = {name: draw(FIELD_TEXT) for name, _size in LAYOUTS[kind]
              if not name.startswith("reserved") and name != "type"}
    values.update(sex=draw(st.sampled_from("0129")), nation=draw(st.sampled_from(["01", "56", "97", "98"])),
                  birth=birth, valid_from=draw(YYYYMMDD), valid_to=draw(st.one_of(YYYYMMDD, st.just("长期"))),
                  renewal_count=draw(st.text("0123456789", max_size=2)),
                  issue_count=draw(st.text("0123456789X", max_size=2)),
                  id_number=invented_id(draw(st.sampled_from(["990101", "810000", "999840"])), birth,
                                        draw(st.text("0123456789", min_size=3, max_size=3))))
    flaw = draw(st.sampled_from([None, "sex", "nation", "birth", "valid_from", "valid_to",
                                 "id_number", "reserved"]))
    if flaw == "sex":
        values["sex"] = draw(st.text("0123456789X ", max_size=2))
    elif flaw == "nation":
        values["nation"] = draw(st.text("0123456789x ", max_size=3))
    elif flaw in ("birth", "valid_from", "valid_to"):
        values[flaw] = draw(DATES)
    elif flaw == "id_number":
        values["id_number"] = draw(st.text("0123456789Xx ", max_size=19))
    elif flaw == "reserved":      # text running into the reserved bytes and the type flag
        values["reserved"] = draw(FIELD_TEXT)
    return values


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(sorted(LAYOUTS)).flatmap(
    lambda kind: st.tuples(st.just(kind), layout_fields(kind))))
def test_generated_cards_of_every_layout(card):
    kind, values = card
    try:
        record = parse_text(build_text(kind, values))
    except CardReaderError as exc:
        assert exc.code and exc.health.message
        return
    # whatever parsed is consistent: a valid number whose birth date is the card's
    assert idnumber.validate(record.id_number)
    assert record.birth_date == idnumber.birth_date(record.id_number)
    assert values["id_number"] not in repr(record)


@settings(max_examples=600, deadline=None)
@given(st.sampled_from(GOOD_TEXTS).flatmap(mutated))
def test_mutated_text_blocks(text):
    only_driver_errors(parse_text, text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["\u0020", "J", "Y", "I", "长", "期", "0", "1", "9", "X", "A"]),
                min_size=TEXT_LEN // 2, max_size=TEXT_LEN // 2))
def test_texts_of_plausible_characters(chars):
    only_driver_errors(parse_text, "".join(chars).encode("utf-16-le"))


def oracle(text: str) -> bool:
    """GB 11643 written out again from the standard (weights 2^(17-i) mod 11), for the check."""
    value = text.strip().upper()
    if len(value) != 18 or not value[:17].isascii() or not value[:17].isdigit():
        return False
    check = (12 - sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(value[:17])) % 11) % 11
    if value[17] != ("X" if check == 10 else str(check)):
        return False
    try:
        born = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return born is not None


VALID = st.builds(lambda area, born, serial: (lambda body: body + idnumber.check_digit(body))(
    f"{area:06d}{born:%Y%m%d}{serial:03d}"),
    st.integers(110000, 659999), st.dates(dt.date(1900, 1, 1), dt.date(2025, 12, 31)),
    st.integers(0, 999))


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(max_size=25), VALID, VALID.map(str.lower)))
def test_id_number_check_agrees_with_the_standard(text):
    assert idnumber.validate(text) is oracle(text)
    assert "*" in idnumber.mask_id(text) or len(text.strip()) <= 4


@settings(max_examples=300, deadline=None)
@given(VALID, st.integers(0, 16), st.integers(1, 9))
def test_one_changed_digit_is_always_caught(number, place, shift):
    changed = number[:place] + str((int(number[place]) + shift) % 10) + number[place + 1:]
    assert idnumber.validate(number) and not idnumber.validate(changed)


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
