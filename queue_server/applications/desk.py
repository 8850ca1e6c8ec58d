"""The application desk: HallService's applications (办件), under the service's lock and in its
transaction, like the booking desk. Requests come through HallService.handle as
application.<action> (the bus, the console); queries come here through the service.

What is personal (the form, the citizen's name and phone, the material photos) is sealed
before it is written and opened only for the window; the phone page and the bus see the
state machine's record and the item, never a person.
"""
from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import json
import logging
import re
import secrets

from hall.application_text import status_lines
from hall.words import (APPLICATION_COLLECT_AT, APPLICATION_FIND_ASK, APPLICATION_NONE_READY,
                        APPLICATION_STATE, APPLICATION_UNKNOWN, DECIDED_BY_COUNTY,
                        DEADLINE_STATUS, application_wrong_state, collect_place, day_words)
from hall.workdays import WorkingDays

from ..engine import EngineError
from ..guess_limits import too_fast
from .checks import verdict
from .model import (Application, WrongState, deadline_status, decided_at_once, new_application,
                    transition)
from .sealing import Sealer
from .senders import NoSender, send_all
from .uploads import MAX_PHOTO_BYTES, Uploads

MAX_FIELDS, MAX_KEY, MAX_VALUE = 40, 30, 500       # a form: fields, a field's name, its answer
MAX_PHOTOS = 20
SIGNATURE = "申请人签名"            # the applicant's signature, kept as a photo of this name
PHONE = re.compile(r"1\d{10}")
MAX_FOUND = 10                     # applications a card shows at the kiosk (the newest)
WARN_DAYS = 2                      # working days before the deadline the dashboard warns
COUNTY_DECIDES = {"approve": "approved", "refuse": "refused"}   # at a synced site (docs/sync.md)
log = logging.getLogger(__name__)


