"""Grading counselling simulations against their rubric: drafts, finals, a second grader,
moderation, and changes to a final grade that keep the earlier one.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts.models import User, utcnow
from lms.curriculum.models import Rubric, Scenario
from lms.database import insert_or_ignore
from lms.extensions import db
from lms.training.models import (
    Grade,
    GradeRevision,
    GradeRole,
    GradeState,
    Simulation,
    SimulationState,
)
from lms.training.notices import notify
from lms.training.rules import outcome, score


class GradingRefused(Exception):
    """Why a grade cannot be saved, in words for the trainer."""


@dataclass(frozen=True)
class GradeInput:
    levels: dict[str, str]  # criterion id -> level id (may be partial in a draft)
    comments: dict[str, str]
    overall_comment: str
    finalise: bool
    reason: str = ""  # required to change a final grade


def rubric_snapshot(rubric: Rubric) -> dict:
    """The rubric as plain values, kept with a simulation when its grading begins."""
    return {
        "slug": rubric.slug,
        "title": rubric.title,
        "pass_percent": rubric.pass_percent,
        "no_lowest_level": rubric.no_lowest_level,
        "moderation_threshold": rubric.moderation_threshold,
        "levels": rubric.levels,
        "criteria": rubric.criteria,
    }


def simulation_for(cohort_id: int, user_id: int, scenario: Scenario) -> Simulation:
    """The simulation of this counsellor on this scenario in this cohort, created once, with
    the rubric as it is now."""
    insert_or_ignore(
        Simulation,
        cohort_id=cohort_id,
        user_id=user_id,
        scenario_id=scenario.id,
        rubric=rubric_snapshot(scenario.rubric),
        state=SimulationState.OPEN.value,
        version=0,
    )
    return db.session.scalar(
        sa.select(Simulation).where(
            Simulation.cohort_id == cohort_id,
            Simulation.user_id == user_id,
            Simulation.scenario_id == scenario.id,
        )
    )


def _claim(simulation: Simulation) -> None:
    """Lock the simulation for this transaction (a write first: on SQLite it takes the write
    lock, on PostgreSQL the row lock), so grades of it are saved one after the other."""
    db.session.execute(
        sa.update(Simulation)
        .where(Simulation.id == simulation.id)
        .values(version=Simulation.version + 1)
        .execution_options(synchronize_session=False)
    )
    # What another trainer committed while this one waited must be read afresh.
    db.session.expire_all()


def role_for(simulation: Simulation, grader: User) -> GradeRole | None:
    """The part this trainer may take: their own grade's, a free grader's place, or the
    moderator's when the two graders disagree. None: nothing left for them to do."""
    own = next((g for g in simulation.grades if g.grader_id == grader.id), None)
    if own is not None:
        return GradeRole(own.role)
    graders = [g for g in simulation.grades if g.role == GradeRole.GRADER]
    if len(graders) < 2 and not _moderated(simulation):
        return GradeRole.GRADER
    has_moderator = any(g.role == GradeRole.MODERATOR for g in simulation.grades)
    if simulation.state == SimulationState.MODERATION and not has_moderator:
        return GradeRole.MODERATOR
    return None


