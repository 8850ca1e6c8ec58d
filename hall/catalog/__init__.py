"""The service catalogue (政务服务事项目录): items, their guides' facts, bundles, search.

The plain data (hall/config/catalog_model.py) and the reading of the YAML file
(hall/config/catalog.py) live in hall.config, whose hall loader reads a hall's catalogue with
its config; they are re-exported here. sheet.py converts to and from a spreadsheet; search.py
finds items by Chinese, pinyin or initials. docs/catalog.md.
"""
from ..config.catalog import load_catalog, read_catalog
from ..config.catalog_model import Bundle, Catalog, Item, Material

__all__ = ["Bundle", "Catalog", "Item", "Material", "load_catalog", "read_catalog"]
