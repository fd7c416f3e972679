"""The image pipeline on its own: bytes in, a ProcessedPhoto (or a refusal) out."""

from __future__ import annotations

import ast
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PIL import Image, ImageChops, ImageStat

from server.photos import exif, processing, sniffing
from server.photos.processing import ProcessedPhoto, process_photo
from tests.server.photos.helpers import encoded, jpeg_with_metadata, open_image, png_declaring, png_with_alpha, samples

SHANGHAI = ZoneInfo("Asia/Shanghai")


def run(data: bytes, *, max_bytes: int = 25 * 1024 * 1024, max_pixels: int = 64_000_000) -> ProcessedPhoto:
    return process_photo(data, max_bytes=max_bytes, max_pixels=max_pixels, local_tz=SHANGHAI)


def mean_difference(a: Image.Image, b: Image.Image) -> float:
    return sum(ImageStat.Stat(ImageChops.difference(a.convert("RGB"), b.convert("RGB"))).mean) / 3


# -- orientation -----------------------------------------------------------------------------


@pytest.mark.parametrize("shape", ["landscape", "portrait"])
@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_comes_out_upright(
    photo_bytes: Callable[[str], bytes], shape: str, orientation: int
) -> None:
    upright = open_image(run(photo_bytes(f"jpg/orientation/{shape}_1.jpg")).display)
    result = run(photo_bytes(f"jpg/orientation/{shape}_{orientation}.jpg"))
    display = open_image(result.display)

    expected_size = (600, 450) if shape == "landscape" else (450, 600)
    assert (result.width, result.height) == expected_size
    assert display.size == expected_size
    # Same picture as the upright sample (only JPEG noise apart); a wrong or
    # doubled rotation or a missing flip differs by 40 or more.
    assert mean_difference(display, upright) < 15
    assert mean_difference(display, upright.transpose(Image.Transpose.FLIP_LEFT_RIGHT)) > 30


def test_orientation_6_of_a_large_photo_is_turned_and_scaled() -> None:
    result = run(jpeg_with_metadata(size=(4000, 3000), orientation=6))
    assert (result.width, result.height) == (3000, 4000)
    assert open_image(result.display).size == (1200, 1600)
    assert open_image(result.thumb).size == (240, 320)


def test_small_photos_are_not_enlarged(small_jpeg: Callable[..., bytes]) -> None:
    result = run(small_jpeg(size=(200, 100)))
    assert open_image(result.display).size == (200, 100)
    assert open_image(result.thumb).size == (200, 100)


# -- derivatives carry no metadata -----------------------------------------------------------


def test_derivatives_carry_no_metadata() -> None:
    result = run(jpeg_with_metadata())
    assert result.exif_lat is not None  # the original had GPS …
    for data in (result.display, result.thumb):  # … the derivatives have nothing
        img = open_image(data)
        assert dict(img.getexif()) == {}
        assert not {"exif", "icc_profile", "xmp", "comment"} & set(img.info)
        assert b"Exif\x00\x00" not in data
        assert b"secret" not in data
        assert b"TestPhone" not in data


def test_transparency_is_flattened_onto_white() -> None:
    display = open_image(run(png_with_alpha()).display)
    assert display.mode == "RGB"
    r, g, b = display.getpixel((250, 100))  # type: ignore[misc]
    assert min(r, g, b) > 240


@pytest.mark.parametrize("relative", samples("heic"))
def test_heic_is_decoded(photo_bytes: Callable[[str], bytes], relative: str) -> None:
    result = run(photo_bytes(relative))
    assert result.image_type is processing.HEIC
    assert max(open_image(result.display).size) == 1600


