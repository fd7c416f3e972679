"""Lighthouse (mobile preset) against the built app served by Flask: prints the scores.

    .venv/bin/python bench/lighthouse.py        (make lighthouse; part of make bench)

Pages: the login page, and the inspector's home (logged in through a session
cookie passed as a header). Needs web/dist built, bench/node_modules (npm ci in
bench/) and Debian's chromium.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from tests.live import live_server  # noqa: E402

LIGHTHOUSE = ROOT / "bench" / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"
CATEGORIES = ("performance", "accessibility", "best-practices")


def audit(url: str, cookie: str | None, out: Path) -> dict[str, int]:
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        f"--chrome-flags={CHROME_FLAGS}",
        f"--only-categories={','.join(CATEGORIES)}",
    ]
    if cookie:
        command.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    subprocess.run(command, check=True, env=env, timeout=300)
    report = json.loads(out.read_text())
    return {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}


def main() -> None:
    if not (ROOT / "web" / "dist" / "index.html").exists():
        sys.exit("web/dist is not built (make web)")
    with tempfile.TemporaryDirectory() as tmp, live_server(Path(tmp)) as base:
        login = requests.post(
            f"{base}/api/v1/auth/login", json={"username": "inspector", "password": "demo1234"}, timeout=30
        )
        login.raise_for_status()
        cookie = "; ".join(f"{c.name}={c.value}" for c in login.cookies)
        rows = [
            ("login page", audit(f"{base}/login", None, Path(tmp) / "login.json")),
            ("inspector home", audit(f"{base}/", cookie, Path(tmp) / "home.json")),
        ]
    print("\nLighthouse, mobile preset (simulated slow 4G, 4x CPU slowdown)")
    print(f"{'page':<16}" + "".join(f"{c:>16}" for c in CATEGORIES))
    for page, scores in rows:
        print(f"{page:<16}" + "".join(f"{scores[c]:>16}" for c in CATEGORIES))


if __name__ == "__main__":
    main()
