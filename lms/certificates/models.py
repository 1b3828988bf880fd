"""Certificates and who issues them.

A certificate keeps what it says as it was issued (the holder's name, the issuer, the date), so
re-rendering it later, in any language, says the same thing.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import OrgUnit, User, utcnow
from lms.dbtypes import UTCDateTime
from lms.extensions import db

PROGRAMME = 5  # the award number of the programme certificate (tiers are 1 to 4)


class Certificate(db.Model):
    __tablename__ = "certificates"
    __table_args__ = (
        sa.CheckConstraint("award BETWEEN 1 AND 5", name="award"),
        # One valid certificate per counsellor and award; revoked ones stay beside it.
        sa.Index(
            "uq_certificates_one_valid",
            "user_id",
            "award",
            unique=True,
            sqlite_where=sa.text("revoked_dt IS NULL"),
            postgresql_where=sa.text("revoked_dt IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(16), unique=True)
    serial: Mapped[str | None] = mapped_column(sa.String(32), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    award: Mapped[int] = mapped_column(sa.SmallInteger)  # tier 1-4, or PROGRAMME
    holder_name: Mapped[str] = mapped_column(sa.String(200))
    completed_on: Mapped[date] = mapped_column(sa.Date)
    issued_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The issuing organisation as it was: {"name": {lang: ...}, "signatories": [...], ...}
    issuer: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    revoked_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_reason: Mapped[str | None] = mapped_column(sa.Text)
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def is_valid(self) -> bool:
        return self.revoked_dt is None

    @property
    def is_programme(self) -> bool:
        return self.award == PROGRAMME


class Issuer(db.Model):
    """What certificates of a country's counsellors say about who issues them."""

    __tablename__ = "issuers"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_units.id"), unique=True)
    name: Mapped[dict[str, str]] = mapped_column(sa.JSON)  # {language: name}
    # [{"name": "...", "title": {language: "..."}}], at most three
    signatories: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON)
    logo: Mapped[bytes | None] = mapped_column(sa.LargeBinary)  # PNG or JPEG, checked
    logo_type: Mapped[str | None] = mapped_column(sa.String(16))  # image/png or image/jpeg
    updated_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    org_unit: Mapped[OrgUnit] = relationship()
