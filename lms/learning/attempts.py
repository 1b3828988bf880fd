"""Quiz attempts: start within the attempt limit, save answers as they come, submit once.

The database enforces what must never happen: two attempts with one number, two attempts in
progress at once, an attempt submitted twice (submitting is one conditional UPDATE).
"""

from __future__ import annotations

import random
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from lms.accounts.models import User
from lms.curriculum.models import Quiz
from lms.database import insert_or_ignore, upsert
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
    """The order a counsellor sees questions and options in, and the tokens that stand for
    options in the page.

    Option ids never reach the browser: a matching question whose options were named by the
    pairs they belong to would give its answers away. Each option gets a random token instead;
    ``tokens[question][token]`` is the option's id.
    """

    def arranged(ids: list[str], *, always: bool = False) -> list[str]:
        ids = list(ids)
        if shuffle or always:
            _shuffler.shuffle(ids)
        return ids

    options: dict[str, list[str]] = {}
    tokens: dict[str, dict[str, str]] = {}
    for question in questions:
        kind, qid = question["type"], question["id"]
        if kind in ("single_choice", "multiple_choice", "matching"):
            ids = (
                [c["id"] for c in question["choices"]]
                if kind != "matching"
                else [p["id"] for p in question["pairs"]]
            )
            # Matching options are always shuffled: in file order, row i's answer is option i.
            shown = arranged(ids, always=kind == "matching")
            token_of = {option: secrets.token_hex(4) for option in shown}
            options[qid] = [token_of[option] for option in shown]
            tokens[qid] = {token: option for option, token in token_of.items()}
        elif kind == "ordering":
            # Always shown out of order: putting them in order is the task.
            ids = [item["id"] for item in question["items"]]
            shown = arranged(ids)
            if shown == ids:
                shown = ids[1:] + ids[:1]
            options[qid] = shown
    return {
        "questions": arranged([q["id"] for q in questions]),
        "options": options,
        "tokens": tokens,
    }


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
    created = insert_or_ignore(
        QuizAttempt,
        user_id=user.id,
        quiz_id=quiz.id,
        quiz_version_id=version.id,
        number=used + 1,
        pass_mark=quiz.pass_mark,
        state=AttemptState.IN_PROGRESS.value,
        layout=layout_for(version.questions, quiz.shuffle),
        started_dt=started,
        deadline_dt=started + timedelta(minutes=quiz.time_limit_minutes)
        if quiz.time_limit_minutes
        else None,
        timed_out=False,
    )
    if created is None:
        # Another request started one at the same moment: use it (or respect the limit).
        current = open_attempt(user, quiz)
        if current is None:
            raise NoAttemptsLeft
        return current
    return db.session.get(QuizAttempt, created)


def expire_if_due(attempt: QuizAttempt) -> bool:
    """Submit what was saved if the time limit has passed; say whether it had."""
    if attempt.is_open and attempt.deadline_dt is not None and attempt.deadline_dt <= now():
        submit(attempt, timed_out=True)
        return True
    return False


def _claim(attempt: QuizAttempt) -> bool:
    """Lock the attempt's row for this transaction if it is still in progress.

    A write to the row (a no-op one) holds the lock until commit, so a concurrent submit waits
    for these answers, and a save that comes after a submit finds the attempt closed.
    """
    result = db.session.execute(
        sa.update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id, QuizAttempt.state == AttemptState.IN_PROGRESS.value)
        .values(state=AttemptState.IN_PROGRESS.value)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def save_answers(attempt: QuizAttempt, responses: dict[str, Any]) -> int:
    """Keep the latest answer to each question given (others stay as they were).

    :raises AttemptClosed: if the attempt is submitted, or its time ran out just now.
    :return: how many answers were saved.
    """
    if expire_if_due(attempt) or not _claim(attempt):
        raise AttemptClosed
    known = {q["id"] for q in attempt.version.questions}
    saved = 0
    for question_id, response in responses.items():
        if question_id in known:
            # One statement: two saves of the same answer at once cannot collide.
            upsert(
                QuizAnswer,
                ["attempt_id", "question_id"],
                attempt_id=attempt.id,
                question_id=question_id,
                response=response,
                saved_dt=now(),
            )
            saved += 1
    db.session.expire(attempt, ["answers"])
    return saved


def responses_of(attempt: QuizAttempt) -> dict[str, Any]:
    """The saved answers, read from the database now (not from what the session holds)."""
    return dict(
        db.session.execute(
            sa.select(QuizAnswer.question_id, QuizAnswer.response).where(
                QuizAnswer.attempt_id == attempt.id
            )
        ).all()
    )


def submit(attempt: QuizAttempt, *, timed_out: bool = False) -> QuizAttempt:
    """Close the attempt, then score the answers it closed with; once only.

    Closing first (one conditional UPDATE) means that a second or concurrent submit gets the
    first result, and that no save can slip in between scoring and closing.
    """
    closed = db.session.execute(
        sa.update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id, QuizAttempt.state == AttemptState.IN_PROGRESS.value)
        .values(state=AttemptState.SUBMITTED.value, submitted_dt=now(), timed_out=timed_out)
        .execution_options(synchronize_session=False)
    )
    if closed.rowcount == 1:
        result = score_quiz(attempt.version.questions, responses_of(attempt), attempt.pass_mark)
        db.session.execute(
            sa.update(QuizAttempt)
            .where(QuizAttempt.id == attempt.id)
            .values(
                score=result.score,
                max_score=result.max_score,
                percent=result.percent,
                passed=result.passed,
            )
            .execution_options(synchronize_session=False)
        )
    db.session.refresh(attempt)
    if closed.rowcount == 1:
        from lms.training.standing import record_completions

        record_completions(db.session.get(User, attempt.user_id))
    return attempt
