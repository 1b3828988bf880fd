"""Cohorts: admins create them and add people and sessions; trainers mark attendance."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from lms.accounts.auth import roles_required
from lms.accounts.forms import ConfirmForm
from lms.accounts.models import Role
from lms.accounts.units import units_in_scope
from lms.curriculum.models import Scenario, Workshop
from lms.extensions import db
from lms.logs import audit
from lms.templating import course_text, unit_label
from lms.training import attendance, cohorts
from lms.training.blueprint import bp
from lms.training.forms import AddPeopleForm, CohortForm, SessionForm, translate_parse_errors
from lms.training.models import (
    AttendanceStatus,
    Cohort,
    Simulation,
    TrainingSession,
)
from lms.training.standing import record_completions
from lms.training.timezones import to_utc, zone_choices, zone_for


def get_cohort_or_404(cohort_id: int) -> Cohort:
    """A cohort the current person may see; any other does not exist for them."""
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or not cohorts.may_view(current_user, cohort):
        abort(404)
    return cohort


def get_managed_cohort(cohort_id: int) -> Cohort:
    cohort = get_cohort_or_404(cohort_id)
    if not cohorts.may_manage(current_user, cohort):
        abort(403)
    return cohort


def get_trained_session(session_id: int) -> TrainingSession:
    """A session of a cohort the current person trains (others: 404, or 403 if they see it)."""
    session = db.session.get(TrainingSession, session_id)
    if session is None:
        abort(404)
    get_cohort_or_404(session.cohort_id)
    if not cohorts.is_trainer(current_user, session.cohort_id):
        abort(403)
    return session


@bp.get("/cohorts")
@login_required
def cohort_list() -> str:
    page = db.paginate(
        cohorts.cohorts_query(current_user).options(sa.orm.joinedload(Cohort.org_unit)),
        per_page=25,
    )
    return render_template("training/cohorts.html", page=page)


def _cohort_form() -> CohortForm:
    form = CohortForm()
    base = current_user.org_unit.depth
    form.org_unit.choices = [
        SelectChoice(unit.id, "\u2003" * (unit.depth - base) + unit_label(unit))
        for unit in units_in_scope(current_user.org_unit)
    ]
    form.timezone.choices = zone_choices()
    if not form.is_submitted():
        form.timezone.data = zone_for(current_user.org_unit)
    return form


@bp.route("/cohorts/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new_cohort() -> str | Response:
    form = _cohort_form()
    if form.validate_on_submit():
        unit = next(u for u in units_in_scope(current_user.org_unit) if u.id == form.org_unit.data)
        cohort = cohorts.create_cohort(
            current_user,
            tier=form.tier.data,
            name=form.name.data,
            unit=unit,
            place=form.place.data or "",
            starts_on=form.starts_on.data,
            ends_on=form.ends_on.data,
            timezone=form.timezone.data,
        )
        if cohort is not None:
            db.session.commit()
            audit("cohort created", cohort=cohort.id, unit=unit.code)
            flash(_("Cohort created. Now add its trainers, counsellors and sessions."), "success")
            return redirect(url_for("training.cohort", cohort_id=cohort.id))
        db.session.rollback()
        form.name.errors = [_("This unit already has a cohort of this tier with this name.")]
    translate_parse_errors(form)
    status = 422 if form.is_submitted() else 200
    return render_template("training/cohort_form.html", form=form), status


def _session_form(cohort: Cohort) -> SessionForm:
    form = SessionForm(prefix="session")
    if cohort.tier_number == 4:
        form.workshop.choices = [
            SelectChoice(w.id, course_text(w.title).striptags())
            for w in db.session.scalars(
                sa.select(Workshop)
                .where(Workshop.is_retired.is_(False))
                .order_by(Workshop.position)
            )
        ]
    else:
        del form.workshop
    return form


@bp.get("/cohorts/<int:cohort_id>")
@login_required
def cohort(cohort_id: int) -> str:
    cohort = get_cohort_or_404(cohort_id)
    return _render_cohort(cohort)


def _render_cohort(
    cohort: Cohort,
    *,
    members_form: AddPeopleForm | None = None,
    trainers_form: AddPeopleForm | None = None,
    session_form: SessionForm | None = None,
) -> str:
    manages = cohorts.may_manage(current_user, cohort)
    trains = cohorts.is_trainer(current_user, cohort.id)
    members = cohorts.members(cohort.id)
    scenarios, simulations = [], {}
    if cohort.tier_number == 2 and (trains or manages):
        scenarios = list(
            db.session.scalars(
                sa.select(Scenario)
                .where(Scenario.is_retired.is_(False))
                .order_by(Scenario.position)
            )
        )
        simulations = {
            (s.user_id, s.scenario_id): s
            for s in db.session.scalars(
                sa.select(Simulation).where(Simulation.cohort_id == cohort.id)
            )
        }
    sessions = list(
        db.session.scalars(
            sa.select(TrainingSession)
            .where(TrainingSession.cohort_id == cohort.id)
            .options(sa.orm.selectinload(TrainingSession.workshop))
            .order_by(TrainingSession.starts_dt)
        )
    )
    return render_template(
        "training/cohort.html",
        cohort=cohort,
        sessions=sessions,
        manages=manages,
        trains=trains,
        members=members if (manages or trains) else [],
        trainers=cohorts.trainers(cohort.id),
        scenarios=scenarios,
        simulations=simulations,
        members_form=members_form or AddPeopleForm(prefix="members"),
        trainers_form=trainers_form or AddPeopleForm(prefix="trainers"),
        session_form=session_form or _session_form(cohort),
        remove_form=ConfirmForm(),
    )


@bp.post("/cohorts/<int:cohort_id>/members")
@login_required
def add_members(cohort_id: int) -> str | Response:
    return _add_people(cohort_id, Role.COUNSELLOR, "members")


@bp.post("/cohorts/<int:cohort_id>/trainers")
@login_required
def add_trainers(cohort_id: int) -> str | Response:
    return _add_people(cohort_id, Role.TRAINER, "trainers")


def _add_people(cohort_id: int, role: Role, prefix: str) -> str | Response:
    cohort = get_managed_cohort(cohort_id)
    form = AddPeopleForm(prefix=prefix)
    if form.validate_on_submit():
        result = cohorts.add_people(current_user, cohort, form.emails.data, role)
        if not result.problems:
            db.session.commit()
            audit(f"cohort {prefix} added", cohort=cohort.id, count=len(result.added))
            if role == Role.COUNSELLOR:
                for person in result.added:
                    record_completions(person)
                db.session.commit()
            flash(
                _(
                    "Added %(added)d; %(already)d were already in the cohort.",
                    added=len(result.added),
                    already=len(result.already),
                ),
                "success",
            )
            return redirect(url_for("training.cohort", cohort_id=cohort.id))
        db.session.rollback()
        form.emails.errors = list(result.problems)
    kwargs = {"members_form" if prefix == "members" else "trainers_form": form}
    return _render_cohort(cohort, **kwargs), 422


@bp.post("/cohorts/<int:cohort_id>/trainers/<int:user_id>/remove")
@login_required
def remove_trainer(cohort_id: int, user_id: int) -> Response:
    cohort = get_managed_cohort(cohort_id)
    if ConfirmForm().validate_on_submit():
        cohorts.remove_trainer(cohort, user_id)
        db.session.commit()
        audit("cohort trainer removed", cohort=cohort.id, trainer=user_id)
        flash(_("The trainer was removed from the cohort; their marks and grades stay."), "success")
    return redirect(url_for("training.cohort", cohort_id=cohort.id))


@bp.post("/cohorts/<int:cohort_id>/sessions")
@login_required
def add_session(cohort_id: int) -> str | Response:
    cohort = get_managed_cohort(cohort_id)
    form = _session_form(cohort)
    if form.validate_on_submit():
        workshop_id = form.workshop.data if cohort.tier_number == 4 else None
        session = cohorts.add_session(
            cohort,
            title=form.title.data,
            starts_dt=to_utc(form.day.data, form.time.data, cohort.timezone),
            minutes=form.minutes.data,
            place=form.place.data or cohort.place,
            workshop_id=workshop_id,
        )
        db.session.commit()
        if session is None:
            flash(_("This session is scheduled already."), "info")
        else:
            audit("session added", cohort=cohort.id, session=session.id)
            flash(_("Session added."), "success")
        return redirect(url_for("training.cohort", cohort_id=cohort.id))
    translate_parse_errors(form)
    return _render_cohort(cohort, session_form=form), 422


@bp.post("/sessions/<int:session_id>/cancel")
@login_required
def cancel_session(session_id: int) -> Response:
    """Cancel a session (or restore it): it stays listed, and counts for nobody's attendance."""
    session = db.session.get(TrainingSession, session_id) or abort(404)
    get_managed_cohort(session.cohort_id)
    if ConfirmForm().validate_on_submit():
        cancelled = request.form.get("cancelled") == "1"
        cohorts.set_cancelled(session, cancelled)
        db.session.flush()
        for member in cohorts.members(session.cohort_id):
            record_completions(member)
        db.session.commit()
        audit("session cancelled" if cancelled else "session restored", session=session.id)
        flash(
            _("The session is cancelled: it no longer counts for attendance.")
            if cancelled
            else _("The session is restored."),
            "success",
        )
    return redirect(url_for("training.cohort", cohort_id=session.cohort_id))


