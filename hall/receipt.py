"""The receipt of an accepted application (受理凭证) as an A4 document: the same fields at the
window (the console's PDF) and at a kiosk with an A4 printer. The view is the application's
citizen view (nothing personal); the applicant's name comes masked from the caller."""
from __future__ import annotations

from drivers.printer.a4 import A4Document

from .words import RECEIPT, RECEIPT_NOTE, RECEIPT_QR, RECEIPT_ROWS, day_words


def receipt_document(view: dict, applicant_masked: str) -> A4Document:
    due = f"{day_words(view['due'])}（{view['committed_days']}个工作日）" if view.get("due") else ""
    values = {"number": view["number"], "item": view["item_name"], "applicant": applicant_masked,
              "accepted_on": day_words(view["accepted_on"]) if view.get("accepted_on") else "",
              "due": due, "collect": view.get("collect_place") or ""}
    return A4Document(RECEIPT, view["hall"], tuple((RECEIPT_ROWS[k], v) for k, v in values.items() if v),
                      qr=view["url"], qr_caption=RECEIPT_QR, note=RECEIPT_NOTE)
