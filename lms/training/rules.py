"""The tier rules and the rubric arithmetic, as plain functions of plain values.

Nothing here reads the database: callers gather the facts (see ``standing``), and tests call
these directly, at and around every threshold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Facts:
    """What a counsellor has done in Tiers 2 to 4, as counted from their records."""

    attended: int = 0  # tier-2 sessions attended (present or late), in their best cohort
    countable: int = 0  # tier-2 sessions of that cohort, less excused absences
    simulations_passed: int = 0  # distinct scenarios with a passing final result
    confirmed_rollouts: int = 0  # confirmed roll-out sessions attended or delivered
    quizzes_passed: int = 0  # Tier 3's required quizzes passed ...
    quizzes_required: int = 0  # ... of these
    workshops_attended: int = 0  # distinct workshops attended (present or late)
    accepted_action_plans: int = 0  # distinct workshops with an accepted action plan

    @property
    def attendance_percent(self) -> float:
        return 100.0 * self.attended / self.countable if self.countable else 0.0


@dataclass(frozen=True)
class Requirement:
    """One rule of a tier: what it asks for, what the counsellor has, and whether it is met."""

    key: str
    have: float
    need: float

    @property
    def met(self) -> bool:
        return self.have >= self.need


def requirements(tier: int, rules: dict[str, Any], facts: Facts) -> list[Requirement]:
    """The requirements of Tier 2, 3 or 4 under ``rules``, against ``facts``."""
    if tier == 2:
        return [
            # Without any session there is no attendance to speak of.
            Requirement(
                "min_attendance_percent",
                facts.attendance_percent if facts.countable else -1,
                rules.get("min_attendance_percent", 100),
            ),
            Requirement(
                "simulations_passed", facts.simulations_passed, rules.get("simulations_passed", 1)
            ),
        ]
    if tier == 3:
        found = [
            Requirement(
                "confirmed_rollouts", facts.confirmed_rollouts, rules.get("confirmed_rollouts", 1)
            )
        ]
        if rules.get("required_quizzes", "all") == "all":
            found.append(
                Requirement("required_quizzes", facts.quizzes_passed, facts.quizzes_required)
            )
        return found
    if tier == 4:
        return [
            Requirement(
                "workshops_attended", facts.workshops_attended, rules.get("workshops_attended", 1)
            ),
            Requirement(
                "accepted_action_plans",
                facts.accepted_action_plans,
                rules.get("accepted_action_plans", 1),
            ),
        ]
    raise ValueError(f"Tier {tier} has no such rules")


def tier_met(tier: int, rules: dict[str, Any], facts: Facts) -> bool:
    return all(requirement.met for requirement in requirements(tier, rules, facts))


# -- rubrics ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Score:
    percent: float
    passed: bool


def score(
    rubric_levels: list[dict],
    criteria: list[dict],
    chosen: dict[str, str],
    *,
    pass_percent: int,
    no_lowest_level: bool,
) -> Score | None:
    """The weighted percent of a grade and whether it passes; None until every criterion has
    a level.

    percent = sum(weight x points) / sum(weight x top points) x 100, rounded down to one
    decimal, so a grade never shows a pass mark it missed.
    """
    points = {level["id"]: level["points"] for level in rubric_levels}
    lowest, top = rubric_levels[0]["points"], rubric_levels[-1]["points"]
    if any(chosen.get(c["id"]) not in points for c in criteria):
        return None
    got = sum(c["weight"] * points[chosen[c["id"]]] for c in criteria)
    best = sum(c["weight"] * top for c in criteria)
    # Integer tenths of a percent: no float rounding at a boundary.
    percent = (1000 * got // best) / 10 if best else 0.0
    passed = percent >= pass_percent and not (
        no_lowest_level and any(points[chosen[c["id"]]] == lowest for c in criteria)
    )
    return Score(percent, passed)


@dataclass(frozen=True)
class Outcome:
    state: str  # "open", "moderation" or "final"
    percent: float | None = None
    passed: bool | None = None


def outcome(
    graders: list[tuple[str, float | None, bool | None]],
    moderator: tuple[str, float | None, bool | None] | None,
    threshold: float,
) -> Outcome:
    """A simulation's result from its grades, each given as (state, percent, passed).

    Only final grades count (a draft neither gives nor withholds a result):
    - a final moderator's grade is the result;
    - no final grader's grade: no result yet;
    - one final grade is the result (a second grader may still change it by finalising);
    - two final grades that differ by more than ``threshold`` points, or disagree on passing,
      go to moderation; otherwise the result is their mean, passed as both say.
    """
    if moderator is not None and moderator[0] == "final":
        return Outcome("final", moderator[1], moderator[2])
    finals = [(percent, passed) for state, percent, passed in graders if state == "final"]
    if not finals:
        return Outcome("open")
    if len(finals) == 1:
        return Outcome("final", *finals[0])
    (first, first_passed), (second, second_passed) = finals[:2]
    # In integer tenths of a percent, so 60.4 and 75.4 are exactly 15 apart.
    first_tenths, second_tenths = round(first * 10), round(second * 10)
    if abs(first_tenths - second_tenths) > threshold * 10 or first_passed != second_passed:
        return Outcome("moderation")
    return Outcome("final", (first_tenths + second_tenths) // 2 / 10, first_passed)
