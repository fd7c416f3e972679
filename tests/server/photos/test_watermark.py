"""水印 on the display copy: real Chinese glyphs, drawn once when the photo is attached, original untouched."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask
from PIL import Image, ImageChops, ImageFont, ImageStat
from sqlalchemy import select

from server.extensions import db
from server.photos import display, operations, watermark
from server.photos.models import Photo
from server.photos.storage import Storage
from tests.server.issues.helpers import JINLONG_POINT, act, report, upload_photo
from tests.server.photos.helpers import open_image

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"  # fonts-dejavu-core: Latin, no CJK
CHINESE = "巡查违规搭棚整改前后拍摄人金龙小区栋"


def mean_difference(a: Image.Image, b: Image.Image) -> float:
    return sum(ImageStat.Stat(ImageChops.difference(a.convert("RGB"), b.convert("RGB"))).mean) / 3


@pytest.fixture(autouse=True)
def _fresh_font_cache() -> None:
    watermark.cjk_font.cache_clear()


# -- the font ------------------------------------------------------------------------------------


def test_the_installed_font_draws_real_chinese_glyphs() -> None:
    font = watermark.cjk_font("", 40)
    assert font is not None, "no CJK font: apt-get install fonts-noto-cjk (see the Makefile)"
    for char in CHINESE:
        assert watermark.draws_glyph(font, char), char
    # The check itself tells a real glyph from the .notdef box: a Latin font fails it.
    assert not watermark.draws_glyph(ImageFont.truetype(DEJAVU, 40), "巡")
    assert watermark.draws_glyph(ImageFont.truetype(DEJAVU, 40), "A")


def test_the_drawn_watermark_shows_glyphs_not_tofu_boxes() -> None:
    photo = _jpeg(Image.new("RGB", (1600, 1200), (120, 140, 160)))
    real = open_image(watermark.draw_watermark(photo, ["拍摄人 巡查员"]))
    tofu = open_image(watermark.draw_watermark(photo, ["拍摄人 \ue000\ue000\ue000"]))
    assert mean_difference(real, tofu) > 0.05  # same band and spacing; only the glyphs differ


def test_a_configured_font_without_chinese_is_passed_over(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="server.photos.watermark"):
        font = watermark.cjk_font(DEJAVU, 30)
    assert font is not None
    assert "CJK" in font.getname()[0]
    assert "has no Chinese glyphs" in caplog.text


def test_without_any_cjk_font_only_ascii_lines_are_drawn_and_a_warning_logged(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(watermark, "FONT_CANDIDATES", ())
    plain = Image.new("RGB", (1600, 1200), (120, 140, 160))
    with caplog.at_level(logging.WARNING, logger="server.photos.watermark"):
        only_chinese = open_image(watermark.draw_watermark(_jpeg(plain), ["违规搭棚 · 整改后"], font_path=DEJAVU))
        with_ascii = open_image(watermark.draw_watermark(_jpeg(plain), ["违规搭棚", "2026-11-23 10:32"]))
    assert "no CJK font found" in caplog.text
    assert mean_difference(only_chinese, plain) < 1  # nothing drawn: no tofu
    assert mean_difference(with_ascii, plain) > 0.1  # the time still is


# -- what it says ----------------------------------------------------------------------------------


def test_the_watermark_says_when_where_what_who(app: Flask) -> None:
    photo = SimpleNamespace(
        taken_at=datetime(2026, 11, 23, 2, 32, tzinfo=UTC),
        device_fix_at=None,
        created_at=datetime(2026, 11, 23, 2, 40, tzinfo=UTC),
        device_lat=26.8601234,
        device_lon=112.6004321,
        exif_lat=None,
        exif_lon=None,
        kind="after",
        uploader_id=_user_id("staff_jinlong"),
    )
    issue = SimpleNamespace(
        location_text="金龙小区7栋 ",
        lat=26.86,
        lon=112.6,
        category=SimpleNamespace(name_zh="违规搭棚"),
    )
    lines = display.watermark_lines(photo, issue)  # type: ignore[arg-type]
    assert lines[0] == "拍摄 2026-11-23 10:32"  # local time (Asia/Shanghai)
    assert lines[1] == "金龙小区7栋"
    assert lines[2] == "26.86012, 112.60043"  # the phone's own fix first
    assert lines[3] == "违规搭棚 · 整改后"
    assert lines[4].startswith("拍摄人 ")
    photo.taken_at = None  # no capture time: the receive time, labelled as such
    assert display.watermark_lines(photo, issue)[0] == "上传 2026-11-23 10:40"  # type: ignore[arg-type]


def _user_id(username: str) -> int:
    from server.auth.models import User

    found = db.session.scalar(select(User.id).where(User.username == username))
    assert found is not None
    return found


# -- when it is drawn --------------------------------------------------------------------------------


def _row(public_id: str) -> Photo:
    photo = db.session.scalar(select(Photo).where(Photo.public_id == public_id))
    assert photo is not None
    db.session.refresh(photo)
    return photo


def _keys(storage: Storage) -> set[str]:
    return {obj.key for obj in storage.objects("photos/")}


def test_attaching_draws_it_into_a_new_display_and_drops_the_preview(
    inspector: Any, storage: Storage, photo_bytes: Callable[[str], bytes], fetch: Callable[[str], Any]
) -> None:
    data = photo_bytes("jpg/gps/DSCN0010.jpg")
    uploaded = upload_photo(inspector, data)
    preview_key = _row(uploaded["id"]).display_key
    assert preview_key.endswith("/preview.jpg")
    preview = open_image(storage.get(preview_key))

    created = report(inspector, data, at=JINLONG_POINT, photo_ids=[uploaded["id"]])
    assert created.status_code == 201, created.get_json()
    photo = _row(uploaded["id"])
    assert photo.display_key == preview_key.replace("/preview.jpg", "/display.jpg")
    assert preview_key not in _keys(storage)  # deleted after the commit
    shown = next(p for p in created.get_json()["photos"] if p["id"] == uploaded["id"])
    display = open_image(fetch(shown["urls"]["display"]).data)

    width, height = display.size
    band = (0, int(height * 0.75), width // 3, height)
    assert mean_difference(display.crop(band), preview.crop(band)) > 10  # text and shade
    top = (0, 0, width, height // 2)
    assert mean_difference(display.crop(top), preview.crop(top)) < 1.5  # the rest: one more JPEG rounding at most
    assert fetch(shown["urls"]["original"]).data == data  # the original is never touched
    assert dict(display.getexif()) == {}


def test_failing_after_the_watermark_deletes_the_new_display(
    staff_jinlong: Any,
    inspector: Any,
    storage: Storage,
    small_jpeg: Callable[..., bytes],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    issue = report(inspector, small_jpeg()).get_json()
    after = upload_photo(staff_jinlong, small_jpeg((10, 200, 30)), kind="after")
    preview_key = _row(after["id"]).display_key

    def broken_check(*_args: Any) -> None:
        raise RuntimeError("checks failed")

    with monkeypatch.context() as patched:
        patched.setattr(operations, "check_after_photos", broken_check)  # fails after the watermark is stored
        assert act(staff_jinlong, issue, "rectify", note="已整改", photo_ids=[after["id"]]).status_code == 500
    display_key = preview_key.replace("/preview.jpg", "/display.jpg")
    assert display_key not in _keys(storage)  # written, then deleted with the failed request
    assert preview_key in _keys(storage)
    assert _row(after["id"]).display_key == preview_key
    # The retry draws it once, from the untouched preview.
    assert act(staff_jinlong, issue, "rectify", note="已整改", photo_ids=[after["id"]]).status_code == 200
    assert _row(after["id"]).display_key == display_key
    assert display_key in _keys(storage)
    assert preview_key not in _keys(storage)


def test_with_the_watermark_off_the_upload_makes_the_final_display(
    app: Flask, inspector: Any, storage: Storage, small_jpeg: Callable[..., bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "PHOTO_WATERMARK", False)
    uploaded = upload_photo(inspector, small_jpeg())
    display_key = _row(uploaded["id"]).display_key
    assert display_key.endswith("/display.jpg")
    stored = storage.get(display_key)
    assert report(inspector, small_jpeg(), photo_ids=[uploaded["id"]]).status_code == 201
    assert _row(uploaded["id"]).display_key == display_key
    assert storage.get(display_key) == stored


def _jpeg(img: Image.Image) -> bytes:
    from server.photos.processing import encode_jpeg

    return encode_jpeg(img)
