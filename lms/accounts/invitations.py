"""Inviting people and resetting passwords: issuing links and, where mail is set up, sending them."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from lms.accounts.links import issue_link
from lms.accounts.models import TokenPurpose, User
from lms.mail import Message, mail_sender, send


def invite(user: User, invited_by: User | None = None) -> str:
    """Issue an invitation link (mailed when a sender is configured).

    :return: the link, for the admin to pass on when there is no mail.
    """
    link = issue_link(user, TokenPurpose.INVITATION, created_by=invited_by)
    with force_locale(user.preferred_language or "en"):
        send(
            Message(
                to=user.email,
                subject=_("Your Tangga account"),
                body=_(
                    "Hello %(name)s,\n\nAn account on Tangga, the counsellor training "
                    "programme, has been created for you. Open this link to choose your "
                    "password:\n\n%(link)s\n\nThe link works once.",
                    name=user.display_name,
                    link=link,
                ),
            )
        )
    return link


def password_reset_link(user: User, issued_by: User | None = None) -> str:
    """A reset link for an admin to pass on, or an invitation if no password was ever set."""
    if not user.has_password:
        return invite(user, invited_by=issued_by)
    return issue_link(user, TokenPurpose.PASSWORD_RESET, created_by=issued_by)


def mail_reset_link(user: User) -> bool:
    """Mail a reset link to a person who asked for one.

    Without a mail sender nothing is issued; links an admin handed out keep working either way.

    :return: whether a message was queued.
    """
    if not user.is_enabled or mail_sender() is None:
        return False
    purpose = TokenPurpose.PASSWORD_RESET if user.has_password else TokenPurpose.INVITATION
    link = issue_link(user, purpose, replace=False)
    with force_locale(user.preferred_language or "en"):
        return send(
            Message(
                to=user.email,
                subject=_("Reset your Tangga password"),
                body=_(
                    "Hello %(name)s,\n\nSomeone asked to reset the password of your Tangga "
                    "account. If it was you, open this link to choose a new one:\n\n%(link)s\n\n"
                    "If it was not you, ignore this message: your password stays as it is.",
                    name=user.display_name,
                    link=link,
                ),
            )
        )
