"""The curriculum as read from files: plain values, checked, ready to import."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Texts = dict[str, str]

QUESTION_TYPES = (
    "single_choice",
    "multiple_choice",
    "true_false",
    "short_answer",
    "numeric",
    "ordering",
    "matching",
)


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the course files, named by file and field."""

    path: str
    field: str
    message: str

    def __str__(self) -> str:
        return (
            f"{self.path}: {self.field}: {self.message}"
            if self.field
            else f"{self.path}: {self.message}"
        )


@dataclass
class QuizSpec:
    slug: str
    pass_mark: int
    max_attempts: int | None
    time_limit_minutes: int | None
    shuffle: bool
    questions: list[dict[str, Any]]  # normalised question definitions (see loader)


@dataclass
class ModuleSpec:
    slug: str
    folder: Path
    title: Texts
    body: Texts
    required: bool
    minutes: int
    quiz: QuizSpec | None = None


@dataclass
class CourseSpec:
    slug: str
    tier: int
    title: Texts
    summary: Texts
    modules: list[ModuleSpec] = field(default_factory=list)


@dataclass
class TierSpec:
    number: int
    title: Texts
    summary: Texts
    rules: dict[str, Any]
    courses: list[CourseSpec] = field(default_factory=list)


@dataclass
class Curriculum:
    root: Path
    tiers: list[TierSpec] = field(default_factory=list)

    @property
    def courses(self) -> list[CourseSpec]:
        return [course for tier in self.tiers for course in tier.courses]
