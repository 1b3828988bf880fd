"""Tiers, courses, modules and quizzes as imported from courses/.

Texts are stored as ``{language: text}`` mappings. Quizzes are versioned: a change to a quiz's
questions makes a new version, and attempts keep pointing at the version they were taken on.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import utcnow
from lms.dbtypes import UTCDateTime
from lms.extensions import db

Texts = dict[str, str]


class Tier(db.Model):
    """One of the four fixed tiers; what completes it is data (``rules``)."""

    __tablename__ = "tiers"
    __table_args__ = (sa.CheckConstraint("number BETWEEN 1 AND 4", name="number"),)

    number: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    title: Mapped[Texts] = mapped_column(sa.JSON)
    summary: Mapped[Texts] = mapped_column(sa.JSON)
    rules: Mapped[dict[str, Any]] = mapped_column(sa.JSON)


class Course(db.Model):
    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(64), unique=True)
    tier_number: Mapped[int] = mapped_column(sa.ForeignKey("tiers.number"), index=True)
    position: Mapped[int] = mapped_column(sa.Integer)
    title: Mapped[Texts] = mapped_column(sa.JSON)
    summary: Mapped[Texts] = mapped_column(sa.JSON)
    # A course removed from the files is retired, not deleted: learners' records point at it.
    is_retired: Mapped[bool] = mapped_column(sa.Boolean, default=False)

    modules: Mapped[list[Module]] = relationship(
        back_populates="course", order_by="Module.position"
    )


class Module(db.Model):
    __tablename__ = "modules"
    __table_args__ = (sa.UniqueConstraint("course_id", "slug", name="uq_modules_course_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("courses.id"), index=True)
    slug: Mapped[str] = mapped_column(sa.String(64))
    position: Mapped[int] = mapped_column(sa.Integer)
    title: Mapped[Texts] = mapped_column(sa.JSON)
    body: Mapped[Texts] = mapped_column(sa.JSON)  # Markdown per language
    is_required: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    minutes: Mapped[int] = mapped_column(sa.Integer, default=0)
    is_retired: Mapped[bool] = mapped_column(sa.Boolean, default=False)

    course: Mapped[Course] = relationship(back_populates="modules")
    quiz: Mapped[Quiz | None] = relationship(back_populates="module", uselist=False)


class Quiz(db.Model):
    __tablename__ = "quizzes"

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(sa.ForeignKey("modules.id"), unique=True)
    slug: Mapped[str] = mapped_column(sa.String(64))
    pass_mark: Mapped[int] = mapped_column(sa.Integer)  # percent
    max_attempts: Mapped[int | None] = mapped_column(sa.Integer)
    time_limit_minutes: Mapped[int | None] = mapped_column(sa.Integer)
    shuffle: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    current_version_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("quiz_versions.id", use_alter=True)
    )
    is_retired: Mapped[bool] = mapped_column(sa.Boolean, default=False)

    module: Mapped[Module] = relationship(back_populates="quiz")
    current_version: Mapped[QuizVersion | None] = relationship(foreign_keys=[current_version_id])


class QuizVersion(db.Model):
    """The questions of a quiz as they were at one import; never changed afterwards."""

    __tablename__ = "quiz_versions"
    __table_args__ = (sa.UniqueConstraint("quiz_id", "number", name="uq_quiz_versions_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(sa.ForeignKey("quizzes.id"), index=True)
    number: Mapped[int] = mapped_column(sa.Integer)
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    questions: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TranslationBasis(db.Model):
    """For one text in one language: the English text it was last translated from.

    When the English changes and the translation does not, the translation is older than its
    source until someone updates it.
    """

    __tablename__ = "translation_basis"

    key: Mapped[str] = mapped_column(sa.String(255), primary_key=True)
    language: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    english_hash: Mapped[str] = mapped_column(sa.String(64))
    translation_hash: Mapped[str] = mapped_column(sa.String(64))


class Rubric(db.Model):
    """How trainers grade a counselling simulation (Tier 2).

    ``levels`` are shared by every criterion, lowest first; ``criteria`` carry a weight and a
    descriptor per level. Grades store the level chosen per criterion id, and the percent and
    pass they came to when they were saved.
    """

    __tablename__ = "rubrics"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(64), unique=True)
    title: Mapped[Texts] = mapped_column(sa.JSON)
    pass_percent: Mapped[int] = mapped_column(sa.Integer)
    no_lowest_level: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    moderation_threshold: Mapped[int] = mapped_column(sa.Integer)
    levels: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON)
    criteria: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON)
    is_retired: Mapped[bool] = mapped_column(sa.Boolean, default=False)


class Scenario(db.Model):
    """A counselling simulation: the jobseeker's situation, graded against a rubric."""

    __tablename__ = "scenarios"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(64), unique=True)
    rubric_id: Mapped[int] = mapped_column(sa.ForeignKey("rubrics.id"), index=True)
    position: Mapped[int] = mapped_column(sa.Integer)
    title: Mapped[Texts] = mapped_column(sa.JSON)
    minutes: Mapped[int] = mapped_column(sa.Integer)
    situation: Mapped[Texts] = mapped_column(sa.JSON)
    roleplay_notes: Mapped[Texts] = mapped_column(sa.JSON)
    observer_notes: Mapped[Texts] = mapped_column(sa.JSON)
    is_retired: Mapped[bool] = mapped_column(sa.Boolean, default=False)

    rubric: Mapped[Rubric] = relationship()


class Workshop(db.Model):
    """A Tier 4 workshop of the catalogue; cohorts schedule it as sessions."""

    __tablename__ = "workshops"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(64), unique=True)
    position: Mapped[int] = mapped_column(sa.Integer)
    title: Mapped[Texts] = mapped_column(sa.JSON)
    summary: Mapped[Texts] = mapped_column(sa.JSON)
    hours: Mapped[int] = mapped_column(sa.Integer)
    outline: Mapped[Texts] = mapped_column(sa.JSON)
    action_plan_prompt: Mapped[Texts] = mapped_column(sa.JSON)
    is_retired: Mapped[bool] = mapped_column(sa.Boolean, default=False)
