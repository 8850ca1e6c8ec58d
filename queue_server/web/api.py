"""The JSON API under /api: every thing the console pages do, with the same role checks."""
from __future__ import annotations

import asyncio
import datetime as dt
import json
import math
import re
from urllib.parse import urlsplit

from aiohttp import web

from hall.words import TICKET_ACTION, WINDOW_ACTION, call_to_window, status_word, wait_words

from ..guess_limits import too_fast
from ..staff import MIN_PASSWORD, STAFF_ROLES, StaffError
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
DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
WINDOW_ID = {"$ref": "#/components/schemas/WindowId"}        # this hall's window ids
CATEGORY_ID = {"$ref": "#/components/schemas/CategoryId"}    # this hall's category ids
OK = {"type": "object", "required": ["ok"], "properties": {"ok": {"type": "boolean"}}}
SESSION_VIEW = {"type": "object", "required": ["staff", "role", "window", "csrf"], "properties": {
    "staff": {"type": "string", "nullable": True}, "name": {"type": "string"}, "role": {"type": "string", "nullable": True},
    "role_name": {"type": "string"}, "window": {"type": "string", "nullable": True}, "csrf": {"type": "string"},
    "home": {"type": "string"}}}
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


async def guessed(c: Console, request: web.Request, find, missing: ApiError):
    """What a public link (or an application number + last four) names, found by the
    awaitable `find()`; misses slow the asking address down (queue_server/guess_limits.py,
    the try counted before the lookup), 429 with Retry-After once it is slowed."""
    address, now = request.remote or "?", c.clock()
    wait = c.link_guard.attempt(address, now)
    if wait > 0:
        raise ApiError(429, "rate_limited", too_fast(wait), {"Retry-After": str(math.ceil(wait))})
    found = await find()
    if found is None:
        raise missing
    c.link_guard.hit(address, now)
    return found


async def body_of(request: web.Request) -> dict:
    """The JSON object of the request (an empty body is an empty object)."""
    raw = await request.read()       # over the size limit: 413 from aiohttp, in Chinese by the middleware
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):    # not UTF-8, not JSON, or nested absurdly deep
        raise ApiError(400, "bad_request", "请求内容不是有效的 JSON") from None
    if not isinstance(body, dict):
        raise ApiError(400, "bad_request", "请求内容必须是 JSON 对象")
    return body


# What counts as blank around and instead of text: the same six characters in the schemas'
# NOT_BLANK pattern and in text_arg, so that the description and the server agree exactly
# (Python's str.strip() and JSON Schema's \s disagree on Unicode spaces and separators).
BLANK = " \t\n\r\f\v"
NOT_BLANK = r"[^ \t\n\r\f\v]"


def text_arg(body: dict, name: str, *, required: bool = True, limit: int = 200, strip: bool = True) -> str | None:
    """A text field of the body; blank counts as missing (passwords are taken as typed)."""
    value = body.get(name)
    if name in body and (not isinstance(value, str) or len(value) > limit):
        raise ApiError(400, "bad_request", f"{name} 必须是不超过 {limit} 字的文字")
    if value and not _encodable(value):
        raise ApiError(400, "bad_request", f"{name} 含有无效字符")
    if value and strip:
        value = value.strip(BLANK)
    if not value:
        if required:
            raise ApiError(400, "bad_request", f"缺少 {name}")
        return None
    return value


