"""Evidence checks on "after" photos: named warnings for the verifying inspector (issue #5, acceptance 3)."""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from PIL import ExifTags, Image, ImageEnhance, ImageOps

from server.photos import evidence
from server.photos.processing import PhotoRejected, phash_distance, process_photo
from tests.server.issues.helpers import JINLONG_POINT, act, report, upload_photo
from tests.server.photos.helpers import SAMPLES, samples

SHANGHAI = ZoneInfo("Asia/Shanghai")
METRES_PER_DEGREE_LAT = 111_320


def scene(seed: int, size: tuple[int, int] = (1280, 960)) -> Image.Image:
    """A photo-like picture (smooth shapes, some grain); different seeds look nothing alike."""
    rng = np.random.default_rng(seed)
    coarse = Image.fromarray(rng.integers(0, 256, (6, 8, 3), dtype=np.uint8), "RGB")
    img = np.asarray(coarse.resize(size, Image.Resampling.BICUBIC), dtype=np.int16)
    grain = rng.integers(-12, 13, (size[1], size[0], 3))
    return Image.fromarray(np.clip(img + grain, 0, 255).astype(np.uint8), "RGB")


def jpeg(
    img: Image.Image, *, quality: int = 88, taken: datetime | None = None, gps: tuple[float, float] | None = None
) -> bytes:
    exif = Image.Exif()
    if taken is not None:  # EXIF time is local wall-clock time
        exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = taken.astimezone(SHANGHAI).strftime(
            "%Y:%m:%d %H:%M:%S"
        )
    if gps is not None:
        info = exif.get_ifd(ExifTags.IFD.GPSInfo)
        info[ExifTags.GPS.GPSLatitudeRef], info[ExifTags.GPS.GPSLatitude] = "N", (gps[0], 0.0, 0.0)
        info[ExifTags.GPS.GPSLongitudeRef], info[ExifTags.GPS.GPSLongitude] = "E", (gps[1], 0.0, 0.0)
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", quality=quality, exif=exif)
    return buffer.getvalue()


def north_of(point: tuple[float, float], metres: float) -> tuple[float, float]:
    return point[0] + metres / METRES_PER_DEGREE_LAT, point[1]


@pytest.fixture
def assigned_issue(inspector: Any) -> dict[str, Any]:
    """An issue reported (and so dispatched) just now at 金龙小区, with a before photo of scene 1."""
    created = report(inspector, jpeg(scene(1)), at=JINLONG_POINT)
    assert created.status_code == 201, created.get_json()
    return created.get_json()  # type: ignore[no-any-return]


@pytest.fixture
def rectify(staff_jinlong: Any, inspector: Any) -> Callable[..., list[str]]:
    """rectify(issue, photo_bytes, **upload_fields) → the warning codes the inspector sees on that after photo."""

    def _rectify(issue: dict[str, Any], data: bytes, **fields: Any) -> list[str]:
        photo = upload_photo(staff_jinlong, data, kind="after", **fields)
        response = act(staff_jinlong, issue, "rectify", note="已整改", photo_ids=[photo["id"]])
        assert response.status_code == 200, response.get_json()
        detail = inspector.get(f"/api/v1/issues/{issue['id']}").get_json()
        shown = {p["id"]: p for p in detail["photos"]}[photo["id"]]
        return sorted(w["code"] for w in shown["evidence_warnings"])

    return _rectify


def at_the_issue(**extra: Any) -> dict[str, Any]:
    """Upload fields of a phone standing at the issue, with a fresh fix."""
    fields = {"device_lat": JINLONG_POINT[0], "device_lon": JINLONG_POINT[1], "device_accuracy_m": 6}
    fields["device_fix_at"] = datetime.now(UTC).isoformat()
    return fields | extra


# -- acceptance: each fraud produces its warning, a genuine photo none ---------------------------


def test_a_genuine_after_photo_has_no_warnings(assigned_issue: dict[str, Any], rectify: Any) -> None:
    genuine = jpeg(scene(2), taken=datetime.now(UTC), gps=north_of(JINLONG_POINT, 8))
    assert rectify(assigned_issue, genuine, **at_the_issue()) == []


