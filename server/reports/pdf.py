"""整改通知单 as PDF (fpdf2, with the CJK font of ``server.reports.fonts`` embedded as a subset).

One A4 page per notice: the issuing body (XUNCHA_ISSUER) as a red header, the
title, the notice number, the addressee, the request with its deadline, a table
of the problem, up to two photos, the issuer's seal and date lines, and a
receipt strip with 签收人 / 日期 lines.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime

from fpdf import FPDF
from fpdf.enums import Align, WrapMode, XPos, YPos

from server.reports.fonts import CjkFont
from server.reports.periods import to_local

FONT = "cjk"
RED = (200, 16, 16)
LEFT = 20.0
WIDTH = 170.0  # A4 210 mm − 2 × 20 mm
PHOTO_BOX = (82.0, 62.0)
MAX_PHOTOS = 2
SIGNATURE_HEIGHT = 72.0  # mm from the block's top to the page's bottom edge


@dataclass
class Notice:
    number: str
    addressee: str  # 责任单位
    category: str
    location: str
    description: str
    found_at: datetime
    deadline_at: datetime | None
    status: str
    photos: list[bytes] = field(default_factory=list)


def render_notices(notices: list[Notice], *, font: CjkFont, issuer: str, issued_on: date) -> bytes:
    pdf = _document(font)
    for notice in notices:
        pdf.add_page()
        _page(pdf, notice, issuer, issued_on)
    return bytes(pdf.output())


def _document(font: CjkFont) -> FPDF:
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.add_font(FONT, "", str(font.regular.path), collection_font_number=font.regular.index)
    pdf.add_font(FONT, "B", str(font.bold.path), collection_font_number=font.bold.index)
    pdf.set_margins(LEFT, 18, LEFT)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_title("整改通知单")
    pdf.set_creator("巡查 Xuncha")
    return pdf


def _page(pdf: FPDF, notice: Notice, issuer: str, issued_on: date) -> None:
    _header(pdf, issuer, notice.number)
    _request(pdf, notice)
    _problem_table(pdf, notice)
    _photos(pdf, notice.photos)
    _signatures(pdf, notice, issuer, issued_on)


def _header(pdf: FPDF, issuer: str, number: str) -> None:
    pdf.set_text_color(*RED)
    pdf.set_font(FONT, "B", 17)
    pdf.multi_cell(WIDTH, 9, issuer, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT, wrapmode=WrapMode.CHAR)
    pdf.set_draw_color(*RED)
    pdf.set_line_width(0.8)
    pdf.line(LEFT, pdf.get_y() + 2, LEFT + WIDTH, pdf.get_y() + 2)
    pdf.set_text_color(0, 0, 0)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2)
    pdf.ln(6)
    pdf.set_font(FONT, "B", 22)
    pdf.cell(WIDTH, 12, "整改通知单", align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 11)
    pdf.cell(WIDTH, 7, f"编号：{number}", align=Align.R, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)


def _request(pdf: FPDF, notice: Notice) -> None:
    pdf.set_font(FONT, "B", 13)
    pdf.cell(WIDTH, 8, f"{notice.addressee or '（待派发）'}：", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 12)
    by = f"于 {_when(notice.deadline_at)} 前" if notice.deadline_at else "尽快"
    text = (
        f"　　经督查，你单位辖区内存在下列问题。请{by}整改到位，并通过巡查系统提交整改说明和整改后照片，"
        "以备复查；逾期未整改或整改不到位的，将在督查通报中通报。"
    )
    pdf.multi_cell(WIDTH, 7, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, wrapmode=WrapMode.CHAR)
    pdf.ln(3)


def _problem_table(pdf: FPDF, notice: Notice) -> None:
    rows = [
        ("问题类别", notice.category),
        ("问题位置", notice.location or "—"),
        ("问题描述", notice.description or "—"),
        ("发现时间", _when(notice.found_at)),
        ("整改时限", _when(notice.deadline_at) if notice.deadline_at else "待派发后确定"),
        ("责任单位", notice.addressee or "待派发"),
        ("当前状态", notice.status),
    ]
    pdf.set_font(FONT, "", 11)
    with pdf.table(
        col_widths=(28, WIDTH - 28),
        width=WIDTH,
        first_row_as_headings=False,
        line_height=7,
        text_align=("CENTER", "LEFT"),
        wrapmode=WrapMode.CHAR,
    ) as table:
        for label, value in rows:
            row = table.row()
            row.cell(label)
            row.cell(value)
    pdf.ln(4)


def _photos(pdf: FPDF, photos: list[bytes]) -> None:
    shown = photos[:MAX_PHOTOS]
    if not shown:
        return
    box_w, box_h = PHOTO_BOX
    if pdf.get_y() + box_h + 8 > pdf.h - SIGNATURE_HEIGHT:
        pdf.add_page()
    pdf.set_font(FONT, "B", 11)
    pdf.cell(WIDTH, 7, "现场照片：", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    top = pdf.get_y()
    for n, data in enumerate(shown):
        x = LEFT + n * (box_w + WIDTH - 2 * box_w)
        pdf.image(io.BytesIO(data), x=x, y=top, w=box_w, h=box_h, keep_aspect_ratio=True)
    pdf.set_y(top + box_h + 4)


def _signatures(pdf: FPDF, notice: Notice, issuer: str, issued_on: date) -> None:
    if pdf.get_y() > pdf.h - SIGNATURE_HEIGHT:
        pdf.add_page()
    pdf.set_y(max(pdf.get_y() + 4, pdf.h - SIGNATURE_HEIGHT))
    pdf.set_font(FONT, "", 12)
    right = {"w": WIDTH, "h": 7, "align": Align.R, "new_x": XPos.LMARGIN, "new_y": YPos.NEXT}
    pdf.cell(text=f"{issuer}（盖章）", **right)  # type: ignore[arg-type]
    pdf.cell(text=f"{issued_on.year}年{issued_on.month}月{issued_on.day}日", **right)  # type: ignore[arg-type]
    pdf.ln(5)
    pdf.set_dash_pattern(dash=1.5, gap=1.5)
    pdf.line(LEFT, pdf.get_y(), LEFT + WIDTH, pdf.get_y())
    pdf.set_dash_pattern()
    pdf.ln(3)
    pdf.set_font(FONT, "B", 12)
    pdf.cell(WIDTH, 8, f"签收回执（编号：{notice.number}）", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 12)
    pdf.cell(WIDTH, 9, f"签收单位：{notice.addressee or '________________'}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.cell(WIDTH / 2, 9, "签收人：________________")
    pdf.cell(WIDTH / 2, 9, "日期：________年____月____日", align=Align.R, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _when(moment: datetime | None) -> str:
    if moment is None:
        return ""
    local = to_local(moment)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"
