"""办事指南 and 一次性告知书 on the web: the mobile guide page of an item (the QR code of the
kiosk's printed checklist), the notice page (the window's printout and the citizen's phone),
and the clerk's notice at the window. The words come from hall.catalog.guide, as at the kiosk.
"""
from __future__ import annotations


from aiohttp import web

from hall.catalog.guide import guide_parts, notice_lines
from hall.words import (
    GUIDE,
    NOTICE,
    NOTICE_LEAD,
    NOTICE_NUMBER,
    NOTICE_RETURN,
    NOTICE_UNKNOWN,
)

from .api import API, ApiError, body_of, console, guessed
from .console import ActionError
from .keys import SESSION
from .pages import PAGES, render

CODE = {"code": {"type": "string", "minLength": 1, "maxLength": 64}}
TOKEN = {"token": {"type": "string", "minLength": 1, "maxLength": 200}}
LINES = {"type": "array", "items": {"type": "string"}}
GUIDE_VIEW = {"type": "object", "required": ["code", "name", "domain", "parts"], "properties": {
    "code": {"type": "string"}, "name": {"type": "string"}, "domain": {"type": "string"},
    "parts": {"type": "array", "items": {"type": "object", "required": ["title", "lines"], "properties": {
        "title": {"type": "string"}, "lines": LINES}}}}}
NOTICE_VIEW = {"type": "object", "required": ["number", "item", "item_name", "materials", "date", "hall"],
               "properties": {
                   "title": {"type": "string"}, "number": {"type": "string"},
                   "number_label": {"type": "string"}, "item": {"type": "string"},
                   "item_name": {"type": "string"}, "lead": {"type": "string"},
                   "materials": {**LINES, "description": "the missing materials: all of them, only them"},
                   "back": {"type": "string"}, "ticket": {"type": ["string", "null"]},
                   "application": {"type": ["string", "null"], "description": "the application "
                                   "(办件) whose 补正 it tells, if any"}, "date": {"type": "string"},
                   "hall": {"type": "string"}}}
NOTICE_BODY = {"type": "object", "required": ["materials"], "properties": {"materials": {
    "type": "array", "minItems": 1, "maxItems": 50, "uniqueItems": True,
    "items": {"type": "string", "minLength": 1, "maxLength": 60},
    "description": "the names (as in the catalogue) of the materials the citizen has not brought"}}}


def _item(request: web.Request):
    catalog = console(request).config.catalog
    item = catalog.item(request.match_info["code"]) if catalog is not None else None
    if item is None or item.retired:
        raise ApiError(404, "unknown_item", "没有这个办理事项")
    return item


def guide_view(item, config) -> dict:
    return {"code": item.code, "name": item.name, "domain": item.domain,
            "parts": [{"title": p.title, "lines": list(p.lines)} for p in guide_parts(item, config)]}


@PAGES.add("GET", "/g/{code}", "public", "Mobile guide (办事指南) of a service item (QR code of the "
           "kiosk's printed materials checklist)")
async def guide_page(request):
    return render(request, "guide", GUIDE, extra={"code": request.match_info["code"]})


@API.add("GET", "/api/guide/{code}", "public", "The guide of a service item, part by part, in the kiosk's words",
         response=GUIDE_VIEW, path_schemas=CODE)
async def guide(request):
    return web.json_response(guide_view(_item(request), console(request).config))


@PAGES.add("GET", "/n/{token}", "public", "One-time notice (一次性告知书): printable, and the citizen's phone")
async def notice_page(request):
    return render(request, "notice", NOTICE, extra={"token": request.match_info["token"]})


def notice_view(notice: dict, config) -> dict:
    item = config.catalog.item(notice["item"]) if config.catalog is not None else None
    return {"title": NOTICE, "number": notice["number"], "number_label": NOTICE_NUMBER,
            "item": notice["item"], "item_name": item.name if item else notice["item"],
            "lead": NOTICE_LEAD, "back": NOTICE_RETURN, "ticket": notice["ticket"],
            "application": notice.get("application"),
            "materials": notice_lines(item, notice["materials"]) if item else notice["materials"],
            "date": notice["date"], "hall": config.name}


@API.add("GET", "/api/notices/{token}", "public", "A one-time notice by the unguessable token of its link",
         response=NOTICE_VIEW, path_schemas=TOKEN, errors=(429,))
async def notice(request):
    c = console(request)
    found = await guessed(c, request, lambda: c.call(c.service.notice_by_token, request.match_info["token"]),
                          ApiError(404, "unknown_notice", NOTICE_UNKNOWN))
    return web.json_response(notice_view(found, c.config))


@API.add("POST", "/api/window/notice", "window", "一次性告知书 for the current ticket's item: the materials "
         "the citizen has not brought", window=True, body=NOTICE_BODY,
         response={"type": "object", "required": ["notice"]}, errors=(404,))
async def window_notice(request):
    c, body = console(request), await body_of(request)
    names = body.get("materials")
    if not isinstance(names, list) or not 0 < len(names) <= 50 or len(set(map(str, names))) != len(names) \
            or not all(isinstance(n, str) and 0 < len(n) <= 60 for n in names):
        raise ApiError(400, "bad_request", "请勾选所缺的材料（每项一次）")
    try:
        data = await c.window_action(request[SESSION], "notice", {"materials": names})
    except ActionError as exc:
        raise ApiError.of(exc) from None
    return web.json_response(data)