def test_the_before_photo_sent_again(assigned_issue: dict[str, Any], rectify: Any) -> None:
    before = jpeg(scene(1))  # byte for byte what the inspector uploaded
    assert rectify(assigned_issue, before, **at_the_issue()) == ["duplicate_bytes", "same_as_before_photo"]


@pytest.mark.parametrize(
    "transform",
    [
        lambda img: jpeg(img, quality=55),
        lambda img: jpeg(img.resize((800, 600)), quality=75),
        lambda img: jpeg(ImageEnhance.Brightness(img.resize((2000, 1500))).enhance(1.1), quality=92),
    ],
    ids=["quality-55", "800px", "2000px-brighter"],
)
def test_the_before_photo_re_encoded_or_resized(
    assigned_issue: dict[str, Any], rectify: Any, transform: Callable[[Image.Image], bytes]
) -> None:
    assert rectify(assigned_issue, transform(scene(1)), **at_the_issue()) == ["same_as_before_photo"]


def test_taken_500_m_away_by_the_phones_fix(assigned_issue: dict[str, Any], rectify: Any) -> None:
    lat, lon = north_of(JINLONG_POINT, 500)
    assert rectify(assigned_issue, jpeg(scene(3)), **at_the_issue(device_lat=lat, device_lon=lon)) == ["far_from_issue"]


def test_taken_500_m_away_by_exif_gps(assigned_issue: dict[str, Any], rectify: Any) -> None:
    # The phone's fix says "here" (a fix can be stale or spoofed); the camera's own GPS says 500 m away.
    far = jpeg(scene(4), gps=north_of(JINLONG_POINT, 500))
    assert rectify(assigned_issue, far, **at_the_issue()) == ["far_from_issue"]


def test_taken_before_dispatch(assigned_issue: dict[str, Any], rectify: Any) -> None:
    dispatched = datetime.fromisoformat(assigned_issue["dispatched_at"])
    old = jpeg(scene(5), taken=dispatched - timedelta(hours=2))
    assert rectify(assigned_issue, old, **at_the_issue()) == ["taken_before_dispatch"]


def test_device_clock_far_from_server_time(assigned_issue: dict[str, Any], rectify: Any) -> None:
    ahead = (datetime.now(UTC) + timedelta(hours=3)).isoformat()
    assert rectify(assigned_issue, jpeg(scene(6)), **at_the_issue(device_fix_at=ahead)) == ["device_clock_skew"]


# -- what the verifying inspector sees, and who else ----------------------------------------------


def test_warnings_carry_code_text_and_facts_on_the_photo_and_the_event(
    assigned_issue: dict[str, Any], staff_jinlong: Any, supervisor: Any, inspector: Any
) -> None:
    lat, lon = north_of(JINLONG_POINT, 500)
    photo = upload_photo(staff_jinlong, jpeg(scene(1)), kind="after", **at_the_issue(device_lat=lat, device_lon=lon))
    act(staff_jinlong, assigned_issue, "rectify", note="已整改", photo_ids=[photo["id"]])

    detail = supervisor.get(f"/api/v1/issues/{assigned_issue['id']}").get_json()
    after = {p["id"]: p for p in detail["photos"]}[photo["id"]]
    far = next(w for w in after["evidence_warnings"] if w["code"] == "far_from_issue")
    assert far["details"]["source"] == "device"
    assert 490 <= far["details"]["distance_m"] <= 510
    assert far["details"]["limit_m"] == 50
    assert "米" in far["message"]
    assert "手机定位" in far["message"]
    rectify_event = detail["events"][-1]
    assert rectify_event["action"] == "rectify"
    assert {w["code"] for w in rectify_event["evidence_warnings"]} == {
        "far_from_issue",
        "duplicate_bytes",
        "same_as_before_photo",
    }
    assert {w["photo_id"] for w in rectify_event["evidence_warnings"]} == {photo["id"]}
    before = next(p for p in detail["photos"] if p["kind"] == "before")
    assert before["evidence_warnings"] == []  # only after photos are checked

    english = inspector.get(f"/api/v1/issues/{assigned_issue['id']}", headers={"Accept-Language": "en"}).get_json()
    messages = {w["code"]: w["message"] for w in english["events"][-1]["evidence_warnings"]}
    assert messages["far_from_issue"].startswith("Taken about")
    assert "before photo" in messages["same_as_before_photo"]


