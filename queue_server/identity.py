"""Resident ID numbers as the server keeps them: the raw number never leaves this module.

The check itself is drivers.card_reader.idnumber (the card's own number format), shared
with the kiosk and the reader; the engine only ever sees the Person made here.

What is kept of a person: an HMAC-SHA256 of the number (to count tickets per person and to
find an appointment again), the masked name (王*明), the last four digits and the age. Its
32-byte key is kept outside the database (Store.secrets): ID numbers are few enough to try
them all, so a hash is safe only from someone who does not hold the key.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from drivers.card_reader.idnumber import birth_date, mask_name, validate

from .engine import EngineError, Person


def hash_id(id_number: str, key: bytes) -> str:
    return hmac.new(key, id_number.upper().encode(), hashlib.sha256).hexdigest()


def read_identity(identity: object, key: bytes, today: dt.date) -> Person:
    """Check {"id_number": ..., "name": optional} and keep only what may be kept."""
    bad = EngineError("bad_request", "身份证号码有误，请核对")
    if not isinstance(identity, dict):
        raise EngineError("bad_request", "身份信息格式有误")
    number = identity.get("id_number")
    name = identity.get("name") or ""
    if not isinstance(number, str) or not isinstance(name, str):
        raise bad
    number = number.strip().upper()
    if not validate(number):
        raise bad
    birth = birth_date(number)
    if birth > today or birth.year < 1890:
        raise bad
    return Person(hash_id(number, key), number[-4:], mask_name(name), birth)
