"""The aiohttp application: sessions and role checks around every page and API operation."""
from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import quote

from aiohttp import web

from . import booking  # noqa: F401  (registers the booking pages and operations)
from .api import API, ApiError
from .auth import LoginSession, allows, csrf_ok
from .console import Console
from .keys import CONSOLE, NEW_SESSION, SESSION
from .pages import PAGES
from . import guides  # noqa: F401  (registers the guide and notice pages and operations)
from . import applications  # noqa: F401  (registers the application pages and operations)
from . import catalog  # noqa: F401  (registers 事项管理, the manager's catalogue page)
from . import sites  # noqa: F401  (registers 站点监控, the county's view of its sites)
from . import cases  # noqa: F401  (registers the case, complaint and figures pages and operations)

log = logging.getLogger(__name__)

COOKIE = "yc_session"
STATIC = Path(__file__).parent / "static"
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
HSTS = "max-age=31536000"    # a year; no includeSubDomains: the hall's other hosts are not ours to pin
_ANONYMOUS = LoginSession(token="", csrf="", last_seen=0.0)


def error_response(status: int, code: str, message: str, headers: dict | None = None) -> web.Response:
    return web.json_response({"error": {"code": code, "message": message}}, status=status, headers=headers)


@web.middleware
async def sessions(request: web.Request, handler):
    """Find the visitor's session; set the cookie of a new one; add the security headers."""
    c: Console = request.app[CONSOLE]
    request[SESSION] = await c.session_of(request.cookies.get(COOKIE)) or _ANONYMOUS
    try:
        response = await handler(request)
    except ApiError as exc:
        response = error_response(exc.status, exc.code, exc.message, exc.headers)
    except web.HTTPException as exc:
        if not request.path.startswith("/api/") or exc.status < 400:
            raise
        response = http_error(exc)
    except Exception:
        if not request.path.startswith("/api/"):
            raise
        log.exception("%s %s failed", request.method, request.path)
        response = error_response(500, "internal", "服务器内部错误，请稍后再试")
    new = request.get(NEW_SESSION)
    if new is not None and not response.prepared:
        response.set_cookie(COOKIE, new.token, httponly=True, samesite="Strict", path="/",
                            secure=c.behind_tls)
    if not response.prepared:
        if c.behind_tls:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
    return response


# aiohttp's own refusals, said in Chinese for API clients (the pages only call /api).
HTTP_ERRORS = {404: ("not_found", "没有这个接口"), 405: ("method_not_allowed", "此接口不支持该请求方法"),
               413: ("too_large", "请求内容过大"), 415: ("bad_request", "请求内容格式不对")}


def http_error(exc: web.HTTPException) -> web.Response:
    code, message = HTTP_ERRORS.get(exc.status, ("bad_request", "请求有误"))
    headers = {k: v for k, v in exc.headers.items() if k in ("Allow", "Retry-After")}
    return error_response(exc.status, code, message, headers)


def ensure_session(request: web.Request) -> LoginSession:
    """A page or GET /api/session gives a visitor without a cookie a token (for the CSRF
    token of the login); it is not stored: the server keeps sessions of logged-in staff only."""
    session = request[SESSION]
    if session is _ANONYMOUS:
        c: Console = request.app[CONSOLE]
        session = request[SESSION] = request[NEW_SESSION] = c.sessions.anonymous(None, c.clock())
    return session


def guarded(op):
    """The operation's handler behind its role, window and CSRF checks."""
    async def handler(request: web.Request):
        if op.method == "GET" and (not op.is_api or op.path == "/api/session"):
            ensure_session(request)
        session = request[SESSION]
        if not allows(session.role, op.role):
            if op.is_api:
                raise ApiError(401, "not_logged_in", "请先登录") if session.role is None else \
                    ApiError(403, "forbidden", "您的账号无权进行此操作")
            if session.role is None:
                raise web.HTTPFound("/login?next=" + quote(request.path))
            return forbidden_page(request)
        if op.method != "GET" and not csrf_ok(session, request.headers.get("X-CSRF-Token")):
            raise ApiError(403, "csrf", "页面已过期，请刷新后重试")
        if op.window and not session.window:
            if not op.is_api:
                raise web.HTTPFound("/login?next=/caller")
            raise ApiError(409, "taken_over", "本窗口已在其他电脑登录，或您尚未选择窗口")
        return await op.handler(request)
    return handler


def forbidden_page(request: web.Request) -> web.Response:
    from .pages import render
    return render(request, "forbidden", "无权访问", status=403)


def create_app(console: Console) -> web.Application:
    app = web.Application(middlewares=[sessions], client_max_size=64 * 1024)
    app[CONSOLE] = console
    for op in PAGES.operations + API.operations:
        app.router.add_route(op.method, op.path, guarded(op))
    app.router.add_static("/static", STATIC, append_version=False)

    async def on_startup(_app):
        await console.start()

    async def on_cleanup(_app):
        await console.stop()

    app.on_startup.append(on_startup)
    app.on_cleanup.append(on_cleanup)
    return app