def _encodable(text: str) -> bool:
    """False for text with lone surrogates (valid JSON escapes, not storable as UTF-8)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def date_arg(request: web.Request, name: str, default: str) -> str:
    value = request.query.get(name, default)      # given but empty is a mistake, not "today"
    try:
        if not _DATE.fullmatch(value):
            raise ValueError
        dt.date.fromisoformat(value)
    except ValueError:
        raise ApiError(400, "bad_request", f"{name} 须为 YYYY-MM-DD 格式的日期") from None
    return value


# -- session --------------------------------------------------------------------------------
LOGIN_BODY = {"type": "object", "required": ["staff", "password"], "properties": {
    "staff": {"type": "string", "minLength": 1, "maxLength": 32, "pattern": NOT_BLANK, "description": "工号"},
    "password": {"type": "string", "minLength": 1, "maxLength": 128},
    "window": {**WINDOW_ID, "description": "window to call for (window staff must give one)"}}}


@API.add("GET", "/api/session", "public", "The current session, with the CSRF token for the next POST",
         response=SESSION_VIEW)
async def get_session(request):
    return web.json_response(request[SESSION].public())


@API.add("POST", "/api/session", "public", "Log in, optionally at a window (takes the window over from "
         "any other browser); five wrong passwords in a row slow the account down", body=LOGIN_BODY,
         response=SESSION_VIEW, errors=(401, 404, 409, 429))
async def login(request):
    c, body = console(request), await body_of(request)
    staff_id, password = text_arg(body, "staff", limit=32), text_arg(body, "password", limit=128, strip=False)
    window = text_arg(body, "window", required=False, limit=32)
    if window and window not in c.window_names:
        raise ApiError(400, "bad_request", "没有这个窗口")
    address = request.remote or "?"
    wait = c.service.login_limits.attempt(staff_id, address)   # counted from now: no await before
    if wait > 0:
        raise ApiError(429, "rate_limited", f"密码错误次数过多，请 {math.ceil(wait)} 秒后再试",
                       {"Retry-After": str(math.ceil(wait))})
    staff = await c.call(c.service.staff.verify, staff_id, password)
    stamp = await c.call(c.service.staff.stamp, staff.staff_id) if staff else None
    if not stamp:
        await c.call(c.records.audit, c.clock(), c.today(), staff_id, "console.login_failed",
                     {"address": address}, window)
        raise ApiError(401, "bad_credentials", "工号或密码错误")
    c.service.login_limits.succeeded(staff_id, address)
    if staff.role == "window" and not window:
        raise ApiError(400, "bad_request", "请选择您所在的窗口")
    if window:
        try:
            await c.act("window", window, "window.login", {"staff": staff_id, "password": password})
        except ActionError as exc:
            raise ApiError.of(exc) from None
    c.sessions.drop(request[SESSION].token)     # logging in again: the old login ends
    session = c.sessions.login({"id": staff.staff_id, "name": staff.name, "role": staff.role, "stamp": stamp},
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


@API.add("DELETE", "/api/session", "window", "Log out (and log the window out when this browser holds it)",
         response=OK)
async def logout(request):
    c, session = console(request), request[SESSION]
    if session.window:
        try:
            await c.act("window", session.window, "window.logout", {})
        except ActionError:
            pass   # the window was logged out elsewhere (keypad, takeover): nothing to undo
    c.sessions.drop(session.token)
    request[NEW_SESSION] = c.sessions.anonymous(None, c.clock())
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
                if session.staff and await c.session_of(session.token) is not session:
                    break    # the account was changed elsewhere (`yichuang staff`): logged out
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
TICKET_VIEW = {"type": "object", "required": ["number", "category", "status", "status_text"], "properties": {
    "number": {"type": "string"}, "category": {"type": "string"}, "status": {"type": "string"},
    "status_text": {"type": "string"}, "waiting_ahead": {"type": "integer", "nullable": True},
    "estimated_wait_s": {"type": "number", "nullable": True},
    "wait_text": {"type": "string", "description": "the wait as people read it: 约5分钟, 约15-25分钟 (hall.words)"},
    "window": {"type": "string", "nullable": True},
    "window_name": {"type": "string", "nullable": True},
    "call_text": {"type": "string", "description": "where to go once called: 请到 3号窗口 办理 (hall.words)"},
    "issued_at": {"type": "number"},
    "called_at": {"type": "number", "nullable": True}, "attempt": {"type": "integer"},
    "requeue_until": {"type": "number", "description": "过号: until when 过号重排 can bring it back"},
    "waiting_for": {"type": "string", "description": "transferred to a window: that window's name"},
    "item": {"type": "string", "description": "the service item the ticket was taken for"},
    "rating": {"type": "object", "description": "its rating (好差评) once given: level, level_text, "
               "reasons, comment, changeable_until, ..."},
    "notices": {"type": "array", "description": "一次性告知书 given on this ticket", "items": {
        "type": "object", "required": ["number", "url", "materials"], "properties": {
            "number": {"type": "string"}, "url": {"type": "string"},
            "materials": {"type": "array", "items": {"type": "string"}}}}}}}
TOKEN = {"token": {"type": "string", "minLength": 1, "maxLength": 200}}
def phone_view(c: Console, t: dict) -> dict:
    """What the citizen's phone shows: no personal data, Chinese texts ready to show."""
    window = t.get("window")
    catalog = c.config.catalog
    item = catalog.get(t["service"]) if catalog is not None and t.get("service") else None
    return {"number": t["number"], **({"item": item.name} if item else {}),
            "category": c.category_names.get(t["category"], t["category"]),
            "status": t["status"], "status_text": status_word(t["status"]),
            "waiting_ahead": t.get("waiting_ahead"), "estimated_wait_s": t.get("estimated_wait_s"),
            "wait_text": wait_words(t.get("waiting_ahead"), t.get("estimated_wait_s"),
                                    t.get("estimated_wait_range_s")),
            "window": window, "window_name": c.window_names.get(window or "", window),
            **({"call_text": call_to_window(c.window_names.get(window, window))} if window else {}),
            "issued_at": t["issued_at"], "called_at": t.get("called_at"), "attempt": t.get("attempt", 0),
            **{k: v for k, v in (("requeue_until", t.get("requeue_until")),
                                 ("waiting_for", c.window_names.get(t.get("reserved_for") or ""))) if v}}


