"""The JSON API under /api: every thing the console pages do, with the same role checks."""
from __future__ import annotations

import asyncio
import datetime as dt
import math
import re

from aiohttp import web

from ..staff import StaffError
from . import exports
from .console import WINDOW_ACTIONS, ActionError, Console
from .hub import sse_frame
from .keys import CONSOLE, NEW_SESSION, SESSION
from .routes import Registry

API = Registry()
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_REPORT_DAYS = 366
HEARTBEAT_S = 15.0
PING = b"event: ping\ndata: {}\n\n"   # a named event: the page's watchdog sees it, a comment it would not
TICKET_STATUS_TEXT = {"waiting": "等候中", "called": "请前往窗口", "serving": "正在办理", "done": "已办结",
                      "no_show": "已过号", "transferred": "已转移", "cancelled": "已作废"}
ERROR_STATUS = {"bad_request": 400, "forbidden": 403, "not_logged_in": 409, "unknown_ticket": 404,
                "unknown_category": 404, "unknown_window": 404, "internal": 500}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}

    @classmethod
    def of(cls, exc: ActionError) -> "ApiError":
        return cls(ERROR_STATUS.get(exc.code, 409), exc.code, exc.message)


def console(request: web.Request) -> Console:
    return request.app[CONSOLE]


async def body_of(request: web.Request) -> dict:
    try:
        body = await request.json()
    except ValueError:
        raise ApiError(400, "bad_request", "请求内容不是有效的 JSON") from None
    if not isinstance(body, dict):
        raise ApiError(400, "bad_request", "请求内容必须是 JSON 对象")
    return body


def text_arg(body: dict, name: str, *, required: bool = True, limit: int = 200) -> str | None:
    value = body.get(name)
    if value is None or value == "":
        if required:
            raise ApiError(400, "bad_request", f"缺少 {name}")
        return None
    if not isinstance(value, str) or len(value) > limit:
        raise ApiError(400, "bad_request", f"{name} 必须是不超过 {limit} 字的文字")
    return value.strip()


def date_arg(request: web.Request, name: str, default: str) -> str:
    value = request.query.get(name) or default
    try:
        if not _DATE.fullmatch(value):
            raise ValueError
        dt.date.fromisoformat(value)
    except ValueError:
        raise ApiError(400, "bad_request", f"{name} 须为 YYYY-MM-DD 格式的日期") from None
    return value


# -- session --------------------------------------------------------------------------------
LOGIN_BODY = {"type": "object", "required": ["staff", "password"], "properties": {
    "staff": {"type": "string", "description": "工号"}, "password": {"type": "string"},
    "window": {"type": "string", "description": "window id to call for (window staff)"}}}


@API.add("GET", "/api/session", "public", "The current session, with the CSRF token for the next POST")
async def get_session(request):
    return web.json_response(request[SESSION].public())


@API.add("POST", "/api/session", "public", "Log in, optionally at a window (takes the window over from "
         "any other browser); five wrong passwords in a row slow the account down", body=LOGIN_BODY)
async def login(request):
    c, body = console(request), await body_of(request)
    staff_id, password = text_arg(body, "staff", limit=32), text_arg(body, "password", limit=128)
    window = text_arg(body, "window", required=False, limit=32)
    if window and window not in c.window_names:
        raise ApiError(400, "bad_request", "没有这个窗口")
    address = request.remote or "?"
    wait = c.limiter.wait_s(staff_id, address, c.clock())
    if wait > 0:
        raise ApiError(429, "rate_limited", f"密码错误次数过多，请 {math.ceil(wait)} 秒后再试",
                       {"Retry-After": str(math.ceil(wait))})
    staff = await c.call(c.service.staff.verify, staff_id, password)
    if staff is None:
        c.limiter.failed(staff_id, address, c.clock())
        await c.call(c.records.audit, c.clock(), c.today(), staff_id, "console.login_failed",
                     {"address": address}, window)
        raise ApiError(401, "bad_credentials", "工号或密码错误")
    c.limiter.succeeded(staff_id, address)
    if staff.role == "window" and not window:
        raise ApiError(400, "bad_request", "请选择您所在的窗口")
    if window:
        try:
            await c.act("window", window, "window.login", {"staff": staff_id, "password": password})
        except ActionError as exc:
            raise ApiError.of(exc) from None
    session = c.sessions.login(request[SESSION], {"id": staff.staff_id, "name": staff.name, "role": staff.role},
                               c.clock())
    if window:
        displaced = c.bind_window(session, window)
        if displaced:
            await c.call(c.records.audit, c.clock(), c.today(), staff.staff_id, "console.takeover",
                         {"from": [s.staff for s in displaced]}, window)
    else:
        await c.call(c.audit, session, "console.login", {"address": address})
    request[NEW_SESSION] = session
    return web.json_response({**session.public(), "home": home_of(session)})