class ApplicationDesk:
    def __init__(self, service, sender=None):
        self.service = service
        self.sealer = Sealer(service.store.application_key())
        self.days = WorkingDays.for_hall(service.config)
        self.sender = sender or NoSender()
        self._outbox: list[tuple[str, str, str]] = []
        self.uploads = Uploads()          # photos arriving in parts over the bus (kiosks)

    # ------------------------------------------------------------ requests (under the lock)
    def act(self, now: float, role: str, client_id: str, action: str, args: dict) -> dict:
        """One request; its rows are written whole or not at all (a savepoint inside the
        batch's transaction: a refusal after the first row leaves none)."""
        if action == "application.photo":          # memory only, until the filing names it
            return self.uploads.add(now, client_id, args)
        conn = self.service.store.db.conn
        conn.execute("SAVEPOINT application")
        try:
            data = self._act(now, role, client_id, action, args)
        except BaseException:
            conn.execute("ROLLBACK TO application")
            conn.execute("RELEASE application")
            raise
        conn.execute("RELEASE application")
        return data

    def _act(self, now: float, role: str, client_id: str, action: str, args: dict) -> dict:
        verb = action.partition(".")[2]
        if verb in ("find", "lookup", "pickup"):     # lookup: find's old name, kept for sites
            return self._at_kiosk(now, client_id, "pickup" if verb == "pickup" else "find", args)
        staff = self._seated(role, client_id)
        today = self.service.engine.date
        if verb == "submit":
            app, item, private, new = self._submit(now, role, client_id, args, today)
            photos = new.pop("photos")
            self.service.store.add_application({**new, **self._row(app, item, now, today)})
            for material, sealed in photos:
                self.service.store.add_photo(app.number, material, sealed, now)
        else:
            if verb in COUNTY_DECIDES and self.service.config.sync.is_site:
                raise EngineError("forbidden", DECIDED_BY_COUNTY)
            app, item = self._change(role, client_id, verb, args, today)
            if verb == "correct":
                app = dataclasses.replace(app, notice=self._notice(now, app, client_id, staff))
            private = None
            self.service.store.update_application(app.number, self._row(app, item, now, today))
        self._owe(app, private)
        self.service.store.add_audit(
            now, today, staff, client_id if role == "window" else None, f"application.{verb}",
            app.ticket, {"result": "ok", "application": app.number, "item": app.item,
                         "state": app.state, **({"reason": app.reason} if verb == "refuse" else {}),
                         **({"notice": app.notice} if verb == "correct" else {})},
            "kiosk" if role == "kiosk" else "window")
        self.service.engine.changes.events.append(("application", {
            "number": app.number, "item": app.item, "domain": item.domain, "action": verb,
            "state": app.state, "window": app.window, "due": app.due, "ts": now}))
        self._tell(app, item, private)
        return {"application": self.citizen_view(app, item)}

    def _at_kiosk(self, now: float, kiosk: str, verb: str, args: dict) -> dict:
        """办件查询 at a kiosk (find): the citizen's applications, as the phone page shows
        them; 统一出件 (pickup): a ticket of the collection queue for the ready ones, which
        the collection window then finds them by (called)."""
        apps = [_record(r) for r in self._found(now, kiosk, args)]
        if verb == "find":
            if not apps:
                raise EngineError("unknown_ticket", APPLICATION_UNKNOWN)
            views = [self.citizen_view(a) for a in apps]
            # By number + last four: that one also as `application` (application.lookup's answer)
            return {"applications": views, **({} if args.get("identity") is not None
                                              else {"application": views[0]})}
        ready = [a for a in apps if a.state == "ready"]
        queue = self.service.config.collection
        if not ready or queue is None:
            raise EngineError("conflict", APPLICATION_NONE_READY if queue else APPLICATION_COLLECT_AT)
        engine = self.service.engine
        before = self._collection_ticket(ready)
        if before is not None:            # taken before and still in the queue: that one again
            return {"ticket": self.service._ticket(before, now), "taken_before": True,
                    "applications": [self.citizen_view(a) for a in ready]}
        person = self.service._person(args["identity"]) if args.get("identity") is not None else None
        ticket = engine.issue(now, queue.id, person=person, kiosk=kiosk)
        ready = [dataclasses.replace(a, collect_ticket=f"{engine.date}/{ticket.number}") for a in ready]
        for app in ready:
            self.service.store.update_application(app.number, {"record": _json(app)})
        self.service.store.add_audit(
            now, engine.date, None, None, "application.pickup", ticket.number,
            {"result": "ok", "applications": [a.number for a in ready]}, "kiosk")
        return {"ticket": self.service._ticket(ticket, now),
                "applications": [self.citizen_view(a) for a in ready]}

    def _collection_ticket(self, ready: list[Application]):
        """The 统一出件 ticket taken today for all of these that is still waiting or at a
        window, if any (a second tap, a second kiosk: no second place in the queue)."""
        engine = self.service.engine
        taken = {a.collect_ticket for a in ready}
        day, _, number = next(iter(taken)).partition("/") if len(taken) == 1 and None not in taken \
            else ("", "", "")
        ticket = engine.by_number.get(number) if day == engine.date else None
        return ticket if ticket is not None and ticket.status in ("waiting", "called", "serving") else None

    def _found(self, now: float, kiosk: str, args: dict) -> list[dict]:
        """By the ID card (every application of the card's holder, newest first, at most
        MAX_FOUND), or by number + the last four ID digits (that one). Wrong pairs slow the
        kiosk down as wrong pairs on the web slow an address (guess_limits.py); the hall's
        lock is held from the check to the count, so parallel requests see each other."""
        if args.get("identity") is not None:
            person = self.service._person(args["identity"])
            rows = self.service.store.applications("id_hash = ?", [person.id_hash])
            return rows[::-1][:MAX_FOUND]
        number, last4 = args.get("number"), args.get("last4")
        if not isinstance(number, str) or not isinstance(last4, str):
            raise EngineError("bad_request", APPLICATION_FIND_ASK)
        guard = self.service.pair_guard
        wait = guard.wait_s(kiosk, now)
        if wait > 0:
            raise EngineError("rate_limited", too_fast(wait))
        row = self._pair(number, last4)
        if row is None:
            guard.missed(kiosk, now)
        return [row] if row else []

    def _pair(self, number: str, last4: str) -> dict | None:
        row = self.service.store.application("number", number.strip().upper())
        if row is None or row["id_last4"] is None or \
                not secrets.compare_digest(row["id_last4"], last4.strip().upper()):
            return None
        return row

    def _owe(self, app: Application, private: dict | None) -> None:
        """The county's copy of this change, in this transaction (a site only)."""
        rev = self.service.store.bump_application_rev(app.number)
        self.service.sync.application(app.number, app.item, app.state, rev,
                                      json.loads(_json(app)), private)

    def decided_by_county(self, now: float, body: dict) -> None:
        """The county's decision on an application filed here (in the caller's transaction).
        The county owns decisions: it overwrites whatever state the site had."""
        number, decision = body.get("number"), body.get("decision")
        row = self.service.store.application("number", number) if isinstance(number, str) else None
        if row is None or decision not in COUNTY_DECIDES:
            log.warning("county decision for an unknown application %r: ignored", number)
            return
        today = self.service.engine.date
        app = dataclasses.replace(_record(row), state=COUNTY_DECIDES[decision], decided_on=today,
                                  reason=body.get("reason") if decision == "refuse" else None)
        item = self.service.config.catalog.item(app.item) if self.service.config.catalog else None
        if item is None:
            log.warning("county decision on %s, whose item %s is not in the catalogue", number, app.item)
            return
        values = {**self._row(app, item, now, today), "decided_by": "county"}
        self.service.store.update_application(number, values)
        self.service.store.add_audit(now, today, None, None, "application.decision", app.ticket,
                                     {"result": "ok", "application": number, "state": app.state},
                                     "county")
        self.service.engine.changes.events.append(("application", {
            "number": number, "item": app.item, "domain": item.domain, "action": decision,
            "state": app.state, "window": app.window, "due": app.due, "ts": now}))
        self._tell(app, item, None)

    def _seated(self, role: str, client_id: str) -> str | None:
        if role != "window":
            return None
        slot = self.service.engine.slots[client_id]
        if slot.staff is None:
            raise EngineError("not_logged_in")
        return slot.staff

    def _submit(self, now, role, client_id, args, today):
        item, ticket = self._item_of(role, client_id, args.get("item"))
        face = args.get("face_check")
        if role == "kiosk" and item.face_check and not (isinstance(face, dict)
                                                         and face.get("result") == "pass"):
            raise EngineError("forbidden", "此事项需要人脸核验通过，请到窗口办理")
        person = self.service._person(args.get("identity"))
        if person is None:
            raise EngineError("bad_request", "请读取身份证")
        form, phone = _form(args.get("form")), optional_phone(args.get("phone"))
        materials = args.get("materials")
        seq = self.service.store.next_application_seq(today)
        number = f"{self.service.config.id.upper()}-{today.replace('-', '')}-{seq:04d}"
        app = new_application(number, secrets.token_urlsafe(24), item, role, today,
                              materials=materials if materials is not None else {},
                              window=client_id if role == "window" else None, ticket=ticket)
        photos = _photos(args.get("photos"), item, args.get("signature"),
                         lambda upload: self.uploads.take(client_id, upload))
        if role == "kiosk":        # 自动核验: the catalogue's rules decide at once where they may
            found = verdict(item, args["identity"]["id_number"].strip().upper(), app.materials,
                            dt.date.fromisoformat(today))
            app = decided_at_once(app, item, found.decision, found.reason, today, self.days)
        private = {"form": form, "name": person.name_masked, "phone": phone}
        new = {"number": number, "token": app.token, "date": today, "seq": seq, "item": item.code,
               "domain": item.domain, "created_at": now, "sealed": self.sealer.seal(number, private),
               "id_hash": person.id_hash, "id_last4": person.id_last4}
        new["photos"] = [(material, self.sealer.seal_bytes(number, data)) for material, data in photos]
        return app, item, private, new

    def _notice(self, now, app: Application, window: str, staff: str | None) -> str:
        """The 补正 is told once, in writing: a one-time notice (一次性告知书, /n/<token>)
        listing every missing material, for the window to print and the citizen's phone."""
        held = self.service.engine.held(self.service.engine.slots[window])
        on_ticket = held if held is not None and held.number == app.ticket else None
        row = self.service.store.add_notice({
            "token": secrets.token_urlsafe(24), "date": self.service.engine.date, "item": app.item,
            "materials": list(app.missing), "ticket_id": on_ticket.id if on_ticket else None,
            "ticket": app.ticket, "window": window, "staff": staff, "created_at": now,
            "application": app.number})
        return row["number"]

    def _item_of(self, role, client_id, code):
        """The item filed for, and the ticket it is filed on (the one the window calls)."""
        ticket = None
        if role == "window":
            held = self.service.engine.held(self.service.engine.slots[client_id])
            if held is not None:
                ticket = held.number
                code = code if code is not None else held.service
        catalog = self.service.config.catalog
        item = catalog.item(code) if catalog is not None and isinstance(code, str) else None
        if item is None or item.retired:
            raise EngineError("bad_request", "请选择办理事项")
        return item, ticket

    def _change(self, role, client_id, verb, args, today):
        number = args.get("number")
        row = self.service.store.application("number", number) if isinstance(number, str) else None
        if row is None:
            raise EngineError("unknown_ticket", "没有这个办件")
        app = _record(row)
        item = self.service.config.catalog.item(app.item)
        if item is None:        # taken out of the catalogue since: its rules are gone with it
            raise EngineError("conflict", "这个事项已不在服务目录中，请联系管理员")
        try:
            return transition(app, verb, role, item, today, self.days,
                              materials=args.get("materials"), missing=args.get("missing"),
                              reason=args.get("reason"),
                              window=client_id if role == "window" else None), item
        except WrongState as e:
            raise EngineError("conflict", application_wrong_state(e.state, e.action)) from None

    def _row(self, app: Application, item, now: float, today: str) -> dict:
        keep = (dt.date.fromisoformat(today) + dt.timedelta(days=item.retention_days)).isoformat()
        return {"state": app.state, "window": app.window, "due": app.due, "record": _json(app),
                "keep_until": keep, "updated_at": now}

    def _tell(self, app: Application, item, private: dict | None) -> None:
        """Queue the citizen's text message; sent after the commit (flush)."""
        if private is None:
            row = self.service.store.application("number", app.number)
            private = self._open(row)
        phone = (private or {}).get("phone")
        if phone:
            self._outbox.append((phone, self.message(app, item), app.number))

    def message(self, app: Application, item) -> str:
        extra = {"accepted": f"，承诺{day_words(app.due)}前办结" if app.due else "",
                 "correction": "，请补齐：" + "、".join(app.missing),
                 "ready": "，" + self.collect_place}.get(app.state, "")
        return (f"【{self.service.config.name}】您的办件{app.number}（{item.name}）"
                f"{APPLICATION_STATE[app.state]}{extra}。进度：{self.page_url(app.token)}")

    def flush(self) -> None:
        """After the commit: send what the committed changes queued."""
        messages, self._outbox = self._outbox, []
        send_all(self.sender, messages)

    def drop(self) -> None:
        """The batch failed: nothing it queued is sent."""
        self._outbox = []

    # ------------------------------------------------------------ views
    @property
    def collect_place(self) -> str:
        return collect_place([w.name for w in self.service.config.collection_windows()])

    def page_url(self, token: str) -> str:
        return f"{self.service.config.server.public_url.rstrip('/')}/a/{token}"

    def citizen_view(self, app: Application, item=None) -> dict:
        """What the citizen's phone, the receipt and the bus may show: nothing personal."""
        item = item or self.service.config.catalog.item(app.item)
        status = deadline_status(app, self.service.engine.date, self.days, WARN_DAYS)
        view = {"number": app.number, "item": app.item, "item_name": item.name if item else app.item,
                "state": app.state, "state_text": APPLICATION_STATE[app.state],
                "submitted_on": app.submitted_on, "accepted_on": app.accepted_on, "due": app.due,
                "committed_days": app.committed_days, "deadline": status,
                "deadline_text": DEADLINE_STATUS.get(status, ""), "missing": list(app.missing),
                "owed": [n for n, s in app.materials.items() if s == "later"],
                "reason": app.reason, "collect_at": self.collect_place if app.state == "ready" else "",
                "collect_place": self.collect_place,
                "notice_url": self._notice_url(app) if app.state == "correction" else None,
                "url": self.page_url(app.token), "hall": self.service.config.name}
        return {**view, "lines": status_lines(view)}

    def _notice_url(self, app: Application) -> str | None:
        row = self.service.store.notice("number", app.notice) if app.notice else None
        return self.service.notice_url(row["token"]) if row else None

    def window_view(self, row: dict) -> dict:
        """The window's view: the citizen's, with the opened form and the materials."""
        app = _record(row)
        private = self._open(row) or {}
        item = self.service.config.catalog.item(app.item)
        materials = [{"name": m.name, "status": app.materials.get(m.name, "missing" if m.brought
                                                                   else "not_needed"),
                      "later": m.later, "promise": m.promise}
                     for m in (item.materials if item else ())]
        return {**self.citizen_view(app, item), "form": private.get("form") or {},
                "name": private.get("name") or "", "phone": mask_phone(private.get("phone")),
                "materials": materials, "ticket": app.ticket, "window": app.window,
                "photos": [{"material": p["material"], "index": i}
                           for i, p in enumerate(self.service.store.photos(app.number))],
                "purged": row["sealed"] is None}

    def _open(self, row: dict | None) -> dict | None:
        if row is None or row["sealed"] is None:
            return None
        return self.sealer.open(row["number"], row["sealed"])

    def phone_of_ticket(self, ticket: str, date: str) -> str | None:
        """The phone given with the 办件 filed on a ticket (the rating link's text), or None."""
        number = self.service.store.application_of(ticket, date)
        row = self.service.store.application("number", number) if number else None
        return (self._open(row) or {}).get("phone")

    # ------------------------------------------------------------ queries (take the lock)
    def by_token(self, token: object) -> dict | None:
        if not isinstance(token, str):
            return None
        with self.service._lock:
            row = self.service.store.application("token", token)
            return self.citizen_view(_record(row)) if row else None

    def lookup(self, number: object, last4: object) -> dict | None:
        """By number and the last four digits of the ID (both must match)."""
        if not isinstance(number, str) or not isinstance(last4, str):
            return None
        with self.service._lock:
            row = self._pair(number, last4)
            return self.citizen_view(_record(row)) if row else None

    def for_window(self, number: object, *, staff: str | None = None,
                   window: str | None = None) -> dict | None:
        """The window's view; opened by a person (staff), the opening is audited: the form
        and the name are read only where someone answers for it."""
        if not isinstance(number, str):
            return None
        with self.service._lock:
            row = self.service.store.application("number", number)
            if row is None:
                return None
            if staff is not None:
                with self.service.store.transaction():
                    self.service.store.add_audit(self.service.clock(), self.service.engine.date, staff,
                                                 window, "application.view", None,
                                                 {"application": number}, "web")
            return self.window_view(row)

    def photo(self, number: object, index: int, *, staff: str, window: str) -> tuple[str, bytes] | None:
        """One material photo opened for the window's clerk (material, image bytes); audited."""
        if not isinstance(number, str):
            return None
        with self.service._lock:
            photos = self.service.store.photos(number)
            if not 0 <= index < len(photos):
                return None
            with self.service.store.transaction():
                self.service.store.add_audit(self.service.clock(), self.service.engine.date, staff,
                                             window, "application.view", None,
                                             {"application": number, "photo": photos[index]["material"]},
                                             "web")
            return photos[index]["material"], self.sealer.open_bytes(number, photos[index]["sealed"])

    def called(self, window: str) -> list[dict]:
        """The applications of the ticket this window calls or serves: filed on it today,
        taken to collect with it (统一出件), or its holder's (the ID card's keyed hash)."""
        with self.service._lock:
            held = self.service.engine.held(self.service.engine.slots[window])
            if held is None:
                return []
            today = self.service.engine.date
            where = ("(date = ? AND json_extract(record, '$.ticket') = ?)"
                     " OR json_extract(record, '$.collect_ticket') = ?")
            params = [today, held.number, f"{today}/{held.number}"]
            if held.id_hash:
                where, params = where + " OR id_hash = ?", params + [held.id_hash]
            rows = self.service.store.applications(where, params)[::-1][:MAX_FOUND]
            return [dict(self.citizen_view(_record(r)), window=r["window"]) for r in rows]

    def listing(self, state: str | None = None) -> list[dict]:
        with self.service._lock:
            rows = self.service.store.applications("state = ?", [state]) if state \
                else self.service.store.applications("state NOT IN ('collected', 'posted')")
            return [dict(self.citizen_view(_record(r)), window=r["window"], domain=r["domain"])
                    for r in rows]

    def deadlines(self) -> dict:
        """The dashboard's warnings (soon, due, overdue) and the overdue report per
        department (the item's domain) and window."""
        rows = self.listing()
        warnings = [r for r in rows if r["deadline"] in ("soon", "due", "overdue")]
        overdue = [r for r in rows if r["deadline"] == "overdue"]
        return {"warnings": warnings,
                "overdue_by_domain": _count(overdue, "domain"),
                "overdue_by_window": _count(overdue, "window")}

    def purge(self, today: str) -> int:
        return self.service.store.purge_applications(today)


