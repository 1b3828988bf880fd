"""Concurrent requests on a real database: one submission per attempt, attempt limits hold."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from lms.accounts.models import Role, User
from lms.curriculum.models import Quiz
from lms.extensions import db
from lms.learning.attempts import AttemptClosed, NoAttemptsLeft, save_answers, start_attempt, submit
from lms.learning.models import QuizAnswer, QuizAttempt, TierCompletion


def run_together(app, count: int, work: Callable[[], Any]) -> list[Any]:  # type: ignore[no-untyped-def]
    """Run ``work`` in ``count`` threads released at the same moment; collect results."""
    barrier = threading.Barrier(count)
    results: list[Any] = []
    lock = threading.Lock()

    def worker() -> None:
        with app.app_context():
            barrier.wait()
            try:
                outcome = work()
                db.session.commit()
            except Exception as error:  # noqa: BLE001  (reported to the test)
                db.session.rollback()
                outcome = error
            finally:
                db.session.remove()
            with lock:
                results.append(outcome)

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_concurrent_submits_leave_one_submission(app, world, curriculum):
    quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "module-1-quiz"))
    attempt = start_attempt(world.counsellor, quiz)
    save_answers(attempt, {"purpose": "match", "consent": "false"})
    db.session.commit()
    attempt_id = attempt.id

    def submit_it():  # type: ignore[no-untyped-def]
        mine = db.session.get(QuizAttempt, attempt_id)
        submitted = submit(mine)
        return (submitted.state, submitted.percent, submitted.submitted_dt)

    results = run_together(app, 2, submit_it)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert results[0] == results[1]  # both see the one result
    db.session.expire_all()
    stored = db.session.get(QuizAttempt, attempt_id)
    assert stored.state == "submitted" and stored.submitted_dt == results[0][2]


def test_attempt_limits_hold_under_concurrency(app, world, curriculum):
    quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "module-1-quiz"))
    quiz.max_attempts = 2
    db.session.commit()
    user_id, quiz_id = world.counsellor.id, quiz.id

    def start_one():  # type: ignore[no-untyped-def]
        try:
            attempt = start_attempt(db.session.get(User, user_id), db.session.get(Quiz, quiz_id))
        except NoAttemptsLeft:
            return "refused"
        db.session.flush()
        return attempt.id

    def start_and_submit():  # type: ignore[no-untyped-def]
        outcome = start_one()
        if outcome != "refused":
            submit(db.session.get(QuizAttempt, outcome))
        return outcome

    for _ in range(3):  # three rounds of four people pressing "start" at once
        results = run_together(app, 4, start_and_submit)
        assert not [r for r in results if isinstance(r, Exception)], results
    numbers = sorted(
        db.session.scalars(sa.select(QuizAttempt.number).where(QuizAttempt.user_id == user_id))
    )
    assert numbers == [1, 2]


def test_tier_completion_is_recorded_once_under_concurrency(app, world, curriculum):
    # Everything is done, and two requests notice at the same moment.
    from lms.curriculum.models import Module
    from lms.learning.progress import mark_read
    from lms.training.standing import record_completions

    for module in db.session.scalars(sa.select(Module)):
        mark_read(world.counsellor, module)
        attempt = start_attempt(world.counsellor, module.quiz)
        save_answers(
            attempt,
            {
                "purpose": "match",
                "services": ["lmi", "matching"],
                "consent": "false",
                "acronym": "lmi",
                "rate": "25",
            },
        )
        db.session.flush()
    db.session.execute(sa.delete(TierCompletion))
    db.session.commit()
    user_id = world.counsellor.id
    attempt_ids = list(db.session.scalars(sa.select(QuizAttempt.id)))
    for attempt_id in attempt_ids:
        attempt = db.session.get(QuizAttempt, attempt_id)
        attempt.state, attempt.passed, attempt.percent = "submitted", True, 100.0
    db.session.commit()

    results = run_together(app, 3, lambda: record_completions(db.session.get(User, user_id)))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TierCompletion)) == 1


def test_two_saves_of_the_same_answer_at_once_do_not_collide(app, world, curriculum):
    quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "module-1-quiz"))
    attempt = start_attempt(world.counsellor, quiz)
    db.session.commit()
    attempt_id = attempt.id

    def save_it():  # type: ignore[no-untyped-def]
        return save_answers(
            db.session.get(QuizAttempt, attempt_id), {"acronym": "lmi", "purpose": "match"}
        )

    for _ in range(3):
        results = run_together(app, 2, save_it)
        assert not [r for r in results if isinstance(r, Exception)], results


def test_a_save_racing_a_submit_never_changes_a_submitted_attempt(app, world, curriculum):
    quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "module-1-quiz"))
    attempt = start_attempt(world.counsellor, quiz)
    db.session.commit()
    attempt_id = attempt.id

    roles, lock = iter(["save", "submit"]), threading.Lock()

    def save_or_submit():  # type: ignore[no-untyped-def]
        with lock:
            role = next(roles)
        mine = db.session.get(QuizAttempt, attempt_id)
        if role == "save":
            try:
                save_answers(mine, {"purpose": "match"})
            except AttemptClosed:
                return "closed"
            return "saved"
        return submit(mine).score

    results = run_together(app, 2, save_or_submit)
    assert not [r for r in results if isinstance(r, Exception)], results
    db.session.expire_all()
    stored = db.session.get(QuizAttempt, attempt_id)
    answers = dict(db.session.execute(sa.select(QuizAnswer.question_id, QuizAnswer.response)).all())
    # Whatever came first, the stored score matches the stored answers.
    assert stored.score == (1.0 if answers.get("purpose") == "match" else 0.0)


# -- Tiers 2 to 4 -----------------------------------------------------------------------------
def test_two_trainers_finalising_at_once_leave_one_consistent_result(app, training):
    """Both grades are kept and the result is computed from both, whichever commits first."""
    from lms.training.grading import GradeInput, save_grade, simulation_for
    from lms.training.models import Grade, Simulation

    simulation = simulation_for(training.cohort.id, training.counsellor.id, training.scenario())
    db.session.commit()
    simulation_id = simulation.id
    proficient = dict.fromkeys(("rapport", "listening", "action-plan"), "proficient")
    developing = dict.fromkeys(("rapport", "listening", "action-plan"), "developing")
    for first, second, expected in [
        (proficient, proficient, ("final", 75.0, True)),  # they agree: the mean
        (proficient, developing, ("moderation", None, None)),  # 25 points apart
    ]:
        db.session.execute(sa.delete(Grade))
        db.session.execute(
            sa.update(Simulation).values(state="open", result_percent=None, passed=None)
        )
        db.session.commit()
        trainers = iter([(training.trainer.id, first), (training.second.id, second)])
        lock = threading.Lock()

        def finalise(trainers=trainers, lock=lock):  # type: ignore[no-untyped-def]
            with lock:
                trainer_id, levels = next(trainers)
            mine = db.session.get(Simulation, simulation_id)
            trainer = db.session.get(User, trainer_id)
            return save_grade(mine, trainer, GradeInput(levels, {}, "", True)).role

        results = run_together(app, 2, finalise)
        assert results == ["grader", "grader"], results
        db.session.expire_all()
        simulation = db.session.get(Simulation, simulation_id)
        assert (simulation.state, simulation.result_percent, simulation.passed) == expected
        assert db.session.scalar(sa.select(sa.func.count(Grade.id))) == 2


def test_two_moderators_at_once_leave_one_moderation(app, training):
    from lms.training.grading import GradeInput, GradingRefused, save_grade, simulation_for
    from lms.training.models import Grade, Simulation
    from tests.factories import user

    fourth = user(Role.TRAINER, training.world.jakarta, email="trainer4@example.org")
    from lms.training.models import CohortTrainer

    db.session.add(CohortTrainer(cohort_id=training.cohort.id, user_id=fourth.id))
    simulation = simulation_for(training.cohort.id, training.counsellor.id, training.scenario())
    high = dict.fromkeys(("rapport", "listening", "action-plan"), "exemplary")
    low = dict.fromkeys(("rapport", "listening", "action-plan"), "developing")
    save_grade(simulation, training.trainer, GradeInput(high, {}, "", True))
    save_grade(simulation, training.second, GradeInput(low, {}, "", True))
    db.session.commit()
    assert simulation.state == "moderation"
    simulation_id = simulation.id
    moderators = iter([training.third.id, fourth.id])
    lock = threading.Lock()

    def moderate():  # type: ignore[no-untyped-def]
        with lock:
            moderator_id = next(moderators)
        mine = db.session.get(Simulation, simulation_id)
        save_grade(mine, db.session.get(User, moderator_id), GradeInput(high, {}, "", True))
        return "saved"

    results = run_together(app, 2, moderate)
    assert results.count("saved") == 1, results
    assert any(isinstance(r, GradingRefused) for r in results), results
    db.session.expire_all()
    assert (
        db.session.scalar(sa.select(sa.func.count(Grade.id)).where(Grade.role == "moderator")) == 1
    )
    assert db.session.get(Simulation, simulation_id).state == "final"


def test_two_trainers_reviewing_a_rollout_at_once_decide_once(app, world, training):
    from datetime import date

    from lms.training import rollouts
    from lms.training.models import RolloutReview, RolloutSession
    from tests.factories import complete_tiers

    complete_tiers(training.counsellor, 2)
    rollouts.appoint(world.admin, training.counsellor)
    rollout = rollouts.record(
        training.counsellor,
        rollouts.RolloutInput(date.today(), "Office", "Topic", [training.other_counsellor.id]),
    )
    db.session.commit()
    rollout_id = rollout.id
    reviewers = iter([(training.trainer.id, True), (training.second.id, False)])
    lock = threading.Lock()

    def review():  # type: ignore[no-untyped-def]
        with lock:
            reviewer_id, confirm = next(reviewers)
        mine = db.session.get(RolloutSession, rollout_id)
        return rollouts.review(
            db.session.get(User, reviewer_id), mine, confirm=confirm, comment="Fix the date"
        )

    results = run_together(app, 2, review)
    assert sorted(results) == [False, True], results
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(RolloutReview.id))) == 1
