"""Sending mail through a pluggable sender.

There may be no mail server: then no sender is configured and admins pass links on themselves.
``LMS_MAIL_SENDER=log`` writes messages to the log; ``smtp`` sends them; tests install a
recording sender.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Protocol

from flask import Flask, current_app

log = logging.getLogger("lms.mail")


@dataclass(frozen=True)
class Message:
    to: str
    subject: str
    body: str


class MailSender(Protocol):
    def send(self, message: Message) -> None: ...


class LogMailSender:
    """Writes each message to the log (development)."""

    def send(self, message: Message) -> None:
        log.info("mail", extra={"to": message.to, "subject": message.subject, "body": message.body})


@dataclass
class SmtpMailSender:
    host: str
    port: int
    sender: str
    user: str = ""
    password: str = ""
    starttls: bool = False

    def send(self, message: Message) -> None:
        email = EmailMessage()
        email["From"] = self.sender
        email["To"] = message.to
        email["Subject"] = message.subject
        email.set_content(message.body)
        with smtplib.SMTP(self.host, self.port, timeout=15) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.user:
                smtp.login(self.user, self.password)
            smtp.send_message(email)


@dataclass
class RecordingMailSender:
    """Keeps messages in a list (tests)."""

    outbox: list[Message] = field(default_factory=list)

    def send(self, message: Message) -> None:
        self.outbox.append(message)


def init_mail_sender(app: Flask) -> None:
    kind = app.config["MAIL_SENDER"]
    sender: MailSender | None
    if kind == "":
        sender = None
    elif kind == "log":
        sender = LogMailSender()
    elif kind == "smtp":
        sender = SmtpMailSender(
            host=app.config["SMTP_HOST"],
            port=app.config["SMTP_PORT"],
            sender=app.config["MAIL_FROM"],
            user=app.config["SMTP_USER"],
            password=app.config["SMTP_PASSWORD"],
            starttls=app.config["SMTP_STARTTLS"],
        )
    elif isinstance(kind, str):
        raise ValueError(f"LMS_MAIL_SENDER must be empty, 'log' or 'smtp', not {kind!r}")
    else:
        sender = kind  # an object given by the application or a test
    app.extensions["mail_sender"] = sender


def mail_sender() -> MailSender | None:
    """The configured sender, or None when there is no mail server."""
    return current_app.extensions.get("mail_sender")


def send(message: Message) -> bool:
    """Send a message if a sender is configured; a failure is logged, not raised.

    :return: True when the message was handed to a sender.
    """
    sender = mail_sender()
    if sender is None:
        return False
    try:
        sender.send(message)
    except (OSError, smtplib.SMTPException):
        log.exception("mail could not be sent", extra={"to": message.to})
        return False
    return True
