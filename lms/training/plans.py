"""Tier 4: workshops attended, and the action plans counsellors write after them."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts.models import Role, User, utcnow
from lms.accounts.units import subtree_ids
from lms.curriculum.models import Workshop
from lms.database import insert_or_ignore
from lms.extensions import db
from lms.training.models import (
    ATTENDED,
    ActionPlan,
    Attendance,
    ReviewState,
    TrainingSession,
)
from lms.training.notices import notify


class PlanRefused(Exception):
    """Why an action plan cannot be submitted or reviewed, in words for the person."""


def attended(user: User, workshop: Workshop) -> bool:
    return (
        db.session.scalar(
            sa.select(Attendance.id)
            .join(TrainingSession, TrainingSession.id == Attendance.session_id)
            .where(
                Attendance.user_id == user.id,
                Attendance.status.in_(ATTENDED),
                TrainingSession.workshop_id == workshop.id,
                TrainingSession.is_cancelled.is_(False),
            )
            .limit(1)
        )
        is not None
    )


def plans(user_id: int, workshop_id: int) -> list[ActionPlan]:
    """Every plan the counsellor wrote for this workshop, newest first."""
    return list(
        db.session.scalars(
            sa.select(ActionPlan)
            .where(ActionPlan.user_id == user_id, ActionPlan.workshop_id == workshop_id)
            .order_by(ActionPlan.number.desc())
        )
    )


def submit(user: User, workshop: Workshop, *, changes: str, due_on: date) -> ActionPlan:
    """Submit a plan, or its revision after it was returned.

    A plan awaiting review or already accepted cannot be replaced; a double-sent form finds
    the plan it submitted a moment ago and is refused, not duplicated.
    """
    if not attended(user, workshop):
        raise PlanRefused(_("You can write an action plan after attending this workshop."))
    if not changes.strip():
        raise PlanRefused(_("Describe what you will change."))
    if due_on < date.today():
        raise PlanRefused(_("Choose a date from today on."))
    latest = next(iter(plans(user.id, workshop.id)), None)
    if latest is not None and latest.state != ReviewState.RETURNED:
        raise PlanRefused(_("Your plan for this workshop is already submitted."))
    number = latest.number + 1 if latest else 1
    created = insert_or_ignore(
        ActionPlan,
        user_id=user.id,
        workshop_id=workshop.id,
        number=number,
        changes=changes.strip(),
        due_on=due_on,
        state=ReviewState.SUBMITTED.value,
        submitted_dt=utcnow(),
        review_comment="",
    )
    if created is None:
        raise PlanRefused(_("Your plan for this workshop is already submitted."))
    return db.session.get(ActionPlan, created)


def may_review(trainer: User, plan: ActionPlan) -> bool:
    """Trainers review the plans of counsellors in their unit and below."""
    return trainer.role == Role.TRAINER and trainer.org_unit.contains(plan.user.org_unit)


def review(trainer: User, plan: ActionPlan, *, accept: bool, comment: str) -> bool:
    """Accept a submitted plan, or return it for revision with a comment.

    :return: False when it was already reviewed.
    """
    if not accept and not comment.strip():
        raise PlanRefused(_("Say what needs changing when you return a plan."))
    decision = ReviewState.ACCEPTED if accept else ReviewState.RETURNED
    changed = db.session.execute(
        sa.update(ActionPlan)
        .where(ActionPlan.id == plan.id, ActionPlan.state == ReviewState.SUBMITTED.value)
        .values(
            state=decision.value,
            reviewer_id=trainer.id,
            reviewed_dt=utcnow(),
            review_comment=comment.strip(),
        )
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        return False
    db.session.refresh(plan)
    slug = plan.workshop.slug
    notify(plan.user_id, "plan_accepted" if accept else "plan_returned", workshop=slug)
    if accept:
        from lms.training.standing import record_completions

        record_completions(plan.user)
    return True


def pending_for(trainer: User) -> sa.Select:
    return (
        sa.select(ActionPlan)
        .join(User, User.id == ActionPlan.user_id)
        .where(
            ActionPlan.state == ReviewState.SUBMITTED.value,
            User.org_unit_id.in_(subtree_ids(trainer.org_unit)),
        )
        .options(sa.orm.joinedload(ActionPlan.user), sa.orm.joinedload(ActionPlan.workshop))
        .order_by(ActionPlan.submitted_dt)
    )
