"""站点监控: the county's view of its sites (township centres, village stations), read from the
county store (PostgreSQL, queue_server/sync): each site's line up or down, the records it
still owes (its last report), what the county still owes it, last seen and last sync.

Only a county hall with `sync.sites` and `sync.store` has it; the store is opened at the
first request, so a console whose database is away still serves every other page.
"""
from __future__ import annotations

import threading

from aiohttp import web

from hall.words import LINE_STATE

from .api import API, ApiError
from .console import Console
from .keys import CONSOLE
from .pages import PAGES, render

STALE_S = 15 * 60            # a site not heard of for this long is flagged


class CountySites:
    """The console's read side of the county store (one connection, opened lazily)."""

    def __init__(self, config):
        self.dsn = config.sync.store if config.sync.sites else ""
        self.names = {s.id: s.name for s in config.sync.sites}
        self._store = None
        self._lock = threading.Lock()

    def sites(self, now: float) -> list[dict]:
        with self._lock:
            if self._store is None:
                from ..sync.county_store import CountyStore
                self._store = CountyStore(self.dsn)
                self._store.create()
            try:
                rows = self._store.sites()
            except Exception:
                self._store.close()
                self._store = None      # reconnect at the next request
                raise
        return [{**row, "name": row["name"] or self.names.get(row["site"], ""),
                 "line_text": LINE_STATE.get(row["line"], row["line"]),
                 "stale": row["last_seen"] is None or now - row["last_seen"] > STALE_S}
                for row in rows]

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()


def county_sites(c: Console) -> CountySites:
    if getattr(c, "county_sites", None) is None:
        c.county_sites = CountySites(c.service.config)
    return c.county_sites


@PAGES.add("GET", "/manage/sites", "manager", "The county's sites: line, backlog, last sync")
async def sites_page(request):
    return render(request, "sites", "站点监控")


@API.add("GET", "/api/manage/sites", "manager", "Every site of the county (the county store): "
         "line up or down, records it still owes, records owed to it, last seen, last sync",
         response={"type": "array", "items": {"type": "object", "required": [
             "site", "kind", "name", "line", "line_text", "backlog", "down_backlog",
             "last_seen", "last_sync", "stale"]}}, errors=(503,))
async def sites_api(request):
    c: Console = request.app[CONSOLE]
    sites = county_sites(c)
    if not sites.dsn:
        return web.json_response([])
    try:
        return web.json_response(await c.call(sites.sites, c.clock()))
    except Exception:
        raise ApiError(503, "store_unavailable", "县级数据库暂时无法连接，请稍后刷新") from None
