"""The 18-character citizen ID number (GB 11643) and the masking rules for showing people.

This is the project's single implementation of the check: the server, the kiosk and the
card reader all import it from here.

    validate("11010519491231002X")  -> True
    check_digit("11010519491231002") -> "X"
    mask_id("11010519491231002X")   -> "**************002X"
    mask_name("王小明")              -> "王*明"
"""
from __future__ import annotations

import datetime as dt
import re

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"      # remainder of the weighted sum mod 11 -> check character
_FORM = re.compile(r"\d{17}[\dX]")


def check_digit(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits."""
    if not re.fullmatch(r"\d{17}", first17):
        raise ValueError("the first 17 characters of an ID number must be digits")
    total = sum(int(ch) * w for ch, w in zip(first17, WEIGHTS))
    return CHECK_CHARS[total % 11]


def normalize(id_number: str) -> str:
    """Upper-case and strip; a lower-case x is a common typing habit."""
    return id_number.strip().upper()


def validate(id_number: str) -> bool:
    """Right form, right check character and a real birth date."""
    value = normalize(id_number) if isinstance(id_number, str) else ""
    if not _FORM.fullmatch(value) or check_digit(value[:17]) != value[17]:
        return False
    return birth_date(value) is not None


def birth_date(id_number: str) -> dt.date | None:
    """The birth date encoded in characters 7-14, or None if it isn't a date."""
    value = normalize(id_number)
    try:
        return dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def age(id_number: str, on: dt.date) -> int | None:
    """Whole years of age on a given day (for elderly priority)."""
    born = birth_date(id_number)
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def last4(id_number: str) -> str:
    return normalize(id_number)[-4:]


def mask_id(id_number: str) -> str:
    """Everything but the last four characters hidden."""
    value = normalize(id_number)
    return "*" * max(len(value) - 4, 0) + value[-4:]


def mask_name(name: str) -> str:
    """王小明 -> 王*明, 王明 -> 王*, 欧阳小明 -> 欧**明; Latin names keep each initial."""
    name = name.strip()
    if " " in name:
        return " ".join(word[:1] + "*" * (len(word) - 1) for word in name.split())
    if len(name) <= 1:
        return "*" * len(name)
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
