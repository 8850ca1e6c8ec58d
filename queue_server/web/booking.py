"""预约办理 on the web: the citizen's booking page (/book) with its API, the manager's
bookings page (/manage/bookings), and the window's check-in by booking code.

Public forms work like the login: the page's session carries a CSRF token that every POST
sends back (X-CSRF-Token), and guessing is slowed per client address: a booking code and
the last four ID digits that do not match count as a miss (GuessLimiter, like ticket links),
and so does every booking made (one address cannot fill a day's slots).
"""
from __future__ import annotations

import base64
import io
import math


from aiohttp import web

from ..engine import EngineError
from .api import API, CATEGORY_ID, DATE, NOT_BLANK, ApiError, body_of, console, date_arg, text_arg
from .console import ActionError
from ..guess_limits import GuessLimiter
from .keys import CONSOLE, SESSION
from .pages import PAGES, render

BOOKING_STATUS = {"bad_request": 400, "unknown_category": 404, "unknown_ticket": 404,
                  "quota_exceeded": 409, "limit_per_person": 409, "forbidden": 409, "conflict": 409}
CODE = {"type": "string", "pattern": r"^\d{8}$", "description": "预约码: 8 digits"}
LAST4 = {"type": "string", "pattern": r"^\d{3}[\dXx]$", "description": "the last four characters of the ID number"}
WHEN = {"date": DATE, "slot": {"type": "string", "pattern": r"^\d{2}:\d{2}-\d{2}:\d{2}$", "example": "09:00-09:30"}}
BOOK_BODY = {"type": "object", "required": ["date", "slot", "name", "phone", "id_number"], "properties": {
    "category": {**CATEGORY_ID, "description": "the queue; or give service"},
    "service": {"type": "string", "maxLength": 32, "description": "a catalogue item code (its category is booked)"},
    **WHEN, "name": {"type": "string", "minLength": 1, "maxLength": 32, "pattern": NOT_BLANK},
    "phone": {"type": "string", "pattern": r"^1[3-9]\d{9}$"},
    "id_number": {"type": "string", "pattern": r"^\d{17}[\dXx]$", "description": "kept as a keyed hash and the last four digits"}}}
OWN_BODY = {"type": "object", "required": ["code", "last4"], "properties": {"code": CODE, "last4": LAST4}}
MOVE_BODY = {"type": "object", "required": ["code", "last4", "date", "slot"],
             "properties": {"code": CODE, "last4": LAST4, **WHEN}}
BOOKING_VIEW = {"type": "object", "required": ["category", "date", "slot", "status", "status_text"], "properties": {
    "code": CODE, "category": {"type": "string"}, "category_name": {"type": "string"},
    "service": {"type": "string", "nullable": True}, "service_name": {"type": "string"},
    "date": DATE, "date_label": {"type": "string"}, "slot": {"type": "string"},
    "name": {"type": "string", "description": "masked: 王*明"}, "phone": {"type": "string", "nullable": True,
                                                                     "description": "masked: 138****5678"},
    "id_last4": {"type": "string"}, "status": {"type": "string", "enum": ["booked", "cancelled", "checked_in", "missed"]},
    "status_text": {"type": "string"}, "qr": {"type": "string", "description": "data: URI of the code's QR image"}}}
CAPACITY_BODY = {"type": "object", "required": ["category", "slot", "capacity"], "properties": {
    "category": CATEGORY_ID, "slot": WHEN["slot"], "capacity": {"type": "integer", "minimum": 0, "maximum": 999}}}

def _slow_down(guard: GuessLimiter, request) -> None:
    wait = guard.wait_s(request.remote or "?", request.app[CONSOLE].clock())
    if wait > 0:
        raise ApiError(429, "rate_limited", f"操作过于频繁，请 {math.ceil(wait / 60)} 分钟后再试",
                       {"Retry-After": str(math.ceil(wait))})


async def _desk(request, fn, *args):
    """A booking desk call on the console's worker threads; its refusals as API errors."""
    c = console(request)
    try:
        return await c.call(fn, *args)
    except EngineError as exc:
        raise ApiError(BOOKING_STATUS.get(exc.code, 409), exc.code, exc.message) from None


def with_qr(booking: dict) -> dict:
    """The booking with its code as a QR image (SVG data URI) for the kiosk's scanner."""
    if booking.get("status") != "booked" or not booking.get("code"):
        return booking
    return {**booking, "qr": qr_svg_uri(booking["code"])}


def qr_svg_uri(text: str) -> str:
    """`text` as a QR image, an SVG data URI (booking codes, the application receipt's link)."""
    out = io.BytesIO()
    import qrcode                 # here: the server's start never needs it (and PIL with it)
    import qrcode.image.svg

    qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2).save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


# -- pages --------------------------------------------------------------------------------
@PAGES.add("GET", "/book", "public", "Mobile booking page (预约办理): book, look up, move, cancel")
async def book_page(request):
    return render(request, "book", "预约办理")


@PAGES.add("GET", "/manage/bookings", "manager", "The bookings of a day and the slot capacities")
async def bookings_page(request):
    return render(request, "bookings", "预约管理")


