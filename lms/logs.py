"""Structured logging: one JSON object per line, and one line per request."""

from __future__ import annotations

import json
import logging
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, g, request
from flask_login import current_user

_STANDARD_ATTRIBUTES = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """Formats a record as JSON; ``extra={...}`` fields become top-level keys."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD_ATTRIBUTES and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def _loggable_path() -> str:
    """The path, except that a link's secret token is replaced by the route's pattern."""
    if request.url_rule is not None and (request.view_args or {}).get("token"):
        return request.url_rule.rule
    return request.path


def configure_logging(app: Flask) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if app.config["LOG_FORMAT"] == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("lms")
    logger.handlers[:] = [handler]
    logger.setLevel(app.config["LOG_LEVEL"])
    logger.propagate = False
    app.logger.handlers[:] = [handler]
    app.logger.setLevel(app.config["LOG_LEVEL"])

    request_log = logging.getLogger("lms.request")

    @app.before_request
    def _start_timer() -> None:
        g.request_started = time.perf_counter()
        g.request_id = request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex

    @app.after_request
    def _log_request(response):  # type: ignore[no-untyped-def]
        started = g.get("request_started")
        if started is None or request.endpoint == "main.healthz":
            return response
        user_id = current_user.get_id() if current_user and current_user.is_authenticated else None
        request_log.info(
            "request",
            extra={
                "request_id": g.request_id,
                "method": request.method,
                "path": _loggable_path(),
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user": user_id.split(".", 1)[0] if user_id else None,
            },
        )
        response.headers["X-Request-ID"] = g.request_id
        return response


_audit_log = logging.getLogger("lms.audit")


def audit(action: str, **fields: object) -> None:
    """Record who did what to whom, as one JSON log line (logger ``lms.audit``)."""
    actor = current_user.get_id().split(".", 1)[0] if current_user.is_authenticated else None
    _audit_log.info(action, extra={"audit": action, "actor": actor, **fields})
