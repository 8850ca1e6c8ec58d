"""Decode an ESC/POS byte stream back into what the paper shows: lines, QR codes, the cut.

The printer simulator feeds everything it receives through this, so tests can assert what
the citizen holds, and docs can render a ticket to PNG. Bytes may arrive in any pieces: an
incomplete command waits for the rest. Text is GB18030 in Chinese-character mode (FS &);
outside it, bytes above 0x7F come out as U+FFFD so a wrongly encoded ticket is visible.
"""
from __future__ import annotations

from dataclasses import dataclass, field

QR_LEVELS = {0x30: "L", 0x31: "M", 0x32: "Q", 0x33: "H"}
# Commands "prefix second-byte" -> total length, for those with fixed length we ignore.
_FIXED = {0x1B: {0x40: 2, 0x32: 2, 0x70: 5}, 0x1C: {0x26: 2, 0x2E: 2, 0x53: 4},
          0x1D: {0x4C: 4, 0x57: 4}}


@dataclass
class Line:
    text: str
    width: int = 1
    height: int = 1
    bold: bool = False
    align: str = "left"


@dataclass
class QrCode:
    data: str
    module: int = 3
    level: str = "L"


@dataclass
class Document:
    items: list = field(default_factory=list)      # Line | QrCode, top to bottom
    cut: str = ""                                  # full | partial | "" (not cut yet)
    size: int = 0                                  # bytes that made it

    @property
    def lines(self) -> list[Line]:
        return [i for i in self.items if isinstance(i, Line) and i.text.strip()]

    @property
    def texts(self) -> list[str]:
        return [line.text for line in self.lines]

    @property
    def qr_codes(self) -> list[QrCode]:
        return [i for i in self.items if isinstance(i, QrCode)]


