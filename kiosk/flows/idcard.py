"""Resident ID numbers (GB 11643): check digit, birth date, age, and the masks people see."""
from __future__ import annotations

import datetime as _dt
import re

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_SHAPE = re.compile(r"[0-9]{17}[0-9X]")


def check_digit(first17: str) -> str:
    """The 18th character of an ID number whose first 17 digits are `first17`."""
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS)) % 11]


def birth_date(id_number: str) -> _dt.date | None:
    try:
        return _dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None


def problem(id_number: str, today: _dt.date | None = None) -> str:
    """Why `id_number` is not a valid ID number, in plain Chinese; "" when it is valid."""
    if len(id_number) != 18:
        return f"身份证号码是18位，您输入了{len(id_number)}位"
    if not _SHAPE.fullmatch(id_number):
        return "身份证号码只有数字，最后一位可能是X"
    born = birth_date(id_number)
    if born is None or born > (today or _dt.date.today()) or born.year < 1900:
        return "身份证号码中的出生日期不对，请核对"
    if check_digit(id_number[:17]) != id_number[17]:
        return "身份证号码有误，请核对后重新输入"
    return ""


def is_valid(id_number: str, today: _dt.date | None = None) -> bool:
    return not problem(id_number, today)


def age(id_number: str, today: _dt.date | None = None) -> int | None:
    born = birth_date(id_number)
    if born is None:
        return None
    today = today or _dt.date.today()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def mask_name(name: str) -> str:
    """王小明 -> 王*明, 王明 -> 王*, 欧阳小明 -> 欧**明."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_id(id_number: str) -> str:
    """Only the last four characters stay visible."""
    return "*" * 14 + id_number[-4:] if len(id_number) == 18 else ""
