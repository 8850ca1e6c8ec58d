"""办件 on the web: the window's application page (file, accept, 补正, refuse, decide, 统一出件),
the printable receipt (受理凭证) with its QR code, the citizen's phone page and lookup, and the
manager's deadline report. Every change goes through HallService (application.<action>); the
words of states and deadlines come from hall/words.py.
"""
from __future__ import annotations

from functools import partial

from aiohttp import web

from drivers.printer.a4 import a4_pdf
from hall.application_text import receipt_document
from hall.words import APPLICATION_UNKNOWN

from ..applications.model import TRANSITIONS
from ..applications.uploads import image_type
from .api import API, ApiError, body_of, console, guessed
from .booking import qr_svg_uri
from .console import ActionError
from .keys import SESSION
from .pages import PAGES, render

TOKEN = {"token": {"type": "string", "minLength": 1, "maxLength": 200}}
NUMBER = {"number": {"type": "string", "minLength": 1, "maxLength": 80}}
VIEW = {"type": "object", "required": ["number", "item", "state", "state_text", "url"]}
SUBMIT_BODY = {"type": "object", "required": ["identity"], "properties": {
    "item": {"type": "string", "maxLength": 64, "description": "item code; default: the called ticket's item"},
    "identity": {"type": "object", "required": ["id_number"], "properties": {
        "id_number": {"type": "string"}, "name": {"type": "string"}}},
    "form": {"type": "object", "additionalProperties": {"type": "string", "maxLength": 500}},
    "phone": {"type": "string"},
    "materials": {"type": "object", "additionalProperties": {"enum": ["received", "later", "promise"]}}}}
STEP_BODY = {"type": "object", "properties": {
    "materials": {"type": "object", "additionalProperties": {"enum": ["received", "later", "promise"]}},
    "missing": {"type": "array", "items": {"type": "string"}, "maxItems": 50},
    "reason": {"type": "string", "maxLength": 200}}}
ACTION = {"action": {"enum": list(TRANSITIONS)}}


# -- the citizen ----------------------------------------------------------------------------------
@PAGES.add("GET", "/a/{token}", "public", "The citizen's application page (QR code of the receipt)")
async def application_page(request):
    return render(request, "application", "办件进度", extra={"token": request.match_info["token"]})


@PAGES.add("GET", "/a/{token}/receipt", "public", "受理凭证: the printable receipt of an application (A4)")
async def receipt_page(request):
    return render(request, "receipt", "受理凭证", extra={"token": request.match_info["token"]})


@API.add("GET", "/api/applications/{token}", "public", "An application by the unguessable token of its "
         "link: state, deadline, what is missing, where to collect (nothing personal), with the QR code "
         "of its page for the receipt", response=VIEW, path_schemas=TOKEN, errors=(429,))
async def application(request):
    c = console(request)
    found = await guessed(c, request, lambda: c.call(c.service.applications.by_token, request.match_info["token"]),
                          ApiError(404, "unknown_application", "没有找到这个办件，请核对二维码"))
    return web.json_response({**found, "qr": qr_svg_uri(found["url"])})


@API.add("GET", "/api/application-lookup", "public", "An application by its number and the last four "
         "characters of the applicant's ID number (both must match)", response=VIEW, errors=(404, 429),
         query=(("number", "application number"), ("last4", "last four characters of the ID number")))
async def application_lookup(request):
    c = console(request)
    found = await guessed(c, request, lambda: c.call(c.service.applications.lookup, request.query.get("number"),
                                                     request.query.get("last4")),
                          ApiError(404, "unknown_application", APPLICATION_UNKNOWN))
    return web.json_response(found)


# -- the window ----------------------------------------------------------------------------------
@PAGES.add("GET", "/applications", "window", "The window's applications (办件): file, accept, 补正, "
           "refuse, decide; 统一出件", window=True)
async def window_page(request):
    c, window = console(request), request[SESSION].window
    state = (await c.call(c.service.retained_states)).get(f"window/{window}/state") or {}
    return render(request, "applications", "办件受理", extra={
        "items": _items(c.config), "called_item": state.get("service") if state.get("ticket") else None,
        "steps": {a: list(step.sources) for a, step in TRANSITIONS.items()}})


def _items(config) -> list[dict]:
    catalog = config.catalog
    if catalog is None:
        return []
    return [{"code": i.code, "name": i.name, "domain": i.domain, "committed_days": i.committed_days,
             "post": "post" in i.delivery,
             "materials": [{"name": m.name, "later": m.later, "promise": m.promise}
                           for m in i.materials if m.brought]} for i in catalog.offered()]


async def _act(request, action: str, body: dict) -> web.Response:
    c = console(request)
    try:
        data = await c.window_action(request[SESSION], f"application.{action}", body)
    except ActionError as exc:
        raise ApiError.of(exc) from None
    return web.json_response(data)


