"""Frame protocols of the window bus: round trips, CRC vectors, stuffing, fuzzed decoders."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.rs485 import generic
from drivers.rs485.frame import Frame, FrameError, crc16_arc, crc16_modbus
from drivers.display import onbon_bx
from drivers.keypad import ff68

ONBON = onbon_bx.OnbonCodec()
CODECS = {"generic": generic.CODEC, "ff68": ff68.CODEC, "onbon_bx": ONBON}


def test_crc16_check_values():
    # The catalogue check values of the two CRC-16 variants over b"123456789".
    assert crc16_arc(b"123456789") == 0xBB3D
    assert crc16_modbus(b"123456789") == 0x4B37


def test_generic_frame_bytes_match_the_documented_layout():
    data = generic.encode(Frame(3, 0x10, "A012".encode("gb2312")))
    body = bytes([3, 0x10, 4, 0]) + b"A012"
    crc = crc16_modbus(body)
    assert data == b"\x59\x43" + body + bytes([crc & 0xFF, crc >> 8, 0x0D])


def test_ff68_frame_bytes_match_the_documented_layout():
    data = ff68.encode(Frame(5, 0x30, b"\x07"))
    assert data == bytes([0xFF, 0x68, 3, 3, 0x68, 5, 0x30, 7, (5 + 0x30 + 7) & 0xFF, 0x16])


def test_onbon_stuffing_of_every_special_byte():
    assert onbon_bx.stuff(b"\xa5\xa6\x5a\x5b\x00") == b"\xa6\x02\xa6\x01\x5b\x02\x5b\x01\x00"
    assert onbon_bx.unstuff(b"\xa6\x02\xa6\x01\x5b\x02\x5b\x01\x00") == b"\xa5\xa6\x5a\x5b\x00"
    with pytest.raises(FrameError):
        onbon_bx.unstuff(b"\xa6\x03")


def test_onbon_frame_has_no_special_byte_inside_and_crc_over_unstuffed_packet():
    # Address 0x5AA5 and text bytes force stuffing in the header and the data.
    frame = Frame(0x5AA5, onbon_bx.UPDATE_DYNAMIC, b"\xa5\x5a\xa6\x5b")
    data = ONBON.encode(frame)
    assert data.startswith(b"\xa5" * 8) and data.endswith(b"\x5a")
    inner = data[8:-1]
    assert not {0xA5, 0x5A} & set(inner)
    packet = onbon_bx.unstuff(inner)
    assert int.from_bytes(packet[-2:], "little") == crc16_arc(packet[:-2])
    assert packet[:2] == b"\xa5\x5a"                   # DstAddr, little-endian
    assert packet[14:16] == b"\xa3\x06"                # CmdGroup, Cmd
    assert ONBON.decoder().feed(data) == [frame]


@pytest.mark.parametrize("name", CODECS)
def test_round_trip_in_arbitrary_chunks(name):
    codec = CODECS[name]
    frames = [Frame(1, 0x10, "请到3号窗口".encode("gb2312")), Frame(2, 0x30, b"\x00"),
              Frame(254, 0x11)]
    if name == "onbon_bx":
        frames = [Frame(f.address, 0xA300 | f.command, f.payload) for f in frames]
    stream = b"\x00\x13noise" + b"".join(codec.encode(f) for f in frames)
    decoder = codec.decoder()
    got = []
    for i in range(0, len(stream), 3):
        got += decoder.feed(stream[i:i + 3])
    assert got == frames


@pytest.mark.parametrize("name", CODECS)
def test_bad_checksum_is_rejected_and_the_next_frame_still_decodes(name):
    codec = CODECS[name]
    good = Frame(7, 0xA306 if name == "onbon_bx" else 0x10, b"hello")
    bad = bytearray(codec.encode(good))
    bad[-3] ^= 0x01                 # last checksum byte (generic, onbon) or SUM (ff68)
    decoder = codec.decoder()
    assert decoder.feed(bytes(bad) + codec.encode(good)) == [good]
    assert decoder.rejected == 1


def test_encode_refuses_what_the_wire_cannot_carry():
    with pytest.raises(FrameError):
        generic.encode(Frame(255, 0x10))
    with pytest.raises(FrameError):
        generic.encode(Frame(1, 0x10, b"x" * 2000))
    with pytest.raises(FrameError):
        ff68.encode(Frame(1, 0x130))


frames = st.builds(Frame, st.integers(1, 254), st.integers(0, 255), st.binary(max_size=64))


@pytest.mark.parametrize("name", CODECS)
@settings(max_examples=150, deadline=None)
@given(frame_list=st.lists(frames, max_size=4), noise=st.binary(max_size=40),
       cut=st.integers(1, 17))
def test_fuzz_round_trip_with_noise(name, frame_list, noise, cut):
    codec = CODECS[name]
    if name == "onbon_bx":
        frame_list = [Frame(f.address, 0xA300 | f.command, f.payload) for f in frame_list]
    # Noise first, then a byte that ends any frame the noise may have begun.
    end = {"generic": b"", "ff68": b"", "onbon_bx": b"\x5a"}[name]
    stream = noise + end + b"".join(codec.encode(f) for f in frame_list)
    decoder = codec.decoder()
    got = []
    for i in range(0, len(stream), cut):
        got += decoder.feed(stream[i:i + cut])
    if frame_list:
        assert got[-len(frame_list):] == frame_list


@pytest.mark.parametrize("name", CODECS)
@settings(max_examples=300, deadline=None)
@given(chunks=st.lists(st.binary(max_size=80), max_size=8))
def test_fuzz_decoder_never_raises_on_garbage(name, chunks):
    decoder = CODECS[name].decoder()
    for chunk in chunks:
        for frame in decoder.feed(chunk):
            assert isinstance(frame, Frame)
