"""Counts and completion rates: by unit x tier, by sex and by disability, over time.

Two grouped queries, whatever the number of counsellors: the database counts, Python only
adds up a few hundred groups into the units one level below the report's unit.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import timedelta

import sqlalchemy as sa

from lms.accounts.models import OrgUnit, Sex, User
from lms.accounts.units import units_in_scope
from lms.dbtypes import utc_month
from lms.extensions import db
from lms.learning.models import TierCompletion
from lms.reports.completion import _day_start, conditions
from lms.reports.filters import ReportFilter


@dataclass
class Tally:
    """Counsellors in a group, and how many of them completed each tier (in the period)."""

    counsellors: int = 0
    completed: list[int] = field(default_factory=lambda: [0, 0, 0, 0])

    def add(self, counsellors: int, completed: list[int]) -> None:
        self.counsellors += counsellors
        self.completed = [a + b for a, b in zip(self.completed, completed, strict=True)]

    def rate(self, tier: int) -> float | None:
        """Percent of the group who completed ``tier``; None for an empty group."""
        if not self.counsellors:
            return None
        return 100.0 * self.completed[tier - 1] / self.counsellors


@dataclass
class Aggregates:
    unit: OrgUnit
    total: Tally
    by_unit: list[tuple[OrgUnit, Tally]]  # the units one level below (or the unit alone)
    direct: Tally | None  # counsellors attached to the unit itself, when it has units below
    by_sex: dict[str, Tally]
    by_disability: dict[str, Tally]  # "yes", "no", "unknown"
    by_month: list[tuple[int, int, list[int]]]  # (year, month, completions per tier)


def _people_filter(f: ReportFilter) -> ReportFilter:
    """Who is counted: everyone the filter keeps, except that the period selects completions,
    not people (else everyone without a completion in it would vanish from the totals)."""
    return replace(f, date_from=None, date_to=None)


def _in_period(f: ReportFilter) -> list:
    found = []
    if f.date_from:
        found.append(TierCompletion.completed_dt >= _day_start(f.date_from))
    if f.date_to:
        found.append(TierCompletion.completed_dt < _day_start(f.date_to + timedelta(days=1)))
    return found


def aggregates(f: ReportFilter, unit: OrgUnit) -> Aggregates:
    people = conditions(_people_filter(f), unit)
    groups = (User.org_unit_id, User.sex, User.has_disability)
    # Two plain grouped scans: the counsellors per group, and their completions per group and
    # tier (one completion per person and tier, by constraint, so rows count people).
    counsellors = db.session.execute(
        sa.select(*groups, sa.func.count(User.id)).where(*people).group_by(*groups)
    ).all()
    completions = db.session.execute(
        sa.select(*groups, TierCompletion.tier_number, sa.func.count(TierCompletion.id))
        .join(User, User.id == TierCompletion.user_id)
        .where(*people, *_in_period(f))
        .group_by(*groups, TierCompletion.tier_number)
    ).all()
    done: dict[tuple, list[int]] = {}
    for unit_id, sex, has_disability, tier, count in completions:
        done.setdefault((unit_id, sex, has_disability), [0, 0, 0, 0])[tier - 1] += count

    units = units_in_scope(unit)
    below = [u for u in units if u.parent_id == unit.id] or [unit]
    # Each unit of the subtree rolls up into the unit below the report's unit that holds it.
    holder: dict[int, int] = {}
    for node in units:
        holder[node.id] = next((b.id for b in below if node.path.startswith(b.path)), unit.id)
    by_unit = {b.id: Tally() for b in below}
    by_unit.setdefault(unit.id, Tally())  # people attached to the report's unit itself
    by_sex = {sex.value: Tally() for sex in Sex}
    by_disability = {key: Tally() for key in ("yes", "no", "unknown")}
    total = Tally()
    for unit_id, sex, has_disability, count in counsellors:
        completed_counts = done.get((unit_id, sex, has_disability), [0, 0, 0, 0])
        total.add(count, completed_counts)
        if holder.get(unit_id) in by_unit:
            by_unit[holder[unit_id]].add(count, completed_counts)
        by_sex.setdefault(sex, Tally()).add(count, completed_counts)
        key = "unknown" if has_disability is None else ("yes" if has_disability else "no")
        by_disability[key].add(count, completed_counts)

    return Aggregates(
        unit=unit,
        total=total,
        by_unit=[(b, by_unit[b.id]) for b in below],
        direct=by_unit[unit.id] if below != [unit] and by_unit[unit.id].counsellors else None,
        by_sex=by_sex,
        by_disability=by_disability,
        by_month=_by_month(people, _in_period(f)),
    )


def _by_month(people: list, period: list) -> list[tuple[int, int, list[int]]]:
    """Completions per calendar month (UTC) and tier, oldest first."""
    month = utc_month(TierCompletion.completed_dt)
    rows = db.session.execute(
        sa.select(month, TierCompletion.tier_number, sa.func.count(TierCompletion.id))
        .join(User, User.id == TierCompletion.user_id)
        .where(*people, *period)
        .group_by(month, TierCompletion.tier_number)
    ).all()
    months: dict[tuple[int, int], list[int]] = {}
    for text, tier, count in rows:
        year, number = (int(part) for part in text.split("-"))
        months.setdefault((year, number), [0, 0, 0, 0])[tier - 1] += int(count)
    if not months:
        return []
    # Every month between the first and the last, so a quiet month shows as zero, not a gap.
    (y, m), last = min(months), max(months)
    filled = []
    while (y, m) <= last:
        filled.append((y, m, months.get((y, m), [0, 0, 0, 0])))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return filled
