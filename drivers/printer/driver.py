"""The ticket printer driver: status before, the whole ticket in one write, status after.

Transport choice: python-escpos builds the bytes (ticket.py, into its Dummy printer) and the
project's SerialTransport sends them. python-escpos's own Serial class would block without
deadlines on a vanished port and reads "no reply" as "paper OK"; SerialTransport gives every
read a deadline and reopens an adapter that was unplugged and plugged back in.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..health import DeviceError, Health, TracksHealth
from ..transport import SerialTransport
from .profile import PrinterProfile
from .status import QUERIES, PrinterError, PrinterStatus, query
from .ticket import Qr, Text, Ticket, render, sample_ticket, ticket_bytes


@dataclass(frozen=True)
class PrintResult:
    bytes_sent: int
    status: PrinterStatus          # after printing: may carry a warning (paper near end)

    @property
    def health(self) -> Health:
        return self.status.health


class TicketPrinter(TracksHealth):
    error_class = PrinterError

    def __init__(self, port: str, profile: PrinterProfile | None = None, *,
                 transport: SerialTransport | None = None):
        self.profile = profile or PrinterProfile()
        self.transport = transport or SerialTransport(port, self.profile.baudrate,
                                                      timeout=self.profile.status_timeout_s)

    def close(self) -> None:
        self.transport.close()

    def probe(self) -> None:
        self.status()

    def status(self) -> PrinterStatus:
        """DLE EOT 1-4 in one write, four one-byte replies within the deadline."""
        try:
            with self.transport.lock:
                self.transport.discard_input()
                self.transport.write(b"".join(query(n) for n in QUERIES))
                reply = self.transport.read(len(QUERIES), self.profile.status_timeout_s)
        except DeviceError as exc:           # the port is gone
            raise self._failed(exc) from exc
        try:
            if not reply:
                raise PrinterError("no_reply", "打印机无响应，请检查电源和连接线")
            if len(reply) < len(QUERIES):
                raise PrinterError("bad_reply", "打印机状态回复不完整")
            status = PrinterStatus.decode(dict(zip(QUERIES, reply)))
        except PrinterError as exc:
            raise self._failed(exc)
        self._health = status.health
        return status

    def print_bytes(self, data: bytes) -> PrintResult:
        """Print prepared ESC/POS bytes; PrinterError (nothing sent) if the printer can't."""
        before = self.status()
        if not before.can_print:
            health = before.health
            raise PrinterError(health.code, health.message, health.state)
        try:
            self.transport.write(data)
        except DeviceError as exc:
            raise self._failed(exc) from exc
        after = self.status()
        if not after.can_print:
            health = after.health
            raise PrinterError(health.code, f"号票可能未打印完整：{health.message}", health.state)
        return PrintResult(len(data), after)

    def print_ticket(self, ticket: Ticket) -> PrintResult:
        return self.print_bytes(ticket_bytes(ticket, self.profile))

    def print_document(self, blocks: list[Text | Qr]) -> PrintResult:
        """Any slip laid out by the caller (a materials checklist), cut like a ticket."""
        return self.print_bytes(render(blocks, self.profile))

    def print_test(self) -> PrintResult:
        return self.print_ticket(sample_ticket())
