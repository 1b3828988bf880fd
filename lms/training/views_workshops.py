"""Tier 4: the workshop catalogue, action plans, and their review by trainers."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from lms.accounts.models import Role
from lms.curriculum.models import Workshop
from lms.extensions import db
from lms.logs import audit
from lms.training import plans
from lms.training.blueprint import bp
from lms.training.forms import ActionPlanForm, ReviewForm, translate_parse_errors
from lms.training.models import ActionPlan, Cohort, CohortMember, TrainingSession


def get_workshop_or_404(slug: str) -> Workshop:
    """A workshop of the catalogue; a retired one still shows, for the plans written on it."""
    workshop = db.session.scalar(sa.select(Workshop).where(Workshop.slug == slug))
    if workshop is None:
        abort(404)
    return workshop


@bp.get("/workshops")
@login_required
def workshops() -> str:
    found = list(
        db.session.scalars(
            sa.select(Workshop).where(Workshop.is_retired.is_(False)).order_by(Workshop.position)
        )
    )
    return render_template("training/workshops.html", workshops=found)


@bp.route("/workshops/<slug>", methods=["GET", "POST"])
@login_required
def workshop(slug: str) -> str | Response:
    workshop = get_workshop_or_404(slug)
    form = ActionPlanForm()
    problem = None
    if request.method == "POST":
        if current_user.role != Role.COUNSELLOR:
            abort(403)
        if form.validate_on_submit():
            try:
                plan = plans.submit(
                    current_user, workshop, changes=form.changes.data, due_on=form.due_on.data
                )
            except plans.PlanRefused as refusal:
                db.session.rollback()
                problem = str(refusal)
            else:
                db.session.commit()
                audit("action plan submitted", plan=plan.id)
                flash(_("Action plan submitted: a trainer will review it."), "success")
                return redirect(url_for("training.workshop", slug=workshop.slug))
        translate_parse_errors(form)
    history = plans.plans(current_user.id, workshop.id)
    upcoming = db.session.execute(
        sa.select(TrainingSession, Cohort)
        .join(Cohort, Cohort.id == TrainingSession.cohort_id)
        .join(
            CohortMember,
            sa.and_(CohortMember.cohort_id == Cohort.id, CohortMember.user_id == current_user.id),
        )
        .where(TrainingSession.workshop_id == workshop.id)
        .order_by(TrainingSession.starts_dt)
    ).all()
    latest = history[0] if history else None
    may_write = (
        current_user.role == Role.COUNSELLOR
        and plans.attended(current_user, workshop)
        and (latest is None or latest.state == "returned")
    )
    return render_template(
        "training/workshop.html",
        workshop=workshop,
        history=history,
        sessions=upcoming,
        form=form,
        problem=problem,
        may_write=may_write,
    ), (422 if problem or form.errors else 200)


def get_plan_for_review(plan_id: int) -> ActionPlan:
    plan = db.session.get(ActionPlan, plan_id)
    if plan is None or not plans.may_review(current_user, plan):
        abort(404)
    return plan


@bp.get("/action-plans")
@login_required
def action_plans() -> str:
    if current_user.role != Role.TRAINER:
        abort(403)
    pending = list(db.session.scalars(plans.pending_for(current_user)))
    return render_template("training/plans_review.html", pending=pending, form=ReviewForm())


@bp.post("/action-plans/<int:plan_id>/review")
@login_required
def review_plan(plan_id: int) -> Response:
    if current_user.role != Role.TRAINER:
        abort(403)
    plan = get_plan_for_review(plan_id)
    form = ReviewForm()
    if form.validate_on_submit():
        accept = request.form.get("decision") == "accept"
        try:
            done = plans.review(current_user, plan, accept=accept, comment=form.comment.data or "")
        except plans.PlanRefused as refusal:
            db.session.rollback()
            flash(str(refusal), "error")
        else:
            db.session.commit()
            if done:
                audit("action plan reviewed", plan=plan.id, accepted=accept)
                flash(
                    _("Plan accepted.") if accept else _("Plan returned for revision."), "success"
                )
            else:
                flash(_("This plan was already reviewed."), "info")
    return redirect(url_for("training.action_plans"))
