"""The record of every report export: who, what filter, how many rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User, utcnow
from lms.dbtypes import UTCDateTime
from lms.extensions import db


class ReportExport(db.Model):
    """One export of a report, written when it starts and completed with the row count when
    the last row has gone out (an export cut short keeps ``rows`` empty)."""

    __tablename__ = "report_exports"
    __table_args__ = (sa.CheckConstraint("format IN ('csv', 'xlsx', 'pdf')", name="format"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # None for the command (a scheduled job), else the admin who downloaded it.
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    scope_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_units.id"), index=True)
    format: Mapped[str] = mapped_column(sa.String(8))
    filters: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    rows: Mapped[int | None] = mapped_column(sa.Integer)
    started_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    finished_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User | None] = relationship()
