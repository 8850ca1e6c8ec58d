"""A manager's edit of an item is checked by the catalogue file's rules (hall/catalog/edits.py)."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from hall.catalog import load_catalog
from hall.catalog.edits import (
    ItemRefused,
    bundles_holding,
    catalog_text,
    check_item,
    item_fields,
    with_items,
)
from hall.config.hall import load_hall_config

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def county():
    return load_hall_config(ROOT / "firmware_configs" / "sites" / "county.yaml")


def refused(fields, county, hall=None) -> tuple[str, str]:
    with pytest.raises(ItemRefused) as caught:
        check_item(fields, county.catalog, hall or county)
    return caught.value.field, caught.value.message


def test_every_shipped_item_passes_through_its_fields_unchanged(county):
    for item in county.catalog.items:
        assert check_item(item_fields(item), county.catalog, county) == item


def test_each_bad_field_is_named(county):
    fields = item_fields(county.catalog.item("YB-001"))
    assert refused({**fields, "name": "abc"}, county) == ("name", "“事项名称”填写有误")
    assert refused({**fields, "domain": "外星"}, county) == ("domain", "“领域”填写有误")
    assert refused({**fields, "windows": ["99"]}, county) == ("windows", "“办理窗口”填写有误")
    assert refused({**fields, "legal_days": 2, "committed_days": 5}, county)[0] == "committed_days"
    assert refused({**fields, "kiosk": False, "face_check": True}, county)[0] == "face_check"
    assert refused({**fields, "materials": [{"name": "身份证", "count": 0}]}, county)[0] == "materials"
    assert refused({**fields, "colour": "red"}, county)[0] == "code"
    assert refused(["not", "a", "dict"], county)[0] == "code"


def test_the_configs_services_lists_keep_an_item_in_its_queue(county):
    item = county.catalog.item("YB-001")
    listed = dataclasses.replace(county, categories=tuple(
        dataclasses.replace(c, services=(item.code,)) if c.id == item.category else c
        for c in county.categories))
    assert check_item(item_fields(item), county.catalog, listed) == item       # others unlisted: fine
    other = next(c.id for c in county.categories if c.id != item.category)
    assert refused({**item_fields(item), "category": other}, county, listed)[0] == "category"


def test_the_edited_catalogue_reads_back_from_its_file(county, tmp_path):
    plain = next(i for i in county.catalog.items if not bundles_holding(county.catalog, i.code))
    item = dataclasses.replace(plain, fee="免费", retired=True)
    edited = with_items(county.catalog, [item])
    path = tmp_path / "catalog.yaml"
    path.write_text(catalog_text(edited), encoding="utf-8")
    again = load_catalog(path, county)
    assert again.items == edited.items and again.bundles == edited.bundles
    assert again.item(plain.code).fee == "免费" and again.item(plain.code).retired
