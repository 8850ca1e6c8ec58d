"""评价服务 at the kiosk: the citizen lays the ID card on the reader, the server finds the
card holder's last finished service of today (`evaluation.last`), the citizen taps one of the
five levels (and, for a bad one, ticks reasons from the hall's list), and the server keeps the
rating (`evaluation.submit`, with the card: only the holder's own service can be rated).

The server holds every rule (one rating per service, changeable for a few minutes, the
reasons of the list); this flow only asks and says the answer. One transaction per question,
retried with the same transaction after a timeout.
"""
from __future__ import annotations

from hall.words import RATING_LEVEL, RATING_THANKS

from .ticket import DONE, FAILED, ERRORS, IssuingFlow

RATE_CARD, LOOKUP, CHOOSE, SENDING = "rate_card", "rate_lookup", "rate_choose", "rate_sending"
BAD_LEVELS = (1, 2)
REFUSED = {"timeout": ERRORS["timeout"], "offline": "网络连接中断，请稍后再试"}
DEFAULT_REFUSAL = "没有评价成功，请到咨询台请工作人员帮助"


class RatingFlow(IssuingFlow):
    first_step = RATE_CARD

    def __init__(self, *args, reasons: tuple[str, ...] = (), **kw):
        super().__init__(*args, **kw)
        self.reasons_offered = tuple(reasons)
        self._reset()

    def _reset(self) -> None:
        self.last: dict | None = None      # the service to rate: ticket, window, item, evaluation
        self.level: int | None = None
        self.reasons: list[str] = []
        self.problem = ""                  # why the card found nothing to rate
        self.refusal = ""                  # the server's words when it kept no rating
        self.rating: dict | None = None    # the rating kept

    def clear(self) -> None:
        reasons = self.reasons_offered
        super().clear()
        self.reasons_offered = reasons
        self._reset()

    @property
    def action(self) -> str:
        return "evaluation.last" if self.step == LOOKUP else "evaluation.submit"

    @property
    def asking(self) -> bool:
        return self.step in (LOOKUP, SENDING)

    # -- the card --------------------------------------------------------------------------
    def identify(self, id_number: str, name: str = "", source: str = "card") -> str:
        if self.step != RATE_CARD:
            return ""
        self.problem = self._accept_identity(id_number, name, source)
        if not self.problem:
            self.step = LOOKUP
        return self.problem

    # -- the choice ----------------------------------------------------------------------
    def choose_level(self, level: int) -> str:
        """A level tapped: a good one is sent at once; a bad one waits for its reasons."""
        if self.step != CHOOSE or level not in RATING_LEVEL:
            return self.step
        self.level = level
        if level not in BAD_LEVELS:
            self.reasons = []
            self.step = SENDING
        return self.step

    def toggle_reason(self, reason: str) -> None:
        if self.step == CHOOSE and self.level in BAD_LEVELS and reason in self.reasons_offered:
            self.reasons = [r for r in self.reasons_offered
                            if (r in self.reasons) != (r == reason)]

    def submit(self) -> str:
        """提交评价 of a bad level (with its reasons)."""
        if self.step == CHOOSE and self.level in BAD_LEVELS:
            self.step = SENDING
        return self.step

    @property
    def is_bad(self) -> bool:
        return self.level in BAD_LEVELS

    # -- the requests ----------------------------------------------------------------------
    def request(self) -> dict | None:
        if not self.asking or self.transaction is not None:
            return None
        self.transaction = self._new_transaction()
        return self._args()

    def _args(self) -> dict:
        if self.step == LOOKUP:
            return {"identity": dict(self.identity)}
        return {"identity": dict(self.identity), "ticket": self.last["ticket"],
                "level": self.level, "reasons": list(self.reasons)}

    def retry(self) -> dict | None:
        if not self.can_retry:
            return None
        self.step, self.error_code = SENDING if self.level else LOOKUP, ""
        return self._args()

    def on_response(self, data: dict | None, error_code: str = "", message: str = "") -> str:
        if not self.asking:
            return self.step
        if error_code in ("timeout", "offline"):
            self.error_code, self.step = error_code, FAILED
        elif self.step == LOOKUP and error_code:      # nothing of this card's to rate
            self.problem, self.identity, self.step = message or DEFAULT_REFUSAL, None, RATE_CARD
        elif self.step == LOOKUP:
            self.last, self.step = dict(data or {}), CHOOSE
        elif error_code:
            self.error_code, self.refusal, self.step = error_code, message, FAILED
        else:
            self.rating, self.step = (data or {}).get("evaluation"), DONE
        self.transaction = None if self.step != FAILED else self.transaction
        return self.step

    @property
    def should_print(self) -> bool:
        return False

    @property
    def spoken(self) -> str:
        return RATING_THANKS if self.step == DONE else self.problem

    @property
    def can_go_back(self) -> bool:
        return not self.asking

    def back(self) -> str:
        """From the levels back to the card (the card forgotten)."""
        if self.step == CHOOSE:
            self.identity, self.last, self.level, self.reasons = None, None, None, []
            self.step = RATE_CARD
        return self.step

    @property
    def error_message(self) -> str:
        if self.step != FAILED:
            return ""
        return self.refusal or REFUSED.get(self.error_code, DEFAULT_REFUSAL)
