"""办不成事反映 at the kiosk: a citizen who could not get something done says which kind of
thing (a domain of the catalogue), what went wrong (one of the usual reasons: no Chinese is
typed at a kiosk) and, if they like, a phone number to be answered on; the server files it
(`complaint.file`) and the kiosk prints a slip with the case number, the day it will be
answered by and the QR code of its page.

One request per intention, retried with the same transaction after a timeout, as for a
ticket. The phone number is personal: it leaves the screen with the citizen, is sent once
and is never printed or shown again.
"""
from __future__ import annotations

import datetime as dt

from drivers.printer.ticket import Qr as PaperQr
from drivers.printer.ticket import Text as PaperLine
from drivers.printer.ticket import fitted, wrap
from hall.words import (COMPLAINT_NUMBER, COMPLAINT_PROBLEMS, COMPLAINT_SLIP,
                        COMPLAINT_SLIP_FOLLOW, COMPLAINT_SLIP_LEAD, COMPLAINT_UNSURE)

from .ticket import DONE, FAILED, ISSUING, IssuingFlow

COMPLAINT, COMPLAINT_PROBLEM, COMPLAINT_PHONE = "complaint", "complaint_problem", "complaint_phone"
PHONE_DIGITS = 11
BAD_PHONE = "手机号应为1开头的11位数字"
FILED = "已登记，请取走回执"
NOT_FILED = "没有登记成功，请到办不成事反映窗口"
ERRORS = {"timeout": "系统没有及时回应，请再按一次“重试”", "offline": "网络连接中断，请稍后再试"}


class ComplaintFlow(IssuingFlow):
    action = "complaint.file"
    first_step = COMPLAINT

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self._reset_complaint()

    def _reset_complaint(self) -> None:
        self.tried = ""
        self.domain: str | None = None
        self.problem = ""
        self.phone = ""             # personal: typed digits, sent once
        self.phone_problem = ""
        self.case: dict | None = None

    def clear(self) -> None:
        super().clear()
        self._reset_complaint()

    # -- choices --------------------------------------------------------------------------
    @staticmethod
    def problems() -> tuple[str, ...]:
        return COMPLAINT_PROBLEMS

    def choose_domain(self, domain: str | None) -> str:
        """A domain tile (None: 不确定)."""
        if self.step == COMPLAINT:
            self.domain = domain
            self.tried = f"办理{domain}方面的事" if domain else COMPLAINT_UNSURE
            self.step = COMPLAINT_PROBLEM
        return self.step

    def choose_problem(self, problem: str) -> str:
        if self.step == COMPLAINT_PROBLEM and problem in COMPLAINT_PROBLEMS:
            self.problem = problem
            self.step = COMPLAINT_PHONE
        return self.step

    def press(self, key: str) -> str:
        """A digit, "back" or "clear" on the phone keypad; the number typed so far."""
        if self.step == COMPLAINT_PHONE:
            if key == "back":
                self.phone = self.phone[:-1]
            elif key == "clear":
                self.phone = ""
            elif key.isdigit() and len(key) == 1 and len(self.phone) < PHONE_DIGITS:
                self.phone += key
            self.phone_problem = ""
        return self.phone

    def submit(self, with_phone: bool = True) -> str:
        """确定 (with the typed phone) or 不留电话 (without): to the server; the phone's
        problem in Chinese, "" when sent."""
        if self.step != COMPLAINT_PHONE:
            return ""
        if not with_phone:
            self.phone = ""
        elif len(self.phone) != PHONE_DIGITS or not self.phone.startswith("1"):
            self.phone_problem = BAD_PHONE
            return BAD_PHONE
        self.step = ISSUING
        return ""

    def back(self) -> str:
        if self.step == COMPLAINT_PHONE:
            self.phone, self.phone_problem, self.problem = "", "", ""
            self.step = COMPLAINT_PROBLEM
        elif self.step == COMPLAINT_PROBLEM:
            self.tried, self.domain = "", None
            self.step = COMPLAINT
        return self.step

    @property
    def typed_personal(self) -> bool:
        return bool(self.phone) and self.step != DONE

    def _args(self) -> dict:
        args = {"tried": self.tried, "problem": self.problem}
        if self.domain:
            args["domain"] = self.domain
        if self.phone:
            args["phone"] = self.phone
        return args

    # -- the server's answer ----------------------------------------------------------------
    def on_response(self, data: dict | None, error_code: str = "", message: str = "") -> str:
        if self.step != ISSUING:
            return self.step
        case = (data or {}).get("case") if not error_code else None
        if case and case.get("number"):
            self.case, self.phone, self.step = case, "", DONE
        else:
            self.error_code, self.step = error_code or "internal", FAILED
        return self.step

    @property
    def should_print(self) -> bool:
        return self.step == DONE

    @property
    def error_message(self) -> str:
        return ERRORS.get(self.error_code, NOT_FILED) if self.step == FAILED else ""

    def due_words(self) -> str:
        day = dt.date.fromisoformat(self.case["due"])
        return f"{day.year}年{day.month}月{day.day}日"

    def slip(self, cpl: int = 32) -> list:
        """The slip as the ticket printer's lines (the driver knows nothing of cases)."""
        case = self.case
        return [
            *fitted(case["hall"], 1, cpl, bold=True),
            *fitted(COMPLAINT_SLIP, 1, cpl, tall=True),
            PaperLine(COMPLAINT_NUMBER),
            *fitted(case["number"], 2, cpl, bold=True),
            PaperLine("-" * cpl),
            *(PaperLine(line, align="left") for line in wrap(COMPLAINT_SLIP_LEAD, cpl)),
            *fitted(self.due_words(), 2, cpl, bold=True),
            *(PaperLine(line, align="left") for text in (self.tried, self.problem)
              for line in wrap(text, cpl)),
            PaperLine("-" * cpl),
            PaperQr(case["url"]),
            PaperLine(COMPLAINT_SLIP_FOLLOW),
        ]


__all__ = ["ComplaintFlow", "COMPLAINT", "COMPLAINT_PROBLEM", "COMPLAINT_PHONE", "FILED",
           "DONE", "FAILED", "ISSUING"]