class EscPosDecoder:
    def __init__(self, chinese_default: bool = True):
        self.chinese_default = chinese_default
        self.documents: list[Document] = []     # one per cut
        self.unknown: list[bytes] = []          # commands this decoder does not know
        self._buf = b""
        self._reset()
        self._doc = Document()

    def _reset(self) -> None:
        self.chinese = self.chinese_default
        self.bold, self.align = False, "left"
        self.esc_w = self.esc_h = self.gs_w = self.gs_h = 1
        self._line = bytearray()
        self._style: tuple | None = None
        self._qr = {"module": 3, "level": "L", "data": b""}

    @property
    def pending(self) -> Document:
        """What was received since the last cut."""
        return self._doc

    def feed(self, data: bytes) -> list[int]:
        """Consume bytes; returns the DLE EOT n queries found (the caller answers them)."""
        self._buf += data
        queries, pos = [], 0
        while pos < len(self._buf):
            doc, asked = self._doc, len(queries)     # a cut starts the next document
            size = self._step(self._buf, pos, queries)
            if size == 0:
                break               # incomplete command: wait for more bytes
            if len(queries) == asked:                # status queries are not printed matter
                doc.size += size
            pos += size
        self._buf = self._buf[pos:]
        return queries

    # -- one command or text byte at buf[pos]; returns bytes consumed, 0 = need more ------
    def _step(self, buf: bytes, pos: int, queries: list[int]) -> int:
        byte = buf[pos]
        if byte >= 0x20:
            self._text(byte)
            return 1
        if byte == 0x0A:
            self._end_line()
            return 1
        if byte not in (0x10, 0x1B, 0x1C, 0x1D):
            return 1                # CR, HT and other single controls: nothing printed
        if len(buf) - pos < 2:
            return 0
        return self._command(buf, pos, queries)

    def _command(self, buf: bytes, pos: int, queries: list[int]) -> int:
        prefix, op = buf[pos], buf[pos + 1]
        fixed = _FIXED.get(prefix, {}).get(op)
        if fixed is not None:
            if len(buf) - pos < fixed:
                return 0
            self._fixed(prefix, op)
            return fixed
        if prefix == 0x1D and op in (0x28, 0x76, 0x56):
            return self._gs_variable(buf, pos, op)
        if len(buf) - pos < 3:
            return 0
        arg = buf[pos + 2]
        handler = {(0x10, 0x04): lambda: queries.append(arg),
                   (0x1B, 0x21): lambda: self._esc_mode(arg),
                   (0x1B, 0x45): lambda: setattr(self, "bold", bool(arg & 1)),
                   (0x1B, 0x61): lambda: self._set_align(arg),
                   (0x1B, 0x64): lambda: self._feed_lines(arg),
                   (0x1D, 0x21): lambda: self._gs_size(arg),
                   (0x1C, 0x21): lambda: self._esc_mode(arg << 2 & 0x30)}.get((prefix, op))
        if handler is None:
            # ESC/GS/FS x n: most one-argument settings (font, code page, spacing) change
            # nothing this decoder shows; remember them so a test can see what was sent.
            self.unknown.append(bytes(buf[pos:pos + 3]))
        else:
            handler()
        return 3

    def _fixed(self, prefix: int, op: int) -> None:
        if (prefix, op) == (0x1B, 0x40):
            self._end_line(partial_only=True)
            self._reset()
        elif (prefix, op) == (0x1C, 0x26):
            self.chinese = True
        elif (prefix, op) == (0x1C, 0x2E):
            self.chinese = False

    def _gs_variable(self, buf: bytes, pos: int, op: int) -> int:
        have = len(buf) - pos
        if op == 0x56:                       # GS V m [n]: cut
            if have < 3:
                return 0
            size = 4 if buf[pos + 2] in (65, 66) else 3
            if have < size:
                return 0
            self._cut("full" if buf[pos + 2] in (0, 48, 65) else "partial")
            return size
        if op == 0x28:                       # GS ( k pL pH data
            if have < 5:
                return 0
            size = 5 + int.from_bytes(buf[pos + 3:pos + 5], "little")
            if have < size:
                return 0
            if buf[pos + 2] == 0x6B:
                self._qr_function(bytes(buf[pos + 5:pos + size]))
            return size
        if have < 8:                         # GS v 0 m xL xH yL yH data: raster image
            return 0
        x = int.from_bytes(buf[pos + 4:pos + 6], "little")
        y = int.from_bytes(buf[pos + 6:pos + 8], "little")
        size = 8 + x * y
        if have < size:
            return 0
        self._doc.items.append(Line(f"[image {x * 8}x{y}]"))
        return size

    # -- state ----------------------------------------------------------------------------
    def _esc_mode(self, n: int) -> None:
        self.esc_h = 2 if n & 0x10 else 1
        self.esc_w = 2 if n & 0x20 else 1
        self.bold = bool(n & 0x08)

    def _gs_size(self, n: int) -> None:
        self.gs_w, self.gs_h = (n >> 4) + 1, (n & 0x0F) + 1

    def _set_align(self, n: int) -> None:
        self.align = {0: "left", 1: "center", 2: "right"}.get(n & 0x0F if n >= 48 else n, "left")

    def _text(self, byte: int) -> None:
        if not self._line:
            self._style = (max(self.gs_w, self.esc_w), max(self.gs_h, self.esc_h),
                           self.bold, self.align, self.chinese)
        self._line.append(byte)

    def _end_line(self, partial_only: bool = False) -> None:
        if partial_only and not self._line:
            return
        if not self._line:
            self._doc.items.append(Line(""))
            return
        width, height, bold, align, chinese = self._style
        raw = bytes(self._line)
        text = raw.decode("gb18030", "replace") if chinese else \
            "".join(chr(b) if b < 0x80 else "\ufffd" for b in raw)
        self._doc.items.append(Line(text, width, height, bold, align))
        self._line = bytearray()

    def _feed_lines(self, n: int) -> None:
        self._end_line(partial_only=True)
        self._doc.items.extend(Line("") for _ in range(n))

    def _qr_function(self, data: bytes) -> None:
        if len(data) < 2 or data[0] != 0x31:
            return
        fn = data[1]
        if fn == 0x43 and len(data) > 2:
            self._qr["module"] = data[2]
        elif fn == 0x45 and len(data) > 2:
            self._qr["level"] = QR_LEVELS.get(data[2], "?")
        elif fn == 0x50:
            self._qr["data"] = data[3:]
        elif fn == 0x51:
            self._end_line(partial_only=True)
            self._doc.items.append(QrCode(self._qr["data"].decode("utf-8", "replace"),
                                          self._qr["module"], self._qr["level"]))

    def _cut(self, mode: str) -> None:
        self._end_line(partial_only=True)
        self._doc.cut = mode
        self.documents.append(self._doc)
        self._doc = Document()
