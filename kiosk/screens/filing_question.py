"""自助申报, one question a screen: what the ID card does not say. A pick list as big tiles;
digits and a mobile number on the numeric keypad; letters and digits on an A-Z keypad. There
is no Chinese free text at the kiosk: a Chinese answer is a pick list in the catalogue."""
from __future__ import annotations

import string

from kivy.uix.gridlayout import GridLayout

from hall import words

from ..base_screen import KioskScreen
from ..flows.filing import QUESTION, FilingFlow, hint
from ..widgets import BLUE, GREEN, GREY, Keypad, MUTED, NOTICE_RED, Notice, Text

LETTER_KEYS = tuple(string.ascii_uppercase + string.digits) + ("back",)


class FilingQuestionScreen(KioskScreen):
    name_ = "filing_question"
    steps = (QUESTION,)
    flow_kind = FilingFlow
    typed = ""

    @property
    def guide(self) -> str:
        question = self.session.flow.current_question
        return question.name if question else ""

    def on_pre_enter(self, *_):
        self.typed = ""
        super().on_pre_enter()

    def forget(self) -> None:
        self.typed = ""
        super().forget()

    def build(self):
        flow = self.session.flow
        question = flow.current_question
        if question is None:
            return
        head = [Text(words.FILING_QUESTION.format(n=flow.question + 1,
                                                  total=len(flow.item.questions)),
                     size=self.fs(40), colour=MUTED, size_hint_y=None, height=self.fs(60)),
                self.title((words.FILING_ASK_CHOICE if question.kind == "choice"
                            else words.FILING_ASK_TYPE).format(name=question.name), 72)]
        if flow.problem:
            head.append(Notice(flow.problem, NOTICE_RED, size=self.fs(44), unit=self.ui.unit,
                               size_hint_y=None, height=self.fs(110)))
        if question.kind == "choice":
            choices = [self.tap(choice, f"choice:{choice}",
                                lambda c=choice: self._answer(c), size=72)
                       for choice in question.choices]
            self._place(head, choices)
            return
        shown = Text(self.typed or hint(question), size=self.fs(72 if self.typed else 44),
                     bold=bool(self.typed), colour=(1, 1, 1, 1) if self.typed else MUTED,
                     size_hint_y=None, height=self.fs(130))
        shown.tap_id = "question:typed"
        ok = self.tap(words.FILING_OK, "question:ok", lambda: self._answer(self.typed),
                      colour=GREEN if self.typed else BLUE, size=64, enabled=bool(self.typed),
                      size_hint_y=None, height=self.fs(170))
        keys = self._letters() if question.kind == "letters" else \
            Keypad(self._key, unit=self.ui.unit, scale=self.session.mode.font_scale, with_x=False)
        self._place(head + [shown], [keys, ok])

    def _place(self, read: list, touch: list) -> None:
        """Landscape: the question left, what to touch right; portrait: one above the other."""
        if self.landscape:
            self.side_by_side(read, touch)
            return
        for part in read + touch:
            self.box.add_widget(part)

    def _letters(self) -> GridLayout:
        grid = GridLayout(cols=8 if self.landscape else 7, spacing=self.px(12))
        for key in LETTER_KEYS:
            grid.add_widget(self.tap("删除" if key == "back" else key, f"key:{key}",
                                     lambda k=key: self._key(k), size=48,
                                     colour=GREY if key == "back" else BLUE))
        return grid

    def _key(self, key: str) -> None:
        question = self.session.flow.current_question
        if key == "back":
            self.typed = self.typed[:-1]
        elif len(self.typed) < (11 if question.kind == "phone" else question.max_len):
            self.typed += key
        self.session.flow.problem = ""
        self.refresh()

    def _answer(self, value: str) -> None:
        self.session.filing("answer", value)
        if not self.session.flow.problem:
            self.typed = ""
        self.ui.follow()            # the next question, or this one again with its problem


SCREEN = FilingQuestionScreen