def test_heic_time_uses_its_offset_and_gps_is_read(photo_bytes: Callable[[str], bytes]) -> None:
    result = run(photo_bytes("heic/IMG_5195.HEIC"))
    # DateTimeOriginal 2021:04:11 15:47:53 with OffsetTimeOriginal -05:00
    assert result.taken_at == datetime(2021, 4, 11, 20, 47, 53, tzinfo=UTC)
    # GPS 39° 3' 4.84" N, 94° 17' 19.58" W
    assert result.exif_lat == pytest.approx(39 + 3 / 60 + 4.84 / 3600, abs=1e-6)
    assert result.exif_lon == pytest.approx(-(94 + 17 / 60 + 19.58 / 3600), abs=1e-6)
    assert (result.width, result.height) == (2566, 3313)


# -- EXIF: time and place --------------------------------------------------------------------


def test_gps_dms_rationals_become_decimal_degrees(photo_bytes: Callable[[str], bytes]) -> None:
    result = run(photo_bytes("jpg/gps/DSCN0010.jpg"))
    # By hand from the file's EXIF: N 43° 28' 2.814", E 11° 53' 6.456"
    assert result.exif_lat == pytest.approx(43 + 28 / 60 + 2.814 / 3600, abs=1e-6)  # 43.4674483
    assert result.exif_lon == pytest.approx(11 + 53 / 60 + 6.456 / 3600, abs=1e-6)  # 11.8851267


@pytest.mark.parametrize("relative", samples("jpg/gps"))
def test_every_gps_sample_lands_near_the_same_place(photo_bytes: Callable[[str], bytes], relative: str) -> None:
    result = run(photo_bytes(relative))
    assert result.exif_lat == pytest.approx(43.467, abs=0.01)
    assert result.exif_lon == pytest.approx(11.88, abs=0.01)


def test_west_is_negative(photo_bytes: Callable[[str], bytes]) -> None:
    result = run(photo_bytes("jpg/mobile/iphone_hdr_YES.jpg"))  # Madrid: N 40° 26', W 3° 43'
    assert result.exif_lat == pytest.approx(40.447, abs=0.001)
    assert result.exif_lon == pytest.approx(-3.725, abs=0.001)


def test_time_without_offset_is_local_to_the_deployment(photo_bytes: Callable[[str], bytes]) -> None:
    result = run(photo_bytes("jpg/gps/DSCN0010.jpg"))  # 2008:10:22 16:28:39, no OffsetTimeOriginal
    assert result.taken_at == datetime(2008, 10, 22, 8, 28, 39, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026:03:01 09:30:00", datetime(2026, 3, 1, 9, 30)),
        (b"2026:03:01 09:30:00\x00", datetime(2026, 3, 1, 9, 30)),
        ("2026-03-01 09:30:00", datetime(2026, 3, 1, 9, 30)),
        ("0000:00:00 00:00:00", None),
        ("    :  :     :  :  ", None),
        ("2026:13:01 09:30:00", None),
        ("", None),
        (None, None),
        (12345, None),
    ],
)
def test_exif_datetime_junk_is_ignored(value: object, expected: datetime | None) -> None:
    assert exif.parse_exif_datetime(value) == expected


