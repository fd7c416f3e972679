"""The inspector's first screen loads at most 250 KB of JavaScript (gzip), and no map library."""

from __future__ import annotations

import gzip
import os
import re
from pathlib import Path
from typing import Any

BUDGET_GZIP_BYTES = 250 * 1024


def test_inspector_initial_javascript_budget(phone: Any) -> None:
    page = phone()
    page.goto("/login")
    page.get_by_label("用户名").fill("inspector")
    page.get_by_label("密码").fill("demo1234")
    scripts: dict[str, bytes] = {}

    def keep(response: Any) -> None:
        if response.request.resource_type == "script" and response.ok:
            scripts[response.url] = response.body()

    page.on("response", keep)
    page.reload()  # count everything a fresh start of the app loads …
    page.get_by_label("用户名").fill("inspector")
    page.get_by_label("密码").fill("demo1234")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/report")  # … up to the inspector's home, 上报问题
    page.wait_for_load_state("networkidle")
    total = sum(len(gzip.compress(body, 9)) for body in scripts.values())
    print(f"\ninspector initial JS: {len(scripts)} files, {total / 1024:.1f} KB gzip (budget 250 KB)")
    assert total <= BUDGET_GZIP_BYTES
    assert not any(b"leaflet" in body.lower() for body in scripts.values())


def test_leaflet_is_not_in_the_entry_chunks() -> None:
    """The map library is a chunk of its own, loaded only by the desk's map (a dynamic import)."""
    dist = Path(os.environ.get("XUNCHA_TEST_WEB_DIST") or Path(__file__).resolve().parents[2] / "web" / "dist")
    html = (dist / "index.html").read_text(encoding="utf-8")
    entry = re.findall(r'<(?:script|link)[^>]+(?:src|href)="/(assets/[^"]+\.(?:js|css))"', html)
    assert any(name.endswith(".js") for name in entry)
    for name in entry:
        assert b"leaflet" not in (dist / name).read_bytes().lower(), name
    lazy = [p for p in (dist / "assets").glob("*.js") if b"leaflet" in p.read_bytes().lower()]
    assert lazy, "leaflet should still be in a lazily loaded chunk"
