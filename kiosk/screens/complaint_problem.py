"""办不成事反映, second step: what went wrong, one of the usual reasons in big keys."""
from __future__ import annotations

from kivy.uix.gridlayout import GridLayout

from hall.words import COMPLAINT_ASK_PROBLEM

from ..base_screen import KioskScreen
from ..flows.complaint import COMPLAINT_PROBLEM, ComplaintFlow
from .complaint import ROSE


class ComplaintProblemScreen(KioskScreen):
    name_ = "complaint_problem"
    flow_kind = ComplaintFlow
    steps = (COMPLAINT_PROBLEM,)
    guide = "遇到了什么问题？请点击选择"

    def build(self):
        flow = self.session.flow
        self.box.add_widget(self.title(COMPLAINT_ASK_PROBLEM, 72))
        grid = GridLayout(cols=2 if self.landscape else 1, spacing=self.px(20))
        for n, problem in enumerate(flow.problems()):
            grid.add_widget(self.tap(problem, f"problem:{n}", lambda p=problem: self._pick(p),
                                     colour=ROSE, size=56))
        self.box.add_widget(grid)

    def _pick(self, problem):
        self.session.complain("choose_problem", problem)
        self.ui.follow()


SCREEN = ComplaintProblemScreen
