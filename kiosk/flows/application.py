"""办件查询 at the kiosk: a citizen follows their applications (办件) by the ID card, or by
the application number on the receipt plus the last four characters of the ID number, and
sees what the phone page shows (the server's lines: state, deadline, what is missing, where
to collect). With a result ready, 领取出件号 takes a ticket of the hall's 统一出件 queue
(`application.pickup`), printed like any ticket.

The number is typed as its last 12 digits (the day and its sequence): the hall's own prefix
is added here, so the numeric keypad suffices. One request per intention, as for a ticket:
`application.find` first, then, when asked, `application.pickup` with its own transaction.
No Kivy here: the screens show what the flow says.
"""
from __future__ import annotations

from hall.application_text import receipt_document
from hall.words import APPLICATION_LOOKUP_FAILED, APPLICATION_UNKNOWN

from .ticket import FAILED, ISSUING, IssuingFlow

FIND, STATUS = "application_find", "application_status"
DIGITS, LAST4 = 12, 4                   # YYYYMMDD + NNNN; the ID number's last four
FIND_ACTION, PICKUP_ACTION = "application.find", "application.pickup"


class ApplicationFlow(IssuingFlow):
    first_step = FIND

    def __init__(self, *args, hall_id: str, **kw):
        super().__init__(*args, **kw)
        self.hall_id = hall_id.upper()
        self._reset_find()

    def _reset_find(self) -> None:
        self.digits = ""                 # the number's last 12 digits, typed
        self.last4 = ""                  # typed (X allowed): personal, wiped with the flow
        self.problem = ""
        self.applications: list[dict] = []
        self.picking = False             # the request in flight is application.pickup
        self.receipts: dict[str, str] = {}   # number -> printing | printed | the problem

    def clear(self) -> None:
        super().clear()
        self._reset_find()

    @property
    def action(self) -> str:
        return PICKUP_ACTION if self.picking else FIND_ACTION

    # -- typing ---------------------------------------------------------------------------
    def press(self, key: str) -> None:
        """A digit (or X for the last four), "back" or "clear"; the number first, then the
        last four digits."""
        if self.step != FIND:
            return
        self.problem = ""
        if key == "clear":
            self.digits = self.last4 = ""
        elif key == "back":
            self.last4, self.digits = (self.last4[:-1], self.digits) if self.last4 \
                else ("", self.digits[:-1])
        elif len(self.digits) < DIGITS:
            if key.isdigit() and len(key) == 1:
                self.digits += key
        elif len(self.last4) < LAST4 and (key.isdigit() and len(key) == 1
                                            or key.upper() == "X" and len(self.last4) == LAST4 - 1):
            self.last4 += key.upper()

    @property
    def ready(self) -> bool:
        return len(self.digits) == DIGITS and len(self.last4) == LAST4

    def number(self) -> str:
        return f"{self.hall_id}-{self.digits[:8]}-{self.digits[8:]}"

    def submit(self) -> None:
        """确定: the typed number and last four to the server."""
        if self.step == FIND and self.ready:
            self.identity = None
            self.step = ISSUING

    def identify(self, id_number: str, name: str = "", source: str = "card") -> str:
        """A card on the reader while the find screen is up: its holder's applications."""
        if self.step != FIND:
            return ""
        problem = self._accept_identity(id_number, name, source)
        if not problem:
            self.step = ISSUING
        return problem

    def pickup(self) -> None:
        """领取出件号: a 统一出件 ticket for the ready ones (a new transaction)."""
        if self.step == STATUS and self.has_ready:
            self.picking, self.transaction = True, None
            self.step = ISSUING

    def receipt(self, index: int):
        """受理凭证 of an accepted application found, for the A4 printer (the applicant's
        name masked when the card was read; the number alone knows no name); None if none."""
        if self.step != STATUS or not 0 <= index < len(self.applications):
            return None
        view = self.applications[index]
        if not view.get("accepted_on") or self.receipts.get(view["number"]) == "printing":
            return None
        self.receipts[view["number"]] = "printing"
        return receipt_document(view, self.masked_identity()[0])

    def receipt_printed(self, number: str, problem: str) -> None:
        self.receipts[number] = problem or "printed"

    def _args(self) -> dict:
        if self.identity is not None:
            return {"identity": dict(self.identity)}
        return {"number": self.number(), "last4": self.last4}

    @property
    def has_ready(self) -> bool:
        return any(a.get("state") == "ready" for a in self.applications)

    # -- the server's answer ----------------------------------------------------------------
    def on_response(self, data: dict | None, error_code: str = "", message: str = "") -> str:
        if self.step != ISSUING:
            return self.step
        if self.picking:
            step = super().on_response(data, error_code, message)
            if error_code in ("conflict", "rate_limited") and message:
                self.problem = message
            return step
        self.transaction = None
        found = (data or {}).get("applications") if not error_code else None
        if found:          # ready ones first: what the citizen came for, beside 领取出件号
            self.applications = sorted(found, key=lambda a: a.get("state") != "ready")
            self.step = STATUS
        else:
            self.problem = message if error_code == "rate_limited" and message \
                else APPLICATION_UNKNOWN if error_code in ("unknown_ticket", "bad_request", "") \
                else APPLICATION_LOOKUP_FAILED
            self.identity, self.identity_source, self.step = None, "", FIND
            self.digits = self.last4 = ""
        return self.step

    @property
    def error_message(self) -> str:
        """A refused pickup in the server's words (none ready, no 统一出件 here)."""
        if self.step != FAILED:
            return ""
        return self.problem or super().error_message

    def back(self) -> str:
        """上一步 from the list: type or swipe again."""
        if self.step == STATUS:
            self.clear()
            self.step = FIND
        return self.step
