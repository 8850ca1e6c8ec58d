"""A SAM card reader on a pty, speaking real GA/T 467 frames, with invented card holders.

Every person here is invented: region code 99 is not allocated to any province, names and
addresses say 测试/示例/样本, and the check digits are valid so the driver's checks run.

    sim = CardReaderSimulator().start()
    sim.present(SAMPLE_CARDS["resident"])      # a card is laid on the reader
    sim.lift()                                  # ... and taken away
    sim.errors["read"] = 0x41                   # every SW3 result code is injectable
    sim.corrupt_replies = 1                     # the next reply has a wrong checksum
    sim.silent = True                           # no reply at all
    sim.partial = True                          # only half of each reply
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from ..simulator import PtySimulator
from . import idnumber, protocol
from .protocol import CardReaderError
from .record import build_text

PHOTO_BYTES = 1024


def invented_id(region: str, birth: str, sequence: str) -> str:
    first17 = region + birth + sequence
    return first17 + idnumber.check_digit(first17)


@dataclass(frozen=True)
class SimCard:
    kind: str                        # ' ' resident, 'J', 'Y', or 'I' (old foreigner card)
    values: dict = field(default_factory=dict)
    # A card photo as JPEG bytes of at most 1024 (drivers.face.cardphoto.to_card_photo), read
    # back by SimulatorDecoder. Given at run time from licensed pictures, never stored here.
    face: bytes = field(default=b"", repr=False)

    def text(self) -> bytes:
        if self.kind == "I":        # only the type flag matters: the driver refuses it
            return build_text(" ", self.values)[:248] + "I".encode("utf-16-le") + b" \x00" * 3
        return build_text(self.kind, self.values)

    def photo(self) -> bytes:
        """1024 bytes standing in for the WLT photo (only vendor code could decode it)."""
        if self.face:
            if len(self.face) > PHOTO_BYTES:
                raise ValueError("a card photo holds at most 1024 bytes")
            return self.face.ljust(PHOTO_BYTES, b"\0")
        seed = self.values.get("id_number", "").encode()
        return b"".join(hashlib.sha256(seed + bytes([i])).digest() for i in range(32))


def _resident(name, sex, nation, birth, seq, valid_from, valid_to) -> SimCard:
    return SimCard(" ", {"name": name, "sex": sex, "nation": nation, "birth": birth,
                         "address": "测试省示例市样本区演示路1号", "authority": "示例市公安局样本分局",
                         "id_number": invented_id("990101", birth, seq),
                         "valid_from": valid_from, "valid_to": valid_to})


SAMPLE_CARDS: dict[str, SimCard] = {
    "resident": _resident("王测试", "1", "01", "19850315", "001", "20150401", "20350401"),
    "resident_two_char": _resident("李样", "2", "02", "19500101", "002", "20100101", "长期"),
    "hmt_permit": SimCard("J", {
        "name": "陈示例", "sex": "2", "birth": "19900720", "address": "测试省示例市样本路2号",
        "id_number": invented_id("990102", "19900720", "003"), "authority": "示例市公安局",
        "valid_from": "20200101", "valid_to": "20250101", "pass_number": "H99999999",
        "issue_count": "01"}),
    "foreign_permanent": SimCard("Y", {
        "name": "安测试", "sex": "1", "renewal_count": "00", "birth": "19781111",
        "english_name_1": "SAMPLE, TESTER ALPHA", "id_number": invented_id("999840", "19781111", "004"),
        "valid_from": "20230101", "valid_to": "20330101", "nationality": "UTO"}),
    "old_foreigner": SimCard("I", {"name": "旧版测试"}),
}

OPS = {protocol.RESET: "reset", protocol.SAM_STATUS: "sam_status", protocol.SAM_ID: "sam_id",
       protocol.FIND: "find", protocol.SELECT: "select", protocol.READ: "read",
       protocol.READ_WITH_FINGERPRINT: "read_fingerprint"}


class CardReaderSimulator(PtySimulator):
    SAM_ID = bytes.fromhex("0501000000000000000000000000A0B0")

    def __init__(self, link: str | None = None):
        super().__init__(link)
        self.card: SimCard | None = None
        self._read_done = False      # after a read, find fails until the card is re-presented
        self.errors: dict[str, int] = {}   # operation name -> SW3 to answer instead
        self.corrupt_replies = 0     # the next N replies carry a wrong checksum
        self.silent = False
        self.partial = False
        self.commands: list[str] = []
        self._buf = b""

    # -- what a test does -----------------------------------------------------------------
    def present(self, card: SimCard) -> None:
        self.card, self._read_done = card, False

    def lift(self) -> None:
        self.card = None

    def cmd_present(self, card: str = "resident") -> str:
        """present [resident|resident_two_char|hmt_permit|foreign_permanent|old_foreigner]"""
        if card not in SAMPLE_CARDS:
            raise ValueError(f"no sample card '{card}': {', '.join(SAMPLE_CARDS)}")
        self.present(SAMPLE_CARDS[card])
        return f"{card} card on the reader"

    def cmd_lift(self) -> str:
        """lift: take the card away"""
        self.lift()
        return "no card on the reader"

    def cmd_error(self, op: str, sw3: str = "") -> str:
        """error find|select|read [SW3 hex, e.g. 41; none clears it]"""
        if op not in ("find", "select", "read"):
            raise ValueError("error takes find, select or read")
        if not sw3:
            self.errors.pop(op, None)
            return f"{op} answers normally"
        try:
            self.errors[op] = int(sw3, 16)
        except ValueError:
            raise ValueError(f"'{sw3}' is not a hex result code") from None
        return f"{op} answers {sw3.upper()}"

    # -- wire -----------------------------------------------------------------------------
    def on_data(self, data: bytes) -> None:
        self._buf += data
        while self._buf:
            try:
                body, consumed = protocol.split_frame(self._buf)
            except CardReaderError as exc:
                self._buf = b""
                self._answer(protocol.reply(0x10 if exc.code == "bad_checksum" else 0x11))
                return
            self._buf = self._buf[consumed:]
            if body is None:
                return
            self._answer(self._handle(body))

    def _answer(self, frame: bytes) -> None:
        if self.silent:
            return
        if self.corrupt_replies > 0:
            self.corrupt_replies -= 1
            frame = frame[:-1] + bytes([frame[-1] ^ 0xFF])
        if self.partial:
            frame = frame[:len(frame) // 2]
        self.send(frame)

    def _handle(self, body: bytes) -> bytes:
        op = OPS.get(tuple(body[:2]))
        self.commands.append(op or body[:2].hex())
        if op is None:
            return protocol.reply(0x21)
        if op in self.errors:
            return protocol.reply(self.errors[op])
        return getattr(self, "_" + op.removesuffix("_fingerprint"))(op.endswith("_fingerprint"))

    def _reset(self, _fp) -> bytes:
        return protocol.reply(protocol.SUCCESS)

    _sam_status = _reset

    def _sam_id(self, _fp) -> bytes:
        return protocol.reply(protocol.SUCCESS, self.SAM_ID)

    def _find(self, _fp) -> bytes:
        if self.card is None or self._read_done:
            return protocol.reply(protocol.NO_CARD)
        return protocol.reply(protocol.CARD_FOUND, bytes(4))

    def _select(self, _fp) -> bytes:
        if self.card is None:
            return protocol.reply(0x81)
        return protocol.reply(protocol.SUCCESS, bytes(8))

    def _read(self, fingerprint: bool) -> bytes:
        if self.card is None:
            return protocol.reply(0x41)
        self._read_done = True
        extra = bytes(range(256)) * 4 if fingerprint else None
        data = protocol.build_read_data(self.card.text(), self.card.photo(), extra)
        return protocol.reply(protocol.SUCCESS, data)
