"""Photo processing speed: naive Pillow, pyvips and Xuncha's pipeline side by side, plus HTTP uploads.

    .venv/bin/python bench/photos.py [--rounds 3] [--runs 5] [--uploads 5]

Generates its own photos (numpy noise over gradients, EXIF orientation 6 and GPS):
a 12 MP phone original (4000×3000, ~4 MB) and a client-shrunk 2048 px one. Every
method makes the same outputs: an upright 1600 px display and a 320 px thumbnail,
JPEG q82 without metadata, and the SHA-256 of the upload.

Each method runs in a child process of its own, in interleaved rounds (so a busy
machine slows all of them alike); the child reports per-photo times and its peak
RSS while processing (VmHWM, reset after imports and a warm-up; the whole-process
peak is shown too). Then real uploads through a live server (tests/live.py), with
local storage and — when one answers — the S3 service of tests/s3/start.sh.

Measures, never asserts: the goals are printed with ✓ or ✗.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

METHODS = ("naive", "pyvips", "xuncha")
SIZES = {"12MP": (4000, 3000, 88), "2048px": (2048, 1536, 85)}  # width, height, JPEG quality
GOAL_VS_PYVIPS = 0.9
GOAL_VS_NAIVE = 3.0
GOAL_PEAK_MB = 80
GOAL_2048_MS = 25


# -- test photos ----------------------------------------------------------------------------


def make_photo(width: int, height: int, quality: int, seed: int = 5) -> bytes:
    """A phone-like JPEG: gradients with sensor-like noise, EXIF orientation 6 (held sideways) and GPS."""
    import numpy as np
    from PIL import ExifTags, Image

    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    base = np.stack([x * 255 / width, y * 255 / height, (x + y) * 127 / (width + height)], axis=-1)
    base += rng.normal(0, 14, (height, width, 3)).astype(np.float32)  # sensor-like grain
    pixels = np.clip(base, 0, 255).astype(np.uint8)
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "BenchPhone"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef], gps[ExifTags.GPS.GPSLatitude] = "N", (26.0, 51.0, 36.0)
    gps[ExifTags.GPS.GPSLongitudeRef], gps[ExifTags.GPS.GPSLongitude] = "E", (112.0, 36.0, 0.0)
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = "2026:11:20 10:30:00"
    buffer = io.BytesIO()
    Image.fromarray(pixels, "RGB").save(buffer, "JPEG", quality=quality, exif=exif)
    return buffer.getvalue()


# -- the methods (run in a child process) ---------------------------------------------------------


def naive_pillow() -> Callable[[bytes], Any]:
    import hashlib

    from PIL import Image, ImageOps

    def run(data: bytes) -> Any:
        digest = hashlib.sha256(data).hexdigest()
        img = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
        outputs = []
        for edge in (1600, 320):
            copy = img.copy()
            copy.thumbnail((edge, edge))
            buffer = io.BytesIO()
            copy.save(buffer, "JPEG", quality=82)
            outputs.append(buffer.getvalue())
        return digest, outputs

    return run


def pyvips_pipeline() -> Callable[[bytes], Any]:
    import hashlib

    import pyvips

    pyvips.cache_set_max(0)  # no cheating with the operation cache across runs

    def run(data: bytes) -> Any:
        digest = hashlib.sha256(data).hexdigest()
        # Shrink-on-load and auto-rotate; materialised once, so the thumbnail does not decode again.
        display = pyvips.Image.thumbnail_buffer(data, 1600, size="down").copy_memory()
        thumb = display.thumbnail_image(320, size="down")
        save = {"Q": 82, "keep": "none"}  # baseline, standard tables: the same work as the others
        return digest, [display.jpegsave_buffer(**save), thumb.jpegsave_buffer(**save)]

    return run


def xuncha_pipeline() -> Callable[[bytes], Any]:
    from zoneinfo import ZoneInfo

    from server.photos.processing import process_photo

    zone = ZoneInfo("Asia/Shanghai")

    def run(data: bytes) -> Any:
        return process_photo(data, max_bytes=25 << 20, max_pixels=64_000_000, local_tz=zone)

    return run


def _status(field: str) -> float:
    """A VmXXX line of /proc/self/status, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def child(method: str, path: str, runs: int) -> None:
    """Time ``runs`` calls after a warm-up; print JSON with the times and peak memory."""
    try:
        run = {"naive": naive_pillow, "pyvips": pyvips_pipeline, "xuncha": xuncha_pipeline}[method]()
    except Exception as exc:  # pyvips or its libvips missing
        print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}))
        return
    data = Path(path).read_bytes()
    run(data)  # warm-up: lazy imports (scipy for the pHash), thread pools, caches
    # (ru_maxrss would not do: Linux carries it over from the parent through fork and exec.)
    whole = _status("VmHWM")  # imports and the warm-up
    Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM: the peak from here on is the photos'
    baseline = _status("VmRSS")
    times, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        run(data)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)  # all threads: more than wall time when parallel
    peak = _status("VmHWM")
    print(json.dumps({"times": times, "cpu": cpu, "delta_mb": peak - baseline, "process_peak_mb": max(whole, peak)}))


