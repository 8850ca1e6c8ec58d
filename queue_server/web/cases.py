"""Cases on the web: the manager's case page and figures, the 办不成事 window's page (file a
complaint, print its slip, work the cases it leads), the citizen's complaint page and case
page. Every change goes through HallService (complaint.file, case.step) with the role of the
session: a manager as "manager", a window as "window" (the desk tells a lead from a clerk by
the account seated there), a phone as "public"; the same checks as on the bus.
"""
from __future__ import annotations

import datetime as dt
import math
from functools import partial

from aiohttp import web

from hall.words import CASE_FIGURES, REVISIT_HOW

from ..cases import figures
from ..applications.uploads import MAX_PHOTO_BYTES, TOO_LARGE
from ..cases.model import TRANSITIONS
from ..engine import EngineError
from .applications import image_response
from . import exports
from .api import DATE, MAX_REPORT_DAYS, API, ApiError, _download, _text, body_of, console, date_arg, guessed
from .booking import qr_svg_uri
from .charts import bar_chart
from .console import ActionError
from .keys import SESSION
from .pages import PAGES, render

NUMBER = {"number": {"type": "string", "minLength": 1, "maxLength": 80}}
STEP = {"step": {"enum": list(TRANSITIONS)}}
VIEW = {"type": "object", "required": ["number", "kind", "state", "due", "url"]}
COMPLAINT_BODY = {"type": "object", "required": ["tried", "problem"], "properties": {
    "item": {"type": "string", "maxLength": 64, "description": "catalogue item code"},
    "domain": {"type": "string", "maxLength": 16, "description": "a catalogue domain, when no item is named"},
    "tried": _text(100, "what the citizen tried to do"), "problem": _text(500, "what went wrong"),
    "phone": {"type": "string", "pattern": "^1[0-9]{10}$"}}}
STEP_BODY = {"type": "object", "properties": {
    "text": {"type": "string", "maxLength": 500},
    "revisit": {"type": "object", "properties": {
        "how": {"enum": list(REVISIT_HOW)}, "at": {"type": "string"},
        "said": {"type": "string", "maxLength": 500}, "satisfied": {"type": "boolean"}}},
    "lead": {"type": "string", "maxLength": 32}}}
FIGURE_QUERY = (("from", "YYYY-MM-DD, default: the first of this month", DATE),
                ("to", "YYYY-MM-DD, default today", DATE),
                ("by", "day | month | window | department | staff", {"enum": list(figures.GROUPS)}))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _items(config) -> list[dict]:
    catalog = config.catalog
    return [{"code": i.code, "name": i.name, "domain": i.domain} for i in catalog.offered()] \
        if catalog is not None else []


async def _acted(c, role: str, client: str, action: str, body: dict) -> web.Response:
    try:
        return web.json_response(await c.act(role, client, action, body))
    except ActionError as exc:
        raise ApiError.of(exc) from None


# -- the citizen ----------------------------------------------------------------------------------
@PAGES.add("GET", "/complain", "public", "办不成事反映: the citizen's complaint page (phone)")
async def complain_page(request):
    return render(request, "complain", "办不成事反映", extra={"items": _items(console(request).config)})


@PAGES.add("GET", "/c/{token}", "public", "A case's page for the citizen: state, the day it is due, "
           "the answer; printable as the slip (QR code of this page)")
async def case_page(request):
    return render(request, "case", "办理进度", extra={"token": request.match_info["token"]})


@API.add("POST", "/api/complaints", "public", "File a 办不成事 complaint from a phone (rate-limited per "
         "address)", body=COMPLAINT_BODY, response={"type": "object", "required": ["case"]}, errors=(429,))
async def complain(request):
    c = console(request)
    address, now = request.remote or "?", c.clock()
    wait = c.complaints_made.wait_s(address, now)
    if wait > 0:
        raise ApiError(429, "rate_limited", f"提交过于频繁，请 {math.ceil(wait / 60)} 分钟后再试",
                       {"Retry-After": str(math.ceil(wait))})
    answer = await _acted(c, "public", "web", "complaint.file", await body_of(request))
    c.complaints_made.missed(address, now)
    return answer


@API.add("GET", "/api/complaints/{token}", "public", "A case by the unguessable token of its link "
         "(nothing personal), with the QR code of its page", response=VIEW, errors=(429,),
         path_schemas={"token": {"type": "string", "minLength": 1, "maxLength": 200}})
async def case_by_token(request):
    c = console(request)
    found = await guessed(c, request, lambda: c.call(c.service.cases.by_token, request.match_info["token"]),
                          ApiError(404, "unknown_case", "没有找到这个工单，请核对二维码"))
    return web.json_response({**found, "qr": qr_svg_uri(found["url"])})


# -- evidence photos: the case's lead (its window page) and managers -------------------------------
# Registered before the window's and the manager's /{step} routes, which would take "evidence".
INDEX = {"index": {"type": "string", "pattern": "^[0-9]{1,2}$"}}


