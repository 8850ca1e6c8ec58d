"""办不成事反映, first step: which kind of thing the citizen tried (the catalogue's domains)."""
from __future__ import annotations

from kivy.uix.gridlayout import GridLayout

from hall.words import COMPLAINT, COMPLAINT_ASK_DOMAIN, COMPLAINT_UNSURE

from ..base_screen import HomeTile, KioskScreen
from ..flows.complaint import COMPLAINT as STEP
from ..widgets import GREY

ROSE = (0.62, 0.16, 0.30, 1)


class ComplaintScreen(KioskScreen):
    name_ = "complaint"
    home_tile = HomeTile(40, COMPLAINT, "事情没办成请点这里", ROSE)
    steps = (STEP,)
    guide = "您想办哪方面的事？请点击选择"

    def on_pre_enter(self, *_):
        self.session.new_complaint()          # coming here starts a new intention
        super().on_pre_enter()

    def build(self):
        catalog = self.session.hall.catalog
        domains = list(catalog.domains) if catalog is not None else []
        self.box.add_widget(self.title(COMPLAINT_ASK_DOMAIN, 72))
        cols = 3 if self.landscape else 2
        grid = GridLayout(cols=cols, spacing=self.px(24))
        for domain in domains:
            grid.add_widget(self.tap(domain, f"domain:{domain}", lambda d=domain: self._pick(d),
                                     colour=ROSE, size=64))
        grid.add_widget(self.tap(COMPLAINT_UNSURE, "domain:unsure", lambda: self._pick(None),
                                 colour=GREY, size=52))
        self.box.add_widget(grid)

    def _pick(self, domain):
        self.session.complain("choose_domain", domain)
        self.ui.follow()


SCREEN = ComplaintScreen

