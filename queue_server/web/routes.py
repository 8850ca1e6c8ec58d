"""One table of every page and API operation: its role, and its OpenAPI description.

The same table registers the aiohttp routes, checks the role before a handler runs and
writes /api/openapi.json, so the description cannot drift from what the server does.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from hall import __version__


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    handler: object
    role: str                          # public | window | manager | admin
    summary: str
    body: dict | None = None           # JSON Schema of the request body
    query: tuple[tuple, ...] = ()      # (name, description[, JSON Schema]); string by default
    produces: str = "application/json"
    window: bool = False               # needs a session that holds a window
    response: dict | None = None       # JSON Schema of the 200 answer
    errors: tuple[int, ...] = ()       # error statuses beyond the ones every such operation has
    path_schemas: dict | None = None   # path parameter -> JSON Schema (string by default)

    def error_statuses(self) -> list[int]:
        """Every error status this operation can answer (documented in the description)."""
        codes = set(self.errors)
        if self.body is not None or self.query or "{" in self.path:
            codes.add(400)
        if self.role != "public":
            codes |= {401, 403}
        if self.method != "GET":
            codes |= {403, 413}          # CSRF token; body over the size limit
        if "{" in self.path:
            codes.add(404)
        if self.window:
            codes.add(409)
        return sorted(codes)

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/")


ERROR_SCHEMA = {"type": "object", "required": ["error"], "properties": {"error": {
    "type": "object", "required": ["code", "message"],
    "properties": {"code": {"type": "string"}, "message": {"type": "string", "description": "Chinese, for people"}}}}}
ERROR_TEXT = {400: "bad input (wrong JSON, a missing or wrong field)", 401: "not logged in, or wrong password",
              403: "role not allowed, or no valid CSRF token", 404: "no such thing (ticket, window, account...)",
              409: "refused in the window's current state, or the window was taken over",
              413: "request body over 64 KiB", 503: "a store this needs is unreachable: try again", 429: "too many wrong passwords: wait Retry-After seconds"}


@dataclass
class Registry:
    operations: list[Operation] = field(default_factory=list)

    def add(self, method: str, path: str, role: str, summary: str, **extra):
        def register(handler):
            self.operations.append(Operation(method, path, handler, role, summary, **extra))
            return handler
        return register

    def openapi(self, schemas: dict | None = None) -> dict:
        """The OpenAPI description; `schemas` are named schemas ($ref targets) of this hall."""
        paths: dict[str, dict] = {}
        for op in (o for o in self.operations if o.is_api):
            ok = {"schema": op.response} if op.response else {}
            entry: dict = {
                "summary": op.summary,
                "x-role": op.role,
                "responses": {"200": {"description": "OK", "content": {op.produces: ok}},
                              **{str(code): {"description": ERROR_TEXT[code],
                                             "content": {"application/json": {"schema": ERROR_SCHEMA}}}
                                 for code in op.error_statuses()}},
            }
            params = [{"name": n, "in": "path", "required": True,
                       "schema": (op.path_schemas or {}).get(n, {"type": "string"})}
                      for n in _path_names(op.path)]
            params += [{"name": q[0], "in": "query", "required": False, "description": q[1],
                        "schema": q[2] if len(q) > 2 else {"type": "string"}} for q in op.query]
            if params:
                entry["parameters"] = params
            if op.body is not None:
                entry["requestBody"] = {"required": True, "content": {"application/json": {"schema": op.body}}}
            if op.method != "GET":   # the login too: its CSRF token comes from GET /api/session
                entry["security"] = [{"session": [], "csrf": []}]
            elif op.role != "public":
                entry["security"] = [{"session": []}]
            paths.setdefault(op.path, {})[op.method.lower()] = entry
        return {
            "openapi": "3.0.3",
            "info": {"title": "yichuang web console API", "version": __version__,
                     "description": "Everything the console pages do. Log in with POST /api/session; "
                                    "send the csrf value of GET /api/session as X-CSRF-Token on every "
                                    "POST, PUT and DELETE. Live changes: GET /api/events (server-sent events)."},
            "components": {"schemas": schemas or {}, "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": "yc_session"},
                "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRF-Token"}}},
            "paths": paths,
        }


def _path_names(path: str) -> list[str]:
    return [part[1:-1].split(":")[0] for part in path.split("/") if part.startswith("{")]
