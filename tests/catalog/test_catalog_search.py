"""Kiosk search over the shipped example catalogue: Chinese, pinyin, initials, domain, counts."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from hall.catalog import load_catalog
from hall.catalog.search import SearchIndex

EXAMPLE = Path(str(resources.files("firmware_configs"))) / "catalog" / "county-example.yaml"


@pytest.fixture(scope="module")
def index():
    return SearchIndex(load_catalog(EXAMPLE))


def names(hits):
    return [hit.name for hit in hits]


@pytest.mark.parametrize("query,expected", [
    ("社保卡", "社会保障卡申领"),              # an alias
    ("不动产登记资料", "不动产登记资料查询"),   # part of a name
    ("居住证", "居住证办理"),
    ("shebaoka", "社会保障卡申领"),           # full pinyin of the alias 社保卡
    ("she bao ka", "社会保障卡申领"),         # ... with spaces
    ("SheHuiBaoZhangKa", "社会保障卡申领"),   # full pinyin of the name, any case
    ("sbk", "社会保障卡申领"),                # initials (the brief's example)
    ("shbzk", "社会保障卡申领"),              # initials of the name (社会 = s h)
    ("qishui", "契税申报"),
    ("jzz", "居住证办理"),
    ("canjirenzheng", "残疾人证办理"),
    ("gtgsh", "个体工商户设立登记"),
])
def test_query_finds_the_item_first(index, query, expected):
    assert names(index.search(query))[0] == expected


def test_the_matched_alias_is_told(index):
    hit = index.search("sbk")[0]
    assert (hit.code, hit.matched) == ("SB-001", "社保卡")
    # an exact alias beats an alias that only starts with the query
    assert names(index.search("社保卡"))[:2] == ["社会保障卡申领", "社会保障卡补换"]


def test_counts_rank_equal_matches(index):
    # Three names start with 社会保障卡: catalogue order, until counts say otherwise.
    plain = names(index.search("社会保障卡"))
    assert plain[:3] == ["社会保障卡申领", "社会保障卡补换", "社会保障卡挂失与解挂"]
    asked = names(index.search("社会保障卡", counts={"SB-003": 50, "SB-002": 10}))
    assert asked[:3] == ["社会保障卡挂失与解挂", "社会保障卡补换", "社会保障卡申领"]


def test_a_better_match_beats_a_more_asked_one(index):
    # "契税申报" is the whole name of one item; others only contain 契税 in an alias.
    assert names(index.search("契税申报", counts={"SW-002": 999}))[0] == "契税申报"


def test_domain_tile_lists_its_items_most_asked_first(index):
    hits = index.search("", domain="医保", counts={"YB-004": 30, "YB-001": 5})
    assert names(hits)[:2] == ["异地就医备案", "城乡居民基本医疗保险参保登记"]
    assert {hit.entry.domain for hit in hits if hasattr(hit.entry, "domain")} == {"医保"}


def test_domain_filters_a_query(index):
    assert "社会保障卡申领" not in names(index.search("sb", domain="不动产"))


def test_bundles_are_found(index):
    assert names(index.search("新生儿"))[0] == "新生儿出生一件事"
    assert "新生儿出生一件事" in names(index.search("", domain="公安"))


def test_retired_items_are_not_found(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "  - code: GA-001\n", "  - code: GA-001\n    retired: true\n")
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    assert "居住证办理" not in names(SearchIndex(load_catalog(path)).search("居住证"))


@pytest.mark.parametrize("query", ["zzzz", "!!!", "火星", "q" * 10000])
def test_nothing_found_is_an_empty_list(index, query):
    assert index.search(query) == []


def test_limit(index):
    assert len(index.search("", limit=5)) == 5
