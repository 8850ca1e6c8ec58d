"""自助申报: the summary to check before signing. The applicant is shown masked (王*明,
身份证尾号1234), long numbers but their last four digits."""
from __future__ import annotations

from kivy.uix.gridlayout import GridLayout

from hall import words

from ..base_screen import KioskScreen
from ..flows.filing import SUMMARY, FilingFlow
from ..widgets import GREEN, MUTED, Text


class FilingSummaryScreen(KioskScreen):
    name_ = "filing_summary"
    steps = (SUMMARY,)
    flow_kind = FilingFlow
    guide = words.FILING_SUMMARY

    def build(self):
        self.box.add_widget(self.title(words.FILING_SUMMARY, 72))
        grid = GridLayout(cols=2, spacing=(self.px(24), self.px(12)))
        for label, value in self.session.flow.summary():
            grid.add_widget(Text(label, size=self.fs(40), colour=MUTED, halign="right",
                                 size_hint_x=0.4))
            grid.add_widget(Text(value, size=self.fs(44), bold=True, halign="left"))
        self.box.add_widget(grid)
        self.box.add_widget(self.tap(words.FILING_CONFIRM, "summary:ok", self._ok, colour=GREEN,
                                     size=64, size_hint_y=None, height=self.fs(190)))

    def _ok(self) -> None:
        self.session.filing("confirm")
        self.ui.follow()


SCREEN = FilingSummaryScreen
