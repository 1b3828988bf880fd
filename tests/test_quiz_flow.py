"""Tier 1 in the browser (test client): reading, quizzes that never lose an answer, completion."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from lms.curriculum.models import Module, Quiz
from lms.extensions import db
from lms.learning.models import QuizAnswer, QuizAttempt, TierCompletion
from tests.course_files import RIGHT_ANSWERS
from tests.support import csrf_token, sign_in, submit, text


def quiz_of(slug: str = "module-1") -> Quiz:
    return db.session.scalar(sa.select(Quiz).join(Module).where(Module.slug == slug))


def start(client, quiz: Quiz) -> int:  # type: ignore[no-untyped-def]
    response = submit(client, f"/quizzes/{quiz.id}/start")
    assert response.status_code == 302, response.status_code
    return int(response.location.rsplit("/", 1)[1].split("?")[0])


def as_in_page(attempt_id: int, answers: dict) -> dict:
    """Answers given by option id, sent as the page sends them: by the attempt's tokens."""
    attempt = db.session.get(QuizAttempt, attempt_id)
    if attempt is None:
        return answers
    token_of = {
        qid: {option: token for token, option in tokens.items()}
        for qid, tokens in attempt.layout["tokens"].items()
    }
    sent = {}
    for name, value in answers.items():
        qid = next((q for q in token_of if name == f"q-{q}" or name.startswith(f"q-{q}-")), None)
        tokens = token_of.get(qid, {})
        sent[name] = (
            [tokens.get(v, v) for v in value]
            if isinstance(value, list)
            else tokens.get(value, value)
        )
    return sent


def save_page(client, attempt_id: int, answers: dict, present: list[str], page: int = 1, **kwargs):  # type: ignore[no-untyped-def]
    data = {"page": page, "present": present, **as_in_page(attempt_id, answers)}
    return submit(client, f"/attempts/{attempt_id}/save", data, **kwargs)


def token(attempt_id: int, question: str, option: str) -> str:
    return as_in_page(attempt_id, {f"q-{question}": option})[f"q-{question}"]


def answer_everything(client, attempt_id: int) -> None:  # type: ignore[no-untyped-def]
    ids = ["purpose", "services", "consent", "acronym", "rate", "steps", "terms"]
    save_page(client, attempt_id, RIGHT_ANSWERS, ids)


@pytest.fixture
def counsellor(client, world, curriculum):  # type: ignore[no-untyped-def]
    sign_in(client, world.counsellor)
    return world.counsellor


def test_module_page_renders_markdown_safely_and_falls_back_to_english(client, counsellor):
    # Even text that got past the checker (edited in the database) is rendered safely.
    module = db.session.scalar(sa.select(Module).where(Module.slug == "module-1"))
    module.body = {
        **module.body,
        "en": "## Hello\n\n<script>alert(1)</script>\n\n[bad](javascript:alert(1)) [ok](https://www.ilo.org)",
    }
    db.session.commit()
    page = text(client.get("/courses/course-1/module-1", headers={"Accept-Language": "th"}))
    assert "<script>alert(1)</script>" not in page
    assert 'href="javascript' not in page
    assert 'href="https://www.ilo.org"' in page
    # Thai is not translated: English text, marked as English, with a note.
    assert 'class="prose" lang="en"' in page


