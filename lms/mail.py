"""Sending mail through a pluggable sender.

There may be no mail server: then no sender is configured and admins pass links on themselves.
``LMS_MAIL_SENDER=log`` writes messages to the log; ``smtp`` sends them; tests install a
recording sender.

Messages wait in the database session and go out only once it commits: a link is never mailed
for a change that was rolled back, and no database lock is held while a mail server answers.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any, Protocol

from flask import Flask, current_app
from flask_sqlalchemy.session import Session
from sqlalchemy import event

from lms.extensions import db

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
                # Verify the server's certificate: without a context, smtplib does not.
                smtp.starttls(context=ssl.create_default_context())
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
    """Queue a message, to go out when the current database transaction commits.

    :return: False when no sender is configured (nothing is queued).
    """
    sender = mail_sender()
    if sender is None:
        return False
    db.session.info.setdefault("outbox", []).append((sender, message))
    return True


# Slow mail servers must not hold up the request that triggered the message.
_background = ThreadPoolExecutor(max_workers=2, thread_name_prefix="mail")


def _deliver(sender: MailSender, message: Message) -> None:
    try:
        sender.send(message)
    except (OSError, smtplib.SMTPException):
        log.exception("mail could not be sent", extra={"to": message.to})


@event.listens_for(Session, "after_commit")
def _send_after_commit(session: Any) -> None:
    for sender, message in session.info.pop("outbox", []):
        if isinstance(sender, SmtpMailSender):
            _background.submit(_deliver, sender, message)
        else:
            _deliver(sender, message)


@event.listens_for(Session, "after_rollback")
def _discard_after_rollback(session: Any) -> None:
    session.info.pop("outbox", None)
