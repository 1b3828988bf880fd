"""A counsellor's standing in Tiers 2 to 4: the facts from their records, and recording each
tier's completion (once) whenever a fact changes.
"""

from __future__ import annotations

from dataclasses import replace

import sqlalchemy as sa

from lms.accounts.models import User, utcnow
from lms.certificates.issuing import first_issue, issue_programme, local_date
from lms.curriculum.models import Tier
from lms.database import insert_or_ignore
from lms.extensions import db
from lms.learning.models import TierCompletion
from lms.learning.progress import module_statuses, rules_met, tier_courses
from lms.training.models import (
    ATTENDED,
    ActionPlan,
    Attendance,
    AttendanceStatus,
    Cohort,
    CohortMember,
    ReviewState,
    RolloutParticipant,
    RolloutSession,
    Simulation,
    SimulationState,
    TrainingSession,
)
from lms.training.notices import notify
from lms.training.rules import Facts, requirements, tier_met


def attendance_by_cohort(user_id: int, tier: int) -> dict[int, tuple[int, int]]:
    """For each of the user's cohorts of ``tier``: (sessions attended, sessions that count)."""
    attended = sa.func.sum(sa.case((Attendance.status.in_(ATTENDED), 1), else_=0))
    excused = sa.func.sum(
        sa.case((Attendance.status == AttendanceStatus.EXCUSED.value, 1), else_=0)
    )
    rows = db.session.execute(
        sa.select(TrainingSession.cohort_id, sa.func.count(TrainingSession.id), attended, excused)
        .join(Cohort, Cohort.id == TrainingSession.cohort_id)
        .join(
            CohortMember,
            sa.and_(CohortMember.cohort_id == Cohort.id, CohortMember.user_id == user_id),
        )
        .outerjoin(
            Attendance,
            sa.and_(Attendance.session_id == TrainingSession.id, Attendance.user_id == user_id),
        )
        .where(Cohort.tier_number == tier, TrainingSession.is_cancelled.is_(False))
        .group_by(TrainingSession.cohort_id)
    ).all()
    return {
        cohort_id: (int(got or 0), int(total) - int(excused_count or 0))
        for cohort_id, total, got, excused_count in rows
    }


def facts(user: User, tiers: frozenset[int] = frozenset({2, 3, 4})) -> Facts:
    """What Tiers 2 to 4 count (only for ``tiers``), in a few queries whatever the history's
    length."""
    found = Facts()
    if 2 in tiers:
        found = replace(found, **_tier_2_facts(user))
    if 3 in tiers:
        found = replace(found, **_tier_3_facts(user))
    if 4 in tiers:
        found = replace(found, **_tier_4_facts(user))
    return found


def _tier_2_facts(user: User) -> dict[str, int]:
    attended, countable = max(
        attendance_by_cohort(user.id, 2).values(),
        key=lambda pair: (pair[0] / pair[1] if pair[1] else 0.0, pair[1]),
        default=(0, 0),
    )
    passed = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(Simulation.scenario_id))).where(
            Simulation.user_id == user.id,
            Simulation.state == SimulationState.FINAL.value,
            Simulation.passed.is_(True),
        )
    )
    return {"attended": attended, "countable": countable, "simulations_passed": passed or 0}


def _tier_3_facts(user: User) -> dict[str, int]:
    delivered = sa.select(RolloutSession.id).where(
        RolloutSession.facilitator_id == user.id,
        RolloutSession.state == ReviewState.CONFIRMED.value,
    )
    attended = (
        sa.select(RolloutSession.id)
        .join(RolloutParticipant, RolloutParticipant.rollout_id == RolloutSession.id)
        .where(
            RolloutParticipant.user_id == user.id,
            RolloutSession.state == ReviewState.CONFIRMED.value,
        )
    )
    confirmed = db.session.scalar(
        sa.select(sa.func.count()).select_from(sa.union(delivered, attended).subquery())
    )
    quizzes = [
        s
        for s in module_statuses(user, tier_courses(3))
        if s.module.is_required and s.quiz_passed is not None
    ]
    return {
        "confirmed_rollouts": confirmed or 0,
        "quizzes_passed": sum(bool(s.quiz_passed) for s in quizzes),
        "quizzes_required": len(quizzes),
    }


def _tier_4_facts(user: User) -> dict[str, int]:
    workshops = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(TrainingSession.workshop_id)))
        .join(Attendance, Attendance.session_id == TrainingSession.id)
        .where(
            Attendance.user_id == user.id,
            Attendance.status.in_(ATTENDED),
            TrainingSession.workshop_id.is_not(None),
            TrainingSession.is_cancelled.is_(False),
        )
    )
    plans = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(ActionPlan.workshop_id))).where(
            ActionPlan.user_id == user.id, ActionPlan.state == ReviewState.ACCEPTED.value
        )
    )
    return {"workshops_attended": workshops or 0, "accepted_action_plans": plans or 0}


def completed_tiers(user_id: int) -> dict[int, object]:
    return dict(
        db.session.execute(
            sa.select(TierCompletion.tier_number, TierCompletion.completed_dt).where(
                TierCompletion.user_id == user_id
            )
        ).all()
    )


def record_completions(user: User) -> list[int]:
    """Record every tier the user has now completed, in order and once each.

    A tier counts only once the one below it is complete. Called whenever a fact changes (a
    module read, a quiz passed, attendance, a grade, a confirmation, an accepted plan).

    :return: the tier numbers newly completed.
    """
    done = completed_tiers(user.id)
    tiers = {tier.number: tier for tier in db.session.scalars(sa.select(Tier))}
    new: list[int] = []
    for number in (1, 2, 3, 4):
        if number in done:
            continue
        tier = tiers.get(number)
        if tier is None or (number > 1 and number - 1 not in done):
            break
        if number == 1:
            met = rules_met(tier.rules, module_statuses(user, tier_courses(1)))
        else:
            known = facts(user, frozenset({number}))
            met = tier_met(number, tier.rules, known)
        if not met:
            break
        # A concurrent request may record it a moment earlier: then this inserts nothing.
        now = utcnow()
        if (
            insert_or_ignore(TierCompletion, user_id=user.id, tier_number=number, completed_dt=now)
            is not None
        ):
            new.append(number)
            notify(user.id, "tier_completed", tier=number)
            first_issue(user, number, local_date(user, now))
            if number == 4:
                issue_programme(user, now)
        done[number] = now
    return new


def ladder(user: User, courses: list | None = None) -> list:
    """The four tiers for this user, with what Tiers 2 to 4 still ask for.

    :param courses: Tier 1's courses, if the caller has them already.
    """
    from lms.learning.progress import TierState
    from lms.learning.progress import ladder as tier_one_ladder

    tiers = tier_one_ladder(user, courses)
    # Only the tier being climbed shows its requirements: the others cost no query.
    climbing = [t for t in tiers[1:] if t.state == TierState.OPEN]
    if not climbing:
        return tiers
    rules = dict(db.session.execute(sa.select(Tier.number, Tier.rules)).all())
    known = facts(user, frozenset(t.number for t in climbing))
    for status in climbing:
        if status.number not in rules:
            continue
        status.requirements = requirements(status.number, rules[status.number], known)
        if status.state == TierState.OPEN and any(r.have > 0 for r in status.requirements):
            status.state = TierState.IN_PROGRESS
    return tiers
