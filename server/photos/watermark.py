"""水印: time, place, category and who, drawn on the display copy, as Chinese field teams expect.

Pure image work (no Flask, no database). The original is never touched; only the
display copy carries the watermark. Text needs a font with CJK glyphs: Debian's
fonts-noto-cjk (Noto Sans CJK SC) or fonts-wqy-microhei. Without one, the lines
that need it are left out (never drawn as tofu boxes) and a warning is logged.
"""

from __future__ import annotations

import functools
import logging
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from server.photos.processing import encode_jpeg

log = logging.getLogger(__name__)

# (path, face index): the collection's Simplified Chinese face first.
FONT_CANDIDATES: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2),  # fonts-noto-cjk: 0 JP, 1 KR, 2 SC, 3 TC
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),  # fonts-wqy-microhei
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
)
# A character a CJK font must draw; its absence is what tofu boxes look like.
PROBE = "巡"

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


def draw_watermark(display_jpeg: bytes, lines: list[str], *, font_path: str = "") -> bytes:
    """The display copy with ``lines`` in a shaded band along its bottom edge, re-encoded once.

    Re-encoding at the display's own quality and tables changes the untouched pixels
    by no more than JPEG rounding: the copy does not visibly degrade.
    """
    with Image.open(BytesIO(display_jpeg)) as opened:
        img = opened.convert("RGB")
    size = max(12, round(min(img.size) * 0.03))
    font: Font | None = cjk_font(font_path, size)
    if font is None:
        lines = [line for line in lines if line.isascii()]
        font = ImageFont.load_default(size)
    _draw_lines(img, lines, font)
    return encode_jpeg(img)


def _draw_lines(img: Image.Image, lines: list[str], font: Font) -> None:
    if not lines:
        return
    draw = ImageDraw.Draw(img, "RGBA")  # RGBA drawing blends the band onto the RGB photo
    margin = max(6, img.width // 60)
    line_height = round(_text_height(font) * 1.35)
    top = img.height - margin - line_height * len(lines)
    # Shade only behind the text: the rest of the evidence stays as it was.
    width = max(draw.textlength(line, font=font) for line in lines)
    draw.rectangle((0, top - margin, min(img.width, round(width) + 2 * margin), img.height), fill=(0, 0, 0, 110))
    for index, line in enumerate(lines):
        position = (margin, top + index * line_height)
        draw.text(position, line, font=font, fill=(255, 255, 255), stroke_width=1, stroke_fill=(0, 0, 0))


def _text_height(font: Font) -> int:
    _left, top, _right, bottom = font.getbbox("国Ag")
    return int(bottom - top) or 12


@functools.lru_cache(maxsize=16)
def cjk_font(configured: str, size: int) -> ImageFont.FreeTypeFont | None:
    """The configured font, else the first known Debian CJK font; None (and a warning) if none draws Chinese."""
    candidates = [(configured, 0)] if configured else []
    candidates += [(path, index) for path, index in FONT_CANDIDATES if Path(path).is_file()]
    for path, index in candidates:
        try:
            font = ImageFont.truetype(path, size, index=index)
        except OSError:
            log.warning("watermark font %s cannot be opened", path)
            continue
        if draws_glyph(font, PROBE):
            return font
        log.warning("watermark font %s has no Chinese glyphs", path)
    log.warning("no CJK font found (apt-get install fonts-noto-cjk): watermarks carry only their ASCII lines")
    return None


def draws_glyph(font: ImageFont.FreeTypeFont, char: str) -> bool:
    """True when ``font`` has a real glyph for ``char``, not its .notdef (tofu) box.

    A private-use code point has no glyph in any of these fonts, so it renders as .notdef.
    """
    return _mask(font, char) != _mask(font, "\ue000") and bool(font.getbbox(char)[2])


def _mask(font: ImageFont.FreeTypeFont, char: str) -> tuple[tuple[int, int], bytes]:
    mask = font.getmask(char)
    return mask.size, bytes(mask)
