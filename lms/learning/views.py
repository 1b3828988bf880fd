"""Tier 1 in the browser: courses, modules, quizzes and attempts."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from lms.curriculum.loader import IMAGE_SUFFIXES
from lms.curriculum.models import Course, Module, Quiz
from lms.curriculum.render import localise, render_markdown
from lms.extensions import csrf, db
from lms.learning.answers import responses_from_form
from lms.learning.attempts import (
    AttemptClosed,
    NoAttemptsLeft,
    attempts_of,
    expire_if_due,
    responses_of,
    save_answers,
    start_attempt,
    submit,
)
from lms.learning.models import QuizAttempt
from lms.learning.progress import course_with_modules, mark_read, module_statuses
from lms.learning.scoring import score_question

bp = Blueprint("learning", __name__, template_folder="templates")

PENDING = "pending_answers"  # answers posted after the session ended, kept until sign-in


def _language() -> str:
    return str(get_locale() or "en")


def get_course_or_404(course_slug: str) -> Course:
    course = db.session.scalar(
        sa.select(Course).where(Course.slug == course_slug, Course.is_retired.is_(False))
    )
    if course is None:
        abort(404)
    return course


def get_module_or_404(course_slug: str, module_slug: str) -> Module:
    module = db.session.scalar(
        sa.select(Module)
        .join(Course)
        .where(
            Course.slug == course_slug,
            Module.slug == module_slug,
            Course.is_retired.is_(False),
            Module.is_retired.is_(False),
        )
    )
    if module is None:
        abort(404)
    return module


def get_quiz_or_404(quiz_id: int) -> Quiz:
    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None or quiz.is_retired or quiz.module.is_retired or quiz.module.course.is_retired:
        abort(404)
    return quiz


def get_attempt_or_404(attempt_id: int) -> QuizAttempt:
    """The signed-in person's own attempt; anyone else's does not exist for them."""
    attempt = db.session.get(QuizAttempt, attempt_id)
    if attempt is None or attempt.user_id != current_user.id:
        abort(404)
    return attempt


@bp.get("/courses/<course_slug>")
@login_required
def course(course_slug: str) -> str:
    course = course_with_modules(get_course_or_404(course_slug).id)
    statuses = module_statuses(current_user, [course])
    return render_template("learning/course.html", course=course, statuses=statuses)


@bp.get("/courses/<course_slug>/<module_slug>")
@login_required
def module(course_slug: str, module_slug: str) -> str:
    module = get_module_or_404(course_slug, module_slug)
    body = localise(module.body, _language())
    html = render_markdown(
        body.text,
        url_for(
            "learning.module_file", course_slug=course_slug, module_slug=module_slug, filename=""
        ),
    )
    course = course_with_modules(module.course_id)
    siblings = [m for m in course.modules if not m.is_retired]
    index = siblings.index(module)
    status = next(s for s in module_statuses(current_user, [course]) if s.module.id == module.id)
    return render_template(
        "learning/module.html",
        module=module,
        body=body,
        html=html,
        status=status,
        previous=siblings[index - 1] if index > 0 else None,
        following=siblings[index + 1] if index + 1 < len(siblings) else None,
    )


@bp.get("/courses/<course_slug>/<module_slug>/files/<path:filename>")
@login_required
def module_file(course_slug: str, module_slug: str, filename: str) -> Response:
    """An image from the module's folder; nothing outside it, nothing but images."""
    module = get_module_or_404(course_slug, module_slug)
    if Path(filename).suffix.lower() not in IMAGE_SUFFIXES:
        abort(404)
    folder = (
        Path(current_app.config["COURSES_DIR"])
        / f"tier-{module.course.tier_number}"
        / course_slug
        / module_slug
    )
    return send_from_directory(folder, filename, max_age=3600)


@bp.post("/courses/<course_slug>/<module_slug>/read")
@login_required
def mark_module_read(course_slug: str, module_slug: str) -> Response:
    module = get_module_or_404(course_slug, module_slug)
    mark_read(current_user, module)
    db.session.commit()
    if module.quiz is not None and not module.quiz.is_retired:
        flash(_("Marked as read. Now take the quiz."), "success")
        return redirect(url_for("learning.quiz", quiz_id=module.quiz.id))
    flash(_("Marked as read."), "success")
    return redirect(url_for("learning.course", course_slug=course_slug))


@bp.get("/quizzes/<int:quiz_id>")
@login_required
def quiz(quiz_id: int) -> str:
    quiz = get_quiz_or_404(quiz_id)
    attempts = attempts_of(current_user, quiz)
    current = next((a for a in attempts if a.is_open), None)
    if current is not None and expire_if_due(current):
        db.session.commit()
    used = len(attempts)
    left = None if quiz.max_attempts is None else max(0, quiz.max_attempts - used)
    return render_template(
        "learning/quiz.html",
        quiz=quiz,
        attempts=attempts,
        current=current if current is not None and current.is_open else None,
        left=left,
    )


@bp.post("/quizzes/<int:quiz_id>/start")
@login_required
def start(quiz_id: int) -> Response:
    quiz = get_quiz_or_404(quiz_id)
    try:
        attempt = start_attempt(current_user, quiz)
    except NoAttemptsLeft:
        flash(_("You have used every attempt at this quiz."), "error")
        return redirect(url_for("learning.quiz", quiz_id=quiz.id))
    db.session.commit()
    return redirect(url_for("learning.attempt", attempt_id=attempt.id))


def _pages(attempt: QuizAttempt) -> list[list[dict]]:
    by_id = {q["id"]: q for q in attempt.version.questions}
    ordered = [by_id[qid] for qid in attempt.layout["questions"] if qid in by_id]
    size = current_app.config["QUIZ_QUESTIONS_PER_PAGE"]
    return [ordered[i : i + size] for i in range(0, len(ordered), size)] or [[]]


