"""The day's tickets as CSV (UTF-8 with BOM, so Excel shows the Chinese) and XLSX (openpyxl).

No text becomes a formula in Excel or WPS (a staff name "=HYPERLINK(...)" stays a name):
CSV cells that start like a formula get a leading apostrophe, which spreadsheets read as
"text", and XLSX cells are written as text, never as formulas.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json

from hall.words import FACE_RESULT, status_word

from ..staff import FORMULA_START
from .stats import handle_s, wait_s

PRIORITY_NAMES = {"normal": "普通", "appointment": "预约", "elderly": "适老", "disabled": "助残",
                  "green": "绿色通道"}
OUTCOME_NAMES = {"done": "办结", "not_done": "未办结"}
HEADERS = ("日期", "号码", "业务类别", "优先", "状态", "取号时间", "叫号时间", "办结时间",
           "窗口", "工作人员", "等候(分钟)", "办理(分钟)", "结果", "人证核验")


def _clock(ts: float | None, zone) -> str:
    return "" if ts is None else dt.datetime.fromtimestamp(ts, zone).strftime("%H:%M:%S")


def _minutes(seconds: float | None):
    return "" if seconds is None else round(seconds / 60, 1)


def rows(tickets: list[dict], category_names: dict[str, str], window_names: dict[str, str], zone) -> list[list]:
    """One row per ticket in HEADERS order, values a person can read."""
    return [[t.get("date", ""), t["number"], category_names.get(t["category"], t["category"]),
             PRIORITY_NAMES.get(t.get("priority"), t.get("priority") or ""),
             status_word(t["status"]),
             _clock(t["issued_at"], zone), _clock(t.get("called_at"), zone), _clock(t.get("finished_at"), zone),
             window_names.get(t.get("window") or "", t.get("window") or ""), t.get("staff_name") or t.get("staff") or "",
             _minutes(wait_s(t)), _minutes(handle_s(t)), OUTCOME_NAMES.get(t.get("outcome") or "", ""),
             face_words(t.get("face_check"))]
            for t in tickets]


def face_words(face_check) -> str:
    """The ticket's 人证核验 (a JSON text in the database): "" where none was asked for."""
    check = json.loads(face_check) if isinstance(face_check, str) else face_check
    if not check:
        return ""
    words = FACE_RESULT.get(check.get("result"), "")
    return f"{words}（{check['staff']}）" if check.get("staff") else words


def to_csv(table: list[list], headers: tuple = HEADERS) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_as_text(h) for h in headers])
    writer.writerows([[_as_text(v) for v in row] for row in table])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _as_text(value):
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def to_xlsx(table: list[list], title: str, headers: tuple = HEADERS) -> bytes:
    from openpyxl import Workbook   # here: 0.4 s and 20 MB (numpy, PIL) the server's start never needs
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    for row in [list(headers), *table]:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":     # openpyxl takes any text starting with "=" for one
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    for i, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = max(10, len(header) * 2 + 2)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
