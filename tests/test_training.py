"""Tiers 2 to 4 through the pages: cohorts, attendance with history, grading with a second
grader and moderation, roll-outs and the cascade, workshops and action plans, notices."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from lms.accounts.models import Role
from lms.extensions import db
from lms.learning.models import TierCompletion
from lms.training import attendance, plans, rollouts
from lms.training.grading import GradeInput, save_grade, simulation_for
from lms.training.models import (
    ActionPlan,
    Attendance,
    AttendanceChange,
    Cohort,
    CohortMember,
    Grade,
    GradeRevision,
    Notice,
    RolloutSession,
    Simulation,
)
from lms.training.standing import record_completions
from tests.course_files import CRITERIA
from tests.factories import complete_tiers, user
from tests.support import sign_in, submit, text

PASS = dict.fromkeys(CRITERIA, "proficient")  # 75%
HIGH = dict.fromkeys(CRITERIA, "exemplary")  # 100%
LOW = {"rapport": "developing", "listening": "developing", "action-plan": "developing"}  # 50%


def form_of(levels: dict[str, str], **extra: str) -> dict[str, str]:
    return {**{f"level-{c}": lv for c, lv in levels.items()}, **extra}


def grade_url(training, scenario: int = 1, member=None) -> str:  # type: ignore[no-untyped-def]
    member = member or training.counsellor
    return f"/cohorts/{training.cohort.id}/members/{member.id}/simulations/scenario-{scenario}"


def completed(person, number: int) -> bool:  # type: ignore[no-untyped-def]
    return (
        db.session.scalar(
            sa.select(TierCompletion.id).where(
                TierCompletion.user_id == person.id, TierCompletion.tier_number == number
            )
        )
        is not None
    )


def notices_of(person) -> list[str]:  # type: ignore[no-untyped-def]
    return list(db.session.scalars(sa.select(Notice.kind).where(Notice.user_id == person.id)))


# -- cohorts ----------------------------------------------------------------------------------
def test_admin_creates_a_cohort_in_scope(client, world, training):
    sign_in(client, world.admin)
    response = submit(
        client,
        "/cohorts/new",
        {
            "tier": "2",
            "name": "Bandung batch",
            "org_unit": str(world.jakarta.id),
            "place": "BLK",
            "starts_on": "2026-12-01",
            "ends_on": "2026-11-30",
        },
        page="/cohorts/new",
    )
    assert response.status_code == 422
    assert "cannot be before the first" in text(response)
    response = submit(
        client,
        "/cohorts/new",
        {
            "tier": "2",
            "name": "Bandung batch",
            "org_unit": str(world.office.id),
            "timezone": "Asia/Jakarta",
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-03",
        },
        page="/cohorts/new",
    )
    assert response.status_code == 302
    cohort = db.session.scalar(sa.select(Cohort).where(Cohort.name == "Bandung batch"))
    assert (cohort.org_unit_id, cohort.timezone) == (world.office.id, "Asia/Jakarta")
    # The same form again makes no second cohort.
    again = submit(
        client,
        "/cohorts/new",
        {
            "tier": "2",
            "name": "Bandung batch",
            "org_unit": str(world.office.id),
            "timezone": "Asia/Jakarta",
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-03",
        },
        page="/cohorts/new",
    )
    assert again.status_code == 422 and "already has a cohort" in text(again)
    # A unit outside the admin's scope is not a choice.
    sign_in(client, world.admin)
    response = submit(
        client,
        "/cohorts/new",
        {
            "tier": "2",
            "name": "X",
            "org_unit": str(world.selangor.id),
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-03",
        },
        page="/cohorts/new",
    )
    assert response.status_code == 422  # refused, with the form shown again
    assert db.session.scalar(sa.select(Cohort).where(Cohort.name == "X")) is None


def test_cohort_visibility(client, world, training):
    url = f"/cohorts/{training.cohort.id}"
    for person, status in [
        (world.admin, 200),
        (world.regional_admin, 200),
        (world.other_admin, 404),
        (training.trainer, 200),
        (training.outsider, 404),
        (training.counsellor, 200),
        (world.my_counsellor, 404),
    ]:
        sign_in(client, person)
        assert client.get(url).status_code == status, person.email
    sign_in(client, world.other_admin)
    assert "Jakarta batch 1" not in text(client.get("/cohorts"))
    sign_in(client, training.counsellor)
    assert "Jakarta batch 1" in text(client.get("/cohorts"))


def test_adding_people_names_each_wrong_address_and_adds_nobody(client, world, training):
    newcomer = user(Role.COUNSELLOR, world.office, email="newcomer@example.org")
    db.session.commit()
    sign_in(client, world.admin)
    url = f"/cohorts/{training.cohort.id}/members"
    page = f"/cohorts/{training.cohort.id}"
    response = submit(
        client,
        url,
        {
            "members-emails": "newcomer@example.org, aisyah@example.org\nnobody@example.org\n"
            "trainer@example.org"
        },
        page=page,
    )
    assert response.status_code == 422
    body = text(response)
    assert "aisyah@example.org: nobody in your scope" in body  # Malaysia: out of scope
    assert "nobody@example.org: nobody in your scope" in body
    assert "trainer@example.org: this person is not a counsellor" in body
    assert (
        db.session.get(CohortMember, {"cohort_id": training.cohort.id, "user_id": newcomer.id})
        is None
    )
    response = submit(
        client, url, {"members-emails": "NEWCOMER@example.org\nsiti@example.org"}, page=page
    )
    assert response.status_code == 302
    assert (
        db.session.get(CohortMember, {"cohort_id": training.cohort.id, "user_id": newcomer.id})
        is not None
    )


def test_only_admins_in_scope_manage_a_cohort(client, world, training):
    url = f"/cohorts/{training.cohort.id}/members"
    for person, status in [
        (training.trainer, 403),
        (world.other_admin, 404),
        (training.counsellor, 403),
    ]:
        sign_in(client, person)
        response = submit(client, url, {"members-emails": "budi@example.org"})
        assert response.status_code == status, person.email


# -- attendance -------------------------------------------------------------------------------
def test_trainer_marks_a_whole_session_and_corrections_keep_history(client, training):
    session = training.sessions[0]
    url = f"/sessions/{session.id}/attendance"
    sign_in(client, training.trainer)
    page = client.get(url)
    assert page.status_code == 200 and "Siti Rahmawati" in text(page)
    data = {
        f"status-{training.counsellor.id}": "late",
        f"status-{training.other_counsellor.id}": "absent",
    }
    assert submit(client, url, data, page=url).status_code == 302
    # The same form again (a double submit) changes nothing.
    submit(client, url, data, page=url)
    assert db.session.scalar(sa.select(sa.func.count(AttendanceChange.id))) == 2
    sign_in(client, training.second)
    submit(
        client,
        url,
        {f"status-{training.counsellor.id}": "present", f"shown-{training.counsellor.id}": "late"},
        page=url,
    )
    marks = attendance.marks(session.id)
    assert marks == {training.counsellor.id: "present", training.other_counsellor.id: "absent"}
    history = attendance.history(session.id)
    assert [(c.old_status, c.new_status, c.changed_by_id) for c in history][0] == (
        "late",
        "present",
        training.second.id,
    )
    body = text(client.get(url))
    assert "History of changes" in body and "Late" in body
    # A value that is not a status is ignored, never stored.
    submit(
        client,
        url,
        {
            f"status-{training.counsellor.id}": "asleep",
            f"shown-{training.counsellor.id}": "present",
        },
        page=url,
    )
    assert attendance.marks(session.id)[training.counsellor.id] == "present"


def test_a_correction_made_meanwhile_is_not_overwritten(client, training):
    session = training.sessions[0]
    url = f"/sessions/{session.id}/attendance"
    attendance.mark(session, training.trainer, {training.counsellor.id: "late"})
    db.session.commit()
    # The first trainer's page shows "late"; meanwhile the second corrects it to "present".
    sign_in(client, training.second)
    submit(
        client,
        url,
        {f"status-{training.counsellor.id}": "present", f"shown-{training.counsellor.id}": "late"},
        page=url,
    )
    sign_in(client, training.trainer)
    response = submit(
        client,
        url,
        {
            f"status-{training.counsellor.id}": "absent",
            f"shown-{training.counsellor.id}": "late",
            f"status-{training.other_counsellor.id}": "present",
            f"shown-{training.other_counsellor.id}": "",
        },
        page=url,
        follow_redirects=True,
    )
    assert "Another trainer changed these marks" in text(response)
    assert "Siti Rahmawati" in text(response)
    marks = attendance.marks(session.id)
    assert marks == {training.counsellor.id: "present", training.other_counsellor.id: "present"}


def test_a_cancelled_session_counts_for_nobody(client, world, training):
    for session in training.sessions[:4]:
        attendance.mark(session, training.trainer, {training.counsellor.id: "present"})
    attendance.mark(training.sessions[4], training.trainer, {training.counsellor.id: "absent"})
    db.session.commit()
    from lms.training.standing import facts

    assert facts(training.counsellor).attendance_percent == 80.0
    sign_in(client, world.admin)
    page = f"/cohorts/{training.cohort.id}"
    url = f"/sessions/{training.sessions[4].id}/cancel"
    assert submit(client, url, {"cancelled": "1"}, page=page).status_code == 302
    assert facts(training.counsellor).attendance_percent == 100.0
    assert "Cancelled" in text(client.get(page))
    sign_in(client, training.trainer)
    assert "is cancelled" in text(client.get(f"/sessions/{training.sessions[4].id}/attendance"))
    sign_in(client, world.admin)
    submit(client, url, {"cancelled": "0"}, page=page)
    assert facts(training.counsellor).attendance_percent == 80.0


def test_attendance_is_for_the_cohort_trainers_only(client, world, training):
    url = f"/sessions/{training.sessions[0].id}/attendance"
    for person, status in [
        (world.admin, 403),
        (training.outsider, 404),
        (training.counsellor, 403),
        (world.other_admin, 404),
    ]:
        sign_in(client, person)
        assert client.get(url).status_code == status, person.email
        assert submit(client, url, {}).status_code == status, person.email


# -- grading ----------------------------------------------------------------------------------
def test_draft_then_final_and_the_counsellor_sees_only_final_feedback(client, training):
    sign_in(client, training.trainer)
    url = grade_url(training)
    response = submit(
        client,
        url,
        form_of(
            PASS, **{"comment-rapport": "Warm opening", "overall": "Good work", "action": "draft"}
        ),
        page=url,
    )
    assert response.status_code == 302
    simulation = db.session.scalar(sa.select(Simulation))
    assert simulation.state == "open"
    sign_in(client, training.counsellor)
    page = text(client.get(f"/simulations/{simulation.id}"))
    assert "Warm opening" not in page and "has not finished grading" in page
    assert notices_of(training.counsellor) == []

    sign_in(client, training.trainer)
    assert (
        submit(
            client,
            url,
            form_of(PASS, **{"comment-rapport": "Warm opening", "action": "finalise"}),
            page=url,
        ).status_code
        == 302
    )
    db.session.refresh(simulation)
    assert (simulation.state, simulation.result_percent, simulation.passed) == ("final", 75.0, True)
    sign_in(client, training.counsellor)
    page = text(client.get(f"/simulations/{simulation.id}"))
    assert "Warm opening" in page and "75%" in page
    assert notices_of(training.counsellor) == ["simulation_graded"]
    # Somebody else's simulation does not exist for them.
    sign_in(client, training.other_counsellor)
    assert client.get(f"/simulations/{simulation.id}").status_code == 404


def test_finalising_needs_every_criterion(client, training):
    sign_in(client, training.trainer)
    url = grade_url(training)
    response = submit(client, url, form_of({"rapport": "proficient"}, action="finalise"), page=url)
    assert response.status_code == 422
    assert "every criterion" in text(response)
    assert db.session.scalar(sa.select(sa.func.count(Grade.id))) == 0


def test_changing_a_final_grade_needs_a_reason_and_keeps_the_earlier_one(client, training):
    sign_in(client, training.trainer)
    url = grade_url(training)
    submit(client, url, form_of(PASS, action="finalise"), page=url)
    response = submit(client, url, form_of(HIGH, action="finalise"), page=url)
    assert response.status_code == 422 and "Give a reason" in text(response)
    grade = db.session.scalar(sa.select(Grade))
    assert grade.percent == 75.0
    response = submit(
        client, url, form_of(HIGH, action="finalise", reason="Misread my notes"), page=url
    )
    assert response.status_code == 302
    db.session.refresh(grade)
    assert (grade.percent, grade.state) == (100.0, "final")
    (revision,) = db.session.scalars(sa.select(GradeRevision)).all()
    assert (revision.percent, revision.reason) == (75.0, "Misread my notes")
    assert "Misread my notes" in text(client.get(url))
    simulation = db.session.scalar(sa.select(Simulation))
    assert simulation.result_percent == 100.0


def test_second_grader_disagreeing_sends_it_to_moderation(client, training):
    url = grade_url(training)
    sign_in(client, training.trainer)
    submit(client, url, form_of(PASS, action="finalise"), page=url)
    sign_in(client, training.second)
    page = text(client.get(url))
    assert "Grade by" not in page  # a second grader grades without seeing the first
    submit(client, url, form_of(LOW, action="finalise"), page=url)
    simulation = db.session.scalar(sa.select(Simulation))
    assert simulation.state == "moderation" and simulation.result_percent is None
    sign_in(client, training.counsellor)
    assert "75%" not in text(client.get(f"/simulations/{simulation.id}"))
    # The third trainer moderates: their final grade is the result.
    sign_in(client, training.third)
    page = text(client.get(url))
    assert "as moderator" in page and "Grade by" in page
    submit(client, url, form_of(HIGH, action="finalise", overall="Moderated"), page=url)
    db.session.refresh(simulation)
    assert (simulation.state, simulation.result_percent, simulation.passed) == (
        "final",
        100.0,
        True,
    )
    sign_in(client, training.counsellor)
    page = text(client.get(f"/simulations/{simulation.id}"))
    assert "Moderated" in page and "Moderator" in page


def test_agreeing_graders_give_the_mean_and_nobody_else_may_grade(app, training):
    scenario = training.scenario()
    simulation = simulation_for(training.cohort.id, training.counsellor.id, scenario)
    save_grade(simulation, training.trainer, GradeInput(PASS, {}, "", True))
    almost = {**PASS, "rapport": "exemplary"}  # 81.2
    save_grade(simulation, training.second, GradeInput(almost, {}, "", True))
    assert (simulation.state, simulation.result_percent) == ("final", 78.1)
    from lms.training.grading import GradingRefused

    try:
        save_grade(simulation, training.third, GradeInput(PASS, {}, "", True))
    except GradingRefused as refusal:
        assert "Two trainers" in str(refusal)
    else:
        raise AssertionError("a third grade was accepted")


def test_grading_is_for_the_cohort_trainers_only(client, world, training):
    url = grade_url(training)
    for person, status in [
        (training.outsider, 404),
        (world.admin, 403),
        (training.counsellor, 403),
        (world.other_admin, 404),
    ]:
        sign_in(client, person)
        assert client.get(url).status_code == status, person.email
        assert submit(client, url, form_of(PASS, action="finalise")).status_code == status
    sign_in(client, training.trainer)
    # Not a member of the cohort, or no such scenario: nothing to grade.
    assert client.get(grade_url(training, member=world.my_counsellor)).status_code == 404
    assert client.get(grade_url(training, scenario=9)).status_code == 404


# -- Tier 2 completes from the facts ----------------------------------------------------------
def test_tier_2_completes_when_attendance_and_simulations_meet_the_rules(app, training):
    counsellor = training.counsellor
    for session in training.sessions[:3]:
        attendance.mark(session, training.trainer, {counsellor.id: "present"})
    attendance.mark(training.sessions[3], training.trainer, {counsellor.id: "excused"})
    attendance.mark(training.sessions[4], training.trainer, {counsellor.id: "absent"})
    for n in (1, 2):
        simulation = simulation_for(training.cohort.id, counsellor.id, training.scenario(n))
        save_grade(simulation, training.trainer, GradeInput(PASS, {}, "", True))
    # 3 of 4 countable sessions (one excused) = 75% < 80%
    assert not completed(counsellor, 2)
    attendance.mark(training.sessions[4], training.trainer, {counsellor.id: "late"})
    record_completions(counsellor)
    assert completed(counsellor, 2)  # 4 of 4
    assert "tier_completed" in notices_of(counsellor)


def test_the_ladder_shows_what_tier_2_still_needs(client, training):
    attendance.mark(training.sessions[0], training.trainer, {training.counsellor.id: "present"})
    db.session.commit()
    sign_in(client, training.counsellor)
    body = text(client.get("/"))
    assert "20% of 80% needed" in body
    assert "0 of 2" in body


# -- Tier 3: facilitators, roll-outs, the cascade ---------------------------------------------
def make_facilitator(world, person):  # type: ignore[no-untyped-def]
    complete_tiers(person, 1, 2)
    rollouts.appoint(world.admin, person)
    db.session.commit()


def test_only_tier_2_graduates_become_facilitators(client, world, training):
    sign_in(client, world.admin)
    response = submit(
        client, f"/admin/facilitators/{training.counsellor.id}", page="/admin/facilitators"
    )
    assert response.status_code == 302
    assert not rollouts.is_facilitator(training.counsellor)
    complete_tiers(training.counsellor, 2)
    db.session.commit()
    assert "Siti Rahmawati" in text(client.get("/admin/facilitators"))
    submit(client, f"/admin/facilitators/{training.counsellor.id}", page="/admin/facilitators")
    assert rollouts.is_facilitator(training.counsellor)
    assert "facilitator" in notices_of(training.counsellor)
    sign_in(client, world.other_admin)
    assert submit(client, f"/admin/facilitators/{training.counsellor.id}").status_code == 404


def test_rollout_recorded_returned_corrected_and_confirmed(client, world, training):
    facilitator, participant = training.counsellor, training.other_counsellor
    make_facilitator(world, facilitator)
    complete_tiers(participant, 2)
    db.session.commit()
    sign_in(client, facilitator)
    form = {
        "held_on": str(date.today()),
        "place": "Office",
        "topic": "Interview stages",
        "participants": [str(participant.id)],
    }
    # Somebody outside the facilitator's colleagues cannot be named.
    bad = submit(
        client,
        "/rollouts/new",
        {**form, "participants": [str(world.my_counsellor.id)]},
        page="/rollouts/new",
    )
    assert bad.status_code == 422
    future = submit(
        client,
        "/rollouts/new",
        {**form, "held_on": str(date.today() + timedelta(days=2))},
        page="/rollouts/new",
    )
    assert future.status_code == 422 and "after it took place" in text(future)
    response = submit(client, "/rollouts/new", form, page="/rollouts/new")
    assert response.status_code == 302
    rollout = db.session.scalar(sa.select(RolloutSession))
    url = f"/rollouts/{rollout.id}"

    sign_in(client, training.trainer)
    assert "Interview stages" in text(client.get("/rollouts"))
    response = submit(client, f"{url}/review", {"decision": "return", "comment": ""}, page=url)
    assert response.status_code == 422 and "Say what needs changing" in text(response)
    submit(
        client, f"{url}/review", {"decision": "return", "comment": "Add the second day"}, page=url
    )
    db.session.refresh(rollout)
    assert rollout.state == "returned"
    assert "rollout_returned" in notices_of(facilitator)

    sign_in(client, facilitator)
    assert "Add the second day" in text(client.get(url))
    response = submit(
        client, f"{url}/edit", {**form, "topic": "Interview stages, two days"}, page=f"{url}/edit"
    )
    assert response.status_code == 302
    db.session.refresh(rollout)
    assert (rollout.state, rollout.topic) == ("submitted", "Interview stages, two days")

    sign_in(client, training.trainer)
    submit(client, f"{url}/review", {"decision": "confirm", "comment": ""}, page=url)
    # A second click (or a second trainer) finds it reviewed already.
    again = submit(
        client,
        f"{url}/review",
        {"decision": "return", "comment": "x"},
        page=url,
        follow_redirects=True,
    )
    assert "already reviewed" in text(again)
    db.session.refresh(rollout)
    assert rollout.state == "confirmed" and len(rollout.reviews) == 2
    assert "rollout_confirmed" in notices_of(facilitator)
    assert "rollout_attended" in notices_of(participant)
    # Tier 3 also needs its quiz: not complete yet, for either of them.
    assert not completed(participant, 3) and not completed(facilitator, 3)


def test_tier_3_completes_with_a_confirmed_rollout_and_the_quiz(app, world, training):
    from lms.curriculum.models import Module, Quiz
    from lms.learning.attempts import save_answers, start_attempt
    from lms.learning.attempts import submit as submit_attempt

    facilitator, participant = training.counsellor, training.other_counsellor
    make_facilitator(world, facilitator)
    complete_tiers(participant, 2)
    rollout = rollouts.record(
        facilitator,
        rollouts.RolloutInput(date.today(), "Office", "Topic", [participant.id]),
    )
    rollouts.review(training.trainer, rollout, confirm=True, comment="")
    assert not completed(participant, 3)
    quiz = db.session.scalar(sa.select(Quiz).join(Module).where(Module.slug == "essentials"))
    for person in (participant, facilitator):
        attempt = start_attempt(person, quiz)
        save_answers(attempt, {"consent": True})
        submit_attempt(attempt)
    # The participant attended; the facilitator is credited for delivering it.
    assert completed(participant, 3) and completed(facilitator, 3)


def test_only_trainers_in_scope_review_a_rollout(client, world, training):
    make_facilitator(world, training.counsellor)
    rollout = rollouts.record(
        training.counsellor,
        rollouts.RolloutInput(date.today(), "Office", "Topic", [training.other_counsellor.id]),
    )
    db.session.commit()
    url = f"/rollouts/{rollout.id}"
    for person, status in [
        (training.outsider, 404),
        (world.admin, 404),
        (training.other_counsellor, 404),
        (world.my_counsellor, 404),
    ]:
        sign_in(client, person)
        assert client.get(url).status_code == status, person.email
        assert submit(client, f"{url}/review", {"decision": "confirm"}).status_code == status


def test_cascade_follows_who_trained_whom_and_survives_a_cycle(client, world, training):
    a, b = training.counsellor, training.other_counsellor
    c = user(Role.COUNSELLOR, world.office, email="c@example.org", name="Citra")
    d = user(Role.COUNSELLOR, world.office, email="d@example.org", name="Dian")
    for person in (a, b, c):
        make_facilitator(world, person)

    def delivered(by, *people):  # type: ignore[no-untyped-def]
        rollout = rollouts.record(
            by, rollouts.RolloutInput(date.today(), "Office", "Topic", [p.id for p in people])
        )
        rollouts.review(training.trainer, rollout, confirm=True, comment="")

    delivered(a, b)
    delivered(b, c, d)
    delivered(c, a)  # a cycle: a is not counted in their own cascade
    unconfirmed = rollouts.record(
        c, rollouts.RolloutInput(date.today(), "Office", "Another topic", [d.id])
    )
    db.session.commit()
    reached = rollouts.cascade(a)
    assert [(r.user.email, r.depth, r.trained_by.email) for r in reached] == [
        (b.email, 1, a.email),
        ("c@example.org", 2, b.email),
        ("d@example.org", 2, b.email),
    ]
    assert unconfirmed.state == "submitted"
    sign_in(client, a)
    page = text(client.get("/cascade"))
    assert "Depth 2" in page and "Citra" in page and "3 people reached" in page
    # Reach per unit, in the admin's scope only.
    sign_in(client, world.admin)
    body = text(client.get("/admin/cascade"))
    assert "DKI Jakarta" in body and "Selangor" not in body
    jakarta = next(r for r in rollouts.reach_by_unit(world.admin) if r.unit.id == world.jakarta.id)
    assert (jakarta.sessions, jakarta.facilitators, jakarta.participants) == (3, 3, 4)


# -- Tier 4: workshops and action plans -------------------------------------------------------
def workshop_cohort(world, training):  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from lms.curriculum.models import Workshop
    from lms.training import cohorts

    cohort = cohorts.create_cohort(
        world.admin,
        tier=4,
        name="Workshops",
        unit=world.jakarta,
        place="",
        starts_on=date.today(),
        ends_on=date.today(),
    )
    db.session.add(CohortMember(cohort_id=cohort.id, user_id=training.counsellor.id))
    workshops = db.session.scalars(sa.select(Workshop).order_by(Workshop.position)).all()
    sessions = [
        cohorts.add_session(
            cohort,
            title=w.slug,
            starts_dt=datetime.now(UTC),
            minutes=60,
            place="",
            workshop_id=w.id,
        )
        for w in workshops[:2]
    ]
    db.session.commit()
    return workshops, sessions


def test_action_plan_returned_revised_accepted_and_tier_4_completes(client, world, training):
    complete_tiers(training.counsellor, 2, 3)
    workshops, sessions = workshop_cohort(world, training)
    url = f"/workshops/{workshops[0].slug}"
    sign_in(client, training.counsellor)
    plan_form = {
        "changes": "Ramp at the entrance; large-print forms",
        "due_on": str(date.today() + timedelta(days=30)),
    }
    response = submit(client, url, plan_form, page=url)
    assert response.status_code == 422 and "after attending" in text(response)
    attendance.mark(sessions[0], training.trainer, {training.counsellor.id: "present"})
    db.session.commit()
    assert submit(client, url, {**plan_form, "due_on": "2020-01-01"}, page=url).status_code == 422
    assert submit(client, url, plan_form, page=url).status_code == 302
    # The same form again does not make a second plan.
    again = submit(client, url, plan_form, page=url)
    assert again.status_code == 422 and "already submitted" in text(again)

    sign_in(client, training.trainer)
    assert "Ramp at the entrance" in text(client.get("/action-plans"))
    plan = db.session.scalar(sa.select(ActionPlan))
    submit(
        client,
        f"/action-plans/{plan.id}/review",
        {"decision": "return", "comment": "Add dates"},
        page="/action-plans",
    )
    assert "plan_returned" in notices_of(training.counsellor)

    sign_in(client, training.counsellor)
    assert "Add dates" in text(client.get(url))
    submit(client, url, {**plan_form, "changes": "Ramp by March; forms by April"}, page=url)
    assert [p.number for p in plans.plans(training.counsellor.id, workshops[0].id)] == [2, 1]

    sign_in(client, training.trainer)
    latest = plans.plans(training.counsellor.id, workshops[0].id)[0]
    submit(
        client,
        f"/action-plans/{latest.id}/review",
        {"decision": "accept", "comment": ""},
        page="/action-plans",
    )
    assert not completed(training.counsellor, 4)  # one workshop attended of the two required
    attendance.mark(sessions[1], training.trainer, {training.counsellor.id: "late"})
    record_completions(training.counsellor)
    db.session.commit()
    assert completed(training.counsellor, 4)
    sign_in(client, training.counsellor)
    assert "completed all four tiers" in text(client.get("/"))
    record = text(client.get("/training"))
    assert "version 1" in record and "version 2" in record


def test_action_plans_are_reviewed_by_trainers_in_scope(client, world, training):
    complete_tiers(training.counsellor, 2, 3)
    workshops, sessions = workshop_cohort(world, training)
    attendance.mark(sessions[0], training.trainer, {training.counsellor.id: "present"})
    plan = plans.submit(
        training.counsellor, workshops[0], changes="x", due_on=date.today() + timedelta(days=1)
    )
    db.session.commit()
    for person, status in [
        (training.outsider, 404),
        (world.admin, 403),
        (training.counsellor, 403),
    ]:
        sign_in(client, person)
        assert (
            submit(client, f"/action-plans/{plan.id}/review", {"decision": "accept"}).status_code
            == status
        ), person.email
    assert db.session.get(ActionPlan, plan.id).state == "submitted"


# -- notices and the record -------------------------------------------------------------------
def test_notices_are_listed_counted_and_marked_read(client, training):
    simulation = simulation_for(training.cohort.id, training.counsellor.id, training.scenario())
    save_grade(simulation, training.trainer, GradeInput(PASS, {}, "", True))
    db.session.commit()
    sign_in(client, training.counsellor)
    home = text(client.get("/"))
    assert '<span class="badge">1' in home
    page = text(client.get("/notices"))
    assert "Your simulation has been graded" in page and f"/simulations/{simulation.id}" in page
    submit(client, "/notices/read", page="/notices")
    assert '<span class="badge">' not in text(client.get("/"))


def test_the_record_shows_the_counsellors_history_in_indonesian(client, training):
    attendance.mark(training.sessions[0], training.trainer, {training.counsellor.id: "late"})
    db.session.commit()
    training.counsellor.preferred_language = "id"
    db.session.commit()
    sign_in(client, training.counsellor)
    body = text(client.get("/training"))
    assert 'lang="id"' in body and "Day 1" in body
    assert db.session.scalar(sa.select(sa.func.count(Attendance.id))) == 1


def test_a_facilitator_invites_colleagues_not_yet_in_tangga(client, world, training):
    from lms.accounts.users import user_by_email

    make_facilitator(world, training.counsellor)
    sign_in(client, training.counsellor)
    form = {"held_on": str(date.today()), "place": "Office", "topic": "Interview stages"}
    bad = submit(
        client, "/rollouts/new", {**form, "newcomers": "Rudi Hartono\n"}, page="/rollouts/new"
    )
    assert bad.status_code == 422 and "Line 1: write the name" in text(bad)
    taken = submit(
        client,
        "/rollouts/new",
        {**form, "newcomers": "Budi, budi@example.org"},
        page="/rollouts/new",
    )
    assert taken.status_code == 422 and "budi@example.org already has an account" in text(taken)
    response = submit(
        client,
        "/rollouts/new",
        {**form, "newcomers": "Rudi Hartono, Rudi@Example.org\n\nWati; wati@example.org"},
        page="/rollouts/new",
        follow_redirects=True,
    )
    assert response.status_code == 200
    body = text(response)
    assert "Rudi Hartono now has an account" in body and "/invitation/" in body
    rudi = user_by_email("rudi@example.org")
    assert (rudi.role, rudi.org_unit_id, rudi.has_password) == (
        "counsellor",
        training.counsellor.org_unit_id,
        False,
    )
    rollout = db.session.scalar(sa.select(RolloutSession))
    assert {p.user.display_name for p in rollout.participants} == {"Rudi Hartono", "Wati"}


# -- what the review found --------------------------------------------------------------------
def test_grading_stays_independent_and_sending_twice_is_harmless(client, training):
    url = grade_url(training)
    sign_in(client, training.trainer)
    submit(
        client,
        url,
        form_of(PASS, **{"comment-rapport": "Secret draft", "action": "draft"}),
        page=url,
    )
    sign_in(client, training.second)
    page = text(client.get(url))
    assert "Secret draft" not in page and "Result:" not in page
    sign_in(client, training.trainer)
    final = form_of(PASS, action="finalise")
    assert submit(client, url, final, page=url).status_code == 302
    # The same final grade sent again (a double click) is not a change needing a reason.
    assert submit(client, url, final, page=url).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(GradeRevision.id))) == 0
    sign_in(client, training.second)
    assert "Result:" not in text(client.get(url))  # a second grader grades blind


def test_moderation_asks_the_other_trainers_and_then_closes_grading(client, training):
    simulation = simulation_for(training.cohort.id, training.counsellor.id, training.scenario())
    save_grade(simulation, training.trainer, GradeInput(HIGH, {}, "", True))
    save_grade(simulation, training.second, GradeInput(LOW, {}, "", True))
    db.session.commit()
    assert notices_of(training.third) == ["moderation_needed"]
    assert notices_of(training.trainer) == []
    sign_in(client, training.third)
    assert grade_url(training) in text(client.get("/notices"))
    save_grade(simulation, training.third, GradeInput(PASS, {}, "", True))
    from lms.training.grading import GradingRefused

    try:
        save_grade(simulation, training.trainer, GradeInput(LOW, {}, "", True, reason="Changed"))
    except GradingRefused as refusal:
        assert "moderator" in str(refusal)
    else:
        raise AssertionError("a grader changed a moderated simulation")


def test_a_simulation_keeps_the_rubric_it_was_graded_with(app, training, tmp_path):
    import yaml

    from lms.curriculum.importer import import_curriculum
    from lms.curriculum.loader import load
    from lms.curriculum.models import Scenario
    from tests.course_files import write_courses

    simulation = simulation_for(training.cohort.id, training.counsellor.id, training.scenario())
    save_grade(simulation, training.trainer, GradeInput(PASS, {}, "", False))
    db.session.commit()
    # The rubric is made stricter and scenario-1 is retired by a later import.
    root = write_courses(tmp_path / "courses", upper=True)
    rubric_file = root / "tier-2/rubrics/simulation.yaml"
    rubric = yaml.safe_load(rubric_file.read_text())
    rubric["pass_percent"] = 90
    rubric_file.write_text(yaml.safe_dump(rubric))
    tier = yaml.safe_load((root / "tier-2/tier.yaml").read_text())
    tier["scenarios"].remove("scenario-1")
    (root / "tier-2/tier.yaml").write_text(yaml.safe_dump(tier))
    (root / "tier-2/scenarios/scenario-1.yaml").unlink()
    curriculum, problems = load(root)
    assert problems == []
    import_curriculum(curriculum)
    db.session.commit()
    assert db.session.scalar(sa.select(Scenario.is_retired).where(Scenario.slug == "scenario-1"))
    save_grade(simulation, training.trainer, GradeInput(PASS, {}, "", True))
    assert (simulation.result_percent, simulation.passed) == (75.0, True)  # pass mark 70 kept
    # Still gradable where grading had begun; a new simulation on it is not.
    client = app.test_client()
    sign_in(client, training.trainer)
    assert client.get(grade_url(training)).status_code == 200
    assert client.get(grade_url(training, member=training.other_counsellor)).status_code == 404


def test_roll_out_forms_sent_twice_record_once_and_reviews_keep_what_they_saw(
    client, world, training
):
    facilitator, participant = training.counsellor, training.other_counsellor
    make_facilitator(world, facilitator)
    far = user(Role.COUNSELLOR, world.jakarta, email="far@example.org", name="Far Colleague")
    db.session.commit()
    sign_in(client, facilitator)
    form = {
        "held_on": str(date.today()),
        "place": "Office",
        "topic": "Stages",
        "participants": [str(participant.id)],
        "other_participants": "FAR@example.org",
    }
    assert submit(client, "/rollouts/new", form, page="/rollouts/new").status_code == 302
    again = submit(client, "/rollouts/new", form, page="/rollouts/new")
    assert again.status_code == 422 and "already" in text(again)
    rollout = db.session.scalar(sa.select(RolloutSession))
    assert {p.user_id for p in rollout.participants} == {participant.id, far.id}
    rollouts.review(training.trainer, rollout, confirm=False, comment="Add the place")
    db.session.commit()
    edit = {**form, "place": "Office, room 2", "other_participants": ""}
    url = f"/rollouts/{rollout.id}/edit"
    assert submit(client, url, edit, page=url).status_code == 302
    again = submit(client, url, edit, page=url)
    assert again.status_code == 422 and "Only a returned session" in text(again)
    (review,) = rollout.reviews
    assert (review.place, review.participant_ids) == ("Office", sorted([participant.id, far.id]))
    assert "Reviewed as: Stages" in text(client.get(f"/rollouts/{rollout.id}"))


def test_sessions_are_added_once_in_the_cohorts_time_zone(client, world, training):
    from lms.training.models import TrainingSession

    sign_in(client, world.admin)
    page = f"/cohorts/{training.cohort.id}"
    data = {
        "session-title": "Day 6",
        "session-day": "2026-11-09",
        "session-time": "09:00",
        "session-minutes": "240",
        "session-place": "BLK",
    }
    url = f"/cohorts/{training.cohort.id}/sessions"
    assert submit(client, url, data, page=page).status_code == 302
    assert submit(client, url, data, page=page).status_code == 302  # sent twice
    (added,) = db.session.scalars(
        sa.select(TrainingSession).where(TrainingSession.title == "Day 6")
    )
    assert added.starts_dt.hour == 2  # 09:00 in Jakarta is 02:00 UTC
    assert "9:00" in text(client.get(page)) and "GMT+07:00" in text(client.get(page))


def test_a_workshop_session_needs_its_workshop(client, world, training):
    from lms.training import cohorts

    cohort = cohorts.create_cohort(
        world.admin,
        tier=4,
        name="W",
        unit=world.jakarta,
        place="",
        starts_on=date.today(),
        ends_on=date.today(),
    )
    db.session.commit()
    sign_in(client, world.admin)
    data = {
        "session-title": "W1",
        "session-day": "2026-12-09",
        "session-time": "09:00",
        "session-minutes": "240",
    }
    response = submit(client, f"/cohorts/{cohort.id}/sessions", data, page=f"/cohorts/{cohort.id}")
    assert response.status_code == 422
    assert not cohort.sessions
