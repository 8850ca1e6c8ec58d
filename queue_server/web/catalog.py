"""事项管理 on the web: the manager's page of the service catalogue (/manage/catalog) with its
API: list and search, add, edit and retire items, and each item's history (who, when, before,
after). The changes live in the hall's database (queue_server/catalog_desk.py)."""
from __future__ import annotations

from aiohttp import web

from hall.catalog.edits import catalog_text
from hall.config.catalog_model import DEFAULT_RETENTION_DAYS, DELIVERIES, FORMS
from hall.words import CATALOG_CHANGE, CATALOG_FIELD

from ..engine import EngineError
from .api import API, ApiError, body_of, console, text_arg
from .keys import SESSION
from .pages import PAGES, render

ITEM_CODE = {"code": {"type": "string", "minLength": 1, "maxLength": 64}}
TEXTS = {"type": "array", "items": {"type": "string", "maxLength": 200}}
MATERIAL = {"type": "object", "required": ["name"], "properties": {
    "name": {"type": "string"}, "form": {"type": "string", "enum": list(FORMS)},
    "count": {"type": "integer", "minimum": 1, "maximum": 99}, "later": {"type": "boolean"},
    "promise": {"type": "boolean"}, "not_needed": {"type": "boolean"}, "note": {"type": "string"}}}
ITEM = {"type": "object", "required": ["code", "name", "domain", "category", "legal_days"],
        "additionalProperties": False,
        "description": "the item's fields as the catalogue file writes them (docs/catalog.md)",
        "properties": {"code": {"type": "string", "maxLength": 64}, "name": {"type": "string", "maxLength": 60},
                       "domain": {"type": "string"}, "category": {"type": "string"},
                       "windows": {"type": "array", "items": {"type": "string"}}, "aliases": TEXTS,
                       "conditions": TEXTS, "materials": {"type": "array", "items": MATERIAL},
                       "legal_days": {"type": "integer", "minimum": 0, "maximum": 365},
                       "committed_days": {"type": "integer", "minimum": 0, "maximum": 365},
                       "fee": {"type": "string", "maxLength": 200}, "basis": TEXTS,
                       "delivery": {"type": "array", "items": {"type": "string", "enum": list(DELIVERIES)}},
                       "kiosk": {"type": "boolean"}, "face_check": {"type": "boolean"},
                       "retired": {"type": "boolean"},
                       "retention_days": {"type": "integer", "minimum": 1, "maximum": 3650,
                                          "description": "days an application's personal data is kept"}}}
ITEM_BODY = {"type": "object", "required": ["item"], "properties": {"item": ITEM}}
# A well-formed item the catalogue's rules refuse is a 409 (like a slot the hall does not
# have): JSON Schema cannot say "Chinese" or "committed at most legal".
STATUS = {"bad_request": 409, "unknown_ticket": 404, "conflict": 409}


async def _desk(request, fn, *args):
    """A catalogue desk call on the console's worker threads; refusals as API errors (the
    message names the field: “承诺时限”填写有误)."""
    c = console(request)
    try:
        return await c.call(fn, *args)
    except EngineError as exc:
        raise ApiError(STATUS.get(exc.code, 409), exc.code, exc.message) from None


@PAGES.add("GET", "/manage/catalog", "manager", "事项管理: the service catalogue, its edits and history")
async def catalog_page(request):
    return render(request, "catalog", "事项管理", extra={"retention_days": DEFAULT_RETENTION_DAYS})


@API.add("GET", "/api/manage/catalog", "manager", "Every service item (retired ones too) and the form's choices",
         response={"type": "object", "required": ["items", "domains", "categories", "windows"]})
async def catalog_items(request):
    c = console(request)
    items = await _desk(request, c.service.catalogue.items)
    config = c.config
    return web.json_response({
        "items": items, "domains": list(config.catalog.domains) if config.catalog else [],
        "categories": [{"id": x.id, "name": x.name} for x in config.categories],
        "windows": [{"id": w.id, "name": w.name} for w in config.windows],
        "fields": CATALOG_FIELD, "forms": FORMS, "deliveries": DELIVERIES, "actions": CATALOG_CHANGE})


@API.add("GET", "/api/manage/catalog/file", "manager",
         "The catalogue with the console's edits as a YAML file, to ship to the kiosks",
         produces="application/yaml")
async def catalog_file(request):
    c = console(request)
    if c.config.catalog is None:
        raise ApiError(404, "unknown_ticket", "本厅没有事项目录")
    text = await c.call(catalog_text, c.config.catalog)
    return web.Response(text=text, content_type="application/yaml", headers={
        "Content-Disposition": 'attachment; filename="catalog.yaml"', "Cache-Control": "no-store"})


@API.add("GET", "/api/manage/catalog/history", "manager", "Changes of the catalogue, newest first",
         query=(("code", "one item's code (default: every item)", {"type": "string", "maxLength": 64}),),
         response={"type": "array", "items": {"type": "object"}})
async def catalog_history(request):
    c = console(request)
    code = text_arg(dict(request.query), "code", required=False, limit=64) or None
    return web.json_response(await _desk(request, c.service.catalogue.history, code))


@API.add("POST", "/api/manage/catalog/items", "manager", "Add a service item", body=ITEM_BODY,
         response={"type": "object"}, errors=(409,))
async def catalog_add(request):
    c, body, session = console(request), await body_of(request), request[SESSION]
    return web.json_response(await _desk(request, c.service.catalogue.add, body.get("item"),
                                         session.staff, c.clock()))


@API.add("PUT", "/api/manage/catalog/items/{code}", "manager", "Edit a service item (its code stays)",
         body=ITEM_BODY, response={"type": "object"}, errors=(409,), path_schemas=ITEM_CODE)
async def catalog_edit(request):
    c, body, session = console(request), await body_of(request), request[SESSION]
    return web.json_response(await _desk(request, c.service.catalogue.edit, request.match_info["code"],
                                         body.get("item"), session.staff, c.clock()))


@API.add("POST", "/api/manage/catalog/items/{code}/retire", "manager",
         "Retire a service item: no longer offered, kept for old tickets and notices",
         response={"type": "object"}, errors=(409,), path_schemas=ITEM_CODE)
async def catalog_retire(request):
    c, session = console(request), request[SESSION]
    return web.json_response(await _desk(request, c.service.catalogue.retire, request.match_info["code"],
                                         session.staff, c.clock()))
