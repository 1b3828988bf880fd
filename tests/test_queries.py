"""Pages run a bounded number of queries, whatever the number of rows they show."""

from __future__ import annotations

from contextlib import contextmanager

import sqlalchemy as sa

from lms.accounts.models import Role, UnitKind
from lms.extensions import db
from tests import factories
from tests.support import sign_in


@contextmanager
def count_queries():
    counter = {"n": 0}

    def count(*_args):  # type: ignore[no-untyped-def]
        counter["n"] += 1

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield counter
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)


def queries_for(client, url: str) -> int:
    with count_queries() as counter:
        assert client.get(url).status_code == 200
    return counter["n"]


def test_the_people_list_does_not_grow_with_its_rows(client, world):
    sign_in(client, world.regional_admin)
    few = queries_for(client, "/admin/users")
    for number in range(24):
        factories.user(Role.COUNSELLOR, world.my_office, email=f"many{number}@example.org")
    db.session.commit()
    many = queries_for(client, "/admin/users")
    assert many == few
    assert few <= 6


def test_the_units_page_does_not_grow_with_units(client, world):
    sign_in(client, world.admin)
    few = queries_for(client, "/admin/units")
    for number in range(10):
        factories.unit(f"ID-JK-{number + 10}", UnitKind.OFFICE, world.jakarta)
    db.session.commit()
    assert queries_for(client, "/admin/units") == few


def _attempts(user, quiz, count):  # type: ignore[no-untyped-def]
    from lms.learning.models import QuizAttempt

    for number in range(1, count + 1):
        db.session.add(
            QuizAttempt(
                user_id=user.id,
                quiz_id=quiz.id,
                quiz_version_id=quiz.current_version_id,
                number=number,
                pass_mark=70,
                state="submitted",
                layout={"questions": [], "options": {}},
                score=1,
                max_score=7,
                percent=14.0,
                passed=False,
            )
        )
    db.session.commit()


def _learner_pages(client) -> dict[str, int]:  # type: ignore[no-untyped-def]
    from lms.curriculum.models import Quiz

    quiz = db.session.scalar(sa.select(Quiz).order_by(Quiz.id))
    pages = {
        "home": "/",
        "course": "/courses/course-1",
        "module": "/courses/course-1/module-1",
        "quiz": f"/quizzes/{quiz.id}",
    }
    return {name: queries_for(client, url) for name, url in pages.items()}


def test_learner_pages_do_not_grow_with_attempts_or_modules(client, world, curriculum):
    from lms.curriculum.models import Quiz

    sign_in(client, world.counsellor)
    curriculum(modules=6)
    quiz = db.session.scalar(sa.select(Quiz).order_by(Quiz.id))
    _attempts(world.counsellor, quiz, 1)
    small = _learner_pages(client)

    curriculum(modules=60)
    quiz = db.session.scalar(sa.select(Quiz).order_by(Quiz.id))
    db.session.execute(sa.text("DELETE FROM quiz_attempts"))
    _attempts(world.counsellor, quiz, 200)
    large = _learner_pages(client)
    assert large == small, (small, large)
    assert max(small.values()) <= 12, small


def _grow_training(world, training, extra: int) -> None:  # type: ignore[no-untyped-def]
    """More counsellors in the cohort, each with attendance, a final simulation, a roll-out
    and a notice: the training pages must not ask once per row."""
    from datetime import date

    from lms.training import attendance, rollouts
    from lms.training.grading import GradeInput, save_grade, simulation_for
    from lms.training.models import CohortMember

    levels = {c["id"]: "proficient" for c in training.scenario().rubric.criteria}
    for number in range(extra):
        person = factories.user(
            Role.COUNSELLOR, world.office, email=f"grow{extra}-{number}@example.org"
        )
        db.session.add(CohortMember(cohort_id=training.cohort.id, user_id=person.id))
        db.session.flush()
        attendance.mark(training.sessions[0], training.trainer, {person.id: "present"})
        simulation = simulation_for(training.cohort.id, person.id, training.scenario())
        save_grade(simulation, training.trainer, GradeInput(levels, {}, "", True))
        rollout = rollouts.record(
            training.counsellor,
            rollouts.RolloutInput(date.today(), "Office", f"Topic {extra}-{number}", [person.id]),
        )
        rollouts.review(training.trainer, rollout, confirm=True, comment="")
    db.session.commit()


