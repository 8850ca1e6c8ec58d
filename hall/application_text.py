"""What people read of an application (办件), from its citizen view (nothing personal): the
status lines that the phone page (/a/<token>) and the kiosk's 办件查询 both show (one source),
and the receipt (受理凭证) as an A4 document, at the window and at a kiosk with an A4 printer."""
from __future__ import annotations

from drivers.printer.a4 import A4Document

from .words import (APPLICATION_LINES, RECEIPT, RECEIPT_NOTE, RECEIPT_QR, RECEIPT_ROWS,
                    day_words)


def due_words(view: dict) -> str:
    """2026年10月13日（5个工作日）, or "" before acceptance."""
    return f"{day_words(view['due'])}（{view['committed_days']}个工作日）" if view.get("due") else ""


def status_lines(view: dict) -> list[dict]:
    """[{key, label, text}] of what is known, in reading order."""
    values = {"number": view["number"], "item": view["item_name"], "state": view["state_text"],
              "submitted_on": day_words(view["submitted_on"]),
              "accepted_on": day_words(view["accepted_on"]) if view.get("accepted_on") else "",
              "due": due_words(view), "deadline": view.get("deadline_text") or "",
              "missing": "、".join(view.get("missing") or ()),
              "owed": "、".join(view.get("owed") or ()), "reason": view.get("reason") or "",
              "collect": view.get("collect_at") or ""}
    return [{"key": k, "label": APPLICATION_LINES[k], "text": v} for k, v in values.items() if v]


def receipt_document(view: dict, applicant_masked: str) -> A4Document:
    values = {"number": view["number"], "item": view["item_name"], "applicant": applicant_masked,
              "accepted_on": day_words(view["accepted_on"]) if view.get("accepted_on") else "",
              "due": due_words(view), "collect": view.get("collect_place") or ""}
    return A4Document(RECEIPT, view["hall"], tuple((RECEIPT_ROWS[k], v) for k, v in values.items() if v),
                      qr=view["url"], qr_caption=RECEIPT_QR, note=RECEIPT_NOTE)
