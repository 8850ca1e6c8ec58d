"""Resident ID numbers: check, hash, mask. The raw number never leaves this module.

What is kept of a person: a salted HMAC of the number (to count tickets per person and to
find an appointment again), the masked name (王*明), the last four digits and the age.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from .errors import EngineError

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def check_digit(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 17 digits of an ID number."""
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS)) % 11]


def mask_name(name: str) -> str:
    """王小明 -> 王*明, 王明 -> 王*, 欧阳娜娜 -> 欧**娜; a one-character name is all masked."""
    name = (name or "").strip()
    if len(name) <= 1:
        return "*" if name else ""
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


@dataclass(frozen=True)
class Person:
    id_hash: str
    id_last4: str
    name_masked: str
    birth: dt.date

    def age_on(self, day: dt.date) -> int:
        before_birthday = (day.month, day.day) < (self.birth.month, self.birth.day)
        return day.year - self.birth.year - before_birthday


def hash_id(id_number: str, salt: bytes) -> str:
    return hmac.new(salt, id_number.upper().encode(), hashlib.sha256).hexdigest()


def read_identity(identity: object, salt: bytes, today: dt.date) -> Person:
    """Check {"id_number": ..., "name": optional} and keep only what may be kept."""
    bad = EngineError("bad_request", "身份证号码有误，请核对")
    if not isinstance(identity, dict):
        raise EngineError("bad_request", "身份信息格式有误")
    number = identity.get("id_number")
    name = identity.get("name") or ""
    if not isinstance(number, str) or not isinstance(name, str):
        raise bad
    number = number.strip().upper()
    if len(number) != 18 or not number[:17].isdigit() or check_digit(number[:17]) != number[17]:
        raise bad
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise bad from None
    if birth > today or birth.year < 1890:
        raise bad
    return Person(hash_id(number, salt), number[-4:], mask_name(name), birth)