def test_module_images_are_served_only_from_the_module_folder(client, counsellor, app):
    from pathlib import Path

    folder = Path(app.config["COURSES_DIR"]) / "tier-1/course-1/module-1/images"
    folder.mkdir()
    (folder / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    with client.get("/courses/course-1/module-1/files/images/chart.png") as image:
        assert image.status_code == 200
    assert client.get("/courses/course-1/module-1/files/../module-2/text.en.md").status_code == 404
    assert client.get("/courses/course-1/module-1/files/text.en.md").status_code == 404
    assert client.get("/courses/course-1/module-1/files/%2e%2e/%2e%2e/tier.yaml").status_code == 404


def test_reading_a_module_is_recorded_once(client, counsellor):
    response = submit(client, "/courses/course-1/module-1/read")
    assert response.location == f"/quizzes/{quiz_of().id}"
    submit(client, "/courses/course-1/module-1/read")
    assert "Read" in text(client.get("/courses/course-1"))


def test_answers_are_saved_page_by_page_and_survive_going_back(client, counsellor):
    attempt_id = start(client, quiz_of())
    first = text(client.get(f"/attempts/{attempt_id}?page=1"))
    assert "Question 1" in first and "Question 3" in first and "Question 4" not in first
    response = save_page(
        client, attempt_id, {"q-purpose": "match"}, ["purpose", "services", "consent"]
    )
    assert response.location.endswith("page=2")
    again = text(client.get(f"/attempts/{attempt_id}?page=1"))
    assert f'value="{token(attempt_id, "purpose", "match")}" checked' in again
    assert 'value="match"' not in again  # option ids never reach the page


def test_clearing_a_multiple_choice_question_saves_the_empty_answer(client, counsellor):
    attempt_id = start(client, quiz_of())
    save_page(client, attempt_id, {"q-services": ["lmi"]}, ["services"])
    save_page(client, attempt_id, {}, ["services"])
    answer = db.session.scalar(sa.select(QuizAnswer).where(QuizAnswer.question_id == "services"))
    assert answer.response == []


def test_autosave_answers_json_and_keeps_the_answer(client, counsellor):
    attempt_id = start(client, quiz_of())
    response = save_page(
        client,
        attempt_id,
        {"q-acronym": "LMI"},
        ["acronym"],
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200 and response.json == {"saved": True}
    assert (
        db.session.scalar(sa.select(QuizAnswer.response).where(QuizAnswer.question_id == "acronym"))
        == "LMI"
    )


def test_full_marks_pass_and_the_result_shows_feedback(client, counsellor):
    attempt_id = start(client, quiz_of())
    answer_everything(client, attempt_id)
    response = submit(client, f"/attempts/{attempt_id}/submit")
    assert response.location == f"/attempts/{attempt_id}/result"
    page = text(client.get(response.location))
    assert "You passed." in page and "100%" in page
    assert "Right." in page  # the chosen choice's feedback


def test_a_second_submit_returns_the_first_result(client, counsellor):
    attempt_id = start(client, quiz_of())
    save_page(client, attempt_id, {"q-purpose": "match"}, ["purpose"])
    submit(client, f"/attempts/{attempt_id}/submit")
    first = db.session.get(QuizAttempt, attempt_id)
    first_result = (first.percent, first.submitted_dt)
    # A late save and a second submit change nothing.
    late = save_page(client, attempt_id, RIGHT_ANSWERS, ["purpose", "services", "consent"])
    assert late.location.endswith("/result")
    assert submit(client, f"/attempts/{attempt_id}/submit").status_code == 302
    db.session.expire_all()
    again = db.session.get(QuizAttempt, attempt_id)
    assert (again.percent, again.submitted_dt) == first_result


def test_the_attempt_limit_holds(client, counsellor):
    quiz = quiz_of()
    for _ in range(3):
        attempt_id = start(client, quiz)
        submit(client, f"/attempts/{attempt_id}/submit")
    response = submit(client, f"/quizzes/{quiz.id}/start")
    assert response.location == f"/quizzes/{quiz.id}"
    assert "You have used every attempt" in text(client.get(response.location))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(QuizAttempt)) == 3


def test_starting_twice_continues_the_same_attempt(client, counsellor):
    quiz = quiz_of()
    assert start(client, quiz) == start(client, quiz)


def test_an_expired_time_limit_submits_what_was_saved(client, counsellor):
    quiz = quiz_of()
    quiz.time_limit_minutes = 10
    db.session.commit()
    attempt_id = start(client, quiz)
    save_page(
        client, attempt_id, {"q-purpose": "match", "q-consent": "false"}, ["purpose", "consent"]
    )
    db.session.execute(
        sa.update(QuizAttempt).values(deadline_dt=datetime.now(UTC) - timedelta(seconds=1))
    )
    db.session.commit()
    response = client.get(f"/attempts/{attempt_id}")
    assert response.location == f"/attempts/{attempt_id}/result"
    db.session.expire_all()
    attempt = db.session.get(QuizAttempt, attempt_id)
    assert attempt.timed_out and not attempt.is_open
    assert attempt.score == 2.0
    late = save_page(client, attempt_id, {"q-rate": "25"}, ["rate"])
    assert late.location.endswith("/result")


def test_answers_posted_after_the_session_ended_are_kept_after_signing_in(app, client, counsellor):
    attempt_id = start(client, quiz_of())
    token_ = csrf_token(client)
    # The session ends (cookie gone, as after a timeout); the form is still on screen.
    client.delete_cookie("session")
    response = client.post(
        f"/attempts/{attempt_id}/save",
        data={
            "csrf_token": token_,
            "page": 1,
            "present": ["purpose", "acronym"],
            **as_in_page(attempt_id, {"q-purpose": "match"}),
            "q-acronym": "labour market information",
        },
        headers={"Origin": "http://localhost"},
    )
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(QuizAnswer)) == 0
    submit(
        client,
        "/login",
        {"email": "siti@example.org", "password": "correct horse battery"},
        page="/login",
    )
    page = text(client.get(f"/attempts/{attempt_id}?page=1"))
    assert "answers you sent were kept" in page
    assert f'value="{token(attempt_id, "purpose", "match")}" checked' in page
    save_page(client, attempt_id, {"q-purpose": "match"}, ["purpose"])
    assert (
        db.session.scalar(sa.select(QuizAnswer.response).where(QuizAnswer.question_id == "purpose"))
        == "match"
    )