def measure(method: str, path: Path, runs: int) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", method, str(path), "--runs", str(runs)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    try:
        result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        result = {"error": (out.stderr.strip().splitlines() or ["no output"])[-1]}
    return result


# -- uploads through a live server ----------------------------------------------------------------


def upload_times(base: str, photo: bytes, count: int) -> list[float]:
    import requests

    session = requests.Session()
    login = session.post(f"{base}/api/v1/auth/login", json={"username": "inspector", "password": "demo1234"})
    login.raise_for_status()
    headers = {"X-CSRF-Token": login.json()["csrf_token"]}
    times = []
    for _ in range(count + 1):  # the first one warms up
        started = time.perf_counter()
        answer = session.post(
            f"{base}/api/v1/photos",
            files={"file": ("photo.jpg", photo, "image/jpeg")},
            data={"kind": "before", "client_id": str(uuid.uuid4())},
            headers=headers,
        )
        times.append((time.perf_counter() - started) * 1000)
        answer.raise_for_status()
    return times[1:]


def s3_endpoint() -> str | None:
    from tests.s3.bucket import ping

    endpoint = os.environ.get("XUNCHA_TEST_S3_ENDPOINT", "http://127.0.0.1:8080")
    return endpoint if ping(endpoint) else None


def end_to_end(photos: dict[str, bytes], count: int, tmp: Path) -> dict[str, dict[str, float | None]]:
    import logging

    from tests.live import live_server

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    os.environ.setdefault("XUNCHA_INSTANCE_DIR", str(tmp / "instance"))  # never the project's own instance/
    for store in ("local", "s3"):
        (tmp / store).mkdir()
    stores: dict[str, dict[str, float | None]] = {}
    with live_server(tmp / "local") as base:
        stores["local"] = {name: statistics.median(upload_times(base, data, count)) for name, data in photos.items()}
    endpoint = s3_endpoint()
    if endpoint is None:
        stores["s3"] = dict.fromkeys(photos)
        return stores
    from tests.s3.bucket import ensure_bucket

    bucket = f"bench-{uuid.uuid4().hex[:10]}"
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "test:tester")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    ensure_bucket(endpoint, bucket)
    previous = os.environ.get("STORAGE_URL")
    os.environ["STORAGE_URL"] = f"s3://{bucket}?endpoint={endpoint}&region=us-east-1&addressing=path"
    try:
        with live_server(tmp / "s3") as base:
            stores["s3"] = {name: statistics.median(upload_times(base, data, count)) for name, data in photos.items()}
    finally:
        _drop_bucket(os.environ["STORAGE_URL"])
        if previous is None:
            del os.environ["STORAGE_URL"]
        else:
            os.environ["STORAGE_URL"] = previous
    return stores


def _drop_bucket(url: str) -> None:
    from server.photos.storage.s3 import S3Settings, S3Storage

    store = S3Storage(S3Settings.from_url(url))
    store.delete_many(obj.key for obj in store.objects(""))
    store._client.delete_bucket(Bucket=store.bucket)


# -- the table ----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds of every method")
    parser.add_argument("--runs", type=int, default=5, help="photos per method and round")
    parser.add_argument("--uploads", type=int, default=5, help="HTTP uploads per photo and store")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="xuncha-bench-") as tmpdir:
        tmp = Path(tmpdir)
        photos = {name: make_photo(*spec) for name, spec in SIZES.items()}
        paths = {}
        for name, data in photos.items():
            paths[name] = tmp / f"{name}.jpg"
            paths[name].write_bytes(data)
        results = run_methods(paths, args.rounds, args.runs)
        uploads = end_to_end(photos, args.uploads, tmp)
    print_table(photos, results, uploads, args)


