"""`yichuang catalog check`: the exit code and what a technician reads."""
from __future__ import annotations

from catalog_samples import CATALOG, HALL, edit, line_of

from queue_server.cli import main


def test_check_a_good_file(tmp_path, capsys):
    path = tmp_path / "catalog.yaml"
    path.write_text(CATALOG, encoding="utf-8")
    (tmp_path / "hall.yaml").write_text(HALL, encoding="utf-8")
    assert main(["catalog", "check", str(path), "--config", str(tmp_path / "hall.yaml"),
                 "--devices", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "ok: 3 items (0 retired), 1 bundles, 2 domains" in out


def test_check_names_file_line_and_hint(tmp_path, capsys):
    text = edit(CATALOG, "    category: zonghe", "    category: minzheng")
    path = tmp_path / "catalog.yaml"
    path.write_text(text, encoding="utf-8")
    (tmp_path / "hall.yaml").write_text(HALL, encoding="utf-8")
    assert main(["catalog", "check", str(path), "--config", str(tmp_path / "hall.yaml"),
                 "--devices", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:{line_of(text, 'category: minzheng')}: category 'minzheng'" in out
    assert "hint: categories of" in out and "1 problem(s)" in out
