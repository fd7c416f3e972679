"""整改通知单 PDF: rendered to PNG with pdfium, the Chinese must be real glyphs, not tofu boxes."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops

from tests.server.issues.helpers import report

ISSUER = "衡阳市创建全国文明城市工作指挥部办公室"
SCALE = 3  # 216 dpi


@pytest.fixture
def issue(inspector: Any, small_jpeg: Any) -> dict[str, Any]:
    response = report(inspector, small_jpeg((30, 120, 200)), location_text="金龙小区7栋", description="违规搭棚3处")
    assert response.status_code == 201
    return response.get_json()  # type: ignore[no-any-return]


def _page_text_and_image(data: bytes) -> tuple[str, Image.Image, pdfium.PdfPage, pdfium.PdfTextPage]:
    document = pdfium.PdfDocument(data)
    page = document[0]
    text = page.get_textpage()
    return text.get_text_range(), page.render(scale=SCALE).to_pil(), page, text


def _glyph(image: Image.Image, page: pdfium.PdfPage, text: pdfium.PdfTextPage, index: int) -> Image.Image:
    """The rendered pixels of one character, cut out by its box on the page."""
    left, bottom, right, top = text.get_charbox(index)
    height = page.get_height()
    return image.crop(
        (int(left * SCALE), int((height - top) * SCALE), int(right * SCALE), int((height - bottom) * SCALE))
    )


def test_notice_pdf_has_real_chinese_glyphs(supervisor: Any, issue: dict[str, Any], tmp_path: Path) -> None:
    response = supervisor.get(f"/api/v1/exports/notice/{issue['id']}.pdf")
    assert response.status_code == 200, response.get_json()
    assert response.mimetype == "application/pdf"
    assert (
        "filename*=UTF-8''%E6%95%B4%E6%94%B9%E9%80%9A%E7%9F%A5%E5%8D%95_XC-" in response.headers["Content-Disposition"]
    )
    text, image, page, textpage = _page_text_and_image(response.data)
    image.save(tmp_path / "notice.png")  # looked at once by hand: see the report of issue #6
    assert len(pdfium.PdfDocument(response.data)) == 1  # one notice, one page
    image = image.convert("L")
    # The words are there and extract as the same Unicode text (the font maps them back).
    for expected in (ISSUER, "整改通知单", "编号：XC-", "金龙社区", "金龙小区7栋", "违规搭棚3处", "签收人", "日期"):
        assert expected in text, expected
    # Not blank: a fair share of the page is ink.
    dark = image.histogram()[:128]  # grey levels 0 … 127
    dark = sum(dark)
    assert dark > 0.01 * image.width * image.height
    # Real glyphs: the five characters of the title each look different (tofu boxes are all the
    # same .notdef shape) and each has ink.
    start = text.index("整改通知单")
    glyphs = [_glyph(image, page, textpage, start + n) for n in range(5)]
    assert all(ImageChops.invert(g).getbbox() for g in glyphs)
    assert len({hashlib.sha256(g.tobytes()).hexdigest() for g in glyphs}) == 5


def test_notice_pdf_embeds_the_photo(supervisor: Any, issue: dict[str, Any]) -> None:
    document = pdfium.PdfDocument(supervisor.get(f"/api/v1/exports/notice/{issue['id']}.pdf").data)
    images = [obj for obj in document[0].get_objects() if obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE]
    assert len(images) == 1


def test_notices_for_a_community_one_page_each(supervisor: Any, inspector: Any, small_jpeg: Any) -> None:
    first = report(inspector, small_jpeg((1, 2, 3))).get_json()
    report(inspector, small_jpeg((4, 5, 6)), location_text="棕榈园B3栋楼梯口", description="有一处堆物")
    community_id = first["community"]["id"]
    response = supervisor.get(f"/api/v1/exports/notices.pdf?community_id={community_id}&status=assigned")
    assert response.status_code == 200
    document = pdfium.PdfDocument(response.data)
    assert len(document) == 2
    assert "有一处堆物" in document[1].get_textpage().get_text_range()


def test_staff_only_get_their_own_notices(staff_jinlong: Any, staff_jinyuan: Any, issue: dict[str, Any]) -> None:
    assert staff_jinlong.get(f"/api/v1/exports/notice/{issue['id']}.pdf").status_code == 200
    assert staff_jinyuan.get(f"/api/v1/exports/notice/{issue['id']}.pdf").status_code == 404
    community_id = issue["community"]["id"]
    assert staff_jinyuan.get(f"/api/v1/exports/notices.pdf?community_id={community_id}").status_code == 404


def test_missing_font_is_a_clear_503(app: Any, supervisor: Any, issue: dict[str, Any], monkeypatch: Any) -> None:
    monkeypatch.setitem(app.config, "XUNCHA_PDF_FONT", "/nonexistent/NotoSansCJK-Regular.ttc")
    response = supervisor.get(f"/api/v1/exports/notice/{issue['id']}.pdf")
    assert response.status_code == 503
    error = response.get_json()["error"]
    assert error["code"] == "pdf_font_missing"
    assert "fonts-noto-cjk" in error["message"]
    assert "中文字体" in error["message"]
