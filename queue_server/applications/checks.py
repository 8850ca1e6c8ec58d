"""自动核验: the catalogue's rules for an application filed at the kiosk, pure (no I/O, no clock).

The server is the only one that decides (the kiosk shows the answer): when the item has
`auto_check`, every rule holds and every material is there, the application is accepted at
once; when a rule about the person fails (age, the region in the ID number), it is refused at
once with the rule's reason; when materials are missing the window decides (it names them
in one correction notice). An item without `auto_check` always waits for the window.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from drivers.card_reader.idnumber import age

from .model import materials_missing

ACCEPT, REFUSE, WINDOW = "accept", "refuse", "window"


@dataclass(frozen=True)
class Verdict:
    decision: str                     # accept | refuse | window
    reasons: tuple[str, ...] = ()     # the citizen's words, for refuse and window

    @property
    def reason(self) -> str:
        return "；".join(self.reasons)


def verdict(item, id_number: str, materials: dict, today: dt.date) -> Verdict:
    """What the item's rules say about this applicant (a valid ID number) and materials."""
    rules = item.auto_check
    if rules is None:
        return Verdict(WINDOW)
    failed = _person_rules(rules, id_number, today)
    if failed:
        return Verdict(REFUSE, tuple(failed))
    missing = materials_missing(item, materials)
    if missing:
        return Verdict(WINDOW, ("材料不齐：" + "、".join(missing),))
    return Verdict(ACCEPT)


def _person_rules(rules, id_number: str, today: dt.date) -> list[str]:
    failed = []
    years = age(id_number, today)
    if rules.min_age is not None and (years is None or years < rules.min_age):
        failed.append(f"申请人应年满{rules.min_age}周岁")
    if rules.max_age is not None and (years is None or years > rules.max_age):
        failed.append(f"申请人应不超过{rules.max_age}周岁")
    if rules.regions and not any(id_number.startswith(r) for r in rules.regions):
        failed.append("身份证号码所属地区不在本事项的办理范围")
    return failed
