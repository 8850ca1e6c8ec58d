"""The catalogue as a spreadsheet (.xlsx), the way halls keep their lists: export and import.

Four sheets, the first row of each naming its columns (any order; docs/catalog.md):
领域 (domains), 事项 (items), 材料 (materials, keyed by the item's code), 一件事 (bundles).

Import turns the cells into catalogue text, one option per line, and reads that text with the
catalogue loader: the same checks as a YAML file, and each problem is reported at the sheet,
row and column it came from. Nothing is written unless the whole workbook is clean.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from zipfile import BadZipFile

import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ..config.model import HallConfig
from ..config.reader import ConfigError, Problem, Problems, load_yaml_text
from ..config.catalog import read_root
from ..config.catalog_model import DELIVERIES, FORMS, Catalog

YES, NO = "是", "否"
LIST_SPLIT = re.compile(r"[、,，;；\n]+")


@dataclass(frozen=True)
class Column:
    option: str          # the catalogue option
    header: str          # the heading in the sheet
    kind: str = "text"   # text | int | bool | words (short list) | lines (one per line)
    words: dict | None = None   # coded values <-> the words in the cells (form, delivery)


DOMAIN_SHEET = ("领域", [Column("domain", "领域")])
ITEM_SHEET = ("事项", [
    Column("code", "事项编码"), Column("name", "事项名称"), Column("aliases", "别名", "words"),
    Column("domain", "领域"), Column("category", "业务类别"), Column("windows", "窗口", "words"),
    Column("conditions", "申请条件", "lines"), Column("legal_days", "法定时限", "int"),
    Column("committed_days", "承诺时限", "int"), Column("fee", "收费"),
    Column("basis", "设定依据", "lines"),
    Column("delivery", "送达方式", "words", DELIVERIES), Column("kiosk", "自助办理", "bool"),
    Column("face_check", "人脸核验", "bool"), Column("retired", "已停用", "bool"),
    Column("retention_days", "资料保留天数", "int"),
])
MATERIAL_SHEET = ("材料", [
    Column("item", "事项编码"), Column("name", "材料名称"), Column("form", "形式", "text", FORMS),
    Column("count", "份数", "int"), Column("later", "容缺受理", "bool"),
    Column("promise", "告知承诺", "bool"), Column("not_needed", "免提交", "bool"),
    Column("note", "说明"),
])
BUNDLE_SHEET = ("一件事", [
    Column("code", "编码"), Column("name", "名称"), Column("aliases", "别名", "words"),
    Column("category", "业务类别"), Column("items", "事项编码", "words"),
    Column("retired", "已停用", "bool"),
])
SHEETS = (DOMAIN_SHEET, ITEM_SHEET, MATERIAL_SHEET, BUNDLE_SHEET)


# -- export ----------------------------------------------------------------------------------

def export_catalog(catalog: Catalog, path: str | Path) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    rows = {
        "领域": [{"domain": d} for d in catalog.domains],
        "事项": [vars(item) for item in catalog.items],
        "材料": [{"item": item.code, **vars(m)} for item in catalog.items for m in item.materials],
        "一件事": [vars(bundle) for bundle in catalog.bundles],
    }
    for title, columns in SHEETS:
        sheet = book.create_sheet(title)
        sheet.append([c.header for c in columns])
        for row in rows[title]:
            sheet.append([_cell(c, row[c.option]) for c in columns])
        _style(sheet, columns)
    book.save(path)


def _cell(column: Column, value):
    words = column.words or {}
    if column.kind == "bool":
        return YES if value else NO
    if column.kind == "words":
        return "、".join(words.get(v, v) for v in value)
    if column.kind == "lines":
        return "\n".join(value)
    return words.get(value, value)


def _style(sheet, columns: list[Column]) -> None:
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        sheet.cell(1, index).font = Font(bold=True)
        wide = column.kind == "lines" or column.option in ("name", "fee")
        sheet.column_dimensions[get_column_letter(index)].width = 40 if wide else 14
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


# -- import ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Place:
    sheet: str
    row: int
    column: Column | None = None
    letter: str = ""

    def problem(self, book: str, message: str, hint: str = "") -> Problem:
        where = f", column {self.letter} ({self.column.header})" if self.column else ""
        return Problem(f"{book}[{self.sheet}]", self.row, f"row {self.row}{where}: {message}",
                       hint)


class _Text:
    """Catalogue text written line by line, remembering the cell of each line."""

    def __init__(self):
        self.lines: list[str] = []
        self.places: list[Place] = []

    def add(self, line: str, place: Place) -> None:
        self.lines.append(line)
        self.places.append(place)

    def place_of(self, line: int) -> Place | None:
        return self.places[line - 1] if 0 < line <= len(self.places) else None


def import_catalog(path: str | Path, out: str | Path, hall: HallConfig | None = None) -> Catalog:
    """Read a workbook, check it as a catalogue, write it as catalogue YAML to `out`.

    ConfigError lists every problem at its sheet, row and column; `out` is then untouched.
    """
    book = str(path)
    problems: list[Problem] = []
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, ValueError, KeyError, BadZipFile) as exc:   # not an .xlsx file
        raise ConfigError([Problem(book, 0, f"cannot read the workbook: {exc}",
                                   "save it from Excel or WPS as .xlsx")]) from None
    text = _Text()
    tables = {title: _read_sheet(workbook, title, columns, book, problems)
              for title, columns in SHEETS}
    workbook.close()
    _write_text(tables, text, book, problems)
    if problems:
        raise ConfigError(problems)
    catalog = _check_text(text, book, hall)
    Path(out).write_text(_HEADER.format(book=Path(book).name) + "\n".join(text.lines) + "\n",
                         encoding="utf-8")
    return catalog


_HEADER = "# Service catalogue imported from {book} by `yichuang catalog import`.\n" \
          "# Check after editing: yichuang catalog check FILE --config HALL\n"


def _read_sheet(workbook, title: str, columns: list[Column], book: str,
                problems: list[Problem]) -> list[dict]:
    """The sheet's rows as {option: (value, Place)}; blank rows skipped."""
    if title not in workbook.sheetnames:
        if title != BUNDLE_SHEET[0]:
            problems.append(Place(title, 1).problem(book, f"the workbook has no sheet '{title}'",
                                                    "export a catalogue to see the layout"))
        return []
    rows = workbook[title].iter_rows(values_only=True)
    header = next(rows, ())
    positions = _header(header, title, columns, book, problems)
    out = []
    for number, row in enumerate(rows, start=2):
        if all(v is None or str(v).strip() == "" for v in row):
            continue
        # An absent column reads as empty cells: the loader names what is missing.
        out.append({c.option: (row[i] if i is not None and i < len(row) else None,
                               Place(title, number, c, get_column_letter(i + 1) if i is not None
                                     else "?"))
                    for c, i in positions})
    return out