def home_of(session) -> str:
    if session.window:
        return "/caller"
    return "/manage" if session.role in ("manager", "admin") else "/login"


@API.add("DELETE", "/api/session", "window", "Log out (and log the window out when this browser holds it)")
async def logout(request):
    c, session = console(request), request[SESSION]
    if session.window:
        try:
            await c.act("window", session.window, "window.logout", {})
        except ActionError:
            pass   # the window was logged out elsewhere (keypad, takeover): nothing to undo
    c.sessions.drop(session.token)
    request[NEW_SESSION] = c.sessions.new(c.clock())
    return web.json_response({"ok": True})


# -- live state -----------------------------------------------------------------------------
@API.add("GET", "/api/state", "public", "The whole picture of the hall now (what /api/events starts with)")
async def state(request):
    return web.json_response(console(request).hub.snapshot())


@API.add("GET", "/api/events", "public", "Server-sent events: snapshot, then state, call, event, device, "
         "dashboard (managers) and takeover messages", produces="text/event-stream")
async def events(request):
    c, session = console(request), request[SESSION]
    audience = "manager" if session.role in ("manager", "admin") else "public"
    sub = c.hub.subscribe(audience, session.token)
    response = await _open_stream(request)
    try:
        while True:
            try:
                event, data = await asyncio.wait_for(sub.queue.get(), HEARTBEAT_S)
            except asyncio.TimeoutError:
                await response.write(PING)
                continue
            if event == "close":
                break
            await response.write(sse_frame(event, data))
    except ConnectionResetError:
        pass   # the page went away
    finally:
        c.hub.unsubscribe(sub)
    return response


async def _open_stream(request) -> web.StreamResponse:
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream; charset=utf-8",
                                           "Cache-Control": "no-store", "X-Accel-Buffering": "no"})
    await response.prepare(request)
    await response.write(b"retry: 1000\n\n")
    return response


# -- mobile ticket page -----------------------------------------------------------------------
def ticket_view(c: Console, t: dict) -> dict:
    """What the citizen's phone shows: no personal data, Chinese texts ready to show."""
    window = t.get("window")
    return {"number": t["number"], "category": c.category_names.get(t["category"], t["category"]),
            "status": t["status"], "status_text": TICKET_STATUS_TEXT.get(t["status"], t["status"]),
            "waiting_ahead": t.get("waiting_ahead"), "estimated_wait_s": t.get("estimated_wait_s"),
            "window": window, "window_name": c.window_names.get(window or "", window),
            "issued_at": t["issued_at"], "called_at": t.get("called_at"), "attempt": t.get("attempt", 0)}


async def _ticket(c: Console, token: str) -> dict:
    t = await c.call(c.service.ticket_by_token, token)
    if not t:
        raise ApiError(404, "unknown_ticket", "没有找到这张号票，请核对二维码")
    return ticket_view(c, t)


@API.add("GET", "/api/tickets/{token}", "public", "A ticket by the signed token of its QR code")
async def ticket(request):
    return web.json_response(await _ticket(console(request), request.match_info["token"]))


@API.add("GET", "/api/tickets/{token}/events", "public", "Server-sent events: the ticket each time it "
         "changes (position, estimated wait, called)", produces="text/event-stream")
async def ticket_events(request):
    c, token = console(request), request.match_info["token"]
    last = await _ticket(c, token)
    response = await _open_stream(request)
    await response.write(sse_frame("ticket", last))
    seen = c.hub.version
    try:
        while True:
            version = await c.hub.wait_change(seen, HEARTBEAT_S)
            if version == seen:
                await response.write(PING)
                continue
            seen = version
            view = await _ticket(c, token)
            if view != last:
                last = view
                await response.write(sse_frame("ticket", view))
    except ConnectionResetError:
        pass   # the phone went away
    return response