@API.add("POST", "/api/window/applications", "window", "File an application at this window (for the "
         "called ticket's item, or a walk-in's)", window=True, body=SUBMIT_BODY,
         response={"type": "object", "required": ["application"]})
async def window_submit(request):
    return await _act(request, "submit", await body_of(request))


@API.add("POST", "/api/window/applications/{number}/{action}", "window", "Move an application on: "
         "accept (受理), correct (补正: missing), resubmit, approve, refuse (reason), ready (出件), "
         "collect, post", window=True, body=STEP_BODY, path_schemas={**NUMBER, **ACTION},
         response={"type": "object", "required": ["application"]})
async def window_step(request):
    action = request.match_info["action"]
    if action not in TRANSITIONS:
        raise ApiError(404, "unknown_action", "没有这个办件操作")
    body = await body_of(request)
    return await _act(request, action, {**body, "number": request.match_info["number"]})


@API.add("GET", "/api/window/applications/{number}", "window", "One application with its form and "
         "materials, for the window", window=True, path_schemas=NUMBER, response=VIEW)
async def window_application(request):
    c, session = console(request), request[SESSION]
    found = await c.call(partial(c.service.applications.for_window, request.match_info["number"],
                                 staff=session.staff, window=session.window))
    if found is None:
        raise ApiError(404, "unknown_application", "没有这个办件")
    return web.json_response(found)


@API.add("GET", "/api/window/applications/{number}/receipt.pdf", "window", "受理凭证 as an A4 PDF "
         "(number, item, applicant masked, dates, QR code of the phone page, where to collect)",
         window=True, path_schemas=NUMBER, produces="application/pdf", errors=(404, 409))
async def window_receipt_pdf(request):
    c, session = console(request), request[SESSION]
    found = await c.call(partial(c.service.applications.for_window, request.match_info["number"],
                                 staff=session.staff, window=session.window))
    if found is None:
        raise ApiError(404, "unknown_application", "没有这个办件")
    if not found["accepted_on"]:
        raise ApiError(409, "conflict", "还没有受理，没有受理凭证")
    pdf = await c.call(a4_pdf, receipt_document(found, found["name"]))
    return web.Response(body=pdf, content_type="application/pdf", headers={
        "Cache-Control": "no-store",
        "Content-Disposition": f'attachment; filename="receipt-{found["number"]}.pdf"'})


@API.add("GET", "/api/window/applications/{number}/photos/{index}", "window", "A material photo, "
         "decrypted for the logged-in window only (never cached)", window=True,
         path_schemas={**NUMBER, "index": {"type": "string", "pattern": "^[0-9]{1,2}$"}},
         produces="image/jpeg", errors=(404,))
async def window_photo(request):
    c, session = console(request), request[SESSION]
    index = request.match_info["index"]
    found = await c.call(partial(c.service.applications.photo, request.match_info["number"],
                                 int(index) if index.isdigit() and len(index) <= 2 else -1,
                                 staff=session.staff, window=session.window))
    if found is None:
        raise ApiError(404, "unknown_photo", "没有这张照片")
    return image_response(found[1])


def image_response(data: bytes) -> web.Response:
    """A decrypted photo: typed by its bytes, never cached, never sniffed as anything else."""
    return web.Response(body=data, content_type=image_type(data) or "application/octet-stream",
                        headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
                                 "Content-Disposition": "inline"})


@API.add("GET", "/api/window/called-applications", "window", "The applications of the ticket this "
         "window calls or serves: filed on it today, taken to collect with it (统一出件), or its "
         "holder's", window=True, response={"type": "array"})
async def window_called(request):
    c = console(request)
    return web.json_response(await c.call(c.service.applications.called, request[SESSION].window))


@API.add("GET", "/api/window/applications", "window", "Open applications (state: one state only, "
         "e.g. ready for 统一出件)", window=True, query=(("state", "one state"),),
         response={"type": "array"})
async def window_list(request):
    c = console(request)
    state = request.query.get("state") or None
    return web.json_response(await c.call(c.service.applications.listing, state))


# -- the manager ---------------------------------------------------------------------------------
@PAGES.add("GET", "/manage/applications", "manager", "Deadline warnings and the overdue report")
async def report_page(request):
    return render(request, "applications_report", "办件时限")


@API.add("GET", "/api/manage/applications/deadlines", "manager", "Applications near, at or past their "
         "deadline; overdue counts per department (domain) and window",
         response={"type": "object", "required": ["warnings", "overdue_by_domain", "overdue_by_window"]})
async def deadlines(request):
    c = console(request)
    return web.json_response(await c.call(c.service.applications.deadlines))
