"""A person's own training record, their notices, and the labels every training page uses."""

from __future__ import annotations

import sqlalchemy as sa
from flask import redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from lms.accounts.forms import ConfirmForm
from lms.extensions import db
from lms.training import labels
from lms.training.blueprint import bp
from lms.training.models import (
    ActionPlan,
    Attendance,
    Cohort,
    CohortMember,
    RolloutParticipant,
    RolloutSession,
    Simulation,
    TrainingSession,
)
from lms.training.notices import mark_all_read, recent, unread_count, worded
from lms.training.rollouts import is_facilitator
from lms.training.timezones import local_time

bp.add_app_template_filter(local_time, "local_time")


@bp.app_context_processor
def _training_globals() -> dict:
    return {
        "ATTENDANCE_LABELS": labels.ATTENDANCE_LABELS,
        "SIMULATION_LABELS": labels.SIMULATION_LABELS,
        "GRADE_STATE_LABELS": labels.GRADE_STATE_LABELS,
        "GRADE_ROLE_LABELS": labels.GRADE_ROLE_LABELS,
        "REVIEW_LABELS": labels.REVIEW_LABELS,
        "REQUIREMENT_LABELS": labels.REQUIREMENT_LABELS,
        "TIER_TITLES": labels.TIER_TITLES,
        "unread_notices": _unread,
    }


def _unread() -> int:
    """Asked by the page header only when someone is signed in."""
    if not current_user.is_authenticated:
        return 0
    try:
        return unread_count(current_user.id)
    except sa.exc.SQLAlchemyError:  # an error page while the database is away
        db.session.rollback()
        return 0


@bp.get("/training")
@login_required
def my_training() -> str:
    """Everything the person did in Tiers 2 to 4, oldest facts kept: sessions with attendance,
    simulations, roll-outs delivered and attended, action plans."""
    user_id = current_user.id
    sessions = db.session.execute(
        sa.select(TrainingSession, Cohort, Attendance.status)
        .join(Cohort, Cohort.id == TrainingSession.cohort_id)
        .join(
            CohortMember,
            sa.and_(CohortMember.cohort_id == Cohort.id, CohortMember.user_id == user_id),
        )
        .outerjoin(
            Attendance,
            sa.and_(Attendance.session_id == TrainingSession.id, Attendance.user_id == user_id),
        )
        .options(sa.orm.joinedload(TrainingSession.workshop))
        .order_by(TrainingSession.starts_dt)
    ).all()
    simulations = list(
        db.session.scalars(
            sa.select(Simulation)
            .where(Simulation.user_id == user_id)
            .options(sa.orm.joinedload(Simulation.scenario))
            .order_by(Simulation.id)
        )
    )
    delivered = list(
        db.session.scalars(
            sa.select(RolloutSession)
            .where(RolloutSession.facilitator_id == user_id)
            .order_by(RolloutSession.held_on.desc())
        )
    )
    attended = list(
        db.session.scalars(
            sa.select(RolloutSession)
            .join(RolloutParticipant, RolloutParticipant.rollout_id == RolloutSession.id)
            .where(RolloutParticipant.user_id == user_id)
            .options(sa.orm.joinedload(RolloutSession.facilitator))
            .order_by(RolloutSession.held_on.desc())
        )
    )
    plans = list(
        db.session.scalars(
            sa.select(ActionPlan)
            .where(ActionPlan.user_id == user_id)
            .options(sa.orm.joinedload(ActionPlan.workshop))
            .order_by(ActionPlan.submitted_dt.desc())
        )
    )
    return render_template(
        "training/my_training.html",
        sessions=sessions,
        simulations=simulations,
        delivered=delivered,
        attended=attended,
        plans=plans,
        facilitator=is_facilitator(current_user),
    )


@bp.get("/notices")
@login_required
def notices() -> str:
    found = recent(current_user.id)
    return render_template(
        "training/notices.html",
        notices=[(notice, worded(notice)) for notice in found],
        form=ConfirmForm(),
    )


@bp.post("/notices/read")
@login_required
def read_notices() -> Response:
    if ConfirmForm().validate_on_submit():
        mark_all_read(current_user.id)
        db.session.commit()
    return redirect(url_for("training.notices"))