# -- window staff -------------------------------------------------------------------------------
@API.add("GET", "/api/window", "window", "The window this browser calls for: state and today's figures",
         window=True)
async def window_info(request):
    c, session = console(request), request[SESSION]
    w = c.config.window(session.window)
    figures = await c.call(c.window_summary, w.id)
    return web.json_response({"window": w.id, "name": w.name, "staff": session.name,
                              "categories": list(w.categories) or [x.id for x in c.config.categories],
                              "today": figures})


ACTION_BODY = {"type": "object", "properties": {
    "outcome": {"type": "string", "enum": ["done", "not_done"], "description": "finish"},
    "to_category": {"type": "string", "description": "transfer"},
    "to_window": {"type": "string", "description": "transfer"},
    "reason": {"type": "string", "description": "pause"}}}
_ACTION_ARGS = {"finish": ("outcome",), "transfer": ("to_category", "to_window"), "pause": ("reason",)}


@API.add("POST", "/api/window/{action}", "window", "A window action: " + ", ".join(WINDOW_ACTIONS),
         body=ACTION_BODY, window=True)
async def window_action(request):
    c, session = console(request), request[SESSION]
    action = request.match_info["action"]
    if action not in WINDOW_ACTIONS:
        raise ApiError(404, "bad_request", "没有这个操作")
    body = await body_of(request) if request.can_read_body else {}
    args = {k: text_arg(body, k, limit=64) for k in _ACTION_ARGS.get(action, ()) if body.get(k)}
    try:
        data = await c.window_action(session, action, args)
    except ActionError as exc:
        raise ApiError.of(exc) from None
    return web.json_response(data)


# -- managers ---------------------------------------------------------------------------------
@API.add("GET", "/api/dashboard", "manager", "Today's figures: categories, windows, staff, alerts, charts (SVG)")
async def dashboard(request):
    c = console(request)
    return web.json_response(await c.call(c.dashboard))


@API.add("GET", "/api/day/tickets", "manager", "The tickets of a day", query=(("date", "YYYY-MM-DD, default today"),))
async def day_tickets(request):
    c = console(request)
    return web.json_response(await c.call(c.service.tickets_of_day, date_arg(request, "date", c.today())))


async def _export_rows(request) -> tuple[str, list]:
    c = console(request)
    date = date_arg(request, "date", c.today())
    tickets = await c.call(c.service.tickets_of_day, date)
    return date, exports.rows(tickets, c.category_names, c.window_names, c.zone)


