"""Quiz attempts: start within the attempt limit, save answers as they come, submit once.

The database enforces what must never happen: two attempts with one number, two attempts in
progress at once, an attempt submitted twice (submitting is one conditional UPDATE).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from lms.accounts.models import User
from lms.curriculum.models import Quiz
from lms.extensions import db
from lms.learning.models import AttemptState, QuizAnswer, QuizAttempt
from lms.learning.scoring import score_quiz

_shuffler = random.SystemRandom()


class NoAttemptsLeft(Exception):
    """Every allowed attempt has been used."""


class AttemptClosed(Exception):
    """The attempt was already submitted (perhaps because its time ran out)."""


def now() -> datetime:
    return datetime.now(UTC)


def attempts_of(user: User, quiz: Quiz) -> list[QuizAttempt]:
    return list(
        db.session.scalars(
            sa.select(QuizAttempt)
            .where(QuizAttempt.user_id == user.id, QuizAttempt.quiz_id == quiz.id)
            .order_by(QuizAttempt.number)
        )
    )


def open_attempt(user: User, quiz: Quiz) -> QuizAttempt | None:
    return db.session.scalar(
        sa.select(QuizAttempt).where(
            QuizAttempt.user_id == user.id,
            QuizAttempt.quiz_id == quiz.id,
            QuizAttempt.state == AttemptState.IN_PROGRESS.value,
        )
    )


def layout_for(questions: list[dict[str, Any]], shuffle: bool) -> dict[str, Any]:
    """The order a counsellor sees questions and options in (shuffled if the quiz says so)."""

    def arranged(ids: list[str]) -> list[str]:
        ids = list(ids)
        if shuffle:
            _shuffler.shuffle(ids)
        return ids

    options: dict[str, list[str]] = {}
    for question in questions:
        if question["type"] in ("single_choice", "multiple_choice"):
            options[question["id"]] = arranged([c["id"] for c in question["choices"]])
        elif question["type"] == "ordering":
            # Always shown out of order: the task is to put them in order.
            ids = [item["id"] for item in question["items"]]
            shown = ids[::-1] if not shuffle else arranged(ids)
            options[question["id"]] = shown
        elif question["type"] == "matching":
            options[question["id"]] = arranged([p["id"] for p in question["pairs"]])
    return {"questions": arranged([q["id"] for q in questions]), "options": options}


def start_attempt(user: User, quiz: Quiz) -> QuizAttempt:
    """The attempt in progress, or a new one if the limit allows.

    :raises NoAttemptsLeft: when every allowed attempt was used.
    """
    current = open_attempt(user, quiz)
    if current is not None:
        return current
    used = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.max(QuizAttempt.number), 0)).where(
            QuizAttempt.user_id == user.id, QuizAttempt.quiz_id == quiz.id
        )
    )
    if quiz.max_attempts is not None and used >= quiz.max_attempts:
        raise NoAttemptsLeft
    version = quiz.current_version
    started = now()
    attempt = QuizAttempt(
        user_id=user.id,
        quiz_id=quiz.id,
        quiz_version_id=version.id,
        number=used + 1,
        layout=layout_for(version.questions, quiz.shuffle),
        started_dt=started,
        deadline_dt=started + timedelta(minutes=quiz.time_limit_minutes)
        if quiz.time_limit_minutes
        else None,
    )
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except sa.exc.IntegrityError:
        # Another request started one at the same moment: use it (or respect the limit).
        current = open_attempt(user, quiz)
        if current is None:
            raise NoAttemptsLeft from None
        return current
    return attempt


def expire_if_due(attempt: QuizAttempt) -> bool:
    """Submit what was saved if the time limit has passed; say whether it had."""
    if attempt.is_open and attempt.deadline_dt is not None and attempt.deadline_dt <= now():
        submit(attempt, timed_out=True)
        return True
    return False


def save_answers(attempt: QuizAttempt, responses: dict[str, Any]) -> int:
    """Keep the latest answer to each question given (others stay as they were).

    :raises AttemptClosed: if the attempt is submitted, or its time ran out just now.
    :return: how many answers were saved.
    """
    if expire_if_due(attempt) or not attempt.is_open:
        raise AttemptClosed
    known = {q["id"] for q in attempt.version.questions}
    existing = {answer.question_id: answer for answer in attempt.answers}
    saved = 0
    for question_id, response in responses.items():
        if question_id not in known:
            continue
        answer = existing.get(question_id)
        if answer is None:
            db.session.add(
                QuizAnswer(
                    attempt=attempt, question_id=question_id, response=response, saved_dt=now()
                )
            )
        elif answer.response != response:
            answer.response, answer.saved_dt = response, now()
        saved += 1
    db.session.flush()
    return saved


def responses_of(attempt: QuizAttempt) -> dict[str, Any]:
    return {answer.question_id: answer.response for answer in attempt.answers}


def submit(attempt: QuizAttempt, *, timed_out: bool = False) -> QuizAttempt:
    """Score and close the attempt, once: a second or concurrent submit gets the first result."""
    if not attempt.is_open:
        return attempt
    quiz = db.session.get(Quiz, attempt.quiz_id)
    result = score_quiz(attempt.version.questions, responses_of(attempt), quiz.pass_mark)
    closed = db.session.execute(
        sa.update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id, QuizAttempt.state == AttemptState.IN_PROGRESS.value)
        .values(
            state=AttemptState.SUBMITTED.value,
            submitted_dt=now(),
            timed_out=timed_out,
            score=result.score,
            max_score=result.max_score,
            percent=result.percent,
            passed=result.passed,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(attempt)
    if closed.rowcount == 1:
        from lms.learning.progress import record_completions

        record_completions(db.session.get(User, attempt.user_id))
    return attempt
