"""好差评: the one set of rules every way of rating goes through (HallService's rating desk).

A rating comes from the evaluator pad at the window (the agent, role window), the kiosk after
an ID card read (role kiosk), or the citizen's phone (role citizen: the mobile ticket page
opened from the ticket's QR code or from the text message sent after the service). Each
proves its right to rate one ticket in its own way, then the same rules hold:

- the level is one of the standard's five (hall.words.RATING_LEVEL); reasons only for the
  two bad levels, each from the hall's list (hall.ratings.reasons); free text limited in
  length and neutralised (no control, format or bidirectional characters);
- one rating per service (evaluations.ticket_id is unique); it can be changed, on the same
  channel or another, for `change_minutes` after it was first given, then never;
- named when the ticket holder's ID card was read (the keyed hash of identity.py, never the
  number) or the citizen left a phone number, anonymous otherwise.

All of it runs under the service's lock in the batch's transaction, so two ratings of one
ticket sent at once through the bus and the web are one rating and one change, never two
rows. The provincial record (province.py) is put in the outbox in that same transaction.
"""
from __future__ import annotations

import re
import unicodedata

from hall.words import RATING_LEVEL, rating_sms

from .applications.senders import NoSender, send_all
from .engine import EngineError

PHONE = re.compile(r"1\d{10}")
CHANNELS = ("evaluator", "kiosk", "mobile", "sms")     # where a rating was given
BAD_LEVELS = (1, 2)
SERVED = ("called", "serving", "done")     # the pad rates while the citizen is still there
_SPACES = re.compile(r"\s+")


