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
    upper: bool = False,
) -> Path:
    """A tier-1 tree with ``courses`` courses of ``modules`` modules, each with a quiz; with
    ``upper``, Tiers 2 to 4 as well (see :func:`write_upper_tiers`)."""
    if upper:
        write_upper_tiers(root)
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


LEVELS = ["not-yet", "developing", "proficient", "exemplary"]  # 1 to 4 points
CRITERIA = {"rapport": 1, "listening": 1, "action-plan": 2}  # id -> weight
UPPER_RULES = {
    2: {"min_attendance_percent": 80, "simulations_passed": 2},
    3: {"confirmed_rollouts": 1, "required_quizzes": "all"},
    4: {"workshops_attended": 2, "accepted_action_plans": 1},
}


def rubric_file(**changes: Any) -> dict[str, Any]:
    return {
        "id": "simulation",
        "title": {"en": "Simulation rubric", "id": "Rubrik simulasi"},
        "pass_percent": 70,
        "no_lowest_level": True,
        "moderation_threshold": 15,
        "levels": [
            {"id": level, "points": points, "title": {"en": level.title()}}
            for points, level in enumerate(LEVELS, start=1)
        ],
        "criteria": [
            {
                "id": criterion,
                "title": {"en": criterion.title()},
                "weight": weight,
                "descriptors": {level: {"en": f"{criterion} at {level}"} for level in LEVELS},
            }
            for criterion, weight in CRITERIA.items()
        ],
        **changes,
    }


def write_upper_tiers(root: Path, *, scenarios: int = 3, workshops: int = 3) -> None:
    """Tier 2 (a rubric and scenarios), Tier 3 (a course whose one module has a one-question
    quiz) and Tier 4 (workshops), under the rules in UPPER_RULES."""
    scenario_ids = [f"scenario-{n}" for n in range(1, scenarios + 1)]
    workshop_ids = [f"workshop-{n}" for n in range(1, workshops + 1)]
    dump(
        root / "tier-2" / "tier.yaml",
        {
            "tier": 2,
            "title": {"en": "In-Person Training"},
            "rules": UPPER_RULES[2],
            "courses": [],
            "rubrics": ["simulation"],
            "scenarios": scenario_ids,
        },
    )
    dump(root / "tier-2" / "rubrics" / "simulation.yaml", rubric_file())
    for scenario in scenario_ids:
        dump(
            root / "tier-2" / "scenarios" / f"{scenario}.yaml",
            {
                "id": scenario,
                "title": {"en": f"Scenario {scenario}", "id": f"Skenario {scenario}"},
                "rubric": "simulation",
                "minutes": 20,
                "situation": {"en": "A **jobseeker** needs help.", "id": "Pencari kerja."},
                "roleplay_notes": {"en": "Be shy."},
                "observer_notes": {"en": "Watch the opening."},
            },
        )
    tier3 = root / "tier-3"
    dump(
        tier3 / "tier.yaml",
        {
            "tier": 3,
            "title": {"en": "Roll-Out Training"},
            "rules": UPPER_RULES[3],
            "courses": ["rollout"],
        },
    )
    dump(
        tier3 / "rollout" / "course.yaml",
        {"id": "rollout", "title": {"en": "Roll-out"}, "modules": ["essentials"]},
    )
    dump(
        tier3 / "rollout" / "essentials" / "module.yaml",
        {"id": "essentials", "title": {"en": "Essentials"}, "required": True, "minutes": 5},
    )
    (tier3 / "rollout" / "essentials" / "text.en.md").write_text("Text.", encoding="utf-8")
    dump(
        tier3 / "rollout" / "essentials" / "quiz.yaml",
        {
            "id": "essentials-quiz",
            "pass_mark": 100,
            "questions": [
                {
                    "id": "consent",
                    "type": "true_false",
                    "text": {"en": "Consent first?"},
                    "answer": True,
                }
            ],
        },
    )
    dump(
        root / "tier-4" / "tier.yaml",
        {
            "tier": 4,
            "title": {"en": "Workshops"},
            "rules": UPPER_RULES[4],
            "courses": [],
            "workshops": workshop_ids,
        },
    )
    for workshop in workshop_ids:
        dump(
            root / "tier-4" / "workshops" / f"{workshop}.yaml",
            {
                "id": workshop,
                "title": {"en": f"Workshop {workshop}"},
                "summary": {"en": "A workshop."},
                "hours": 6,
                "outline": {"en": "## Aims\n\nLearn."},
                "action_plan_prompt": {"en": "What will you change?"},
            },
        )