async def _current(c: Console, token: str) -> dict | None:
    """The phone's view of today's ticket behind a link; None for an unknown link or a ticket
    of another day (a link is valid on its ticket's day only)."""
    t = await c.call(c.service.ticket_by_token, token)
    if not t or t.get("date") != c.today():
        return None
    notices = await c.call(c.service.notices_of_ticket, t["number"], t["date"])
    rating = await c.call(c.service.rating_of_ticket, token) if t["status"] == "done" else None
    # the notice's link on this same site (the page was opened from the public address)
    return {**phone_view(c, t), **({"notices": [{"number": n["number"], "url": urlsplit(n["url"]).path,
                                                 "materials": n["materials"]} for n in notices]} if notices else {}),
            **({"rating": rating} if rating else {})}


async def _ticket(c: Console, request: web.Request) -> dict:
    """The ticket of the link in the path; unknown links count against the asking address."""
    return await guessed(c, request, lambda: _current(c, request.match_info["token"]),
                         ApiError(404, "unknown_ticket", "没有找到今天的这张号票，请核对二维码"))


@API.add("GET", "/api/tickets/{token}", "public", "Today's ticket by the signed token of its QR code",
         response=TICKET_VIEW, path_schemas=TOKEN, errors=(429,))
async def ticket(request):
    return web.json_response(await _ticket(console(request), request))


@API.add("GET", "/api/tickets/{token}/events", "public", "Server-sent events: the ticket each time it "
         "changes (position, estimated wait, called); \"gone\" when the day is over",
         produces="text/event-stream", path_schemas=TOKEN, errors=(429,))
async def ticket_events(request):
    c, token = console(request), request.match_info["token"]
    last = await _ticket(c, request)
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
            view = await _current(c, token)
            if view is None:      # the day rolled over: the page says so and stops listening
                await response.write(sse_frame("gone", {}))
                break
            if view != last:
                last = view
                await response.write(sse_frame("ticket", view))
    except ConnectionResetError:
        pass   # the phone went away
    return response


RATING_BODY = {"type": "object", "required": ["level"], "properties": {
    "level": {"type": "integer", "minimum": 1, "maximum": 5,
              "description": "5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意"},
    "reasons": {"type": "array", "maxItems": 20, "items": {"type": "string", "maxLength": 16},
                "description": "levels 1-2: from the hall's list (hall.ratings.reasons)"},
    "comment": {"type": "string", "maxLength": 2000, "description": "free text, hall.ratings.comment_max "
                "characters once neutralised"},
    "phone": {"type": "string", "maxLength": 20, "description": "optional: for the 回访 of a bad rating"},
    "via": {"type": "string", "enum": ["mobile", "sms"], "description": "sms: opened from the text message"}}}


@API.add("POST", "/api/tickets/{token}/rating", "public", "Rate the finished service of the ticket behind "
         "the link (好差评); again within hall.ratings.change_minutes to change it", body=RATING_BODY,
         path_schemas=TOKEN, errors=(404, 409, 429))
async def rate_ticket(request):
    c, body = console(request), await body_of(request)
    await _ticket(c, request)           # an unknown link counts against the address, as a lookup
    args = {k: body[k] for k in RATING_BODY["properties"] if k in body}
    try:
        data = await c.act("citizen", "phone", "evaluation.submit",
                           {**args, "token": request.match_info["token"]})
    except ActionError as exc:
        raise ApiError.of(exc) from None
    return web.json_response(data["evaluation"])


