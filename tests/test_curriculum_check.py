"""The course checker: every malformed input is reported with its file and field, and an import
of a broken tree writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from lms.curriculum.loader import load
from lms.curriculum.models import Course
from lms.extensions import db
from tests.course_files import dump, write_courses

QUIZ = "tier-1/course-1/module-1/quiz.yaml"
MODULE = "tier-1/course-1/module-1/module.yaml"
COURSE = "tier-1/course-1/course.yaml"
RUBRIC = "tier-2/rubrics/simulation.yaml"
SCENARIO = "tier-2/scenarios/scenario-1.yaml"


def edit_yaml(root: Path, relative: str, change) -> None:  # type: ignore[no-untyped-def]
    path = root / relative
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    dump(path, data)


def question(data, index):  # type: ignore[no-untyped-def]
    return data["questions"][index]


BREAKAGES = {
    "bad yaml": (
        lambda root: (root / QUIZ).write_text("id: [unclosed\n", encoding="utf-8"),
        QUIZ,
        "line",
        "not valid YAML",
    ),
    "not a mapping": (
        lambda root: (root / MODULE).write_text("- a list\n", encoding="utf-8"),
        MODULE,
        "",
        "mapping of fields",
    ),
    "unknown question type": (
        lambda root: edit_yaml(root, QUIZ, lambda d: question(d, 0).update(type="essay")),
        QUIZ,
        "questions[0].type",
        "Unknown question type",
    ),
    "no correct choice": (
        lambda root: edit_yaml(
            root, QUIZ, lambda d: question(d, 0)["choices"][0].update(correct=False)
        ),
        QUIZ,
        "questions[0].choices",
        "No choice is marked correct",
    ),
    "two correct single choices": (
        lambda root: edit_yaml(
            root, QUIZ, lambda d: question(d, 0)["choices"][1].update(correct=True)
        ),
        QUIZ,
        "questions[0].choices",
        "exactly one correct",
    ),
    "duplicate question ids": (
        lambda root: edit_yaml(root, QUIZ, lambda d: question(d, 1).update(id="purpose")),
        QUIZ,
        "questions[1].id",
        "used twice",
    ),
    "duplicate choice ids": (
        lambda root: edit_yaml(root, QUIZ, lambda d: question(d, 1)["choices"][1].update(id="lmi")),
        QUIZ,
        "questions[1].choices[1].id",
        "used twice",
    ),
    "missing english text": (
        lambda root: edit_yaml(
            root, QUIZ, lambda d: question(d, 2).update(text={"id": "Hanya bahasa Indonesia"})
        ),
        QUIZ,
        "questions[2].text.en",
        "English text is missing",
    ),
    "missing english module title": (
        lambda root: edit_yaml(root, MODULE, lambda d: d.update(title={"id": "Judul"})),
        MODULE,
        "title.en",
        "English text is missing",
    ),
    "dangling module reference": (
        lambda root: edit_yaml(root, COURSE, lambda d: d["modules"].append("module-9")),
        COURSE,
        "modules[2]",
        "no folder module-9",
    ),
    "module folder not listed": (
        lambda root: edit_yaml(root, COURSE, lambda d: d["modules"].remove("module-2")),
        COURSE,
        "modules",
        "module-2 is not listed",
    ),
    "module id differs from folder": (
        lambda root: edit_yaml(root, MODULE, lambda d: d.update(id="other")),
        MODULE,
        "id",
        "folder's name",
    ),
    "invalid id": (
        lambda root: edit_yaml(root, QUIZ, lambda d: question(d, 0).update(id="Purpose Q")),
        QUIZ,
        "questions[0].id",
        "lowercase letters",
    ),
    "unsafe image path": (
        lambda root: (root / "tier-1/course-1/module-1/text.en.md").write_text(
            "![x](../../../secret.png)", encoding="utf-8"
        ),
        "tier-1/course-1/module-1/text.en.md",
        "image",
        "inside the module folder",
    ),
    "missing image": (
        lambda root: (root / "tier-1/course-1/module-1/text.en.md").write_text(
            "![x](images/none.png)", encoding="utf-8"
        ),
        "tier-1/course-1/module-1/text.en.md",
        "image",
        "does not exist",
    ),
    "javascript link": (
        lambda root: (root / "tier-1/course-1/module-1/text.en.md").write_text(
            "[x](javascript:alert(1))", encoding="utf-8"
        ),
        "tier-1/course-1/module-1/text.en.md",
        "link",
        "must use https",
    ),
    "missing english text file": (
        lambda root: (root / "tier-1/course-1/module-1/text.en.md").unlink(),
        "tier-1/course-1/module-1/text.en.md",
        "",
        "English text is missing",
    ),
    "unknown language file": (
        lambda root: (root / "tier-1/course-1/module-1/text.xx.md").write_text(
            "Hi", encoding="utf-8"
        ),
        "tier-1/course-1/module-1/text.xx.md",
        "",
        "supported language code",
    ),
    "unknown language code": (
        lambda root: edit_yaml(root, MODULE, lambda d: d["title"].update(xx="?")),
        MODULE,
        "title.xx",
        "Unknown language code",
    ),
    "pass mark out of range": (
        lambda root: edit_yaml(root, QUIZ, lambda d: d.update(pass_mark=120)),
        QUIZ,
        "pass_mark",
        "from 1 to 100",
    ),
    "numeric answer not a number": (
        lambda root: edit_yaml(root, QUIZ, lambda d: question(d, 4).update(answer="many")),
        QUIZ,
        "questions[4].answer",
        "must be a number",
    ),
    "negative tolerance": (
        lambda root: edit_yaml(root, QUIZ, lambda d: question(d, 4).update(tolerance=-1)),
        QUIZ,
        "questions[4].tolerance",
        "at least 0",
    ),
    "true/false answer not boolean": (
        lambda root: edit_yaml(root, QUIZ, lambda d: question(d, 2).update(answer="nope")),
        QUIZ,
        "questions[2].answer",
        "true or false",
    ),
    "short answer without accepted answers": (
        lambda root: edit_yaml(root, QUIZ, lambda d: question(d, 3).update(accepted={})),
        QUIZ,
        "questions[3].accepted.en",
        "accepted English answers",
    ),
    "ordering with one item": (
        lambda root: edit_yaml(
            root, QUIZ, lambda d: question(d, 5).update(items=question(d, 5)["items"][:1])
        ),
        QUIZ,
        "questions[5].items",
        "at least two",
    ),
    "wrong tier number": (
        lambda root: edit_yaml(root, "tier-1/tier.yaml", lambda d: d.update(tier=2)),
        "tier-1/tier.yaml",
        "tier",
        "must be 1",
    ),
    "unknown tier rule": (
        lambda root: edit_yaml(
            root, "tier-1/tier.yaml", lambda d: d["rules"].update(attendance=80)
        ),
        "tier-1/tier.yaml",
        "rules.attendance",
        "Unknown rule",
    ),
    "stray folder": (lambda root: (root / "extras").mkdir(), "extras", "", "tier-1 to tier-4"),
    # Tiers 2 to 4: rubrics, scenarios, workshops and their rules
    "rubric points do not rise": (
        lambda root: edit_yaml(root, RUBRIC, lambda d: d["levels"][2].update(points=1)),
        RUBRIC,
        "levels[2].points",
        "points must rise",
    ),
    "criterion misses a level": (
        lambda root: edit_yaml(
            root, RUBRIC, lambda d: d["criteria"][1]["descriptors"].pop("exemplary")
        ),
        RUBRIC,
        "criteria[1].descriptors.exemplary",
        "not described",
    ),
    "criterion weight zero": (
        lambda root: edit_yaml(root, RUBRIC, lambda d: d["criteria"][0].update(weight=0)),
        RUBRIC,
        "criteria[0].weight",
        "at least 1",
    ),
    "pass percent out of range": (
        lambda root: edit_yaml(root, RUBRIC, lambda d: d.update(pass_percent=120)),
        RUBRIC,
        "pass_percent",
        "from 1 to 100",
    ),
    "scenario names an unknown rubric": (
        lambda root: edit_yaml(root, SCENARIO, lambda d: d.update(rubric="nope")),
        SCENARIO,
        "rubric",
        "no rubric nope",
    ),
    "scenario without situation": (
        lambda root: edit_yaml(root, SCENARIO, lambda d: d.pop("situation")),
        SCENARIO,
        "situation",
        "required",
    ),
    "workshop file not listed": (
        lambda root: dump(root / "tier-4/workshops/extra.yaml", {"id": "extra"}),
        "tier-4/tier.yaml",
        "workshops",
        "extra.yaml is not listed",
    ),
    "listed workshop missing": (
        lambda root: (root / "tier-4/workshops/workshop-2.yaml").unlink(),
        "tier-4/tier.yaml",
        "workshops[1]",
        "There is no file",
    ),
    "rule asks for more scenarios than exist": (
        lambda root: edit_yaml(
            root, "tier-2/tier.yaml", lambda d: d["rules"].update(simulations_passed=5)
        ),
        "tier-2/tier.yaml",
        "rules.simulations_passed",
        "only 3",
    ),
    "attendance rule out of range": (
        lambda root: edit_yaml(
            root, "tier-2/tier.yaml", lambda d: d["rules"].update(min_attendance_percent=101)
        ),
        "tier-2/tier.yaml",
        "rules.min_attendance_percent",
        "from 0 to 100",
    ),
    "tier rule missing": (
        lambda root: edit_yaml(
            root, "tier-4/tier.yaml", lambda d: d["rules"].pop("accepted_action_plans")
        ),
        "tier-4/tier.yaml",
        "rules.accepted_action_plans",
        "required",
    ),
    "rubrics in the wrong tier": (
        lambda root: edit_yaml(root, "tier-3/tier.yaml", lambda d: d.update(rubrics=["x"])),
        "tier-3/tier.yaml",
        "rubrics",
        "Only tier 2",
    ),
}


@pytest.mark.parametrize("breakage", list(BREAKAGES), ids=list(BREAKAGES))
def test_each_problem_names_its_file_and_field_and_nothing_is_written(
    app, runner, tmp_path, breakage
):
    root = write_courses(tmp_path / "courses", upper=True)
    assert load(root)[1] == []
    apply, path, field, message = BREAKAGES[breakage]
    apply(root)
    _, problems = load(root)
    assert problems, "the checker found nothing"
    matching = [
        p
        for p in problems
        if p.path == f"courses/{path}" and p.field.startswith(field) and message in p.message
    ]
    assert matching, "\n".join(str(p) for p in problems)
    line = str(matching[0])
    assert line.startswith(f"courses/{path}: ")

    result = runner.invoke(args=["lms", "courses", "import", str(root)])
    assert result.exit_code != 0
    assert f"courses/{path}" in result.output
    assert "nothing was imported" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Course)) == 0


def test_the_real_curriculum_is_valid(app):
    from lms.config import PROJECT_ROOT

    curriculum, problems = load(PROJECT_ROOT / "courses")
    assert problems == []
    assert [tier.number for tier in curriculum.tiers] == [1, 2, 3, 4]
    modules = [m for course in curriculum.tiers[0].courses for m in course.modules]
    assert len(modules) >= 6
    for module in modules:
        assert {"en", "id"} <= set(module.body), module.slug
        assert len(module.body["en"].split()) >= 600, module.slug
        assert set(module.title) == {"en", "id", "ms", "fil", "vi", "th", "km", "lo", "my", "zh"}, (
            module.slug
        )
        assert module.quiz is not None and len(module.quiz.questions) >= 5
        assert len({q["type"] for q in module.quiz.questions}) >= 3, module.slug
    for course in curriculum.courses:
        assert len(course.title) == 10, course.slug
        for module in course.modules:
            assert {"en", "id"} <= set(module.body), module.slug


def test_the_real_tiers_2_to_4(app):
    """The in-person programme, its rubric and scenarios, the roll-out quiz and the workshops,
    in English and Indonesian."""
    from lms.config import PROJECT_ROOT

    curriculum, _ = load(PROJECT_ROOT / "courses")
    both = {"en", "id"}
    (rubric,) = curriculum.rubrics
    assert len(rubric.levels) == 4 and len(rubric.criteria) >= 6
    for criterion in rubric.criteria:
        assert len(criterion["title"]) == 10, criterion["id"]
        for descriptor in criterion["descriptors"].values():
            assert both <= set(descriptor), criterion["id"]
    assert {s.slug for s in curriculum.scenarios} >= {
        "young-jobseeker",
        "returning-after-injury",
        "considering-work-abroad",
    }
    for scenario in curriculum.scenarios:
        for text in (scenario.situation, scenario.roleplay_notes, scenario.observer_notes):
            assert both <= set(text), scenario.slug
            assert len(text["en"].split()) >= 80, scenario.slug
    assert {w.slug for w in curriculum.workshops} >= {
        "disability-inclusion",
        "gender-responsive-counselling",
        "labour-migration",
        "digital-job-portals",
    }
    for workshop in curriculum.workshops:
        assert both <= set(workshop.outline) and len(workshop.title) == 10, workshop.slug
    tier3 = curriculum.tiers[2]
    assert any(m.quiz for course in tier3.courses for m in course.modules)
    for tier in curriculum.tiers[1:]:
        assert len(tier.title) == 10


def test_check_command_reports_ok_and_translation_status(app, runner, tmp_path):
    root = write_courses(tmp_path / "courses")
    result = runner.invoke(args=["lms", "courses", "check", str(root)])
    assert result.exit_code == 0, result.output
    assert "OK: 1 courses, 2 modules." in result.output
    assert "ms" in result.output and "missing" in result.output


def test_a_course_id_used_in_two_tiers_is_reported(app, tmp_path):
    import shutil

    root = write_courses(tmp_path / "courses")
    shutil.copytree(root / "tier-1", root / "tier-2")
    edit_yaml(root, "tier-2/tier.yaml", lambda d: d.update(tier=2))
    _, problems = load(root)
    assert any(
        p.path == "courses/tier-2/course-1/course.yaml"
        and p.field == "id"
        and "also used by" in p.message
        for p in problems
    ), problems
