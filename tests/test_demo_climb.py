"""The issue's "done when": on the demo data and the real curriculum, Siti climbs all four tiers
with the help of a trainer and an admin, with pages in Indonesian and in English."""

from __future__ import annotations

import re
from datetime import date, timedelta

import sqlalchemy as sa

from lms.accounts.users import user_by_email
from lms.config import PROJECT_ROOT
from lms.curriculum.importer import import_curriculum
from lms.curriculum.loader import load
from lms.curriculum.models import Module, Quiz, Scenario, Workshop
from lms.demo import load_demo
from lms.extensions import db
from lms.learning.attempts import save_answers, start_attempt
from lms.learning.attempts import submit as submit_attempt
from lms.learning.models import TierCompletion
from lms.learning.progress import mark_read, module_statuses, tier_courses
from lms.training.demo import load_training_demo
from lms.training.models import ActionPlan, Cohort, RolloutSession
from tests.support import right_response, sign_in, submit, text


def pass_quiz(person, quiz: Quiz) -> None:  # type: ignore[no-untyped-def]
    attempt = start_attempt(person, quiz)
    save_answers(attempt, {q["id"]: right_response(q) for q in attempt.version.questions})
    submit_attempt(attempt)
    assert attempt.passed, quiz.slug


def tiers_done(person) -> list[int]:  # type: ignore[no-untyped-def]
    return sorted(
        db.session.scalars(
            sa.select(TierCompletion.tier_number).where(TierCompletion.user_id == person.id)
        )
    )


def test_siti_climbs_the_whole_ladder_in_the_demo(app, client):
    curriculum, problems = load(PROJECT_ROOT / "courses")
    assert problems == []
    import_curriculum(curriculum)
    load_demo()
    db.session.commit()
    assert load_training_demo()
    db.session.commit()
    siti = user_by_email("counsellor.id@example.org")
    joko = user_by_email("joko.susilo@example.org")
    trainer = user_by_email("trainer.id@example.org")
    admin = user_by_email("admin.id@example.org")

    # Tier 1, in Indonesian: every module read and its quiz passed.
    sign_in(client, siti)
    home = text(client.get("/"))
    assert 'lang="id"' in home and "Tingkat 1" in home
    for status in module_statuses(siti, tier_courses(1)):
        mark_read(siti, status.module)
        pass_quiz(siti, status.module.quiz)
    db.session.commit()
    assert tiers_done(siti) == [1]

    # Tier 2: the trainer marks the three sessions and grades the three simulations.
    cohort = db.session.scalar(sa.select(Cohort).where(Cohort.name.like("%batch 2")))
    sign_in(client, trainer)
    for session in cohort.sessions:
        url = f"/sessions/{session.id}/attendance"
        assert submit(client, url, {f"status-{siti.id}": "present"}, page=url).status_code == 302
    scenarios = db.session.scalars(sa.select(Scenario).order_by(Scenario.position)).all()
    assert len(scenarios) == 3
    for scenario in scenarios:
        url = f"/cohorts/{cohort.id}/members/{siti.id}/simulations/{scenario.slug}"
        levels = {f"level-{c['id']}": "proficient" for c in scenario.rubric.criteria}
        response = submit(
            client,
            url,
            {**levels, "comment-building-rapport": "Sapaan hangat.", "action": "finalise"},
            page=url,
        )
        assert response.status_code == 302, text(response)
    assert tiers_done(siti) == [1, 2]
    sign_in(client, siti)
    record = text(client.get("/training"))
    first = re.search(r'href="(/simulations/\d+)"', record).group(1)
    assert "Sapaan hangat." in text(client.get(first))

    # Tier 3: the admin makes her a facilitator; she records a roll-out with Joko; the trainer
    # confirms it; she passes the roll-out quiz.
    sign_in(client, admin)
    submit(client, f"/admin/facilitators/{siti.id}", page="/admin/facilitators")
    sign_in(client, siti)
    response = submit(
        client,
        "/rollouts/new",
        {
            "held_on": str(date.today()),
            "place": "Disnaker Jakarta Selatan",
            "topic": "Tahapan wawancara konseling",
            "participants": [str(joko.id)],
        },
        page="/rollouts/new",
    )
    assert response.status_code == 302, text(response)
    rollout = db.session.scalar(
        sa.select(RolloutSession).where(RolloutSession.facilitator_id == siti.id)
    )
    sign_in(client, trainer)
    url = f"/rollouts/{rollout.id}"
    submit(client, f"{url}/review", {"decision": "confirm", "comment": ""}, page=url)
    quiz = db.session.scalar(
        sa.select(Quiz).join(Module).where(Module.slug == "rollout-essentials")
    )
    pass_quiz(siti, quiz)
    db.session.commit()
    assert tiers_done(siti) == [1, 2, 3]

    # Tier 4, in English this time: two workshops attended, one action plan accepted.
    siti.preferred_language = "en"
    db.session.commit()
    workshop_cohort = db.session.scalar(sa.select(Cohort).where(Cohort.tier_number == 4))
    sign_in(client, trainer)
    for session in workshop_cohort.sessions:
        url = f"/sessions/{session.id}/attendance"
        submit(client, url, {f"status-{siti.id}": "present"}, page=url)
    workshop = db.session.scalar(sa.select(Workshop).order_by(Workshop.position))
    sign_in(client, siti)
    url = f"/workshops/{workshop.slug}"
    page = text(client.get(url))
    assert 'lang="en"' in page and "Your action plan" in page
    response = submit(
        client,
        url,
        {
            "changes": "A ramp and large-print forms at our office.",
            "due_on": str(date.today() + timedelta(days=60)),
        },
        page=url,
    )
    assert response.status_code == 302, text(response)
    plan = db.session.scalar(sa.select(ActionPlan).where(ActionPlan.user_id == siti.id))
    sign_in(client, trainer)
    submit(
        client,
        f"/action-plans/{plan.id}/review",
        {"decision": "accept", "comment": "Good"},
        page="/action-plans",
    )
    assert tiers_done(siti) == [1, 2, 3, 4]
    sign_in(client, siti)
    home = text(client.get("/"))
    assert "You have completed all four tiers" in home
    notices = text(client.get("/notices"))
    assert len(re.findall("You completed Tier", notices)) == 4