async def _image_body(request) -> bytes:
    """The request's body, the photo's bytes, read here up to MAX_PHOTO_BYTES (the app's
    64 KiB limit is for JSON): anything longer is refused before it is all read."""
    if (request.content_length or 0) > MAX_PHOTO_BYTES:
        raise ApiError(413, "too_large", TOO_LARGE)
    data = bytearray()
    async for chunk in request.content.iter_any():
        data += chunk
        if len(data) > MAX_PHOTO_BYTES:
            raise ApiError(413, "too_large", TOO_LARGE)
    return bytes(data)


def _evidence_routes(path: str, role: str, who: str) -> None:
    """Add and view a case's evidence photos as `role` (window: the case's lead only)."""
    async def desk(request, fn, **kw):
        c, session = console(request), request[SESSION]
        try:
            return await c.call(partial(fn, request.match_info["number"], **kw, role=role,
                                        staff=session.staff,
                                        window=session.window if role == "window" else None))
        except EngineError as exc:
            raise ApiError.of(exc) from None

    async def add(request):
        data = await _image_body(request)
        return web.json_response({"case": await desk(request, console(request).service.cases.add_evidence,
                                                     data=data)})

    async def view(request):
        index = request.match_info["index"]
        found = await desk(request, console(request).service.cases.evidence_photo,
                           index=int(index) if index.isdigit() and len(index) <= 2 else -1)
        if found is None:
            raise ApiError(404, "unknown_photo", "没有这张照片")
        return image_response(found)

    API.add("POST", path, role, f"An evidence photo (整改材料; the body: the JPEG or PNG bytes, at "
            f"most 4 MiB) on a live case, by {who}; sealed at rest", window=role == "window",
            path_schemas=NUMBER, response={"type": "object", "required": ["case"]},
            errors=(404, 409))(add)
    API.add("GET", path + "/{index}", role, f"An evidence photo of a case, decrypted for {who} "
            "(never cached; audited)", window=role == "window", path_schemas={**NUMBER, **INDEX},
            produces="image/jpeg", errors=(404,))(view)


_evidence_routes("/api/window/cases/{number}/evidence", "window", "this window's account when it is "
                 "the case's lead")
_evidence_routes("/api/cases/{number}/evidence", "manager", "a manager")


# -- the window (办不成事 window; any window's lead) -----------------------------------------------
@PAGES.add("GET", "/complaints", "window", "The 办不成事 window: file a complaint and print its slip; "
           "the cases this account leads", window=True)
async def window_page(request):
    return render(request, "complaints", "办不成事反映", extra={
        "items": _items(console(request).config),
        "steps": {a: {"sources": list(s.sources), "roles": list(s.roles)} for a, s in TRANSITIONS.items()}})


@API.add("POST", "/api/window/complaints", "window", "File a complaint at this window",
         window=True, body=COMPLAINT_BODY, response={"type": "object", "required": ["case"]})
async def window_complaint(request):
    c = console(request)
    try:
        data = await c.window_action(request[SESSION], "complaint.file", await body_of(request))
    except ActionError as exc:
        raise ApiError.of(exc) from None
    return web.json_response(data)


@API.add("GET", "/api/window/cases", "window", "The live cases this account leads, and those filed "
         "at this window", window=True, response={"type": "array"})
async def window_cases(request):
    c, session = console(request), request[SESSION]
    rows = await c.call(partial(c.service.cases.listing))
    return web.json_response([r for r in rows if r["lead"] == session.staff or r["window"] == session.window])


@API.add("GET", "/api/window/cases/{number}", "window", "One case this account leads or this window "
         "filed, with its notes", window=True, path_schemas=NUMBER, response=VIEW)
async def window_case(request):
    c, session = console(request), request[SESSION]
    found = await c.call(c.service.cases.staff_view, request.match_info["number"])
    if found is None or session.staff != found["lead"] and session.window != found["window"]:
        raise ApiError(404, "unknown_case", "没有这个工单")
    return web.json_response(found)


@API.add("POST", "/api/window/cases/{number}/{step}", "window", "A step on a case by this window's "
         "account: verify, rectify, revisit, unfounded, note (lead or clerk as the case says)",
         window=True, body=STEP_BODY, path_schemas={**NUMBER, **STEP},
         response={"type": "object", "required": ["case"]})
async def window_step(request):
    c, body = console(request), await body_of(request)
    try:
        data = await c.window_action(request[SESSION], "case.step", {
            **body, "number": request.match_info["number"], "step": request.match_info["step"]})
    except ActionError as exc:
        raise ApiError.of(exc) from None
    return web.json_response(data)


# -- the manager ----------------------------------------------------------------------------------
@PAGES.add("GET", "/manage/cases", "manager", "Cases: bad ratings and 办不成事 complaints, their "
           "steps, deadlines and escalation")
