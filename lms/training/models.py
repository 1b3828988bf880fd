"""Tiers 2 to 4 as records: cohorts and their sessions, attendance with its history, graded
simulations, roll-out sessions (who trained whom), workshop action plans, and notices.

Nothing a counsellor did is ever deleted: corrections are new history rows, a returned roll-out
or action plan keeps its review, and a changed final grade keeps the earlier one.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import OrgUnit, User, _values, utcnow
from lms.curriculum.models import Scenario, Workshop
from lms.dbtypes import UTCDateTime
from lms.extensions import db


class Cohort(db.Model):
    """A training batch for one tier: its trainers, place, dates and counsellors."""

    __tablename__ = "cohorts"
    __table_args__ = (
        sa.CheckConstraint("tier_number BETWEEN 2 AND 4", name="tier_number"),
        # A form sent twice cannot make two cohorts of one name.
        sa.UniqueConstraint("org_unit_id", "tier_number", "name", name="uq_cohorts_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tier_number: Mapped[int] = mapped_column(sa.ForeignKey("tiers.number"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    # The unit that runs it: admins of this unit or above manage it.
    org_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_units.id"), index=True)
    place: Mapped[str] = mapped_column(sa.String(200), default="")
    # Where the sessions happen: times are entered and shown in this zone, stored in UTC.
    timezone: Mapped[str] = mapped_column(sa.String(64), default="UTC")
    starts_on: Mapped[date] = mapped_column(sa.Date)
    ends_on: Mapped[date] = mapped_column(sa.Date)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    org_unit: Mapped[OrgUnit] = relationship()
    sessions: Mapped[list[TrainingSession]] = relationship(
        back_populates="cohort", order_by="TrainingSession.starts_dt"
    )


class CohortTrainer(db.Model):
    __tablename__ = "cohort_trainers"

    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohorts.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True, index=True)

    user: Mapped[User] = relationship()


class CohortMember(db.Model):
    __tablename__ = "cohort_members"

    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohorts.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True, index=True)
    added_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship()


class TrainingSession(db.Model):
    """One scheduled session of a cohort; in Tier 4 it delivers a workshop of the catalogue."""

    __tablename__ = "training_sessions"
    __table_args__ = (
        sa.UniqueConstraint("cohort_id", "starts_dt", "title", name="uq_training_sessions_slot"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohorts.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    starts_dt: Mapped[datetime] = mapped_column(UTCDateTime())
    minutes: Mapped[int] = mapped_column(sa.Integer, default=180)
    place: Mapped[str] = mapped_column(sa.String(200), default="")
    workshop_id: Mapped[int | None] = mapped_column(sa.ForeignKey("workshops.id"), index=True)
    # A cancelled session stays in the record but counts for nobody's attendance.
    is_cancelled: Mapped[bool] = mapped_column(sa.Boolean, default=False)

    cohort: Mapped[Cohort] = relationship(back_populates="sessions")
    workshop: Mapped[Workshop | None] = relationship()


class AttendanceStatus(StrEnum):
    PRESENT = "present"
    LATE = "late"
    EXCUSED = "excused"
    ABSENT = "absent"


# Present and late count as attended; an excused absence leaves the session out of the count.
ATTENDED = (AttendanceStatus.PRESENT.value, AttendanceStatus.LATE.value)


class Attendance(db.Model):
    """A counsellor's attendance at a session, as last marked."""

    __tablename__ = "attendance"
    __table_args__ = (
        sa.UniqueConstraint("session_id", "user_id", name="uq_attendance_session_user"),
        sa.CheckConstraint(f"status IN ({_values(AttendanceStatus)})", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("training_sessions.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(16))
    marked_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    marked_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AttendanceChange(db.Model):
    """Every mark and correction: who changed whose attendance, from what to what, and when."""

    __tablename__ = "attendance_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("training_sessions.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    old_status: Mapped[str | None] = mapped_column(sa.String(16))
    new_status: Mapped[str] = mapped_column(sa.String(16))
    changed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    changed_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    changed_by: Mapped[User] = relationship(foreign_keys=[changed_by_id])
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class SimulationState(StrEnum):
    OPEN = "open"  # no result yet (no final grade, or a grader still drafting)
    MODERATION = "moderation"  # two final grades too far apart: a moderator decides
    FINAL = "final"  # the counsellor sees the result


class Simulation(db.Model):
    """A counsellor's counselling simulation on one scenario, in one cohort.

    ``version`` is bumped by every grade saved, which also locks the row: two trainers
    finalising at once are taken one after the other, and the result is computed from what
    both saved.
    """

    __tablename__ = "simulations"
    __table_args__ = (
        sa.UniqueConstraint("cohort_id", "user_id", "scenario_id", name="uq_simulations_one"),
        sa.CheckConstraint(f"state IN ({_values(SimulationState)})", name="state"),
        # A person's results from the index alone, without reading the rubric kept per row.
        sa.Index("ix_simulations_results", "user_id", "state", "result_percent", "passed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohorts.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    scenario_id: Mapped[int] = mapped_column(sa.ForeignKey("scenarios.id"))
    # The rubric as it was when grading began: a later import does not change how it is graded.
    rubric: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    state: Mapped[str] = mapped_column(sa.String(16), default=SimulationState.OPEN.value)
    result_percent: Mapped[float | None] = mapped_column(sa.Float)
    passed: Mapped[bool | None] = mapped_column(sa.Boolean)
    result_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(sa.Integer, default=0)

    cohort: Mapped[Cohort] = relationship()
    user: Mapped[User] = relationship()
    scenario: Mapped[Scenario] = relationship()
    grades: Mapped[list[Grade]] = relationship(back_populates="simulation", order_by="Grade.id")


class GradeRole(StrEnum):
    GRADER = "grader"  # the first or the second trainer
    MODERATOR = "moderator"  # decides when the two graders disagree


class GradeState(StrEnum):
    DRAFT = "draft"
    FINAL = "final"


class Grade(db.Model):
    """One trainer's grade of a simulation: a level and a comment per criterion."""

    __tablename__ = "grades"
    __table_args__ = (
        sa.UniqueConstraint("simulation_id", "grader_id", name="uq_grades_grader"),
        sa.CheckConstraint(f"role IN ({_values(GradeRole)})", name="role"),
        sa.CheckConstraint(f"state IN ({_values(GradeState)})", name="state"),
        sa.Index(
            "uq_grades_one_moderator",
            "simulation_id",
            unique=True,
            sqlite_where=sa.text("role = 'moderator'"),
            postgresql_where=sa.text("role = 'moderator'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    simulation_id: Mapped[int] = mapped_column(sa.ForeignKey("simulations.id"), index=True)
    grader_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    role: Mapped[str] = mapped_column(sa.String(16))
    state: Mapped[str] = mapped_column(sa.String(16), default=GradeState.DRAFT.value)
    levels: Mapped[dict[str, str]] = mapped_column(sa.JSON, default=dict)  # criterion -> level
    comments: Mapped[dict[str, str]] = mapped_column(sa.JSON, default=dict)  # criterion -> text
    overall_comment: Mapped[str] = mapped_column(sa.Text, default="")
    percent: Mapped[float | None] = mapped_column(sa.Float)
    passed: Mapped[bool | None] = mapped_column(sa.Boolean)
    updated_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finalised_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())

    simulation: Mapped[Simulation] = relationship(back_populates="grades")
    grader: Mapped[User] = relationship()
    revisions: Mapped[list[GradeRevision]] = relationship(order_by="GradeRevision.id")


class GradeRevision(db.Model):
    """A final grade as it was before a trainer changed it, with their written reason."""

    __tablename__ = "grade_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    grade_id: Mapped[int] = mapped_column(sa.ForeignKey("grades.id"), index=True)
    levels: Mapped[dict[str, str]] = mapped_column(sa.JSON)
    comments: Mapped[dict[str, str]] = mapped_column(sa.JSON)
    overall_comment: Mapped[str] = mapped_column(sa.Text)
    percent: Mapped[float | None] = mapped_column(sa.Float)
    passed: Mapped[bool | None] = mapped_column(sa.Boolean)
    finalised_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reason: Mapped[str] = mapped_column(sa.Text)
    changed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    changed_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    changed_by: Mapped[User] = relationship()


class Facilitator(db.Model):
    """A counsellor who completed Tier 2 and may deliver roll-out sessions."""

    __tablename__ = "facilitators"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    appointed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    appointed_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReviewState(StrEnum):
    SUBMITTED = "submitted"
    CONFIRMED = "confirmed"  # roll-out sessions
    ACCEPTED = "accepted"  # action plans
    RETURNED = "returned"


class RolloutSession(db.Model):
    """A roll-out session a facilitator delivered; counts once a trainer confirms it."""

    __tablename__ = "rollout_sessions"
    __table_args__ = (
        sa.CheckConstraint("state IN ('submitted', 'confirmed', 'returned')", name="state"),
        # A form sent twice cannot record one session twice.
        sa.UniqueConstraint("facilitator_id", "held_on", "topic", name="uq_rollout_sessions_one"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    facilitator_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    # The facilitator's unit when they recorded it: the cascade's reach is counted by it.
    org_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_units.id"), index=True)
    held_on: Mapped[date] = mapped_column(sa.Date)
    place: Mapped[str] = mapped_column(sa.String(200))
    topic: Mapped[str] = mapped_column(sa.String(200))
    state: Mapped[str] = mapped_column(sa.String(16), default=ReviewState.SUBMITTED.value)
    submitted_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    facilitator: Mapped[User] = relationship()
    org_unit: Mapped[OrgUnit] = relationship()
    participants: Mapped[list[RolloutParticipant]] = relationship()
    reviews: Mapped[list[RolloutReview]] = relationship(order_by="RolloutReview.id")


class RolloutParticipant(db.Model):
    __tablename__ = "rollout_participants"

    rollout_id: Mapped[int] = mapped_column(sa.ForeignKey("rollout_sessions.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True, index=True)

    user: Mapped[User] = relationship()


class RolloutReview(db.Model):
    """A trainer's decision on a roll-out session: confirmed, or returned with a comment."""

    __tablename__ = "rollout_reviews"
    __table_args__ = (sa.CheckConstraint("decision IN ('confirmed', 'returned')", name="decision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rollout_id: Mapped[int] = mapped_column(sa.ForeignKey("rollout_sessions.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    decision: Mapped[str] = mapped_column(sa.String(16))
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    reviewed_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # What the trainer reviewed, as it was: a corrected session does not rewrite its history.
    held_on: Mapped[date] = mapped_column(sa.Date)
    place: Mapped[str] = mapped_column(sa.String(200))
    topic: Mapped[str] = mapped_column(sa.String(200))
    participant_ids: Mapped[list[int]] = mapped_column(sa.JSON)

    reviewer: Mapped[User] = relationship()


class ActionPlan(db.Model):
    """What a counsellor will change in their office after a workshop, and by when.

    A returned plan stays as it was; the revision is a new row with the next number.
    """

    __tablename__ = "action_plans"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "workshop_id", "number", name="uq_action_plans_number"),
        sa.CheckConstraint("state IN ('submitted', 'accepted', 'returned')", name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshops.id"), index=True)
    number: Mapped[int] = mapped_column(sa.Integer)
    changes: Mapped[str] = mapped_column(sa.Text)
    due_on: Mapped[date] = mapped_column(sa.Date)
    state: Mapped[str] = mapped_column(sa.String(16), default=ReviewState.SUBMITTED.value)
    submitted_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reviewer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    reviewed_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())
    review_comment: Mapped[str] = mapped_column(sa.Text, default="")

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    workshop: Mapped[Workshop] = relationship()
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id])


class Notice(db.Model):
    """An in-app notice; its text is written in the reader's language when shown."""

    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(32))
    params: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_dt: Mapped[datetime | None] = mapped_column(UTCDateTime())