def test_autosave_after_the_session_ended_says_so(client, counsellor):
    attempt_id = start(client, quiz_of())
    token_ = csrf_token(client)
    client.delete_cookie("session")
    response = client.post(
        f"/attempts/{attempt_id}/save",
        data={"csrf_token": token_, "present": ["purpose"], "q-purpose": "match"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 401 and response.json == {"error": "signed_out"}


def test_a_signed_in_save_without_csrf_is_refused(client, counsellor):
    attempt_id = start(client, quiz_of())
    response = client.post(
        f"/attempts/{attempt_id}/save", data={"present": ["purpose"], "q-purpose": "pay"}
    )
    assert response.status_code == 400


def test_nobody_else_can_see_or_change_an_attempt(app, client, world, counsellor):
    attempt_id = start(client, quiz_of())
    other = app.test_client()
    sign_in(other, world.other_counsellor)
    assert other.get(f"/attempts/{attempt_id}").status_code == 404
    assert other.get(f"/attempts/{attempt_id}/result").status_code == 404
    assert save_page(other, attempt_id, {"q-purpose": "pay"}, ["purpose"]).status_code == 404
    assert submit(other, f"/attempts/{attempt_id}/submit").status_code == 404


def test_completing_tier_one_records_the_date_and_opens_tier_two(client, counsellor):
    home = text(client.get("/"))
    assert "Locked" in home and "0 of 2 modules done" in home
    for slug in ("module-1", "module-2"):
        submit(client, f"/courses/course-1/{slug}/read")
        attempt_id = start(client, quiz_of(slug))
        answer_everything(client, attempt_id)
        submit(client, f"/attempts/{attempt_id}/submit")
    completion = db.session.scalar(sa.select(TierCompletion))
    assert completion is not None and completion.tier_number == 1
    home = text(client.get("/"))
    assert "Completed on" in home
    assert "Open to you" in home  # tier 2


def test_passing_without_reading_does_not_complete_the_tier(client, counsellor):
    for slug in ("module-1", "module-2"):
        attempt_id = start(client, quiz_of(slug))
        answer_everything(client, attempt_id)
        submit(client, f"/attempts/{attempt_id}/submit")
    assert db.session.scalar(sa.select(TierCompletion)) is None


def test_the_result_shows_the_right_answer_of_every_type_after_the_last_try(client, counsellor):
    quiz = quiz_of()
    quiz.max_attempts = 1
    db.session.commit()
    attempt_id = start(client, quiz)
    wrong = {
        "q-consent": "true",
        "q-acronym": "employment info",
        "q-rate": "30",
        "q-steps-rapport": "3",
        "q-steps-explore": "2",
        "q-steps-plan": "1",
        "q-terms-vacancy": "gap",
        "q-terms-gap": "vacancy",
    }
    save_page(client, attempt_id, wrong, ["consent", "acronym", "rate", "steps", "terms"])
    submit(client, f"/attempts/{attempt_id}/submit")
    page = text(client.get(f"/attempts/{attempt_id}/result"))
    assert "Not passed this time." in page
    assert "labour market information / labor market information" in page
    assert "25 ± 0.5" in page
    assert "Vacancy → An unfilled job" in page and "Vacancy → Missing skills" in page
    assert "0 of 1 points" in page


def test_right_answers_stay_hidden_while_attempts_remain(client, counsellor):
    attempt_id = start(client, quiz_of())
    save_page(client, attempt_id, {"q-consent": "true"}, ["consent"])
    submit(client, f"/attempts/{attempt_id}/submit")
    page = text(client.get(f"/attempts/{attempt_id}/result"))
    assert "The right answers are shown once you pass" in page
    assert "Correct answer:" not in page


def test_matching_options_do_not_give_their_answers_away(client, counsellor):
    attempt_id = start(client, quiz_of())
    page = text(client.get(f"/attempts/{attempt_id}?page=3"))
    assert 'name="q-terms-vacancy"' in page
    assert 'value="vacancy"' not in page and 'value="gap"' not in page


def test_a_save_after_the_submit_changes_nothing(client, counsellor):
    from lms.learning.attempts import AttemptClosed, save_answers

    attempt_id = start(client, quiz_of())
    stale = db.session.get(QuizAttempt, attempt_id)  # loaded before the submit
    submit(client, f"/attempts/{attempt_id}/submit")
    with pytest.raises(AttemptClosed):
        save_answers(stale, {"purpose": "match"})
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(QuizAnswer)) == 0


def test_clearing_a_text_answer_clears_it(client, counsellor):
    attempt_id = start(client, quiz_of())
    save_page(client, attempt_id, {"q-acronym": "wrong"}, ["acronym"])
    save_page(client, attempt_id, {"q-acronym": ""}, ["acronym"])
    assert (
        db.session.scalar(sa.select(QuizAnswer.response).where(QuizAnswer.question_id == "acronym"))
        == ""
    )


def test_odd_digits_in_an_ordering_position_are_ignored(client, counsellor):
    attempt_id = start(client, quiz_of())
    response = save_page(
        client, attempt_id, {"q-steps-rapport": "²", "q-steps-explore": "1"}, ["steps"]
    )
    assert response.status_code == 302


def test_numbers_are_read_in_the_learners_language(client, counsellor):
    attempt_id = start(client, quiz_of())
    save_page(client, attempt_id, {"q-rate": "25,0"}, ["rate"], headers={"Accept-Language": "id"})
    saved = db.session.scalar(
        sa.select(QuizAnswer.response).where(QuizAnswer.question_id == "rate")
    )
    assert saved == {"text": "25,0", "value": 25.0}


def test_the_score_is_never_rounded_up_to_the_pass_mark(client, counsellor):
    quiz = quiz_of()
    quiz.pass_mark = 15  # 1 of 7 points is 14.29%
    db.session.commit()
    attempt_id = start(client, quiz)
    save_page(client, attempt_id, {"q-purpose": "match"}, ["purpose"])
    submit(client, f"/attempts/{attempt_id}/submit")
    page = text(client.get(f"/attempts/{attempt_id}/result"))
    assert "Score: 14% (pass mark 15%)" in page


def test_a_later_pass_mark_does_not_rejudge_a_started_attempt(client, counsellor):
    quiz = quiz_of()
    attempt_id = start(client, quiz)
    answer_everything(client, attempt_id)
    quiz.pass_mark = 100
    db.session.commit()
    submit(client, f"/attempts/{attempt_id}/submit")
    assert "pass mark 70%" in text(client.get(f"/attempts/{attempt_id}/result"))


def test_a_quiz_of_a_retired_course_is_gone(client, counsellor):
    from lms.curriculum.models import Course

    quiz = quiz_of()
    db.session.scalar(sa.select(Course)).is_retired = True
    db.session.commit()
    assert client.get(f"/quizzes/{quiz.id}").status_code == 404


def test_images_cannot_climb_out_of_the_module_folder(client, counsellor, app):
    from pathlib import Path

    other = Path(app.config["COURSES_DIR"]) / "tier-1/course-1/module-2/images"
    other.mkdir(parents=True)
    (other / "x.png").write_bytes(b"\x89PNG")
    assert (
        client.get("/courses/course-1/module-1/files/../module-2/images/x.png").status_code == 404
    )
    assert (
        client.get("/courses/course-1/module-1/files/%2e%2e/module-2/images/x.png").status_code
        == 404
    )


def test_a_cross_site_post_cannot_plant_answers(client, counsellor):
    attempt_id = start(client, quiz_of())
    client.delete_cookie("session")
    client.post(
        f"/attempts/{attempt_id}/save",
        data={"present": ["acronym"], "q-acronym": "planted"},
        headers={"Origin": "https://evil.example"},
    )
    submit(
        client,
        "/login",
        {"email": "siti@example.org", "password": "correct horse battery"},
        page="/login",
    )
    assert "planted" not in text(client.get(f"/attempts/{attempt_id}?page=2"))


def test_kept_answers_are_forgotten_on_sign_out(client, counsellor):
    attempt_id = start(client, quiz_of())
    client.delete_cookie("session")
    client.post(
        f"/attempts/{attempt_id}/save",
        data={"present": ["acronym"], "q-acronym": "kept"},
        headers={"Sec-Fetch-Site": "same-origin"},
    )
    with client.session_transaction() as session:
        assert session["pending_answers"]
    submit(
        client,
        "/login",
        {"email": "siti@example.org", "password": "correct horse battery"},
        page="/login",
    )
    submit(client, "/logout")
    with client.session_transaction() as session:
        assert "pending_answers" not in session


def test_tier_one_completes_when_an_import_retires_the_last_missing_module(
    client, counsellor, curriculum, tmp_path
):
    submit(client, "/courses/course-1/module-1/read")
    attempt_id = start(client, quiz_of("module-1"))
    answer_everything(client, attempt_id)
    submit(client, f"/attempts/{attempt_id}/submit")
    assert db.session.scalar(sa.select(TierCompletion)) is None
    module = db.session.scalar(sa.select(Module).where(Module.slug == "module-2"))
    module.is_retired = True  # as an import does when the module leaves the files
    db.session.commit()
    assert "Completed on" in text(client.get("/"))
    assert db.session.scalar(sa.select(TierCompletion)) is not None
