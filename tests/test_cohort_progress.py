"""The trainer's matrix: each counsellor of a cohort against each requirement of its tier,
judged by the same rules as the counsellor's own ladder."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa

from lms.curriculum.models import Workshop
from lms.extensions import db
from lms.training import attendance, cohorts, standing
from lms.training.grading import GradeInput, save_grade, simulation_for
from lms.training.matrix import cohort_matrix
from lms.training.models import CohortMember, CohortTrainer
from tests.support import sign_in, text


def _pass(training, person, scenario: int) -> None:  # type: ignore[no-untyped-def]
    chosen = training.scenario(scenario)
    levels = {c["id"]: "proficient" for c in chosen.rubric.criteria}
    simulation = simulation_for(training.cohort.id, person.id, chosen)
    save_grade(simulation, training.trainer, GradeInput(levels, {}, "", True))


def test_the_matrix_agrees_with_each_counsellors_own_facts(training):
    # Siti: 4 of 5 sessions (80%, the rule) and both scenarios passed: the tier is complete.
    for session in training.sessions[:4]:
        attendance.mark(session, training.trainer, {training.counsellor.id: "present"})
    # Budi: one session, one excused absence (3 count against him), one scenario.
    attendance.mark(training.sessions[0], training.trainer, {training.other_counsellor.id: "late"})
    attendance.mark(
        training.sessions[1], training.trainer, {training.other_counsellor.id: "excused"}
    )
    _pass(training, training.counsellor, 1)
    _pass(training, training.counsellor, 2)
    _pass(training, training.other_counsellor, 1)
    db.session.commit()

    keys, rows = cohort_matrix(training.cohort)
    assert keys == ["min_attendance_percent", "simulations_passed"]
    by_name = {row.user.id: row for row in rows}
    siti, budi = by_name[training.counsellor.id], by_name[training.other_counsellor.id]
    assert [(c.have, c.need, c.met) for c in siti.cells] == [(80.0, 80, True), (2, 2, True)]
    assert [(c.have, c.met) for c in budi.cells] == [(25.0, False), (1, False)]
    assert siti.completed_dt is not None and budi.completed_dt is None
    # The same verdict as the rules applied one person at a time.
    for person in (training.counsellor, training.other_counsellor):
        alone = standing.facts(person, frozenset({2}))
        row = by_name[person.id]
        assert row.cells[0].have == alone.attendance_percent
        assert row.cells[1].have == alone.simulations_passed


def test_an_empty_cohort_still_names_its_requirements(world, training):
    empty = cohorts.create_cohort(
        world.admin,
        tier=4,
        name="Workshops 2027",
        unit=world.jakarta,
        place="",
        starts_on=date(2027, 1, 4),
        ends_on=date(2027, 1, 8),
    )
    db.session.commit()
    keys, rows = cohort_matrix(empty)
    assert rows == [] and keys == ["workshops_attended", "accepted_action_plans"]


def test_the_progress_page_for_trainers_and_admins(client, world, training):
    attendance.mark(training.sessions[0], training.trainer, {training.counsellor.id: "present"})
    db.session.commit()
    sign_in(client, training.trainer)
    page = text(client.get(f"/cohorts/{training.cohort.id}/progress"))
    assert "Siti Rahmawati" in page and "Attendance (percent of sessions)" in page
    assert "20% of 80% needed" in page
    assert f"/cohorts/{training.cohort.id}/progress" in text(
        client.get(f"/cohorts/{training.cohort.id}")
    )
    sign_in(client, training.outsider)
    assert client.get(f"/cohorts/{training.cohort.id}/progress").status_code == 404
    sign_in(client, world.counsellor)
    assert client.get(f"/cohorts/{training.cohort.id}/progress").status_code == 403


def test_tier_three_and_four_cohorts_show_their_own_requirements(world, training):
    from tests.factories import complete_tiers

    complete_tiers(world.counsellor, 2, 3)
    workshops = cohorts.create_cohort(
        world.admin,
        tier=4,
        name="Workshops",
        unit=world.jakarta,
        place="",
        starts_on=date(2026, 11, 2),
        ends_on=date(2026, 11, 6),
    )
    db.session.add(CohortMember(cohort_id=workshops.id, user_id=world.counsellor.id))
    workshop = db.session.scalar(sa.select(Workshop).where(Workshop.slug == "workshop-1"))
    session = cohorts.add_session(
        workshops,
        title="Day 1",
        starts_dt=datetime(2026, 11, 2, 2, tzinfo=UTC),
        minutes=60,
        place="",
        workshop_id=workshop.id,
    )
    db.session.add(CohortTrainer(cohort_id=workshops.id, user_id=world.trainer.id))
    db.session.flush()
    attendance.mark(session, world.trainer, {world.counsellor.id: "present"})
    db.session.commit()
    keys, rows = cohort_matrix(workshops)
    assert [(c.key, c.have, c.need) for c in rows[0].cells] == [
        ("workshops_attended", 1, 2),
        ("accepted_action_plans", 0, 1),
    ]
