"""自助申报: a citizen files an application for a kiosk item (`kiosk: true` in the catalogue)
by themselves, one question a screen.

    item -> ID card -> (人脸核验) -> what the card does not say, one question each ->
    each paper material under the document camera (or 容缺 / 告知承诺 where the item allows)
    -> the summary -> a signature on the screen -> filed (`application.submit`) -> receipt

The card fills the form (name, ID number); only the item's `questions` are asked. The
server decides (自动核验) and the kiosk shows its answer. Photos and the signature live only
in this object, as bytes, and `clear()` drops them with everything else (the session ends:
finish, cancel, idle time). No Kivy here: the screens show what the flow says.
"""
from __future__ import annotations

import datetime as _dt
import re
import uuid

from drivers.printer.ticket import Qr as PaperQr
from drivers.printer.ticket import Text as PaperLine
from drivers.printer.ticket import fitted, wrap
from hall import words
from hall.application_text import receipt_document
from hall.config.catalog_model import Item, Question

from .ticket import DONE, FACE, FAILED, IDENTITY, ISSUING, IssuingFlow

FILING_ITEMS, QUESTION, PHOTO, SUMMARY, SIGN = (
    "filing_items", "filing_question", "filing_photo", "filing_summary", "filing_sign")
ID_CARD = "居民身份证"         # the material the card reader has just read: never photographed
_SIGNATURE = ""              # the signature's key among the uploads (no material is unnamed)
PHONE = re.compile(r"1[0-9]{10}")
LETTERS = re.compile(r"[0-9A-Z]+")


def offered_items(catalog, face_possible: bool) -> list[tuple[Item, str]]:
    """The kiosk items of the catalogue, each with why it cannot be filed here ("" if it can):
    an item that needs 人脸核验 is not offered without a working camera (those that can be
    filed come first)."""
    if catalog is None:
        return []
    offer = [(item, "" if face_possible or not item.face_check else words.FILING_FACE_NEEDED)
             for item in catalog.offered() if item.kiosk]
    return sorted(offer, key=lambda pair: bool(pair[1]))


