"""Outbound channels behind one interface (``base.Sender``): webhook, 企业微信, 钉钉, e-mail."""

from __future__ import annotations

from server.notifications.channels.base import DeliveryError, Sender, Target
from server.notifications.channels.dingtalk import DingtalkSender
from server.notifications.channels.email import EmailSender
from server.notifications.channels.webhook import WebhookSender
from server.notifications.channels.wecom import WecomSender
from server.notifications.models import ChannelKind

SENDERS: dict[str, Sender] = {
    ChannelKind.WEBHOOK: WebhookSender(),
    ChannelKind.WECOM: WecomSender(),
    ChannelKind.DINGTALK: DingtalkSender(),
    ChannelKind.EMAIL: EmailSender(),
}


def sender_for(kind: str) -> Sender:
    return SENDERS[kind]


__all__ = ["SENDERS", "DeliveryError", "Sender", "Target", "sender_for"]
