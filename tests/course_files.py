"""Writing small course trees for tests, valid unless a test breaks them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

QUESTIONS: list[dict[str, Any]] = [
    {
        "id": "purpose",
        "type": "single_choice",
        "text": {"en": "What is the main purpose of a PES?", "id": "Apa tujuan utama LKP?"},
        "choices": [
            {
                "id": "match",
                "text": {"en": "Matching"},
                "correct": True,
                "feedback": {"en": "Right."},
            },
            {"id": "pay", "text": {"en": "Paying"}, "feedback": {"en": "No."}},
        ],
    },
    {
        "id": "services",
        "type": "multiple_choice",
        "text": {"en": "Which are PES services?"},
        "choices": [
            {"id": "lmi", "text": {"en": "LMI"}, "correct": True},
            {"id": "matching", "text": {"en": "Job matching"}, "correct": True},
            {"id": "loans", "text": {"en": "Bank loans"}},
        ],
    },
    {
        "id": "consent",
        "type": "true_false",
        "text": {"en": "Share CVs without consent?"},
        "answer": False,
    },
    {
        "id": "acronym",
        "type": "short_answer",
        "text": {"en": "What does LMI stand for?"},
        "accepted": {"en": ["labour market information", "labor market information"]},
    },
    {
        "id": "rate",
        "type": "numeric",
        "text": {"en": "50 of 200 is what percent?"},
        "answer": 25,
        "tolerance": 0.5,
    },
    {
        "id": "steps",
        "type": "ordering",
        "text": {"en": "Order the steps."},
        "items": [
            {"id": "rapport", "text": {"en": "Build rapport"}},
            {"id": "explore", "text": {"en": "Explore"}},
            {"id": "plan", "text": {"en": "Agree a plan"}},
        ],
    },
    {
        "id": "terms",
        "type": "matching",
        "text": {"en": "Match the terms."},
        "pairs": [
            {"id": "vacancy", "prompt": {"en": "Vacancy"}, "match": {"en": "An unfilled job"}},
            {"id": "gap", "prompt": {"en": "Skills gap"}, "match": {"en": "Missing skills"}},
        ],
    },
]

# Answers that score full marks on QUESTIONS, as the form would send them.
RIGHT_ANSWERS = {
    "q-purpose": "match",
    "q-services": ["lmi", "matching"],
    "q-consent": "false",
    "q-acronym": "Labour  Market Information",
    "q-rate": "25",
    "q-steps-rapport": "1",
    "q-steps-explore": "2",
    "q-steps-plan": "3",
    "q-terms-vacancy": "vacancy",
    "q-terms-gap": "gap",
}


def dump(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def write_courses(
    root: Path,
    modules: int = 2,
    *,
    courses: int = 1,
    quiz: dict[str, Any] | None = None,
    body: str = "## Hello\n\nSome text.",
) -> Path:
    """A tier-1 tree with ``courses`` courses of ``modules`` modules, each with a quiz."""
    tier = root / "tier-1"
    course_ids = [f"course-{c}" for c in range(1, courses + 1)]
    dump(
        tier / "tier.yaml",
        {
            "tier": 1,
            "title": {"en": "Self-Training", "id": "Pelatihan Mandiri"},
            "rules": {"required_modules": "all", "required_quizzes": "all"},
            "courses": course_ids,
        },
    )
    for course_id in course_ids:
        module_ids = [f"module-{m}" for m in range(1, modules + 1)]
        dump(
            tier / course_id / "course.yaml",
            {
                "id": course_id,
                "title": {"en": f"Course {course_id}", "id": f"Kursus {course_id}"},
                "modules": module_ids,
            },
        )
        for module_id in module_ids:
            folder = tier / course_id / module_id
            dump(
                folder / "module.yaml",
                {
                    "id": module_id,
                    "title": {"en": f"Module {module_id}", "id": f"Modul {module_id}"},
                    "required": True,
                    "minutes": 10,
                },
            )
            (folder / "text.en.md").write_text(body, encoding="utf-8")
            (folder / "text.id.md").write_text("## Halo\n\nTeks.", encoding="utf-8")
            dump(
                folder / "quiz.yaml",
                quiz
                or {
                    "id": f"{module_id}-quiz",
                    "pass_mark": 70,
                    "max_attempts": 3,
                    "time_limit_minutes": None,
                    "shuffle": False,
                    "questions": QUESTIONS,
                },
            )
    return root
