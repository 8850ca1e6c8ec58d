"""优先: ordinary ticket, or 老年人/残疾人优先 where the category allows it."""
from __future__ import annotations

from ..base_screen import KioskScreen
from ..flows.ticket import PRIORITY
from ..widgets import BLUE, GREEN, ORANGE, Tap, Text


class PriorityScreen(KioskScreen):
    name_ = "priority"
    steps = (PRIORITY,)
    guide = "请选择普通取号，或者老年人、残疾人优先"

    def build(self):
        flow = self.session.flow
        self.box.add_widget(self.title(flow.category.name if flow.category else "", 64))
        name, id_masked = flow.masked_identity()
        if id_masked:
            self.box.add_widget(Text(f"{name}  {id_masked}", size=self.fs(48),
                                     size_hint_y=None, height=self.fs(100)))
        scale, unit = self.session.mode.font_scale, self.ui.unit
        choices = self.row_or_column()
        for priority, title, detail, colour in (
                ("normal", "普通取号", "", GREEN),
                ("elderly", "老年人优先", "65岁以上老人", ORANGE),
                ("disabled", "残疾人优先", "残疾人朋友", BLUE)):
            if priority == "elderly":
                detail = f"{self.session.hall.rules.elderly_age}岁以上老人"
            choices.add_widget(Tap(title, detail, tap_id=f"priority:{priority}", colour=colour,
                                   unit=unit, scale=scale, title_size=80, detail_size=40,
                                   on_tap=lambda p=priority: self.ui.choose_priority(p)))
        self.box.add_widget(choices)


SCREEN = PriorityScreen
