"""E-mail over SMTP (smtplib), with optional STARTTLS or implicit TLS and login."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from flask import current_app

from server.notifications.channels.base import DeliveryError, Target


def addresses(target: str) -> list[str]:
    return [part.strip() for part in target.replace(";", ",").split(",") if part.strip()]


def build_email(sender: str, target: Target, payload: dict[str, Any]) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = payload["title"]
    message["From"] = sender
    message["To"] = ", ".join(addresses(target.address))
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="xuncha")
    message.set_content(payload["text"])
    return message


class EmailSender:
    def send(self, target: Target, payload: dict[str, Any]) -> None:
        config = current_app.config
        if not config["SMTP_HOST"]:
            raise DeliveryError("SMTP_HOST is not set")
        message = build_email(config["SMTP_FROM"], target, payload)
        try:
            with self._connect(config) as smtp:
                if config["SMTP_USER"]:
                    smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"])
                smtp.send_message(message)
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc

    @staticmethod
    def _connect(config: Any) -> smtplib.SMTP:
        host, port, timeout = config["SMTP_HOST"], config["SMTP_PORT"], config["SMTP_TIMEOUT"]
        if config["SMTP_SSL"]:
            return smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
        smtp = smtplib.SMTP(host, port, timeout=timeout)
        if config["SMTP_STARTTLS"]:
            try:
                smtp.starttls(context=ssl.create_default_context())
            except BaseException:
                smtp.close()
                raise
        return smtp
