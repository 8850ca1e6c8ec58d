"""An ESC/POS ticket printer on a pty: answers DLE EOT per its state, decodes what it prints.

    sim = PrinterSimulator().start()
    sim.paper = "near_end"         # ok | near_end | out
    sim.cover_open = True
    sim.cutter_error = True
    sim.silent = True              # answers nothing (powered off, wrong baud rate)
    sim.paper_left = 1             # the roll runs out while printing the next ticket
    sim.printed[-1].texts          # the lines of the last ticket the citizen holds
    sim.printed[-1].qr_codes[0].data

Tickets that arrive while the printer cannot print are kept in `held` (a real printer
buffers them and prints after the fault clears, or loses them at power off).
"""
from __future__ import annotations

from ..simulator import PtySimulator
from .decode import Document, EscPosDecoder
from .status import PrinterStatus


class PrinterSimulator(PtySimulator):
    def __init__(self, link: str | None = None, chinese_default: bool = True):
        super().__init__(link)
        self.decoder = EscPosDecoder(chinese_default)
        self.paper = "ok"
        self.cover_open = False
        self.cutter_error = False
        self.silent = False
        self.paper_left: int | None = None     # tickets until the roll ends; None: plenty
        self.printed: list[Document] = []
        self.held: list[Document] = []
        self.queries = 0

    def cmd_paper(self, state: str) -> str:
        """paper ok|near_end|out"""
        if state not in ("ok", "near_end", "out"):
            raise ValueError("paper takes ok, near_end or out")
        self.paper = state
        return f"paper {state}"

    def cmd_cover(self, state: str) -> str:
        """cover open|closed"""
        if state not in ("open", "closed"):
            raise ValueError("cover takes open or closed")
        self.cover_open = state == "open"
        return f"cover {state}"

    def printer_status(self) -> PrinterStatus:
        out = self.paper == "out"
        return PrinterStatus(
            offline=out or self.cover_open or self.cutter_error,
            cover_open=self.cover_open, paper_stop=out, error=self.cutter_error,
            cutter_error=self.cutter_error,
            paper_near_end=self.paper in ("near_end", "out"), paper_out=out)

    def on_data(self, data: bytes) -> None:
        done = len(self.decoder.documents)
        queries = self.decoder.feed(data)
        for document in self.decoder.documents[done:]:
            self._print(document)
        status = self.printer_status()
        self.queries += len(queries)
        if not self.silent and queries:
            self.send(bytes(status.encode(n) for n in queries))

    def _print(self, document: Document) -> None:
        if not self.printer_status().can_print:
            self.held.append(document)
            return
        self.printed.append(document)
        if self.paper_left is not None:
            self.paper_left -= 1
            if self.paper_left <= 0:
                self.paper = "out"
