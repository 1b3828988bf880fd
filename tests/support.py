"""Helpers for tests: required services, forms with their CSRF token, signing in."""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from lms.accounts.models import User

IN_CI = os.environ.get("CI", "").lower() == "true"

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def require(available: bool, what: str, how: str) -> None:
    """Skip when a service is missing, except in CI, where a missing service fails the run."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is required when CI=true, but: {how}", pytrace=False)
    pytest.skip(f"{what} is not available ({how}); CI=true makes this a failure")


def csrf_token(client: FlaskClient, page: str = "/reset-password") -> str:
    """The CSRF token of this client's session, read from a page's form as a browser would."""
    response = client.get(page)
    match = _CSRF.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {page} (status {response.status_code})"
    return match.group(1)


def submit(
    client: FlaskClient,
    url: str,
    data: dict[str, Any] | None = None,
    *,
    page: str | None = None,
    **kwargs: Any,
) -> TestResponse:
    """POST a form the way a browser does: with the CSRF token from the page that shows it."""
    token = csrf_token(client, page or "/reset-password")
    return client.post(url, data={"csrf_token": token, **(data or {})}, **kwargs)


def sign_in(client: FlaskClient, user: User) -> None:
    """Start a session for ``user`` without the (deliberately slow) password check."""
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


def text(response: TestResponse) -> str:
    return response.get_data(as_text=True)


def right_response(question: dict):  # type: ignore[no-untyped-def]
    """The full-marks response to a question, as the answer functions take it."""
    kind = question["type"]
    if kind == "single_choice":
        return next(c["id"] for c in question["choices"] if c["correct"])
    if kind == "multiple_choice":
        return [c["id"] for c in question["choices"] if c["correct"]]
    if kind == "true_false":
        return "true" if question["answer"] else "false"
    if kind == "short_answer":
        return question["accepted"]["en"][0]
    if kind == "numeric":
        return str(question["answer"])
    if kind == "ordering":
        return [item["id"] for item in question["items"]]
    return {pair["id"]: pair["id"] for pair in question["pairs"]}
