"""Why a typed ID number is wrong, in words a citizen understands.

The check itself (GB 11643 check digit, birth date, masks) is the project's single
implementation in drivers.card_reader.idnumber; this module only explains its verdict.
"""
from __future__ import annotations

import datetime as _dt
import re

from drivers.card_reader.idnumber import age, birth_date, check_digit, mask_id, mask_name

__all__ = ["age", "birth_date", "check_digit", "mask_id", "mask_name", "problem"]

_SHAPE = re.compile(r"[0-9]{17}[0-9X]")


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
