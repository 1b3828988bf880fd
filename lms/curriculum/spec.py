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
class RubricSpec:
    """A simulation rubric: levels shared by every criterion (lowest first, points rising),
    criteria with a weight and a descriptor per level, and the pass rule."""

    slug: str
    title: Texts
    pass_percent: int
    no_lowest_level: bool
    moderation_threshold: int
    levels: list[dict[str, Any]]  # {"id", "points", "title"}
    criteria: list[dict[str, Any]]  # {"id", "title", "weight", "descriptors": {level: Texts}}


@dataclass
class ScenarioSpec:
    """A counselling simulation: the jobseeker's situation the counsellor must handle."""

    slug: str
    title: Texts
    rubric: str
    minutes: int
    situation: Texts  # Markdown, shown to the counsellor
    roleplay_notes: Texts  # Markdown, for whoever plays the jobseeker
    observer_notes: Texts  # Markdown, for the trainer


@dataclass
class WorkshopSpec:
    slug: str
    title: Texts
    summary: Texts
    hours: int
    outline: Texts  # Markdown
    action_plan_prompt: Texts


@dataclass
class TierSpec:
    number: int
    title: Texts
    summary: Texts
    rules: dict[str, Any]
    courses: list[CourseSpec] = field(default_factory=list)
    rubrics: list[RubricSpec] = field(default_factory=list)
    scenarios: list[ScenarioSpec] = field(default_factory=list)
    workshops: list[WorkshopSpec] = field(default_factory=list)


@dataclass
class Curriculum:
    root: Path
    tiers: list[TierSpec] = field(default_factory=list)

    @property
    def courses(self) -> list[CourseSpec]:
        return [course for tier in self.tiers for course in tier.courses]

    @property
    def rubrics(self) -> list[RubricSpec]:
        return [rubric for tier in self.tiers for rubric in tier.rubrics]

    @property
    def scenarios(self) -> list[ScenarioSpec]:
        return [scenario for tier in self.tiers for scenario in tier.scenarios]

    @property
    def workshops(self) -> list[WorkshopSpec]:
        return [workshop for tier in self.tiers for workshop in tier.workshops]
