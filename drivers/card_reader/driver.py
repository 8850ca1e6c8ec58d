"""The ID card reader driver: find / select / read over a serial transport, and a poller.

Every call ends within its deadline: a silent reader is `no_reply`, half a frame is
`partial_frame`, a corrupt one `bad_checksum` / `bad_length`; all are CardReaderError.
"""
from __future__ import annotations

import dataclasses
import time
from typing import Callable

from ..health import OK, DeviceError, Health, TracksHealth
from ..threads import DriverThread
from ..transport import SerialTransport
from . import protocol
from .photo import NO_DECODER_REASON, PhotoDecoder, PhotoUnavailable
from .profile import CardReaderProfile
from .protocol import CardReaderError
from .record import IdCardRecord, parse_text


def _no_reply() -> CardReaderError:
    return CardReaderError("no_reply", "读卡器无响应，请检查电源和连接线")


class CardReader(TracksHealth):
    error_class = CardReaderError

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

    def probe(self) -> None:
        self.sam_status()

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
        except DeviceError as exc:     # CardReaderError, or the port is gone ("absent")
            raise self._failed(exc) from exc
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


class CardReaderPoller(DriverThread):
    """Runs `find` about once a second on its own thread and reports each card once.

    on_card(record) gets each newly presented card; on_error(CardReaderError) gets each
    failed read of a card; on_health(Health) gets every change of the reader's own health,
    the way back to ok included (a reader unplugged and plugged back in). All run on the
    poller's thread: a Kivy caller hops to its clock.
    """

    def __init__(self, reader: CardReader, on_card: Callable[[IdCardRecord], None],
                 on_error: Callable[[CardReaderError], None] | None = None,
                 interval: float | None = None,
                 on_health: Callable[[Health], None] | None = None):
        super().__init__()
        self.reader = reader
        self.on_card = on_card
        self.on_error = on_error or (lambda exc: None)
        self.on_health = on_health or (lambda health: None)
        self.interval = reader.profile.poll_interval_s if interval is None else interval
        self._last_health: Health | None = None

    def _run(self) -> None:
        while not self._stop.is_set():
            self.poll_once()
            self._stop.wait(self.interval)

    def poll_once(self) -> IdCardRecord | None:
        record = None
        try:
            record = self.reader.read_card()
        except CardReaderError as exc:
            if exc.health.state == "ok":        # this card failed, the reader is fine
                self.on_error(exc)
        if self.reader.health != self._last_health:
            self._last_health = self.reader.health
            self.on_health(self._last_health)
        if record is not None:
            self.on_card(record)
        return record
