"""Tiers 2 and 3 in Chromium: a trainer on a phone marks attendance and grades a simulation,
the counsellor reads the feedback, a facilitator records a roll-out that a trainer confirms;
every training page passes axe-core on a phone and a desktop."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from lms.accounts.users import user_by_email
from lms.demo import DEMO_PASSWORD
from lms.extensions import db
from lms.training.models import Cohort, RolloutSession, Simulation
from tests.browser.axe import check_page
from tests.browser.conftest import DESKTOP, PHONE

TRAINER = "trainer.id@example.org"
COUNSELLOR = "counsellor.id@example.org"
FACILITATOR = "budi.santoso@example.org"
ADMIN = "admin.id@example.org"


def sign_in(page, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(DEMO_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/$"))


def new_page(browser, live_server, viewport, name):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        base_url=live_server, viewport=viewport, locale="en-GB", reduced_motion="reduce"
    )
    tab = context.new_page()
    tab.viewport_name = name
    return tab


def ids(live_app):  # type: ignore[no-untyped-def]
    with live_app.app_context():
        cohort = db.session.scalar(sa.select(Cohort).where(Cohort.name.like("%batch 2")))
        return {
            "cohort": cohort.id,
            "session": cohort.sessions[0].id,
            "siti": user_by_email(COUNSELLOR).id,
        }


def test_trainer_on_a_phone_marks_attendance_and_grades_then_the_counsellor_reads_it(
    browser, live_server, live_app
):
    known = ids(live_app)
    trainer = new_page(browser, live_server, PHONE, "phone")
    sign_in(trainer, TRAINER)
    trainer.goto("/cohorts")
    check_page(trainer, "trainer-cohorts")
    trainer.locator(f"a[href='/cohorts/{known['cohort']}']").click()
    check_page(trainer, "trainer-cohort")

    # Attendance: one tap per counsellor, one button for the whole session.
    trainer.locator(f"a[href='/sessions/{known['session']}/attendance']").click()
    check_page(trainer, "attendance")
    trainer.locator(f"label[for='s-{known['siti']}-present']").click()
    trainer.locator("form.attendance-form button[type=submit]").click()
    trainer.wait_for_load_state()
    assert trainer.locator(f"#s-{known['siti']}-present").is_checked()
    assert "Siti Rahmawati" in trainer.locator(".history").inner_text()
    check_page(trainer, "attendance-saved")

    # Grading: a level and a comment per criterion, saved as a draft, then finalised.
    trainer.goto(f"/cohorts/{known['cohort']}")
    trainer.locator(
        f"a[href='/cohorts/{known['cohort']}/members/{known['siti']}/simulations/young-jobseeker']"
    ).click()
    check_page(trainer, "grade")
    for radio in trainer.locator("fieldset.criterion").all():
        radio.locator("input[value='proficient'] + label").click()
    trainer.locator("textarea[name='comment-building-rapport']").fill(
        "You greeted Rizky warmly and explained the service clearly."
    )
    trainer.locator("#overall").fill("A calm, well-structured interview.")
    trainer.locator("button[value='draft']").click()
    trainer.wait_for_load_state()
    assert trainer.locator("#l-building-rapport-proficient").is_checked()
    trainer.locator("button[value='finalise']").click()
    trainer.wait_for_load_state()
    assert trainer.locator("#reason").count() == 1  # a final grade now needs a reason to change
    check_page(trainer, "grade-final")
    trainer.context.close()

    with live_app.app_context():
        simulation = db.session.scalar(
            sa.select(Simulation).where(Simulation.user_id == known["siti"])
        )
        assert simulation.state == "final" and simulation.passed

    counsellor = new_page(browser, live_server, PHONE, "phone")
    sign_in(counsellor, COUNSELLOR)
    assert counsellor.locator(".badge").count() == 1  # an unread notice
    counsellor.goto("/notices")
    check_page(counsellor, "notices")
    counsellor.locator(f"a[href='/simulations/{simulation.id}']").click()
    body = counsellor.locator("main").inner_text()
    assert "You greeted Rizky warmly" in body and "75%" in body
    check_page(counsellor, "simulation-feedback")
    counsellor.goto("/training")
    check_page(counsellor, "my-training")
    counsellor.context.close()


def test_a_facilitator_records_a_rollout_that_a_trainer_confirms(browser, live_server, live_app):
    known = ids(live_app)
    facilitator = new_page(browser, live_server, PHONE, "phone")
    sign_in(facilitator, FACILITATOR)
    facilitator.goto("/rollouts")
    check_page(facilitator, "rollouts-facilitator")
    facilitator.locator("a[href='/rollouts/new']").click()
    check_page(facilitator, "rollout-new")
    facilitator.locator("#held_on").fill(date.today().isoformat())
    facilitator.locator("#place").fill("Disnaker Jakarta Selatan")
    facilitator.locator("#topic").fill("Using labour market information")
    facilitator.locator(f"input[name='participants'][value='{known['siti']}']").check()
    facilitator.locator("main form button[type=submit]").click()
    facilitator.wait_for_url(re.compile(r"/rollouts/\d+$"))
    check_page(facilitator, "rollout-submitted")
    rollout_url = facilitator.url
    facilitator.context.close()

    trainer = new_page(browser, live_server, DESKTOP, "desktop")
    sign_in(trainer, TRAINER)
    trainer.goto("/rollouts")
    trainer.locator("main a", has_text="Using labour market information").click()
    check_page(trainer, "rollout-review")
    trainer.locator("#comment").fill("Good use of the provincial vacancy data.")
    trainer.locator("button[value='confirm']").click()
    trainer.wait_for_load_state()
    assert trainer.url == rollout_url
    trainer.context.close()
    with live_app.app_context():
        rollout = db.session.scalar(
            sa.select(RolloutSession).where(RolloutSession.topic.like("Using labour%"))
        )
        assert rollout.state == "confirmed"

    facilitator = new_page(browser, live_server, DESKTOP, "desktop")
    sign_in(facilitator, FACILITATOR)
    facilitator.goto("/cascade")
    assert "Siti Rahmawati" in facilitator.locator("main").inner_text()
    check_page(facilitator, "cascade")
    facilitator.context.close()


@pytest.mark.parametrize(
    ("email", "paths"),
    [
        (
            ADMIN,
            [
                "/cohorts",
                "/cohorts/new",
                "/cohorts/{cohort}",
                "/admin/facilitators",
                "/admin/cascade",
            ],
        ),
        (TRAINER, ["/action-plans", "/rollouts", "/sessions/{session}/attendance"]),
        (
            COUNSELLOR,
            [
                "/workshops",
                "/workshops/disability-inclusion",
                "/rollouts",
                "/",
                "/cohorts/{cohort}",
            ],
        ),
    ],
    ids=["admin", "trainer", "counsellor"],
)
def test_training_pages_pass_axe(page, live_app, email, paths):
    known = ids(live_app)
    sign_in(page, email)
    who = email.split("@")[0].split(".")[0]
    for path in paths:
        page.goto(path.format(**known))
        name = re.sub(r"[^a-z0-9]+", "-", path.format(**known)).strip("-") or "home"
        check_page(page, f"{who}-{name}")
