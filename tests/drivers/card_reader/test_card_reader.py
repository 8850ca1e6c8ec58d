"""The ID card reader driver against its simulator on a real pty path.

Every card holder is invented (drivers.card_reader.simulator: region 99, 测试/示例 names).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
import subprocess
import threading

import pytest
from PIL import Image

from drivers.card_reader import (CallableDecoder, CardReader, CardReaderError,
                                 CardReaderPoller, CardReaderProfile, idnumber, protocol)
from drivers.card_reader.simulator import SAMPLE_CARDS, CardReaderSimulator
from driver_waits import bounded, wait_until

FAST = CardReaderProfile(reply_timeout_s=0.2, read_timeout_s=0.4)


@pytest.fixture
def sim():
    with CardReaderSimulator() as simulator:
        yield simulator


@pytest.fixture
def reader(sim):
    device = CardReader(sim.path, FAST)
    yield device
    device.close()


# -- frames as the protocol notes list them -----------------------------------------------------
@pytest.mark.parametrize("cmd, after_preamble", [
    (protocol.RESET, "00 03 10 FF EC"), (protocol.SAM_STATUS, "00 03 11 FF ED"),
    (protocol.SAM_ID, "00 03 12 FF EE"), (protocol.FIND, "00 03 20 01 22"),
    (protocol.SELECT, "00 03 20 02 21"), (protocol.READ, "00 03 30 01 32"),
    (protocol.READ_WITH_FINGERPRINT, "00 03 30 10 23")])
def test_command_frames_match_the_published_bytes(cmd, after_preamble):
    assert protocol.command(cmd) == bytes.fromhex("AAAAAA9669" + after_preamble.replace(" ", ""))


def test_read_reply_is_1295_bytes_and_noise_before_it_is_skipped():
    data = protocol.build_read_data(SAMPLE_CARDS["resident"].text(), bytes(1024))
    frame = protocol.reply(protocol.SUCCESS, data)
    assert len(frame) == 1295 and frame[5:7] == b"\x05\x08"
    body, consumed = protocol.split_frame(b"\x00\x13\xAA" + frame)
    assert consumed == 3 + 1295 and protocol.parse_reply(body).data == data


def test_split_frame_waits_for_a_preamble_split_across_reads():
    frame = protocol.reply(protocol.CARD_FOUND, bytes(4))
    assert protocol.split_frame(b"\x55" + frame[:3]) == (None, 1)   # keeps the AA AA AA
    assert protocol.split_frame(frame[:9]) == (None, 0)


# -- reading each kind of card ------------------------------------------------------------------
def test_resident_card_is_read_into_a_typed_record(sim, reader):
    sim.present(SAMPLE_CARDS["resident"])
    card = reader.read_card()
    assert card.card_type == "resident" and card.card_type_name == "居民身份证"
    assert (card.name, card.sex, card.nation) == ("王测试", "男", "汉")
    assert card.birth_date == dt.date(1985, 3, 15)
    assert card.address == "测试省示例市样本区演示路1号"
    assert card.authority == "示例市公安局样本分局"
    assert idnumber.validate(card.id_number) and card.id_number.startswith("990101198503150")
    assert (card.valid_from, card.valid_to) == (dt.date(2015, 4, 1), dt.date(2035, 4, 1))
    assert card.name_masked == "王*试" and card.id_last4 == card.id_number[-4:]
    assert sim.commands == ["find", "select", "read"]


def test_two_character_name_long_term_card_and_minority_nation(sim, reader):
    sim.present(SAMPLE_CARDS["resident_two_char"])
    card = reader.read_card()
    assert (card.name_masked, card.sex, card.nation) == ("李*", "女", "蒙古")
    assert card.valid_to is None and not card.is_expired(dt.date(2099, 1, 1))
    assert card.masked()["valid_to"] == "长期"
    assert card.age(dt.date(2024, 6, 1)) == 74


def test_hong_kong_macau_taiwan_permit(sim, reader):
    sim.present(SAMPLE_CARDS["hmt_permit"])
    card = reader.read_card()
    assert card.card_type == "hmt_permit" and card.card_type_name == "港澳台居民居住证"
    assert (card.name, card.pass_number, card.issue_count) == ("陈示例", "H99999999", 1)
    assert card.nation == "" and card.is_expired(dt.date(2025, 1, 2))


def test_foreigner_permanent_residence_card_2023(sim, reader):
    sim.present(SAMPLE_CARDS["foreign_permanent"])
    card = reader.read_card()
    assert card.card_type == "foreign_permanent"
    assert (card.name, card.english_name, card.nationality) == \
        ("安测试", "SAMPLE, TESTER ALPHA", "UTO")
    assert card.birth_date == dt.date(1978, 11, 11) and idnumber.validate(card.id_number)


@pytest.mark.parametrize("kind", ["resident", "hmt_permit", "foreign_permanent"])
def test_a_birth_date_that_the_id_number_contradicts_is_refused(sim, reader, kind):
    card = SAMPLE_CARDS[kind]
    wrong = card.values["birth"][:-1] + str((int(card.values["birth"][-1]) + 1) % 10)
    sim.present(dataclasses.replace(card, values={**card.values, "birth": wrong}))
    with pytest.raises(CardReaderError) as err:
        reader.read_card()
    assert err.value.code == "bad_card_data" and "出生日期与证件号码不符" in err.value.health.message
    assert card.values["id_number"] not in str(err.value)
    assert reader.get_status() == {"state": "ok"}      # a bad card, not a bad reader


def test_old_foreigner_card_is_refused_clearly(sim, reader):
    sim.present(SAMPLE_CARDS["old_foreigner"])
    with pytest.raises(CardReaderError) as err:
        reader.read_card()
    assert err.value.code == "unsupported_card_type" and "旧版外国人永久居留证" in str(err.value)
    assert reader.get_status() == {"state": "ok"}      # the reader itself is fine


def test_record_never_shows_the_full_name_or_number(sim, reader):
    sim.present(SAMPLE_CARDS["resident"])
    card = reader.read_card()
    for shown in (repr(card), str(card), f"{card}", str(card.masked())):
        assert card.id_number not in shown and card.name not in shown
        assert card.id_number[-4:] in shown and "王*试" in shown


# -- presence -----------------------------------------------------------------------------------
def test_no_card_then_each_presentation_is_read_once(sim, reader):
    assert reader.read_card() is None
    sim.present(SAMPLE_CARDS["resident"])
    assert reader.read_card().name == "王测试"
    assert reader.read_card() is None            # still lying there: find fails after a read
    sim.lift()
    assert reader.read_card() is None
    sim.present(SAMPLE_CARDS["resident"])
    assert reader.read_card().name == "王测试"


def test_poller_reports_each_newly_presented_card(sim):
    reader = CardReader(sim.path, FAST)
    seen, arrived = [], threading.Semaphore(0)
    poller = CardReaderPoller(reader, lambda card: (seen.append(card), arrived.release()),
                              interval=0.02).start()
    try:
        sim.present(SAMPLE_CARDS["resident"])
        assert arrived.acquire(timeout=5)
        finds = sim.commands.count("find")
        wait_until(lambda: sim.commands.count("find") >= finds + 3)   # card left lying there
        sim.lift()
        sim.present(SAMPLE_CARDS["hmt_permit"])
        assert arrived.acquire(timeout=5)
    finally:
        poller.stop()
        reader.close()
    assert [c.card_type for c in seen] == ["resident", "hmt_permit"]
    assert sim.commands.count("read") == 2


def test_poller_reports_a_failed_read_and_recovers(sim):
    reader = CardReader(sim.path, FAST)
    errors, cards = [], []
    got = threading.Semaphore(0)
    poller = CardReaderPoller(reader, lambda c: (cards.append(c), got.release()),
                              lambda e: (errors.append(e.code), got.release()), interval=0.02)
    sim.errors["read"] = 0x41
    sim.present(SAMPLE_CARDS["resident"])
    poller.start()
    try:
        assert got.acquire(timeout=5)
        del sim.errors["read"]
        sim.lift()
        sim.present(SAMPLE_CARDS["resident"])
        while not cards:
            assert got.acquire(timeout=5)
    finally:
        poller.stop()
        reader.close()
    assert errors[0] == "read_failed" and cards[0].name == "王测试"


# -- every result code --------------------------------------------------------------------------
FAILURES = sorted(set(protocol.RESULT_CODES) - {protocol.NO_CARD})


@pytest.mark.parametrize("sw3", FAILURES, ids=[f"{c:02x}" for c in FAILURES])
@pytest.mark.parametrize("op", ["find", "select", "read"])
def test_every_result_code_becomes_a_clear_error(sim, reader, op, sw3):
    code, message, state = protocol.RESULT_CODES[sw3]
    sim.present(SAMPLE_CARDS["resident"])
    sim.errors[op] = sw3
    with pytest.raises(CardReaderError) as err:
        reader.read_card()
    assert (err.value.code, err.value.sw3, err.value.health.message) == (code, sw3, message)
    assert reader.get_status()["state"] == state
    assert all("\u4e00" <= ch <= "\u9fff" or ch in "，、（）" for ch in message)


def test_unknown_result_code_is_still_an_error_with_its_code(sim, reader):
    sim.errors["find"] = 0x55
    with pytest.raises(CardReaderError) as err:
        reader.find()
    assert err.value.code == "sw3_55" and "55" in err.value.health.message


# -- damaged lines ------------------------------------------------------------------------------
def test_one_corrupt_read_reply_is_read_again(sim, reader):
    sim.present(SAMPLE_CARDS["resident"])
    assert reader.find()
    reader.select()
    sim.corrupt_replies = 1
    assert reader.read().name == "王测试"
    assert sim.commands[-2:] == ["read", "read"]


def test_corrupt_checksums_are_reported(sim, reader):
    sim.corrupt_replies = 10
    result = bounded(reader.find)
    assert result["error"].code == "bad_checksum"
    assert reader.get_status()["code"] == "bad_checksum"


def test_a_frame_with_a_wrong_checksum_sent_to_the_sam_is_answered_10(sim, reader):
    bad = bytearray(protocol.command(protocol.FIND))
    bad[-1] ^= 0x01
    with reader.transport.lock:
        reader.transport.write(bytes(bad))
        body = reader._read_body(1.0)
    assert protocol.parse_reply(body).sw3 == 0x10


def test_silent_reader_gives_no_reply_without_hanging(sim, reader):
    sim.silent = True
    result = bounded(reader.read_card)
    assert result["error"].code == "no_reply"
    assert reader.get_status() == {"state": "error", "code": "no_reply",
                                   "message": "读卡器无响应，请检查电源和连接线"}
    sim.silent = False
    assert reader.read_card() is None and reader.get_status() == {"state": "ok"}


def test_partial_frame_is_reported_without_hanging(sim, reader):
    sim.present(SAMPLE_CARDS["resident"])
    sim.partial = True
    result = bounded(reader.read_card)
    assert result["error"].code == "partial_frame"


def test_unplugged_reader_is_absent_then_ok_again_without_restart(sim, reader):
    sim.present(SAMPLE_CARDS["resident"])
    assert reader.find()
    sim.unplug()
    result = bounded(reader.find)
    assert result["error"].code == "absent" and reader.get_status()["state"] == "absent"
    assert bounded(reader.find)["error"].health.state == "absent"   # still gone: still absent
    sim.plug()
    sim.present(SAMPLE_CARDS["hmt_permit"])
    assert reader.read_card().card_type == "hmt_permit"
    assert reader.get_status() == {"state": "ok"}


def test_poller_follows_an_unplugged_reader_and_reads_again_after_replug(sim):
    reader = CardReader(sim.path, CardReaderProfile(reply_timeout_s=0.1, read_timeout_s=0.3))
    health, cards = [], []
    poller = CardReaderPoller(reader, cards.append, interval=0.02,
                              on_health=lambda h: health.append(h.state)).start()
    try:
        wait_until(lambda: health == ["ok"])
        sim.unplug()
        wait_until(lambda: health[-1:] == ["absent"])
        sim.plug()
        wait_until(lambda: health[-1:] == ["ok"])
        sim.present(SAMPLE_CARDS["resident"])
        wait_until(lambda: len(cards) == 1)
    finally:
        poller.stop()
        reader.close()
    assert health == ["ok", "absent", "ok"]          # each change once, not every poll
    assert cards[0].name == "王测试"


def test_status_of_a_reader_that_was_never_there():
    reader = CardReader("/dev/nonexistent-yichuang-reader", FAST)
    assert reader.get_status()["state"] == "absent"


def test_sam_commands(sim, reader):
    reader.reset()
    reader.sam_status()
    assert reader.sam_id() == CardReaderSimulator.SAM_ID.hex().upper()


def test_fingerprint_variant_is_parsed(sim):
    reader = CardReader(sim.path, CardReaderProfile(reply_timeout_s=0.2, read_timeout_s=0.4,
                                                    read_fingerprint=True))
    sim.present(SAMPLE_CARDS["resident"])
    card = reader.read_card()
    reader.close()
    assert card.name == "王测试" and len(card.fingerprint) == 1024 and len(card.photo_wlt) == 1024
    assert sim.commands[-1] == "read_fingerprint"


# -- photo ----------------------------------------------------------------------------------------
def test_without_a_decoder_the_photo_is_unavailable_and_says_so(sim, reader):
    sim.present(SAMPLE_CARDS["resident"])
    card = reader.read_card()
    assert card.photo is None and "未配置证件照片解码库" in card.photo_unavailable_reason
    assert len(card.photo_wlt) == 1024


def _png(size=(102, 126), color=(200, 10, 10)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def test_a_reader_sdk_decoder_gives_the_photo(sim):
    # The SDK is a callable: here it ignores the WLT block and returns a made-up image.
    reader = CardReader(sim.path, FAST, decoder=CallableDecoder(lambda wlt: _png()))
    sim.present(SAMPLE_CARDS["resident"])
    card = reader.read_card()
    reader.close()
    assert card.photo.size == (102, 126) and card.photo.getpixel((5, 5)) == (200, 10, 10)
    assert card.photo_unavailable_reason == ""


def test_a_decoder_returning_garbage_leaves_the_text_readable(sim):
    reader = CardReader(sim.path, FAST, decoder=CallableDecoder(lambda wlt: b"not an image"))
    sim.present(SAMPLE_CARDS["resident"])
    card = reader.read_card()
    reader.close()
    assert card.name == "王测试" and card.photo is None
    assert card.photo_unavailable_reason == "证件照片解码结果不是有效图片"


FAKE_WLT_LIB = r"""
/* Stands in for a vendor WLT library: same signature, paints a gradient (no real decoding). */
int unpack(const char *wlt, char *out, int flag) {
    if (wlt[0] == 0x7f) return -1;                 /* lets a test see a failed decode */
    for (int i = 0; i < 102 * 126; i++) {
        out[3 * i] = (char) flag; out[3 * i + 1] = (char) (i % 256); out[3 * i + 2] = 7;
    }
    return 1;
}
"""


def test_vendor_library_decoder_is_loaded_with_ctypes_by_path(sim, tmp_path):
    source = tmp_path / "fakewlt.c"
    source.write_text(FAKE_WLT_LIB)
    library = tmp_path / "libfakewlt.so"
    subprocess.run(["cc", "-shared", "-fPIC", "-o", str(library), str(source)], check=True)
    profile = CardReaderProfile(reply_timeout_s=0.2, read_timeout_s=0.4,
                                photo_library=str(library), photo_flag=33, photo_output="bgr")
    reader = CardReader(sim.path, profile)
    sim.present(SAMPLE_CARDS["resident"])
    card = reader.read_card()
    reader.close()
    assert card.photo.size == (102, 126)
    assert card.photo.getpixel((0, 0)) == (7, 0, 33)      # BGR from the library -> RGB


def test_a_missing_vendor_library_is_explained(sim):
    profile = CardReaderProfile(reply_timeout_s=0.2, read_timeout_s=0.4,
                                photo_library="/nonexistent/libwlt.so")
    reader = CardReader(sim.path, profile)
    sim.present(SAMPLE_CARDS["resident"])
    card = reader.read_card()
    reader.close()
    assert card.photo is None and "无法加载证件照片解码库" in card.photo_unavailable_reason
