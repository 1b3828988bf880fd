"""Writing a checked curriculum into the database: idempotent, keeping learners' progress.

Rows are matched by their stable ids (slugs), never by title or position, so editing a text
keeps every learner's progress. Something removed from the files is retired, not deleted. A
quiz whose questions change gets a new version; old attempts keep the version they were taken on.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from lms.curriculum.models import (
    Course,
    Module,
    Quiz,
    QuizVersion,
    Rubric,
    Scenario,
    Tier,
    TranslationBasis,
    Workshop,
)
from lms.curriculum.spec import CourseSpec, Curriculum, ModuleSpec, QuizSpec
from lms.extensions import db
from lms.i18n import LANGUAGES


def digest(value: Any) -> str:
    return hashlib.sha256(
        json.dumps(value, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()


@dataclass
class ImportReport:
    """What an import changed, counted per kind of thing ("course created", ...)."""

    changes: Counter[str] = field(default_factory=Counter)

    def note(self, what: str) -> None:
        self.changes[what] += 1

    @property
    def changed(self) -> bool:
        return bool(self.changes)


@dataclass(frozen=True)
class LanguageStatus:
    language: str
    missing: list[str]
    outdated: list[str]


def _set(row: Any, values: dict[str, Any]) -> bool:
    """Assign values that differ; say whether any did."""
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def import_curriculum(curriculum: Curriculum) -> ImportReport:
    """Write ``curriculum`` (already checked) into the session; the caller commits.

    :return: what was created, changed, versioned or retired (empty on a repeated import).
    """
    report = ImportReport()
    for tier in curriculum.tiers:
        row = db.session.get(Tier, tier.number)
        values = {"title": tier.title, "summary": tier.summary, "rules": tier.rules}
        if row is None:
            db.session.add(Tier(number=tier.number, **values))
            report.note("tier created")
        elif _set(row, values):
            report.note("tier updated")
    db.session.flush()

    existing = {course.slug: course for course in db.session.scalars(sa.select(Course))}
    seen: set[str] = set()
    for tier in curriculum.tiers:
        for position, spec in enumerate(tier.courses):
            seen.add(spec.slug)
            _import_course(spec, position, existing.get(spec.slug), report)
    for slug, course in existing.items():
        if slug not in seen and not course.is_retired:
            course.is_retired = True
            report.note("course retired")
    _import_rubrics_scenarios_workshops(curriculum, report)
    _record_translation_basis(curriculum, report)
    db.session.flush()
    return report


def _import_by_slug(
    model: type, specs: list[tuple[str, dict[str, Any]]], report: ImportReport
) -> dict:
    """Create or update one row per (slug, values); retire rows no longer in the files."""
    name = model.__tablename__.rstrip("s")
    existing = {row.slug: row for row in db.session.scalars(sa.select(model))}
    for slug, values in specs:
        row = existing.get(slug)
        values = {**values, "is_retired": False}
        if row is None:
            existing[slug] = row = model(slug=slug, **values)
            db.session.add(row)
            report.note(f"{name} created")
        elif _set(row, values):
            report.note(f"{name} updated")
    listed = {slug for slug, _ in specs}
    for slug, row in existing.items():
        if slug not in listed and not row.is_retired:
            row.is_retired = True
            report.note(f"{name} retired")
    db.session.flush()
    return existing


def _import_rubrics_scenarios_workshops(curriculum: Curriculum, report: ImportReport) -> None:
    rubrics = _import_by_slug(
        Rubric,
        [
            (
                spec.slug,
                {
                    "title": spec.title,
                    "pass_percent": spec.pass_percent,
                    "no_lowest_level": spec.no_lowest_level,
                    "moderation_threshold": spec.moderation_threshold,
                    "levels": spec.levels,
                    "criteria": spec.criteria,
                },
            )
            for spec in curriculum.rubrics
        ],
        report,
    )
    _import_by_slug(
        Scenario,
        [
            (
                spec.slug,
                {
                    "rubric_id": rubrics[spec.rubric].id,
                    "position": position,
                    "title": spec.title,
                    "minutes": spec.minutes,
                    "situation": spec.situation,
                    "roleplay_notes": spec.roleplay_notes,
                    "observer_notes": spec.observer_notes,
                },
            )
            for position, spec in enumerate(curriculum.scenarios)
        ],
        report,
    )
    _import_by_slug(
        Workshop,
        [
            (
                spec.slug,
                {
                    "position": position,
                    "title": spec.title,
                    "summary": spec.summary,
                    "hours": spec.hours,
                    "outline": spec.outline,
                    "action_plan_prompt": spec.action_plan_prompt,
                },
            )
            for position, spec in enumerate(curriculum.workshops)
        ],
        report,
    )


def _import_course(
    spec: CourseSpec, position: int, row: Course | None, report: ImportReport
) -> None:
    values = {
        "tier_number": spec.tier,
        "position": position,
        "title": spec.title,
        "summary": spec.summary,
        "is_retired": False,
    }
    if row is None:
        row = Course(slug=spec.slug, **values)
        db.session.add(row)
        db.session.flush()
        report.note("course created")
    elif _set(row, values):
        report.note("course updated")
    modules = {module.slug: module for module in row.modules}
    for module_position, module_spec in enumerate(spec.modules):
        _import_module(
            row, module_spec, module_position, modules.pop(module_spec.slug, None), report
        )
    for module in modules.values():
        if not module.is_retired:
            module.is_retired = True
            report.note("module retired")


def _import_module(
    course: Course, spec: ModuleSpec, position: int, row: Module | None, report: ImportReport
) -> None:
    values = {
        "position": position,
        "title": spec.title,
        "body": spec.body,
        "is_required": spec.required,
        "minutes": spec.minutes,
        "is_retired": False,
    }
    if row is None:
        row = Module(course=course, slug=spec.slug, **values)
        db.session.add(row)
        db.session.flush()
        report.note("module created")
    elif _set(row, values):
        report.note("module updated")
    if spec.quiz is not None:
        _import_quiz(row, spec.quiz, report)
    elif row.quiz is not None and not row.quiz.is_retired:
        row.quiz.is_retired = True
        report.note("quiz retired")


def _import_quiz(module: Module, spec: QuizSpec, report: ImportReport) -> None:
    values = {
        "slug": spec.slug,
        "pass_mark": spec.pass_mark,
        "max_attempts": spec.max_attempts,
        "time_limit_minutes": spec.time_limit_minutes,
        "shuffle": spec.shuffle,
        "is_retired": False,
    }
    quiz = module.quiz
    if quiz is None:
        quiz = Quiz(module=module, **values)
        db.session.add(quiz)
        db.session.flush()
        report.note("quiz created")
    elif _set(quiz, values):
        report.note("quiz updated")
    content_hash = digest(spec.questions)
    current = quiz.current_version
    if current is None or current.content_hash != content_hash:
        number = (current.number if current else 0) + 1
        version = QuizVersion(
            quiz_id=quiz.id, number=number, content_hash=content_hash, questions=spec.questions
        )
        db.session.add(version)
        db.session.flush()
        quiz.current_version = version
        if current is not None:
            report.note("quiz versioned")


def translatable_texts(curriculum: Curriculum) -> Iterator[tuple[str, dict[str, str]]]:
    """Every learner-facing text, as (a stable key, {language: text})."""
    for tier in curriculum.tiers:
        yield f"tier/{tier.number}:title", tier.title
        if tier.summary:
            yield f"tier/{tier.number}:summary", tier.summary
        for course in tier.courses:
            yield f"{course.slug}:title", course.title
            if course.summary:
                yield f"{course.slug}:summary", course.summary
            for module in course.modules:
                where = f"{course.slug}/{module.slug}"
                yield f"{where}:title", module.title
                yield f"{where}:text", module.body
                if module.quiz is not None:
                    for question in module.quiz.questions:
                        yield from _question_texts(f"{where}/quiz/{question['id']}", question)
        for rubric in tier.rubrics:
            yield f"rubric/{rubric.slug}:title", rubric.title
            for level in rubric.levels:
                yield f"rubric/{rubric.slug}/{level['id']}:title", level["title"]
            for criterion in rubric.criteria:
                where = f"rubric/{rubric.slug}/{criterion['id']}"
                yield f"{where}:title", criterion["title"]
                for level_id, descriptor in criterion["descriptors"].items():
                    yield f"{where}/{level_id}:descriptor", descriptor
        for scenario in tier.scenarios:
            for name in ("title", "situation", "roleplay_notes", "observer_notes"):
                yield f"scenario/{scenario.slug}:{name}", getattr(scenario, name)
        for workshop in tier.workshops:
            for name in ("title", "summary", "outline", "action_plan_prompt"):
                yield f"workshop/{workshop.slug}:{name}", getattr(workshop, name)


def _question_texts(key: str, question: dict[str, Any]) -> Iterator[tuple[str, dict[str, str]]]:
    yield f"{key}:text", question["text"]
    if question.get("feedback"):
        yield f"{key}:feedback", question["feedback"]
    for group, names in (
        ("choices", ("text", "feedback")),
        ("items", ("text",)),
        ("pairs", ("prompt", "match")),
    ):
        for entry in question.get(group, []):
            for name in names:
                if entry.get(name):
                    yield f"{key}/{entry['id']}:{name}", entry[name]


def _record_translation_basis(curriculum: Curriculum, report: ImportReport) -> None:
    """Remember, per text and language, which English text the translation was made from.

    A translation that changes is taken to follow the English of that moment; one that stays
    while the English changes falls behind until it is updated.
    """
    basis = {
        (row.key, row.language): row for row in db.session.scalars(sa.select(TranslationBasis))
    }
    for key, texts in translatable_texts(curriculum):
        english = digest(texts.get("en", ""))
        for language, text in texts.items():
            if language == "en":
                continue
            translation = digest(text)
            row = basis.get((key, language))
            if row is None:
                db.session.add(
                    TranslationBasis(
                        key=key,
                        language=language,
                        english_hash=english,
                        translation_hash=translation,
                    )
                )
            elif row.translation_hash != translation:
                row.translation_hash, row.english_hash = translation, english


def translation_status(curriculum: Curriculum) -> list[LanguageStatus]:
    """Per language: texts with no translation, and translations older than their English
    source (the English changed since the translation last did). Agrees before and after an
    import: a translation updated together with its English counts as current."""
    basis = {
        (row.key, row.language): (row.english_hash, row.translation_hash)
        for row in db.session.scalars(sa.select(TranslationBasis))
    }
    statuses = []
    for language in LANGUAGES:
        if language == "en":
            continue
        missing, outdated = [], []
        for key, texts in translatable_texts(curriculum):
            if language not in texts:
                missing.append(key)
                continue
            known = basis.get((key, language))
            if known is None:
                continue
            english, translation = known
            if english != digest(texts["en"]) and translation == digest(texts[language]):
                outdated.append(key)
        statuses.append(LanguageStatus(language, missing, outdated))
    return statuses
