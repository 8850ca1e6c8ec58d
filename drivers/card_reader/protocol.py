"""GA/T 467 SAM frames of the resident ID card reader: pure bytes in, bytes out, no I/O.

    host -> SAM:  AA AA AA 96 69 | LEN_HI LEN_LO | CMD PARA | DATA... | CHK
    SAM -> host:  AA AA AA 96 69 | LEN_HI LEN_LO | SW1 SW2 SW3 | DATA... | CHK

LEN counts every byte after itself, the checksum included; CHK is the XOR of LEN_HI through
the last data byte. Every problem comes out as a CardReaderError: a short `code` for
machines and a plain Chinese `message` for hall staff.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import reduce

from ..health import DeviceError

PREAMBLE = b"\xAA\xAA\xAA\x96\x69"
HEADER_LEN = len(PREAMBLE) + 2
# The longest real reply is the read with fingerprint (0x090A); anything far beyond is noise.
MAX_LEN = 0x1000

RESET = (0x10, 0xFF)
SAM_STATUS = (0x11, 0xFF)
SAM_ID = (0x12, 0xFF)
FIND = (0x20, 0x01)
SELECT = (0x20, 0x02)
READ = (0x30, 0x01)
READ_WITH_FINGERPRINT = (0x30, 0x10)

SUCCESS = 0x90
CARD_FOUND = 0x9F
NO_CARD = 0x80

# SW3 -> (code for machines, message for staff, health state of the reader).
# Card-level failures leave the reader "ok": the reader works, this card did not read.
RESULT_CODES: dict[int, tuple[str, str, str]] = {
    0x91: ("no_content", "卡片无此项内容", "ok"),
    0x10: ("checksum_error", "读卡器报告校验和错误，请检查连接线", "error"),
    0x11: ("length_error", "读卡器报告长度错误，请检查连接线", "error"),
    0x21: ("command_error", "读卡器不认识该命令", "error"),
    0x23: ("unauthorized", "读卡器拒绝越权操作", "error"),
    0x24: ("unknown_error", "读卡器发生未知错误", "error"),
    0x31: ("card_auth_sam_failed", "卡片认证读卡模块失败，请重新放卡", "ok"),
    0x32: ("sam_auth_card_failed", "读卡模块认证卡片失败，请重新放卡", "ok"),
    0x33: ("verify_failed", "卡片信息校验错误，请重新放卡", "ok"),
    0x40: ("unknown_card_type", "无法识别的卡片类型", "ok"),
    0x41: ("read_failed", "读卡失败，请重新放卡", "ok"),
    0x47: ("random_error", "取随机数失败，请重新放卡", "ok"),
    0x60: ("sam_selftest_failed", "读卡模块自检失败，请联系管理员", "error"),
    0x66: ("sam_unauthorized", "读卡模块未授权，请联系管理员", "error"),
    0x80: ("no_card", "未检测到证件，请将证件放在读卡区", "ok"),
    0x81: ("select_failed", "选卡失败，请重新放卡", "ok"),
}


class CardReaderError(DeviceError):
    """Anything that went wrong talking to the reader or reading a card."""

    def __init__(self, code: str, message: str, state: str = "error", sw3: int | None = None):
        super().__init__(code, message, state)
        self.sw3 = sw3


def result_error(sw3: int) -> CardReaderError:
    code, message, state = RESULT_CODES.get(
        sw3, (f"sw3_{sw3:02x}", f"读卡器返回未知结果码 {sw3:02X}", "error"))
    return CardReaderError(code, message, state, sw3)


def checksum(data: bytes) -> int:
    return reduce(lambda a, b: a ^ b, data, 0)


def frame(body: bytes) -> bytes:
    """Wrap CMD PARA DATA (or SW1 SW2 SW3 DATA) into a full frame."""
    length = (len(body) + 1).to_bytes(2, "big")
    return PREAMBLE + length + body + bytes([checksum(length + body)])


def command(cmd: tuple[int, int], data: bytes = b"") -> bytes:
    return frame(bytes(cmd) + data)


def reply(sw3: int, data: bytes = b"", sw1: int = 0, sw2: int = 0) -> bytes:
    return frame(bytes([sw1, sw2, sw3]) + data)


def _preamble_tail(buf: bytes) -> int:
    """How many bytes at the end of buf could begin a preamble still arriving."""
    for keep in range(min(len(PREAMBLE) - 1, len(buf)), 0, -1):
        if PREAMBLE.startswith(buf[-keep:]):
            return keep
    return 0


def split_frame(buf: bytes) -> tuple[bytes | None, int]:
    """Look for one frame at the front of a byte stream.

    Returns (body, consumed): body is the bytes between LEN and CHK, or None when the frame
    is not complete yet; consumed is how many leading bytes the caller may drop (noise before
    the preamble, or the whole frame). A wrong length or checksum raises CardReaderError.
    """
    start = buf.find(PREAMBLE)
    if start < 0:
        return None, len(buf) - _preamble_tail(buf)
    if len(buf) < start + HEADER_LEN:
        return None, start
    length = int.from_bytes(buf[start + 5:start + 7], "big")
    if not 2 <= length <= MAX_LEN:
        raise CardReaderError("bad_length", f"读卡器回复长度异常（{length}）")
    end = start + HEADER_LEN + length
    if len(buf) < end:
        return None, start
    if checksum(buf[start + 5:end - 1]) != buf[end - 1]:
        raise CardReaderError("bad_checksum", "读卡器回复校验和错误")
    return bytes(buf[start + HEADER_LEN:end - 1]), end


@dataclass(frozen=True)
class Reply:
    sw3: int
    data: bytes


def parse_reply(body: bytes) -> Reply:
    if len(body) < 3:
        raise CardReaderError("bad_length", "读卡器回复太短")
    return Reply(body[2], bytes(body[3:]))


@dataclass(frozen=True)
class CardData:
    """The blocks of a read reply: text (UCS-2), photo (WLT), fingerprint (may be empty)."""
    text: bytes
    photo: bytes
    fingerprint: bytes = b""


def parse_read_data(data: bytes, with_fingerprint: bool = False) -> CardData:
    """Split the data of a 30 01 / 30 10 reply by the lengths it announces."""
    fields = 3 if with_fingerprint else 2
    head = 2 * fields
    if len(data) < head:
        raise CardReaderError("bad_card_data", "证件信息不完整，请重新放卡")
    sizes = [int.from_bytes(data[i:i + 2], "big") for i in range(0, head, 2)]
    if head + sum(sizes) != len(data):
        raise CardReaderError("bad_card_data", "证件信息长度不符，请重新放卡")
    blocks, pos = [], head
    for size in sizes:
        blocks.append(bytes(data[pos:pos + size]))
        pos += size
    return CardData(*blocks)


def build_read_data(text: bytes, photo: bytes, fingerprint: bytes | None = None) -> bytes:
    """The inverse of parse_read_data (the simulator answers with it)."""
    blocks = [text, photo] + ([fingerprint] if fingerprint is not None else [])
    sizes = b"".join(len(b).to_bytes(2, "big") for b in blocks)
    return sizes + b"".join(blocks)
