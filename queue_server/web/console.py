"""The console's state and its bridge to the HallService (the only place that calls it).

Service calls block on SQLite's fsync, so they run on a small thread pool, never on the
event loop. Changes from the service arrive on its threads and are handed to the loop.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import functools
import logging
import uuid
from concurrent.futures import ThreadPoolExecutor
from zoneinfo import ZoneInfo

from drivers.card_reader.idnumber import mask_name
from hall.protocol.schema import actions

from ..cases import figures
from . import alerts, charts, stats
from ..guess_limits import GuessLimiter
from .auth import LoginSession, SessionStore
from .hub import LiveHub
from .planning import TomorrowPlans
from .records import ConsoleRecords, rectification_of

log = logging.getLogger(__name__)

DASHBOARD_REFRESH_S = 5.0      # waits grow without events: refresh the managers' figures anyway
DASHBOARD_SETTLE_S = 0.15      # merge a burst of changes into one recomputation
# What a clerk does from the caller page: the contract's window actions but logging in and
# out (they go with the console's login), 过号重排 of a ticket by its number, and the
# one-time notice (一次性告知) of the called ticket's item, and 人工核验通过 of its holder.
WINDOW_ACTIONS = tuple(a for a in actions("window") if a not in ("login", "logout")) + (
    "requeue", "face_verify")
SERVICE_ACTIONS = {"requeue": "ticket.requeue",      # the rest are window.<action>
                   "notice": "notice.issue", "face_verify": "ticket.face_verify"}


class ActionError(Exception):
    """An answer of the service with status "error" (code from the bus contract)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


