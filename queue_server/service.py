"""HallService: the one door to the hall's state, used by the MQTT bus and the web console.

A request is (role, client_id, action, args). A batch of requests runs under one lock in one
SQLite transaction and is on disk before any answer is returned or any state is published.
Listeners learn the events and the changed retained states after the commit, in order.
"""
from __future__ import annotations

import datetime as dt
import logging
import math
import secrets
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager

from hall.catalog.guide import missing_problem
from hall.config import county_part
from hall.config.model import HallConfig
from hall.config.reader import ConfigError
from hall.protocol.schema import actions
from hall.words import NOTICE_UNKNOWN, call_sentence
from hall.workdays import CalendarYearUnknown, WorkingDays

from .applications.desk import ApplicationDesk
from .applications.model import TRANSITIONS
from .booking.desk import BookingDesk
from .cases.desk import CaseDesk
from .catalog_desk import CatalogueDesk, edited_config
from .engine import (Changes, EngineError, HallEngine, citizen_view, hall_state, queue_state,
                     ticket_view, window_state)
from .engine.estimate import history_days, history_of, issuing_hours
from .engine.hall import face_result
from .identity import mask_name, read_identity
from .guess_limits import GuessLimiter
from .login_limits import LoginLimiter
from .province import ProvinceRecords
from .ratings import RatingDesk, public_view
from .staff import Staff, StaffDirectory
from .store import Store
from .sync.site import SiteOutbox

log = logging.getLogger(__name__)

KIOSK_ACTIONS = ("ticket.issue", "ticket.lookup", "appointment.checkin", "notice.lookup",
                 "catalog.popular")
NOTICE = "notice.issue"           # 一次性告知书, by the clerk of the window
# 过号重排 by ticket number: the citizen at a kiosk, or the clerk at any window.
REQUEUE = "ticket.requeue"
FACE_VERIFY = "ticket.face_verify"   # 人工核验通过: the clerk checked the ID card against the person
WINDOW_ACTIONS = tuple(f"window.{a}" for a in actions("window"))   # as the contract lists them
ROLE_ACTIONS = {**{a: ("kiosk",) for a in KIOSK_ACTIONS},
                **{a: ("window",) for a in WINDOW_ACTIONS},
                # 好差评: the evaluator pad (window), the kiosk after an ID card read, the phone
                # page (citizen: only the web console speaks for it; the bus has no such role)
                "evaluation.submit": ("kiosk", "window", "citizen"),
                "evaluation.last": ("kiosk",),
                "appointment.checkin": ("kiosk", "window"),    # at the kiosk, or at a window by code
                REQUEUE: ("kiosk", "window"),
                NOTICE: ("window",), FACE_VERIFY: ("window",),
                # 办件: filed at a kiosk or a window; every later step at a window (the desk
                # audits each change itself, whoever makes it)
                "application.submit": ("kiosk", "window"),
                "application.find": ("kiosk",), "application.pickup": ("kiosk",),
                "application.lookup": ("kiosk",),    # application.find's old name (docs/mqtt.md)
                "application.photo": ("kiosk",),     # a photo's parts before the filing
                **{f"application.{a}": ("window",) for a in TRANSITIONS},
                # Cases (工单): a 办不成事 complaint is filed at a kiosk, a window or on the
                # mobile page ("public": the console only); its steps at a window or by a
                # manager in the console ("manager": the console only, never a bus role).
                "complaint.file": ("kiosk", "window", "public"),
                "case.step": ("window", "manager")}
CASE_ACTIONS = ("complaint.file", "case.step")
AUDITED_ACTIONS = WINDOW_ACTIONS + (REQUEUE, NOTICE, FACE_VERIFY)
WRONG_LOGIN = "工号或密码错误（管理人员账号不能登录窗口）"
AUDITED_ARGS = ("outcome", "reason", "to_category", "to_window", "staff")
KEEP_RESPONSES_S = 2 * 86400      # how long a repeated transaction still gets its first answer
HISTORY_WEEKS = 4                 # past weeks whose same weekday teaches the wait estimates
REFUSALS_WRITTEN = 5              # refused requests audited per client and minute; the rest counted
MAX_MATERIALS = 50                # in one notice (the bus schema's maxItems)
POPULAR_DAYS = 30                 # "most asked": tickets per item over this many days
KEEP_DELIVERED_S = 7 * 86400      # records the province acknowledged are kept this long

Listener = Callable[[str, str, dict], None]


