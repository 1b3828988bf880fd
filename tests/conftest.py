"""Fixtures: an application on SQLite and on PostgreSQL (each test runs on both), isolated per
test; clients; and a small organisation with people of every role."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade

from lms import create_app
from lms.accounts.units import seed_countries
from lms.extensions import db, limiter
from lms.mail import RecordingMailSender
from tests.factories import World
from tests.support import require

POSTGRES_URL = os.environ.get(
    "LMS_TEST_POSTGRES_URL", "postgresql+psycopg://root@127.0.0.1:5432/test"
)


class IsolatedClient(FlaskClient):
    """A test client whose every request gets its own application context.

    The ``app`` fixture keeps a context open for the test's own database work; without this,
    requests would share it, and with it ``g`` (where Flask-Login and Flask-Babel cache the
    user and the locale) and the database session.
    """

    def open(self, *args: Any, **kwargs: Any):  # type: ignore[no-untyped-def,override]
        with self.application.app_context():
            return super().open(*args, **kwargs)


def config_for(database_url: str, **extra: Any) -> dict[str, Any]:
    return {
        "LMS_ENV": "testing",
        "TESTING": True,
        "SECRET_KEY": "tests-only-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        # Argon2id at its cheapest: the tests sign in often.
        "PASSWORD_HASH_PARAMETERS": {"time_cost": 1, "memory_cost": 8, "parallelism": 1},
        "MAIL_SENDER": RecordingMailSender(),
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def _postgres_reachable() -> str | None:
    """None if PostgreSQL answers, else the reason."""
    try:
        engine = sa.create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        engine.dispose()
    except sa.exc.OperationalError as error:
        return f"cannot connect to {POSTGRES_URL}: {str(error.orig).strip().splitlines()[0]}"
    return None


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A throw-away PostgreSQL database for this run, dropped at the end."""
    problem = _postgres_reachable()
    require(
        problem is None,
        "PostgreSQL",
        f"{problem}; start PostgreSQL or set LMS_TEST_POSTGRES_URL",
    )
    name = f"tangga_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _empty_database_url(kind: str, request: pytest.FixtureRequest, folder: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{folder / 'tangga.db'}"
    return request.getfixturevalue("postgres_database")


@pytest.fixture(
    scope="session",
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)],
)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database built by the migrations (not by create_all), once per run and engine."""
    url = _empty_database_url(request.param, request, tmp_path_factory.mktemp(request.param))
    app = create_app(config_for(url))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


@pytest.fixture
def app(database_url: str, request: pytest.FixtureRequest) -> Iterator[Flask]:
    """An application on a migrated database holding only the seeded countries.

    ``@pytest.mark.app_config(KEY=value)`` changes configuration for one test.
    """
    marker = request.node.get_closest_marker("app_config")
    application = create_app(config_for(database_url, **(marker.kwargs if marker else {})))
    application.test_client_class = IsolatedClient
    with application.app_context():
        seed_countries()
        db.session.commit()
        try:
            yield application
        finally:
            db.session.remove()
            empty_tables()
            db.engine.dispose()
            limiter.reset()


def empty_tables() -> None:
    """Delete every row (the schema stays), whatever foreign keys point where."""
    tables = [table.name for table in db.metadata.sorted_tables]
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            connection.exec_driver_sql(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        return
    # SQLite checks foreign keys row by row; they can only be switched off outside a
    # transaction, so this talks to the driver directly.
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA foreign_keys = OFF")
        for table in tables:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608  (our own table names)
        raw.commit()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()
    finally:
        raw.close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):  # type: ignore[no-untyped-def]
    return app.test_cli_runner()


@pytest.fixture
def world(app: Flask) -> World:
    return World()


@pytest.fixture
def outbox(app: Flask) -> list:
    return app.extensions["mail_sender"].outbox


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "app_config(**values): configuration for one test")


@pytest.fixture
def curriculum(app: Flask, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A small imported tier-1 curriculum: one course, two modules, each with a 7-question quiz
    (one question of every type). Returns a function to import another shape instead."""
    from lms.curriculum.importer import import_curriculum
    from lms.curriculum.loader import load
    from tests.course_files import write_courses

    def install(**shape: Any):  # type: ignore[no-untyped-def]
        root = write_courses(tmp_path / f"courses-{uuid.uuid4().hex[:6]}", **shape)
        app.config["COURSES_DIR"] = str(root)
        loaded, problems = load(root)
        assert problems == []
        import_curriculum(loaded)
        db.session.commit()
        return loaded

    install()
    return install


@pytest.fixture
def training(app: Flask, world: World, curriculum):  # type: ignore[no-untyped-def]
    """The upper-tier test curriculum imported, and a Tier 2 cohort (see TrainingWorld)."""
    from tests.factories import TrainingWorld

    curriculum(upper=True)
    return TrainingWorld(world)