class RatingDesk:
    def __init__(self, service, sender=None):
        self.service = service
        self.sender = sender or NoSender()
        self._texts: list[tuple[str, str, str]] = []

    @property
    def rules(self):
        return self.service.config.ratings

    # ------------------------------------------------------------ requests (under the lock)
    def submit(self, now: float, role: str, client_id: str, args: dict, via: str = "mqtt") -> dict:
        """One rating or its change; `via` is the request's own channel (mqtt, web) for the
        case's audit."""
        level, reasons, comment, phone = self._content(args)
        t, channel, person_hash = self._ticket(role, client_id, args)
        store = self.service.store
        old = store.evaluation_of(t.id)
        if old is not None:
            given = old["created_at"] or old["ts"]
            if now > given + self.rules.change_minutes * 60:
                raise EngineError("conflict", f"这个号已经评价过了，评价后{self.rules.change_minutes}"
                                              "分钟内可以修改，现在已不能修改")
        named_hash = t.id_hash or person_hash
        row = {"ticket_id": t.id, "ticket": t.number, "date": t.date, "level": level,
               "reasons": reasons, "comment": comment, "window": t.window, "staff": t.staff,
               "channel": channel, "ts": now, "bad": level in BAD_LEVELS,
               "category": t.category, "item": t.service, "application": store.application_of(t.number, t.date),
               "named": bool(named_hash or phone), "id_hash": named_hash,
               # the phone is kept only where a 回访 may need it
               "phone": phone if level in BAD_LEVELS else None,
               "created_at": old["created_at"] or old["ts"] if old else now,
               "version": old["version"] + 1 if old else 1}
        row["id"] = store.save_evaluation(row, old)
        self.service.province.owe_rating(row)
        self.service.sync.rating(row, channel)      # each version; the county keeps the latest
        self.service.engine.changes.events.append(("evaluation", {
            "ticket": t.number, "window": t.window, "level": level, "bad": row["bad"],
            "reasons": reasons, "channel": channel, "version": row["version"], "ts": now}))
        # the bad-rating loop: one case per rating, following its changes (cases/desk.py)
        self.service.cases.follow_rating(now, row, named=row["named"], channel=channel, via=via)
        return {"evaluation": public_view(row, self.rules.change_minutes)}

    def _content(self, args: dict) -> tuple[int, list[str], str | None, str | None]:
        level = args.get("level")
        if isinstance(level, bool) or not isinstance(level, int) or level not in RATING_LEVEL:
            raise EngineError("bad_request", "请选择评价：" + "、".join(RATING_LEVEL.values()))
        reasons = args.get("reasons")
        reasons = [] if reasons is None else reasons
        allowed = self.rules.reasons
        if not isinstance(reasons, list) or len(reasons) > len(allowed) or \
                not all(isinstance(r, str) and r in allowed for r in reasons) or \
                len(set(reasons)) != len(reasons):
            raise EngineError("bad_request", "评价原因请从列表中选择")
        if reasons and level not in BAD_LEVELS:
            raise EngineError("bad_request", "只有不满意的评价才需要选择原因")
        comment = neutral_text(args.get("comment"), self.rules.comment_max, "评价内容")
        phone = args.get("phone")
        if phone is not None and phone != "":
            if not isinstance(phone, str) or not PHONE.fullmatch(phone.strip()):
                raise EngineError("bad_request", "手机号码应为11位数字")
            phone = phone.strip()
        return level, [r for r in allowed if r in reasons], comment, phone or None

    def _ticket(self, role: str, client_id: str, args: dict):
        """The ticket this client may rate, the channel, and the reader's ID hash (kiosk)."""
        engine = self.service.engine
        if role == "window":           # the evaluator pad: the window's own citizens only
            t = engine.lookup(args.get("ticket"))
            if t.window != client_id:
                raise EngineError("forbidden", "不是本窗口办理的号")
            channel, person_hash, states = "evaluator", None, SERVED
        elif role == "kiosk":          # the ID card just read: that person's own last service
            person = self.service._person(args.get("identity"))
            if person is None:
                raise EngineError("bad_request", "请刷身份证")
            t = self._last_service(person.id_hash)
            channel, person_hash, states = "kiosk", person.id_hash, ("done",)
        else:                          # the phone: holding the ticket's link is the proof
            token = args.get("token")
            rows = self.service.store.tickets("token = ?", [token]) if isinstance(token, str) else []
            t = engine.tickets.get(rows[0].id) if rows else None
            if t is None or t.date != engine.date:
                raise EngineError("unknown_ticket", "没有找到今天的这张号票")
            via = args.get("via", "mobile")
            channel = via if via in ("mobile", "sms") else "mobile"
            person_hash, states = None, ("done",)
        if t.window is None or t.status not in states:
            raise EngineError("conflict", "这个号还没有办理完，办完后再评价")
        return t, channel, person_hash

    def _last_service(self, id_hash: str):
        served = [t for t in self.service.engine.by_number.values()
                  if t.id_hash == id_hash and t.status == "done" and t.window is not None]
        if not served:
            raise EngineError("unknown_ticket", "没有找到您今天办理完的业务")
        return max(served, key=lambda t: (t.finished_at or 0, t.id))

    def last_service(self, identity: object) -> dict:
        """The kiosk's 评价 screen: the person's last finished service of today and its rating."""
        person = self.service._person(identity)
        if person is None:
            raise EngineError("bad_request", "请刷身份证")
        t = self._last_service(person.id_hash)
        old = self.service.store.evaluation_of(t.id)
        return {"ticket": t.number, "window": t.window, "item": t.service,
                "evaluation": public_view(old, self.rules.change_minutes) if old else None}

    # ------------------------------------------------------------ the text after the service
    def ticket_finished(self, t) -> None:
        """A ticket was finished: where a phone is known (its booking, its 办件), text the
        link of its page, where the citizen can rate the service. Sent after the commit."""
        if not self.rules.sms_link or t.status != "done":
            return
        phone = self.service.store.phone_of_ticket(t)
        if phone is None:
            phone = self.service.applications.phone_of_ticket(t.number, t.date)
        if phone:
            url = f"{self.service.config.server.public_url.rstrip('/')}/t/{t.token}?via=sms"
            self._texts.append((phone, rating_sms(self.service.config.name, t.number, url), t.number))

    def flush(self) -> None:
        texts, self._texts = self._texts, []
        send_all(self.sender, texts)

    def drop(self) -> None:
        self._texts = []


def neutral_text(value: object, limit: int, what: str) -> str | None:
    """Free text as it may be kept and shown: NFC, no control, format or bidirectional
    characters (a U+202E cannot turn a manager's screen around), blanks collapsed; at most
    `limit` characters (checked before and after, so a flood of invisible characters is
    refused too)."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > limit * 4:
        raise EngineError("bad_request", f"{what}应为不超过{limit}字的文字")
    text = "".join(ch for ch in unicodedata.normalize("NFC", value)
                   if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn")
                   or ch in "\n\t")
    text = _SPACES.sub(" ", text).strip()
    if len(text) > limit:
        raise EngineError("bad_request", f"{what}应为不超过{limit}字的文字")
    return text or None


def public_view(row: dict, change_minutes: int) -> dict:
    """A rating as its giver and the bus see it: no hash, no phone."""
    given = row.get("created_at") or row["ts"]
    return {"id": row["id"], "ticket": row["ticket"], "level": row["level"],
            "level_text": RATING_LEVEL[row["level"]], "reasons": list(row["reasons"]),
            "comment": row.get("comment"), "window": row["window"], "bad": bool(row["bad"]),
            "channel": row["channel"], "named": bool(row.get("named")), "ts": row["ts"],
            "version": row.get("version") or 1, "changeable_until": given + change_minutes * 60}
