"""Invitation and password-reset links: signed, expiring, and good for one use.

The link carries a signed token id; the database row says when it expires and whether it was
used. Using it is one conditional UPDATE, so two clicks cannot both succeed.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import StrEnum

import sqlalchemy as sa
from flask import current_app, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from lms.accounts.models import AccountToken, TokenPurpose, User
from lms.extensions import db

ENDPOINTS = {
    TokenPurpose.INVITATION: "auth.accept_invitation",
    TokenPurpose.PASSWORD_RESET: "auth.reset_password",
}


class LinkProblem(StrEnum):
    INVALID = "invalid"
    EXPIRED = "expired"
    USED = "used"


class LinkError(Exception):
    def __init__(self, problem: LinkProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def _serializer(purpose: TokenPurpose) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"tangga.{purpose}")


def _lifetime(purpose: TokenPurpose) -> timedelta:
    hours = current_app.config[
        "INVITATION_HOURS" if purpose == TokenPurpose.INVITATION else "PASSWORD_RESET_HOURS"
    ]
    return timedelta(hours=hours)


def public_url(path: str) -> str:
    """An absolute URL on the site's configured address.

    Never from the request's Host header, which a client controls: a reset link mailed to
    ``http://attacker.example/...`` would hand the account over.
    """
    return current_app.config["PUBLIC_URL"].rstrip("/") + path


def revoke_links(user: User, purpose: TokenPurpose | None = None) -> None:
    """Make every unused link of ``user`` (of one purpose, or all) stop working now."""
    query = sa.update(AccountToken).where(
        AccountToken.user_id == user.id,
        AccountToken.used_dt.is_(None),
        AccountToken.expires_dt > datetime.now(UTC),
    )
    if purpose is not None:
        query = query.where(AccountToken.purpose == purpose.value)
    db.session.execute(query.values(expires_dt=datetime.now(UTC)))


def issue_link(
    user: User, purpose: TokenPurpose, created_by: User | None = None, *, replace: bool = True
) -> str:
    """Create a link for ``user``.

    :param replace: make earlier unused links of the same purpose stop working (what an admin
        wants when handing out a new link; a person asking for a reset does not cancel links).
    :return: the absolute URL to hand to the person.
    """
    now = datetime.now(UTC)
    if replace:
        revoke_links(user, purpose)
    token = AccountToken(
        user_id=user.id,
        purpose=purpose.value,
        expires_dt=now + _lifetime(purpose),
        created_by_id=created_by.id if created_by else None,
    )
    db.session.add(token)
    db.session.flush()
    signed = _serializer(purpose).dumps(token.id)
    return public_url(url_for(ENDPOINTS[purpose], token=signed))


def check_link(signed: str, purpose: TokenPurpose) -> AccountToken:
    """The token behind a link, if it may still be used.

    :raises LinkError: tampered (invalid), expired, or already used.
    """
    max_age = int(_lifetime(purpose).total_seconds())
    try:
        token_id = _serializer(purpose).loads(signed, max_age=max_age)
    except SignatureExpired as exc:
        raise LinkError(LinkProblem.EXPIRED) from exc
    except BadSignature as exc:
        raise LinkError(LinkProblem.INVALID) from exc
    token = db.session.get(AccountToken, token_id) if isinstance(token_id, int) else None
    if token is None or token.purpose != purpose.value:
        raise LinkError(LinkProblem.INVALID)
    if token.used_dt is not None:
        raise LinkError(LinkProblem.USED)
    if token.expires_dt <= datetime.now(UTC):
        raise LinkError(LinkProblem.EXPIRED)
    if not token.user.is_enabled:
        raise LinkError(LinkProblem.INVALID)
    return token


def use_link(signed: str, purpose: TokenPurpose) -> User:
    """Mark the link used, once: a second use (even a concurrent one) fails.

    :raises LinkError: as :func:`check_link`.
    """
    token = check_link(signed, purpose)
    result = db.session.execute(
        sa.update(AccountToken)
        .where(AccountToken.id == token.id, AccountToken.used_dt.is_(None))
        .values(used_dt=datetime.now(UTC))
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise LinkError(LinkProblem.USED)
    return token.user
