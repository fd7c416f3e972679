"""flask tick, and flask notifications …: the scheduler entry point and channel management."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from server.db import utcnow
from server.errors import DomainError
from server.extensions import db
from server.notifications import operations as ops
from server.notifications.channels import DeliveryError
from server.notifications.messages import local_zone
from server.notifications.models import ChannelKind, NotificationChannel
from server.notifications.scheduler import run_forever
from server.notifications.tick import run_tick


def parse_now(value: str | None) -> datetime:
    """An ISO 8601 moment; without a zone it is local time (XUNCHA_TIMEZONE)."""
    if not value:
        return utcnow()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"not an ISO 8601 time: {value}", param_hint="--now") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=local_zone())
    return moment.astimezone(UTC)


@click.command("tick")
@click.option("--now", "now_text", default=None, help="Replay this moment (ISO 8601; local time if no zone).")
@click.option("--every", type=float, default=None, help="Keep ticking every N seconds (a clock process).")
@with_appcontext
def tick(now_text: str | None, every: float | None) -> None:
    """Apply the deadline rules (reminders, overdue, digest) and send due notifications."""
    if every is not None:
        if now_text:
            raise click.UsageError("--every ticks at the real time; it cannot be combined with --now")
        click.echo(f"ticking every {every:g} s")
        run_forever(current_app._get_current_object(), every)  # type: ignore[attr-defined]
        return
    report = run_tick(parse_now(now_text))
    click.echo(report.summary())
    for error in report.delivery.errors:
        click.echo(f"  {error}", err=True)


notifications_cli = AppGroup("notifications", help="Outbound notification channels (webhook, 企业微信, 钉钉, e-mail).")


@notifications_cli.command("add-channel")
@click.option("--unit", "unit_code", required=True, help="Org unit code, e.g. jinlong or baishazhou_street")
@click.option("--kind", type=click.Choice([k.value for k in ChannelKind]), required=True)
@click.option("--target", required=True, help="Robot/webhook URL, or e-mail addresses separated by commas")
@click.option("--secret", default=None, help="钉钉 signing secret (SEC…), if the robot uses 加签")
@click.option("--name", default="", help="A label, e.g. 金龙社区工作群")
def add_channel(unit_code: str, kind: str, target: str, secret: str | None, name: str) -> None:
    """Add an outbound channel to an org unit."""
    try:
        unit = ops.get_org_unit(code=unit_code)
        channel = ops.add_channel(org_unit=unit, kind=kind, target=target, secret=secret, name=name)
    except DomainError as exc:
        raise click.ClickException(exc.message_zh) from exc
    db.session.commit()
    click.echo(f"added channel {channel.id}: {channel.kind} for {unit.name}")


@notifications_cli.command("list-channels")
def list_channels() -> None:
    """Every channel, with its unit and state."""
    channels = list(db.session.scalars(db.select(NotificationChannel).order_by(NotificationChannel.id)))
    if not channels:
        click.echo("no channels")
    for channel in channels:
        state = "active" if channel.is_active else "off"
        click.echo(f"{channel.id}\t{channel.org_unit.code}\t{channel.kind}\t{state}\t{channel.target}\t{channel.name}")


@notifications_cli.command("set-channel")
@click.argument("channel_id", type=int)
@click.option("--active/--inactive", "is_active", default=None, help="Switch the channel on or off.")
@click.option("--target", default=None)
@click.option("--secret", default=None)
def set_channel(channel_id: int, is_active: bool | None, target: str | None, secret: str | None) -> None:
    """Change a channel or switch it off."""
    channel = db.session.get(NotificationChannel, channel_id)
    if channel is None:
        raise click.ClickException(f"no channel {channel_id}")
    try:
        ops.update_channel(channel, target=target, secret=secret, is_active=is_active)
    except DomainError as exc:
        raise click.ClickException(exc.message_zh) from exc
    db.session.commit()
    click.echo(f"channel {channel.id}: {'active' if channel.is_active else 'off'} {channel.target}")


@notifications_cli.command("test-channel")
@click.argument("channel_id", type=int)
def test_channel(channel_id: int) -> None:
    """Send a test message through a channel now."""
    channel = db.session.get(NotificationChannel, channel_id)
    if channel is None:
        raise click.ClickException(f"no channel {channel_id}")
    try:
        ops.send_test_message(channel)
    except DeliveryError as exc:
        raise click.ClickException(f"sending failed: {exc}") from exc
    click.echo(f"sent a test message through channel {channel.id}")