@pytest.mark.parametrize(
    ("value", "minutes"),
    [("+08:00", 480), ("-05:00", -300), ("+0530", 330), ("+99:00", None), ("junk", None), (None, None)],
)
def test_exif_offsets(value: object, minutes: int | None) -> None:
    offset = exif.parse_exif_offset(value)
    assert (offset.utcoffset(None).total_seconds() // 60 if offset else None) == minutes


@pytest.mark.parametrize(
    "tags",
    [
        {1: "N", 2: (43.0, 28.0), 3: "E"},  # no longitude
        {1: "X", 2: (43.0, 28.0, 2.0), 3: "E", 4: (11.0, 53.0, 6.0)},  # junk hemisphere
        {2: (43.0, 28.0, 2.0), 4: (11.0, 53.0, 6.0)},  # no hemispheres
        {1: "N", 2: (91.0, 0.0, 0.0), 3: "E", 4: (11.0, 53.0, 6.0)},  # beyond the pole
        {1: "N", 2: (43.0, 75.0, 0.0), 3: "E", 4: (11.0, 53.0, 6.0)},  # 75 minutes
        {1: "N", 2: (float("nan"), 0.0, 0.0), 3: "E", 4: (11.0, 53.0, 6.0)},  # x/0 rational
        {1: "N", 2: "forty-three", 3: "E", 4: (11.0, 53.0, 6.0)},
        {1: "N", 2: (0.0, 0.0, 0.0), 3: "E", 4: (0.0, 0.0, 0.0)},  # "null island": no fix
        {1: "N", 2: (43.0, 28.0, 2.0), 3: "E", 4: (11.0, 53.0, 6.0), 9: "V"},  # receiver: void
    ],
)
def test_gps_junk_is_ignored(tags: dict[int, object]) -> None:
    block = Image.Exif()
    block.get_ifd(0x8825).update(tags)
    assert exif.gps_coordinates(block) == (None, None)


def test_gps_with_decimal_minutes(photo_bytes: Callable[[str], bytes]) -> None:
    result = run(photo_bytes("jpg/tests/87_OSError.jpg"))  # (43, 47.135666, 0) N, (11, 14.077166, 0) E
    assert result.exif_lat == pytest.approx(43 + 47.135666 / 60, abs=1e-6)
    assert result.exif_lon == pytest.approx(11 + 14.077166 / 60, abs=1e-6)


@pytest.mark.parametrize("relative", samples("jpg/tests"))
def test_odd_exif_never_crashes(photo_bytes: Callable[[str], bytes], relative: str) -> None:
    try:
        result = run(photo_bytes(relative))
    except processing.PhotoRejected:
        return  # a clean refusal is fine too
    assert result.width > 0
    assert result.height > 0
    assert result.taken_at is None or result.taken_at.tzinfo is UTC


# -- refusals ------------------------------------------------------------------------------


def test_corrupted_jpeg_is_refused(photo_bytes: Callable[[str], bytes]) -> None:
    # Pillow alone decodes this file without complaint; its scan data is broken by stray markers.
    with pytest.raises(processing.CorruptImage):
        run(photo_bytes("jpg/corrupted.jpg"))


@pytest.mark.parametrize("relative", samples("jpg/invalid"))
def test_the_invalid_folder_holds_invalid_metadata_not_invalid_images(
    photo_bytes: Callable[[str], bytes], relative: str
) -> None:
    # jpg/invalid/ comes from an EXIF reader's test set: XMP-only files that made
    # naive EXIF parsers loop. Their image data is whole (libjpeg decodes them with
    # no warning), so they are accepted, with no EXIF facts read from them.
    result = run(photo_bytes(relative))
    assert result.taken_at is None
    assert result.exif_lat is None
    assert open_image(result.display).size == (result.width, result.height)


@pytest.mark.parametrize("cut", [0.5, 0.9, 0.999])
def test_truncated_jpeg_is_refused(photo_bytes: Callable[[str], bytes], cut: float) -> None:
    data = photo_bytes("jpg/mobile/jolla.jpg")
    with pytest.raises(processing.CorruptImage):
        run(data[: int(len(data) * cut)])


def test_jpeg_missing_only_its_end_marker_is_refused(small_jpeg: Callable[..., bytes]) -> None:
    with pytest.raises(processing.CorruptImage):
        run(small_jpeg()[:-2])


def test_data_after_the_end_marker_is_fine(small_jpeg: Callable[..., bytes]) -> None:
    run(small_jpeg() + b"trailer some phones append")


def test_damaged_scan_data_is_refused(photo_bytes: Callable[[str], bytes]) -> None:
    data = bytearray(photo_bytes("jpg/gps/DSCN0010.jpg"))
    middle = len(data) // 2
    data[middle : middle + 2] = b"\xff\x9f"  # a marker that cannot occur inside a scan
    with pytest.raises(processing.CorruptImage):
        run(bytes(data))


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"hello, this is a text file\n" * 10,
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
        b"<svg xmlns='http://www.w3.org/2000/svg'></svg>",
        b"\x00\x00\x00\x1cftypisom\x00\x00\x02\x00isomiso2mp41",  # an MP4 video
        b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf",  # AVIF: not on the list
    ],
)
def test_anything_but_the_four_types_is_unsupported(data: bytes) -> None:
    with pytest.raises(processing.UnsupportedType):
        run(data)


