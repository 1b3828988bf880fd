"""Reading courses/ into a :class:`Curriculum`, collecting every problem with its file and field.

Nothing here touches the database: :func:`load` either returns a complete, checked curriculum
or the list of everything that is wrong, so an import can be all or nothing.
"""

from __future__ import annotations

import math
import re
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import yaml
from flask_babel import gettext as _
from markdown_it import MarkdownIt

from lms.curriculum.spec import (
    QUESTION_TYPES,
    CourseSpec,
    Curriculum,
    ModuleSpec,
    Problem,
    QuizSpec,
    RubricSpec,
    ScenarioSpec,
    TierSpec,
    WorkshopSpec,
)
from lms.i18n import LANGUAGES

ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TIER_FOLDER = re.compile(r"^tier-([1-4])$")
TEXT_FILE = re.compile(r"^text\.([a-z]{2,3})\.md$")
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"}
# What each tier's rules may say: "choice" is all or none; a pair is a whole-number range.
TIER_RULES: dict[int, dict[str, Any]] = {
    1: {"required_modules": "choice", "required_quizzes": "choice"},
    2: {"min_attendance_percent": (0, 100), "simulations_passed": (0, None)},
    3: {"confirmed_rollouts": (0, None), "required_quizzes": "choice"},
    4: {"workshops_attended": (0, None), "accepted_action_plans": (0, None)},
}
# Things that live beside a tier's courses, one YAML file each, and the tier they belong to.
TIER_EXTRAS = {"rubrics": 2, "scenarios": 2, "workshops": 4}
_markdown = MarkdownIt("commonmark").enable("table")
# Let every link through to the token stream, so the checker can name the unsafe ones (the
# renderer drops them anyway).
_markdown.validateLink = lambda url: True


