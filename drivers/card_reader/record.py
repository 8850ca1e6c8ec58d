"""The 256-byte text block of an ID card, parsed into a typed record that masks itself.

The block is UCS-2 little-endian, space padded; the character at byte 248 tells the card
type: ' ' resident card, 'J' Hong Kong/Macau/Taiwan residence permit, 'Y' foreigner
permanent residence card (2023). The old 'I' foreigner card is refused as unsupported
until its layout is verified. Layouts are data, used both to parse and (in the simulator)
to build a block, so the two cannot drift apart.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from . import idnumber
from .protocol import CardReaderError

TEXT_LEN = 256
TYPE_OFFSET = 248

_COMMON_HEAD = [("name", 30), ("sex", 2), ("nation", 4), ("birth", 16), ("address", 70),
                ("id_number", 36), ("authority", 30), ("valid_from", 16), ("valid_to", 16)]
LAYOUTS: dict[str, list[tuple[str, int]]] = {
    " ": _COMMON_HEAD + [("reserved", 36)],
    "J": _COMMON_HEAD + [("pass_number", 18), ("issue_count", 4), ("reserved", 6),
                         ("type", 2), ("reserved2", 6)],
    "Y": [("name", 30), ("sex", 2), ("renewal_count", 4), ("birth", 16),
          ("english_name_1", 70), ("id_number", 36), ("reserved", 30), ("valid_from", 16),
          ("valid_to", 16), ("english_name_2", 22), ("nationality", 6), ("type", 2),
          ("previous_card", 6)],
}
CARD_TYPES = {" ": "resident", "J": "hmt_permit", "Y": "foreign_permanent"}
CARD_TYPE_NAMES = {"resident": "居民身份证", "hmt_permit": "港澳台居民居住证",
                   "foreign_permanent": "外国人永久居留身份证"}
SEXES = {"0": "未知", "1": "男", "2": "女", "9": "未说明"}
NATIONS = dict(enumerate(
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 "
    "拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 "
    "怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺".split(), 1))
NATIONS.update({97: "其他", 98: "外国血统中国籍人士"})
LONG_TERM = "长期"


@dataclass(frozen=True)
class IdCardRecord:
    """One card's holder. repr/str show only masked values: safe to log."""
    card_type: str                  # resident | hmt_permit | foreign_permanent
    name: str
    sex: str                        # 男 / 女 / 未知 / 未说明
    birth_date: dt.date
    id_number: str
    valid_from: dt.date
    valid_to: dt.date | None        # None: 长期 (no end)
    nation: str = ""                # 汉, 蒙古, ... (resident cards only)
    address: str = ""
    authority: str = ""
    pass_number: str = ""           # HK/Macau/Taiwan permit: the travel pass number
    issue_count: int | None = None
    english_name: str = ""          # foreigner card
    nationality: str = ""           # foreigner card: ISO 3166 alpha-3 code
    renewal_count: int | None = None
    photo: Any = None               # PIL.Image (RGB, 102x126) when a decoder is configured
    photo_unavailable_reason: str = ""
    photo_wlt: bytes = field(default=b"", compare=False)
    fingerprint: bytes = field(default=b"", compare=False)

    @property
    def card_type_name(self) -> str:
        return CARD_TYPE_NAMES[self.card_type]

    @property
    def name_masked(self) -> str:
        return idnumber.mask_name(self.name or self.english_name)

    @property
    def id_last4(self) -> str:
        return idnumber.last4(self.id_number)

    @property
    def id_masked(self) -> str:
        return idnumber.mask_id(self.id_number)

    def age(self, on: dt.date) -> int:
        born = self.birth_date
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))

    def is_expired(self, on: dt.date) -> bool:
        return self.valid_to is not None and on > self.valid_to

    def masked(self) -> dict:
        """What a screen or a log may show."""
        return {"card_type": self.card_type, "card_type_name": self.card_type_name,
                "name": self.name_masked, "id": self.id_masked, "sex": self.sex,
                "valid_to": self.valid_to.isoformat() if self.valid_to else LONG_TERM}

    def __repr__(self) -> str:
        return (f"IdCardRecord({self.card_type}, name={self.name_masked}, "
                f"id=…{self.id_last4}, photo={'yes' if self.photo is not None else 'no'})")

    __str__ = __repr__


