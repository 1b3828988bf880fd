"""The application factory, configuration, health check, error pages and headers."""

from __future__ import annotations

import io
import json
import logging

import pytest

from lms import create_app
from lms.config import ConfigError, load_config
from tests.support import sign_in, text


def test_factory_applies_overrides(app):
    assert app.config["TESTING"] is True
    assert app.config["LMS_ENV"] == "testing"


def test_environment_variables_configure_the_app(tmp_path):
    config = load_config(
        str(tmp_path),
        {},
        environ={
            "LMS_DATABASE_URL": "postgresql+psycopg://db/tangga",
            "LMS_SECRET_KEY": "from-env",
            "LMS_RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
            "LMS_SMTP_PORT": "587",
        },
    )
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://db/tangga"
    assert config["SECRET_KEY"] == "from-env"
    assert config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"
    assert config["SMTP_PORT"] == 587


def test_production_without_a_secret_key_refuses_to_start(tmp_path):
    with pytest.raises(ConfigError, match="LMS_SECRET_KEY is not set"):
        load_config(
            str(tmp_path),
            {},
            environ={
                "LMS_ENV": "production",
                "LMS_DATABASE_URL": "x",
                "LMS_PUBLIC_URL": "https://t",
            },
        )


def test_production_without_a_database_url_refuses_to_start(tmp_path):
    with pytest.raises(ConfigError, match="LMS_DATABASE_URL"):
        load_config(
            str(tmp_path),
            {},
            environ={"LMS_ENV": "production", "LMS_SECRET_KEY": "s", "LMS_PUBLIC_URL": "https://t"},
        )


def test_production_uses_secure_cookies(tmp_path):
    config = load_config(
        str(tmp_path),
        {},
        environ={
            "LMS_ENV": "production",
            "LMS_SECRET_KEY": "s",
            "LMS_DATABASE_URL": "x",
            "LMS_PUBLIC_URL": "https://tangga.example.org",
        },
    )
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["REMEMBER_COOKIE_SECURE"] is True


def test_development_generates_and_keeps_a_secret_key(tmp_path):
    first = load_config(str(tmp_path), {}, environ={})["SECRET_KEY"]
    second = load_config(str(tmp_path), {}, environ={})["SECRET_KEY"]
    assert len(first) >= 40
    assert first == second
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_an_invalid_number_in_the_environment_is_named(tmp_path):
    with pytest.raises(ConfigError, match="LMS_SMTP_PORT"):
        load_config(str(tmp_path), {}, environ={"LMS_SMTP_PORT": "many"})


def test_unknown_environment_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="LMS_ENV"):
        load_config(str(tmp_path), {}, environ={"LMS_ENV": "staging"})


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_healthz_says_503_when_the_database_is_unreachable(tmp_path):
    broken = create_app(
        {
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/db.sqlite",
            "LOG_LEVEL": "CRITICAL",
        }
    )
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["status"] == "unavailable"


@pytest.mark.parametrize(
    ("language", "title"),
    [("en", "Page not found"), ("id", None), ("km", None), ("zh", None)],
)
def test_404_page_is_translated(client, language, title):
    response = client.get("/no-such-page", headers={"Accept-Language": language})
    assert response.status_code == 404
    body = text(response)
    assert f'lang="{"zh-Hans" if language == "zh" else language}"' in body
    if title:
        assert title in body
    else:
        assert "Page not found" not in body


def test_errors_answer_json_to_json_clients(client):
    response = client.get("/no-such-page", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json["status"] == 404


def test_403_page(client, world):
    sign_in(client, world.counsellor)
    response = client.get("/admin/users")
    assert response.status_code == 403
    assert "Not allowed" in text(response)


@pytest.mark.app_config(MAX_CONTENT_LENGTH=1024)
def test_413_page_for_a_large_upload(client, world):
    sign_in(client, world.admin)
    response = client.post(
        "/admin/users/import", data={"file": (io.BytesIO(b"x" * 4096), "big.csv")}
    )
    assert response.status_code == 413
    assert "File too large" in text(response)


def test_500_page_is_translated_and_logged(app, caplog):
    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    with caplog.at_level(logging.ERROR, logger="lms.errors"):
        response = app.test_client().get("/boom", headers={"Accept-Language": "th"})
    assert response.status_code == 500
    assert 'lang="th"' in text(response)
    assert "Something went wrong" not in text(response)
    assert any(record.message == "unhandled error" for record in caplog.records)


def test_security_headers(client):
    response = client.get("/login")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_requests_are_logged_as_json(app, capsys):
    from lms.logs import JsonFormatter

    record = logging.makeLogRecord(
        {"name": "lms.request", "msg": "request", "levelname": "INFO", "status": 200}
    )
    line = JsonFormatter().format(record)
    assert json.loads(line)["status"] == 200
    response = app.test_client().get("/login", headers={"X-Request-ID": "abc123"})
    assert response.headers["X-Request-ID"] == "abc123"


def test_production_without_a_public_url_refuses_to_start(tmp_path):
    with pytest.raises(ConfigError, match="LMS_PUBLIC_URL"):
        load_config(
            str(tmp_path),
            {},
            environ={"LMS_ENV": "production", "LMS_SECRET_KEY": "s", "LMS_DATABASE_URL": "x"},
        )


def test_smtp_starttls_verifies_the_servers_certificate(monkeypatch):
    import ssl

    from lms import mail

    seen = {}

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            seen["server"] = (host, port)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self, context=None):
            seen["context"] = context

        def login(self, user, password):
            seen["login"] = user

        def send_message(self, message):
            seen["to"] = message["To"]

    monkeypatch.setattr(mail.smtplib, "SMTP", FakeSMTP)
    sender = mail.SmtpMailSender("mail.example.org", 587, "tangga@example.org", "u", "p", True)
    sender.send(mail.Message("siti@example.org", "Subject", "Body"))
    assert seen["to"] == "siti@example.org"
    assert seen["context"].verify_mode == ssl.CERT_REQUIRED
    assert seen["context"].check_hostname is True


@pytest.mark.app_config(
    LMS_ENV="production", PUBLIC_URL="https://t.example", SESSION_COOKIE_SECURE=True
)
def test_production_sends_hsts(client):
    assert "max-age" in client.get("/login").headers["Strict-Transport-Security"]


def test_development_does_not_send_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers


@pytest.mark.app_config(TRUSTED_HOSTS=["tangga.example.org"])
def test_an_untrusted_host_gets_400(client):
    assert client.get("/login", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/login", headers={"Host": "tangga.example.org"}).status_code == 200
