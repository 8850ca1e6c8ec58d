"""One table of every page and API operation: its role, and its OpenAPI description.

The same table registers the aiohttp routes, checks the role before a handler runs and
writes /api/openapi.json, so the description cannot drift from what the server does.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .. import __version__


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    handler: object
    role: str                          # public | window | manager | admin
    summary: str
    body: dict | None = None           # JSON Schema of the request body
    query: tuple[tuple[str, str], ...] = ()    # (name, description)
    produces: str = "application/json"
    window: bool = False               # needs a session that holds a window

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/")


@dataclass
class Registry:
    operations: list[Operation] = field(default_factory=list)

    def add(self, method: str, path: str, role: str, summary: str, **extra):
        def register(handler):
            self.operations.append(Operation(method, path, handler, role, summary, **extra))
            return handler
        return register

    def openapi(self) -> dict:
        paths: dict[str, dict] = {}
        for op in (o for o in self.operations if o.is_api):
            entry: dict = {
                "summary": op.summary,
                "x-role": op.role,
                "responses": {"200": {"description": "OK", "content": {op.produces: {}}},
                              **({} if op.role == "public" else
                                 {"401": {"description": "not logged in"}, "403": {"description": "role not allowed"}})},
            }
            params = [{"name": n, "in": "path", "required": True, "schema": {"type": "string"}}
                      for n in _path_names(op.path)]
            params += [{"name": n, "in": "query", "required": False, "description": d, "schema": {"type": "string"}}
                       for n, d in op.query]
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
            "components": {"securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": "yc_session"},
                "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRF-Token"}}},
            "paths": paths,
        }


def _path_names(path: str) -> list[str]:
    return [part[1:-1].split(":")[0] for part in path.split("/") if part.startswith("{")]
