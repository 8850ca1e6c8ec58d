"""Items a manager adds or edits in the console, checked by the catalogue file's own rules.

An edit is the item's fields as the catalogue file writes them (`item_fields(item)`). It is
checked by reading it exactly as the file would be read (hall/config/catalog.py), one field
a line, so a problem's line names the field; the manager reads the field's Chinese name.

    item = check_item(fields, catalog, hall)     # the Item, or ItemRefused(field, message)
    catalog = with_items(catalog, [item, ...])   # the catalogue with these items put in
"""
from __future__ import annotations

import json
from dataclasses import asdict, replace

import yaml

from ..config.catalog import read_root
from ..config.catalog_model import Catalog, Item
from ..config.reader import Problems, load_yaml_text
from ..words import CATALOG_FIELD, FILING_FIELDS

ITEM_OPTIONS = tuple(CATALOG_FIELD)           # the file's option names, in the form's order
MATERIAL_OPTIONS = ("name", "form", "count", "later", "promise", "not_needed", "note")
# Self-filing at the kiosk (docs/kiosk.md): kept through edits and downloads, edited in the file.
KIOSK_OPTIONS = ("questions", "auto_check")


class ItemRefused(ValueError):
    """An edit the catalogue's rules refuse: `field` (an option name) and a Chinese message."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def item_fields(item: Item) -> dict:
    """The item as the catalogue file writes it (JSON-ready)."""
    data = asdict(item)
    fields = {k: list(v) if isinstance(v, tuple) else v for k, v in data.items() if k in ITEM_OPTIONS}
    fields["materials"] = [{k: m[k] for k in MATERIAL_OPTIONS} for m in data["materials"]]
    if item.questions:
        fields["questions"] = [{k: list(v) if isinstance(v, tuple) else v for k, v in q.items()
                                if k != "line"} for q in data["questions"]]
    if item.auto_check is not None:
        fields["auto_check"] = {k: list(v) if isinstance(v, tuple) else v
                                for k, v in data["auto_check"].items() if k != "line" and v not in (None, ())}
    return fields


def check_item(fields: object, catalog: Catalog, hall=None) -> Item:
    """The Item these fields make under the catalogue's rules (its domains, the hall's
    categories and windows); ItemRefused for the first field that breaks one."""
    if not isinstance(fields, dict):
        raise ItemRefused("code", "事项内容有误")
    unknown = next((k for k in fields if k not in ITEM_OPTIONS + KIOSK_OPTIONS), None)
    if unknown is not None:
        raise ItemRefused("code", "事项内容有误")
    lines = ["domains: " + json.dumps(list(catalog.domains), ensure_ascii=False), "items:"]
    order = [k for k in ITEM_OPTIONS + KIOSK_OPTIONS if k in fields]
    for n, key in enumerate(order):
        lines.append(("- " if n == 0 else "  ") + f"{key}: " + json.dumps(fields[key], ensure_ascii=False))
    problems = Problems()
    checked = read_root(load_yaml_text("\n".join(lines) + "\n", "console", problems), _alone(hall))
    if problems.items or len(checked.items) != 1:
        first = min((p.line for p in problems.items), default=3)
        key = order[min(max(first - 3, 0), len(order) - 1)] if order else "code"
        raise ItemRefused(key, f"“{({**CATALOG_FIELD, **FILING_FIELDS})[key]}”填写有误")
    item = replace(checked.items[0], line=0)
    listed = [c.id for c in hall.categories if item.code in c.services] if hall is not None else []
    if listed and item.category not in listed:    # the config's `services` keep it in its queue
        raise ItemRefused("category", f"“{CATALOG_FIELD['category']}”填写有误")
    return item


def _alone(hall):
    """The hall config for checking one item on its own: its categories' and windows'
    checks, not the config's `services` lists, which name the other items too."""
    if hall is None:
        return None
    return replace(hall, categories=tuple(replace(c, services=()) for c in hall.categories))


def with_items(catalog: Catalog, items: list[Item]) -> Catalog:
    """The catalogue with `items` in place of those with their codes; new codes at the end."""
    new = {i.code: i for i in items}
    kept = [new.pop(i.code, i) for i in catalog.items]
    return replace(catalog, items=tuple(kept + list(new.values())))


def catalog_text(catalog: Catalog) -> str:
    """The catalogue as a file the hall can ship (edits included), read back by load_catalog."""
    bundles = [{k: list(v) if isinstance(v, tuple) else v for k, v in asdict(b).items() if k != "line"}
               for b in catalog.bundles]
    data = {"domains": list(catalog.domains), "items": [item_fields(i) for i in catalog.items],
            **({"bundles": bundles} if bundles else {})}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def bundles_holding(catalog: Catalog, code: str) -> list[str]:
    """Names of the offered bundles (一件事) that file this item: it cannot be retired alone."""
    return [b.name for b in catalog.bundles if not b.retired and code in b.items]


__all__ = ["ITEM_OPTIONS", "ItemRefused", "bundles_holding", "catalog_text", "check_item",
           "item_fields", "with_items"]
