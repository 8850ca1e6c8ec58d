"""The console's HTML pages: a server-made shell each; the page's script fills it live."""
from __future__ import annotations

import functools
import json
from html import escape
from pathlib import Path

from aiohttp import web

from hall import words
from hall.words import FACE_FALLBACK, FACE_RESULT, TICKET_ACTION

from .keys import CONSOLE, SESSION
from .routes import Registry

PAGES = Registry()
TEMPLATES = Path(__file__).parent / "templates"
# The glossary's words every page's script shows (hall/words.py): the scripts keep no copies.
WORDS = {"status": words.TICKET_STATUS, "window_state": words.WINDOW_STATE,
         "action": words.WINDOW_ACTION, "done": words.WINDOW_ACTION_DONE,
         "ticket_action": words.TICKET_ACTION, "rating": words.RATING_LEVEL,
         "role": words.STAFF_ROLE, "audit": words.AUDIT_ACTION,
         "material_status": words.MATERIAL_STATUS,
         "case_kind": words.CASE_KIND, "case_state": words.CASE_STATE, "case_action": words.CASE_ACTION,
         "case_deadline": words.CASE_DEADLINE, "case_channel": words.CASE_CHANNEL,
         "revisit_how": words.REVISIT_HOW, "rating_channel": words.RATING_CHANNEL,
         "rating_page": words.RATING_PAGE,
         "case_evidence": {"title": words.CASE_EVIDENCE, "add": words.CASE_EVIDENCE_ADD}}
MANAGER_NAV = ("dashboard", "report", "ratings", "bookings", "catalog", "applications_report", "sites",
               "audit", "staff", "cases", "case_figures")
WINDOW_BAR = ("applications", "complaints")     # a window's side pages: back to its caller


def boot_json(data: dict) -> str:
    """JSON safe inside <script type="application/json">."""
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@functools.cache
def template(name: str) -> str:
    return (TEMPLATES / f"{name}.html").read_text(encoding="utf-8")


def render(request: web.Request, page: str, title: str, *, status: int = 200, extra: dict | None = None) -> web.Response:
    c, session = request.app[CONSOLE], request[SESSION]
    boot = {"hall": c.config.name, "page": page,
            "categories": [{"id": x.id, "prefix": x.prefix, "name": x.name} for x in c.config.categories],
            "windows": [{"id": w.id, "name": w.name} for w in c.config.windows],
            "words": WORDS,
            "session": {k: v for k, v in session.public().items() if k != "csrf"} if session.token else None,
            **(extra or {})}
    values = {"title": escape(title), "hall": escape(c.config.name), "page": page,
              "csrf": escape(session.csrf), "boot": boot_json(boot),
              "nav": template("nav") if page in MANAGER_NAV
              else template("window_bar") if page in WINDOW_BAR else "",
              "body": template(page)}
    html = template("layout")
    for key, value in values.items():
        html = html.replace("{{" + key + "}}", value)
    return web.Response(text=html, content_type="text/html", status=status,
                        headers={"Cache-Control": "no-store"})


@PAGES.add("GET", "/", "public", "Start: the page of the visitor's role")
async def home(request):
    session = request[SESSION]
    if session.window:
        raise web.HTTPFound("/caller")
    raise web.HTTPFound("/manage" if session.role in ("manager", "admin") else "/login")


@PAGES.add("GET", "/login", "public", "Staff login")
async def login(request):
    return render(request, "login", "工作人员登录")


@PAGES.add("GET", "/caller", "window", "Staff caller of the window this browser holds", window=True)
async def caller(request):
    config = request.app[CONSOLE].config
    rules = config.rules
    return render(request, "caller", "窗口叫号", extra={"rules": {
        "max_recalls": rules.max_recalls, "requeue_behind": rules.requeue_behind,
        "requeue_within_min": rules.requeue_within_min}, "items": caller_items(config),
        "face": {"results": FACE_RESULT, "fallback": FACE_FALLBACK,
                 "action": TICKET_ACTION["face_verify"]}})


def caller_items(config) -> dict:
    """The catalogue as the caller needs it: each item's name (shown with the called ticket)
    and the materials a citizen brings (the one-time notice's boxes to tick)."""
    catalog = config.catalog
    if catalog is None:
        return {}
    names = {b.code: {"name": b.name, "materials": []} for b in catalog.bundles}
    return {**names, **{i.code: {"name": i.name, "materials": [m.name for m in i.materials if m.brought]}
                        for i in catalog.items}}


@PAGES.add("GET", "/screen", "public", "Hall screen for a 1920x1080 TV")
async def screen(request):
    return render(request, "screen", "综合屏")


@PAGES.add("GET", "/t/{token}", "public", "Mobile ticket page (QR code of a ticket)")
async def ticket(request):
    rules = request.app[CONSOLE].config.ratings
    return render(request, "ticket", "我的排号", extra={"token": request.match_info["token"], "rating": {
        "levels": words.RATING_LEVEL, "reasons": rules.reasons, "comment_max": rules.comment_max,
        "via": "sms" if request.query.get("via") == "sms" else "mobile",
        "words": {"ask": words.RATING_ASK, "reasons": words.RATING_REASONS_ASK,
                  "comment": words.RATING_COMMENT, "phone": words.RATING_PHONE,
                  "submit": words.RATING_SUBMIT, "thanks": words.RATING_THANKS,
                  "change": words.RATING_CHANGE,
                  "changeable": words.rating_changeable(rules.change_minutes)}}})


@PAGES.add("GET", "/manage", "manager", "Manager dashboard")
async def dashboard(request):
    return render(request, "dashboard", "大厅监控")


@PAGES.add("GET", "/manage/report", "manager", "Date-range report and exports")
async def report(request):
    return render(request, "report", "统计报表")


@PAGES.add("GET", "/manage/ratings", "manager", "Bad ratings and their rectification")
async def ratings(request):
    return render(request, "ratings", "差评整改")


@PAGES.add("GET", "/manage/audit", "manager", "Audit log of staff actions")
async def audit(request):
    return render(request, "audit", "操作日志")


@PAGES.add("GET", "/admin/staff", "admin", "Staff accounts and roles")
async def staff(request):
    return render(request, "staff", "人员账号")