def split_fields(text: bytes, layout: list[tuple[str, int]]) -> dict[str, str]:
    out, pos = {}, 0
    for name, size in layout:
        out[name] = text[pos:pos + size].decode("utf-16-le", "replace").strip(" \x00")
        pos += size
    return out


def build_text(card_kind: str, values: dict[str, str]) -> bytes:
    """A text block from field values (the simulator's cards); the type flag is set here."""
    values = {**values, "type": card_kind.strip()}
    out = bytearray()
    for name, size in LAYOUTS[card_kind]:
        raw = values.get(name, "").encode("utf-16-le")[:size]
        out += raw + " ".encode("utf-16-le") * ((size - len(raw)) // 2)
    return bytes(out)


def _bad(what: str) -> CardReaderError:
    return CardReaderError("bad_card_data", f"证件信息无法识别（{what}），请重新放卡", "ok")


def _date(value: str, what: str, long_term_ok: bool = False) -> dt.date | None:
    if long_term_ok and value == LONG_TERM:
        return None
    try:
        if len(value) != 8 or not value.isdigit():
            raise ValueError(value)
        return dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        raise _bad(what) from None


def _count(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def card_kind(text: bytes) -> str:
    if len(text) < TEXT_LEN:
        raise _bad("长度")
    flag = text[TYPE_OFFSET:TYPE_OFFSET + 2].decode("utf-16-le", "replace")
    if flag == "I":
        raise CardReaderError("unsupported_card_type",
                              "暂不支持旧版外国人永久居留证，请使用其他证件或人工办理", "ok")
    if flag not in LAYOUTS:
        raise CardReaderError("unknown_card_type", "无法识别的证件类型", "ok")
    return flag


def parse_text(text: bytes) -> IdCardRecord:
    """Parse a text block; every problem is a CardReaderError."""
    kind = card_kind(text)
    f = split_fields(text, LAYOUTS[kind])
    id_number = idnumber.normalize(f["id_number"])
    if not idnumber.validate(id_number):
        raise CardReaderError("bad_id_number", "证件号码校验失败，请重新放卡", "ok")
    if f["sex"] not in SEXES:
        raise _bad("性别")
    birth = _date(f["birth"], "出生日期")
    if birth != idnumber.birth_date(id_number):
        # Every layout's number carries the birth date in characters 7-14 (resident card,
        # HK/Macau/Taiwan permit, and the 2023 foreigner card's 9 + province + country code
        # + birth date + sequence): a mismatch is a misread or a forged card, never a person.
        raise _bad("出生日期与证件号码不符")
    common = dict(card_type=CARD_TYPES[kind], name=f["name"], sex=SEXES[f["sex"]],
                  birth_date=birth, id_number=id_number,
                  valid_from=_date(f["valid_from"], "有效期"),
                  valid_to=_date(f["valid_to"], "有效期", long_term_ok=True))
    if kind == "Y":
        return IdCardRecord(**common, renewal_count=_count(f["renewal_count"]),
                            english_name=(f["english_name_1"] + f["english_name_2"]).strip(),
                            nationality=f["nationality"])
    extra = dict(address=f["address"], authority=f["authority"])
    if kind == "J":
        return IdCardRecord(**common, **extra, pass_number=f["pass_number"],
                            issue_count=_count(f["issue_count"]))
    code = int(f["nation"]) if f["nation"].isdigit() else -1
    if code not in NATIONS:
        raise _bad("民族")
    return IdCardRecord(**common, **extra, nation=NATIONS[code])