# -- the citizen ---------------------------------------------------------------------------
@API.add("GET", "/api/booking/offer", "public", "What may be booked: categories and catalogue items",
         response={"type": "object", "required": ["categories", "items", "days_ahead"]})
async def offer(request):
    c = console(request)
    return web.json_response(c.service.bookings.offer())


@API.add("GET", "/api/booking/days", "public", "The bookable days of a category, each slot with its seats left",
         query=(("category", "a category id", CATEGORY_ID),),
         response={"type": "array", "items": {"type": "object", "required": ["date", "label", "slots"]}}, errors=(404,))
async def days(request):
    c = console(request)
    return web.json_response(await _desk(request, c.service.bookings.days,
                                         request.query.get("category"), c.clock()))


@API.add("POST", "/api/bookings", "public", "Book a slot; the answer carries the booking code",
         body=BOOK_BODY, response=BOOKING_VIEW, errors=(404, 409, 429))
async def book(request):
    c, body = console(request), await body_of(request)
    _slow_down(console(request).bookings_made, request)
    form = {k: text_arg(body, k, required=False, limit=32) for k in BOOK_BODY["properties"]}
    booking = await _desk(request, c.service.bookings.book, form, c.clock())
    console(request).bookings_made.missed(request.remote or "?", c.clock())
    return web.json_response(with_qr(booking))


async def _own(request, fn, extra=None):
    """A call with the citizen's code and last four digits; a mismatch counts as a miss."""
    c, body = console(request), await body_of(request)
    guard = console(request).booking_misses
    _slow_down(guard, request)
    code, last4 = text_arg(body, "code", limit=16), text_arg(body, "last4", limit=8)
    try:
        return await c.call(fn, code, last4, *extra(body) if extra else ())
    except EngineError as exc:
        if exc.code == "unknown_ticket":
            guard.missed(request.remote or "?", c.clock())
        raise ApiError(BOOKING_STATUS.get(exc.code, 409), exc.code, exc.message) from None


@API.add("POST", "/api/bookings/lookup", "public", "A booking by its code and the last four ID digits",
         body=OWN_BODY, response=BOOKING_VIEW, errors=(404, 429))
async def lookup(request):
    return web.json_response(with_qr(await _own(request, console(request).service.bookings.find)))


@API.add("POST", "/api/bookings/cancel", "public", "Cancel a booking (code and the last four ID digits)",
         body=OWN_BODY, response=BOOKING_VIEW, errors=(404, 409, 429))
async def cancel(request):
    c = console(request)
    return web.json_response(await _own(request, c.service.bookings.cancel, lambda body: (c.clock(),)))


@API.add("POST", "/api/bookings/move", "public", "改约: the same booking on another day or slot",
         body=MOVE_BODY, response=BOOKING_VIEW, errors=(404, 409, 429))
async def move(request):
    c = console(request)

    def when(body):
        return {"date": text_arg(body, "date", limit=10), "slot": text_arg(body, "slot", limit=11)}, c.clock()
    return web.json_response(with_qr(await _own(request, c.service.bookings.move, when)))


# -- the window: check in by code -------------------------------------------------------------
@API.add("POST", "/api/window/checkin", "window", "预约签到 at the window: the booking's ticket, by its code",
         window=True, body={"type": "object", "required": ["code"], "properties": {"code": CODE}},
         response={"type": "object"}, errors=(404,))
async def window_checkin(request):
    c, body = console(request), await body_of(request)
    code = text_arg(body, "code", limit=16)
    try:
        data = await c.act("window", request[SESSION].window, "appointment.checkin", {"code": code})
    except ActionError as exc:
        raise ApiError.of(exc) from None
    return web.json_response(data)


# -- the manager ------------------------------------------------------------------------------
@API.add("GET", "/api/manage/bookings", "manager", "The bookings of a day (personal data masked)",
         query=(("date", "YYYY-MM-DD, default today", DATE),),
         response={"type": "array", "items": BOOKING_VIEW})
async def day_bookings(request):
    c = console(request)
    return web.json_response(await _desk(request, c.service.bookings.day_bookings,
                                         date_arg(request, "date", c.today())))


@API.add("GET", "/api/manage/capacities", "manager", "Bookings allowed per category per slot",
         response={"type": "object", "required": ["default", "slots", "categories"]})
async def capacities(request):
    c = console(request)
    return web.json_response(await _desk(request, c.service.bookings.capacity_table))


@API.add("PUT", "/api/manage/capacities", "manager", "Set the bookings allowed in one slot of a category",
         body=CAPACITY_BODY, response={"type": "object"}, errors=(404, 409))
async def set_capacity(request):
    c, body, session = console(request), await body_of(request), request[SESSION]
    args = (body.get("category"), body.get("slot"), body.get("capacity"))
    table = await _desk(request, c.service.bookings.set_capacity, *args, session.staff, c.clock())
    await c.call(c.audit, session, "booking.capacity", dict(zip(("category", "slot", "capacity"), args)))
    return web.json_response(table)