async def cases_page(request):
    return render(request, "cases", "差评与办不成事工单", extra={
        "steps": {a: {"sources": list(s.sources), "roles": list(s.roles)} for a, s in TRANSITIONS.items()}})


@API.add("GET", "/api/cases", "manager", "Cases (live ones unless all=1; kind=rating|complaint)",
         query=(("kind", "rating | complaint", {"enum": ["rating", "complaint"]}),
                ("all", "1: closed ones too")), response={"type": "array"})
async def case_list(request):
    c = console(request)
    kind = request.query.get("kind")
    if kind not in (None, "rating", "complaint"):
        raise ApiError(400, "bad_request", "kind 须为 rating 或 complaint")
    return web.json_response(await c.call(partial(c.service.cases.listing, kind=kind,
                                                  live=request.query.get("all") != "1")))


@API.add("GET", "/api/cases/{number}", "manager", "One case with its notes and 回访 record",
         path_schemas=NUMBER, response=VIEW)
async def case_one(request):
    c = console(request)
    found = await c.call(c.service.cases.staff_view, request.match_info["number"])
    if found is None:
        raise ApiError(404, "unknown_case", "没有这个工单")
    return web.json_response(found)


@API.add("POST", "/api/cases/{number}/{step}", "manager", "A step on a case by a manager (every step, "
         "close and confirm included)", body=STEP_BODY, path_schemas={**NUMBER, **STEP},
         response={"type": "object", "required": ["case"]})
async def manager_step(request):
    c, body = console(request), await body_of(request)
    return await _acted(c, "manager", request[SESSION].staff, "case.step", {
        **body, "number": request.match_info["number"], "step": request.match_info["step"]})


@PAGES.add("GET", "/manage/case-figures", "manager", "Figures of ratings and cases: coverage, 满意率, "
           "差评率, 按期整改率, 回访率 by day, month, window, department, staff")
async def figures_page(request):
    return render(request, "case_figures", "评价与整改统计", extra={"columns": CASE_FIGURES})


async def _figures(request) -> tuple[dict, str]:
    c = console(request)
    today = c.today()
    first = date_arg(request, "from", today[:8] + "01")
    last = date_arg(request, "to", today)
    days = (dt.date.fromisoformat(last) - dt.date.fromisoformat(first)).days + 1
    if not 1 <= days <= MAX_REPORT_DAYS:
        raise ApiError(400, "bad_request", f"日期范围须在 1 到 {MAX_REPORT_DAYS} 天之间，且开始不晚于结束")
    by = request.query.get("by", "day")
    if by not in figures.GROUPS:
        raise ApiError(400, "bad_request", "by 须为 day、month、window、department 或 staff")
    return await c.call(c.case_figures, first, last, by), f"{first}_{last}_{by}"


def _key_name(c, by: str, names: dict[str, str]):
    if by == "window":
        return lambda key: c.window_names.get(key, key)
    if by == "staff":
        return lambda key: names.get(key, key)
    return lambda key: key


@API.add("GET", "/api/case-figures", "manager", "Ratings and cases by day, month, window, department "
         "or staff, with the bar charts of coverage and on-time rate", query=FIGURE_QUERY,
         response={"type": "object", "required": ["rows", "total"]})
async def figures_json(request):
    c = console(request)
    result, _ = await _figures(request)
    name = _key_name(c, result["by"], await c.call(c.staff_names))
    for row in result["rows"]:
        row["name"] = name(row["key"])
    result["charts"] = {column: bar_chart([(r["name"], round((r[column] or 0) * 100)) for r in result["rows"]],
                                          unit="%", color=color)
                        for column, color in (("coverage", "#1f6fd1"), ("on_time_rate", "#2e9d4f"))}
    return web.json_response(result)


async def _sheet(request) -> tuple[list[list], tuple, str]:
    c = console(request)
    result, stem = await _figures(request)
    table = figures.table(result, _key_name(c, result["by"], await c.call(c.staff_names)))
    headers = (CASE_FIGURES["group_" + result["by"]], *(CASE_FIGURES[k] for k in figures.COLUMNS))
    return table, headers, stem


@API.add("GET", "/api/case-figures.csv", "manager", "The figures as CSV (UTF-8, BOM)",
         query=FIGURE_QUERY, produces="text/csv")
async def figures_csv(request):
    table, headers, stem = await _sheet(request)
    return _download(exports.to_csv(table, headers), f"ratings-{stem}.csv", "text/csv")


@API.add("GET", "/api/case-figures.xlsx", "manager", "The figures as an Excel workbook",
         query=FIGURE_QUERY, produces=XLSX)
async def figures_xlsx(request):
    c = console(request)
    table, headers, stem = await _sheet(request)
    body = await c.call(exports.to_xlsx, table, stem, headers)
    return _download(body, f"ratings-{stem}.xlsx", XLSX)
