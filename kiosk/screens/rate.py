"""评价服务: the service found (number, window, item), the five levels on big keys, the
reasons of a bad level, then thanks (or why the rating was not kept)."""
from __future__ import annotations

from kivy.uix.gridlayout import GridLayout
from kivy.uix.widget import Widget

from hall.words import (RATING_ASK, RATING_KIOSK_LAST, RATING_LEVEL, RATING_REASONS_ASK,
                        RATING_SUBMIT, RATING_THANKS, rating_changeable)

from ..base_screen import KioskScreen
from ..flows.rating import CHOOSE, SENDING, RatingFlow
from ..flows.ticket import DONE, FAILED
from ..widgets import BLUE, GREEN, GREY, MUTED, NOTICE_GREEN, NOTICE_ORANGE, ORANGE, RED, Notice, Text

LEVEL_COLOURS = {5: GREEN, 4: GREEN, 3: BLUE, 2: ORANGE, 1: RED}


class RateScreen(KioskScreen):
    name_ = "rate"
    flow_kind = RatingFlow
    steps = (CHOOSE, SENDING, DONE, FAILED)
    guide = RATING_ASK

    def build(self):
        flow = self.session.flow
        if flow.step == DONE:
            self._thanks()
        elif flow.step == FAILED:
            self._refused()
        else:
            self._service()
            if flow.step == SENDING:
                self.box.add_widget(self.title("正在提交，请稍候……", 60))
            elif flow.is_bad:
                self._reasons()
            else:
                self._levels()
        self.box.add_widget(Widget())

    def _service(self):
        """What is rated: the number, the window, the item; a rating given before."""
        last = self.session.flow.last
        window = self.session.hall.window(last["window"])
        catalog = self.session.hall.catalog
        item = catalog.get(last["item"]) if catalog is not None and last.get("item") else None
        line = f"{last['ticket']}号  {window.name if window else ''}  {item.name if item else ''}"
        self.box.add_widget(Text(RATING_KIOSK_LAST, size=self.fs(40), colour=MUTED,
                                 size_hint_y=None, height=self.fs(60)))
        service = Text(line.strip(), size=self.fs(60), bold=True, size_hint_y=None,
                       height=self.fs(90))
        service.tap_id = "rate:service"
        self.box.add_widget(service)
        given = last.get("evaluation")
        if given:
            self.box.add_widget(Text(f"您已评价：{given['level_text']}（{rating_changeable(self._minutes())}）",
                                     size=self.fs(40), colour=MUTED, size_hint_y=None,
                                     height=self.fs(70)))

    def _minutes(self) -> int:
        return self.session.hall.ratings.change_minutes

    def _levels(self):
        self.box.add_widget(self.title(RATING_ASK, 64))
        grid = GridLayout(cols=1 if not self.landscape else 5, spacing=self.px(24),
                          size_hint_y=None,
                          height=self.fs(170) * (5 if not self.landscape else 1) + self.px(24) * 4)
        for level in sorted(RATING_LEVEL, reverse=True):
            grid.add_widget(self.tap(RATING_LEVEL[level], f"rate:level:{level}",
                                     lambda lv=level: self._choose(lv),
                                     colour=LEVEL_COLOURS[level], size=64))
        self.box.add_widget(grid)

    def _reasons(self):
        flow = self.session.flow
        self.box.add_widget(self.title(f"{RATING_LEVEL[flow.level]}：{RATING_REASONS_ASK}", 52))
        cols = 3 if self.landscape else 2
        rows = -(-len(flow.reasons_offered) // cols)
        grid = GridLayout(cols=cols, spacing=self.px(18), size_hint_y=None,
                          height=rows * self.fs(130) + (rows - 1) * self.px(18))
        for reason in flow.reasons_offered:
            ticked = reason in flow.reasons
            grid.add_widget(self.tap(("√ " if ticked else "") + reason, f"rate:reason:{reason}",
                                     lambda r=reason: self._toggle(r),
                                     colour=ORANGE if ticked else GREY, size=44))
        self.box.add_widget(grid)
        self.box.add_widget(self.tap(RATING_SUBMIT, "rate:submit", self._submit, colour=GREEN,
                                     size=64, size_hint_y=None, height=self.fs(170)))

    def _thanks(self):
        rating = self.session.flow.rating or {}
        self.box.add_widget(self.title(RATING_THANKS, 96))
        kept = Notice(f"{rating.get('ticket', '')}号：{rating.get('level_text', '')}"
                      + (f"（{'、'.join(rating['reasons'])}）" if rating.get("reasons") else ""),
                      NOTICE_GREEN, size=self.fs(56), unit=self.ui.unit, size_hint_y=None,
                      height=self.fs(200))
        kept.tap_id = "rate:done"
        self.box.add_widget(kept)
        self.box.add_widget(Text(rating_changeable(self._minutes()), size=self.fs(44), colour=MUTED,
                                 size_hint_y=None, height=self.fs(80)))

    def _refused(self):
        flow = self.session.flow
        self.box.add_widget(self.title("没有评价成功", 80))
        reason = Notice(flow.error_message, NOTICE_ORANGE, size=self.fs(52), unit=self.ui.unit,
                        size_hint_y=None, height=self.fs(260))
        reason.tap_id = "rate:refused"
        self.box.add_widget(reason)
        if flow.can_retry:
            self.box.add_widget(self.tap("重试", "rate:retry", self._retry, colour=ORANGE,
                                         size=80, size_hint_y=None, height=self.fs(220)))

    def _choose(self, level: int) -> None:
        self.session.rate("choose_level", level)
        self.refresh()

    def _toggle(self, reason: str) -> None:
        self.session.rate("toggle_reason", reason)
        self.refresh()

    def _submit(self) -> None:
        self.session.rate("submit")
        self.refresh()

    def _retry(self) -> None:
        self.session.retry()
        self.refresh()


SCREEN = RateScreen
