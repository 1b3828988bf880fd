"""The tier rules and rubric arithmetic as plain functions, at and around every threshold."""

from __future__ import annotations

import pytest

from lms.training.rules import Facts, outcome, requirements, score, tier_met
from tests.course_files import CRITERIA, LEVELS, UPPER_RULES, rubric_file

RUBRIC = rubric_file()


def grade(*levels: str) -> dict[str, str]:
    return dict(zip(CRITERIA, levels, strict=True))


def scored(*levels: str):  # type: ignore[no-untyped-def]
    return score(
        RUBRIC["levels"],
        RUBRIC["criteria"],
        grade(*levels),
        pass_percent=70,
        no_lowest_level=True,
    )


# -- Tier 2 -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("attended", "countable", "met"),
    [
        (4, 5, True),  # exactly 80%
        (8, 10, True),
        (79, 100, False),  # just under
        (5, 5, True),
        (0, 0, False),  # no session at all is not attendance
    ],
)
def test_tier_2_attendance_threshold(attended: int, countable: int, met: bool) -> None:
    facts = Facts(attended=attended, countable=countable, simulations_passed=2)
    assert tier_met(2, UPPER_RULES[2], facts) is met


@pytest.mark.parametrize(("passed", "met"), [(1, False), (2, True), (3, True)])
def test_tier_2_simulations_passed(passed: int, met: bool) -> None:
    facts = Facts(attended=5, countable=5, simulations_passed=passed)
    assert tier_met(2, UPPER_RULES[2], facts) is met


def test_tier_2_zero_thresholds_still_need_a_session() -> None:
    rules = {"min_attendance_percent": 0, "simulations_passed": 0}
    assert not tier_met(2, rules, Facts())
    assert tier_met(2, rules, Facts(attended=0, countable=1))


def test_requirements_say_what_is_missing() -> None:
    found = requirements(2, UPPER_RULES[2], Facts(attended=3, countable=4, simulations_passed=1))
    assert [(r.key, r.have, r.need, r.met) for r in found] == [
        ("min_attendance_percent", 75.0, 80, False),
        ("simulations_passed", 1, 2, False),
    ]


# -- Tier 3 -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("rollouts", "quizzes", "met"),
    [(0, 1, False), (1, 0, False), (1, 1, True), (2, 1, True)],
)
def test_tier_3_rollout_and_quiz(rollouts: int, quizzes: int, met: bool) -> None:
    facts = Facts(confirmed_rollouts=rollouts, quizzes_passed=quizzes, quizzes_required=1)
    assert tier_met(3, UPPER_RULES[3], facts) is met


def test_tier_3_quizzes_can_be_left_out() -> None:
    rules = {"confirmed_rollouts": 1, "required_quizzes": "none"}
    assert tier_met(3, rules, Facts(confirmed_rollouts=1, quizzes_required=1))


# -- Tier 4 -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("workshops", "plans", "met"),
    [(1, 1, False), (2, 0, False), (2, 1, True), (3, 2, True)],
)
def test_tier_4_workshops_and_plans(workshops: int, plans: int, met: bool) -> None:
    facts = Facts(workshops_attended=workshops, accepted_action_plans=plans)
    assert tier_met(4, UPPER_RULES[4], facts) is met


def test_unknown_tier_is_an_error() -> None:
    with pytest.raises(ValueError):
        requirements(1, {}, Facts())


# -- the rubric -------------------------------------------------------------------------------
def test_score_weights_criteria() -> None:
    # (3 + 3 + 2*3) / (4 + 4 + 2*4) = 12/16
    assert scored("proficient", "proficient", "proficient").percent == 75.0
    # (4 + 4 + 2*2) / 16 = 12/16 as well: the weighted criterion counts twice
    assert scored("exemplary", "exemplary", "developing").percent == 75.0


def test_score_pass_boundary() -> None:
    # (3 + 2 + 2*3) / 16 = 68.75%: under 70
    below = scored("proficient", "developing", "proficient")
    assert (below.percent, below.passed) == (68.7, False)  # rounded down, never up to a pass
    # (4 + 3 + 2*2)/16 = 68.75 too; (4 + 4 + 2*2) = 75: passes
    assert scored("exemplary", "exemplary", "developing").passed


def test_score_lowest_level_fails_whatever_the_total() -> None:
    result = scored("not-yet", "exemplary", "exemplary")
    assert result.percent == pytest.approx(81.2)
    assert result.passed is False
    lenient = score(
        RUBRIC["levels"],
        RUBRIC["criteria"],
        grade("not-yet", "exemplary", "exemplary"),
        pass_percent=70,
        no_lowest_level=False,
    )
    assert lenient.passed is True


def test_score_needs_every_criterion() -> None:
    assert (
        score(
            RUBRIC["levels"],
            RUBRIC["criteria"],
            {"rapport": "proficient"},
            pass_percent=70,
            no_lowest_level=True,
        )
        is None
    )
    assert scored("proficient", "proficient", "unknown-level") is None


# -- two graders and a moderator --------------------------------------------------------------
def test_outcome_single_final_grade_is_the_result() -> None:
    assert outcome([("final", 75.0, True)], None, 15) == _final(75.0, True)


def test_drafts_neither_give_nor_withhold_a_result() -> None:
    assert outcome([("draft", None, None)], None, 15).state == "open"
    # A second grader's draft does not take back the result of the first final grade.
    assert outcome([("final", 75.0, True), ("draft", 50.0, False)], None, 15) == _final(75.0, True)


@pytest.mark.parametrize(
    ("second", "state"),
    [(90.0, "final"), (90.1, "moderation"), (60.0, "final"), (59.9, "moderation")],
)
def test_outcome_threshold_is_inclusive(second: float, state: str) -> None:
    found = outcome([("final", 75.0, True), ("final", second, second >= 70)], None, 15)
    if second == 60.0:  # within the threshold, but one passes and one does not
        assert found.state == "moderation"
    else:
        assert found.state == state


def test_outcome_agreeing_graders_give_their_mean() -> None:
    assert outcome([("final", 75.0, True), ("final", 81.2, True)], None, 15) == _final(78.1, True)


def test_outcome_moderator_decides() -> None:
    graders = [("final", 50.0, False), ("final", 90.0, True)]
    assert outcome(graders, ("draft", 80.0, True), 15).state == "moderation"
    assert outcome(graders, ("final", 80.0, True), 15) == _final(80.0, True)


def _final(percent: float, passed: bool):  # type: ignore[no-untyped-def]
    from lms.training.rules import Outcome

    return Outcome("final", percent, passed)


def test_levels_are_lowest_first() -> None:
    assert [level["id"] for level in RUBRIC["levels"]] == LEVELS


def test_outcome_arithmetic_is_exact_in_tenths() -> None:
    # Floats would make these 15.000000000000007 apart, and their mean 44.5.
    assert outcome([("final", 60.4, True), ("final", 75.4, True)], None, 15).state == "final"
    assert outcome([("final", 42.8, False), ("final", 46.4, False)], None, 15).percent == 44.6
