"""Invented people with valid ID check digits (no real person's data in tests)."""
from drivers.card_reader.idnumber import check_digit


def invented_id(birth: str, serial: str = "123") -> str:
    """An ID number of an invented person born on `birth` (YYYYMMDD), valid check digit."""
    first17 = "110101" + birth + serial
    return first17 + check_digit(first17)


YOUNG = invented_id("19900307", "518")     # 36 years old in 2026
OLD = invented_id("19400815", "026")       # 85 years old in 2026
