"""Organisation units, users, and the single-use tokens behind invitation and reset links."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.dbtypes import UTCDateTime
from lms.extensions import db


def utcnow() -> datetime:
    return datetime.now(UTC)


def _values(enum: type[StrEnum]) -> str:
    return ", ".join(f"'{member.value}'" for member in enum)


class UnitKind(StrEnum):
    REGION = "region"
    COUNTRY = "country"
    PROVINCE = "province"
    OFFICE = "office"


# Which kind of unit may sit below which.
CHILD_KINDS: dict[UnitKind, tuple[UnitKind, ...]] = {
    UnitKind.REGION: (UnitKind.COUNTRY,),
    UnitKind.COUNTRY: (UnitKind.PROVINCE,),
    UnitKind.PROVINCE: (UnitKind.OFFICE,),
    UnitKind.OFFICE: (),
}


class OrgUnit(db.Model):
    """A node of the organisation tree: region → country → province → office.

    ``path`` holds the ids from the root down (``/1/4/17/``) so a whole subtree is one
    prefix comparison.
    """

    __tablename__ = "org_units"
    __table_args__ = (
        sa.CheckConstraint(f"kind IN ({_values(UnitKind)})", name="kind"),
        # Never empty: an empty path would be a prefix of every path, a scope over everything.
        sa.CheckConstraint("path LIKE '/%/'", name="path"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(16))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("org_units.id"), index=True)
    path: Mapped[str] = mapped_column(sa.String(255), index=True)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    parent: Mapped[OrgUnit | None] = relationship(remote_side=[id])

    def contains(self, other: OrgUnit) -> bool:
        """Is ``other`` this unit or below it?"""
        return self.path.endswith("/") and len(self.path) > 1 and other.path.startswith(self.path)

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2

    def __repr__(self) -> str:
        return f"<OrgUnit {self.code}>"


class Role(StrEnum):
    COUNSELLOR = "counsellor"
    TRAINER = "trainer"
    ADMIN = "admin"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    ANOTHER = "another"
    UNDISCLOSED = "prefer_not_to_say"


def new_session_token() -> str:
    return secrets.token_urlsafe(16)


class User(UserMixin, db.Model):
    """A person who signs in. Sex and disability serve disaggregated reports only."""

    __tablename__ = "users"
    __table_args__ = (
        sa.CheckConstraint(f"role IN ({_values(Role)})", name="role"),
        sa.CheckConstraint(f"sex IN ({_values(Sex)})", name="sex"),
        # Reports group the counsellors of a subtree by sex and disability from the index alone.
        sa.Index("ix_users_report", "org_unit_id", "role", "sex", "has_disability"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[str] = mapped_column(sa.String(16), index=True)
    org_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_units.id"), index=True)
    preferred_language: Mapped[str | None] = mapped_column(sa.String(8))
    sex: Mapped[str] = mapped_column(sa.String(20), default=Sex.UNDISCLOSED.value)
    has_disability: Mapped[bool | None] = mapped_column(sa.Boolean)
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    is_enabled: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    # Part of the login cookie: changing it (new password, deactivation) signs out every device.
    session_token: Mapped[str] = mapped_column(sa.String(32), default=new_session_token)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deactivated_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())

    org_unit: Mapped[OrgUnit] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.is_enabled

    def get_id(self) -> str:
        return f"{self.id}.{self.session_token}"

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_trainer(self) -> bool:
        return self.role == Role.TRAINER

    @property
    def has_password(self) -> bool:
        return self.password_hash is not None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class TokenPurpose(StrEnum):
    INVITATION = "invitation"
    PASSWORD_RESET = "password_reset"  # noqa: S105  (a purpose, not a password)


class AccountToken(db.Model):
    """One invitation or password-reset link. A link works once and until ``expires_dt``."""

    __tablename__ = "account_tokens"
    __table_args__ = (sa.CheckConstraint(f"purpose IN ({_values(TokenPurpose)})", name="purpose"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    purpose: Mapped[str] = mapped_column(sa.String(20))
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_dt: Mapped[datetime] = mapped_column(UTCDateTime())
    used_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
