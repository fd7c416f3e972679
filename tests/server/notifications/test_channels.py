"""Outbound channels against local receivers: formats, retries with backoff, and isolation."""

from __future__ import annotations

import base64
import hashlib
import hmac
import socket
import urllib.parse
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from typing import Any

import pytest
from flask import Flask

from server.extensions import db
from server.issues.models import Issue
from server.issues.operations import ActionRequest, apply_action
from server.notifications.channels import DeliveryError
from server.notifications.channels.dingtalk import signed_url
from server.notifications.channels.http import check_errcode
from server.notifications.channels.wecom import clip
from server.notifications.messages import local_zone
from server.notifications.tick import TickReport
from tests.server.issues.helpers import report
from tests.server.notifications.helpers import Mailbox, Receiver, deliveries, user

Tick = Callable[[datetime], TickReport]
MakeChannel = Callable[..., Any]
SECOND = timedelta(seconds=1)
MINUTE = timedelta(minutes=1)


def _overdue_moment(issue: Issue) -> datetime:
    assert issue.deadline_at is not None
    return issue.deadline_at + MINUTE


def _local(moment: datetime | None) -> str:
    assert moment is not None
    return moment.astimezone(local_zone()).strftime("%Y-%m-%d %H:%M")


def test_wecom_receives_the_overdue_message_once(
    make_issue: Callable[..., Issue], make_channel: MakeChannel, receiver: Receiver, tick: Tick
) -> None:
    issue = make_issue(location_text="金龙社区党群服务中心")
    make_channel("jinlong", "wecom", receiver.url)
    for minutes in range(3):
        tick(_overdue_moment(issue) + minutes * MINUTE)

    assert len(receiver.requests) == 1
    sent = receiver.requests[0]
    assert sent.path == "/robot/send?key=test"
    assert sent.body["msgtype"] == "markdown"
    content = sent.body["markdown"]["content"]
    assert content.startswith("**【已逾期】台账资料不规范（金龙社区）**")
    deadline = _local(issue.deadline_at)
    for fact in ("社区：金龙社区", "位置：金龙社区党群服务中心", "类别：台账资料不规范", f"整改期限：{deadline}"):
        assert fact in content
    assert f"[查看详情](http://127.0.0.1:5000/issues/{issue.public_id})" in content
    assert [d.status for d in deliveries()] == ["sent"]


def test_a_channel_higher_up_hears_of_its_communities(
    make_issue: Callable[..., Issue], make_channel: MakeChannel, receiver: Receiver, tick: Tick
) -> None:
    """The street's group robot hears once, though staff, street and supervisor are all told."""
    issue = make_issue()
    make_channel("baishazhou_street", "wecom", receiver.url)
    make_channel("songmu_street", "wecom", receiver.url + "&other=1")  # another street: not its issue
    tick(_overdue_moment(issue))
    assert len(receiver.requests) == 1


def test_a_failing_receiver_is_retried_with_backoff_and_does_not_block_email(
    make_issue: Callable[..., Issue],
    make_channel: MakeChannel,
    receiver: Receiver,
    smtp_sink: Mailbox,
    tick: Tick,
) -> None:
    issue = make_issue()
    wecom = make_channel("jinlong", "wecom", receiver.url)
    make_channel("baishazhou_street", "email", "jiedao@example.org, zhang@example.org")
    receiver.statuses = [500]
    first = _overdue_moment(issue)

    report_1 = tick(first)
    assert len(receiver.requests) == 1
    assert len(smtp_sink.messages) == 1  # the e-mail went out although WeCom failed
    assert report_1.delivery.sent == 1
    assert report_1.delivery.failed == 1
    failed = next(d for d in deliveries() if d.channel_id == wecom.id)
    assert (failed.status, failed.attempts, failed.last_error) == ("pending", 1, "HTTP 500")
    assert failed.next_attempt_at == first + timedelta(seconds=60)

    tick(first + 30 * SECOND)  # still backing off
    assert len(receiver.requests) == 1

    tick(first + 61 * SECOND)
    assert len(receiver.requests) == 2
    assert [(d.status, d.attempts) for d in deliveries()] == [("sent", 2), ("sent", 1)]
    tick(first + 10 * MINUTE)
    assert len(receiver.requests) == 2
    assert len(smtp_sink.messages) == 1

    mail = message_from_bytes(smtp_sink.messages[0].content, policy=policy.default)
    assert mail["Subject"] == "【已逾期】台账资料不规范（金龙社区）"
    assert smtp_sink.messages[0].rcpt_tos == ["jiedao@example.org", "zhang@example.org"]
    text = mail.get_content()  # type: ignore[attr-defined]
    assert "社区：金龙社区" in text
    assert f"/issues/{issue.public_id}" in text


def test_backoff_doubles_and_gives_up_after_the_last_attempt(
    app: Flask, make_issue: Callable[..., Issue], make_channel: MakeChannel, receiver: Receiver, tick: Tick
) -> None:
    issue = make_issue()
    make_channel("jinlong", "webhook", receiver.url)
    receiver.statuses = [500] * 10
    app.config["NOTIFY_MAX_ATTEMPTS"] = 3
    try:
        moment = _overdue_moment(issue)
        tick(moment)
        waits = []
        for _ in range(5):
            (delivery,) = deliveries()
            if delivery.status != "pending":
                break
            waits.append(delivery.next_attempt_at - moment)
            moment = delivery.next_attempt_at
            tick(moment)
    finally:
        app.config["NOTIFY_MAX_ATTEMPTS"] = 8
    assert waits == [timedelta(seconds=60), timedelta(seconds=120)]
    (delivery,) = deliveries()
    assert (delivery.status, delivery.attempts) == ("failed", 3)
    assert len(receiver.requests) == 3


