"""Marking attendance for a whole session, keeping every correction in the history."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from lms.accounts.models import User, utcnow
from lms.database import upsert
from lms.extensions import db
from lms.training.models import Attendance, AttendanceChange, AttendanceStatus, TrainingSession

STATUSES = tuple(status.value for status in AttendanceStatus)


def marks(session_id: int) -> dict[int, str]:
    """Each counsellor's current mark for the session."""
    return dict(
        db.session.execute(
            sa.select(Attendance.user_id, Attendance.status).where(
                Attendance.session_id == session_id
            )
        ).all()
    )


@dataclass
class Marked:
    changed: list[int] = field(default_factory=list)  # member ids whose mark changed
    conflicts: list[int] = field(default_factory=list)  # changed by someone else meanwhile


def mark(
    session: TrainingSession,
    marker: User,
    statuses: dict[int, str],
    shown: dict[int, str | None] | None = None,
) -> Marked:
    """Record the statuses given (member id -> status); unchanged ones write nothing, so a
    form sent twice changes nothing the second time.

    :param shown: what the trainer's page showed for each member. A mark that changed since
        (another trainer saved meanwhile) is left as it is and reported as a conflict, so
        nobody overwrites a correction they never saw.
    """
    # A write first: the session's marks are read and changed by one trainer at a time.
    db.session.execute(
        sa.update(TrainingSession)
        .where(TrainingSession.id == session.id)
        .values(minutes=TrainingSession.minutes)
        .execution_options(synchronize_session=False)
    )
    before = marks(session.id)
    now = utcnow()
    result = Marked()
    for user_id, status in statuses.items():
        if status not in STATUSES or before.get(user_id) == status:
            continue
        if shown is not None and (shown.get(user_id) or None) != before.get(user_id):
            result.conflicts.append(user_id)
            continue
        upsert(
            Attendance,
            ["session_id", "user_id"],
            session_id=session.id,
            user_id=user_id,
            status=status,
            marked_by_id=marker.id,
            marked_dt=now,
        )
        db.session.add(
            AttendanceChange(
                session_id=session.id,
                user_id=user_id,
                old_status=before.get(user_id),
                new_status=status,
                changed_by_id=marker.id,
                changed_dt=now,
            )
        )
        result.changed.append(user_id)
    return result


def history(session_id: int) -> list[AttendanceChange]:
    return list(
        db.session.scalars(
            sa.select(AttendanceChange)
            .where(AttendanceChange.session_id == session_id)
            .options(
                sa.orm.joinedload(AttendanceChange.changed_by),
                sa.orm.joinedload(AttendanceChange.user),
            )
            .order_by(AttendanceChange.changed_dt.desc(), AttendanceChange.id.desc())
        )
    )
