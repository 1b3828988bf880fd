"""Grading counselling simulations (trainers) and reading the result (the counsellor)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from lms.accounts.forms import ConfirmForm
from lms.accounts.models import User
from lms.curriculum.models import Scenario
from lms.extensions import db
from lms.logs import audit
from lms.training import cohorts
from lms.training.blueprint import bp
from lms.training.grading import (
    GradeInput,
    GradingRefused,
    final_grades,
    refusal_reason,
    role_for,
    rubric_snapshot,
    save_grade,
    simulation_for,
)
from lms.training.models import Grade, GradeRole, GradeState, Simulation
from lms.training.views_cohorts import get_cohort_or_404


def _grading_target(cohort_id: int, user_id: int, slug: str) -> tuple:
    """The cohort (trained by the current person), the member and the scenario, or 404/403."""
    cohort = get_cohort_or_404(cohort_id)
    if not cohorts.is_trainer(current_user, cohort.id):
        abort(403)
    member = db.session.get(User, user_id)
    if cohort.tier_number != 2 or member is None or not cohorts.is_member(member, cohort.id):
        abort(404)
    scenario = db.session.scalar(sa.select(Scenario).where(Scenario.slug == slug))
    # A retired scenario stays gradable where grading had begun, never for new simulations.
    if scenario is None or (
        scenario.is_retired and _existing(cohort.id, member.id, scenario) is None
    ):
        abort(404)
    return cohort, member, scenario


def _existing(cohort_id: int, user_id: int, scenario: Scenario) -> Simulation | None:
    return db.session.scalar(
        sa.select(Simulation).where(
            Simulation.cohort_id == cohort_id,
            Simulation.user_id == user_id,
            Simulation.scenario_id == scenario.id,
        )
    )


@bp.route(
    "/cohorts/<int:cohort_id>/members/<int:user_id>/simulations/<slug>", methods=["GET", "POST"]
)
@login_required
def grade(cohort_id: int, user_id: int, slug: str) -> str | Response:
    cohort, member, scenario = _grading_target(cohort_id, user_id, slug)
    simulation = _existing(cohort.id, member.id, scenario)
    form = ConfirmForm()
    problem = None
    rubric = simulation.rubric if simulation is not None else rubric_snapshot(scenario.rubric)
    if form.validate_on_submit():
        given = GradeInput(
            levels={c["id"]: request.form.get(f"level-{c['id']}", "") for c in rubric["criteria"]},
            comments={
                c["id"]: request.form.get(f"comment-{c['id']}", "")[:4000]
                for c in rubric["criteria"]
            },
            overall_comment=request.form.get("overall", "")[:8000],
            finalise=request.form.get("action") == "finalise",
            reason=request.form.get("reason", "")[:4000],
        )
        simulation = simulation or simulation_for(cohort.id, member.id, scenario)
        try:
            saved = save_grade(simulation, current_user, given)
        except GradingRefused as refusal:
            db.session.rollback()
            problem = str(refusal)
            simulation = _existing(cohort.id, member.id, scenario)
        else:
            db.session.commit()
            audit(
                "simulation graded",
                simulation=simulation.id,
                state=saved.state,
                role=saved.role,
            )
            flash(
                _("Grade finalised.") if saved.state == GradeState.FINAL else _("Draft saved."),
                "success",
            )
            return redirect(
                url_for("training.grade", cohort_id=cohort.id, user_id=member.id, slug=slug)
            )
    own = None
    others: list[Grade] = []
    role = None
    if simulation is not None:
        own = next((g for g in simulation.grades if g.grader_id == current_user.id), None)
        others = [g for g in simulation.grades if g.grader_id != current_user.id]
        role = role_for(simulation, current_user)
    else:
        role = GradeRole.GRADER
    # A refused form shows what the trainer sent, not what was saved before.
    shown = {
        "levels": own.levels if own else {},
        "comments": own.comments if own else {},
        "overall": own.overall_comment if own else "",
    }
    if problem:
        shown = {
            "levels": {
                c["id"]: request.form.get(f"level-{c['id']}", "") for c in rubric["criteria"]
            },
            "comments": {
                c["id"]: request.form.get(f"comment-{c['id']}", "") for c in rubric["criteria"]
            },
            "overall": request.form.get("overall", ""),
        }
    if simulation is not None:
        rubric = simulation.rubric
    # Independent grading: another trainer's grade shows once one's own is final, or to the
    # moderator; drafts never.
    sees_others = role == GradeRole.MODERATOR or (own is not None and own.state == "final")
    others = [g for g in others if g.state == "final"] if sees_others else []
    return render_template(
        "training/grade.html",
        cohort=cohort,
        member=member,
        scenario=scenario,
        rubric=rubric,
        simulation=simulation,
        sees_result=sees_others,
        refusal=refusal_reason(simulation) if simulation is not None and role is None else "",
        own=own,
        others=others,
        role=role,
        shown=shown,
        problem=problem,
        form=form,
    ), (422 if problem else 200)


@bp.get("/simulations/<int:simulation_id>")
@login_required
def simulation(simulation_id: int) -> str:
    """The counsellor's own simulation: the result and feedback once final, nothing before."""
    simulation = db.session.get(Simulation, simulation_id)
    if simulation is None or simulation.user_id != current_user.id:
        abort(404)
    return render_template(
        "training/simulation.html",
        simulation=simulation,
        scenario=simulation.scenario,
        rubric=simulation.rubric,
        grades=final_grades(simulation),
    )
