"""Importing the curriculum: all or nothing, idempotent, keeping progress, versioning quizzes."""

from __future__ import annotations

import sqlalchemy as sa
import yaml

from lms.curriculum.importer import import_curriculum, translation_status
from lms.curriculum.loader import load
from lms.curriculum.models import Course, Module, Quiz, QuizVersion
from lms.extensions import db
from lms.learning.attempts import start_attempt
from lms.learning.models import ModuleProgress
from lms.learning.progress import mark_read
from tests.course_files import dump, write_courses


def import_tree(root):  # type: ignore[no-untyped-def]
    curriculum, problems = load(root)
    assert problems == []
    report = import_curriculum(curriculum)
    db.session.commit()
    return report, curriculum


def test_import_then_import_again_changes_nothing(app, runner, tmp_path):
    root = write_courses(tmp_path / "courses")
    first = runner.invoke(args=["lms", "courses", "import", str(root)])
    assert first.exit_code == 0, first.output
    assert "module created: 2" in first.output and "Imported." in first.output
    second = runner.invoke(args=["lms", "courses", "import", str(root)])
    assert "Nothing changed" in second.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(QuizVersion)) == 2


def test_the_real_curriculum_imports(app, runner):
    result = runner.invoke(args=["lms", "courses", "import"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Module)) >= 6


def test_editing_texts_keeps_progress(app, world, tmp_path):
    root = write_courses(tmp_path / "courses")
    import_tree(root)
    module = db.session.scalar(sa.select(Module).where(Module.slug == "module-1"))
    mark_read(world.counsellor, module)
    db.session.commit()
    (root / "tier-1/course-1/module-1/text.en.md").write_text(
        "## Changed\n\nNew words.", encoding="utf-8"
    )
    path = root / "tier-1/course-1/module-1/module.yaml"
    data = yaml.safe_load(path.read_text())
    data["title"]["en"] = "A better title"
    dump(path, data)
    report, _ = import_tree(root)
    assert report.changes["module updated"] == 1
    db.session.expire_all()
    same = db.session.get(Module, module.id)
    assert same.title["en"] == "A better title"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ModuleProgress)) == 1


def test_a_changed_quiz_gets_a_new_version_and_old_attempts_keep_theirs(app, world, tmp_path):
    root = write_courses(tmp_path / "courses")
    import_tree(root)
    quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "module-1-quiz"))
    attempt = start_attempt(world.counsellor, quiz)
    db.session.commit()
    old_version = attempt.quiz_version_id
    path = root / "tier-1/course-1/module-1/quiz.yaml"
    data = yaml.safe_load(path.read_text())
    data["questions"][0]["text"]["en"] = "What is the core purpose of a PES?"
    dump(path, data)
    report, _ = import_tree(root)
    assert report.changes["quiz versioned"] == 1
    db.session.expire_all()
    quiz = db.session.get(Quiz, quiz.id)
    assert quiz.current_version.number == 2
    assert quiz.current_version_id != old_version
    assert db.session.get(type(attempt), attempt.id).quiz_version_id == old_version


def test_a_removed_module_is_retired_not_deleted(app, tmp_path):
    root = write_courses(tmp_path / "courses", modules=3)
    import_tree(root)
    path = root / "tier-1/course-1/course.yaml"
    data = yaml.safe_load(path.read_text())
    data["modules"].remove("module-3")
    dump(path, data)
    import shutil

    shutil.rmtree(root / "tier-1/course-1/module-3")
    report, _ = import_tree(root)
    assert report.changes["module retired"] == 1
    retired = db.session.scalar(sa.select(Module).where(Module.slug == "module-3"))
    assert retired is not None and retired.is_retired


def test_translation_status_names_missing_and_outdated_texts(app, tmp_path):
    root = write_courses(tmp_path / "courses", modules=1)
    _, curriculum = import_tree(root)
    status = {s.language: s for s in translation_status(curriculum)}
    assert status["id"].outdated == []
    assert "course-1/module-1:text" not in status["id"].missing
    assert "course-1/module-1:text" in status["th"].missing
    # The English changes; the Indonesian does not: it is now older than its source.
    (root / "tier-1/course-1/module-1/text.en.md").write_text("## New English", encoding="utf-8")
    _, curriculum = import_tree(root)
    status = {s.language: s for s in translation_status(curriculum)}
    assert status["id"].outdated == ["course-1/module-1:text"]
    # Once the translation is updated too, it is current again.
    (root / "tier-1/course-1/module-1/text.id.md").write_text(
        "## Bahasa Indonesia baru", encoding="utf-8"
    )
    _, curriculum = import_tree(root)
    assert {s.language: s for s in translation_status(curriculum)}["id"].outdated == []


def test_course_order_follows_tier_yaml(app, tmp_path):
    root = write_courses(tmp_path / "courses", courses=2)
    path = root / "tier-1/tier.yaml"
    data = yaml.safe_load(path.read_text())
    data["courses"] = ["course-2", "course-1"]
    dump(path, data)
    import_tree(root)
    slugs = list(db.session.scalars(sa.select(Course.slug).order_by(Course.position)))
    assert slugs == ["course-2", "course-1"]


def test_a_translation_updated_with_its_english_is_current_before_and_after_import(app, tmp_path):
    root = write_courses(tmp_path / "courses", modules=1)
    import_tree(root)
    (root / "tier-1/course-1/module-1/text.en.md").write_text("## New English", encoding="utf-8")
    (root / "tier-1/course-1/module-1/text.id.md").write_text(
        "## Bahasa Indonesia baru", encoding="utf-8"
    )
    curriculum, _ = load(root)
    before = {s.language: s for s in translation_status(curriculum)}["id"].outdated
    _, curriculum = import_tree(root)
    after = {s.language: s for s in translation_status(curriculum)}["id"].outdated
    assert before == after == []
