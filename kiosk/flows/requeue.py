"""过号重排 at the kiosk: a citizen whose number was called while they were away types it
(the letter of its category, then its digits) and the server puts the ticket back into its
queue (`ticket.requeue`), behind the next few waiting tickets, once, within the hall's time
limit. Nothing is printed: the citizen keeps the slip they have.

The server decides; this flow only says its answer plainly. A mistyped number goes back to
the keypad with the reason; a refusal (not a no-show, too late, brought back before) shows
the server's own words, with 重新取号 when a new ticket is the way on. One request per
intention, retried with the same transaction after a timeout, as for a ticket.
"""
from __future__ import annotations

from .ticket import ERRORS, FAILED, ISSUING, IssuingFlow

REQUEUE = "requeue"
MAX_DIGITS = 5                 # the contract's ticket number: one letter, up to 5 digits
MIN_DIGITS = 3                 # numbers are printed with at least 3 (A012): A12 means A012

ENTER = "请输入号票上的号码"
UNKNOWN = "没有找到这个号，请核对号票上的号码"
NO_LETTER = "请先按号码前面的字母"
NO_DIGITS = "请输入字母后面的数字"
BACK_IN_QUEUE = "已重新排队"
NOT_REPRINTED = "号票不再打印，请保留原号票，留意叫号"
NEW_TICKET = "重新取号"
# The server's refusals that a new ticket answers end with these words (hall engine).
NEEDS_NEW_TICKET = "请重新取号"
REFUSED = {
    "conflict": "这个号现在不能重排，请到咨询台",
    "timeout": ERRORS["timeout"],
    "offline": "网络连接中断，请稍后再试",
}
DEFAULT_REFUSAL = "没有重排成功，请到咨询台请工作人员帮助"


class RequeueFlow(IssuingFlow):
    action = "ticket.requeue"
    first_step = REQUEUE

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self._reset_entry()

    def _reset_entry(self) -> None:
        self.letter = ""
        self.digits = ""
        self.problem = ""          # why the last number was refused, for the keypad
        self.refusal = ""          # the server's words when it would not bring it back

    def clear(self) -> None:
        super().clear()
        self._reset_entry()

    @property
    def letters(self) -> list[tuple[str, str]]:
        """(letter, category name) of the hall's queues, in config order: the letter keys."""
        return [(c.prefix, c.name) for c in self._categories.values()]

    # -- typing ---------------------------------------------------------------------------
    def press(self, key: str) -> str:
        """A letter of the hall's queues (it replaces the letter), a digit, "back" or
        "clear". The number as typed so far."""
        if self.step != REQUEUE:
            return self.typed
        if key == "back":
            self.digits, self.letter = (self.digits[:-1], self.letter) if self.digits \
                else ("", "")
        elif key == "clear":
            self.letter, self.digits = "", ""
        elif key in {prefix for prefix, _ in self.letters}:
            self.letter = key
        elif key.isdigit() and len(key) == 1 and len(self.digits) < MAX_DIGITS:
            self.digits += key
        self.problem = ""
        return self.typed

    @property
    def typed(self) -> str:
        return self.letter + self.digits

    @property
    def ready(self) -> bool:
        return bool(self.letter and self.digits)

    def number(self) -> str:
        return self.letter + self.digits.rjust(MIN_DIGITS, "0")

    def submit(self) -> str:
        """确定: the number goes to the server; its problem in Chinese, "" when sent."""
        if self.step != REQUEUE:
            return ""
        if not self.letter or not self.digits:
            self.problem = NO_LETTER if not self.letter else NO_DIGITS
            return self.problem
        self.problem = ""
        self.step = ISSUING
        return ""

    def _args(self) -> dict:
        return {"number": self.number()}

    # -- the server's answer ----------------------------------------------------------------
    def on_response(self, data: dict | None, error_code: str = "", message: str = "") -> str:
        if self.step == ISSUING and error_code in ("unknown_ticket", "bad_request"):
            self.problem, self.step, self.transaction = UNKNOWN, REQUEUE, None
            self.letter, self.digits = "", ""        # type it afresh; a new intention
            return self.step
        step = super().on_response(data, error_code, message)
        if step == FAILED:
            self.refusal = message if error_code == "conflict" and message else ""
        return step

    @property
    def should_print(self) -> bool:
        return False               # the citizen has the slip: the same number, not a second one

    @property
    def error_message(self) -> str:
        if self.step != FAILED:
            return ""
        return self.refusal or REFUSED.get(self.error_code, DEFAULT_REFUSAL)

    @property
    def offers_new_ticket(self) -> bool:
        """Refused for good (too late, brought back before, cancelled): take a new one."""
        return self.step == FAILED and NEEDS_NEW_TICKET in self.refusal
