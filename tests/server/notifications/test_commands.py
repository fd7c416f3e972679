"""flask notifications …: managing channels from the command line."""

from __future__ import annotations

from flask import Flask

from server.extensions import db
from server.notifications.models import NotificationChannel
from tests.server.notifications.helpers import Receiver


def test_add_list_switch_off_and_test_a_channel(app: Flask, receiver: Receiver) -> None:
    runner = app.test_cli_runner()
    added = runner.invoke(
        args=["notifications", "add-channel", "--unit", "jinlong", "--kind", "wecom", "--target", receiver.url]
    )
    assert added.exit_code == 0, added.output
    channel = db.session.scalars(db.select(NotificationChannel)).one()
    assert "金龙社区" in added.output

    listed = runner.invoke(args=["notifications", "list-channels"])
    assert f"{channel.id}\tjinlong\twecom\tactive\t{receiver.url}" in listed.output

    tested = runner.invoke(args=["notifications", "test-channel", str(channel.id)])
    assert tested.exit_code == 0, tested.output
    (sent,) = receiver.requests
    assert "巡查系统消息通道测试" in sent.body["markdown"]["content"]

    off = runner.invoke(args=["notifications", "set-channel", str(channel.id), "--inactive"])
    assert off.exit_code == 0, off.output
    db.session.expire_all()
    assert channel.is_active is False


def test_add_channel_refuses_bad_input(app: Flask) -> None:
    runner = app.test_cli_runner()
    unknown = runner.invoke(
        args=["notifications", "add-channel", "--unit", "nowhere", "--kind", "email", "--target", "a@b.cn"]
    )
    assert unknown.exit_code != 0
    assert "找不到该单位" in unknown.output
    bad = runner.invoke(args=["notifications", "add-channel", "--unit", "jinlong", "--kind", "email", "--target", "x"])
    assert bad.exit_code != 0
    assert "邮箱" in bad.output


def test_a_failing_test_message_says_why(app: Flask, receiver: Receiver) -> None:
    runner = app.test_cli_runner()
    add = ["notifications", "add-channel", "--unit", "jinlong", "--kind", "webhook", "--target", receiver.url]
    assert runner.invoke(args=add).exit_code == 0
    channel = db.session.scalars(db.select(NotificationChannel)).one()
    receiver.statuses = [500]
    result = runner.invoke(args=["notifications", "test-channel", str(channel.id)])
    assert result.exit_code != 0
    assert "HTTP 500" in result.output
