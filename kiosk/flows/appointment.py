"""预约签到: a citizen with a booking checks in by its code (typed on the big keypad) or by
laying their ID card on the reader; the server issues the appointment's ticket (priority
`appointment`), shown and printed like any other.

A code that is unknown, booked for another day or mistyped sends the citizen back to the
keypad with the reason; the next code is a new intention (a new transaction). A second
check-in of the same booking gets the same ticket back from the server
(`checked_in_before`): it is shown again but not printed again, so one booking never
becomes two slips with the same number in two people's hands.
"""
from __future__ import annotations

import re

from hall.config.model import BOOKING_CODE_DIGITS

from .ticket import ISSUING, IssuingFlow

APPOINTMENT = "appointment"
CODE_LENGTH = BOOKING_CODE_DIGITS
NOT_A_BOOKING_QR = "这不是预约二维码，请扫预约页面上的二维码，或输入预约码"

# The server's refusals that mean "look at what you entered" (back to the keypad).
INPUT_PROBLEMS = {
    "unknown_ticket": "没有找到今天的这个预约，请核对预约码",
    "bad_request": "预约码有误，请核对后重新输入",
}
WRONG_DAY = "您的预约不是今天的，请在预约的日期来办理"
NOT_FOUND_BY_CARD = "没有找到您今天的预约。如已预约，请输入预约码或到咨询台"


class AppointmentFlow(IssuingFlow):
    action = "appointment.checkin"
    first_step = APPOINTMENT

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.code = ""
        self.problem = ""          # why the last code or card was refused, for the keypad

    def clear(self) -> None:
        super().clear()
        self.code = ""
        self.problem = ""

    def enter_code(self, code: str) -> str:
        """A typed booking code; its problem in Chinese, "" when sent."""
        if self.step != APPOINTMENT:
            return ""
        if not re.fullmatch(rf"[0-9]{{{CODE_LENGTH}}}", code):
            self.problem = f"预约码是{CODE_LENGTH}位数字，您输入了{len(code)}位"
            return self.problem
        self.code, self.identity, self.problem = code, None, ""
        self.step = ISSUING
        return ""

    def scan(self, text: str) -> str:
        """A code read by the QR scanner: like a typed code, with its own words when it is
        some other QR code (a payment code, a web link)."""
        if self.step == APPOINTMENT and not re.fullmatch(rf"[0-9]{{{CODE_LENGTH}}}", text):
            self.problem = NOT_A_BOOKING_QR
            return self.problem
        return self.enter_code(text)

    def identify(self, id_number: str, name: str = "", source: str = "card") -> str:
        """An ID card on the reader: check in the holder's booking of today."""
        if self.step != APPOINTMENT:
            return ""
        self.code = ""
        self.problem = self._accept_identity(id_number, name, source)
        if not self.problem:
            self.step = ISSUING
        return self.problem

    def _args(self) -> dict:
        return {"code": self.code} if self.code else {"identity": dict(self.identity)}

    def on_response(self, data: dict | None, error_code: str = "", message: str = "") -> str:
        if self.step == ISSUING and error_code in (*INPUT_PROBLEMS, "wrong_day"):
            self.problem = self._refusal(error_code, message)
            self._start_over()
            return self.step
        return super().on_response(data, error_code, message)

    def _refusal(self, code: str, message: str) -> str:
        if code == "wrong_day":
            return message or WRONG_DAY       # the server's words carry the booked day
        if code == "unknown_ticket" and self.identity:
            return NOT_FOUND_BY_CARD
        return INPUT_PROBLEMS[code]

    def _start_over(self) -> None:
        """Back to the keypad: the next code is a new intention with a new transaction."""
        self.step = APPOINTMENT
        self.transaction = None
        self.code = ""
        self.identity = None
        self.identity_source = ""