# -- window staff -------------------------------------------------------------------------------
WINDOW_VIEW = {"type": "object", "required": ["window", "name", "categories", "today"], "properties": {
    "window": {"type": "string"}, "name": {"type": "string"}, "staff": {"type": "string"},
    "categories": {"type": "array", "items": {"type": "string"}}, "today": {"type": "object"},
    "face": {"type": ["object", "null"], "description": "人证核验 of the held ticket's holder, when "
             "its category or item asks for it: ticket, result (pass, fail, staff, not_done), "
             "staff and at for 人工核验通过"}}}


@API.add("GET", "/api/window", "window", "The window this browser calls for: state and today's figures",
         window=True, response=WINDOW_VIEW)
async def window_info(request):
    c, session = console(request), request[SESSION]
    w = c.config.window(session.window)
    figures = await c.call(c.window_summary, w.id)
    face = await c.call(c.service.face_at_window, w.id)
    return web.json_response({"window": w.id, "name": w.name, "staff": session.name,
                              "categories": list(w.categories),
                              "today": figures, "face": face})


NO_ARGS = {"type": "object", "description": "no fields"}
ACTION_BODIES = {   # one described operation per action, so each body says exactly what it takes
    "finish": {"type": "object", "properties": {
        "outcome": {"type": "string", "enum": ["done", "not_done"], "description": "not_done: 未办结"},
        "reason": {"type": "string", "maxLength": 64, "description": "why not done (required with not_done); "
                   "kept with the ticket for 办不成事反映"}}},
    "requeue": {"type": "object", "required": ["number"], "properties": {
        "number": {"type": "string", "maxLength": 8, "description": "a ticket skipped today (过号)"}}},
    "transfer": {"type": "object", "minProperties": 1, "maxProperties": 1, "additionalProperties": False,
                 "description": "exactly one of to_category and to_window", "properties": {
                     "to_category": {**CATEGORY_ID, "description": "to this category's queue"},
                     "to_window": {**WINDOW_ID, "description": "to this window"}}},
    "pause": {"type": "object", "properties": {"reason": {"type": "string", "maxLength": 64}}},
}
ACTION_SUMMARIES = {"call_next": "call the next ticket", "recall": "call the ticket again",
                    "skip": "no-show", "start": "the citizen arrived",
                    "finish": "finish the ticket (outcome done or not_done)",
                    "transfer": "to a category or a window", "pause": "pause the window",
                    "resume": "resume", "requeue": "a skipped ticket back into its queue, by number",
                    "face_verify": "the clerk checked the ID card against the held ticket's holder"}


def _window_action(action: str):
    names = tuple(ACTION_BODIES.get(action, NO_ARGS).get("properties", {}))

    async def handler(request):
        c, body = console(request), await body_of(request)
        args = {k: v for k in names if (v := text_arg(body, k, required=False, limit=64))}
        if action == "finish" and args.get("outcome") == "not_done" and not args.get("reason"):
            raise ApiError(400, "bad_request", "请填写未办结的原因")
        try:
            data = await c.window_action(request[SESSION], action, args)
        except ActionError as exc:
            raise ApiError.of(exc) from None
        return web.json_response(data)
    return handler


for _action in WINDOW_ACTIONS:
    API.add("POST", f"/api/window/{_action}", "window",
            f"{WINDOW_ACTION.get(_action) or TICKET_ACTION[_action]} ({ACTION_SUMMARIES[_action]})", window=True,
            body=ACTION_BODIES.get(_action, NO_ARGS), response={"type": "object"}, errors=(404,))(_window_action(_action))


# -- managers ---------------------------------------------------------------------------------
@API.add("GET", "/api/dashboard", "manager", "Today's figures: categories, windows, staff, alerts, charts (SVG)",
         response={"type": "object", "required": ["categories", "windows", "alerts", "staff", "charts"]})
async def dashboard(request):
    c = console(request)
    return web.json_response(await c.call(c.dashboard))


@API.add("GET", "/api/plan/tomorrow", "manager",
         "Tomorrow's expected tickets by hour (the same weekday of past weeks) and the windows of each "
         "kind they need to keep the longest normal wait under 20 minutes (docs/planning.md)",
         response={"type": "object", "required": ["date", "weekday", "heading"]})
async def tomorrow_plan(request):
    return web.json_response(await console(request).tomorrow_plan())


@API.add("GET", "/api/day/tickets", "manager", "The tickets of a day", query=(("date", "YYYY-MM-DD, default today", DATE),),
         response={"type": "array", "items": {"type": "object"}})
async def day_tickets(request):
    c = console(request)
    return web.json_response(await c.call(c.service.tickets_of_day, date_arg(request, "date", c.today())))


