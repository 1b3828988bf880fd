"""The flask lms commands: seed, demo, create-admin."""

from __future__ import annotations

import sqlalchemy as sa

from lms.accounts.models import User
from lms.demo import PEOPLE
from lms.extensions import db


def test_demo_loads_people_in_their_own_scripts_and_is_idempotent(runner):
    result = runner.invoke(args=["lms", "demo"])
    assert result.exit_code == 0, result.output
    assert "regional.admin@example.org" in result.output
    assert "tangga-demo" in result.output
    count = db.session.scalar(sa.select(sa.func.count()).select_from(User))
    assert count == len(PEOPLE)
    names = set(db.session.scalars(sa.select(User.display_name)))
    assert {"សុខ ចាន់ធា", "สมชาย ใจดี", "Nguyễn Thị Lan", "陈美玲"} <= names
    counsellors = [p for p in PEOPLE if p.role.value == "counsellor"]
    assert len(counsellors) >= 30
    again = runner.invoke(args=["lms", "demo"])
    assert "already loaded" in again.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == count


def test_demo_adds_a_large_data_set_once(runner, curriculum):
    curriculum(upper=True)
    result = runner.invoke(args=["lms", "demo", "--counsellors", "40"])
    assert result.exit_code == 0, result.output
    assert "Generated 40 counsellors" in result.output
    bulk = sa.select(sa.func.count()).where(
        User.role == "counsellor", User.email.endswith("@bulk.example.org")
    )
    assert db.session.scalar(bulk) == 40
    again = runner.invoke(args=["lms", "demo", "--counsellors", "40"])
    assert again.exit_code != 0
    assert db.session.scalar(bulk) == 40


def test_demo_logins_work(app, runner):
    from tests.support import submit

    runner.invoke(args=["lms", "demo"])
    client = app.test_client()
    response = submit(
        client,
        "/login",
        {"email": "counsellor.kh@example.org", "password": "tangga-demo"},
        page="/login",
    )
    assert response.location == "/"
    assert 'lang="km"' in client.get("/").get_data(as_text=True)


def test_demo_refuses_to_run_in_production(app, runner):
    app.config["LMS_ENV"] = "production"
    result = runner.invoke(args=["lms", "demo"])
    assert result.exit_code != 0
    assert "not for production" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_seed_is_idempotent(runner):
    assert "up to date" in runner.invoke(args=["lms", "seed"]).output


def test_create_admin_prints_an_invitation_link(app, runner):
    app.config["PUBLIC_URL"] = "https://tangga.example.org"
    result = runner.invoke(
        args=[
            "lms",
            "create-admin",
            "--email",
            "chief@example.org",
            "--name",
            "Chief",
            "--unit",
            "ID",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "https://tangga.example.org/invitation/" in result.output
    again = runner.invoke(
        args=[
            "lms",
            "create-admin",
            "--email",
            "chief@example.org",
            "--name",
            "Chief",
            "--unit",
            "ID",
        ]
    )
    assert again.exit_code != 0 and "already exists" in again.output


def test_create_admin_names_an_unknown_unit(runner):
    result = runner.invoke(
        args=["lms", "create-admin", "--email", "a@example.org", "--name", "A", "--unit", "NOPE"]
    )
    assert result.exit_code != 0 and "NOPE" in result.output
