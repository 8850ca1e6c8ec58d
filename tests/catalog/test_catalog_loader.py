"""The catalogue file: what a valid one becomes, and where each kind of mistake points."""
from __future__ import annotations

import pytest
from catalog_samples import CATALOG, HALL, edit, line_of

from hall.catalog import load_catalog
from hall.config import ConfigError, load_hall_config


@pytest.fixture
def write(tmp_path):
    def _write(text: str, name: str = "catalog.yaml"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path
    return _write


@pytest.fixture
def hall(write, tmp_path):
    return load_hall_config(write(HALL, "hall.yaml"), tmp_path)


def problems_of(path, hall=None):
    with pytest.raises(ConfigError) as info:
        load_catalog(path, hall)
    assert all(p.file == str(path) for p in info.value.problems)
    return info.value.problems


def test_valid_catalogue_becomes_plain_data(write, hall):
    catalog = load_catalog(write(CATALOG), hall)
    card = catalog.item("SB-001")
    assert (card.name, card.domain, card.category, card.windows) == \
        ("社会保障卡申领", "社保", "shebao", ("9",))
    assert (card.legal_days, card.committed_days, card.immediate) == (20, 5, False)
    assert card.delivery == ("window", "post") and card.kiosk and card.face_check
    id_card, photo, proof = card.materials
    assert id_card.not_needed and not id_card.brought and id_card.note == "窗口刷卡读取"
    assert photo.later and not photo.promise and photo.form == "original"
    assert (proof.form, proof.count, proof.promise) == ("copy", 2, True)
    marriage = catalog.item("MZ-001")
    assert marriage.immediate and marriage.fee == "不收费" and marriage.delivery == ("window",)
    assert catalog.bundle("YJS-001").items == ("SB-001", "SB-002")
    assert [i.code for i in catalog.in_domain("社保")] == ["SB-001", "SB-002"]


def test_retired_items_are_kept_but_not_offered(write):
    text = edit(CATALOG, "    name: 婚姻登记预约\n", "    name: 婚姻登记预约\n    retired: true\n")
    catalog = load_catalog(write(text))
    assert catalog.item("MZ-001").retired
    assert "MZ-001" not in [i.code for i in catalog.offered()]


MISTAKES = [
    # (old, new, text on the line the problem points at, words of the message)
    ("    legal_days: 20", "    legal_days: twenty", "legal_days: twenty", "whole number"),
    ("    committed_days: 5", "    committed_days: 30", "committed_days: 30", "longer than legal"),
    ("    domain: 民政", "    domain: 公安", "domain: 公安", "not one of"),
    ("    kiosk: true", "    kiosk: false", "face_check: true", "face_check is only"),
    ("    fee: 不收费", "    fees: 不收费", "fees: 不收费", "unknown option"),
    ("  - code: MZ-001", "  - code: SB-001", "- code: SB-001", "used twice"),
    ("      - {name: 近期免冠彩色照片, count: 1, later: true}",
     "      - {name: 近期免冠彩色照片, count: 0, later: true}", "count: 0", "below the minimum"),
    ("form: copy, count: 2", "form: scan, count: 2", "form: scan", "not one of"),
    ("not_needed: true, note", "not_needed: true, later: true, note", "not_needed: true",
     "not_needed but also"),
    ("    delivery: [window, post]", "    delivery: [window, fax]", "delivery: [window, fax]",
     "delivery 'fax'"),
    ("    items: [SB-001, SB-002]", "    items: [SB-001, SB-404]", "items: [SB-001, SB-404]",
     "not an item"),
    ("    name: 婚姻登记预约", "    name: marriage", "name: marriage", "must be Chinese"),
    ("domains: [社保, 民政]", "domains: [社保, 民政, 社保]", "domains:", "listed twice"),
]


@pytest.mark.parametrize("old,new,at,words", MISTAKES)
def test_each_mistake_points_at_its_line(write, old, new, at, words):
    text = edit(CATALOG, old, new)
    found = problems_of(write(text))
    assert len(found) == 1, found
    assert (found[0].line, words in found[0].message) == (line_of(text, at), True), found[0]
    assert found[0].hint


def test_every_mistake_of_a_file_is_reported_at_once(write):
    text = edit(edit(CATALOG, "    legal_days: 20", "    legal_days: -1"),
                "    domain: 民政", "    domain: 公安")
    assert len(problems_of(write(text))) == 2


def test_a_syntax_error_has_its_line(write):
    text = edit(CATALOG, "    aliases: [社保卡, 办卡]", "    aliases: [社保卡, 办卡")
    assert problems_of(write(text))[0].message.startswith("YAML syntax error")


HALL_MISTAKES = [
    ("    category: zonghe", "    category: minzheng", "category: minzheng",
     "not in the hall config"),
    ('    windows: ["9"]', '    windows: ["99"]', 'windows: ["99"]', "window '99' is not"),
    ('    windows: ["9"]', '    windows: ["15"]', 'windows: ["15"]', "does not serve"),
]


@pytest.mark.parametrize("old,new,at,words", HALL_MISTAKES)
def test_categories_and_windows_are_checked_against_the_hall(write, hall, old, new, at, words):
    text = edit(CATALOG, old, new)
    load_catalog(write(text))          # fine on its own: nothing to check against
    found = problems_of(write(text), hall)
    assert [(p.line, words in p.message) for p in found] == [(line_of(text, at), True)]


def test_the_hall_loads_its_catalogue_and_reports_its_mistakes(write, tmp_path):
    write(CATALOG)
    config = load_hall_config(write(HALL.replace("  kind: county\n", "  kind: county\n"
                                                 "  catalogue: catalog.yaml\n"), "hall.yaml"),
                              tmp_path)
    assert config.catalog.item("SB-001").name == "社会保障卡申领"
    write(edit(CATALOG, '    windows: ["9"]', '    windows: ["15"]'))
    with pytest.raises(ConfigError) as info:
        load_hall_config(tmp_path / "hall.yaml", tmp_path)
    assert [p.file for p in info.value.problems] == [str(tmp_path / "catalog.yaml")]


def test_category_services_must_be_items_of_that_category(write, tmp_path):
    write(CATALOG)
    text = HALL.replace("  kind: county\n", "  kind: county\n  catalogue: catalog.yaml\n")
    text = edit(text, "{id: shebao, prefix: C, name: 社保业务}",
                "{id: shebao, prefix: C, name: 社保业务, services: [SB-001, MZ-001]}")
    with pytest.raises(ConfigError) as info:
        load_hall_config(write(text, "hall.yaml"), tmp_path)
    (problem,) = info.value.problems
    assert problem.line == line_of(text, "id: shebao") and "MZ-001" in problem.message