def test_the_community_being_checked_does_not_see_the_warnings(
    assigned_issue: dict[str, Any], staff_jinlong: Any
) -> None:
    photo = upload_photo(staff_jinlong, jpeg(scene(1)), kind="after")
    act(staff_jinlong, assigned_issue, "rectify", note="已整改", photo_ids=[photo["id"]])
    detail = staff_jinlong.get(f"/api/v1/issues/{assigned_issue['id']}").get_json()
    assert all("evidence_warnings" not in p for p in detail["photos"])
    assert all("evidence_warnings" not in e for e in detail["events"])


def test_paperwork_and_indoor_photos_are_not_far_from_anything(app: Any) -> None:
    """No place on either side: no distance, no warning (never a block)."""
    from types import SimpleNamespace

    rules = evidence.EvidenceRules(50, 8, timedelta(minutes=5), timedelta(days=1))
    issue = SimpleNamespace(lat=None, lon=None)
    photo = SimpleNamespace(exif_lat=26.0, exif_lon=112.0, device_lat=None, device_lon=None, device_accuracy_m=None)
    assert evidence._far_from_issue(photo, issue, rules) is None  # type: ignore[arg-type]
    issue = SimpleNamespace(lat=26.0, lon=112.0)
    photo = SimpleNamespace(exif_lat=None, exif_lon=None, device_lat=None, device_lon=None, device_accuracy_m=None)
    assert evidence._far_from_issue(photo, issue, rules) is None  # type: ignore[arg-type]


def test_an_unknown_or_outdated_finding_still_renders(app: Any) -> None:
    with app.test_request_context():
        assert evidence.render({"code": "far_from_issue", "details": {}}, english=False)["message"].startswith(
            "拍摄位置距问题地点约"
        )
        assert evidence.render({"code": "new_check", "details": {"x": 1}}, english=True) == {
            "code": "new_check",
            "message": "Something may be wrong with this photo",
            "details": {"x": 1},
        }


def test_the_distance_limit_is_configurable(
    app: Any, assigned_issue: dict[str, Any], rectify: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_DISTANCE_M", 1000)
    lat, lon = north_of(JINLONG_POINT, 500)
    assert rectify(assigned_issue, jpeg(scene(7)), **at_the_issue(device_lat=lat, device_lon=lon)) == []


# -- the perceptual-hash threshold, as tuned on the shared samples --------------------------------


def _phash(data: bytes) -> str:
    return process_photo(data, max_bytes=50 << 20, max_pixels=64_000_000, local_tz=SHANGHAI).phash


def _photo_sized_samples() -> list[str]:
    """Distinct real photos: each orientation sample once, nothing smaller than a phone would send."""
    chosen = []
    for relative in samples("jpg") + samples("heic"):
        if "orientation" in relative and not relative.endswith("_1.jpg"):
            continue
        try:
            with Image.open(SAMPLES / relative) as img:
                if min(img.size) >= 400:
                    chosen.append(relative)
        except Exception:  # the corrupted sample
            continue
    return chosen


@pytest.mark.slow
def test_phash_threshold_separates_copies_from_different_photos(app: Any) -> None:
    """Re-encoded, resized or brightened copies stay within the threshold; different photos stay far outside."""
    threshold = app.config["EVIDENCE_PHASH_MAX_DISTANCE"]
    hashes: dict[str, str] = {}
    for relative in _photo_sized_samples():
        data = (SAMPLES / relative).read_bytes()
        try:
            hashes[relative] = _phash(data)
        except PhotoRejected:  # a damaged sample, refused at upload anyway
            continue
        upright = ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("RGB")
        upright.thumbnail((2048, 2048))  # what a phone sends (and the copies process faster)
        copies = [
            jpeg(upright, quality=40),
            jpeg(upright.resize((upright.width // 2, upright.height // 2)), quality=85),
            jpeg(upright.resize((1080, round(1080 * upright.height / upright.width))), quality=70),
            jpeg(ImageEnhance.Brightness(upright).enhance(1.15), quality=85),
        ]
        distances = [phash_distance(hashes[relative], _phash(copy)) for copy in copies]
        assert max(distances) <= threshold - 4, (relative, distances)  # a margin of 4 bits
    assert len(hashes) >= 25
    closest = min(phash_distance(a, b) for a, b in itertools.combinations(hashes.values(), 2))
    assert closest >= threshold + 10, closest