@bp.get("/attempts/<int:attempt_id>")
@login_required
def attempt(attempt_id: int) -> str | Response:
    attempt = get_attempt_or_404(attempt_id)
    if expire_if_due(attempt):
        db.session.commit()
        flash(_("The time limit has passed: your saved answers were submitted."), "info")
    if not attempt.is_open:
        _forget_pending(attempt.id)
        return redirect(url_for("learning.result", attempt_id=attempt.id))
    pages = _pages(attempt)
    page = min(max(request.args.get("page", 1, type=int), 1), len(pages) + 1)
    responses = responses_of(attempt)
    restored = session.get(PENDING, {}).get(str(attempt.id))
    if restored:
        responses.update(restored)
        flash(
            _("Your session had ended, but the answers you sent were kept. Check them and save."),
            "info",
        )
    review = page == len(pages) + 1
    return render_template(
        "learning/attempt.html",
        attempt=attempt,
        quiz=db.session.get(Quiz, attempt.quiz_id),
        questions=[] if review else pages[page - 1],
        all_questions=[q for p in pages for q in p],
        page=page,
        page_count=len(pages),
        review=review,
        responses=responses,
        restored=bool(restored),
    )


def _same_origin() -> bool:
    """Did the browser say this request comes from one of our own pages?"""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = request.headers.get("Origin") or request.headers.get("Referer", "")
    return bool(origin) and origin.rstrip("/").startswith(request.host_url.rstrip("/"))


def _forget_pending(attempt_id: int, question_ids: set[str] | None = None) -> None:
    """Drop kept answers of an attempt: those now saved, or all of them."""
    pending = session.get(PENDING, {})
    kept = pending.get(str(attempt_id))
    if kept is None:
        return
    remaining = (
        {} if question_ids is None else {q: a for q, a in kept.items() if q not in question_ids}
    )
    if remaining:
        pending[str(attempt_id)] = remaining
    else:
        pending.pop(str(attempt_id))
    session[PENDING] = pending


def _keep_while_signed_out(attempt_id: int) -> None:
    """Keep the answers of a page posted after the session ended, in the sender's own signed
    cookie, to put back in the form after they sign in. Only for requests from our own pages
    (the CSRF token died with the session), and applied only to the sender's own attempt."""
    unverified = db.session.get(QuizAttempt, attempt_id)
    if unverified is None or not unverified.is_open or not _same_origin():
        return
    answers = responses_from_form(
        unverified.version.questions, unverified.layout, request.form, _language()
    )
    pending = session.get(PENDING, {})
    pending[str(attempt_id)] = {**pending.get(str(attempt_id), {}), **answers}
    session[PENDING] = pending


@bp.post("/attempts/<int:attempt_id>/save")
@csrf.exempt  # checked below once we know the sender is signed in
def save(attempt_id: int) -> Response:
    page = request.form.get("page", 1, type=int)
    wants_json = request.accept_mimetypes.best == "application/json"
    if not current_user.is_authenticated:
        _keep_while_signed_out(attempt_id)
        if wants_json:
            return jsonify(error="signed_out"), 401
        flash(_("Your session had ended. Sign in again: the answers you sent are kept."), "info")
        return redirect(
            url_for(
                "auth.login", next=url_for("learning.attempt", attempt_id=attempt_id, page=page)
            )
        )
    csrf.protect()
    attempt = get_attempt_or_404(attempt_id)
    answers = responses_from_form(
        attempt.version.questions, attempt.layout, request.form, _language()
    )
    try:
        save_answers(attempt, answers)
    except AttemptClosed:
        db.session.commit()
        _forget_pending(attempt.id)
        if wants_json:
            return jsonify(
                error="closed", result=url_for("learning.result", attempt_id=attempt.id)
            ), 409
        flash(_("This attempt was already submitted."), "info")
        return redirect(url_for("learning.result", attempt_id=attempt.id))
    db.session.commit()
    _forget_pending(attempt.id, set(answers))
    if wants_json:
        return jsonify(saved=True)
    go = request.form.get("go", "next")
    target = page - 1 if go == "previous" else page + 1
    return redirect(url_for("learning.attempt", attempt_id=attempt.id, page=max(target, 1)))


@bp.post("/attempts/<int:attempt_id>/submit")
@login_required
def submit_attempt(attempt_id: int) -> Response:
    attempt = get_attempt_or_404(attempt_id)
    submit(attempt)
    db.session.commit()
    return redirect(url_for("learning.result", attempt_id=attempt.id))


@bp.get("/attempts/<int:attempt_id>/result")
@login_required
def result(attempt_id: int) -> str | Response:
    attempt = get_attempt_or_404(attempt_id)
    if expire_if_due(attempt):
        db.session.commit()
    if attempt.is_open:
        return redirect(url_for("learning.attempt", attempt_id=attempt.id))
    responses = responses_of(attempt)
    questions = attempt.version.questions
    outcomes = {q["id"]: score_question(q, responses.get(q["id"])) for q in questions}
    quiz = db.session.get(Quiz, attempt.quiz_id)
    attempts = attempts_of(current_user, quiz)
    no_attempts_left = quiz.max_attempts is not None and len(attempts) >= quiz.max_attempts
    return render_template(
        "learning/result.html",
        attempt=attempt,
        quiz=quiz,
        questions=questions,
        responses=responses,
        outcomes=outcomes,
        # Right answers show once they can no longer help pass: after passing or the last try.
        reveal=any(a.passed for a in attempts)
        or (no_attempts_left and not any(a.is_open for a in attempts)),
    )
