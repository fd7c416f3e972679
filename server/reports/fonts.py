"""The CJK font for PDFs: Debian's fonts-noto-cjk, or the file XUNCHA_PDF_FONT names.

Noto Sans CJK comes as a TrueType Collection (.ttc) of several faces (JP, KR, SC,
TC, HK …); the Simplified Chinese face is picked by its name. fpdf2 embeds only
the glyphs used (a subset), so a one-page notice stays small.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from flask import current_app
from fontTools.ttLib import TTCollection

from server.errors import ServiceUnavailable

# Debian/Ubuntu: apt-get install fonts-noto-cjk
NOTO_DIR = Path("/usr/share/fonts/opentype/noto")
NOTO_REGULAR = NOTO_DIR / "NotoSansCJK-Regular.ttc"
NOTO_BOLD = NOTO_DIR / "NotoSansCJK-Bold.ttc"
_NAME_FAMILY = 1


class FontMissing(ServiceUnavailable):
    code = "pdf_font_missing"
    message_zh = "服务器未安装中文字体（Debian 软件包 fonts-noto-cjk），暂时无法生成 PDF，请联系管理员安装后重试"
    message_en = "No CJK font is installed (Debian package fonts-noto-cjk); PDFs cannot be made until it is"


@dataclass(frozen=True)
class FontFace:
    path: Path
    index: int  # the face inside a .ttc; 0 for a single font


@dataclass(frozen=True)
class CjkFont:
    regular: FontFace
    bold: FontFace


def cjk_font() -> CjkFont:
    """The configured or installed CJK font; FontMissing (503) when there is none."""
    configured = current_app.config.get("XUNCHA_PDF_FONT") or ""
    regular = Path(configured) if configured else NOTO_REGULAR
    if not regular.is_file():
        raise FontMissing(details={"font": str(regular)})
    bold = NOTO_BOLD if not configured and NOTO_BOLD.is_file() else regular
    return CjkFont(_face(regular), _face(bold))


def _face(path: Path) -> FontFace:
    return FontFace(path, simplified_chinese_face(str(path)))


@lru_cache(maxsize=8)
def simplified_chinese_face(path: str) -> int:
    """The index of the Simplified Chinese face (family "… SC") in a collection; 0 otherwise."""
    if not path.lower().endswith((".ttc", ".otc")):
        return 0
    collection = TTCollection(path, lazy=True)
    try:
        for index, font in enumerate(collection.fonts):
            family = font["name"].getDebugName(_NAME_FAMILY) or ""
            if family.endswith(" SC") or " SC " in family:
                return index
    finally:
        collection.close()
    return 0
