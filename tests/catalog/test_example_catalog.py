"""The shipped example catalogue loads with the county config and covers its domains."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

from hall.config import load_hall_config

SHIPPED = Path(str(resources.files("firmware_configs")))


def county():
    return load_hall_config(SHIPPED / "sites" / "county.yaml")


def test_county_config_loads_the_example_catalogue():
    config = county()
    assert Path(config.catalogue) == SHIPPED / "catalog" / "county-example.yaml"
    assert len(config.catalog.offered()) >= 60


def test_every_category_with_items_or_bundles_of_the_county_is_covered():
    config = county()
    catalog = config.catalog
    used = {i.category for i in catalog.offered()} | {b.category for b in catalog.bundles}
    # 统一出件's queue has no items: its tickets are for collecting results (applications.md)
    assert used == {c.id for c in config.categories if not c.collection}
    # every domain window's category has its own items (医保, 社保, 不动产, 税务)
    domain_categories = {c for w in config.windows if w.kind == "domain" for c in w.categories}
    for category in domain_categories:
        assert len([i for i in catalog.offered() if i.category == category]) >= 5, category


def test_every_domain_has_items_and_the_example_is_marked():
    catalog = county().catalog
    assert all(catalog.in_domain(domain) for domain in catalog.domains)
    for domain in ("医保", "社保", "不动产", "税务", "公安", "民政", "市场监管"):
        assert domain in catalog.domains
    head = (SHIPPED / "catalog" / "county-example.yaml").read_text(encoding="utf-8")[:400]
    assert "EXAMPLE" in head and "province" in head


def test_the_items_the_brief_names_are_there():
    names = {i.name for i in county().catalog.offered()}
    for name in ("社会保障卡申领", "城乡居民基本养老保险参保登记", "医保关系转移接续",
                 "不动产登记资料查询", "个体工商户设立登记", "居住证办理", "婚姻登记预约",
                 "残疾人证办理", "契税申报", "灵活就业人员参保登记"):
        assert name in names