def _header(header, title: str, columns: list[Column], book: str,
            problems: list[Problem]) -> list[tuple[Column, int | None]]:
    names = [str(h).strip() if h is not None else "" for h in header]
    by_header = {c.header: c for c in columns}
    for index, name in enumerate(names):
        if name and name not in by_header:
            problems.append(Place(title, 1).problem(
                book, f"column {get_column_letter(index + 1)} '{name}' is not a column of "
                      f"this sheet", f"columns are: {'、'.join(by_header)}"))
    return [(c, names.index(c.header) if c.header in names else None) for c in columns]


def _write_text(tables: dict, text: _Text, book: str, problems: list[Problem]) -> None:
    text.add("domains:", Place("领域", 1))
    for row in tables["领域"]:
        text.add("  - " + _json(_value(row["domain"], book, problems)), row["domain"][1])
    materials: dict[str, list[dict]] = {}
    for row in tables["材料"]:
        materials.setdefault(_value(row.pop("item"), book, problems, text=True), []).append(row)
    text.add("items:", Place("事项", 1))
    for row in tables["事项"]:
        _entry(row, text, book, problems, "  ")
        found = materials.pop(_value(row["code"], book, problems, text=True), [])
        if found:
            text.add("    materials:", row["code"][1])
        for material in found:
            _entry(material, text, book, problems, "      ")
    for code, rows in materials.items():
        place = rows[0]["name"][1]
        problems.append(Place("材料", place.row, MATERIAL_SHEET[1][0], "A").problem(
            book, f"item code '{code or ''}' is not on the sheet 事项",
            "every material row names the code of an item of the sheet 事项"))
    if tables["一件事"]:
        text.add("bundles:", Place("一件事", 1))
    for row in tables["一件事"]:
        _entry(row, text, book, problems, "  ")


def _entry(row: dict, text: _Text, book: str, problems: list[Problem], indent: str) -> None:
    """One list entry, one option (cell) a line."""
    first = True
    for option, cell in row.items():
        value = _value(cell, book, problems)
        if value is None:
            continue
        text.add(indent + ("- " if first else "  ") + f"{option}: {_json(value)}", cell[1])
        first = False


def _value(cell: tuple, book: str, problems: list[Problem], text: bool = False):
    """A cell's value as the catalogue option wants it; None for an empty cell."""
    raw, place = cell
    column = place.column
    if raw is None or str(raw).strip() == "":
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if text or column.kind == "text":
        return _from_words(str(raw).strip(), column.words)
    if column.kind == "int":
        return raw if isinstance(raw, int) else _bad(place, book, problems, raw,
                                                     "must be a whole number")
    if column.kind == "bool":
        words = {YES: True, NO: False, "true": True, "false": False, True: True, False: False}
        key = raw.strip() if isinstance(raw, str) else raw
        return words[key] if key in words else _bad(place, book, problems, raw,
                                                    f"must be {YES} or {NO}")
    if column.kind == "lines":
        return [line.strip() for line in str(raw).splitlines() if line.strip()]
    return [_from_words(w.strip(), column.words) for w in LIST_SPLIT.split(str(raw)) if w.strip()]


def _from_words(value: str, words: dict | None) -> str:
    """A cell's word (原件) as its code (original); codes and unknown words pass through to
    the loader, which names the choices."""
    if not words:
        return value
    return next((code for code, word in words.items() if word == value), value)


def _bad(place: Place, book: str, problems: list[Problem], raw, message: str) -> None:
    problems.append(place.problem(book, f"'{raw}' {message}"))


def _json(value) -> str:
    # JSON is YAML: every value quoted and escaped, on one line.
    return json.dumps(value, ensure_ascii=False)


def _check_text(text: _Text, book: str, hall: HallConfig | None) -> Catalog:
    """Read the made text with the catalogue loader; its problems go back to their cells."""
    problems = Problems()
    catalog = read_root(load_yaml_text("\n".join(text.lines), book, problems), hall)
    mapped = []
    for problem in problems.items:
        place = text.place_of(problem.line) if problem.file == book else None
        mapped.append(place.problem(book, problem.message, problem.hint) if place
                      else problem)     # e.g. a category's services, in the hall config
    if mapped:
        raise ConfigError(mapped)
    return catalog


__all__ = ["SHEETS", "export_catalog", "import_catalog"]