def run_methods(paths: dict[str, Path], rounds: int, runs: int) -> dict[tuple[str, str], dict[str, Any]]:
    results: dict[tuple[str, str], dict[str, Any]] = {}
    for _round in range(rounds):
        for name, path in paths.items():
            for method in METHODS:
                got = measure(method, path, runs)
                into = results.setdefault((method, name), {"times": [], "cpu": [], "delta_mb": 0.0})
                if "error" in got:
                    into["error"] = got["error"]
                    continue
                into["times"] += got["times"]
                into["cpu"] += got["cpu"]
                for key in ("delta_mb", "process_peak_mb"):
                    into[key] = max(into.get(key, 0.0), got[key])
    return results


def _ms(result: dict[str, Any]) -> float | None:
    return statistics.median(result["times"]) if result.get("times") else None


def _cell(value: float | None, unit: str = "", width: int = 9) -> str:
    return f"{'n/a':>{width}}" if value is None else f"{value:>{width - len(unit)}.1f}{unit}"


def print_table(
    photos: dict[str, bytes],
    results: dict[tuple[str, str], dict[str, Any]],
    uploads: dict[str, dict[str, float | None]],
    args: argparse.Namespace,
) -> None:
    print(f"\nPhoto processing, {os.cpu_count()} cores, {args.rounds} rounds × {args.runs} photos, medians")
    print("photos: " + ", ".join(f"{n} {len(d) / 1e6:.1f} MB" for n, d in photos.items()))
    print("ms: wall time; cpu: CPU time of all its threads; peak MB: the child process's peak RSS;")
    print("Δ MB: its peak while processing, above its RSS before")
    header = "".join(f"{n + ' ms':>11}{'cpu':>7}{'peak MB':>9}{'Δ MB':>7}" for n in photos)
    print(f"\n{'method':<16}" + header)
    for method in METHODS:
        row = f"{method:<16}"
        for name in photos:
            result = results[(method, name)]
            row += _cell(_ms(result), width=11)
            row += _cell(statistics.median(result["cpu"]) if result.get("cpu") else None, width=7)
            row += _cell(result.get("process_peak_mb") if "error" not in result else None, width=9)
            row += _cell(result.get("delta_mb") if "error" not in result else None, width=7)
        print(row)
        errors = {result["error"] for (m, _), result in results.items() if m == method and "error" in result}
        for error in errors:
            print(f"{'':16}({error})")
    print(f"\n{'HTTP upload':<16}" + "".join(f"{n + ' ms':>11}" for n in photos))
    for store, times in uploads.items():
        print(f"{store:<16}" + "".join(_cell(times[name], width=11) for name in photos))
    print_goals(results)


def print_goals(results: dict[tuple[str, str], dict[str, Any]]) -> None:
    xuncha, vips, naive = (_ms(results[(m, "12MP")]) for m in ("xuncha", "pyvips", "naive"))
    small = _ms(results[("xuncha", "2048px")])
    peak = max(results[("xuncha", n)].get("delta_mb", 0.0) for n in SIZES)

    def mark(ok: bool) -> str:
        return "✓" if ok else "✗"

    print("\nGoals (12 MP photo unless said):")
    if xuncha and vips:
        ratio = xuncha / vips
        print(f"  {mark(ratio <= GOAL_VS_PYVIPS)} Xuncha / pyvips = {ratio:.2f}  (goal ≤ {GOAL_VS_PYVIPS})")
    else:
        print("  - Xuncha / pyvips: n/a (pyvips not importable)")
    if xuncha and naive:
        speedup = naive / xuncha
        print(f"  {mark(speedup >= GOAL_VS_NAIVE)} naive Pillow / Xuncha = {speedup:.2f}×  (goal ≥ {GOAL_VS_NAIVE}×)")
    print(f"  {mark(peak <= GOAL_PEAK_MB)} Xuncha peak memory per photo = {peak:.1f} MB  (goal ≤ {GOAL_PEAK_MB} MB)")
    if small:
        print(f"  {mark(small <= GOAL_2048_MS)} Xuncha 2048 px photo = {small:.1f} ms  (goal ≤ {GOAL_2048_MS} ms)")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], sys.argv[3], int(sys.argv[sys.argv.index("--runs") + 1]))
    else:
        main()
