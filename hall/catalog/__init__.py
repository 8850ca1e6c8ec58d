"""The service catalogue (政务服务事项目录): items, their guides' facts, bundles, search.

model.py is the plain data; loader.py reads and checks the YAML file; sheet.py converts to and
from a spreadsheet; search.py finds items by Chinese, pinyin or initials. docs/catalog.md.
"""
from .loader import load_catalog, read_catalog
from .model import Bundle, Catalog, Item, Material

__all__ = ["Bundle", "Catalog", "Item", "Material", "load_catalog", "read_catalog"]