class Console:
    def __init__(self, service, config):
        self.service, self.clock = service, service.clock
        self.zone = ZoneInfo(config.timezone)
        self.sessions = SessionStore()
        self.behind_tls = config.server.console_behind_tls   # Secure cookies and HSTS
        self.link_guard = GuessLimiter()
        # Booking page: wrong booking code + last four digits, and bookings made, per address.
        self.booking_misses = GuessLimiter(misses=20)
        self.bookings_made = GuessLimiter(misses=30)
        self.complaints_made = GuessLimiter(misses=10)      # 办不成事 complaints from phones, per address
        self.records = ConsoleRecords(service.store.path)
        self.county_sites = None     # web/sites.py: the county store, opened when first asked
        self.hub: LiveHub | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="console-db")
        self._feed: asyncio.Task | None = None
        self.category_names = {c.id: c.name for c in config.categories}
        self.window_names = {w.id: w.name for w in config.windows}
        self.plans = TomorrowPlans(service, config)

    @property
    def config(self):
        """The service's config: its catalogue changes when a manager edits an item."""
        return self.service.config

    # -- lifecycle (on the console's loop) -------------------------------------------------
    async def start(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.hub = LiveHub()
        self.hub.load(await self.call(self.service.retained_states))
        self.service.add_listener(self._from_service)
        self._feed = asyncio.ensure_future(self._dashboard_feed())

    async def stop(self) -> None:
        self.service.remove_listener(self._from_service)
        self.plans.stop()
        if self._feed:
            self._feed.cancel()
        self._pool.shutdown(wait=True, cancel_futures=True)
        self.records.close()
        if self.county_sites is not None:
            self.county_sites.close()

    def _from_service(self, kind: str, suffix: str, payload: dict) -> None:
        loop = self.loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._apply, kind, suffix, payload)

    def _apply(self, kind: str, suffix: str, payload: dict) -> None:
        self.hub.apply(kind, suffix, payload)
        parts = suffix.split("/")
        if kind == "state" and parts[0] == "window" and len(parts) == 3:
            self._release_if_left(parts[1], payload)

    def _release_if_left(self, window: str, state: dict) -> None:
        """The window was logged out, or someone else logged in to it, elsewhere (its keypad,
        `yichuang window login`): the browsers that held it stop calling for it."""
        name = self.window_names.get(window, window)
        for session in self.sessions.of_window(window):
            if state.get("state") == "closed":
                self.release(session, f"{name}已在别处退出登录，本页已停止叫号")
            elif state.get("staff") != mask_name(session.name):
                self.release(session, f"{state.get('staff')}已在别处登录{name}，本页已停止叫号")

    def from_device_bus(self, key: str, part: str, payload: dict) -> None:
        """Called on the MQTT thread with a kiosk's or agent's status or device health."""
        loop = self.loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self.hub.apply_device, key, part, payload)

    async def call(self, fn, *args, **kwargs):
        return await self.loop.run_in_executor(self._pool, functools.partial(fn, *args, **kwargs))

    # -- time --------------------------------------------------------------------------------
    def today(self) -> str:
        return dt.datetime.fromtimestamp(self.clock(), self.zone).date().isoformat()

    # -- service actions --------------------------------------------------------------------
    async def act(self, role: str, client_id: str, action: str, args: dict) -> dict:
        """One request to the service as the web channel; ActionError on an error answer."""
        args = {"transaction": uuid.uuid4().hex, **args}
        answer = await self.call(self.service.handle, role, client_id, action, args, channel="web")
        if answer.get("status") != "ok":
            error = answer.get("error") or {}
            raise ActionError(error.get("code", "internal"), error.get("message", "操作失败"))
        return answer.get("data") or {}

    async def window_action(self, session: LoginSession, action: str, args: dict) -> dict:
        """An action for the window this browser holds, if its staff member still sits there."""
        window = session.window
        seated = ((await self.call(self.service.window_seats)).get(window) or {}).get("staff")
        if seated != session.staff:
            message = f"{self.window_names.get(window, window)}已在别处换人或退出登录，本页已停止叫号"
            self.release(session, message)
            raise ActionError("taken_over", message)
        name = action if action.startswith(("application.", "case.", "complaint.")) \
            else SERVICE_ACTIONS.get(action, f"window.{action}")
        return await self.act("window", window, name, args)

    # -- staff login at a window: one browser calls for a window at a time ----------------------
    def bind_window(self, session: LoginSession, window: str) -> list[LoginSession]:
        """Give `window` to `session`; the sessions that had it lose it (and are told so)."""
        displaced = [s for s in self.sessions.of_window(window) if s is not session]
        for other in displaced:
            self.release(other, f"{session.name}已在另一台电脑登录{self.window_names.get(window, window)}，本页已停止叫号")
        session.window = window
        return displaced

    # -- logged-in sessions: they last only as long as the account they were opened with -------
    async def session_of(self, token: str | None) -> LoginSession | None:
        """The session of a cookie: a logged-in one whose account has not changed since (its
        role, password, state: also by `yichuang staff` in another process), else an
        unstored visitor's one; None without a cookie."""
        if not token:
            return None
        session = self.sessions.get(token, self.clock())
        if session is None:
            return self.sessions.anonymous(token, self.clock())
        if await self.call(self.service.staff.stamp, session.staff) != session.stamp:
            self.end_session(session, "账号已变更，请重新登录")
            return self.sessions.anonymous(None, self.clock())
        return session

    def end_session(self, session: LoginSession, message: str) -> None:
        """Log the session out now; its open pages are told why and their streams end."""
        self.sessions.drop(session.token)
        self.hub.notify_session(session.token, "takeover", {"window": session.window, "message": message})
        self.hub.close_session(session.token)

    async def end_account(self, staff_id: str, message: str) -> None:
        """After an account change: its browsers are logged out, and the windows it holds
        (from a browser, a keypad or `yichuang window login`) are logged out on the bus."""
        for session in self.sessions.of_staff(staff_id):
            self.end_session(session, message)
        for window, slot in (await self.call(self.service.window_seats)).items():
            if slot.get("staff") == staff_id and slot.get("state") != "closed":
                try:
                    await self.act("window", window, "window.logout", {})
                except ActionError:
                    pass   # logged out meanwhile

    def release(self, session: LoginSession, message: str) -> None:
        """The session no longer calls for its window; its page is told why at once."""
        window, session.window = session.window, None
        self.hub.notify_session(session.token, "takeover", {"window": window, "message": message})

    # -- figures for the pages ------------------------------------------------------------------
    def window_summary(self, window: str) -> dict:
        """Blocking: the window's figures for today (run through call())."""
        return stats.window_figures(self._tickets(self.today()), window)

    def _tickets(self, date: str, last: str | None = None) -> list[dict]:
        return self.records.tickets(date, last or date)

    def evaluations(self, date_from: str, date_to: str, bad_only: bool = False) -> list[dict]:
        rows = self.service.evaluations(date_from=date_from, date_to=date_to, bad_only=bad_only)
        names = self.staff_names()       # full names: managers see them on the dashboard too
        # the citizen's ID hash never leaves the server; the phone shows masked (the 回访 reads it
        # through its case)
        return [dict({k: v for k, v in e.items() if k != "id_hash"}, rectification=rectification_of(e),
                     staff_name=names.get(e.get("staff") or ""),
                     phone=f"{e['phone'][:3]}****{e['phone'][-4:]}" if e.get("phone") else None)
                for e in rows]

    def staff_names(self) -> dict[str, str]:
        return {s.staff_id: s.name for s in self.service.staff.list()}

    def report(self, first: str, last: str) -> dict:
        """Blocking: totals per day, per category and per staff member over a date range."""
        tickets = self._tickets(first, last)
        evaluations = self.evaluations(first, last)
        days = sorted({t["date"] for t in tickets} | {e["date"] for e in evaluations})
        return {
            "from": first, "to": last,
            "totals": stats.day_totals(tickets, evaluations),
            "days": [{"date": d, **stats.day_totals([t for t in tickets if t["date"] == d],
                                                    [e for e in evaluations if e["date"] == d])} for d in days],
            "categories": [{"category": c.id, "name": c.name,
                            **stats.day_totals([t for t in tickets if t["category"] == c.id], [])}
                           for c in self.config.categories],
            "staff": stats.staff_figures(tickets, evaluations, self.staff_names()),
        }

    def case_figures(self, first: str, last: str, by: str) -> dict:
        """Blocking: ratings and cases of a date range by day, month, window, department or staff."""
        cases = self.service.cases.listing(live=False, first=first, last=last)
        return figures.figures(by, self._tickets(first, last), self.evaluations(first, last), cases,
                               functools.partial(figures.ticket_department, self.config), self.today())

    def rectify(self, evaluation_id: int, record: dict, staff: str) -> dict:
        return self.service.rectify_evaluation(evaluation_id, record, staff)

    def audit(self, session: LoginSession, action: str, details: dict) -> None:
        self.records.audit(self.clock(), self.today(), session.staff if session else None, action, details)

    def dashboard(self) -> dict:
        """Blocking: the managers' figures, alerts and charts of today."""
        now, today = self.clock(), self.today()
        tickets = self._tickets(today)
        evaluations = self.evaluations(today, today)
        categories = stats.category_figures(tickets, self.config.categories, now)
        names = self.staff_names()
        windows = self._windows(now, names)
        bad = [e for e in evaluations if e["level"] in stats.BAD_LEVELS]
        return {
            "ts": now, "date": today,
            "categories": categories,
            "windows": windows,
            "staff": stats.staff_figures(tickets, evaluations, names),
            "alerts": alerts.all_alerts(categories, windows, self.hub.devices, bad, self.window_names, now,
                                        self.service.applications.deadlines()["warnings"])
            + alerts.case_alerts(self.service.cases.warnings(), self.window_names),
            "totals": stats.day_totals(tickets, evaluations),
            "charts": {
                "hourly": charts.bar_chart(stats.hourly_pairs(stats.hourly_issued(tickets, self.zone)), unit="张"),
                "waits": charts.bar_chart(stats.wait_histogram(tickets), color="#d17a1f", unit="张"),
            },
        }

    async def tomorrow_plan(self) -> dict:
        """Tomorrow's expected tickets by hour and the windows they need (planning.py)."""
        today = dt.date.fromisoformat(self.today())
        plan = await self.plans.of(today + dt.timedelta(days=1))
        counts = [0] * 24
        for row in plan.get("hours", ()):
            counts[row["hour"]] = row["expected"]
        return dict(plan, chart=charts.bar_chart(stats.hourly_pairs(counts), color="#5b8c3a", unit="张"))

    def _windows(self, now: float, names: dict[str, str]) -> list[dict]:
        """Every window with its state, ticket, staff (full name: managers only) and idle time."""
        rows, stored = [], self.service.window_seats()
        for w in self.config.windows:
            state = self.hub.states.get(f"window/{w.id}/state") or {}
            slot = stored.get(w.id) or {}
            since = slot.get("since") or state.get("ts")
            rows.append({"window": w.id, "name": w.name, "state": state.get("state", "closed"),
                         "ticket": state.get("ticket"), "reason": state.get("reason"),
                         "staff": names.get(slot.get("staff") or "", slot.get("staff_name")),
                         "categories": state.get("categories", list(w.categories)),
                         "idle_s": round(now - since) if since and state.get("state") == "idle" else None})
        return rows

    async def _dashboard_feed(self) -> None:
        seen = -1
        while True:
            try:
                seen = await self.hub.wait_change(seen, DASHBOARD_REFRESH_S)
                if not self.hub.has_managers():
                    # Nobody watches: reading the whole day on every change would cost the
                    # server a core in a busy hall (and the bus its latency). The next
                    # manager to subscribe wakes this loop.
                    seen = self.hub.version
                    continue
                await asyncio.sleep(DASHBOARD_SETTLE_S)
                seen = self.hub.version
                self.hub.set_dashboard(await self.call(self.dashboard))
            except asyncio.CancelledError:
                raise
            except Exception:   # a failed query must not end the live feed
                log.exception("computing the dashboard failed")
                await asyncio.sleep(DASHBOARD_REFRESH_S)