class HallService:
    def __init__(self, config: HallConfig, db_path: str, *, clock: Callable[[], float] = time.time,
                 sender=None):
        self.config = config
        self.clock = clock
        self._lock = threading.RLock()
        self._listeners: list[Listener] = []
        self.refusals = RefusalCounter()
        self.store = Store(db_path)
        self.db_path = db_path
        self.staff = StaffDirectory(db_path)
        self.login_limits = LoginLimiter()   # the bus's window logins; the web console's too
        self.pair_guard = GuessLimiter()     # kiosks' number + last-four misses (the web: per address)
        self.calendar = WorkingDays.for_hall(config)   # the one working-day calendar
        self.line: dict | None = None       # a site's line to the county (set_line)
        self._id_key, self._link_secret = self.store.secrets()
        # The catalogue as the file ships it, with the console's changes put over it.
        self.config = edited_config(config, self.store.catalogue_changes())
        # What the county changed of the config (a site's `config` records) over the file.
        self.config = county_part.with_overlay(self.config, db_path)
        self.catalogue = CatalogueDesk(self)
        self._load(clock())
        self.engine.changes = Changes()
        self.bookings = BookingDesk(self)
        self.applications = ApplicationDesk(self, sender)   # sender: the citizens' SMS (senders.py)
        self.ratings = RatingDesk(self, sender)
        self.province = ProvinceRecords(config, self.store.db, clock)
        self.cases = CaseDesk(self)
        self.sync = SiteOutbox(self.config, self.store)     # what a site owes its county

    @property
    def id_key(self) -> bytes:
        """The key of the ID number hashes (identity.py)."""
        return self._id_key

    @contextmanager
    def exclusive(self):
        """The hall's lock and one SQLite transaction: what a booking holds while it counts
        the seats left and writes (the booking desk's one door to the store)."""
        with self._lock, self.store.transaction():
            yield self.store

    def opens_on(self, day: dt.date) -> bool:
        """Whether the hall opens on `day` (its weekdays and the working-day calendar)."""
        return self.config.hours.opens_on(day.isoweekday(), self._day_kind(day))

    def _day_kind(self, day: dt.date) -> str:
        """What the calendar says `day` is, for the engine's opening hours. A year the
        installed calendar does not know is judged by its weekday, loudly (docs/catalog.md
        says how to update the calendar each year)."""
        try:
            return self.calendar.day_kind(day)
        except CalendarYearUnknown as e:
            log.warning("opening days by weekday only: %s", e)
            return "ordinary"

    def _load(self, now: float, events: list | None = None) -> None:
        """(Re)build the day from the database: at start, and after a failed batch, when
        every state is republished with the events that did commit."""
        engine = HallEngine(self.config, self._link_secret, now, day_kind=self._day_kind)
        with self.store.transaction():
            self.store.cancel_stale(engine.date, now)
        engine.resume(*self.store.load_day(engine.date))
        self._learn_history(engine)
        engine.changes.events = events or []
        self.engine = engine
        self._open = engine.is_open(now)
        self._states = self._all_states(now)

    def _learn_history(self, engine: HallEngine) -> None:
        """The same weekday of the last HISTORY_WEEKS weeks, for the wait estimates."""
        today = dt.date.fromisoformat(engine.date)
        days = history_days(today, HISTORY_WEEKS)
        rows = self.store.tickets(f"date IN ({', '.join('?' * len(days))})", days)
        opened = len({t.date for t in rows})
        if opened:
            engine.learn_history(history_of(rows, opened, issuing_hours(self.config.hours)))

    def close(self) -> None:
        self.store.close()
        self.staff.close()

    # ------------------------------------------------------------------ requests
    def add_listener(self, fn: Listener) -> None:
        """fn(kind, suffix, payload) after each commit: ("event", "event/call", {...}), then
        ("state", "queue/a/state", {...}) for changed retained states. Called under the
        service's lock, in commit order: keep it short (hand the message to a queue)."""
        self._listeners.append(fn)

    def remove_listener(self, fn: Listener) -> None:
        """Stop telling fn (a console that stops); unknown listeners are ignored."""
        with self._lock:
            if fn in self._listeners:
                self._listeners.remove(fn)

    def handle(self, role: str, client_id: str, action: str, args: dict, *,
               channel: str = "mqtt") -> dict:
        return self.handle_batch([(role, client_id, action, args)], channel=channel)[0]

    def handle_batch(self, requests: list[tuple], *, channel: str = "mqtt") -> list[dict]:
        """Run requests (role, client_id, action, args[, channel]) in one transaction."""
        requests = [tuple(r) + (channel,) * (5 - len(r)) for r in requests]
        staff = [self._credentials(r) for r in requests]   # argon2 outside the hall lock
        with self._lock:
            now = self.clock()
            self._broken = False
            try:
                with self.store.transaction():
                    if self.engine.roll_day(now):
                        self._after_roll(now)
                    responses = [self._one(now, *r, staff=s) for r, s in zip(requests, staff)]
            except Exception:   # the disk failed (or a bug outside an action): nothing is kept
                log.exception("batch failed; the day is reloaded from the database")
                self.applications.drop()
                self.ratings.drop()
                self._load(now)
                self._publish(now)
                return [_error(_txn(r[3]), EngineError("internal")) for r in requests]
            if self._broken:
                self._load(now, self.engine.changes.events)
            self._publish(now)
            self.applications.flush()     # the citizens' messages, once their changes are kept
            self.ratings.flush()
            return responses

    def _credentials(self, request: tuple) -> Staff | float | None:
        """The account a window.login opens, None, or (bus logins, too many wrong passwords)
        the seconds before that window may try this account again."""
        role, client_id, action, args, channel = request
        if action != "window.login" or not isinstance(args, dict):
            return None
        account = args.get("staff")
        limited = channel == "mqtt" and isinstance(account, str)   # the console limits its own
        source = f"bus:{role}-{client_id}"
        wait = self.login_limits.attempt(account, source) if limited else 0.0
        if wait:
            return wait
        staff = self.staff.verify(account, args.get("password"))
        if staff is None or staff.role != "window":
            # Only window accounts log in at a window: a manager's or admin's password opens
            # the console and never travels on the bus. Refused like a wrong password, so
            # the answer does not tell a guesser he found it.
            return None
        if limited:
            self.login_limits.succeeded(account, source)
        return staff

    def _one(self, now: float, role: str, client_id: str, action: str, args: object,
             channel: str, *, staff: Staff | None) -> dict:
        if not isinstance(args, dict):
            return _error(None, EngineError("bad_request", "请求内容应为对象"))
        txn = args.get("transaction")
        if txn is not None and not isinstance(txn, str):
            return _error(None, EngineError("bad_request", "transaction 应为字符串"))
        if txn is not None:
            kept = self.store.response(role, client_id, txn)
            if kept is not None:
                return kept
        try:
            self._authorize(role, client_id, action)
        except EngineError as e:   # an unlisted id or a wrong role: nothing kept but a sample
            if self.refusals.count(role, client_id, now) and action in WINDOW_ACTIONS and role == "window":
                self._audit(now, client_id, action, args, _error(txn, e), channel, staff)
            return _error(txn, e)
        events_before = len(self.engine.changes.events)
        try:
            if action.startswith("application."):
                data = self.applications.act(now, role, client_id, action, args)
            elif action in CASE_ACTIONS:
                data = self.cases.act(now, role, client_id, action, args, channel)
            else:
                data = getattr(self, "_do_" + action.replace(".", "_"))(
                    now, client_id, args, role=role, channel=channel, staff=staff)
            response = {"transaction": txn, "status": "ok", "data": data}
        except EngineError as e:
            response = _error(txn, e)
        except Exception:   # a bug must cost one answer, never the hall
            log.exception("%s %s failed", role, action)
            self._broken = True
            self.engine.changes.take_rows()
            del self.engine.changes.events[events_before:]
            return _error(txn, EngineError("internal"))
        self._write_rows()
        if action in AUDITED_ACTIONS and role == "window":
            self._audit(now, client_id, action, args, response, channel, staff)
        if txn is not None:
            self.store.keep_response(role, client_id, txn, response, now)
        return response

    def _authorize(self, role: str, client_id: str, action: str) -> None:
        allowed = ROLE_ACTIONS.get(action)
        if allowed is None:
            raise EngineError("bad_request", "没有这个操作")
        if role not in allowed or role == "window" and self.config.window(client_id) is None:
            raise EngineError("forbidden")
        if role == "manager" and not self._is_manager(client_id):
            raise EngineError("forbidden")
        if role == "kiosk" and not self._is_kiosk(client_id):
            # Only the hall's own kiosks (hosts with role kiosk) hand out tickets: a stray or
            # mistyped client cannot fill the queue under a name nobody configured.
            raise EngineError("forbidden", f"取号机 {client_id} 没有登记，请在大厅配置的 hosts 中添加")

    def _is_manager(self, staff_id: str) -> bool:
        account = self.staff.get(staff_id)
        return account is not None and account.active and account.role in ("manager", "admin")

    def _is_kiosk(self, client_id: str) -> bool:
        host = self.config.host(client_id)
        return host is not None and host.role == "kiosk"

    def _write_rows(self) -> None:
        tickets, windows = self.engine.changes.take_rows()
        self.store.write_tickets(tickets)
        if windows:
            self.store.write_windows([self.engine.slots[w] for w in windows])

    def _audit(self, now, window_id, action, args, response, channel, staff) -> None:
        slot = self.engine.slots.get(window_id)
        details = {k: args[k] for k in AUDITED_ARGS if isinstance(args.get(k), str)}
        details["result"] = response["status"] if response["status"] == "ok" \
            else response["error"]["code"]
        ticket = (response.get("data") or {}).get("ticket") or {}
        if ticket:    # what became of the ticket: a 重呼 past the limit is a no-show
            details["ticket_status"] = ticket["status"]
        notice = (response.get("data") or {}).get("notice") or {}
        if notice:
            details.update(notice=notice["number"], item=notice["item"],
                           materials=len(notice["materials"]))
            ticket = {"number": notice["ticket"]}
        who = staff.staff_id if isinstance(staff, Staff) else args.get("staff") if action == "window.login" \
            else slot.staff if slot else None
        self.store.add_audit(now, self.engine.date, who if isinstance(who, str) else None,
                             window_id, action, ticket.get("number"), details, channel)

    # ------------------------------------------------------------------ actions
    def _ticket(self, t, now: float | None = None) -> dict:
        return ticket_view(self.engine, t, self.clock() if now is None else now)

    def _person(self, identity: object):
        """What may be kept of the citizen in a request (None when the request names nobody)."""
        if identity is None:
            return None
        return read_identity(identity, self._id_key, dt.date.fromisoformat(self.engine.date))

    def _do_ticket_issue(self, now, client_id, args, **_):
        if args.get("appointment") is not None:
            return self._do_appointment_checkin(now, client_id, {"code": args["appointment"]})
        item = self._check_item(args.get("category"), args.get("service"))
        if getattr(item, "face_check", False):
            self._check_item_face(args)
        t = self.engine.issue(now, args.get("category"), priority=args.get("priority", "normal"),
                              service=args.get("service"), person=self._person(args.get("identity")),
                              kiosk=client_id, face_check=args.get("face_check"))
        return {"ticket": self._ticket(t, now)}

    def _do_ticket_requeue(self, now, client_id, args, *, role="kiosk", **_):
        t = self.engine.requeue(now, args.get("number"))
        # At a kiosk anyone can type any number: the answer opens no more than ticket.lookup.
        if role == "kiosk":
            return {"ticket": citizen_view(self.engine, t, now)}
        return {"ticket": self._ticket(t, now)}

    def _do_ticket_lookup(self, now, client_id, args, **_):
        return {"ticket": citizen_view(self.engine, self.engine.lookup(args.get("number")), now)}

    def _do_appointment_checkin(self, now, client_id, args, *, role="kiosk", **_):
        code, identity = args.get("code"), args.get("identity")
        if code is not None:
            booked = self.store.appointment(code) if isinstance(code, str) else None
            if booked is not None and booked["cancelled_at"]:
                raise EngineError("unknown_ticket", "这个预约已经取消")
        elif identity is not None:
            person = self._person(identity)
            booked = self.store.appointment_of(self.engine.date, person.id_hash)
        else:
            raise EngineError("bad_request", "请输入预约码或刷身份证")
        if booked is None:
            raise EngineError("unknown_ticket", "没有找到今天的预约")
        if booked["date"] != self.engine.date:
            day = dt.date.fromisoformat(booked["date"])
            raise EngineError("wrong_day", f"您预约的是{day.month}月{day.day}日，请在那天来签到")
        if booked["checked_in"] and booked["ticket_id"] in self.engine.tickets:
            # Checked in before: the same ticket, flagged so a kiosk does not print it twice.
            return {"ticket": self._ticket(self.engine.tickets[booked["ticket_id"]], now),
                    "checked_in_before": True}
        t = self.engine.check_in(now, booked, kiosk=client_id if role == "kiosk" else None,
                                 serving=self.bookings.serving(now))
        self.store.check_in(booked["code"], t.id)
        return {"ticket": self._ticket(t, now)}

    def _check_item(self, category: object, service: object):
        """A ticket for an item: an offered item (or bundle) of the catalogue, in that
        category (a made-up code would show at the window as a name nobody knows).
        The catalogue's entry, or None for a ticket without an item."""
        catalog = self.config.catalog
        if service is None or catalog is None:
            return None
        entry = catalog.get(service) if isinstance(service, str) else None
        if entry is None or entry.retired or entry.category != category:
            raise EngineError("bad_request", "本业务没有这个事项")
        return entry

    @staticmethod
    def _check_item_face(args: dict) -> None:
        """An item filed after 人脸核验 (face_check in the catalogue), whatever its category
        asks: the card read and the check's result, as for a face_verify category."""
        if args.get("identity") is None:
            raise EngineError("bad_request", "此事项需要刷身份证取号")
        if args.get("face_check") is None:
            raise EngineError("bad_request", "此事项需要人证核验")

    def _do_notice_issue(self, now, window_id, args, *, staff, **_):
        """一次性告知书 for the item of the ticket the window is calling or serving."""
        slot = self.engine.slots[window_id]
        t = self.engine.held(slot)
        if t is None:
            raise EngineError("conflict", "请先叫号，再出具告知书")
        catalog = self.config.catalog
        item = catalog.item(t.service) if catalog is not None and t.service else None
        if item is None:
            raise EngineError("conflict", "这个号没有选择办理事项，不能出具告知书")
        names = args.get("materials")
        if not isinstance(names, list) or not 0 < len(names) <= MAX_MATERIALS or \
                not all(isinstance(n, str) for n in names) or len(set(names)) != len(names):
            raise EngineError("bad_request", "请勾选所缺的材料（每项一次）")
        problem = missing_problem(item, names)
        if problem:          # not this ticket's item's: the window's state decides, not the form
            raise EngineError("conflict", problem)
        row = self.store.add_notice({
            "token": secrets.token_urlsafe(24), "date": self.engine.date, "item": item.code,
            "materials": [m.name for m in item.materials if m.name in names],
            "ticket_id": t.id, "ticket": t.number, "window": window_id,
            "staff": slot.staff, "created_at": now})
        # The window's state goes out again: the phone following this ticket shows the notice.
        self.engine.changes.window_states.add(window_id)
        return {"notice": self._notice_view(row)}

    def _do_ticket_face_verify(self, now, window_id, args, **_):
        """人工核验通过 for the ticket the window is calling or serving."""
        held = self.engine.held(self.engine.slots[window_id])
        t = self.engine.verify_face_by_staff(now, window_id,
                                             held is not None and self._face_needed(held))
        return {"ticket": self._ticket(t, now), "face_check": face_view(t)}

    def _face_needed(self, t) -> bool:
        """Its category asks for 人证核验, or its catalogue item does, or a kiosk did one."""
        catalog = self.config.catalog
        item = catalog.item(t.service) if catalog is not None and t.service else None
        return (t.face_check is not None or self.engine.categories[t.category].face_verify
                or bool(item and item.face_check))

    def face_at_window(self, window_id: str) -> dict | None:
        """The 人证核验 of the ticket the window holds, for its caller; None when no ticket is
        held or its holder need not be verified."""
        with self._lock:
            slot = self.engine.slots.get(window_id)
            t = self.engine.held(slot) if slot is not None else None
            return face_view(t) if t is not None and self._face_needed(t) else None

    def _notice_view(self, row: dict) -> dict:
        return {"number": row["number"], "item": row["item"], "materials": row["materials"],
                "ticket": row["ticket"], "url": self.notice_url(row["token"]),
                **({"application": row["application"]} if row.get("application") else {})}

    def notice_url(self, token: str) -> str:
        return f"{self.config.server.public_url.rstrip('/')}/n/{token}"

    def _do_notice_lookup(self, now, client_id, args, **_):
        """The item only: a number typed at a kiosk opens nothing else of the notice."""
        number = args.get("number")
        row = self.store.notice("number", number) if isinstance(number, str) else None
        if row is None:
            raise EngineError("unknown_ticket", NOTICE_UNKNOWN)
        return {"notice": {"number": row["number"], "item": row["item"]}}

    def _do_catalog_popular(self, now, client_id, args, **_):
        since = dt.date.fromisoformat(self.engine.date) - dt.timedelta(days=POPULAR_DAYS)
        return {"counts": self.store.item_counts(since.isoformat())}

    def _do_evaluation_submit(self, now, client_id, args, *, role, channel, **_):
        return self.ratings.submit(now, role, client_id, args, via=channel)

    def _do_evaluation_last(self, now, client_id, args, **_):
        return self.ratings.last_service(args.get("identity"))

    def _window_reply(self, slot_id: str, now: float, t=None) -> dict:
        data = {"window": window_state(self.engine, slot_id, now)}
        if t is not None:
            data["ticket"] = self._ticket(t, now)
        return data

    def _do_window_login(self, now, window_id, args, *, staff, **_):
        if not isinstance(args.get("staff"), str) or not isinstance(args.get("password"), str):
            raise EngineError("bad_request", "请输入工号和密码")
        if isinstance(staff, float):
            raise EngineError("forbidden", f"密码错误次数过多，请{math.ceil(staff)}秒后再试")
        if staff is None:
            raise EngineError("forbidden", WRONG_LOGIN)
        self.engine.login(now, window_id, staff.staff_id, mask_name(staff.name))
        return self._window_reply(window_id, now)

    def _do_window_logout(self, now, window_id, args, **_):
        self.engine.logout(now, window_id)
        return self._window_reply(window_id, now)

    def _do_window_pause(self, now, window_id, args, **_):
        self.engine.pause(now, window_id, _short_text(args.get("reason"), "暂停原因"))
        return self._window_reply(window_id, now)

    def _do_window_resume(self, now, window_id, args, **_):
        self.engine.resume_window(now, window_id)
        return self._window_reply(window_id, now)

    def _do_window_call_next(self, now, window_id, args, **_):
        return self._window_reply(window_id, now, self.engine.call_next(now, window_id))

    def _do_window_recall(self, now, window_id, args, **_):
        return self._window_reply(window_id, now, self.engine.recall(now, window_id))

    def _do_window_skip(self, now, window_id, args, **_):
        return self._window_reply(window_id, now, self.engine.skip(now, window_id))

    def _do_window_start(self, now, window_id, args, **_):
        return self._window_reply(window_id, now, self.engine.start(now, window_id))

    def _do_window_finish(self, now, window_id, args, **_):
        t = self.engine.finish(now, window_id, args.get("outcome", "done"),
                               _short_text(args.get("reason"), "未办成原因"))
        self.ratings.ticket_finished(t)
        return self._window_reply(window_id, now, t)

    def _do_window_transfer(self, now, window_id, args, **_):
        t = self.engine.transfer(now, window_id, args.get("to_category"), args.get("to_window"))
        return self._window_reply(window_id, now, t)

    # ------------------------------------------------------------------ states
    def _all_states(self, now: float) -> dict[str, dict]:
        states = {f"queue/{c}/state": queue_state(self.engine, c, now)
                  for c in self.engine.categories}
        states.update({f"window/{w}/state": window_state(self.engine, w, now)
                       for w in self.engine.slots})
        states["hall/state"] = self._hall_state(now)
        return states

    def _hall_state(self, now: float) -> dict:
        state = hall_state(self.engine, now)
        return {**state, "line": self.line} if self.line is not None else state

    def county_config(self, body: dict, at: float) -> list[str]:
        """A `config` record of the county (docs/sync.md): its sections newer than the
        overlay's are kept there; ratings and case deadlines take effect at once, the rest at
        the next start. A bad or foreign section: refused and logged, nothing changed.
        The sections changed."""
        try:
            values, changed = county_part.accept(self.db_path, body.get("hall"), at)
        except ConfigError as exc:
            log.warning("the county's config change was refused:\n%s", exc)
            return []
        self.config = county_part.with_changes(self.config, {
            key: value for key, value in values.items() if key in county_part.LIVE})
        later = [key for key in changed if key not in county_part.LIVE]
        if later:
            log.warning("the county changed %s: in effect when the server restarts",
                        ", ".join(later))
        return changed

    def set_line(self, line: dict) -> None:
        """A site's line to its county (state up | down | unknown, backlog, oldest,
        last_sync), shown in the retained hall state: the kiosk says what needs the line."""
        with self._lock:
            if line == self.line:
                return
            self.line = line
            self.engine.changes.hall = True
            self._publish(self.clock())

    def run(self, fn: Callable[[float], None]) -> None:
        """`fn(now)` under the hall's lock in one transaction, then the states and messages
        it changed are told (records received from the county)."""
        with self._lock:
            now = self.clock()
            try:
                with self.store.transaction():
                    fn(now)
            except Exception:
                self.applications.drop()
                self._load(now)
                raise
            self._publish(now)
            self.applications.flush()

    def _publish(self, now: float) -> None:
        """Recompute only what changed, then tell the listeners: events first, so that a
        call reaches the LED and the speaker before the three or so states that follow it
        (call -> event/call p50 1.17x lower on the embedded broker, docs/bench/bus.md);
        a display that shows calls from the states gets the same text a moment later."""
        changes = self.engine.changes
        changes.window_states |= changes.window_rows
        self.engine.changes = Changes()
        changed = self._queue_states(changes, now)
        changed.update({f"window/{w}/state": window_state(self.engine, w, now)
                        for w in sorted(changes.window_states)})
        if changes.hall:
            changed["hall/state"] = self._hall_state(now)
        self._states.update(changed)
        messages = [("event", f"event/{name}", _worded(name, payload))
                    for name, payload in changes.events]
        messages += [("state", k, v) for k, v in changed.items()]
        for kind, suffix, payload in messages:
            for fn in self._listeners:
                try:
                    fn(kind, suffix, payload)
                except Exception:
                    log.exception("listener failed on %s", suffix)

    def _queue_states(self, changes: Changes, now: float) -> dict[str, dict]:
        """The queue states to send: those the change touched, and, since the look-ahead ties
        every queue's wait estimate to the whole hall, any other whose estimate moved."""
        touched = changes.categories or changes.window_states or changes.hall
        out = {}
        for c in sorted(self.engine.categories):
            if c in changes.categories or touched:
                key, state = f"queue/{c}/state", queue_state(self.engine, c, now)
                if c in changes.categories or _moved(self._states.get(key), state):
                    out[key] = state
        return out

    def retained_states(self) -> dict[str, dict]:
        with self._lock:
            return {k: dict(v) for k, v in self._states.items()}

    def tick(self, now: float | None = None) -> None:
        """Call about once a second: midnight reset, opening and closing of the hall."""
        with self._lock:
            now = self.clock() if now is None else now
            try:
                if self.engine.clock.date(now) > self.engine.date:
                    with self.store.transaction():
                        self.engine.roll_day(now)
                        self._after_roll(now)
            except Exception:   # the bus calls this every second: log, reload, never raise
                log.exception("daily reset failed; the day is reloaded from the database")
                self._load(now)
            is_open = self.engine.is_open(now)
            if is_open != self._open:
                self._open = is_open
                self.engine.changes.categories |= set(self.engine.categories)
                self.engine.changes.hall = True
            self._publish(now)

    def _after_roll(self, now: float) -> None:
        self._write_rows()
        self._learn_history(self.engine)
        self.store.forget_responses(now - KEEP_RESPONSES_S)
        self.province.forget_delivered(now - KEEP_DELIVERED_S)   # never what is still owed
        self.store.forget_phones(self.engine.date)    # a booking's phone lives to its day's end
        self.applications.purge(self.engine.date)     # personal data past its item's retention
        self.cases.purge(self.engine.date)            # complaints' phone numbers, once finished
        self.sync.day_rolled(self.store, self.engine.date, now)   # a site: the day's figures

    # ------------------------------------------------------------------ queries
    def ticket_by_token(self, token: str) -> dict | None:
        """The ticket behind a mobile page link, or None."""
        if not isinstance(token, str):
            return None
        with self._lock:
            rows = self.store.tickets("token = ?", [token])
            if not rows:
                return None
            return self._ticket(self.engine.tickets.get(rows[0].id, rows[0]))

    def rating_of_ticket(self, token: str) -> dict | None:
        """The rating of the ticket behind a mobile link, as its giver sees it, or None."""
        with self._lock:
            rows = self.store.tickets("token = ?", [token]) if isinstance(token, str) else []
            row = self.store.evaluation_of(rows[0].id) if rows else None
            return public_view(row, self.config.ratings.change_minutes) if row else None

    def notice_by_token(self, token: object) -> dict | None:
        """The notice behind a mobile link (its number, item, materials, ticket), or None."""
        if not isinstance(token, str):
            return None
        with self._lock:
            row = self.store.notice("token", token)
            return dict(self._notice_view(row), date=row["date"]) if row else None

    def notices_of_ticket(self, number: str, date: str) -> list[dict]:
        """The notices given on a ticket (for the ticket's mobile page)."""
        with self._lock:
            rows = self.store.tickets("date = ? AND number = ?", [date, number])
            return [self._notice_view(r) for r in self.store.notices_of_ticket(rows[0].id)] \
                if rows else []

    def tickets_of_day(self, date: str | None = None) -> list[dict]:
        with self._lock:
            now = self.clock()
            if date is None or date == self.engine.date:
                tickets = sorted(self.engine.by_number.values(), key=lambda t: t.id)
            else:
                tickets = self.store.tickets("date = ?", [date])
            return [{**self._ticket(t, now), **({"face_check": face_view(t)} if t.face_check else {})}
                    for t in tickets]

    def evaluations(self, date_from: str | None = None, date_to: str | None = None, *,
                    bad_only: bool = False, window: str | None = None) -> list[dict]:
        with self._lock:
            return self.store.evaluations(date_from, date_to, bad_only, window)

    def audit_log(self, date: str | None = None, *, window: str | None = None,
                  staff: str | None = None, limit: int = 1000) -> list[dict]:
        """Newest first."""
        with self._lock:
            return self.store.audit(date, window, staff, limit)

    def rectify_evaluation(self, evaluation_id: int, record: dict, staff: str,
                           channel: str = "web") -> dict:
        """Keep a manager's rectification of a bad rating, and audit it; LookupError if
        there is no such bad rating."""
        with self._lock:
            now = self.clock()
            with self.store.transaction():
                row = self.store.rectify_evaluation(evaluation_id, record, staff, now)
                if row is None:
                    raise LookupError("没有这条差评")
                self.store.add_audit(now, self.engine.date, staff, row["window"],
                                     "evaluation.rectify", row["ticket"], record, channel)
        return {"id": evaluation_id, "rectified_at": now, "rectified_by": staff,
                "rectification": record}

    def window_seats(self) -> dict[str, dict]:
        """Who sits at each window now (staff id, masked name), its state, and since when."""
        with self._lock:
            return {s.id: {"staff": s.staff, "staff_name": s.staff_name, "state": s.state,
                           "since": s.since} for s in self.engine.slots.values()}

    @property
    def date(self) -> str:
        return self.engine.date

    # ------------------------------------------------------------------ appointments
    def book_appointment(self, category: str, date: str, slot: str,
                         identity: dict | None = None) -> str:
        """A booking written without the booking page's checks (tests, the screenshot
        tour, a console check-in of a phoned-in booking); returns its code."""
        if self.config.category(category) is None:
            raise EngineError("unknown_category")
        try:
            dt.date.fromisoformat(date)
        except (TypeError, ValueError):
            raise EngineError("bad_request", "预约日期有误") from None
        if not isinstance(slot, str) or not slot:
            raise EngineError("bad_request", "预约时段有误")
        with self._lock:
            person = self._person(identity)
        return self.bookings.insert({
            "category": category, "date": date, "slot": slot,
            "name_masked": person.name_masked if person else None,
            "id_hash": person.id_hash if person else None,
            "id_last4": person.id_last4 if person else None,
            "created_at": self.clock(), "checked_in": 0, "ticket_id": None})