def test_types_are_sniffed_from_the_bytes() -> None:
    img = Image.new("RGB", (64, 48), (1, 2, 3))
    assert sniffing.sniff_type(encoded(img, "JPEG")) is sniffing.JPEG
    assert sniffing.sniff_type(encoded(img, "PNG")) is sniffing.PNG
    assert sniffing.sniff_type(encoded(img, "WEBP")) is sniffing.WEBP


def test_png_and_webp_are_accepted() -> None:
    img = Image.new("RGB", (2000, 1000), (10, 200, 10))
    for data, image_type in ((encoded(img, "PNG"), sniffing.PNG), (encoded(img, "WEBP"), sniffing.WEBP)):
        result = run(data)
        assert result.image_type is image_type
        assert open_image(result.display).size == (1600, 800)


@pytest.mark.parametrize("cut", [0.1, 0.5, 0.99])
def test_truncated_heic_is_refused(photo_bytes: Callable[[str], bytes], cut: float) -> None:
    # libheif would decode it, painting the missing tiles green.
    data = photo_bytes("heic/IMG_5195.HEIC")
    with pytest.raises(processing.CorruptImage):
        run(data[: int(len(data) * cut)])


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("progressive", lambda img: encoded(img, "JPEG", progressive=True)),
        ("restart markers", lambda img: encoded(img, "JPEG", restart_marker_blocks=4)),
        ("cmyk", lambda img: encoded(img.convert("CMYK"), "JPEG")),
        ("grey", lambda img: encoded(img.convert("L"), "JPEG")),
        ("palette png", lambda img: encoded(img.convert("P"), "PNG")),
        ("grey+alpha png", lambda img: encoded(img.convert("LA"), "PNG")),
        ("16-bit grey png", lambda img: encoded(img.convert("I").point(lambda v: v * 257).convert("I;16"), "PNG")),
        ("webp with alpha", lambda img: encoded(img.convert("RGBA"), "WEBP")),
        ("heif", lambda img: encoded(img, "HEIF")),
    ],
)
def test_common_encodings_keep_their_tones(name: str, make: Callable[[Image.Image], bytes]) -> None:
    gradient = Image.linear_gradient("L").resize((2000, 1500)).convert("RGB")  # dark top, light bottom
    display = open_image(run(make(gradient)).display)
    assert display.size == (1600, 1200), name
    top, middle = display.getpixel((800, 40)), display.getpixel((800, 600))
    assert max(top) < 40, name  # type: ignore[arg-type]
    assert min(middle) > 100, name  # type: ignore[arg-type]
    assert max(middle) < 160, name  # type: ignore[arg-type]


def test_magic_bytes_with_garbage_behind_are_corrupt() -> None:
    with pytest.raises(processing.CorruptImage):
        run(b"\x89PNG\r\n\x1a\n" + b"garbage" * 100)


def test_file_over_the_byte_limit_is_refused(small_jpeg: Callable[..., bytes]) -> None:
    data = small_jpeg()
    with pytest.raises(processing.FileTooLarge):
        run(data, max_bytes=len(data) - 1)
    run(data, max_bytes=len(data))


@pytest.mark.parametrize(
    "size",
    [
        (100_000, 100_000),  # far beyond Pillow's own limit: DecompressionBombError
        (10_000, 12_000),  # 120 MP: Pillow only warns; the warning is an error here
        (9_000, 8_000),  # 72 MP: under Pillow's limit, over ours
    ],
)
def test_decompression_bombs_are_refused(size: tuple[int, int]) -> None:
    with pytest.raises(processing.TooManyPixels):
        run(png_declaring(*size))


