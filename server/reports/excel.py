"""《督查限时整改一览表》 as an Excel workbook (openpyxl).

A title row, a frozen header row with Chinese headers, one row per issue; times
are real Excel dates in local time (Excel has no time zones), optional
thumbnails embedded from storage.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

from openpyxl import Workbook
from openpyxl.drawing.image import Image as SheetImage
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from server.reports.periods import to_local

TITLE = "督查限时整改一览表"
DATE_FORMAT = "yyyy-mm-dd hh:mm"
THUMB_WIDTH_PX = 96
THUMB_HEIGHT_PX = 76
THUMB_ROW_HEIGHT_PT = 60  # 80 px

# header, width (characters)
COLUMNS = [
    ("序号", 6),
    ("社区", 12),
    ("位置", 24),
    ("问题描述", 36),
    ("类别", 14),
    ("发现时间", 17),
    ("整改时限", 17),
    ("责任单位", 22),
    ("状态", 16),
    ("整改情况", 40),
]
THUMB_COLUMN = ("照片", 15)

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="center")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


@dataclass
class SheetRow:
    community: str
    location: str
    description: str
    category: str
    found_at: datetime
    deadline_at: datetime | None
    responsible: str
    status: str
    progress: str
    is_overdue: bool = False
    thumbnail: bytes | None = None


def build_workbook(rows: list[SheetRow], subtitle: str, *, thumbnails: bool) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = TITLE
    columns = COLUMNS + ([THUMB_COLUMN] if thumbnails else [])
    _title(sheet, f"{TITLE}（{subtitle}）", len(columns))
    _header(sheet, columns)
    for index, row in enumerate(rows, start=1):
        _write_row(sheet, index + 2, index, row, thumbnails=thumbnails)
    sheet.freeze_panes = "A3"  # title and header stay in view
    sheet.auto_filter.ref = f"A2:{get_column_letter(len(columns))}{len(rows) + 2}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _title(sheet: Worksheet, text: str, width: int) -> None:
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    cell = sheet.cell(row=1, column=1, value=text)
    cell.font = Font(size=16, bold=True)
    cell.alignment = _CENTER
    sheet.row_dimensions[1].height = 32


def _header(sheet: Worksheet, columns: list[tuple[str, int]]) -> None:
    for number, (name, width) in enumerate(columns, start=1):
        cell = sheet.cell(row=2, column=number, value=name)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = _CENTER
        cell.border = _BORDER
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.row_dimensions[2].height = 22


def _write_row(sheet: Worksheet, row_number: int, index: int, row: SheetRow, *, thumbnails: bool) -> None:
    values: list[object] = [
        index,
        row.community,
        row.location,
        row.description,
        row.category,
        _excel_time(row.found_at),
        _excel_time(row.deadline_at),
        row.responsible,
        row.status,
        row.progress,
    ]
    for number, value in enumerate(values, start=1):
        cell = sheet.cell(row=row_number, column=number, value=value)
        cell.border = _BORDER
        cell.alignment = _CENTER if number in (1, 6, 7, 9) else _WRAP
        if isinstance(value, datetime):
            cell.number_format = DATE_FORMAT
    if row.is_overdue:
        sheet.cell(row=row_number, column=9).font = Font(color="C00000", bold=True)
    if thumbnails:
        _thumbnail(sheet, row_number, len(values) + 1, row.thumbnail)


def _thumbnail(sheet: Worksheet, row_number: int, column: int, data: bytes | None) -> None:
    sheet.cell(row=row_number, column=column).border = _BORDER
    sheet.row_dimensions[row_number].height = THUMB_ROW_HEIGHT_PT
    if data is None:
        return
    image = SheetImage(io.BytesIO(data))
    scale = min(THUMB_WIDTH_PX / image.width, THUMB_HEIGHT_PX / image.height)  # fit the cell, keep the shape
    image.width, image.height = int(image.width * scale), int(image.height * scale)
    sheet.add_image(image, f"{get_column_letter(column)}{row_number}")


def _excel_time(moment: datetime | None) -> datetime | None:
    """Local wall-clock time without a zone: what Excel shows, and what people here read."""
    return to_local(moment).replace(tzinfo=None, microsecond=0) if moment else None