def _record(row: dict) -> Application:
    values = json.loads(row["record"])
    values["missing"] = tuple(values["missing"])
    return Application(**values)


def _json(app: Application) -> str:
    return json.dumps(dataclasses.asdict(app), ensure_ascii=False, separators=(",", ":"))


def _count(rows: list[dict], key: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for r in rows:
        counts[r[key] or "—"] = counts.get(r[key] or "—", 0) + 1
    return counts


def _form(form: object) -> dict:
    if form is None:
        return {}
    if not isinstance(form, dict) or len(form) > MAX_FIELDS or not all(
            isinstance(k, str) and 0 < len(k) <= MAX_KEY and isinstance(v, str) and len(v) <= MAX_VALUE
            for k, v in form.items()):
        raise EngineError("bad_request", f"申请表有误（至多{MAX_FIELDS}项，每项不超过{MAX_VALUE}字）")
    return dict(form)


def optional_phone(phone: object) -> str | None:
    if phone is None or phone == "":
        return None
    if not isinstance(phone, str) or not PHONE.fullmatch(phone.strip()):
        raise EngineError("bad_request", "手机号码应为11位数字")
    return phone.strip()


def mask_phone(phone: str | None) -> str:
    return f"{phone[:3]}****{phone[-4:]}" if phone else ""


def _photos(photos: object, item, signature: object, take) -> list[tuple[str, bytes]]:
    """The material photos (and the signature) as (material, bytes): each given whole
    (`data`, base64: small ones, the console) or as a finished upload of this client
    (`upload`: the kiosk's parts, uploads.py)."""
    names = {m.name for m in item.materials}
    bad = EngineError("bad_request", f"材料照片有误（至多{MAX_PHOTOS}张，每张不超过4MB）")
    if photos is None:
        photos = []
    if not isinstance(photos, list) or len(photos) > MAX_PHOTOS:
        raise bad
    if signature is not None:
        if not isinstance(signature, dict):
            raise bad
        photos = [*photos, {**signature, "material": SIGNATURE}]
        names = names | {SIGNATURE}
    out = []
    for photo in photos:
        if not isinstance(photo, dict) or photo.get("material") not in names:
            raise bad
        out.append((photo["material"], _photo_bytes(photo, bad, take)))
    return out



def _photo_bytes(photo: dict, bad: EngineError, take) -> bytes:
    if "upload" in photo:
        return take(photo["upload"])
    data = photo.get("data")
    if not isinstance(data, str) or len(data) > MAX_PHOTO_BYTES * 4 // 3 + 4:
        raise bad
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise bad from None


__all__ = ["ApplicationDesk", "mask_phone", "optional_phone"]
