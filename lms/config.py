"""Configuration: defaults, then ``LMS_*`` environment variables, then explicit overrides."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent

ENVIRONMENTS = ("development", "production", "testing")


class ConfigError(RuntimeError):
    """The configuration cannot work; the message says what to set."""


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


# Environment variable -> (configuration key, parser). Documented in the README.
ENVIRONMENT_VARIABLES: dict[str, tuple[str, Callable[[str], Any]]] = {
    "LMS_ENV": ("LMS_ENV", str),
    "LMS_SECRET_KEY": ("SECRET_KEY", str),
    "LMS_DATABASE_URL": ("SQLALCHEMY_DATABASE_URI", str),
    "LMS_RATELIMIT_STORAGE_URI": ("RATELIMIT_STORAGE_URI", str),
    "LMS_LOGIN_RATE_LIMIT": ("LOGIN_RATE_LIMIT", str),
    "LMS_ACCOUNT_RATE_LIMIT": ("ACCOUNT_RATE_LIMIT", str),
    "LMS_RESET_RATE_LIMIT": ("RESET_RATE_LIMIT", str),
    "LMS_VERIFY_RATE_LIMIT": ("VERIFY_RATE_LIMIT", str),
    "LMS_CERTIFICATE_WORKERS": ("CERTIFICATE_WORKERS", int),
    "LMS_TRUSTED_HOSTS": ("TRUSTED_HOSTS", _list),
    "LMS_MAIL_SENDER": ("MAIL_SENDER", str),
    "LMS_MAIL_FROM": ("MAIL_FROM", str),
    "LMS_SMTP_HOST": ("SMTP_HOST", str),
    "LMS_SMTP_PORT": ("SMTP_PORT", int),
    "LMS_SMTP_USER": ("SMTP_USER", str),
    "LMS_SMTP_PASSWORD": ("SMTP_PASSWORD", str),
    "LMS_SMTP_STARTTLS": ("SMTP_STARTTLS", _bool),
    "LMS_INVITATION_HOURS": ("INVITATION_HOURS", int),
    "LMS_PASSWORD_RESET_HOURS": ("PASSWORD_RESET_HOURS", int),
    "LMS_MAX_UPLOAD_BYTES": ("MAX_CONTENT_LENGTH", int),
    "LMS_LOG_FORMAT": ("LOG_FORMAT", str),
    "LMS_LOG_LEVEL": ("LOG_LEVEL", str),
    "LMS_PROXY_COUNT": ("PROXY_COUNT", int),
    "LMS_PUBLIC_URL": ("PUBLIC_URL", str),
    "LMS_COURSES_DIR": ("COURSES_DIR", str),
    "LMS_SECURE_COOKIES": ("SESSION_COOKIE_SECURE", _bool),
}


def defaults() -> dict[str, Any]:
    return {
        "LMS_ENV": "development",
        "SQLALCHEMY_DATABASE_URI": "sqlite:///tangga.db",  # relative: inside the instance folder
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "MIGRATIONS_DIR": str(PROJECT_ROOT / "migrations"),
        "TRANSLATIONS_DIR": str(PROJECT_ROOT / "translations"),
        "COURSES_DIR": str(PROJECT_ROOT / "courses"),
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": "10 per minute; 100 per day",  # per client address
        "ACCOUNT_RATE_LIMIT": "10 per 15 minutes",  # failed sign-ins per account
        "RESET_RATE_LIMIT": "3 per hour",  # reset requests per account
        "VERIFY_RATE_LIMIT": "30 per minute; 300 per day",  # certificate checks per address
        "CERTIFICATE_WORKERS": 1,  # processes rendering a cohort's ZIP in a web request
        "MAIL_SENDER": "",  # "" (none: admins pass links on), "log" or "smtp"
        "MAIL_FROM": "tangga@localhost",
        "SMTP_HOST": "localhost",
        "SMTP_PORT": 25,
        "SMTP_USER": "",
        "SMTP_PASSWORD": "",
        "SMTP_STARTTLS": False,
        "INVITATION_HOURS": 7 * 24,
        "PASSWORD_RESET_HOURS": 2,
        "MAX_CONTENT_LENGTH": 4 * 1024 * 1024,
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
        "PROXY_COUNT": 0,
        # Where people reach the site; used for links made outside a request (commands).
        "PUBLIC_URL": "http://127.0.0.1:5000",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_DURATION": 60 * 60 * 24 * 30,
        "PASSWORD_HASH_PARAMETERS": {},  # argon2 defaults; tests use cheaper ones
        "USERS_PER_PAGE": 25,
        "REPORT_ROWS_PER_PAGE": 50,
        "QUIZ_QUESTIONS_PER_PAGE": 3,
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
    }


def from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for variable, (key, parse) in ENVIRONMENT_VARIABLES.items():
        raw = environ.get(variable)
        if raw is None or raw == "":
            continue
        try:
            values[key] = parse(raw)
        except ValueError as exc:
            raise ConfigError(f"{variable}={raw!r} is not valid: {exc}") from exc
    return values


def load_config(
    instance_path: str, overrides: Mapping[str, Any], environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Merge defaults, environment and overrides, then check what production needs.

    :raises ConfigError: with a message naming the variable to set.
    """
    environ = os.environ if environ is None else environ
    explicit = {**from_environment(environ), **overrides}
    config = defaults()
    if explicit.get("LMS_ENV", config["LMS_ENV"]) == "production":
        # Cookies only over HTTPS in production, unless the operator says otherwise.
        config["SESSION_COOKIE_SECURE"] = True
    config.update(explicit)
    if config["LMS_ENV"] not in ENVIRONMENTS:
        raise ConfigError(f"LMS_ENV must be one of {', '.join(ENVIRONMENTS)}")
    if config["LMS_ENV"] == "production":
        config.setdefault("REMEMBER_COOKIE_SECURE", True)
        if not config.get("SECRET_KEY"):
            raise ConfigError(
                "LMS_SECRET_KEY is not set. In production Tangga needs a long random secret "
                "(for example: python -c 'import secrets; print(secrets.token_urlsafe(48))')."
            )
        if "SQLALCHEMY_DATABASE_URI" not in explicit:
            raise ConfigError("LMS_DATABASE_URL is not set: production needs a PostgreSQL URL.")
        if "PUBLIC_URL" not in explicit:
            raise ConfigError(
                "LMS_PUBLIC_URL is not set: production needs the site's address "
                "(for example https://tangga.example.org) to build the links it hands out."
            )
    elif not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = development_secret_key(Path(instance_path))
    return config


def development_secret_key(instance_dir: Path) -> str:
    """Read the development secret from the instance folder, creating it on first use."""
    key_file = instance_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    instance_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    key_file.write_text(key, encoding="utf-8")
    key_file.chmod(0o600)
    return key
