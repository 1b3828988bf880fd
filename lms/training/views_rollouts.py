"""Tier 3: facilitators record roll-out sessions, trainers review them, and the cascade."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from lms.accounts.auth import get_user_in_scope_or_404, roles_required
from lms.accounts.forms import ConfirmForm
from lms.accounts.models import Role, User
from lms.accounts.units import subtree_ids
from lms.extensions import db
from lms.learning.models import TierCompletion
from lms.logs import audit
from lms.training import rollouts
from lms.training.blueprint import bp
from lms.training.forms import ReviewForm, RolloutForm, translate_parse_errors
from lms.training.models import Facilitator, RolloutParticipant, RolloutReview, RolloutSession

MAX_CHOICES = 300  # colleagues listed on the form; beyond this, narrow by unit


def get_rollout_or_404(rollout_id: int) -> RolloutSession:
    """Seen by its facilitator and by the trainers who may review it; nobody else."""
    rollout = db.session.scalar(
        sa.select(RolloutSession)
        .where(RolloutSession.id == rollout_id)
        .options(
            sa.orm.selectinload(RolloutSession.participants).joinedload(RolloutParticipant.user),
            sa.orm.selectinload(RolloutSession.reviews).joinedload(RolloutReview.reviewer),
        )
    )
    if rollout is None or not (
        rollout.facilitator_id == current_user.id or rollouts.may_review(current_user, rollout)
    ):
        abort(404)
    return rollout


def _rollout_form(obj: RolloutSession | None = None) -> RolloutForm:
    form = RolloutForm(obj=obj)
    if obj is not None and request.method == "GET":
        form.participants.data = [p.user_id for p in obj.participants]
    people = list(db.session.scalars(rollouts.colleagues(current_user).limit(MAX_CHOICES)))
    # Whoever is chosen already stays a choice, even beyond the first names listed.
    chosen = set(form.participants.data or []) - {p.id for p in people}
    if chosen:
        people += db.session.scalars(
            rollouts.colleagues(current_user).where(User.id.in_(chosen))
        ).all()
    form.participants.choices = [
        SelectChoice(p.id, f"{p.display_name} ({p.email})") for p in people
    ]
    return form


@bp.get("/rollouts", endpoint="rollouts")
@login_required
def rollouts_page() -> str:
    mine = list(
        db.session.scalars(
            sa.select(RolloutSession)
            .where(RolloutSession.facilitator_id == current_user.id)
            .order_by(RolloutSession.held_on.desc())
        )
    )
    pending = (
        list(
            db.session.scalars(
                rollouts.pending_for(current_user).options(
                    sa.orm.joinedload(RolloutSession.facilitator)
                )
            )
        )
        if current_user.role == Role.TRAINER
        else []
    )
    return render_template(
        "training/rollouts.html",
        mine=mine,
        pending=pending,
        facilitator=rollouts.is_facilitator(current_user),
    )


@bp.route("/rollouts/new", methods=["GET", "POST"])
@login_required
def new_rollout() -> str | Response:
    if not rollouts.is_facilitator(current_user):
        abort(403)
    return _rollout_form_page(None)


def _rollout_form_page(rollout: RolloutSession | None) -> tuple[str, int] | Response:
    """Record a new roll-out session, or correct a returned one and send it again."""
    form = _rollout_form(rollout)
    problem = None
    if form.validate_on_submit():
        try:
            if rollout is None:
                rollout = rollouts.record(current_user, _input(form))
                event, message = (
                    "rollout recorded",
                    _("Roll-out session recorded: a trainer will confirm it."),
                )
            else:
                rollouts.resubmit(rollout, current_user, _input(form))
                event, message = "rollout resubmitted", _("Sent back to the trainer.")
        except rollouts.RolloutRefused as refusal:
            db.session.rollback()
            problem = str(refusal)
        else:
            db.session.commit()
            audit(event, rollout=rollout.id)
            flash(message, "success")
            _show_invitations(rollout)
            return redirect(url_for("training.rollout", rollout_id=rollout.id))
    translate_parse_errors(form)
    status = 422 if problem or form.errors else 200
    return render_template(
        "training/rollout_form.html", form=form, problem=problem, rollout=rollout
    ), status


def _input(form: RolloutForm) -> rollouts.RolloutInput:
    newcomers, problems = rollouts.parse_newcomers(form.newcomers.data or "")
    by_email, unknown = rollouts.colleagues_by_email(
        current_user, form.other_participants.data or ""
    )
    problems += [
        _("%(email)s is not a counsellor among your colleagues.", email=e) for e in unknown
    ]
    if problems:
        raise rollouts.RolloutRefused(" ".join(problems))
    return rollouts.RolloutInput(
        held_on=form.held_on.data,
        place=form.place.data,
        topic=form.topic.data,
        participant_ids=list(form.participants.data or []) + by_email,
        newcomers=newcomers,
    )


def _show_invitations(rollout: RolloutSession) -> None:
    for person, link in getattr(rollout, "invitations", []):
        audit("rollout colleague invited", user=person.id, rollout=rollout.id)
        flash(
            _(
                "%(name)s now has an account. Pass on this invitation link (it works once): "
                "%(link)s",
                name=person.display_name,
                link=link,
            ),
            "info",
        )


@bp.route("/rollouts/<int:rollout_id>/edit", methods=["GET", "POST"])
@login_required
def edit_rollout(rollout_id: int) -> tuple[str, int] | Response:
    rollout = get_rollout_or_404(rollout_id)
    if rollout.facilitator_id != current_user.id:
        abort(403)
    return _rollout_form_page(rollout)


@bp.get("/rollouts/<int:rollout_id>")
@login_required
def rollout(rollout_id: int) -> str:
    rollout = get_rollout_or_404(rollout_id)
    return render_template(
        "training/rollout.html",
        rollout=rollout,
        form=ReviewForm(),
        may_review=rollouts.may_review(current_user, rollout),
    )


@bp.post("/rollouts/<int:rollout_id>/review")
@login_required
def review_rollout(rollout_id: int) -> str | Response:
    rollout = get_rollout_or_404(rollout_id)
    if not rollouts.may_review(current_user, rollout):
        abort(403)
    form = ReviewForm()
    if form.validate_on_submit():
        confirm = request.form.get("decision") == "confirm"
        try:
            done = rollouts.review(
                current_user, rollout, confirm=confirm, comment=form.comment.data or ""
            )
        except rollouts.RolloutRefused as refusal:
            db.session.rollback()
            form.comment.errors = [str(refusal)]
        else:
            db.session.commit()
            if done:
                audit("rollout reviewed", rollout=rollout.id, confirmed=confirm)
                flash(
                    _("Roll-out session confirmed.")
                    if confirm
                    else _("Returned with your comment."),
                    "success",
                )
            else:
                flash(_("This session was already reviewed."), "info")
            return redirect(url_for("training.rollout", rollout_id=rollout.id))
    return render_template(
        "training/rollout.html", rollout=rollout, form=form, may_review=True
    ), 422


@bp.get("/cascade")
@login_required
def cascade() -> str:
    reached = rollouts.cascade(current_user)
    depths: dict[int, list] = {}
    for person in reached:
        depths.setdefault(person.depth, []).append(person)
    return render_template("training/cascade.html", depths=depths, total=len(reached))


@bp.get("/admin/cascade")
@roles_required(Role.ADMIN)
def cascade_reach() -> str:
    return render_template("training/reach.html", reach=rollouts.reach_by_unit(current_user))


@bp.get("/admin/facilitators")
@roles_required(Role.ADMIN)
def facilitators() -> str:
    """Counsellors in scope who completed Tier 2: facilitators already, or ready to be."""
    page = db.paginate(
        sa.select(User)
        .join(
            TierCompletion,
            sa.and_(TierCompletion.user_id == User.id, TierCompletion.tier_number == 2),
        )
        .where(
            User.org_unit_id.in_(subtree_ids(current_user.org_unit)),
            User.role == Role.COUNSELLOR.value,
        )
        .options(sa.orm.joinedload(User.org_unit))
        .order_by(User.display_name, User.id),
        per_page=50,
        count=True,
    )
    appointed = dict(
        db.session.execute(
            sa.select(Facilitator.user_id, Facilitator.appointed_dt).where(
                Facilitator.user_id.in_([u.id for u in page.items])
            )
        ).all()
    )
    return render_template(
        "training/facilitators.html", page=page, appointed=appointed, form=ConfirmForm()
    )


@bp.post("/admin/facilitators/<int:user_id>")
@roles_required(Role.ADMIN)
def appoint_facilitator(user_id: int) -> Response:
    user = get_user_in_scope_or_404(user_id)
    if ConfirmForm().validate_on_submit():
        try:
            new = rollouts.appoint(current_user, user)
        except rollouts.RolloutRefused as refusal:
            db.session.rollback()
            flash(str(refusal), "error")
        else:
            db.session.commit()
            if new:
                audit("facilitator appointed", user=user.id)
            flash(_("%(name)s is a facilitator.", name=user.display_name), "success")
    return redirect(url_for("training.facilitators"))
