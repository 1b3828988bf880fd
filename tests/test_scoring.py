"""Scoring every question type, including partial and edge answers (plain functions)."""

from __future__ import annotations

import pytest

from lms.learning.scoring import fraction, normalise_text, parse_number, score_quiz
from tests.course_files import QUESTIONS

Q = {q["id"]: q for q in QUESTIONS}


@pytest.mark.parametrize(
    ("question", "response", "expected"),
    [
        ("purpose", "match", 1),
        ("purpose", "pay", 0),
        ("purpose", "unknown", 0),
        ("purpose", None, 0),
        ("services", ["lmi", "matching"], 1),
        ("services", ["lmi"], 0.5),
        ("services", ["lmi", "loans"], 0),  # one right, one wrong
        ("services", ["lmi", "matching", "loans"], 0.5),
        ("services", ["loans"], 0),  # never below zero
        ("services", [], 0),
        ("services", ["lmi", "lmi", "forged"], 0.5),  # duplicates and unknown ids earn nothing
        ("consent", "false", 1),
        ("consent", "true", 0),
        ("acronym", "labour market information", 1),
        ("acronym", "  LABOR   Market information ", 1),
        ("acronym", "labour market", 0),
        ("acronym", "", 0),
        ("rate", "25", 1),
        ("rate", "25,4", 1),  # decimal comma, within tolerance
        ("rate", "25.5", 1),  # on the tolerance boundary
        ("rate", "25.6", 0),
        ("rate", "25%", 1),
        ("rate", "twenty-five", 0),
        ("rate", "nan", 0),
        ("steps", ["rapport", "explore", "plan"], 1),
        ("steps", ["explore", "rapport", "plan"], pytest.approx(1 / 3)),
        ("steps", ["plan", "explore", "rapport"], pytest.approx(1 / 3)),
        ("steps", ["rapport"], pytest.approx(1 / 3)),
        ("terms", {"vacancy": "vacancy", "gap": "gap"}, 1),
        ("terms", {"vacancy": "gap", "gap": "vacancy"}, 0),
        ("terms", {"vacancy": "vacancy"}, 0.5),
        ("terms", "not a mapping", 0),
    ],
)
def test_fraction_of_points(question, response, expected):
    assert fraction(Q[question], response) == expected


def test_text_is_compared_case_and_space_insensitively_in_any_script():
    assert normalise_text("  Informasi   PASAR kerja ") == "informasi pasar kerja"
    assert normalise_text("ＬＭＩ") == "lmi"  # full-width letters, as some keyboards type them


@pytest.mark.parametrize(
    ("text", "value"), [("1 000", 1000.0), ("12,5", 12.5), ("-3", -3.0), ("", None), ("inf", None)]
)
def test_numbers_as_people_type_them(text, value):
    assert parse_number(text) == value


def test_a_quiz_passes_at_exactly_the_pass_mark():
    questions = [Q["purpose"], Q["consent"], Q["rate"], Q["acronym"], Q["services"]]
    result = score_quiz(
        questions,
        {
            "purpose": "match",
            "consent": "false",
            "rate": "25",
            "acronym": "x",
            "services": ["lmi", "loans"],
        },
        60,
    )
    assert (result.score, result.max_score, result.percent, result.passed) == (3.0, 5.0, 60.0, True)
    assert not score_quiz(questions, {"purpose": "match", "consent": "false"}, 60).passed


def test_points_weigh_questions():
    heavy = {**Q["purpose"], "points": 3}
    result = score_quiz([heavy, Q["consent"]], {"purpose": "match"}, 70)
    assert (result.score, result.max_score, result.percent, result.passed) == (3.0, 4.0, 75.0, True)