@pytest.fixture
def black_hole() -> Iterator[str]:
    """A TCP port that accepts connections and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/hook"


def test_a_hanging_endpoint_times_out_and_the_others_still_get_theirs(
    app: Flask,
    make_issue: Callable[..., Issue],
    make_channel: MakeChannel,
    receiver: Receiver,
    black_hole: str,
    tick: Tick,
) -> None:
    issue = make_issue()
    make_channel("hengyang", "webhook", black_hole)
    make_channel("jinlong", "wecom", receiver.url)
    app.config["NOTIFY_HTTP_TIMEOUT"] = 0.3
    try:
        result = tick(_overdue_moment(issue))
    finally:
        app.config["NOTIFY_HTTP_TIMEOUT"] = 5.0
    assert len(receiver.requests) == 1
    assert result.delivery.sent == 1
    assert result.delivery.failed == 1
    assert "timed out" in result.delivery.errors[0]


def test_a_reminder_not_yet_sent_is_dropped_once_the_issue_is_cancelled(
    make_issue: Callable[..., Issue], make_channel: MakeChannel, receiver: Receiver, tick: Tick
) -> None:
    issue = make_issue()
    make_channel("jinlong", "wecom", receiver.url)
    receiver.statuses = [500]
    assert issue.deadline_at is not None
    reminded = issue.deadline_at - timedelta(hours=12)
    tick(reminded)
    apply_action(user("inspector"), issue, ActionRequest(action="cancel", version=issue.version, note="误报"))
    db.session.commit()
    tick(reminded + 2 * MINUTE)
    assert len(receiver.requests) == 1  # only the first, failed, attempt
    assert [d.status for d in deliveries()] == ["skipped"]


def test_dingtalk_markdown_with_signature(
    make_issue: Callable[..., Issue], make_channel: MakeChannel, receiver: Receiver, tick: Tick
) -> None:
    issue = make_issue()
    make_channel("jinlong", "dingtalk", receiver.url, secret="SECtest-secret")
    tick(_overdue_moment(issue))
    (sent,) = receiver.requests
    assert sent.body["msgtype"] == "markdown"
    assert sent.body["markdown"]["title"] == "【已逾期】台账资料不规范（金龙社区）"
    assert "社区：金龙社区" in sent.body["markdown"]["text"]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(sent.path).query)
    timestamp, sign = query["timestamp"][0], query["sign"][0]
    expected = hmac.new(b"SECtest-secret", f"{timestamp}\nSECtest-secret".encode(), hashlib.sha256).digest()
    assert base64.b64decode(sign) == expected
    assert query["key"] == ["test"]  # the robot's own parameters are kept


def test_signed_url_matches_dingtalk_documentation() -> None:
    url = signed_url("https://oapi.dingtalk.com/robot/send?access_token=x", "SECabc", timestamp_ms=1577262236757)
    digest = hmac.new(b"SECabc", b"1577262236757\nSECabc", hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    assert url == f"https://oapi.dingtalk.com/robot/send?access_token=x&timestamp=1577262236757&sign={sign}"


def test_generic_webhook_gets_json_with_the_facts(
    make_issue: Callable[..., Issue], make_channel: MakeChannel, receiver: Receiver, tick: Tick
) -> None:
    issue = make_issue()
    make_channel("hengyang", "webhook", receiver.url)
    tick(_overdue_moment(issue))
    (sent,) = receiver.requests
    assert sent.body["kind"] == "overdue"
    assert sent.body["link"] == f"http://127.0.0.1:5000/issues/{issue.public_id}"
    assert sent.body["issue"]["community"] == "金龙社区"
    assert sent.body["issue"]["category"] == "台账资料不规范"
    assert sent.body["issue"]["deadline_local"] == _local(issue.deadline_at)


def test_errcode_answers_are_failures() -> None:
    check_errcode({"errcode": 0, "errmsg": "ok"})
    check_errcode(None)
    with pytest.raises(DeliveryError, match="93000"):
        check_errcode({"errcode": 93000, "errmsg": "invalid webhook url"})


def test_wecom_content_is_clipped_to_its_limit_without_splitting_characters() -> None:
    clipped = clip("问题" * 3000, 4096)
    assert len(clipped.encode("utf-8")) <= 4096
    assert clipped.endswith("…")


def test_a_request_sends_its_notice_right_after_the_commit(
    make_channel: MakeChannel, receiver: Receiver, inspector: Any, small_jpeg: Callable[..., bytes]
) -> None:
    make_channel("jinlong", "wecom", receiver.url)
    response = report(inspector, small_jpeg(), category="debris", location_text="金龙小区11栋前坪")
    assert response.status_code == 201
    (sent,) = receiver.requests
    assert sent.body["markdown"]["content"].startswith("**新问题待整改：乱堆乱放/废弃物（金龙社区）**")


def test_a_failing_channel_does_not_fail_the_request(
    make_channel: MakeChannel, receiver: Receiver, inspector: Any, small_jpeg: Callable[..., bytes]
) -> None:
    make_channel("jinlong", "wecom", receiver.url)
    receiver.statuses = [500]
    response = report(inspector, small_jpeg(), category="debris")
    assert response.status_code == 201
    (delivery,) = deliveries()
    assert (delivery.status, delivery.attempts) == ("pending", 1)  # tick retries it


def test_an_inactive_channel_gets_nothing(
    make_issue: Callable[..., Issue], make_channel: MakeChannel, receiver: Receiver, tick: Tick
) -> None:
    issue = make_issue()
    channel = make_channel("jinlong", "wecom", receiver.url)
    channel.is_active = False
    db.session.commit()
    tick(_overdue_moment(issue))
    assert receiver.requests == []