async def _export_rows(request) -> tuple[str, list]:
    c = console(request)
    date = date_arg(request, "date", c.today())
    tickets, names = await c.call(c.records.tickets, date, date), await c.call(c.staff_names)
    named = [dict(t, staff_name=names.get(t.get("staff") or "", t.get("staff"))) for t in tickets]
    return date, exports.rows(named, c.category_names, c.window_names, c.zone)


def _download(body: bytes, filename: str, content_type: str) -> web.Response:
    return web.Response(body=body, content_type=content_type,
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@API.add("GET", "/api/export/tickets.csv", "manager", "The day's tickets as CSV (UTF-8, BOM)",
         query=(("date", "YYYY-MM-DD, default today", DATE),), produces="text/csv")
async def export_csv(request):
    date, table = await _export_rows(request)
    return _download(exports.to_csv(table), f"tickets-{date}.csv", "text/csv")


@API.add("GET", "/api/export/tickets.xlsx", "manager", "The day's tickets as an Excel workbook",
         query=(("date", "YYYY-MM-DD, default today", DATE),),
         produces="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
async def export_xlsx(request):
    date, table = await _export_rows(request)
    c = console(request)
    body = await c.call(exports.to_xlsx, table, date)
    return _download(body, f"tickets-{date}.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@API.add("GET", "/api/report", "manager", "Per day totals, per category and per staff figures of a date range",
         query=(("from", "YYYY-MM-DD, default today", DATE), ("to", "YYYY-MM-DD, default today", DATE)),
         response={"type": "object", "required": ["totals", "days", "categories", "staff"]})
async def report(request):
    c = console(request)
    today = c.today()
    first, last = date_arg(request, "from", today), date_arg(request, "to", today)
    days = (dt.date.fromisoformat(last) - dt.date.fromisoformat(first)).days + 1
    if not 1 <= days <= MAX_REPORT_DAYS:
        raise ApiError(400, "bad_request", f"日期范围须在 1 到 {MAX_REPORT_DAYS} 天之间，且开始不晚于结束")
    return web.json_response(await c.call(c.report, first, last))


@API.add("GET", "/api/evaluations", "manager", "Ratings of a date range (each with the case it opened; the phone masked, no ID hash); "
         "bad=1 for bad ratings (levels 1-2) only",
         query=(("from", "YYYY-MM-DD, default today", DATE), ("to", "YYYY-MM-DD, default today", DATE),
                ("bad", "1: bad ratings only", {"type": "string", "enum": ["0", "1"]})),
         response={"type": "array", "items": {"type": "object"}})
async def evaluations(request):
    c = console(request)
    today = c.today()
    bad = request.query.get("bad", "0")
    if bad not in ("0", "1"):
        raise ApiError(400, "bad_request", "bad 须为 0 或 1")
    rows = await c.call(c.evaluations, date_arg(request, "from", today), date_arg(request, "to", today), bad == "1")
    return web.json_response(rows)


def _text(limit: int, description: str) -> dict:
    """A required text field: at most `limit` characters, not blank."""
    return {"type": "string", "minLength": 1, "maxLength": limit, "pattern": NOT_BLANK, "description": description}


RECTIFY_BODY = {"type": "object", "required": ["cause", "action"], "properties": {
    "cause": _text(500, "原因"), "action": _text(500, "整改措施"),
    "callback": {"type": "string", "maxLength": 500, "description": "回访结果"}}}


@API.add("POST", "/api/evaluations/{id}/rectification", "manager",
         "Record the rectification of a bad rating (cause, action, callback result)", body=RECTIFY_BODY,
         path_schemas={"id": {"type": "integer", "minimum": 1, "maximum": 2 ** 53}}, response={"type": "object"})
async def rectify(request):
    c, body = console(request), await body_of(request)
    raw = request.match_info["id"]
    if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= 2 ** 53):
        raise ApiError(400, "bad_request", "评价编号须为正整数")
    evaluation_id = int(raw)
    record = {"cause": text_arg(body, "cause", limit=500), "action": text_arg(body, "action", limit=500),
              "callback": text_arg(body, "callback", required=False, limit=500) or ""}
    try:
        saved = await c.call(c.rectify, evaluation_id, record, request[SESSION].staff)
    except LookupError as exc:
        raise ApiError(404, "unknown_evaluation", str(exc)) from None
    return web.json_response(saved)


@API.add("GET", "/api/audit", "manager", "The audit log: every staff action, newest first",
         query=(("date", "YYYY-MM-DD, default today", DATE), ("window", "window id"), ("staff", "staff id"),
                ("limit", "rows, 1-1000 (default 300)", {"type": "integer", "minimum": 1, "maximum": 1000})),
         response={"type": "array", "items": {"type": "object"}})
async def audit(request):
    c = console(request)
    limit = request.query.get("limit", "300")
    if not (limit.isascii() and limit.isdigit() and 1 <= int(limit) <= 1000):
        raise ApiError(400, "bad_request", "limit 须为 1 到 1000 的整数")
    rows = await c.call(c.service.audit_log, date=date_arg(request, "date", c.today()),
                        window=request.query.get("window") or None, staff=request.query.get("staff") or None,
                        limit=int(limit))
    return web.json_response(rows)


# -- administrators -----------------------------------------------------------------------------
PASSWORD = {"type": "string", "minLength": MIN_PASSWORD, "maxLength": 128}
STAFF_BODY = {"type": "object", "required": ["staff_id", "name", "role", "password"], "properties": {
    "staff_id": {"type": "string", "pattern": r"^[A-Za-z0-9_.-]{1,32}$", "description": "工号"},
    "name": _text(20, "姓名"), "role": {"type": "string", "enum": list(STAFF_ROLES)}, "password": PASSWORD}}
STAFF_CHANGE_BODY = {"type": "object", "properties": {"password": PASSWORD, "active": {"type": "boolean"},
                                                     "role": {"type": "string", "enum": list(STAFF_ROLES)}}}
STAFF_VIEW = {"type": "object", "required": ["staff_id", "name", "role", "active"], "properties": {
    "staff_id": {"type": "string"}, "name": {"type": "string"}, "role": {"type": "string", "enum": list(STAFF_ROLES)},
    "active": {"type": "boolean"}}}


@API.add("GET", "/api/staff", "admin", "Staff accounts", response={"type": "array", "items": STAFF_VIEW})
async def staff_list(request):
    c = console(request)
    rows = await c.call(c.service.staff.list)
    return web.json_response([{"staff_id": s.staff_id, "name": s.name, "role": s.role, "active": s.active} for s in rows])


@API.add("POST", "/api/staff", "admin", "Add a staff account", body=STAFF_BODY, response=STAFF_VIEW,
         errors=(409,))
async def staff_add(request):
    c, body = console(request), await body_of(request)
    args = {k: text_arg(body, k, limit=128, strip=k != "password") for k in ("staff_id", "name", "role", "password")}
    if await c.call(c.service.staff.get, args["staff_id"]) is not None:
        raise ApiError(409, "conflict", "工号已存在")
    s = await _staff_op(c, request[SESSION], "staff.add", c.service.staff.add, *args.values(),
                        details={k: args[k] for k in ("staff_id", "name", "role")})
    return web.json_response({"staff_id": s.staff_id, "name": s.name, "role": s.role, "active": s.active})


@API.add("POST", "/api/staff/{staff_id}", "admin", "Set a new password, role or state of an account; its "
         "sessions end and the windows it holds are logged out (the last active admin stays one)",
         body=STAFF_CHANGE_BODY, response=OK)
async def staff_change(request):
    c, body = console(request), await body_of(request)
    staff_id = request.match_info["staff_id"]
    password = text_arg(body, "password", required=False, limit=128, strip=False)
    role = text_arg(body, "role", required=False, limit=16)
    if "active" in body and not isinstance(body["active"], bool):
        raise ApiError(400, "bad_request", "active 须为 true 或 false")
    if await c.call(c.service.staff.get, staff_id) is None:
        raise ApiError(404, "unknown_staff", "没有这个工号")
    session = request[SESSION]
    if password:
        await _staff_op(c, session, "staff.set_password", c.service.staff.set_password,
                        staff_id, password, details={"staff_id": staff_id})
    if role:
        await _staff_op(c, session, "staff.set_role", c.service.staff.set_role,
                        staff_id, role, details={"staff_id": staff_id, "role": role})
    if "active" in body:
        await _staff_op(c, session, "staff.set_active", c.service.staff.set_active,
                        staff_id, body["active"], details={"staff_id": staff_id, "active": body["active"]})
    if password or role or body.get("active") is False:
        await c.end_account(staff_id, "账号已变更，请重新登录")
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
    c = console(request)
    return web.json_response(API.openapi({
        "WindowId": {"type": "string", "enum": list(c.window_names), "description": "a window of this hall"},
        "CategoryId": {"type": "string", "enum": list(c.category_names), "description": "a category of this hall"}}))
