"""The completion report: one row per counsellor in scope, as one SQL query.

Every column is a correlated subquery on an indexed foreign key, so a page of 50 rows costs 50
small lookups per column whatever the table sizes, and an export streams the same query from
a server-side cursor without gathering anything per person in Python.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from math import ceil
from typing import Any

import sqlalchemy as sa

from lms.accounts.models import OrgUnit, Role, UnitKind, User
from lms.accounts.units import subtree_ids, units_in_scope
from lms.certificates.models import Certificate
from lms.curriculum.models import Course, Module, Quiz
from lms.dbtypes import utc_day
from lms.extensions import db
from lms.learning.models import ModuleProgress, QuizAttempt, TierCompletion
from lms.reports.filters import ReportFilter
from lms.training.models import (
    ActionPlan,
    Cohort,
    CohortMember,
    Facilitator,
    RolloutParticipant,
    Simulation,
    SimulationState,
)

TIERS = (1, 2, 3, 4)


@dataclass(frozen=True)
class QuizColumn:
    """A live quiz whose best score the report shows."""

    id: int
    tier: int
    title: dict[str, str]  # the module's title per language


def report_quizzes() -> list[QuizColumn]:
    """The live quizzes, in curriculum order (tier, course, module)."""
    rows = db.session.execute(
        sa.select(Quiz.id, Course.tier_number, Module.title)
        .join(Module, Module.id == Quiz.module_id)
        .join(Course, Course.id == Module.course_id)
        .where(
            Quiz.is_retired.is_(False),
            Module.is_retired.is_(False),
            Course.is_retired.is_(False),
        )
        .order_by(Course.tier_number, Course.position, Module.position)
    ).all()
    return [QuizColumn(quiz_id, tier, title) for quiz_id, tier, title in rows]


# -- conditions --------------------------------------------------------------------------------
def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def completed(tier: int | None, date_from: date | None = None, date_to: date | None = None):  # type: ignore[no-untyped-def]
    """The counsellor completed ``tier`` (any tier if None), within the period if given."""
    # An alias: the month-by-month count selects from tier_completions itself, and the
    # condition must still look at the person's own completions.
    done = sa.orm.aliased(TierCompletion)
    query = sa.select(done.id).where(done.user_id == User.id)
    if tier is not None:
        query = query.where(done.tier_number == tier)
    if date_from is not None:
        query = query.where(done.completed_dt >= _day_start(date_from))
    if date_to is not None:
        query = query.where(done.completed_dt < _day_start(date_to + timedelta(days=1)))
    return query.exists()


def _tier_modules(tier: int) -> sa.Select:
    return (
        sa.select(Module.id)
        .join(Course, Course.id == Module.course_id)
        .where(Course.tier_number == tier)
    )


def _tier_quizzes(tier: int) -> sa.Select:
    return sa.select(Quiz.id).where(Quiz.module_id.in_(_tier_modules(tier)))


def _in_cohort_of_tier(tier: int):  # type: ignore[no-untyped-def]
    return (
        sa.select(CohortMember.cohort_id)
        .join(Cohort, Cohort.id == CohortMember.cohort_id)
        .where(CohortMember.user_id == User.id, Cohort.tier_number == tier)
        .exists()
    )


def started(tier: int):  # type: ignore[no-untyped-def]
    """Some trace of work in ``tier``: a module read or a quiz tried (Tiers 1 and 3), a cohort
    joined (Tiers 2 and 4), an appointment as facilitator or a roll-out attended (Tier 3), an
    action plan (Tier 4)."""
    read = (
        sa.select(ModuleProgress.id)
        .where(ModuleProgress.user_id == User.id, ModuleProgress.module_id.in_(_tier_modules(tier)))
        .exists()
    )
    tried = (
        sa.select(QuizAttempt.id)
        .where(QuizAttempt.user_id == User.id, QuizAttempt.quiz_id.in_(_tier_quizzes(tier)))
        .exists()
    )
    if tier == 1:
        return sa.or_(read, tried)
    if tier == 2:
        return _in_cohort_of_tier(2)
    if tier == 3:
        appointed = sa.select(Facilitator.user_id).where(Facilitator.user_id == User.id).exists()
        attended = (
            sa.select(RolloutParticipant.rollout_id)
            .where(RolloutParticipant.user_id == User.id)
            .exists()
        )
        return sa.or_(appointed, attended, read, tried)
    planned = sa.select(ActionPlan.id).where(ActionPlan.user_id == User.id).exists()
    return sa.or_(_in_cohort_of_tier(4), planned)


def _escape_like(text: str) -> str:
    return text.replace("/", "//").replace("%", "/%").replace("_", "/_")


def conditions(f: ReportFilter, unit: OrgUnit) -> list:
    """The WHERE clauses of the filter, over ``User``."""
    found: list = [
        User.role == Role.COUNSELLOR.value,
        User.org_unit_id.in_(subtree_ids(unit)),
    ]
    if f.cohort:
        found.append(
            sa.select(CohortMember.cohort_id)
            .join(Cohort, Cohort.id == CohortMember.cohort_id)
            .where(
                CohortMember.user_id == User.id,
                # Both sides lowered by the database, so SQLite and PostgreSQL agree.
                sa.func.lower(Cohort.name).like(
                    "%" + sa.func.lower(sa.literal(_escape_like(f.cohort))) + "%", escape="/"
                ),
            )
            .exists()
        )
    if f.tier is not None and f.status:
        done = completed(f.tier)
        if f.status == "completed":
            found.append(done)
        elif f.status == "in_progress":
            found.extend([started(f.tier), sa.not_(done)])
        else:
            found.extend([sa.not_(started(f.tier)), sa.not_(done)])
    if f.sex:
        found.append(User.sex == f.sex)
    if f.disability:
        found.append(
            {"yes": User.has_disability.is_(True), "no": User.has_disability.is_(False)}.get(
                f.disability, User.has_disability.is_(None)
            )
        )
    if f.date_from or f.date_to:
        found.append(completed(f.tier, f.date_from, f.date_to))
    return found


def filter_unit(f: ReportFilter) -> OrgUnit:
    unit = db.session.get(OrgUnit, f.unit_id)
    if unit is None:
        raise LookupError(f"no unit {f.unit_id}")
    return unit


# -- the rows ------------------------------------------------------------------------------------
def rows_query(
    f: ReportFilter, unit: OrgUnit, quizzes: list[QuizColumn], *, where: list | None = None
) -> sa.Select:
    """One row per counsellor the filter keeps, in the order they joined. The exports read
    its columns by position (:class:`lms.reports.exports.RowFormat`): keep the order."""
    columns: list[Any] = [
        User.id.label("user_id"),
        User.display_name.label("name"),
        User.email.label("email"),
        User.org_unit_id.label("unit_id"),
        User.sex.label("sex"),
        User.has_disability.label("has_disability"),
        sa.select(sa.func.aggregate_strings(Cohort.name, "; "))
        .join(CohortMember, CohortMember.cohort_id == Cohort.id)
        .where(CohortMember.user_id == User.id)
        .scalar_subquery()
        .label("cohorts"),
    ]
    for tier in TIERS:
        columns.append(
            sa.select(utc_day(TierCompletion.completed_dt))
            .where(TierCompletion.user_id == User.id, TierCompletion.tier_number == tier)
            .scalar_subquery()
            .label(f"t{tier}_done")  # "YYYY-MM-DD" (UTC) or None
        )
        columns.append(started(tier).label(f"t{tier}_started"))
    for quiz in quizzes:
        columns.append(
            sa.select(sa.func.max(QuizAttempt.percent))
            .where(QuizAttempt.user_id == User.id, QuizAttempt.quiz_id == quiz.id)
            .scalar_subquery()
            .label(f"quiz_{quiz.id}")
        )
    # The best final result, and whether that same result passed (not "any passed").
    best = (
        sa.select(Simulation.result_percent, Simulation.passed)
        .where(Simulation.user_id == User.id, Simulation.state == SimulationState.FINAL.value)
        .order_by(Simulation.result_percent.desc().nulls_last(), Simulation.passed.desc())
        .limit(1)
    )
    columns += [
        best.with_only_columns(Simulation.result_percent)
        .scalar_subquery()
        .label("simulation_percent"),
        best.with_only_columns(Simulation.passed).scalar_subquery().label("simulation_passed"),
        sa.select(sa.func.aggregate_strings(Certificate.serial, "; "))
        .where(Certificate.user_id == User.id, Certificate.revoked_dt.is_(None))
        .scalar_subquery()
        .label("certificates"),
    ]
    found = where if where is not None else conditions(f, unit)
    return sa.select(*columns).where(*found).order_by(User.id)


def count_rows(f: ReportFilter, unit: OrgUnit) -> int:
    return db.session.scalar(sa.select(sa.func.count(User.id)).where(*conditions(f, unit))) or 0


@dataclass
class Page:
    """A page of the report, shaped like Flask-SQLAlchemy's pagination for the pager macro."""

    rows: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def report_page(
    f: ReportFilter, unit: OrgUnit, quizzes: list[QuizColumn], page: int, per_page: int
) -> Page:
    """One page: two queries (the count, the rows), whatever ``per_page``."""
    total = count_rows(f, unit)
    page = max(1, min(page, max(1, ceil(total / per_page))))
    # The page's people first, then their columns: an offset over the full query would make
    # PostgreSQL compute every column of every row it skips.
    shown = (
        sa.select(User.id)
        .where(*conditions(f, unit))
        .order_by(User.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    rows = db.session.execute(
        rows_query(f, unit, quizzes, where=[User.id.in_(shown.scalar_subquery())])
    ).all()
    return Page(rows, page, per_page, total)


def stream_rows(
    f: ReportFilter, unit: OrgUnit, quizzes: list[QuizColumn], batch: int = 2000
) -> Iterator:
    """Every row, fetched ``batch`` at a time from a server-side cursor (PostgreSQL) or
    SQLite's stepping cursor: memory stays flat however many rows there are."""
    result = db.session.execute(
        rows_query(f, unit, quizzes).execution_options(stream_results=True, yield_per=batch)
    )
    try:
        yield from result
    finally:
        result.close()


def unit_paths(unit: OrgUnit) -> dict[int, str]:
    """Each unit in ``unit``'s subtree with its path of names from ``unit`` down, in one
    query (a report's rows name their unit without a join per row)."""
    from lms.templating import unit_label

    names: dict[int, str] = {}
    paths: dict[int, str] = {}
    for node in units_in_scope(unit):
        # The regional root says nothing a reader needs on every row.
        names[node.id] = "" if node.kind == UnitKind.REGION else unit_label(node)
        ids = [int(part) for part in node.path.strip("/").split("/")]
        shown = ids[ids.index(unit.id) :] if unit.id in ids else [node.id]
        paths[node.id] = " › ".join(names[i] for i in shown if names.get(i)) or unit_label(node)
    return paths