class Loader:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []

    # -- reporting -------------------------------------------------------------------------
    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return str(path)

    def problem(self, path: Path, field: str, message: str) -> None:
        self.problems.append(Problem(self.rel(path), field, message))

    # -- values ----------------------------------------------------------------------------
    def yaml_file(self, path: Path) -> dict[str, Any] | None:
        if not path.is_file():
            self.problem(path, "", _("The file is missing."))
            return None
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            self.problem(path, "", _("The file is not UTF-8 text."))
            return None
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = _("line %(line)d", line=mark.line + 1) if mark else ""
            self.problem(
                path,
                where,
                _(
                    "This is not valid YAML: %(problem)s",
                    problem=getattr(error, "problem", None) or str(error),
                ),
            )
            return None
        if not isinstance(data, dict):
            self.problem(path, "", _("The file must hold a mapping of fields (key: value)."))
            return None
        return data

    def texts(
        self, path: Path, data: dict[str, Any], field: str, *, required: bool = True
    ) -> dict[str, str]:
        value = data.get(field)
        if value is None:
            if required:
                self.problem(path, field, _("This field is required."))
            return {}
        if not isinstance(value, dict):
            self.problem(
                path, field, _("Give the text per language, for example {en: ..., id: ...}.")
            )
            return {}
        texts: dict[str, str] = {}
        for language, text in value.items():
            if language not in LANGUAGES:
                self.problem(path, f"{field}.{language}", _("Unknown language code."))
            elif not isinstance(text, str) or not text.strip():
                self.problem(path, f"{field}.{language}", _("The text is empty."))
            else:
                texts[language] = text.strip()
        if "en" not in value:
            self.problem(path, f"{field}.en", _("The English text is missing."))
        return texts

    def identifier(self, path: Path, data: dict[str, Any], field: str = "id") -> str:
        value = data.get(field)
        if value is None:
            self.problem(path, field, _("This field is required."))
            return ""
        if not isinstance(value, str) or not ID.match(value):
            self.problem(path, field, _("An id uses lowercase letters, digits and hyphens only."))
            return ""
        return value

    def integer(
        self,
        path: Path,
        data: dict[str, Any],
        field: str,
        *,
        default: int | None,
        low: int,
        high: int | None = None,
        nullable: bool = False,
    ) -> int | None:
        value = data.get(field, default)
        if value is None:
            if nullable:
                return None
            self.problem(path, field, _("This field is required."))
            return default
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or value < low
            or (high is not None and value > high)
        ):
            message = (
                _("Use a whole number from %(low)d to %(high)d.", low=low, high=high)
                if high
                else _("Use a whole number of at least %(low)d.", low=low)
            )
            self.problem(path, field, message)
            return default
        return value

    def boolean(self, path: Path, data: dict[str, Any], field: str, default: bool) -> bool:
        value = data.get(field, default)
        if not isinstance(value, bool):
            self.problem(path, field, _("Use true or false."))
            return default
        return value

    # -- the tree --------------------------------------------------------------------------
    def load(self) -> Curriculum:
        curriculum = Curriculum(self.root)
        if not self.root.is_dir():
            self.problem(self.root, "", _("The courses folder does not exist."))
            return curriculum
        course_ids: dict[str, Path] = {}
        for folder in sorted(p for p in self.root.iterdir() if p.is_dir()):
            match = TIER_FOLDER.match(folder.name)
            if not match:
                self.problem(folder, "", _("A folder here must be named tier-1 to tier-4."))
                continue
            tier = self.tier(folder, int(match.group(1)))
            if tier is None:
                continue
            unique = []
            for course in tier.courses:
                if course.slug in course_ids:
                    self.problem(
                        folder / course.slug / "course.yaml",
                        "id",
                        _(
                            "The id %(id)s is also used by %(other)s.",
                            id=course.slug,
                            other=self.rel(course_ids[course.slug]),
                        ),
                    )
                    continue
                course_ids[course.slug] = folder / course.slug
                unique.append(course)
            tier.courses = unique
            curriculum.tiers.append(tier)
        return curriculum

    def tier(self, folder: Path, number: int) -> TierSpec | None:
        """The tier and its courses, in the order tier.yaml lists them."""
        path = folder / "tier.yaml"
        data = self.yaml_file(path)
        if data is None:
            return None
        if data.get("tier") != number:
            self.problem(
                path,
                "tier",
                _("The tier number must be %(number)d, as in the folder's name.", number=number),
            )
        rules = self.rules(path, data, number)
        tier = TierSpec(
            number,
            self.texts(path, data, "title"),
            self.texts(path, data, "summary", required=False),
            rules,
        )
        for course_folder in self.listed_folders(
            folder, path, "courses", data, allow_empty=number > 1, skip=set(TIER_EXTRAS)
        ):
            course = self.course(course_folder, number)
            if course is not None:
                tier.courses.append(course)
        self.tier_extras(folder, path, data, tier)
        return tier

    def rules(self, path: Path, data: dict[str, Any], number: int) -> dict[str, Any]:
        """The tier's requirement rules, checked against what that tier may require."""
        rules = data.get("rules") or {}
        if not isinstance(rules, dict):
            self.problem(path, "rules", _("The rules must be a mapping."))
            return {}
        allowed = TIER_RULES[number]
        for key in rules:
            if key not in allowed:
                self.problem(
                    path,
                    f"rules.{key}",
                    _("Unknown rule; this tier knows: %(rules)s.", rules=", ".join(allowed)),
                )
        for key, kind in allowed.items():
            if key not in rules:
                if number > 1:
                    self.problem(path, f"rules.{key}", _("This rule is required."))
            elif kind == "choice":
                if rules[key] not in ("all", "none"):
                    self.problem(path, f"rules.{key}", _("Use all or none."))
            else:
                low, high = kind
                self.integer(path, rules, key, default=None, low=low, high=high)
                # integer() names the field without its parent: say where it is.
                if self.problems and self.problems[-1].field == key:
                    last = self.problems.pop()
                    self.problem(path, f"rules.{key}", last.message)
        return {key: value for key, value in rules.items() if key in allowed}

    def tier_extras(self, folder: Path, path: Path, data: dict[str, Any], tier: TierSpec) -> None:
        """Rubrics and scenarios (Tier 2) and workshops (Tier 4), one file each."""
        for name, number in TIER_EXTRAS.items():
            listed = data.get(name)
            if listed is None:
                if (folder / name).is_dir():
                    self.problem(path, name, _("List the files of the folder %(name)s.", name=name))
                continue
            if tier.number != number:
                self.problem(
                    path, name, _("Only tier %(number)d has %(name)s.", number=number, name=name)
                )
                continue
            for file in self.listed_files(folder / name, path, name, listed):
                reader = {
                    "rubrics": self.rubric,
                    "scenarios": self.scenario,
                    "workshops": self.workshop,
                }[name]
                spec = reader(file)
                if spec is not None:
                    getattr(tier, name).append(spec)
        rubrics = {rubric.slug for rubric in tier.rubrics}
        for scenario in tier.scenarios:
            if scenario.rubric and scenario.rubric not in rubrics:
                self.problem(
                    folder / "scenarios" / f"{scenario.slug}.yaml",
                    "rubric",
                    _("There is no rubric %(id)s in this tier.", id=scenario.rubric),
                )
        for key, have in (
            ("simulations_passed", len(tier.scenarios)),
            ("workshops_attended", len(tier.workshops)),
        ):
            need = tier.rules.get(key)
            if isinstance(need, int) and not isinstance(need, bool) and need > have:
                self.problem(
                    path,
                    f"rules.{key}",
                    _(
                        "The rule asks for %(need)d but the tier has only %(have)d.",
                        need=need,
                        have=have,
                    ),
                )

    def listed_files(self, folder: Path, path: Path, field: str, listed: Any) -> list[Path]:
        """The YAML files ``<folder>/<id>.yaml`` a list names, in its order; every file in the
        folder must be listed."""
        if not isinstance(listed, list) or not listed:
            self.problem(path, field, _("List the ids, in order."))
            return []
        found: list[Path] = []
        for index, name in enumerate(listed):
            entry = f"{field}[{index}]"
            if not isinstance(name, str) or not ID.match(name):
                self.problem(
                    path, entry, _("An id uses lowercase letters, digits and hyphens only.")
                )
            elif folder / f"{name}.yaml" in found:
                self.problem(path, entry, _("%(name)s is listed twice.", name=name))
            elif not (folder / f"{name}.yaml").is_file():
                missing = f"{folder.name}/{name}.yaml"
                self.problem(path, entry, _("There is no file %(name)s.", name=missing))
            else:
                found.append(folder / f"{name}.yaml")
        if folder.is_dir():
            for extra in sorted(folder.glob("*.yaml")):
                if extra not in found and extra.stem not in listed:
                    self.problem(
                        path, field, _("The file %(name)s is not listed.", name=extra.name)
                    )
        return found

    def named_file(self, path: Path) -> tuple[dict[str, Any] | None, str]:
        """A rubric's, scenario's or workshop's file, and its id, which must be the file's name."""
        data = self.yaml_file(path)
        if data is None:
            return None, ""
        slug = self.identifier(path, data)
        if slug and slug != path.stem:
            self.problem(path, "id", _("The id must be the file's name, %(name)s.", name=path.stem))
        return data, slug

    def markdown_texts(self, path: Path, data: dict[str, Any], field: str) -> dict[str, str]:
        texts = self.texts(path, data, field)
        for text in texts.values():
            self.check_markdown(path, path.parent, text)
        return texts

    def rubric(self, path: Path) -> RubricSpec | None:
        data, slug = self.named_file(path)
        if data is None:
            return None
        before = len(self.problems)
        levels = self.entries(path, "", data, "levels", ("title",))
        points: list[Any] = []
        for index, (level, raw) in enumerate(zip(levels, data.get("levels") or [], strict=False)):
            value = raw.get("points") if isinstance(raw, dict) else None
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                self.problem(
                    path, f"levels[{index}].points", _("Use a whole number of at least 0.")
                )
            elif points and value <= points[-1]:
                self.problem(
                    path,
                    f"levels[{index}].points",
                    _("Levels go from lowest to highest: points must rise."),
                )
            level["points"] = value
            points.append(value)
        level_ids = [level["id"] for level in levels]
        criteria = self.entries(path, "", data, "criteria", ("title",))
        for index, (criterion, raw) in enumerate(
            zip(criteria, data.get("criteria") or [], strict=False)
        ):
            field = f"criteria[{index}]"
            raw = raw if isinstance(raw, dict) else {}
            weight = raw.get("weight", 1)
            if isinstance(weight, bool) or not isinstance(weight, int) or weight < 1:
                self.problem(path, f"{field}.weight", _("Use a whole number of at least 1."))
            criterion["weight"] = weight
            descriptors = raw.get("descriptors")
            if not isinstance(descriptors, dict):
                self.problem(
                    path, f"{field}.descriptors", _("Describe every level of this criterion.")
                )
                descriptors = {}
            criterion["descriptors"] = {}
            for level_id in level_ids:
                if level_id not in descriptors:
                    self.problem(
                        path, f"{field}.descriptors.{level_id}", _("This level is not described.")
                    )
                    continue
                scoped = _Scoped(self, path, f"{field}.descriptors")
                criterion["descriptors"][level_id] = scoped.texts(descriptors, level_id)
            for extra in set(descriptors) - set(level_ids):
                self.problem(path, f"{field}.descriptors.{extra}", _("There is no such level."))
        rubric = RubricSpec(
            slug,
            self.texts(path, data, "title"),
            self.integer(path, data, "pass_percent", default=None, low=1, high=100) or 0,
            self.boolean(path, data, "no_lowest_level", False),
            self.integer(path, data, "moderation_threshold", default=None, low=0, high=100) or 0,
            levels,
            criteria,
        )
        # entries() names fields as ".levels[0]": drop the leading dot it adds for no prefix.
        for index in range(before, len(self.problems)):
            problem = self.problems[index]
            if problem.field.startswith("."):
                self.problems[index] = Problem(problem.path, problem.field[1:], problem.message)
        return rubric if slug and len(self.problems) == before else None

    def scenario(self, path: Path) -> ScenarioSpec | None:
        data, slug = self.named_file(path)
        if data is None:
            return None
        rubric = data.get("rubric")
        if not isinstance(rubric, str) or not rubric:
            self.problem(path, "rubric", _("Name the rubric this simulation is graded against."))
            rubric = ""
        scenario = ScenarioSpec(
            slug,
            self.texts(path, data, "title"),
            rubric,
            self.integer(path, data, "minutes", default=20, low=1) or 20,
            self.markdown_texts(path, data, "situation"),
            self.markdown_texts(path, data, "roleplay_notes"),
            self.markdown_texts(path, data, "observer_notes"),
        )
        return scenario if slug else None

    def workshop(self, path: Path) -> WorkshopSpec | None:
        data, slug = self.named_file(path)
        if data is None:
            return None
        workshop = WorkshopSpec(
            slug,
            self.texts(path, data, "title"),
            self.texts(path, data, "summary"),
            self.integer(path, data, "hours", default=None, low=1) or 0,
            self.markdown_texts(path, data, "outline"),
            self.texts(path, data, "action_plan_prompt"),
        )
        return workshop if slug else None

    def folder_file(self, folder: Path, path: Path) -> tuple[dict[str, Any] | None, str]:
        """A course's or module's YAML file, and its id, which must be the folder's name."""
        data = self.yaml_file(path)
        if data is None:
            return None, ""
        slug = self.identifier(path, data)
        if slug and slug != folder.name:
            self.problem(
                path, "id", _("The id must be the folder's name, %(name)s.", name=folder.name)
            )
        return data, slug

    def course(self, folder: Path, tier: int) -> CourseSpec | None:
        path = folder / "course.yaml"
        data, slug = self.folder_file(folder, path)
        if data is None:
            return None
        course = CourseSpec(
            slug,
            tier,
            self.texts(path, data, "title"),
            self.texts(path, data, "summary", required=False),
        )
        for module_folder in self.listed_folders(folder, path, "modules", data):
            module = self.module(module_folder)
            if module is not None:
                course.modules.append(module)
        return course if slug else None

    def listed_folders(
        self,
        folder: Path,
        path: Path,
        field: str,
        data: dict[str, Any] | None = None,
        *,
        allow_empty: bool = False,
        skip: set[str] | None = None,
    ) -> list[Path]:
        """The sub-folders a YAML file lists under ``field``, in its order; every folder listed
        must exist, and every folder that exists must be listed (but ``images`` and ``skip``)."""
        if data is None:
            data = self.yaml_file(path) or {}
        listed = data.get(field)
        if not isinstance(listed, list) or (not listed and not allow_empty):
            self.problem(path, field, _("List the folders, in order."))
            listed = []
        found: list[Path] = []
        for index, name in enumerate(listed):
            entry = f"{field}[{index}]"
            if not isinstance(name, str):
                self.problem(path, entry, _("Name each one by its folder name."))
            elif folder / name in found:
                self.problem(path, entry, _("%(name)s is listed twice.", name=name))
            elif not (folder / name).is_dir():
                self.problem(path, entry, _("There is no folder %(name)s.", name=name))
            else:
                found.append(folder / name)
        ignored = {"images"} | (skip or set())
        for extra in sorted(p for p in folder.iterdir() if p.is_dir() and p.name not in ignored):
            if extra not in found and extra.name not in listed:
                self.problem(path, field, _("The folder %(name)s is not listed.", name=extra.name))
        return found

    def module(self, folder: Path) -> ModuleSpec | None:
        path = folder / "module.yaml"
        data, slug = self.folder_file(folder, path)
        if data is None:
            return None
        body: dict[str, str] = {}
        for text_file in sorted(folder.glob("text.*.md")):
            match = TEXT_FILE.match(text_file.name)
            if not match or match.group(1) not in LANGUAGES:
                self.problem(
                    text_file,
                    "",
                    _("Text files are named text.<language>.md, with a supported language code."),
                )
                continue
            try:
                text = text_file.read_text(encoding="utf-8").strip()
            except UnicodeDecodeError:
                self.problem(text_file, "", _("The file is not UTF-8 text."))
                continue
            if not text:
                self.problem(text_file, "", _("The text is empty."))
                continue
            self.check_markdown(text_file, folder, text)
            body[match.group(1)] = text
        if "en" not in body:
            self.problem(folder / "text.en.md", "", _("The English text is missing."))
        module = ModuleSpec(
            slug,
            folder,
            self.texts(path, data, "title"),
            body,
            self.boolean(path, data, "required", True),
            self.integer(path, data, "minutes", default=0, low=0) or 0,
        )
        if (folder / "quiz.yaml").exists():
            module.quiz = self.quiz(folder / "quiz.yaml")
        return module if slug else None

    def check_markdown(self, path: Path, folder: Path, text: str) -> None:
        for token in _markdown.parse(text):
            for child in token.children or []:
                if child.type == "image":
                    self.check_image(path, folder, child.attrGet("src") or "")
                elif child.type == "link_open":
                    href = str(child.attrGet("href") or "")
                    scheme = urlsplit(href).scheme
                    if scheme and scheme not in ("https", "mailto"):
                        self.problem(
                            path, "link", _("The link %(href)s must use https.", href=href)
                        )

    def check_image(self, path: Path, folder: Path, src: str) -> None:
        parts = urlsplit(src)
        relative = PurePosixPath(parts.path)
        if (
            parts.scheme
            or parts.netloc
            or relative.is_absolute()
            or ".." in relative.parts
            or "\\" in src
        ):
            self.problem(
                path,
                "image",
                _("The image path %(src)s must stay inside the module folder.", src=src),
            )
            return
        if relative.suffix.lower() not in IMAGE_SUFFIXES:
            self.problem(
                path,
                "image",
                _("The image %(src)s is not a PNG, JPEG, GIF, WebP or SVG file.", src=src),
            )
        elif not (folder / relative).is_file():
            self.problem(path, "image", _("The image %(src)s does not exist.", src=src))

    # -- quizzes ---------------------------------------------------------------------------
    def quiz(self, path: Path) -> QuizSpec | None:
        data = self.yaml_file(path)
        if data is None:
            return None
        slug = self.identifier(path, data)
        quiz = QuizSpec(
            slug,
            self.integer(path, data, "pass_mark", default=None, low=1, high=100) or 0,
            self.integer(path, data, "max_attempts", default=None, low=1, nullable=True),
            self.integer(path, data, "time_limit_minutes", default=None, low=1, nullable=True),
            self.boolean(path, data, "shuffle", False),
            [],
        )
        questions = data.get("questions")
        if not isinstance(questions, list) or not questions:
            self.problem(path, "questions", _("A quiz needs at least one question."))
            return quiz
        seen: set[str] = set()
        for index, raw in enumerate(questions):
            field = f"questions[{index}]"
            if not isinstance(raw, dict):
                self.problem(path, field, _("A question is a mapping of fields."))
                continue
            question = self.question(path, field, raw)
            if question is None:
                continue
            if question["id"] in seen:
                self.problem(
                    path, f"{field}.id", _("The id %(id)s is used twice.", id=question["id"])
                )
                continue
            seen.add(question["id"])
            quiz.questions.append(question)
        return quiz

    def question(self, path: Path, field: str, raw: dict[str, Any]) -> dict[str, Any] | None:
        before = len(self.problems)
        kind = raw.get("type")
        if kind not in QUESTION_TYPES:
            self.problem(
                path,
                f"{field}.type",
                _(
                    "Unknown question type %(type)s; use one of: %(types)s.",
                    type=str(kind),
                    types=", ".join(QUESTION_TYPES),
                ),
            )
            return None
        scoped = _Scoped(self, path, field)
        question: dict[str, Any] = {
            "id": scoped.identifier(raw),
            "type": kind,
            "points": raw.get("points", 1),
            "text": scoped.texts(raw, "text"),
            "feedback": scoped.texts(raw, "feedback", required=False),
        }
        points = question["points"]
        if isinstance(points, bool) or not isinstance(points, int | float) or points <= 0:
            self.problem(path, f"{field}.points", _("Points must be a positive number."))
        if kind in ("single_choice", "multiple_choice"):
            question["choices"] = self.choices(path, field, raw, kind)
        elif kind == "true_false":
            if not isinstance(raw.get("answer"), bool):
                self.problem(path, f"{field}.answer", _("Use true or false."))
            question["answer"] = raw.get("answer")
        elif kind == "short_answer":
            accepted = raw.get("accepted")
            if not isinstance(accepted, dict) or not accepted.get("en"):
                self.problem(path, f"{field}.accepted.en", _("List the accepted English answers."))
                accepted = {}
            clean: dict[str, list[str]] = {}
            for language, answers in accepted.items():
                if language not in LANGUAGES:
                    self.problem(path, f"{field}.accepted.{language}", _("Unknown language code."))
                elif not isinstance(answers, list) or not all(
                    isinstance(a, str | int | float) and str(a).strip() for a in answers
                ):
                    self.problem(path, f"{field}.accepted.{language}", _("Give a list of answers."))
                else:
                    clean[language] = [str(a) for a in answers]
            question["accepted"] = clean
        elif kind == "numeric":
            answer, tolerance = raw.get("answer"), raw.get("tolerance", 0)
            if (
                isinstance(answer, bool)
                or not isinstance(answer, int | float)
                or not math.isfinite(answer)
            ):
                self.problem(path, f"{field}.answer", _("The answer must be a number."))
            if (
                isinstance(tolerance, bool)
                or not isinstance(tolerance, int | float)
                or tolerance < 0
            ):
                self.problem(
                    path, f"{field}.tolerance", _("The tolerance must be a number of at least 0.")
                )
            question["answer"], question["tolerance"] = answer, tolerance
        elif kind == "ordering":
            question["items"] = self.entries(path, field, raw, "items", ("text",))
        elif kind == "matching":
            question["pairs"] = self.entries(path, field, raw, "pairs", ("prompt", "match"))
        return question if len(self.problems) == before else None

    def choices(
        self, path: Path, field: str, raw: dict[str, Any], kind: str
    ) -> list[dict[str, Any]]:
        choices = self.entries(path, field, raw, "choices", ("text",), optional=("feedback",))
        for choice, source in zip(choices, raw.get("choices") or [], strict=False):
            correct = source.get("correct", False) if isinstance(source, dict) else False
            if not isinstance(correct, bool):
                self.problem(path, f"{field}.choices", _("correct is true or false."))
            choice["correct"] = correct is True
        right = sum(choice["correct"] for choice in choices)
        if choices and right == 0:
            self.problem(path, f"{field}.choices", _("No choice is marked correct."))
        elif kind == "single_choice" and right > 1:
            self.problem(
                path,
                f"{field}.choices",
                _("A single-choice question has exactly one correct choice."),
            )
        return choices

    def entries(
        self,
        path: Path,
        field: str,
        raw: dict[str, Any],
        key: str,
        text_fields: tuple[str, ...],
        optional: tuple[str, ...] = (),
    ) -> list[dict[str, Any]]:
        entries = raw.get(key)
        if not isinstance(entries, list) or len(entries) < 2:
            self.problem(path, f"{field}.{key}", _("Give at least two."))
            return []
        result: list[dict[str, Any]] = []
        seen: set[str] = set()
        for index, entry in enumerate(entries):
            entry_field = f"{field}.{key}[{index}]"
            if not isinstance(entry, dict):
                self.problem(path, entry_field, _("Each one is a mapping with an id."))
                continue
            scoped = _Scoped(self, path, entry_field)
            item: dict[str, Any] = {"id": scoped.identifier(entry)}
            if item["id"] in seen:
                self.problem(
                    path, f"{entry_field}.id", _("The id %(id)s is used twice.", id=item["id"])
                )
            seen.add(item["id"])
            for name in text_fields:
                item[name] = scoped.texts(entry, name)
            for name in optional:
                item[name] = scoped.texts(entry, name, required=False)
            result.append(item)
        return result


class _Scoped:
    """The loader's checks, with field names prefixed (questions[2].choices[1].text ...)."""

    def __init__(self, loader: Loader, path: Path, prefix: str) -> None:
        self.loader, self.path, self.prefix = loader, path, prefix

    def _shifted(self, start: int) -> None:
        for index in range(start, len(self.loader.problems)):
            problem = self.loader.problems[index]
            self.loader.problems[index] = Problem(
                problem.path, f"{self.prefix}.{problem.field}", problem.message
            )

    def identifier(self, data: dict[str, Any]) -> str:
        start = len(self.loader.problems)
        value = self.loader.identifier(self.path, data)
        self._shifted(start)
        return value

    def texts(self, data: dict[str, Any], field: str, *, required: bool = True) -> dict[str, str]:
        start = len(self.loader.problems)
        value = self.loader.texts(self.path, data, field, required=required)
        self._shifted(start)
        return value


def load(root: Path) -> tuple[Curriculum, list[Problem]]:
    """Read and check the whole curriculum under ``root``.

    :return: the curriculum and every problem found (import only when the list is empty).
    """
    loader = Loader(root)
    curriculum = loader.load()
    return curriculum, loader.problems
