"""Scoring a quiz: plain functions of a question definition and a response.

Responses, as saved from the form:
- single_choice: a choice id;             multiple_choice: a list of choice ids;
- true_false: "true" or "false";          short_answer: text;
- numeric: {"text": as typed, "value": the number, or None};
- ordering: item ids in the order given;  matching: {pair id: pair id of the chosen match}.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from babel.core import UnknownLocaleError
from babel.numbers import NumberFormatError, parse_decimal

Question = dict[str, Any]


@dataclass(frozen=True)
class Outcome:
    question_id: str
    points: float
    max_points: float

    @property
    def correct(self) -> bool:
        return math.isclose(self.points, self.max_points)


def normalise_text(text: str) -> str:
    """Case- and space-insensitive form: NFKC, casefolded, runs of spaces made one."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text).casefold()).strip()


def parse_number(text: Any, locale: str = "en") -> float | None:
    """A number as people type it in their language: "25", "25.5", "1 000", "25%"; in
    Indonesian "25,5" and "1.000". A lone comma that cannot be a thousands separator ("25,5"
    in English) is read as a decimal comma, as phone keyboards often give one.
    """
    if isinstance(text, int | float) and not isinstance(text, bool):
        return float(text) if math.isfinite(text) else None
    if not isinstance(text, str):
        return None
    cleaned = text.strip().rstrip("%").replace("\u00a0", "").replace(" ", "")
    if not cleaned:
        return None
    try:
        value = float(parse_decimal(cleaned, locale=locale, strict=True))
    except (NumberFormatError, ValueError, UnknownLocaleError):
        if re.fullmatch(r"-?[0-9]+,[0-9]{1,2}|-?[0-9]+,[0-9]{4,}", cleaned):
            cleaned = cleaned.replace(",", ".")
        try:
            value = float(cleaned)
        except ValueError:
            return None
    return value if math.isfinite(value) else None


def fraction(question: Question, response: Any) -> float:
    """The share of the question's points earned, from 0 to 1."""
    kind = question["type"]
    if response in (None, "", [], {}) or (
        isinstance(response, dict) and kind == "numeric" and not response.get("text")
    ):
        return 0.0
    if kind == "single_choice":
        return (
            1.0
            if any(c["id"] == response and c.get("correct") for c in question["choices"])
            else 0.0
        )
    if kind == "multiple_choice":
        picked = set(response) if isinstance(response, list) else {response}
        right = {c["id"] for c in question["choices"] if c.get("correct")}
        known = {c["id"] for c in question["choices"]}
        hits, misses = len(picked & right), len((picked & known) - right)
        return max(0.0, (hits - misses) / len(right))
    if kind == "true_false":
        return 1.0 if str(response).lower() == str(question["answer"]).lower() else 0.0
    if kind == "short_answer":
        given = normalise_text(str(response))
        return (
            1.0
            if any(
                given == normalise_text(a)
                for answers in question["accepted"].values()
                for a in answers
            )
            else 0.0
        )
    if kind == "numeric":
        # Saved as {"text": what was typed, "value": the number read in the learner's language}.
        value = response.get("value") if isinstance(response, dict) else parse_number(response)
        if value is None:
            return 0.0
        return 1.0 if abs(value - question["answer"]) <= question["tolerance"] + 1e-9 else 0.0
    if kind == "ordering":
        expected = [item["id"] for item in question["items"]]
        given = list(response) if isinstance(response, list) else []
        return sum(1 for a, b in zip(given, expected, strict=False) if a == b) / len(expected)
    if kind == "matching":
        pairs = [pair["id"] for pair in question["pairs"]]
        given = response if isinstance(response, dict) else {}
        return sum(1 for pair in pairs if given.get(pair) == pair) / len(pairs)
    raise ValueError(f"unknown question type {kind!r}")


def score_question(question: Question, response: Any) -> Outcome:
    points = float(question.get("points", 1))
    return Outcome(question["id"], round(fraction(question, response) * points, 4), points)


@dataclass(frozen=True)
class Result:
    outcomes: list[Outcome]
    score: float
    max_score: float
    percent: float
    passed: bool


def score_quiz(questions: list[Question], responses: dict[str, Any], pass_mark: int) -> Result:
    """Score every question (unanswered ones earn nothing) against the pass mark in percent."""
    outcomes = [score_question(q, responses.get(q["id"])) for q in questions]
    score = round(sum(o.points for o in outcomes), 4)
    max_score = sum(o.max_points for o in outcomes)
    percent = round(100 * score / max_score, 2) if max_score else 0.0
    return Result(outcomes, score, max_score, percent, percent + 1e-9 >= pass_mark)
