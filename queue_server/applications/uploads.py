"""Photos sent over the hall bus in parts (`application.photo`), held in the server's memory
until the kiosk's `application.submit` names them.

A bus request is at most `server.max_payload_bytes` (16 KiB by default), a photo of a paper
material is tens to hundreds of KiB: the kiosk sends each photo (and the signature) in parts
of at most PART_BYTES under an upload id of its own choosing, then files the application
naming the uploads. An upload belongs to the kiosk that sent it (another client naming it
finds nothing), is used once, and is forgotten after UPLOAD_TTL_S. Limits: a photo at most
MAX_PHOTO_BYTES, a client at most MAX_PENDING uploads, everyone together at most
MAX_TOTAL_BYTES in memory. A server restarted between the parts and the filing has lost
them: the filing is refused (`unknown_upload`) and the kiosk sends them again.
"""
from __future__ import annotations

import base64
import binascii
import re

from hall.protocol.topics import PHOTO_PART_BYTES as PART_BYTES   # base64: 10924 characters

from ..engine import EngineError

MAX_PHOTO_BYTES = 4 * 1024 * 1024
MAX_PARTS = MAX_PHOTO_BYTES // PART_BYTES
MAX_PENDING = 24                   # a client's uploads not yet filed (20 photos + signature)
MAX_TOTAL_BYTES = 96 * 1024 * 1024
UPLOAD_TTL_S = 1800.0
UPLOAD_ID = re.compile(r"[0-9A-Za-z_-]{8,40}")
TOO_LARGE = f"照片太大（每张不超过{MAX_PHOTO_BYTES // 1024 // 1024}MB）"
IMAGE_TYPES = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"))


def image_type(data: bytes) -> str | None:
    """image/jpeg or image/png by the bytes' magic (never by what the sender says), or None."""
    return next((kind for magic, kind in IMAGE_TYPES if data.startswith(magic)), None)


class _Upload:
    def __init__(self, parts: int, started: float):
        self.parts, self.started = parts, started
        self.chunks: dict[int, bytes] = {}

    @property
    def size(self) -> int:
        return sum(len(c) for c in self.chunks.values())

    @property
    def complete(self) -> bool:
        return len(self.chunks) == self.parts


class Uploads:
    def __init__(self):
        self._held: dict[tuple[str, str], _Upload] = {}

    def add(self, now: float, client_id: str, args: dict) -> dict:
        """One part; a part sent again (a resend after a reconnect) replaces itself."""
        self._expire(now)
        upload, part, parts = args.get("upload"), args.get("part"), args.get("parts")
        if not isinstance(upload, str) or not UPLOAD_ID.fullmatch(upload) \
                or not _whole(parts, 1, MAX_PARTS) or not _whole(part, 0, parts - 1):
            raise EngineError("bad_request", TOO_LARGE if _whole(parts, MAX_PARTS + 1, 10 ** 9)
                              else "照片分段有误")
        data = _decode(args.get("data"))
        key = (client_id, upload)
        held = self._held.get(key)
        if held is None:
            if sum(1 for c, _ in self._held if c == client_id) >= MAX_PENDING:
                raise EngineError("conflict", "待提交的照片太多，请重新开始申报")
            held = self._held[key] = _Upload(parts, now)
        if held.parts != parts:
            raise EngineError("bad_request", "照片分段有误")
        if self._total() - len(held.chunks.get(part, b"")) + len(data) > MAX_TOTAL_BYTES:
            raise EngineError("conflict", "系统繁忙，请稍后再试")
        held.chunks[part] = data
        return {"upload": upload, "received": len(held.chunks), "parts": parts}

    def take(self, client_id: str, upload: object) -> bytes:
        """The whole photo of a complete upload of this client, forgotten here."""
        held = self._held.get((client_id, upload)) if isinstance(upload, str) else None
        if held is None or not held.complete:
            raise EngineError("unknown_upload", "照片没有传完，请重新提交")
        del self._held[(client_id, upload)]
        return b"".join(held.chunks[i] for i in range(held.parts))

    def forget(self, client_id: str, uploads: list) -> None:
        for upload in uploads:
            self._held.pop((client_id, upload), None)

    def _total(self) -> int:
        return sum(u.size for u in self._held.values())

    def _expire(self, now: float) -> None:
        for key in [k for k, u in self._held.items() if now - u.started > UPLOAD_TTL_S]:
            del self._held[key]


def _whole(value: object, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _decode(data: object) -> bytes:
    bad = EngineError("bad_request", f"照片分段有误（每段不超过{PART_BYTES}字节）")
    if not isinstance(data, str) or not data or len(data) > (PART_BYTES + 2) // 3 * 4:
        raise bad
    try:
        part = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise bad from None
    if len(part) > PART_BYTES:
        raise bad
    return part
