"""Where a counsellor stands on the ladder, and recording a tier's completion once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from lms.accounts.models import User, utcnow
from lms.curriculum.models import Course, Module
from lms.database import insert_or_ignore
from lms.extensions import db
from lms.learning.models import ModuleProgress, QuizAttempt, TierCompletion

TIERS = (1, 2, 3, 4)


class TierState(StrEnum):
    LOCKED = "locked"
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"


@dataclass
class ModuleStatus:
    module: Module
    read: bool
    quiz_passed: bool | None  # None: the module has no quiz
    best_percent: float | None

    @property
    def done(self) -> bool:
        return self.read and self.quiz_passed is not False


@dataclass
class TierStatus:
    number: int
    state: TierState
    done: int = 0
    total: int = 0
    next_module: Module | None = None
    completed_dt: datetime | None = None
    requirements: list = field(default_factory=list)  # Tiers 2-4: rules.Requirement each


def _with_modules(query: sa.Select) -> sa.Select:
    """Load each course's modules and their quizzes with it (two more queries, not one per module)."""
    return query.options(selectinload(Course.modules).selectinload(Module.quiz))


def course_with_modules(course_id: int) -> Course:
    return db.session.scalar(_with_modules(sa.select(Course).where(Course.id == course_id)))


def tier_courses(number: int) -> list[Course]:
    """The tier's courses with their modules and quizzes, in order, in two queries."""
    return list(
        db.session.scalars(
            _with_modules(
                sa.select(Course)
                .where(Course.tier_number == number, Course.is_retired.is_(False))
                .order_by(Course.position)
            )
        )
    )


def module_statuses(user: User, courses: list[Course]) -> list[ModuleStatus]:
    """Each live module of these courses with what the user has done, in two more queries."""
    modules = [m for course in courses for m in course.modules if not m.is_retired]
    ids = [m.id for m in modules]
    read = set(
        db.session.scalars(
            sa.select(ModuleProgress.module_id).where(
                ModuleProgress.user_id == user.id, ModuleProgress.module_id.in_(ids)
            )
        )
    )
    quiz_ids = [m.quiz.id for m in modules if m.quiz is not None and not m.quiz.is_retired]
    # Best score and whether any attempt passed, per quiz, in one query.
    best: dict[int, float | None] = {}
    passed: set[int] = set()
    for quiz_id, top, any_passed in db.session.execute(
        sa.select(
            QuizAttempt.quiz_id,
            sa.func.max(QuizAttempt.percent),
            sa.func.max(sa.case((QuizAttempt.passed.is_(True), 1), else_=0)),
        )
        .where(QuizAttempt.user_id == user.id, QuizAttempt.quiz_id.in_(quiz_ids))
        .group_by(QuizAttempt.quiz_id)
    ):
        best[quiz_id] = top
        if any_passed:
            passed.add(quiz_id)
    statuses = []
    for module in modules:
        quiz = module.quiz if module.quiz is not None and not module.quiz.is_retired else None
        statuses.append(
            ModuleStatus(
                module,
                module.id in read,
                None if quiz is None else quiz.id in passed,
                None if quiz is None else best.get(quiz.id),
            )
        )
    return statuses


def rules_met(rules: dict, statuses: list[ModuleStatus]) -> bool:
    """Tier 1's rules over the module statuses (only required modules count)."""
    required = [s for s in statuses if s.module.is_required]
    if not required:
        return False
    if rules.get("required_modules", "all") == "all" and not all(s.read for s in required):
        return False
    return not (
        rules.get("required_quizzes", "all") == "all"
        and any(s.quiz_passed is False for s in required)
    )


def ladder(user: User, courses: list[Course] | None = None) -> list[TierStatus]:
    """The four tiers for this user: locked, open, in progress or complete.

    :param courses: Tier 1's courses, if the caller has them already.
    """
    completions = dict(
        db.session.execute(
            sa.select(TierCompletion.tier_number, TierCompletion.completed_dt).where(
                TierCompletion.user_id == user.id
            )
        ).all()
    )
    statuses = module_statuses(user, tier_courses(1) if courses is None else courses)
    required = [s for s in statuses if s.module.is_required]
    first = TierStatus(1, TierState.OPEN)
    first.total = len(required)
    first.done = sum(s.done for s in required)
    first.next_module = next((s.module for s in statuses if not s.done), None)
    if 1 in completions:
        first.state, first.completed_dt = TierState.COMPLETE, completions[1]
    elif any(s.read or s.best_percent is not None for s in statuses):
        first.state = TierState.IN_PROGRESS
    tiers = [first]
    for number in TIERS[1:]:
        state = TierState.LOCKED
        if number in completions:
            state = TierState.COMPLETE
        elif number - 1 in completions:
            state = TierState.OPEN
        tiers.append(TierStatus(number, state, completed_dt=completions.get(number)))
    return tiers


def mark_read(user: User, module: Module) -> bool:
    """Record that the user read the module (once); say whether it is new."""
    created = insert_or_ignore(
        ModuleProgress, user_id=user.id, module_id=module.id, read_dt=utcnow()
    )
    if created is None:
        return False
    from lms.training.standing import record_completions  # the ladder builds on this module

    record_completions(user)
    return True
