"""办事指南 at the kiosk: find an item (domain tiles, this hall's most asked items, search by
Chinese, pinyin or pinyin initials), read its guide one part at a time, print its materials
checklist, and take a ticket for it (取号办理) in the item's category. A one-time notice's
number (一次性告知书编号) leads back to the same item.

One citizen's intention, like taking a ticket: `GuideFlow` is a TicketFlow whose first steps
are the guide's, so the card reader, the priority question, the ticket and 上一步 work as
they do for a ticket. No Kivy here: the screens show what the flow says.
"""
from __future__ import annotations

import re

from drivers.printer.ticket import Qr as PaperQr
from drivers.printer.ticket import Text as PaperLine
from drivers.printer.ticket import fitted, wrap
from hall.catalog.guide import Part, checklist_lines, guide_parts
from hall.catalog.search import Hit, SearchIndex
from hall.config.catalog_model import Item
from hall.words import CHECKLIST, CHECKLIST_QR, GUIDE, NOTICE_NUMBER, NOTICE_UNKNOWN

from .ticket import IDENTITY, PRIORITY, TicketFlow

GUIDE_HOME, GUIDE_SEARCH, GUIDE_LIST, GUIDE_ITEM, NOTICE_ENTRY = (
    "guide", "guide_search", "guide_list", "guide_item", "notice_entry")
NOTICE_LENGTHS = (9, 10)            # YYMMDD + the day's sequence
MAX_QUERY = 12                      # letters typed on the A-Z keypad
ASKED_LIMIT = 6                     # most asked items on the guide's first screen
LOOKUP_FAILED = "暂时查不到告知书，请稍后再试或到咨询台"


class GuideBook:
    """What every guide flow of a kiosk reads: the hall's catalogue, its search index (built
    once: pinyin of every name) and this hall's counts of tickets per item (from the server)."""

    def __init__(self, hall):
        self.hall = hall
        self.catalog = hall.catalog
        self.index = SearchIndex(self.catalog) if self.catalog is not None else None
        self.counts: dict[str, int] = {}

    @property
    def domains(self) -> tuple[str, ...]:
        return tuple(d for d in self.catalog.domains if self.catalog.in_domain(d))

    def search(self, query: str, domain: str | None = None, limit: int = 20) -> list[Hit]:
        return [hit for hit in self.index.search(query, domain=domain, counts=self.counts,
                                                 limit=limit) if isinstance(hit.entry, Item)]

    def most_asked(self, limit: int = ASKED_LIMIT) -> list[Item]:
        """This hall's most asked items; the catalogue's order while nothing was asked."""
        return [hit.entry for hit in self.search("", limit=limit)]

    def url(self, item: Item) -> str:
        """The item's mobile guide page (the console serves it)."""
        return f"{self.hall.server.public_url.rstrip('/')}/g/{item.code}"