def test_pixel_limit_is_configurable(small_jpeg: Callable[..., bytes]) -> None:
    with pytest.raises(processing.TooManyPixels):
        run(small_jpeg(size=(640, 480)), max_pixels=640 * 480 - 1)


def test_sha256_and_size_are_of_the_bytes_as_sent(small_jpeg: Callable[..., bytes]) -> None:
    import hashlib

    data = small_jpeg()
    result = run(data)
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    assert result.size_bytes == len(data)


def test_display_is_a_jpeg_even_for_png() -> None:
    assert open_image(run(png_with_alpha()).display).format == "JPEG"


@pytest.mark.parametrize("module", [processing, sniffing, exif])
def test_processing_is_pure(module: Any) -> None:
    """No Flask, no database: the pipeline can run in a worker as well."""
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    pure_siblings = {"server.photos.exif", "server.photos.sniffing"}
    impure = {name for name in imported if name.split(".")[0] in {"flask", "server", "sqlalchemy"}} - pure_siblings
    assert not impure


# -- the fast path ---------------------------------------------------------------------------------


@pytest.mark.parametrize("orientation", range(1, 9))
def test_the_two_bands_join_like_one_resize(orientation: int) -> None:
    """Resized and turned in two bands on two threads = resized and turned whole (±1 of rounding)."""
    import numpy as np

    rng = np.random.default_rng(orientation)
    source = Image.fromarray(rng.integers(0, 256, (1500, 2000, 3), dtype=np.uint8), "RGB")
    method = processing._TRANSPOSE.get(orientation)
    banded = processing._shrink_upright(source, (1600, 1200), method)
    whole = source.resize((1600, 1200), processing._RESAMPLE)
    whole = whole.transpose(method) if method is not None else whole
    assert banded.size == whole.size
    assert max(high for _low, high in ImageChops.difference(banded, whole).getextrema()) <= 1  # type: ignore[misc]


def test_a_big_jpeg_is_decoded_at_half_scale_and_still_checked_whole() -> None:
    data = encoded(Image.linear_gradient("L").resize((4000, 3000)).convert("RGB"), "JPEG", quality=90)
    result = run(data)
    assert open_image(result.display).size == (1600, 1200)
    with pytest.raises(processing.CorruptImage):
        run(data[: len(data) * 3 // 4])  # the half-scale decode still reads every scan


def test_a_client_shrunk_photo_keeps_its_pixels_when_already_display_sized() -> None:
    data = encoded(Image.linear_gradient("L").resize((1600, 1200)).convert("RGB"), "JPEG", quality=90)
    assert open_image(run(data).display).size == (1600, 1200)


def test_every_photo_gets_a_perceptual_hash_that_survives_re_encoding(photo_bytes: Callable[[str], bytes]) -> None:
    data = photo_bytes("jpg/mobile/jolla.jpg")
    original = run(data).phash
    assert len(original) == 16
    int(original, 16)
    smaller = open_image(data)
    smaller.thumbnail((1024, 1024))
    again = run(encoded(smaller, "JPEG", quality=60)).phash
    assert processing.phash_distance(original, again) <= 4
    other = run(photo_bytes("jpg/gps/DSCN0010.jpg")).phash
    assert processing.phash_distance(original, other) > 16


def test_an_srgb_profile_is_not_converted_but_a_foreign_one_is() -> None:
    from PIL import ImageCms

    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    lab = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB")).tobytes()
    assert processing._foreign_profile(srgb) is None
    assert processing._foreign_profile(b"garbage") is None
    assert processing._foreign_profile(lab) is not None


def test_derivatives_are_plain_baseline_jpegs() -> None:
    result = run(jpeg_with_metadata(size=(3000, 2000), orientation=6))
    for data in (result.display, result.thumb):
        img = open_image(data)
        assert img.format == "JPEG"
        assert img.mode == "RGB"
        assert "progression" not in img.info  # baseline: one encode, no second pass