def test_training_pages_do_not_grow_with_rows(client, world, training):
    from lms.training import rollouts
    from tests.factories import complete_tiers

    complete_tiers(training.counsellor, 2)
    rollouts.appoint(world.admin, training.counsellor)
    db.session.commit()
    cohort, session = training.cohort.id, training.sessions[0].id
    pages = {
        training.trainer: [
            f"/cohorts/{cohort}",
            f"/sessions/{session}/attendance",
            "/rollouts",
            "/cohorts",
            f"/cohorts/{cohort}/progress",
        ],
        training.counsellor: ["/", "/training", "/cascade", "/notices", "/rollouts"],
        world.admin: [
            "/admin/cascade",
            "/admin/facilitators",
            f"/cohorts/{cohort}",
            f"/cohorts/{cohort}/progress",
            "/reports/",
            "/reports/completion",
            "/reports/completion?tier=2&status=in_progress",
            "/reports/exports",
        ],
    }

    def measure() -> dict[str, int]:
        counts = {}
        for person, urls in pages.items():
            sign_in(client, person)
            for url in urls:
                counts[f"{person.email} {url}"] = queries_for(client, url)
        return counts

    _grow_training(world, training, 2)
    small = measure()
    _grow_training(world, training, 12)
    large = measure()
    assert large == small, {k: (small[k], large[k]) for k in small if small[k] != large[k]}
    assert max(small.values()) <= 17, small


def test_rollout_grade_and_plan_pages_do_not_grow_with_rows(client, world, training):
    from datetime import date, timedelta

    from lms.curriculum.models import Workshop
    from lms.training import attendance, cohorts, plans, rollouts
    from lms.training.grading import GradeInput, save_grade, simulation_for
    from lms.training.models import CohortMember
    from tests.factories import complete_tiers

    complete_tiers(training.counsellor, 2)
    rollouts.appoint(world.admin, training.counsellor)
    workshop = db.session.scalar(sa.select(Workshop).where(Workshop.slug == "workshop-1"))
    session = cohorts.add_session(
        training.cohort,
        title="W",
        starts_dt=training.sessions[0].starts_dt,
        minutes=60,
        place="",
        workshop_id=workshop.id,
    )
    levels = {c["id"]: "proficient" for c in training.scenario().rubric.criteria}

    def grow(count: int, tag: str) -> str:
        people = [
            factories.user(Role.COUNSELLOR, world.office, email=f"{tag}{n}@example.org")
            for n in range(count)
        ]
        rollout = rollouts.record(
            training.counsellor,
            rollouts.RolloutInput(date.today(), "Office", tag, [p.id for p in people]),
        )
        rollouts.review(training.trainer, rollout, confirm=False, comment="Again")
        for person in people:
            db.session.add(CohortMember(cohort_id=training.cohort.id, user_id=person.id))
            db.session.flush()
            attendance.mark(session, training.trainer, {person.id: "present"})
            plans.submit(person, workshop, changes="Plan", due_on=date.today() + timedelta(1))
        simulation = simulation_for(training.cohort.id, training.counsellor.id, training.scenario())
        save_grade(simulation, training.second, GradeInput(levels, {}, "", True))
        db.session.commit()
        return f"/rollouts/{rollout.id}"

    def measure(rollout_url: str) -> dict[str, int]:
        sign_in(client, training.trainer)
        counts = {
            "rollout": queries_for(client, rollout_url),
            "plans": queries_for(client, "/action-plans"),
            "grade": queries_for(
                client,
                f"/cohorts/{training.cohort.id}/members/{training.counsellor.id}"
                "/simulations/scenario-1",
            ),
        }
        sign_in(client, training.counsellor)
        counts["workshop"] = queries_for(client, "/workshops/workshop-1")
        return counts

    small = measure(grow(2, "few"))
    large = measure(grow(12, "many"))
    assert large == small, (small, large)
    assert max(small.values()) <= 14, small


def test_the_record_of_exports_does_not_grow_with_exports(client, world):
    from lms.reports.models import ReportExport

    def grow(count: int) -> None:
        for number in range(count):
            db.session.add(
                ReportExport(
                    user_id=world.admin.id if number % 2 else None,
                    scope_unit_id=world.admin.org_unit_id,
                    format="csv",
                    filters={"unit_id": world.admin.org_unit_id, "sex": "female"},
                    rows=number,
                )
            )
        db.session.commit()

    sign_in(client, world.admin)
    grow(2)
    few = queries_for(client, "/reports/exports")
    grow(20)
    assert queries_for(client, "/reports/exports") == few