def _worded(event: str, payload: dict) -> dict:
    """An engine event with the words people hear and read (the engine knows no words)."""
    if event == "call":
        return {**payload, "text": call_sentence(payload["ticket"], payload["window_name"])}
    return payload


def face_view(t) -> dict:
    """A ticket's 人证核验 as staff see it: the result (pass, fail, staff, not_done), and for
    人工核验通过 who and when. Never more than the kiosk recorded (no image ever was)."""
    check = t.face_check or {}
    view = {"ticket": t.number, "result": face_result(check)}
    view.update((k, check[k]) for k in ("staff", "at") if k in check)
    return view


class RefusalCounter:
    """Refused requests per client: counted, and only the first REFUSALS_WRITTEN of each
    client in a minute are written to the audit log (a flood from a made-up client id must
    not fill the disk). Bounded: the clients of the current minute only."""

    def __init__(self):
        self.total = 0
        self._minute: float = -1
        self._this_minute: dict[tuple[str, str], int] = {}

    def count(self, role: str, client_id: str, now: float) -> bool:
        """Count one refusal; whether it is one to write down."""
        self.total += 1
        if now // 60 != self._minute:
            self._minute, self._this_minute = now // 60, {}
        key = (role, client_id)
        seen = self._this_minute[key] = self._this_minute.get(key, 0) + 1
        return seen <= REFUSALS_WRITTEN


def _txn(args: object):
    return args.get("transaction") if isinstance(args, dict) else None


def _error(txn, e: EngineError) -> dict:
    return {"transaction": txn, "status": "error", "error": e.as_dict()}


def _short_text(value: object, what: str, limit: int = 100) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > limit:
        raise EngineError("bad_request", f"{what}应为不超过{limit}字的文字")
    return value.strip() or None


def _moved(before: dict | None, after: dict) -> bool:
    """A state says something new (its time stamp aside)."""
    return before is None or {k: v for k, v in before.items() if k != "ts"} != \
        {k: v for k, v in after.items() if k != "ts"}