class GuideFlow(TicketFlow):
    first_step = GUIDE_HOME

    def __init__(self, categories, elderly_age: int = 65, *args, book: GuideBook, **kw):
        self.book = book
        super().__init__(categories, elderly_age, *args, **kw)
        self._reset_guide()

    def _reset_guide(self) -> None:
        self.history: list[str] = []     # the guide's steps before this one (上一步)
        self.domain = ""
        self.query = ""
        self.item: Item | None = None
        self.part = 0                    # page of the guide shown
        self.notice = ""                 # typed notice number
        self.notice_item = ""            # the item code a notice led to
        self.problem = ""                # why the last step was refused, in Chinese
        self.looking_up = False          # a notice number is with the server
        self.print_state = ""            # "" | printing | printed | the printer's problem

    def clear(self) -> None:
        super().clear()
        self._reset_guide()

    # -- moving around the guide -----------------------------------------------------------
    def _go(self, step: str) -> str:
        self.history.append(self.step)
        self.step, self.problem = step, ""
        return step

    def open_domain(self, domain: str) -> str:
        if self.step == GUIDE_HOME and domain in self.book.domains:
            self.domain = domain
            self._go(GUIDE_LIST)
        return self.step

    def open_search(self) -> str:
        if self.step == GUIDE_HOME:
            self.query = ""
            self._go(GUIDE_SEARCH)
        return self.step

    def open_notice(self) -> str:
        if self.step == GUIDE_HOME:
            self.notice = ""
            self._go(NOTICE_ENTRY)
        return self.step

    def open_item(self, code: str) -> str:
        item = self.book.catalog.item(code)
        if self.step in (GUIDE_HOME, GUIDE_SEARCH, GUIDE_LIST) and item and not item.retired:
            self.item, self.part, self.print_state = item, 0, ""
            self._go(GUIDE_ITEM)
        return self.step

    def back(self) -> str:
        """上一步: the screen before; from taking a ticket, back to the item's guide."""
        if self.step == PRIORITY and self.category.real_name:
            self.identity, self.identity_source = None, ""
            self.step = IDENTITY
        elif self.step in (IDENTITY, PRIORITY):
            self.category, self.identity, self.identity_source = None, None, ""
            self.step, self.priority = GUIDE_ITEM, "normal"
        elif self.history:
            self.step, self.problem, self.looking_up = self.history.pop(), "", False
        return self.step

    # -- search ------------------------------------------------------------------------------
    def press(self, key: str) -> str:
        """A key of the A-Z keypad: a letter, "back" or "clear"."""
        if self.step != GUIDE_SEARCH:
            return self.query
        if key == "back":
            self.query = self.query[:-1]
        elif key == "clear":
            self.query = ""
        elif re.fullmatch(r"[A-Za-z]", key) and len(self.query) < MAX_QUERY:
            self.query += key.lower()
        return self.query

    def results(self, limit: int) -> list[Item]:
        """What the typed letters find (the most asked first), or this domain's items."""
        if self.step == GUIDE_LIST:
            return [hit.entry for hit in self.book.search("", domain=self.domain, limit=limit)]
        if not self.query:
            return []
        return [hit.entry for hit in self.book.search(self.query, limit=limit)]

    # -- the guide, part by part ---------------------------------------------------------------
    def parts(self) -> list[Part]:
        return guide_parts(self.item, self.book.hall) if self.item else []

    def pages(self, lines_per_page: int) -> list[Part]:
        """The guide's parts cut into screens of at most `lines_per_page` lines (a long list
        of materials takes two screens, each with the part's title)."""
        out = []
        for part in self.parts():
            chunks = [part.lines[i:i + lines_per_page]
                      for i in range(0, len(part.lines), lines_per_page)]
            out += [Part(part.title, chunk) for chunk in chunks]
        return out

    def turn(self, step: int, count: int) -> int:
        """上一页 / 下一页 of the guide (count: the number of pages at the screen's size)."""
        if self.step == GUIDE_ITEM:
            self.part = max(0, min(count - 1, self.part + step))
        return self.part

    # -- a ticket for the item -----------------------------------------------------------------
    def take(self, tile) -> str:
        """取号办理: a ticket in the item's category (the tile says whether it can be taken)."""
        if self.step != GUIDE_ITEM or self.item is None:
            return self.step
        if tile is None or not tile.can_take:
            self.problem = tile.reason if tile is not None else "这项业务暂时不能取号，请到咨询台"
            return self.step
        self.category = self._categories[self.item.category]
        self.problem = ""
        self.step = IDENTITY if self.category.real_name else self._after_identity()
        return self.step

    def _args(self) -> dict:
        return {**super()._args(), "service": self.item.code}

    # -- the one-time notice -------------------------------------------------------------------
    def type_notice(self, key: str) -> str:
        if self.step == NOTICE_ENTRY and not self.looking_up:
            if key == "back":
                self.notice = self.notice[:-1]
            elif key.isdigit() and len(key) == 1 and len(self.notice) < max(NOTICE_LENGTHS):
                self.notice += key
            self.problem = ""
        return self.notice

    def notice_request(self) -> dict | None:
        """The notice.lookup arguments, once; None (and the problem) when not ready."""
        if self.step != NOTICE_ENTRY or self.looking_up:
            return None
        if len(self.notice) not in NOTICE_LENGTHS:
            self.problem = f"{NOTICE_NUMBER}是{min(NOTICE_LENGTHS)}位数字，您输入了{len(self.notice)}位"
            return None
        self.looking_up = True
        return {"number": self.notice}

    def on_notice(self, data: dict | None, error_code: str = "") -> str:
        """The server's answer: the notice's item (nothing else of it) opens its guide."""
        if self.step != NOTICE_ENTRY or not self.looking_up:
            return self.step
        self.looking_up = False
        code = ((data or {}).get("notice") or {}).get("item", "") if not error_code else ""
        item = self.book.catalog.item(code) if code else None
        if item is None or item.retired:
            self.problem = NOTICE_UNKNOWN if error_code in ("", "unknown_ticket") else LOOKUP_FAILED
            self.notice = "" if error_code in ("", "unknown_ticket") else self.notice
            return self.step
        self.item, self.part, self.print_state, self.notice_item = item, 0, "", item.code
        return self._go(GUIDE_ITEM)

    # -- the printed checklist -----------------------------------------------------------------
    def checklist(self, cpl: int = 32) -> list:
        """The materials checklist as the ticket printer's lines, with the QR code of the
        item's mobile guide (built here: the printer driver knows nothing of the hall)."""
        item, hall = self.item, self.book.hall
        return [
            *fitted(hall.name, 1, cpl, bold=True),
            *fitted(f"{GUIDE}·{CHECKLIST}", 1, cpl, tall=True),
            *fitted(item.name, 2, cpl, bold=True),
            PaperLine("-" * cpl),
            *(PaperLine(line, align="left") for text in checklist_lines(item)
              for line in wrap(text, cpl)),
            PaperLine("-" * cpl),
            PaperQr(self.book.url(item)),
            PaperLine(CHECKLIST_QR),
        ]

    def checklist_printed(self, ok: bool, problem: str = "") -> None:
        self.print_state = "printed" if ok else (problem or "打印机故障")
