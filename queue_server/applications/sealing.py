"""Personal data of applications sealed at rest: AES-256-GCM (the `cryptography` package).

The key lives in its own file beside the database (<db>.appkey, mode 0600, made once like the
ID key), never in it: a copy of the database alone reads as noise. Each blob is bound to its
application number (GCM's associated data), so a blob moved to another row does not open.

    sealer = Sealer(key)
    blob = sealer.seal("Q-20261202-0001", {"form": {...}})
    sealer.open("Q-20261202-0001", blob)      # the dict again; ValueError if tampered with
"""
from __future__ import annotations

import json
import os

VERSION = b"\x01"          # the format of a blob: version, 12-byte nonce, ciphertext + tag
NONCE = 12


class Sealer:
    def __init__(self, key: bytes):
        if len(key) != 32:
            raise ValueError("the application key must be 32 bytes")
        self._key = key
        self._aead = None

    def _cipher(self):
        if self._aead is None:      # imported on first use: the server's start never needs it
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM
            self._aead = AESGCM(self._key)
        return self._aead

    def seal_bytes(self, number: str, data: bytes) -> bytes:
        nonce = os.urandom(NONCE)
        return VERSION + nonce + self._cipher().encrypt(nonce, data, number.encode())

    def open_bytes(self, number: str, blob: bytes) -> bytes:
        from cryptography.exceptions import InvalidTag
        if not blob or blob[:1] != VERSION:
            raise ValueError("not a sealed application blob")
        try:
            return self._cipher().decrypt(blob[1:1 + NONCE], blob[1 + NONCE:], number.encode())
        except InvalidTag:
            raise ValueError("the sealed data does not open with this key and number") from None

    def seal(self, number: str, value: dict) -> bytes:
        return self.seal_bytes(number, json.dumps(value, ensure_ascii=False).encode())

    def open(self, number: str, blob: bytes) -> dict:
        return json.loads(self.open_bytes(number, blob))
