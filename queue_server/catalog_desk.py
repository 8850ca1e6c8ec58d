"""事项管理: managers add, edit and retire service items; the history is kept.

The catalogue file is what the hall ships; the console's changes live in the hall's SQLite
file (catalogue_changes, migration 0007), one row per change with who, when, before and
after. At start the newest change of each item is put over the file's items, checked again
by the catalogue's rules (a change the file or the config has since made wrong is skipped,
loudly). Nothing is ever deleted: a retired item stays for old tickets, notices and bookings.
Every change goes through the HallService's lock and one transaction, with an audit row.
"""
from __future__ import annotations

import dataclasses
import logging

from hall.catalog.edits import (
    ItemRefused,
    bundles_holding,
    check_item,
    item_fields,
    with_items,
)
from hall.config.model import HallConfig
from hall.words import CATALOG_BY_COUNTY

from .engine import EngineError

log = logging.getLogger(__name__)


def edited_config(config: HallConfig, changes: list[dict]) -> HallConfig:
    """The config whose catalogue has the newest stored change of each item put in."""
    if config.catalog is None or not changes:
        return config
    newest = {row["code"]: row["after"] for row in changes}
    items = []
    for code, fields in newest.items():
        try:
            items.append(check_item(fields, config.catalog, config))
        except ItemRefused as exc:
            log.warning("catalogue change of item %s no longer fits (%s: %s); the file's item is used",
                        code, exc.field, exc.message)
    return dataclasses.replace(config, catalog=with_items(config.catalog, items))


class CatalogueDesk:
    def __init__(self, service):
        self.service = service

    def items(self) -> list[dict]:
        """Every item (retired ones too) as the edit form shows it."""
        catalog = self._catalog()
        return [item_fields(i) for i in catalog.items]

    def history(self, code: str | None = None) -> list[dict]:
        """Changes, newest first."""
        with self.service.exclusive() as store:
            return store.catalogue_changes(code)[::-1]

    def add(self, fields: object, staff: str | None, now: float) -> dict:
        code = fields.get("code") if isinstance(fields, dict) else None
        if isinstance(code, str) and self._catalog().get(code) is not None:
            raise _refused("事项编码已存在，请换一个编码")
        return self._put("add", None, fields, staff, now)

    def edit(self, code: str, fields: object, staff: str | None, now: float) -> dict:
        before = self._item(code)
        if not isinstance(fields, dict) or fields.get("code", code) != code:
            raise _refused("事项编码不能修改")
        if fields.get("retired") and not before.retired:
            self._can_retire(code)
        return self._put("edit", before, {**fields, "code": code}, staff, now)

    def retire(self, code: str, staff: str | None, now: float) -> dict:
        before = self._item(code)
        if before.retired:
            raise EngineError("conflict", "该事项已停用")
        self._can_retire(code)
        return self._put("retire", before, {**item_fields(before), "retired": True}, staff, now)

    # -- inside ------------------------------------------------------------------------------
    def _catalog(self):
        catalog = self.service.config.catalog
        if catalog is None:
            raise EngineError("conflict", "本厅没有事项目录")
        return catalog

    def _item(self, code: object):
        item = self._catalog().item(code) if isinstance(code, str) else None
        if item is None:
            raise EngineError("unknown_ticket", "没有这个事项")
        return item

    def _can_retire(self, code: str) -> None:
        bundles = bundles_holding(self._catalog(), code)
        if bundles:
            raise _refused(f"该事项属于“{bundles[0]}”，不能单独停用")

    def from_county(self, body: dict, now: float) -> None:
        """A change of the county's catalogue (docs/sync.md), inside the caller's transaction:
        the county owns the catalogue, so its change goes over whatever the site had. One
        this hall's config cannot take (an unknown category) is logged and skipped."""
        fields = body.get("fields")
        code = fields.get("code") if isinstance(fields, dict) else None
        before = self._catalog().item(code) if isinstance(code, str) else None
        try:
            self._write(body.get("action") or "edit", before, fields, "county", now, "county")
        except EngineError as exc:
            log.warning("county catalogue change of %r does not fit this hall: %s", code, exc)

    def _put(self, action: str, before, fields: object, staff: str | None, now: float) -> dict:
        if self.service.config.sync.is_site:
            raise EngineError("forbidden", CATALOG_BY_COUNTY)
        with self.service.exclusive():
            return self._write(action, before, fields, staff, now, "web")

    def _write(self, action, before, fields, staff, now, channel) -> dict:
        service, store = self.service, self.service.store
        catalog = self._catalog()
        try:
            item = check_item(fields, catalog, service.config)
        except ItemRefused as exc:
            raise _refused(exc.message) from None
        after = item_fields(item)
        old = item_fields(before) if before is not None else None
        store.add_catalogue_change(now, staff, item.code, action, old, after)
        store.add_audit(now, service.engine.date, staff, None, f"catalogue.{action}", None,
                        {"code": item.code, "name": item.name}, channel)
        service.config = dataclasses.replace(service.config, catalog=with_items(catalog, [item]))
        return after


def _refused(message: str) -> EngineError:
    return EngineError("bad_request", message)