@bp.route("/sessions/<int:session_id>/attendance", methods=["GET", "POST"])
@login_required
def session_attendance(session_id: int) -> str | Response:
    session = get_trained_session(session_id)
    members = cohorts.members(session.cohort_id)
    form = ConfirmForm()
    if form.validate_on_submit() and not session.is_cancelled:
        # Only what the trainer changed on the page is written; what it showed is compared
        # with the database, so another trainer's correction meanwhile is not overwritten.
        shown = {m.id: request.form.get(f"shown-{m.id}", "") for m in members}
        given = {
            m.id: request.form[f"status-{m.id}"]
            for m in members
            if request.form.get(f"status-{m.id}", "") not in ("", shown[m.id])
        }
        result = attendance.mark(session, current_user, given, shown)
        db.session.flush()
        for member in members:
            if member.id in result.changed:
                record_completions(member)
        db.session.commit()
        audit("attendance marked", session=session.id, changed=len(result.changed))
        flash(_changes(len(result.changed)), "success")
        if result.conflicts:
            names = ", ".join(m.display_name for m in members if m.id in result.conflicts)
            flash(
                _(
                    "Another trainer changed these marks while you were marking, so yours "
                    "were not saved: %(names)s. Check them below and save again.",
                    names=names,
                ),
                "error",
            )
        return redirect(url_for("training.session_attendance", session_id=session.id))
    return render_template(
        "training/attendance.html",
        session=session,
        members=members,
        marks=attendance.marks(session.id),
        history=attendance.history(session.id),
        form=form,
        statuses=list(AttendanceStatus),
    )


def _changes(changed: int) -> str:
    if not changed:
        return _("Attendance saved: nothing changed.")
    return ngettext(
        "Attendance saved: %(num)d mark changed.",
        "Attendance saved: %(num)d marks changed.",
        changed,
    )


@bp.get("/cohorts/<int:cohort_id>/progress")
@login_required
def cohort_progress(cohort_id: int) -> str:
    """The cohort's counsellors against the tier's requirements (its trainers and admins)."""
    from lms.training.matrix import cohort_matrix

    cohort = get_cohort_or_404(cohort_id)
    if not (
        cohorts.is_trainer(current_user, cohort.id) or cohorts.may_manage(current_user, cohort)
    ):
        abort(403)
    keys, rows = cohort_matrix(cohort)
    return render_template("training/cohort_progress.html", cohort=cohort, keys=keys, rows=rows)