class FilingFlow(IssuingFlow):
    action = "application.submit"
    first_step = FILING_ITEMS

    def __init__(self, categories, elderly_age: int = 65, *, offer=(), **kw):
        super().__init__(categories, elderly_age, **kw)
        self.offer = list(offer)                 # [(item, why not)]
        self.item: Item | None = None
        self.question = 0                        # index into item.questions
        self.answers: dict[str, str] = {}
        self.material = 0                        # index into self.materials
        self.photos: dict[str, bytes] = {}       # material -> JPEG (personal, memory only)
        self.statuses: dict[str, str] = {}       # material -> received | later | promise
        self.signature: bytes | None = None      # PNG of the signature (personal)
        self.uploads: dict[str, str] = {}        # material or signature -> upload id
        self.application: dict | None = None     # the server's answer (nothing personal)
        self.a4_document = None                  # the A4 受理凭证 of an accepted filing
        self.a4 = ""                             # A4: "" | printing | printed | the problem
        self.problem = ""

    def clear(self) -> None:
        """Forget the citizen: answers, photos, signature, card (the bytes go with them)."""
        self.photos.clear()
        self.answers.clear()
        self.signature = None
        offer = self.offer
        FilingFlow.__init__(self, list(self._categories.values()), self.elderly_age, offer=offer,
                            new_transaction=self._new_transaction, today=self._today)

    # -- steps ----------------------------------------------------------------------------
    def choose_item(self, code: str) -> str:
        if self.step != FILING_ITEMS:
            return self.step
        found = next(((item, why) for item, why in self.offer if item.code == code), None)
        if found is None or found[1]:
            self.problem = found[1] if found else words.FILING_NONE
            return self.step
        self.item, self.problem = found[0], ""
        self.step = IDENTITY
        return self.step

    def identify(self, id_number: str, name: str = "", source: str = "card") -> str:
        """Only a card read fills the form (a typed number has no name and no photo)."""
        if self.step != IDENTITY:
            return ""
        if source != "card":
            return words.FILING_CARD_ONLY
        problem = self._accept_identity(id_number, name, source)
        if not problem:
            self.step = FACE if self.item.face_check else self._first_question()
        return problem

    def face_checked(self, result: dict) -> str:
        if self.step == FACE:
            self.face_check = dict(result)
            if result.get("result") == "pass":
                self.step = self._first_question()
            else:
                self.error_code, self.step = "face_failed", FAILED
        return self.step

    def _first_question(self) -> str:
        self.question = 0
        return QUESTION if self.item.questions else self._first_material()

    def _first_material(self) -> str:
        self.material = 0
        return PHOTO if self.materials else SUMMARY

    @property
    def materials(self) -> list:
        """The item's materials the citizen brings, but the ID card the reader has read."""
        return [m for m in self.item.materials if m.brought and m.name != ID_CARD] \
            if self.item else []

    # -- questions ------------------------------------------------------------------------
    @property
    def current_question(self) -> Question | None:
        if self.step != QUESTION:
            return None
        return self.item.questions[self.question]

    def answer(self, value: str) -> str:
        """The answer to the current question; its problem in Chinese, "" when taken."""
        question = self.current_question
        if question is None:
            return ""
        value = value.strip().upper() if question.kind == "letters" else value.strip()
        self.problem = _problem(question, value)
        if self.problem:
            return self.problem
        self.answers[question.name] = value
        if self.question + 1 < len(self.item.questions):
            self.question += 1
        else:
            self.step = self._first_material()
        return ""

    # -- materials ------------------------------------------------------------------------
    @property
    def current_material(self):
        return self.materials[self.material] if self.step == PHOTO else None

    def photographed(self, jpeg: bytes) -> None:
        """A photo of the current material (taken again: the new one replaces it)."""
        material = self.current_material
        if material is not None and jpeg:
            self.photos[material.name] = jpeg
            self.statuses[material.name] = "received"

    def without_photo(self, status: str) -> str:
        """容缺 (later) or 告知承诺 (promise), where the material allows it: on to the next."""
        material = self.current_material
        if material is None or not (status == "later" and material.later
                                    or status == "promise" and material.promise):
            return self.step
        self.photos.pop(material.name, None)
        self.statuses[material.name] = status
        return self.next_material()

    def next_material(self) -> str:
        material = self.current_material
        if material is None or material.name not in self.statuses:
            return self.step
        if self.material + 1 < len(self.materials):
            self.material += 1
        else:
            self.step = SUMMARY
        return self.step

    # -- summary, signature ---------------------------------------------------------------
    def confirm(self) -> str:
        if self.step == SUMMARY:
            self.step = SIGN
        return self.step

    def sign(self, png: bytes | None) -> str:
        """The signature drawn on the screen; filed at once. Its problem, "" when sent."""
        if self.step != SIGN:
            return ""
        self.problem = "" if png else words.FILING_SIGN_EMPTY
        if png:
            self.signature, self.step = png, ISSUING
        return self.problem

    def summary(self) -> list[tuple[str, str]]:
        """(label, value) lines: the masked applicant, the item, the answers, the materials."""
        name, _ = self.masked_identity()
        lines = [(words.FILING_ITEM, self.item.name),
                 (words.FILING_APPLICANT, f"{name}  {words.FILING_ID_TAIL}"
                                          f"{self.identity['id_number'][-4:]}")]
        lines += [(question.name, _shown(question, self.answers.get(question.name, "")))
                  for question in self.item.questions]
        lines += [(m.name, words.FILING_MATERIAL_STATUS.get(self.statuses.get(m.name), ""))
                  for m in self.materials]
        return lines

    # -- the request ----------------------------------------------------------------------
    def parts(self) -> list[tuple[str, bytes]]:
        """(upload id, bytes) of every photo and the signature: the session sends them in
        parts before the filing. The ids stay the same for a retry of the same filing."""
        blobs = {**self.photos, _SIGNATURE: self.signature}
        for key in blobs:
            self.uploads.setdefault(key, uuid.uuid4().hex)
        return [(self.uploads[key], data) for key, data in blobs.items() if data]

    def _args(self) -> dict:
        self.parts()
        materials = dict(self.statuses)
        if self.item and any(m.name == ID_CARD and m.brought for m in self.item.materials):
            materials[ID_CARD] = "received"           # read by the card reader just now
        return {"item": self.item.code, "identity": dict(self.identity),
                "form": dict(self.answers), "materials": materials,
                "photos": [{"material": m, "upload": self.uploads[m]} for m in self.photos],
                "signature": {"upload": self.uploads[_SIGNATURE]},
                **({"face_check": dict(self.face_check)} if self.face_check else {})}

    def on_response(self, data: dict | None, error_code: str = "", message: str = "") -> str:
        if self.step != ISSUING:
            return self.step
        application = (data or {}).get("application") if not error_code else None
        if application and application.get("number"):
            self.application = application
            self.step = DONE
            if application.get("accepted_on"):   # built now: the card's name goes next
                self.a4_document = receipt_document(application, self.masked_identity()[0])
            self.photos.clear()            # filed: the kiosk keeps none of it
            self.answers.clear()
            self.signature, self.identity = None, None
        else:
            self.error_code, self.problem = error_code or "internal", message
            self.step = FAILED
        return self.step

    @property
    def should_print(self) -> bool:
        return self.step == DONE

    @property
    def can_retry(self) -> bool:
        """Also when the server lost the photos' parts (it restarted): nothing was filed."""
        return self.step == FAILED and self.error_code in ("timeout", "offline", "unknown_upload")

    def retry(self) -> dict | None:
        """The same transaction after a timeout (the server may have filed it); after lost
        parts a new one with new uploads (the server kept its refusal of the old one)."""
        if self.can_retry and self.error_code == "unknown_upload":
            self.transaction, self.uploads = self._new_transaction(), {}
        return super().retry()

    @property
    def error_message(self) -> str:
        if self.step != FAILED:
            return ""
        if self.error_code == "face_failed":
            return words.FILING_FACE_FAILED
        if self.error_code in ("timeout", "offline", "unknown_upload"):
            return words.FILING_TIMEOUT
        return self.problem or words.FILING_FAILED

    # -- what the result screen and the receipt say ---------------------------------------
    def outcome(self) -> dict:
        a = self.application or {}
        state = a.get("state", "")
        if state == "refused":
            verdict = words.FILING_REFUSED.format(reason=a.get("reason") or "")
        else:
            verdict = words.FILING_ACCEPTED if state == "accepted" else words.FILING_SUBMITTED
        return {"number": a.get("number", ""), "item": a.get("item_name", ""),
                "verdict": verdict, "refused": state == "refused", "due": self.due_words(),
                "url": a.get("url") or ""}

    def due_words(self) -> str:
        a = self.application or {}
        if a.get("state") == "refused":
            return ""
        if a.get("due"):
            day = _dt.date.fromisoformat(a["due"])
            if a.get("committed_days") == 0:
                return words.FILING_DUE_NOW
            return words.FILING_DUE.format(day=f"{day.year}年{day.month}月{day.day}日")
        return words.FILING_DUE_DAYS.format(days=a.get("committed_days", 0))

    def receipt(self, cpl: int = 32, hall_name: str = "") -> list:
        """受理凭证 on the ticket printer: hall, number, item, the decision, the finish date and
        a QR code of the phone page (nothing personal)."""
        out = self.outcome()
        left = {"align": "left"}
        return [
            *(fitted(hall_name, 1, cpl, bold=True) if hall_name else []),
            *fitted(words.FILING_RECEIPT, 2, cpl, bold=True),
            PaperLine("-" * cpl),
            PaperLine(f"{words.FILING_NUMBER}：", **left),
            *fitted(out["number"], 1, cpl, bold=True, **left),
            *(PaperLine(line, **left) for line in wrap(f"{words.FILING_ITEM}：{out['item']}", cpl)),
            *(PaperLine(line, bold=True, **left) for text in (out["verdict"], out["due"]) if text
              for line in wrap(text, cpl)),
            PaperLine("-" * cpl),
            *([PaperQr(out["url"]), PaperLine(words.FILING_RECEIPT_QR)] if out["url"] else []),
            PaperLine(words.FILING_RECEIPT_KEEP),
        ]

    def a4_receipt(self):
        """The A4 受理凭证 (the same document as 办件查询's reprint) once, for an accepted
        filing; None otherwise or while it prints."""
        if self.a4_document is None or self.a4 == "printing":
            return None
        self.a4 = "printing"
        return self.a4_document

    def a4_printed(self, problem: str) -> None:
        self.a4 = problem or "printed"

    # -- 上一步 ------------------------------------------------------------------------------
    def back(self) -> str:
        """One step back; what was chosen there is forgotten (a card, an answer, a photo)."""
        step = self.step
        if step == IDENTITY or step == FACE:
            self.item, self.identity, self.identity_source, self.face_check = None, None, "", None
            self.step = FILING_ITEMS
        elif step == QUESTION and self.question > 0:
            self.question -= 1
        elif step in (QUESTION, PHOTO, SUMMARY):
            self._back_from(step)
        elif step == SIGN:
            self.signature, self.step = None, SUMMARY
        self.problem = ""
        return self.step

    def _back_from(self, step: str) -> None:
        if step == PHOTO and self.material > 0:
            self.material -= 1
        elif step == SUMMARY and self.materials:
            self.step, self.material = PHOTO, len(self.materials) - 1
        elif step != QUESTION and self.item.questions:
            self.step, self.question = QUESTION, len(self.item.questions) - 1
        else:                                 # the first question or material: a new card
            self.identity, self.identity_source, self.face_check = None, "", None
            self.step = IDENTITY


