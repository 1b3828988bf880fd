"""A counsellor on a phone climbs the last step of Tier 1 in Chromium: reads a module, answers
its quiz with autosave (one save fails while offline, and says so), passes, and sees Tier 2 open."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from lms.accounts.models import Role, Sex, User
from lms.accounts.passwords import hash_password
from lms.accounts.units import unit_by_code
from lms.accounts.users import Profile, create_user
from lms.demo import DEMO_PASSWORD
from lms.extensions import db
from lms.learning.attempts import save_answers, start_attempt, submit
from lms.learning.models import QuizAttempt
from lms.learning.progress import mark_read, module_statuses, tier_courses
from tests.browser.axe import check_page
from tests.browser.conftest import PHONE
from tests.support import right_response


def fill(page, question: dict, tokens: dict) -> None:  # type: ignore[no-untyped-def]
    """Answer one question in the page as a person would (options carry the attempt's tokens)."""
    name, kind, right = f"q-{question['id']}", question["type"], right_response(question)
    token_of = {option: token for token, option in tokens.get(question["id"], {}).items()}
    if kind in ("single_choice", "multiple_choice"):
        right = [token_of[c] for c in right] if isinstance(right, list) else token_of[right]
    elif kind == "matching":
        right = {prompt: token_of[match] for prompt, match in right.items()}
    if kind in ("single_choice", "true_false"):
        page.locator(f"input[name='{name}'][value='{right}']").check()
    elif kind == "multiple_choice":
        for choice in right:
            page.locator(f"input[name='{name}'][value='{choice}']").check()
    elif kind in ("short_answer", "numeric"):
        page.locator(f"input[name='{name}']").fill(right)
    elif kind == "ordering":
        for position, item in enumerate(right, start=1):
            page.locator(f"select[name='{name}-{item}']").select_option(str(position))
    else:
        for prompt, match in right.items():
            page.locator(f"select[name='{name}-{prompt}']").select_option(match)


@pytest.fixture
def learner(live_app):  # type: ignore[no-untyped-def]
    """A new counsellor who has done all of Tier 1 but the last module."""
    with live_app.app_context():
        email = f"learner-{db.session.scalar(sa.select(sa.func.count(User.id)))}@example.org"
        person = create_user(
            Profile(
                email=email,
                display_name="Dewi Lestari",
                role=Role.COUNSELLOR,
                org_unit=unit_by_code("ID-JK-JKS"),
                sex=Sex.FEMALE,
                preferred_language="en",
            )
        )
        person.password_hash = hash_password(DEMO_PASSWORD)
        statuses = module_statuses(person, tier_courses(1))
        for status in statuses[:-1]:
            mark_read(person, status.module)
            attempt = start_attempt(person, status.module.quiz)
            save_answers(attempt, {q["id"]: right_response(q) for q in attempt.version.questions})
            submit(attempt)
        db.session.commit()
        last = statuses[-1].module
        yield email, last.course.slug, last.slug


def test_a_counsellor_completes_tier_one_on_a_phone(browser, live_app, live_server, learner):
    email, course_slug, module_slug = learner
    context = browser.new_context(base_url=live_server, viewport=PHONE)
    page = context.new_page()
    page.viewport_name = "phone"
    try:
        page.goto("/login")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(r"/$"))
        check_page(page, "ladder-in-progress")

        page.get_by_role("link", name=re.compile("^Next:")).click()
        assert page.url.endswith(f"/courses/{course_slug}/{module_slug}")
        check_page(page, "module")
        page.get_by_role("button", name="Mark as read").click()
        page.wait_for_url(re.compile(r"/quizzes/\d+$"))
        quiz_url = page.url
        check_page(page, "quiz")
        page.get_by_role("button", name="Start the quiz").click()
        page.wait_for_url(re.compile(r"/attempts/\d+"))

        attempt_id = int(re.search(r"/attempts/(\d+)", page.url).group(1))
        with live_app.app_context():
            attempt = db.session.get(QuizAttempt, attempt_id)
            questions, tokens = attempt.version.questions, attempt.layout["tokens"]

        def on_this_page() -> list[dict]:
            return [
                q
                for q in questions
                if page.locator(f"input[name='present'][value='{q['id']}']").count()
            ]

        # First page: the connection drops while answering; the page says the answers are not
        # saved, and the plain form still saves them once the connection is back.
        context.set_offline(True)
        for question in on_this_page():
            fill(page, question, tokens)
        page.locator(".save-problem").wait_for(timeout=5000)
        assert (
            "could not be saved"
            in page.get_by_role("alert").filter(has_text="could not be saved").inner_text()
        )
        check_page(page, "attempt-save-failed")
        context.set_offline(False)
        page.get_by_role("button", name="Save and continue").click()
        page.wait_for_load_state()
        # The other pages: autosave confirms each change.
        while page.locator("#quiz-form").count():
            for question in on_this_page():
                fill(page, question, tokens)
            page.locator(".save-ok").filter(has_text="saved").wait_for(timeout=5000)
            check_page(page, "attempt-page")
            page.get_by_role("button", name="Save and continue").click()
            page.wait_for_load_state()
        check_page(page, "attempt-review")
        page.get_by_role("button", name="Submit my answers").click()
        page.wait_for_url(re.compile(r"/result$"))
        result_url = page.url
        assert "You passed." in page.content()
        check_page(page, "result")

        page.goto("/")
        tier_two = page.locator("#tier-2")
        assert "Open" in tier_two.inner_text()
        assert "Completed on" in page.locator("#tier-1").inner_text()
        check_page(page, "ladder-complete")

        # The same pages in Thai.
        page.locator("#language-select").select_option("th")
        page.locator(".language-form button").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "th"
        check_page(page, "ladder-complete-th")
        page.goto(f"/courses/{course_slug}/{module_slug}")
        check_page(page, "module-th")
        page.goto(f"/courses/{course_slug}")
        check_page(page, "course-th")
        page.goto(result_url)
        check_page(page, "result-th")
        page.goto(quiz_url)
        check_page(page, "quiz-th")
        page.locator("form[action$='/start'] button").click()  # a second attempt, in Thai
        page.wait_for_url(re.compile(r"/attempts/\d+"))
        check_page(page, "attempt-th")
    finally:
        context.close()
