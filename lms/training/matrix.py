"""A cohort's progress as a matrix: each counsellor against each requirement of the cohort's
tier, judged by the same rules as the ladder, with every fact counted for all members at once
(a fixed number of grouped queries, whatever the cohort's size)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from lms.accounts.models import User
from lms.curriculum.models import Course, Module, Quiz, Tier
from lms.extensions import db
from lms.learning.models import QuizAttempt, TierCompletion
from lms.training.cohorts import members
from lms.training.models import (
    ATTENDED,
    ActionPlan,
    Attendance,
    AttendanceStatus,
    Cohort,
    ReviewState,
    RolloutParticipant,
    RolloutSession,
    Simulation,
    SimulationState,
    TrainingSession,
)
from lms.training.rules import Facts, Requirement, requirements


@dataclass(frozen=True)
class MatrixRow:
    user: User
    cells: list[Requirement]
    completed_dt: datetime | None


def _count_by_user(query: sa.Select) -> dict[int, int]:
    return {user_id: int(count) for user_id, count in db.session.execute(query)}


def _tier_2(cohort: Cohort, ids: list[int]) -> dict[int, Facts]:
    """Attendance in this cohort's sessions (excused absences do not count against anyone),
    and distinct scenarios passed."""
    attended = sa.func.sum(sa.case((Attendance.status.in_(ATTENDED), 1), else_=0))
    excused = sa.func.sum(
        sa.case((Attendance.status == AttendanceStatus.EXCUSED.value, 1), else_=0)
    )
    sessions = db.session.scalar(
        sa.select(sa.func.count(TrainingSession.id)).where(
            TrainingSession.cohort_id == cohort.id, TrainingSession.is_cancelled.is_(False)
        )
    )
    marks = {
        user_id: (int(got or 0), int(off or 0))
        for user_id, got, off in db.session.execute(
            sa.select(Attendance.user_id, attended, excused)
            .join(TrainingSession, TrainingSession.id == Attendance.session_id)
            .where(
                TrainingSession.cohort_id == cohort.id,
                TrainingSession.is_cancelled.is_(False),
                Attendance.user_id.in_(ids),
            )
            .group_by(Attendance.user_id)
        )
    }
    passed = _count_by_user(
        sa.select(Simulation.user_id, sa.func.count(sa.distinct(Simulation.scenario_id)))
        .where(
            Simulation.user_id.in_(ids),
            Simulation.state == SimulationState.FINAL.value,
            Simulation.passed.is_(True),
        )
        .group_by(Simulation.user_id)
    )
    found = {}
    for user_id in ids:
        got, off = marks.get(user_id, (0, 0))
        found[user_id] = Facts(
            attended=got, countable=(sessions or 0) - off, simulations_passed=passed.get(user_id, 0)
        )
    return found


def _tier_3(ids: list[int]) -> dict[int, Facts]:
    confirmed = RolloutSession.state == ReviewState.CONFIRMED.value
    rollouts: dict[int, set[int]] = defaultdict(set)
    for user_id, rollout_id in db.session.execute(
        sa.union(
            sa.select(RolloutSession.facilitator_id, RolloutSession.id).where(
                RolloutSession.facilitator_id.in_(ids), confirmed
            ),
            sa.select(RolloutParticipant.user_id, RolloutSession.id)
            .join(RolloutSession, RolloutSession.id == RolloutParticipant.rollout_id)
            .where(RolloutParticipant.user_id.in_(ids), confirmed),
        )
    ):
        rollouts[user_id].add(rollout_id)
    required = list(
        db.session.scalars(
            sa.select(Quiz.id)
            .join(Module, Module.id == Quiz.module_id)
            .join(Course, Course.id == Module.course_id)
            .where(
                Course.tier_number == 3,
                Course.is_retired.is_(False),
                Module.is_retired.is_(False),
                Module.is_required.is_(True),
                Quiz.is_retired.is_(False),
            )
        )
    )
    passed = _count_by_user(
        sa.select(QuizAttempt.user_id, sa.func.count(sa.distinct(QuizAttempt.quiz_id)))
        .where(
            QuizAttempt.user_id.in_(ids),
            QuizAttempt.quiz_id.in_(required),
            QuizAttempt.passed.is_(True),
        )
        .group_by(QuizAttempt.user_id)
    )
    return {
        user_id: Facts(
            confirmed_rollouts=len(rollouts[user_id]),
            quizzes_passed=passed.get(user_id, 0),
            quizzes_required=len(required),
        )
        for user_id in ids
    }


def _tier_4(ids: list[int]) -> dict[int, Facts]:
    workshops = _count_by_user(
        sa.select(Attendance.user_id, sa.func.count(sa.distinct(TrainingSession.workshop_id)))
        .join(TrainingSession, TrainingSession.id == Attendance.session_id)
        .where(
            Attendance.user_id.in_(ids),
            Attendance.status.in_(ATTENDED),
            TrainingSession.workshop_id.is_not(None),
            TrainingSession.is_cancelled.is_(False),
        )
        .group_by(Attendance.user_id)
    )
    plans = _count_by_user(
        sa.select(ActionPlan.user_id, sa.func.count(sa.distinct(ActionPlan.workshop_id)))
        .where(ActionPlan.user_id.in_(ids), ActionPlan.state == ReviewState.ACCEPTED.value)
        .group_by(ActionPlan.user_id)
    )
    return {
        user_id: Facts(
            workshops_attended=workshops.get(user_id, 0),
            accepted_action_plans=plans.get(user_id, 0),
        )
        for user_id in ids
    }


def cohort_matrix(cohort: Cohort) -> tuple[list[str], list[MatrixRow]]:
    """The requirement keys of the cohort's tier, and one row per member (by name)."""
    people = members(cohort.id)
    ids = [person.id for person in people]
    tier = cohort.tier_number
    rules = db.session.scalar(sa.select(Tier.rules).where(Tier.number == tier)) or {}
    if tier == 2:
        facts = _tier_2(cohort, ids)
    elif tier == 3:
        facts = _tier_3(ids)
    elif tier == 4:
        facts = _tier_4(ids)
    else:
        facts = {user_id: Facts() for user_id in ids}
    done = dict(
        db.session.execute(
            sa.select(TierCompletion.user_id, TierCompletion.completed_dt).where(
                TierCompletion.user_id.in_(ids), TierCompletion.tier_number == tier
            )
        ).all()
    )
    rows = [
        MatrixRow(
            person,
            requirements(tier, rules, facts[person.id]) if tier in (2, 3, 4) else [],
            done.get(person.id),
        )
        for person in people
    ]
    keys = [r.key for r in rows[0].cells] if rows else []
    if not keys and tier in (2, 3, 4):
        keys = [r.key for r in requirements(tier, rules, Facts())]
    return keys, rows