def _problem(question: Question, value: str) -> str:
    if question.kind == "choice":
        return "" if value in question.choices else words.FILING_PICK_ONE
    if question.kind == "phone":
        return "" if PHONE.fullmatch(value) else words.FILING_PHONE_WRONG
    pattern = r"[0-9]+" if question.kind == "digits" else LETTERS.pattern
    if re.fullmatch(pattern, value) and question.min_len <= len(value) <= question.max_len:
        return ""
    return hint(question)


def hint(question: Question) -> str:
    """What to enter, in the citizen's words."""
    if question.kind == "phone":
        return words.FILING_PHONE
    if question.kind == "digits":
        if question.min_len == question.max_len:
            return words.FILING_DIGITS.format(low=question.min_len)
        return words.FILING_DIGITS_RANGE.format(low=question.min_len, high=question.max_len)
    if question.kind == "letters":
        return words.FILING_LETTERS.format(low=question.min_len, high=question.max_len)
    return ""


def _shown(question: Question, value: str) -> str:
    """An answer on the summary: long numbers (an account) masked but the last four."""
    if question.kind in ("digits", "letters") and len(value) > 8:
        return "*" * (len(value) - 4) + value[-4:]
    if question.kind == "phone" and value:
        return f"{value[:3]}****{value[-4:]}"
    return value
