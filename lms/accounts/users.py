"""Users: creating, editing, deactivating, signing in, and listing them within an admin's scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts.links import revoke_links
from lms.accounts.models import OrgUnit, Role, Sex, User, new_session_token
from lms.accounts.passwords import hash_password, needs_rehash, verify_password
from lms.accounts.units import subtree_ids
from lms.extensions import db


def normalise_email(email: str) -> str:
    return email.strip().lower()


def user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def email_taken(email: str, *, except_user: User | None = None) -> bool:
    query = sa.select(User.id).where(User.email == normalise_email(email))
    if except_user is not None:
        query = query.where(User.id != except_user.id)
    return db.session.scalar(query) is not None


@dataclass(frozen=True)
class Profile:
    """What an admin sets on an account (and a person on their own, except role and unit)."""

    email: str
    display_name: str
    role: Role
    org_unit: OrgUnit
    preferred_language: str | None = None
    sex: Sex = Sex.UNDISCLOSED
    has_disability: bool | None = None


@dataclass(frozen=True)
class Refusal:
    """Why a profile cannot be saved: the form field to show it on, and the message."""

    field: str
    message: str


def email_taken_message() -> str:
    return _("An account with this email address already exists.")


def check_profile(admin: User, profile: Profile, user: User | None = None) -> Refusal | None:
    """What, if anything, stops ``admin`` from saving ``profile`` (for ``user``, or a new one)."""
    if email_taken(profile.email, except_user=user):
        return Refusal("email", email_taken_message())
    if user is not None and user.id == admin.id:
        if profile.role != Role(user.role) or profile.org_unit.id != user.org_unit_id:
            return Refusal("role", _("You cannot change your own role or organisation unit."))
        return None
    if not may_assign(admin, profile.role, profile.org_unit):
        return Refusal(
            "role", _("You can make someone an administrator only for a unit below your own.")
        )
    return None


def create_user(profile: Profile, password: str | None = None) -> User:
    """Create an account; without a password the person sets one through an invitation link."""
    user = User(
        email=normalise_email(profile.email),
        display_name=profile.display_name.strip(),
        role=profile.role.value,
        org_unit=profile.org_unit,
        org_unit_id=profile.org_unit.id,
        preferred_language=profile.preferred_language or None,
        sex=profile.sex.value,
        has_disability=profile.has_disability,
        password_hash=hash_password(password) if password else None,
    )
    db.session.add(user)
    db.session.flush()
    return user


def update_user(user: User, profile: Profile) -> None:
    if normalise_email(profile.email) != user.email:
        revoke_links(user)  # a link sent to the old address must not outlive the change
    user.email = normalise_email(profile.email)
    user.display_name = profile.display_name.strip()
    user.role = profile.role.value
    user.org_unit = profile.org_unit
    user.preferred_language = profile.preferred_language or None
    user.sex = profile.sex.value
    user.has_disability = profile.has_disability
    db.session.flush()


def set_password(user: User, password: str) -> None:
    """Set a new password, sign the person out everywhere else, and void pending links."""
    revoke_links(user)
    user.password_hash = hash_password(password)
    user.session_token = new_session_token()
    db.session.flush()


def deactivate(user: User) -> None:
    """Stop an account from signing in. Accounts are never deleted: their history stays."""
    if not user.is_enabled:
        return
    user.is_enabled = False
    user.deactivated_dt = datetime.now(UTC)
    user.session_token = new_session_token()
    revoke_links(user)
    db.session.flush()


def reactivate(user: User) -> None:
    user.is_enabled = True
    user.deactivated_dt = None
    db.session.flush()


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None — whichever part was wrong."""
    user = user_by_email(email)
    if not verify_password(user.password_hash if user else None, password):
        return None
    if user is None or not user.is_enabled:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_dt = datetime.now(UTC)
    db.session.flush()
    return user


def in_scope(admin: User, user: User) -> bool:
    """May this admin see and manage this user?

    Everyone in the admin's subtree, except other admins of the admin's own unit: they are
    peers, and only an admin above them manages them (else either could take the other over).
    """
    if not admin.is_admin:
        return False
    if user.id == admin.id:
        return True
    if not admin.org_unit.contains(user.org_unit):
        return False
    return not (user.is_admin and user.org_unit_id == admin.org_unit_id)


def may_assign(admin: User, role: Role, unit: OrgUnit) -> bool:
    """May this admin give ``role`` at ``unit``? Admin rights only strictly below their own unit."""
    if not admin.is_admin or not admin.org_unit.contains(unit):
        return False
    return role != Role.ADMIN or unit.id != admin.org_unit_id


def users_in_scope(admin: User, search: str = "", role: str = "") -> sa.Select:
    """A query for the users an admin may manage, by name, optionally searched."""
    peer_admin = sa.and_(
        User.role == Role.ADMIN.value,
        User.org_unit_id == admin.org_unit_id,
        User.id != admin.id,
    )
    query = (
        sa.select(User)
        .where(User.org_unit_id.in_(subtree_ids(admin.org_unit)), sa.not_(peer_admin))
        .options(sa.orm.joinedload(User.org_unit))
        .order_by(User.display_name, User.id)
    )
    if search.strip():
        term = search.strip().lower()
        query = query.where(
            sa.or_(
                sa.func.lower(User.display_name).contains(term, autoescape=True),
                User.email.contains(term, autoescape=True),
            )
        )
    if role in {r.value for r in Role}:
        query = query.where(User.role == role)
    return query
