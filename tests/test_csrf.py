"""Every form that changes something refuses a POST without a valid CSRF token."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms.curriculum.models import Quiz
from lms.extensions import db
from lms.learning.attempts import start_attempt
from tests.support import sign_in, text


def post_routes(app):
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods:
            yield rule


def test_every_post_without_a_token_gets_400(app, client, world, training):
    from tests.test_access import training_records

    quiz = db.session.scalar(sa.select(Quiz).order_by(Quiz.id))
    attempt = start_attempt(world.admin, quiz)
    records = training_records(world, training)
    db.session.commit()
    values = {
        **{f"<int:{name}_id>": str(value) for name, value in records.items()},
        "<slug>": "scenario-1",
        "<int:unit_id>": str(records["country"]),
        "<int:user_id>": str(world.counsellor.id),
        "<token>": "x",
        "<course_slug>": "course-1",
        "<module_slug>": "module-1",
        "<int:quiz_id>": str(quiz.id),
        "<int:attempt_id>": str(attempt.id),
    }
    sign_in(client, world.admin)
    checked = 0
    for rule in post_routes(app):
        url = rule.rule
        for placeholder, value in values.items():
            url = url.replace(placeholder, value)
        response = client.post(url, data={"email": "siti@example.org", "password": "x"})
        assert response.status_code == 400, url
        assert "This form has expired" in text(response)
        checked += 1
    assert checked >= 30


@pytest.mark.parametrize("url", ["/login", "/reset-password", "/language"])
def test_anonymous_posts_without_a_token_get_400(client, url):
    assert client.post(url, data={"email": "a@example.org"}).status_code == 400


def test_a_token_from_another_session_is_refused(app, world):
    from tests.support import csrf_token

    other = app.test_client()
    stolen = csrf_token(other)
    victim = app.test_client()
    sign_in(victim, world.admin)
    response = victim.post(
        f"/admin/users/{world.counsellor.id}/deactivate", data={"csrf_token": stolen}
    )
    assert response.status_code == 400
