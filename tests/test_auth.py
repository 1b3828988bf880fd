"""Signing in and out, remember me, safe redirects, rate limits, password changes."""

from __future__ import annotations

import pytest

from lms.accounts.auth import is_safe_next
from lms.accounts.models import User
from lms.accounts.passwords import hash_password, verify_password
from lms.extensions import db
from tests.factories import PASSWORD
from tests.support import sign_in, submit, text

GENERIC = "The email address or password is not correct."


def login(client, email, password=PASSWORD, **extra):
    return submit(client, "/login", {"email": email, "password": password, **extra}, page="/login")


def test_passwords_are_hashed_with_argon2id(app):
    stored = hash_password("a long enough password")
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "a long enough password")
    assert not verify_password(stored, "another password")
    assert not verify_password(None, "anything")


def test_sign_in_and_out(client, world):
    response = login(client, "SITI@example.org ")
    assert response.status_code == 302
    assert response.location == "/"
    home = client.get("/")
    assert "Siti Rahmawati" in text(home)
    response = submit(client, "/logout")
    assert response.location == "/login"
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("siti@example.org", "wrong password"),  # wrong password
        ("nobody@example.org", PASSWORD),  # no such account
    ],
)
def test_a_failed_sign_in_does_not_say_whether_the_account_exists(client, world, email, password):
    response = login(client, email, password)
    assert response.status_code == 200
    assert GENERIC in text(response)


def test_a_deactivated_account_gets_the_same_message(client, world):
    world.counsellor.is_enabled = False
    db.session.commit()
    assert GENERIC in text(login(client, "siti@example.org"))


def test_an_invited_account_without_password_cannot_sign_in(client, world):
    world.counsellor.password_hash = None
    db.session.commit()
    assert GENERIC in text(login(client, "siti@example.org", "anything at all"))


def test_sign_in_records_the_time(client, world):
    login(client, "siti@example.org")
    db.session.expire_all()
    assert db.session.get(User, world.counsellor.id).last_login_dt is not None


def test_remember_me_sets_a_long_lived_cookie(client, world):
    login(client, "siti@example.org", remember="y")
    assert client.get_cookie("remember_token") is not None


def test_without_remember_me_there_is_no_remember_cookie(client, world):
    login(client, "siti@example.org")
    assert client.get_cookie("remember_token") is None


def test_anonymous_visitors_are_sent_to_sign_in_and_back(client, world):
    response = client.get("/profile")
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")
    response = submit(
        client,
        "/login?next=/profile",
        {"email": "siti@example.org", "password": PASSWORD},
        page="/login",
    )
    assert response.location == "/profile"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "http:/x",
    ],
)
def test_next_never_leaves_the_site(client, world, target):
    assert not is_safe_next(target)
    response = submit(
        client,
        "/login",
        {"email": "siti@example.org", "password": PASSWORD, "next": target},
        page="/login",
    )
    assert response.location == "/"


def test_safe_next_paths():
    assert is_safe_next("/admin/users?q=siti")
    assert not is_safe_next(None)


@pytest.mark.app_config(LOGIN_RATE_LIMIT="5 per minute")
def test_brute_force_gets_429(client, world):
    statuses = [login(client, "siti@example.org", f"guess {n}").status_code for n in range(7)]
    assert statuses[:5] == [200] * 5
    assert statuses[5:] == [429, 429]
    response = login(client, "siti@example.org", "guess again")
    assert "Too many attempts" in text(response)


@pytest.mark.app_config(ACCOUNT_RATE_LIMIT="5 per minute")
def test_failed_attempts_are_also_counted_per_account_across_addresses(client, world):
    statuses = [
        submit(
            client,
            "/login",
            {"email": "siti@example.org", "password": f"guess {n}"},
            page="/login",
            environ_base={"REMOTE_ADDR": f"10.0.0.{n}"},
        ).status_code
        for n in range(6)
    ]
    assert statuses[-1] == 429


def test_changing_the_password_signs_out_other_devices(app, world):
    phone, laptop = app.test_client(), app.test_client()
    login(phone, "siti@example.org")
    login(laptop, "siti@example.org")
    response = submit(
        laptop,
        "/profile/password",
        {
            "current_password": PASSWORD,
            "password": "a brand new password",
            "confirm": "a brand new password",
        },
    )
    assert response.status_code == 302
    assert laptop.get("/profile").status_code == 200
    assert phone.get("/profile").status_code == 302  # the old cookie no longer works


def test_changing_the_password_needs_the_current_one(client, world):
    sign_in(client, world.counsellor)
    response = submit(
        client,
        "/profile/password",
        {
            "current_password": "not it",
            "password": "a brand new password",
            "confirm": "a brand new password",
        },
    )
    assert response.status_code == 400
    assert "This is not your current password." in text(response)


def test_a_short_new_password_is_refused(client, world):
    sign_in(client, world.counsellor)
    response = submit(
        client,
        "/profile/password",
        {"current_password": PASSWORD, "password": "short", "confirm": "short"},
    )
    assert "Use at least 10 characters." in text(response)


def test_deactivation_ends_existing_sessions(app, client, world):
    login(client, "siti@example.org")
    admin = app.test_client()
    sign_in(admin, world.admin)
    submit(admin, f"/admin/users/{world.counsellor.id}/deactivate")
    assert client.get("/").status_code == 302


def test_profile_saves_name_in_any_script_and_preferences(client, world):
    sign_in(client, world.counsellor)
    response = submit(
        client,
        "/profile",
        {
            "display_name": "សុខ ចាន់ធា",
            "preferred_language": "km",
            "sex": "female",
            "has_disability": "yes",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    person = db.session.get(User, world.counsellor.id)
    assert (person.display_name, person.preferred_language, person.sex, person.has_disability) == (
        "សុខ ចាន់ធា",
        "km",
        "female",
        True,
    )
    assert 'lang="km"' in text(client.get("/profile"))


@pytest.mark.app_config(ACCOUNT_RATE_LIMIT="2 per minute")
def test_successful_sign_ins_do_not_use_up_the_account_limit(client, world):
    for _ in range(4):
        assert login(client, "siti@example.org").status_code == 302
        submit(client, "/logout")


@pytest.mark.app_config(RESET_RATE_LIMIT="2 per hour")
def test_reset_requests_are_limited_per_account(client, world, outbox):
    statuses = [
        submit(
            client,
            "/reset-password",
            {"email": "siti@example.org"},
            environ_base={"REMOTE_ADDR": f"10.0.1.{n}"},
        ).status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert len(outbox) == 2


REDIS_URL = "redis://127.0.0.1:6379/15"


def _redis_problem() -> str | None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        return str(error)
    return None


@pytest.mark.app_config(LOGIN_RATE_LIMIT="3 per minute", RATELIMIT_STORAGE_URI=REDIS_URL)
def test_rate_limits_can_live_in_redis_for_several_workers(app, world):
    problem = _redis_problem()
    if problem:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: {problem}")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    # Two clients stand for two workers: the counter is shared through Redis.
    first, second = app.test_client(), app.test_client()
    statuses = [
        login(client, "siti@example.org", "wrong").status_code
        for client in (first, second, first, second)
    ]
    assert statuses == [200, 200, 200, 429]
    assert redis.Redis.from_url(REDIS_URL).dbsize() > 0
