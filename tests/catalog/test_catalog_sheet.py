"""The catalogue as a workbook: export, import, and where an import mistake points."""
from __future__ import annotations

import openpyxl
import pytest
from catalog_samples import CATALOG, HALL

from hall.catalog import load_catalog
from hall.catalog.sheet import import_catalog
from hall.config import ConfigError, load_hall_config
from queue_server.cli import main


@pytest.fixture
def book(tmp_path):
    """The sample catalogue exported with the command; returns the workbook's path."""
    source = tmp_path / "catalog.yaml"
    source.write_text(CATALOG, encoding="utf-8")
    out = tmp_path / "catalog.xlsx"
    assert main(["catalog", "export", str(source), str(out)]) == 0
    return out


def test_round_trip_keeps_everything(book, tmp_path):
    back = tmp_path / "back.yaml"
    assert main(["catalog", "import", str(book), str(back)]) == 0
    assert load_catalog(back) == load_catalog(tmp_path / "catalog.yaml")


def test_the_sheets_read_in_chinese(book):
    workbook = openpyxl.load_workbook(book)
    assert workbook.sheetnames == ["领域", "事项", "材料", "一件事"]
    items = workbook["事项"]
    header = [c.value for c in items[1]]
    row = dict(zip(header, [c.value for c in items[2]]))
    assert (row["事项名称"], row["送达方式"], row["自助办理"], row["别名"]) == \
        ("社会保障卡申领", "窗口领取、邮寄送达", "是", "社保卡、办卡")
    materials = workbook["材料"]
    header = [c.value for c in materials[1]]
    proof = dict(zip(header, [c.value for c in materials[4]]))
    assert (proof["事项编码"], proof["材料名称"], proof["形式"], proof["份数"], proof["告知承诺"]) == \
        ("SB-001", "参保证明", "复印件", 2, "是")


def _edit(book, sheet, row, header, value):
    workbook = openpyxl.load_workbook(book)
    ws = workbook[sheet]
    column = [c.value for c in ws[1]].index(header) + 1
    ws.cell(row, column, value)
    workbook.save(book)
    return openpyxl.utils.get_column_letter(column)


@pytest.mark.parametrize("sheet,row,header,value,words", [
    ("事项", 2, "法定时限", "二十", "must be a whole number"),
    ("事项", 2, "承诺时限", 99, "longer than legal_days"),
    ("事项", 3, "领域", "公安", "not one of"),
    ("材料", 3, "容缺受理", "也许", "must be 是 or 否"),
    ("材料", 4, "形式", "扫描件", "not one of"),
    ("材料", 2, "事项编码", "SB-404", "not on the sheet 事项"),
    ("一件事", 2, "事项编码", "SB-001、SB-404", "not an item"),
])
def test_an_import_mistake_names_sheet_row_and_column(book, tmp_path, sheet, row, header, value,
                                                      words):
    letter = _edit(book, sheet, row, header, value)
    out = tmp_path / "out.yaml"
    with pytest.raises(ConfigError) as info:
        import_catalog(book, out)
    (problem,) = info.value.problems
    text = str(problem)
    assert f"[{sheet}]:{row}: row {row}, column {letter} ({header})" in text, text
    assert words in text
    assert not out.exists()          # nothing written from a workbook with mistakes


def test_an_unknown_column_is_named(book, tmp_path):
    workbook = openpyxl.load_workbook(book)
    workbook["事项"].cell(1, 20, "备注")
    workbook.save(book)
    with pytest.raises(ConfigError) as info:
        import_catalog(book, tmp_path / "out.yaml")
    assert "column T '备注' is not a column" in str(info.value)


def test_import_checks_against_the_hall(book, tmp_path, capsys):
    _edit(book, "事项", 2, "窗口", "15")
    (tmp_path / "hall.yaml").write_text(HALL, encoding="utf-8")
    assert main(["catalog", "import", str(book), str(tmp_path / "out.yaml"),
                 "--config", str(tmp_path / "hall.yaml"), "--devices", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "[事项]:2: row 2, column F (窗口): window '15' does not serve" in out
    assert "out.yaml was not written" in out
    load_hall_config(tmp_path / "hall.yaml", tmp_path)


def test_a_file_that_is_not_a_workbook(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        import_catalog(bad, tmp_path / "out.yaml")
    assert "cannot read the workbook" in str(info.value)