def _download(body: bytes, filename: str, content_type: str) -> web.Response:
    return web.Response(body=body, content_type=content_type,
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@API.add("GET", "/api/export/tickets.csv", "manager", "The day's tickets as CSV (UTF-8, BOM)",
         query=(("date", "YYYY-MM-DD, default today"),), produces="text/csv")
async def export_csv(request):
    date, table = await _export_rows(request)
    return _download(exports.to_csv(table), f"tickets-{date}.csv", "text/csv")


@API.add("GET", "/api/export/tickets.xlsx", "manager", "The day's tickets as an Excel workbook",
         query=(("date", "YYYY-MM-DD, default today"),),
         produces="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
async def export_xlsx(request):
    date, table = await _export_rows(request)
    c = console(request)
    body = await c.call(exports.to_xlsx, table, date)
    return _download(body, f"tickets-{date}.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@API.add("GET", "/api/report", "manager", "Per day totals, per category and per staff figures of a date range",
         query=(("from", "YYYY-MM-DD"), ("to", "YYYY-MM-DD")))
async def report(request):
    c = console(request)
    today = c.today()
    first, last = date_arg(request, "from", today), date_arg(request, "to", today)
    days = (dt.date.fromisoformat(last) - dt.date.fromisoformat(first)).days + 1
    if not 1 <= days <= MAX_REPORT_DAYS:
        raise ApiError(400, "bad_request", f"日期范围须在 1 到 {MAX_REPORT_DAYS} 天之间，且开始不晚于结束")
    return web.json_response(await c.call(c.report, first, last))


@API.add("GET", "/api/evaluations", "manager", "Ratings of a date range; bad=1 for bad ratings (levels 1-2) only",
         query=(("from", "YYYY-MM-DD"), ("to", "YYYY-MM-DD"), ("bad", "1: bad ratings only")))
async def evaluations(request):
    c = console(request)
    today = c.today()
    rows = await c.call(c.evaluations, date_arg(request, "from", today), date_arg(request, "to", today),
                        request.query.get("bad") == "1")
    return web.json_response(rows)


RECTIFY_BODY = {"type": "object", "required": ["cause", "action"], "properties": {
    "cause": {"type": "string", "description": "原因"}, "action": {"type": "string", "description": "整改措施"},
    "callback": {"type": "string", "description": "回访结果"}}}


@API.add("POST", "/api/evaluations/{id}/rectification", "manager",
         "Record the rectification of a bad rating (cause, action, callback result)", body=RECTIFY_BODY)
async def rectify(request):
    c, body = console(request), await body_of(request)
    try:
        evaluation_id = int(request.match_info["id"])
    except ValueError:
        raise ApiError(404, "bad_request", "没有这条评价") from None
    record = {"cause": text_arg(body, "cause", limit=500), "action": text_arg(body, "action", limit=500),
              "callback": text_arg(body, "callback", required=False, limit=500) or ""}
    try:
        saved = await c.call(c.rectify, evaluation_id, record, request[SESSION].staff)
    except LookupError as exc:
        raise ApiError(404, "unknown_evaluation", str(exc)) from None
    return web.json_response(saved)


@API.add("GET", "/api/audit", "manager", "The audit log: every staff action, newest first",
         query=(("date", "YYYY-MM-DD"), ("window", "window id"), ("staff", "staff id"), ("limit", "rows, max 1000")))
async def audit(request):
    c = console(request)
    try:
        limit = max(1, min(1000, int(request.query.get("limit", "300"))))
    except ValueError:
        raise ApiError(400, "bad_request", "limit 须为数字") from None
    rows = await c.call(c.service.audit_log, date=date_arg(request, "date", c.today()),
                        window=request.query.get("window") or None, staff=request.query.get("staff") or None,
                        limit=limit)
    return web.json_response(rows)


# -- administrators -----------------------------------------------------------------------------
STAFF_BODY = {"type": "object", "required": ["staff_id", "name", "role", "password"], "properties": {
    "staff_id": {"type": "string"}, "name": {"type": "string"},
    "role": {"type": "string", "enum": ["window", "manager", "admin"]}, "password": {"type": "string"}}}
STAFF_CHANGE_BODY = {"type": "object", "properties": {"password": {"type": "string"}, "active": {"type": "boolean"}}}


@API.add("GET", "/api/staff", "admin", "Staff accounts")
async def staff_list(request):
    c = console(request)
    rows = await c.call(c.service.staff.list)
    return web.json_response([{"staff_id": s.staff_id, "name": s.name, "role": s.role, "active": s.active} for s in rows])


@API.add("POST", "/api/staff", "admin", "Add a staff account", body=STAFF_BODY)
async def staff_add(request):
    c, body = console(request), await body_of(request)
    args = {k: text_arg(body, k, limit=128) for k in ("staff_id", "name", "role", "password")}
    s = await _staff_op(c, request[SESSION], "staff.add", c.service.staff.add, *args.values(),
                        details={k: args[k] for k in ("staff_id", "name", "role")})
    return web.json_response({"staff_id": s.staff_id, "name": s.name, "role": s.role, "active": s.active})


@API.add("POST", "/api/staff/{staff_id}", "admin", "Set a new password or (de)activate an account",
         body=STAFF_CHANGE_BODY)
async def staff_change(request):
    c, body = console(request), await body_of(request)
    staff_id = request.match_info["staff_id"]
    if body.get("password"):
        await _staff_op(c, request[SESSION], "staff.set_password", c.service.staff.set_password,
                        staff_id, text_arg(body, "password", limit=128), details={"staff_id": staff_id})
    if isinstance(body.get("active"), bool):
        await _staff_op(c, request[SESSION], "staff.set_active", c.service.staff.set_active,
                        staff_id, body["active"], details={"staff_id": staff_id, "active": body["active"]})
    return web.json_response({"ok": True})


async def _staff_op(c: Console, session, action: str, fn, *args, details: dict):
    """An account change, then its audit row (never with the password)."""
    try:
        result = await c.call(fn, *args)
    except StaffError as exc:
        raise ApiError(400, "bad_request", str(exc)) from None
    await c.call(c.audit, session, action, details)
    return result


@API.add("GET", "/api/openapi.json", "public", "This description")
async def openapi(request):
    return web.json_response(API.openapi())
