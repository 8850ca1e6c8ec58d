"""An item's guide in big, plain type, one part at a time (申请条件, 申请材料, 办理时限, 收费,
办理地点), read aloud in elderly mode; print its materials checklist, or take a ticket."""
from __future__ import annotations

from kivy.uix.boxlayout import BoxLayout

from hall.words import TAKE_TICKET

from ..base_screen import KioskScreen
from ..flows.guide import GUIDE_ITEM
from ..widgets import (
    GREEN,
    MUTED,
    NOTICE_GREEN,
    NOTICE_ORANGE,
    NOTICE_RED,
    ORANGE,
    Notice,
    Text,
)

# Lines of the guide on one screen, by (orientation, elderly).
LINES = {("portrait", False): 6, ("portrait", True): 4,
         ("landscape", False): 4, ("landscape", True): 3}


class GuideItemScreen(KioskScreen):
    name_ = "guide_item"
    steps = (GUIDE_ITEM,)

    def pages(self):
        return self.session.flow.pages(LINES[(self.session.mode.orientation,
                                              self.session.elderly)])

    def build(self):
        flow = self.session.flow
        pages = self.pages()
        flow.part = min(flow.part, len(pages) - 1)
        page = pages[flow.part]
        if self.landscape:       # little height: the item and the part share the title
            heading = self.title(f"{flow.item.name} · {page.title}", 52)
        else:
            self.box.add_widget(self.title(flow.item.name, 60))
            heading = Text(page.title, size=self.fs(56), bold=True, colour=NOTICE_ORANGE,
                           halign="left", size_hint_y=None, height=self.fs(90))
        if flow.notice_item:
            self.box.add_widget(Text(f"告知书{flow.notice}所办事项，材料补齐后请点“{TAKE_TICKET}”",
                                     size=self.fs(36), colour=MUTED, size_hint_y=None,
                                     height=self.fs(60)))
        heading.tap_id = "guide:part"
        self.box.add_widget(heading)
        # One text from the top, a dot before each line: long lines wrap under their own dot.
        lines = Text("\n".join(f"·{line}" for line in page.lines), size=self.fs(46),
                     halign="left", valign="top", line_height=1.4)
        self.box.add_widget(lines)
        status = self._status(flow)
        if status is not None:
            self.box.add_widget(status)
        pager = self.pager(flow.part, len(pages), self._turn)
        actions = BoxLayout(size_hint_y=None, height=self.fs(170), spacing=self.px(28))
        if self.landscape:       # paging and the two actions share one row
            actions = pager
        else:
            self.box.add_widget(pager)
        actions.add_widget(self.tap("打印材料清单", "guide:print", self._print, colour=ORANGE,
                                    size=40 if self.landscape else 50,
                                    enabled=flow.print_state != "printing"))
        actions.add_widget(self.tap(TAKE_TICKET, "guide:take", self._take, colour=GREEN, size=60))
        self.box.add_widget(actions)

    def _status(self, flow) -> Notice | None:
        """Why no ticket, or how the checklist's printing went."""
        if flow.problem:
            text, tone = flow.problem, NOTICE_RED
        elif flow.print_state == "printing":
            text, tone = "材料清单正在打印……", NOTICE_GREEN
        elif flow.print_state == "printed":
            text, tone = "请取走材料清单，扫码可在手机上查看", NOTICE_GREEN
        elif flow.print_state:
            text, tone = f"{flow.print_state}，未能打印。可拍下本页", NOTICE_RED
        else:
            return None
        line = Notice(text, tone, size=self.fs(40), unit=self.ui.unit, size_hint_y=None,
                      height=self.fs(110))
        line.tap_id = "guide:status"
        return line

    def on_enter(self, *_):
        self._speak(first=True)

    def _speak(self, first: bool = False) -> None:
        page = self.pages()[self.session.flow.part]
        self.session.say(f"{self.session.flow.item.name}。{page.spoken}" if first else page.spoken)

    def _turn(self, step: int) -> None:
        self.session.guide("turn", step, len(self.pages()))
        self.refresh()
        self._speak()

    def _print(self) -> None:
        self.session.print_checklist()
        self.refresh()

    def _take(self) -> None:
        self.session.take_for_item()
        self.ui.follow()


SCREEN = GuideItemScreen
