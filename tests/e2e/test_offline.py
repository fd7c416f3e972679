"""Offline visits that never lose or duplicate a report (issue #4), through the UI at 390x844.

The network is really cut (``context.set_offline``) and requests are failed on purpose
(``page.route``); what reached the server is checked through the API, logged in as the person.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests

from tests.conftest import TESTDATA
from tests.e2e.conftest import shot

GPS = sorted((TESTDATA / "jpg" / "gps").glob("*.jpg"))
ORIENTATION = sorted((TESTDATA / "jpg" / "orientation").glob("*.jpg"))
SYNC_TIMEOUT_MS = 90_000


# ------------------------------------------------------------------------------- helpers


class Api:
    """A logged-in API client (session cookie + CSRF header), as a person would be."""

    def __init__(self, base: str, username: str) -> None:
        self.base = base
        self.http = requests.Session()
        answer = self.http.post(
            f"{base}/api/v1/auth/login", json={"username": username, "password": "demo1234"}, timeout=10
        )
        answer.raise_for_status()
        self.http.headers["X-CSRF-Token"] = answer.json()["csrf_token"]

    def get(self, path: str, **params: Any) -> Any:
        answer = self.http.get(f"{self.base}/api/v1{path}", params=params, timeout=10)
        answer.raise_for_status()
        return answer.json()

    def patch(self, path: str, body: dict[str, Any]) -> Any:
        answer = self.http.patch(f"{self.base}/api/v1{path}", json=body, timeout=10)
        answer.raise_for_status()
        return answer.json()

    def my_issues(self) -> list[dict[str, Any]]:
        return self.get("/issues", reporter="me", per_page=100)["items"]

    def detail(self, issue_id: str) -> dict[str, Any]:
        return self.get(f"/issues/{issue_id}")


def photo_set(n: int, size: int) -> list[Path]:
    """`size` different real photos for report n (GPS and orientation samples)."""
    pool = GPS + ORIENTATION
    return [pool[(n * 3 + k) % len(pool)] for k in range(size)]


def report(page: Any, photos: list[Path], category: str, place: str, expect: str) -> None:
    """Fill 上报问题 and submit; `expect` is 'sent' or 'queued' (kept in the outbox)."""
    page.locator("[data-testid=photo-input]").set_input_files([str(p) for p in photos])
    page.locator(f"[data-code={category}]").click()
    page.get_by_text("定位精度良好").wait_for()
    page.get_by_label("位置描述").fill(place)
    page.get_by_role("button", name="提交上报").click()  # waits while the photos are being shrunk
    sent = page.locator("[data-testid=report-sent]")
    sent.wait_for(timeout=30_000)
    assert sent.get_attribute("data-state") == expect, sent.inner_text()


def another(page: Any) -> None:
    page.get_by_role("button", name="继续上报").click()
    page.locator("[data-testid=photo-input]").wait_for(state="attached")


def tab(page: Any, label: str) -> Any:
    """A tab of the bottom bar (its accessible name may carry the outbox badge: "5 我的上报")."""
    text = page.locator(".van-tabbar-item__text", has_text=re.compile(rf"^{label}$"))
    return page.locator(".van-tabbar-item").filter(has=text)


def wait_service_worker(page: Any) -> None:
    page.wait_for_function(
        "navigator.serviceWorker && navigator.serviceWorker.ready.then(r => !!r.active)", timeout=30_000
    )
    page.wait_for_function("navigator.serviceWorker.ready.then(r => r.active.state === 'activated')", timeout=30_000)


def wait_outbox_empty(page: Any, timeout: int = SYNC_TIMEOUT_MS) -> None:
    page.wait_for_function("!document.querySelector('[data-testid=outbox-count]')", timeout=timeout)


def outbox_states(page: Any) -> list[str]:
    return page.locator("[data-testid=outbox-item]").evaluate_all("els => els.map(e => e.dataset.state)")


def no_errors(page: Any, allowed: tuple[str, ...] = ()) -> None:
    """Console errors, less the failed requests these tests cause on purpose."""
    noise = ("favicon", "net::ERR_", "Failed to load resource", *allowed)
    assert [e for e in page.console_errors if not any(n in e for n in noise)] == []


# --------------------------------------------------------------------------------- tests


def test_five_reports_offline_survive_a_reload_and_arrive_once(phone: Any, server: str) -> None:
    page = phone("inspector", service_workers="allow")  # the reload offline needs the cached shell
    page.goto("/report")
    page.locator("[data-code=debris]").wait_for()  # categories loaded (and kept for offline)
    wait_service_worker(page)

    page.context.set_offline(True)
    plan = [
        ("debris", "金龙小区11栋前坪", 2),
        ("corridor_clutter", "金龙小区11栋楼道", 3),
        ("vegetable_plot", "金龙小区7栋花坛", 2),
        ("illegal_shed", "金龙小区7栋东侧", 3),
        ("sewage_overflow", "棕榈园三期南门", 2),
    ]
    for n, (category, place, size) in enumerate(plan):
        if n:
            another(page)
        report(page, photo_set(n, size), category, place, expect="queued")
    page.get_by_text("5 条待发送").first.wait_for()
    shot(page, "70-offline-queued")

    page.reload()  # the app shell from the service worker, the outbox from IndexedDB
    page.get_by_text("5 条待发送").first.wait_for()
    tab(page, "我的上报").click()
    page.locator("[data-testid=outbox-item]").nth(4).wait_for()
    assert outbox_states(page) == ["waiting"] * 5
    photos_text = page.locator("[data-testid=outbox-photos]").all_inner_texts()
    assert photos_text == [f"0/{size} 张照片已上传" for _, _, size in plan]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "71-offline-after-reload")

    page.context.set_offline(False)  # `online`: the app drains its outbox by itself
    wait_outbox_empty(page)
    shot(page, "72-synced")

    api = Api(server, "inspector")
    issues = api.my_issues()
    assert sorted(i["location_text"] for i in issues) == sorted(p for _, p, _ in plan)  # each exactly once
    for issue in issues:
        size = next(s for _, p, s in plan if p == issue["location_text"])
        photos = api.detail(issue["id"])["photos"]
        assert [p["kind"] for p in photos] == ["before"] * size, issue["location_text"]
    no_errors(page)


def test_dropped_upload_and_lost_answer_make_one_issue_with_all_photos(phone: Any, server: str) -> None:
    page = phone("inspector")
    page.goto("/report")
    uploads: list[str] = []
    creates: list[str] = []

    def photo_post(route: Any) -> None:
        uploads.append(route.request.method)
        if len(uploads) == 2:
            route.abort("connectionreset")  # the connection drops in the middle of photo 2
        else:
            route.continue_()

    def issue_post(route: Any) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        creates.append(route.request.post_data_json["client_id"])
        if len(creates) == 1:
            route.fetch()  # the server creates the issue …
            route.abort("connectionreset")  # … and the phone never hears of it
        else:
            route.continue_()

    page.route("**/api/v1/photos", photo_post)
    page.route("**/api/v1/issues", issue_post)
    report(page, photo_set(0, 3), "exposed_garbage", "金龙小区3栋垃圾", expect="queued")
    wait_outbox_empty(page)

    api = Api(server, "inspector")
    issues = api.my_issues()
    assert len(issues) == 1
    assert len(creates) >= 2
    assert len(set(creates)) == 1
    photos = api.detail(issues[0]["id"])["photos"]
    assert len(photos) == 3
    assert len(uploads) == 4  # photo 2 twice, photos 1 and 3 once
    tab(page, "我的上报").click()
    page.locator(f"[data-issue='{issues[0]['id']}']").wait_for()
    no_errors(page)


def test_a_refused_item_does_not_block_the_others_and_says_why(phone: Any, server: str) -> None:
    page = phone("inspector")
    page.goto("/report")
    page.locator("[data-code=debris]").wait_for()
    page.context.set_offline(True)
    plan = [("debris", "金龙小区1栋"), ("illegal_posting", "金龙小区2栋单元门"), ("bike_parking", "金龙小区3栋")]
    for n, (category, place) in enumerate(plan):
        if n:
            another(page)
        report(page, photo_set(n + 5, 2), category, place, expect="queued")

    Api(server, "supervisor").patch("/categories/illegal_posting", {"is_active": False})  # disabled meanwhile
    page.context.set_offline(False)
    tab(page, "我的上报").click()
    page.wait_for_function(
        "document.querySelectorAll('[data-testid=outbox-item]').length === 1 && "
        "document.querySelector('[data-testid=outbox-item]').dataset.state === 'stopped'",
        timeout=SYNC_TIMEOUT_MS,
    )
    reason = page.locator("[data-testid=outbox-reason]").inner_text()
    assert "illegal_posting" in reason, reason
    assert "停用" in reason, reason
    assert "1 条未能发送" in page.locator("[data-testid=sync-bar]").inner_text()
    shot(page, "73-refused-item")

    api = Api(server, "inspector")
    assert sorted(i["category"]["code"] for i in api.my_issues()) == ["bike_parking", "debris"]

    # The person fixes it: another category, and it goes.
    page.get_by_role("button", name="更换类别").click()
    page.locator(".van-popup [data-code=exposed_garbage]").click()
    wait_outbox_empty(page)
    assert sorted(i["category"]["code"] for i in api.my_issues()) == ["bike_parking", "debris", "exposed_garbage"]
    no_errors(page, allowed=("422",))


def test_rectification_done_offline_arrives_with_its_photos_and_time(phone: Any, server: str) -> None:
    inspector = phone("inspector")
    inspector.goto("/report")
    report(inspector, photo_set(2, 1), "illegal_shed", "金龙小区9栋违规搭棚", expect="sent")

    staff = phone("staff_jinlong", service_workers="allow")
    staff.goto("/todo")
    card = staff.locator("[data-issue]").first
    card.wait_for()
    issue_id = card.get_attribute("data-issue")
    wait_service_worker(staff)
    # The list, the detail behind it and the thumbnails are kept for offline reading.
    staff.wait_for_function(
        """async (id) => {
          const db = await new Promise((ok, ko) => {
            const r = indexedDB.open('xuncha'); r.onsuccess = () => ok(r.result); r.onerror = ko
          })
          const count = (store) => new Promise((ok) => {
            const r = db.transaction(store).objectStore(store).count(); r.onsuccess = () => ok(r.result)
          })
          const [details, thumbs] = [await count('details'), await count('thumbs')]
          db.close()
          return details >= 1 && thumbs >= 2
        }""",
        arg=issue_id,
        timeout=30_000,
    )

    staff.context.set_offline(True)
    staff.reload()  # a cold start in the basement
    staff.get_by_test_id("offline-copy").first.wait_for()
    card = staff.locator(f"[data-issue='{issue_id}']")
    assert card.locator("img").get_attribute("src").startswith("blob:")  # the kept thumbnail bytes
    shot(staff, "74-todo-offline")
    card.click()
    staff.get_by_text("处理记录").wait_for()
    staff.locator("[data-action=rectify]").first.click()
    staff.wait_for_url("**/do/rectify")
    staff.locator("[data-testid=photo-input]").set_input_files([str(p) for p in photo_set(4, 2)])
    staff.locator("textarea").first.fill("已拆除违规搭棚（地下室无信号时提交）")
    done_at = datetime.now(UTC)
    staff.locator("form [data-action=rectify]").click()
    staff.wait_for_url(lambda url: "/do/" not in url, timeout=30_000)
    staff.get_by_test_id("pending-action").wait_for()
    shot(staff, "75-rectified-offline")

    time.sleep(4)  # the server acts later than the person did
    staff.context.set_offline(False)
    wait_outbox_empty(staff)

    detail = Api(server, "staff_jinlong").detail(issue_id)
    assert detail["status"] == "rectified"
    event = next(e for e in detail["events"] if e["action"] == "rectify")
    acted_at = datetime.fromisoformat(event["acted_at"])
    created_at = datetime.fromisoformat(event["created_at"])
    assert abs(acted_at - done_at) < timedelta(seconds=3), (acted_at, done_at)
    assert created_at - acted_at >= timedelta(seconds=3)  # the original time was kept
    after = [p for p in detail["photos"] if p["kind"] == "after"]
    assert len(after) == 2
    assert sorted(event["photo_ids"]) == sorted(p["id"] for p in after)
    no_errors(staff)


def test_same_problem_adds_photos_to_the_known_issue(phone: Any, server: str) -> None:
    page = phone("inspector")
    page.goto("/report")
    report(page, photo_set(1, 1), "fire_lane_blocked", "金龙小区消防通道", expect="sent")
    another(page)
    page.locator("[data-testid=photo-input]").set_input_files([str(p) for p in photo_set(6, 2)])
    page.locator("[data-code=fire_lane_blocked]").click()
    page.get_by_text("定位精度良好").wait_for()
    nearby = page.get_by_test_id("nearby")
    nearby.wait_for()
    assert "附近 50 米内已有 1 个同类问题" in nearby.inner_text()
    assert "金龙小区消防通道" in nearby.inner_text()
    shot(page, "76-nearby-duplicate")
    page.get_by_test_id("same-problem").click()
    page.get_by_role("button", name="是同一问题，补充照片").last.click()  # the confirmation
    page.get_by_text("照片已补充到已有问题").wait_for(timeout=30_000)

    api = Api(server, "inspector")
    issues = api.my_issues()
    assert len(issues) == 1  # no second report
    detail = api.detail(issues[0]["id"])
    assert len([p for p in detail["photos"] if p["kind"] == "before"]) == 3
    assert [e["action"] for e in detail["events"]][-1] == "same_problem"
    no_errors(page)


def test_draft_photos_survive_a_reload(phone: Any, server: str) -> None:
    """Opening the camera can make a small phone reload the page: the photos are kept first."""
    page = phone("inspector")
    page.goto("/report")
    page.locator("[data-testid=photo-input]").set_input_files([str(p) for p in photo_set(7, 2)])
    page.locator("[data-code=street_vending]").click()
    page.get_by_label("位置描述").fill("棕榈园北门")
    page.wait_for_function(
        "document.querySelectorAll('.thumb').length === 2 && !document.body.innerText.includes('处理中')"
    )
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="拍照").click()  # beforeOpen saves the draft
    assert chooser.value is not None
    page.wait_for_timeout(300)
    page.reload()
    page.get_by_text("已恢复上次未提交的内容和 2 张照片").wait_for()
    page.wait_for_function("document.querySelectorAll('.thumb').length === 2")
    assert page.get_by_label("位置描述").input_value() == "棕榈园北门"
    page.get_by_text("定位精度良好").wait_for()
    page.get_by_role("button", name="提交上报").click()
    page.locator("[data-testid=report-sent][data-state=sent]").wait_for(timeout=30_000)
    api = Api(server, "inspector")
    issues = api.my_issues()
    assert len(issues) == 1
    assert len(api.detail(issues[0]["id"])["photos"]) == 2
    no_errors(page)


def test_logout_warns_and_an_expired_session_keeps_the_queue(phone: Any, server: str) -> None:
    page = phone("inspector")
    page.goto("/me")  # its code loaded once online (this test runs without the service worker)
    page.get_by_test_id("me-outbox").wait_for()
    tab(page, "上报").click()
    page.locator("[data-code=debris]").wait_for()
    page.context.set_offline(True)
    report(page, photo_set(3, 2), "clothes_drying", "金龙小区5栋阳台", expect="queued")

    tab(page, "我的").click()
    page.get_by_test_id("me-outbox").wait_for()
    page.get_by_role("button", name="退出登录").click()
    dialog = page.locator(".van-dialog")
    dialog.wait_for()
    assert "还有 1 条内容未发送" in dialog.inner_text()
    shot(page, "78-logout-warning")
    dialog.get_by_role("button", name="取消").click()

    # The session expired meanwhile: the server answers 401.
    expired = {"error": {"code": "not_authenticated", "message": "请先登录"}}
    page.route("**/api/v1/photos", lambda route: route.fulfill(status=401, json=expired))
    page.context.set_offline(False)
    page.wait_for_url(lambda url: "/login" in url, timeout=SYNC_TIMEOUT_MS, wait_until="commit")
    page.get_by_text("登录已过期").first.wait_for()
    page.unroute("**/api/v1/photos")
    page.get_by_label("用户名").fill("inspector")
    page.get_by_label("密码").fill("demo1234")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login" not in url)

    api = Api(server, "inspector")
    deadline = time.monotonic() + SYNC_TIMEOUT_MS / 1000
    while not api.my_issues() and time.monotonic() < deadline:
        time.sleep(0.5)
    issues = api.my_issues()
    assert [i["location_text"] for i in issues] == ["金龙小区5栋阳台"]
    assert len(api.detail(issues[0]["id"])["photos"]) == 2
    wait_outbox_empty(page)
    no_errors(page, allowed=("401",))


def test_app_shell_loads_offline_after_a_first_visit(phone: Any) -> None:
    """The one test that keeps the service worker on from the start (service_workers='allow')."""
    page = phone("inspector", service_workers="allow")
    page.goto("/report")
    wait_service_worker(page)
    page.context.set_offline(True)
    page.reload()
    page.get_by_text("上报问题").first.wait_for()
    page.get_by_test_id("offline-banner").wait_for()
    assert "离线" in page.get_by_test_id("offline-banner").inner_text()
    tab(page, "我的").click()  # a lazily loaded screen, precached too
    page.get_by_test_id("me-storage").wait_for()
    assert "已用" in page.get_by_test_id("me-storage").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "77-shell-offline-me")
    # /api/ is never answered with the app shell
    status = page.evaluate("fetch('/api/v1/me').then(r => r.status, () => 'network error')")
    assert status == "network error"
    no_errors(page)
