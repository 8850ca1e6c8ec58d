"""The ID card reader driver: find / select / read over a serial transport, and a poller.

Every call ends within its deadline: a silent reader is `no_reply`, half a frame is
`partial_frame`, a corrupt one `bad_checksum` / `bad_length`; all are CardReaderError.
"""
from __future__ import annotations

import dataclasses
import threading
import time
from typing import Callable

from ..health import OK, DeviceError, Health
from ..transport import SerialTransport
from . import protocol
from .photo import NO_DECODER_REASON, PhotoDecoder, PhotoUnavailable
from .profile import CardReaderProfile
from .protocol import CardReaderError
from .record import IdCardRecord, parse_text



def _no_reply() -> CardReaderError:
    return CardReaderError("no_reply", "读卡器无响应，请检查电源和连接线")


class CardReader:
    def __init__(self, port: str, profile: CardReaderProfile | None = None, *,
                 decoder: PhotoDecoder | None = None, transport: SerialTransport | None = None):
        self.profile = profile or CardReaderProfile()
        self.transport = transport or SerialTransport(port, self.profile.baudrate,
                                                      timeout=self.profile.reply_timeout_s)
        self._decoder, self._decoder_problem = decoder, NO_DECODER_REASON
        if decoder is None:
            try:
                self._decoder = self.profile.photo_decoder()
            except PhotoUnavailable as exc:
                self._decoder_problem = str(exc)
        self._health: Health | None = None

    # -- status ---------------------------------------------------------------------------
    def get_status(self) -> dict:
        """The reader's Health as a dict; asks the SAM once if nothing was heard yet."""
        if self._health is None:
            try:
                self.sam_status()
            except CardReaderError:
                pass
        return self._health.as_dict()

    def close(self) -> None:
        self.transport.close()

    # -- wire -----------------------------------------------------------------------------
    def _read_body(self, timeout: float) -> bytes:
        deadline = time.monotonic() + timeout
        buf = b""
        while True:
            body, consumed = protocol.split_frame(buf)
            if body is not None:
                return body
            buf = buf[consumed:]
            if buf.startswith(protocol.PREAMBLE) and len(buf) >= protocol.HEADER_LEN:
                need = protocol.HEADER_LEN + int.from_bytes(buf[5:7], "big") - len(buf)
            else:
                need = max(1, protocol.HEADER_LEN - len(buf))
            remaining = deadline - time.monotonic()
            chunk = self.transport.read(need, remaining) if remaining > 0 else b""
            if not chunk:
                if buf:
                    raise CardReaderError("partial_frame", "读卡器回复不完整")
                raise _no_reply()
            buf += chunk

    def transact(self, cmd: tuple[int, int], timeout: float | None = None) -> protocol.Reply:
        """Send one command and return the reply; the health follows what happened."""
        try:
            with self.transport.lock:
                self.transport.discard_input()
                self.transport.write(protocol.command(cmd))
                reply = protocol.parse_reply(self._read_body(timeout or self.profile.reply_timeout_s))
        except CardReaderError as exc:
            self._health = exc.health
            raise
        except DeviceError as exc:     # the port is gone: SerialTransport says "absent"
            self._health = exc.health
            raise CardReaderError(exc.code, exc.health.message, exc.health.state) from exc
        self._health = OK
        return reply

    def _expect(self, reply: protocol.Reply, sw3: int) -> bytes:
        if reply.sw3 != sw3:
            error = protocol.result_error(reply.sw3)
            if error.health.state != "ok":
                self._health = error.health
            raise error
        return reply.data

    # -- commands -------------------------------------------------------------------------
    def reset(self) -> None:
        self._expect(self.transact(protocol.RESET), protocol.SUCCESS)

    def sam_status(self) -> None:
        self._expect(self.transact(protocol.SAM_STATUS), protocol.SUCCESS)

    def sam_id(self) -> str:
        return self._expect(self.transact(protocol.SAM_ID), protocol.SUCCESS).hex().upper()

    def find(self) -> bool:
        """Whether a card lies on the reader (and was not read since it was put there)."""
        reply = self.transact(protocol.FIND)
        if reply.sw3 == protocol.NO_CARD:
            return False
        self._expect(reply, protocol.CARD_FOUND)
        return True

    def select(self) -> None:
        self._expect(self.transact(protocol.SELECT), protocol.SUCCESS)

    def read(self) -> IdCardRecord:
        """Read the selected card; a garbled reply is read once more before giving up."""
        fingerprint = self.profile.read_fingerprint
        cmd = protocol.READ_WITH_FINGERPRINT if fingerprint else protocol.READ
        for attempt in (1, 2):
            try:
                reply = self.transact(cmd, self.profile.read_timeout_s)
                break
            except CardReaderError as exc:
                if attempt == 2 or exc.code not in ("bad_checksum", "bad_length", "partial_frame"):
                    raise
        data = protocol.parse_read_data(self._expect(reply, protocol.SUCCESS), fingerprint)
        record = parse_text(data.text)
        return dataclasses.replace(record, photo_wlt=data.photo, fingerprint=data.fingerprint,
                                   **self._photo(data.photo))

    def _photo(self, wlt: bytes) -> dict:
        if self._decoder is None:
            return {"photo_unavailable_reason": self._decoder_problem}
        try:
            return {"photo": self._decoder.decode(wlt)}
        except PhotoUnavailable as exc:
            return {"photo_unavailable_reason": str(exc)}
        except Exception:   # vendor code may raise anything: the text is still good
            return {"photo_unavailable_reason": "证件照片解码失败"}

    def read_card(self) -> IdCardRecord | None:
        """find + select + read; None when no (new) card is on the reader."""
        if not self.find():
            return None
        self.select()
        return self.read()


class CardReaderPoller:
    """Runs `find` about once a second on its own thread and reports each card once.

    on_card(record) gets each newly presented card; on_error(CardReaderError) gets every
    failed read of a card and each change of the reader's own trouble (not every second of
    it). Both run on the poller's thread: a Kivy caller hops to its clock.
    """

    def __init__(self, reader: CardReader, on_card: Callable[[IdCardRecord], None],
                 on_error: Callable[[CardReaderError], None] | None = None,
                 interval: float | None = None):
        self.reader = reader
        self.on_card = on_card
        self.on_error = on_error or (lambda exc: None)
        self.interval = reader.profile.poll_interval_s if interval is None else interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_trouble = ""

    def start(self) -> "CardReaderPoller":
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="CardReaderPoller", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            self.poll_once()
            self._stop.wait(self.interval)

    def poll_once(self) -> IdCardRecord | None:
        try:
            record = self.reader.read_card()
        except CardReaderError as exc:
            self._report(exc)
            return None
        self._last_trouble = ""
        if record is not None:
            self.on_card(record)
        return record

    def _report(self, exc: CardReaderError) -> None:
        if exc.health.state == "ok":        # this card failed: always worth telling
            self._last_trouble = ""
            self.on_error(exc)
        elif exc.code != self._last_trouble:
            self._last_trouble = exc.code
            self.on_error(exc)
