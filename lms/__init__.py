"""Tangga: a learning management system for the four-tier counsellor training programme."""

from __future__ import annotations

from typing import Any

from flask import Flask

from lms.config import load_config


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, error pages and commands.

    No query runs and no schema changes here: ``flask db upgrade`` is a deploy step.

    :param overrides: configuration values that win over defaults and the environment
        (tests pass their database URL and secret key here).
    :return: the configured Flask application.
    """
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(load_config(app.instance_path, overrides or {}))
    register_logging(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    register_template_helpers(app)
    register_http_headers(app)
    return app


def register_logging(app: Flask) -> None:
    from lms.logs import configure_logging

    configure_logging(app)


def register_extensions(app: Flask) -> None:
    import lms.database  # noqa: F401  (SQLite connection settings, by event listener)
    from lms.extensions import babel, csrf, db, limiter, login_manager, migrate
    from lms.i18n import select_locale
    from lms.mail import init_mail_sender

    db.init_app(app)
    migrate.init_app(app, db, directory=app.config["MIGRATIONS_DIR"], render_as_batch=True)
    login_manager.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=app.config["TRANSLATIONS_DIR"],
    )
    csrf.init_app(app)
    limiter.init_app(app)
    init_mail_sender(app)

    from lms.accounts import auth  # noqa: F401  (registers the user loader)
    from lms.certificates import models as _certificates  # noqa: F401
    from lms.curriculum import models as _curriculum  # noqa: F401  (tables for migrations)
    from lms.learning import models as _learning  # noqa: F401
    from lms.reports import models as _reports  # noqa: F401
    from lms.training import models as _training  # noqa: F401


def register_blueprints(app: Flask) -> None:
    from lms.accounts.views_admin import bp as admin_bp
    from lms.accounts.views_auth import bp as auth_bp
    from lms.certificates.views import bp as certificates_bp
    from lms.learning.views import bp as learning_bp
    from lms.main import bp as main_bp
    from lms.reports.views import bp as reports_bp
    from lms.training.blueprint import register_views

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(learning_bp)
    app.register_blueprint(register_views())
    app.register_blueprint(certificates_bp)
    app.register_blueprint(reports_bp)


def register_errorhandlers(app: Flask) -> None:
    from lms.errors import register

    register(app)


def register_commands(app: Flask) -> None:
    from lms.cli import lms_cli

    app.cli.add_command(lms_cli)


def register_http_headers(app: Flask) -> None:
    from lms.headers import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from lms.templating import register

    register(app)