def save_grade(simulation: Simulation, grader: User, given: GradeInput) -> Grade:
    """Save a trainer's grade (draft or final) and recompute the simulation's result.

    :raises GradingRefused: with the reason, when the grade cannot be saved as asked.
    """
    _claim(simulation)
    rubric = simulation.rubric
    criteria = {c["id"] for c in rubric["criteria"]}
    level_ids = {level["id"] for level in rubric["levels"]}
    levels = {c: lv for c, lv in given.levels.items() if c in criteria and lv in level_ids}
    comments = {c: text.strip() for c, text in given.comments.items() if c in criteria}
    comments = {c: text for c, text in comments.items() if text}
    result = score(
        rubric["levels"],
        rubric["criteria"],
        levels,
        pass_percent=rubric["pass_percent"],
        no_lowest_level=rubric["no_lowest_level"],
    )
    role = role_for(simulation, grader)
    if role is None:
        raise GradingRefused(refusal_reason(simulation))
    grade = next((g for g in simulation.grades if g.grader_id == grader.id), None)
    if role == GradeRole.MODERATOR and grade is None and simulation.state != "moderation":
        raise GradingRefused(_("This simulation does not need moderation."))
    if role == GradeRole.GRADER and _moderated(simulation):
        raise GradingRefused(_("The moderator's grade decided this simulation."))
    was_final = grade is not None and grade.state == GradeState.FINAL
    overall = given.overall_comment.strip()
    if was_final and (grade.levels, grade.comments, grade.overall_comment) == (
        levels,
        comments,
        overall,
    ):
        return grade  # the same final grade sent again: nothing to change
    if given.finalise or was_final:
        if result is None:
            raise GradingRefused(_("Choose a level for every criterion before finalising."))
    if was_final and not given.reason.strip():
        raise GradingRefused(_("Give a reason for changing a final grade."))
    now = utcnow()
    if grade is None:
        grade = Grade(simulation_id=simulation.id, grader_id=grader.id, role=role.value)
        db.session.add(grade)
    elif was_final:
        db.session.add(
            GradeRevision(
                grade_id=grade.id,
                levels=grade.levels,
                comments=grade.comments,
                overall_comment=grade.overall_comment,
                percent=grade.percent,
                passed=grade.passed,
                finalised_dt=grade.finalised_dt,
                reason=given.reason.strip(),
                changed_by_id=grader.id,
                changed_dt=now,
            )
        )
    grade.levels, grade.comments = levels, comments
    grade.overall_comment = overall
    grade.percent = result.percent if result else None
    grade.passed = result.passed if result else None
    grade.updated_dt = now
    if given.finalise or was_final:
        grade.state = GradeState.FINAL.value
        grade.finalised_dt = now
    db.session.flush()
    db.session.expire(simulation, ["grades"])
    _settle(simulation)
    return grade


def refusal_reason(simulation: Simulation) -> str:
    if _moderated(simulation):
        return _("The moderator's grade decided this simulation.")
    return _("Two trainers have graded this simulation already.")


def _moderated(simulation: Simulation) -> bool:
    return any(
        g.role == GradeRole.MODERATOR and g.state == GradeState.FINAL for g in simulation.grades
    )


def _settle(simulation: Simulation) -> None:
    """Set the simulation's result from its grades; tell the counsellor when it is new, and the
    cohort's other trainers when it needs a moderator."""
    grades = simulation.grades
    found = outcome(
        [(g.state, g.percent, g.passed) for g in grades if g.role == GradeRole.GRADER],
        next(
            ((g.state, g.percent, g.passed) for g in grades if g.role == GradeRole.MODERATOR),
            None,
        ),
        simulation.rubric["moderation_threshold"],
    )
    before = (simulation.state, simulation.result_percent, simulation.passed)
    if found.state == SimulationState.MODERATION and before[0] != found.state:
        _ask_for_moderation(simulation)
    simulation.state = found.state
    simulation.result_percent, simulation.passed = found.percent, found.passed
    if found.state == SimulationState.FINAL and before != (
        found.state,
        found.percent,
        found.passed,
    ):
        simulation.result_dt = utcnow()
        notify(simulation.user_id, "simulation_graded", simulation=simulation.id)
    db.session.flush()
    from lms.training.standing import record_completions

    record_completions(simulation.user)


def _ask_for_moderation(simulation: Simulation) -> None:
    from lms.training.models import CohortTrainer

    graders = {g.grader_id for g in simulation.grades}
    for trainer_id in db.session.scalars(
        sa.select(CohortTrainer.user_id).where(CohortTrainer.cohort_id == simulation.cohort_id)
    ):
        if trainer_id not in graders:
            notify(
                trainer_id,
                "moderation_needed",
                cohort=simulation.cohort_id,
                member=simulation.user_id,
                scenario=simulation.scenario.slug,
            )


def final_grades(simulation: Simulation) -> list[Grade]:
    """What the counsellor may read: final grades only, and only once the result is final."""
    if simulation.state != SimulationState.FINAL:
        return []
    moderator = [
        g for g in simulation.grades if g.role == GradeRole.MODERATOR and g.state == "final"
    ]
    return moderator or [g for g in simulation.grades if g.state == GradeState.FINAL]
