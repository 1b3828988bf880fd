"""Error pages, translated, as HTML or JSON depending on what the client accepts."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from flask.globals import request_ctx
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from lms.extensions import db

log = logging.getLogger("lms.errors")

ERROR_TEXTS = {
    400: (
        _l("Bad request"),
        _l(
            "The request could not be understood. If you sent a form, go back, reload the page and try again."
        ),
    ),
    403: (_l("Not allowed"), _l("Your account does not have access to this page.")),
    404: (
        _l("Page not found"),
        _l("There is no page at this address. Check the link, or go back to the home page."),
    ),
    405: (_l("Not allowed"), _l("This page cannot be used that way.")),
    410: (_l("Gone"), _l("This page is no longer available.")),
    413: (
        _l("File too large"),
        _l("The file or form you sent is larger than this site accepts. Send a smaller one."),
    ),
    422: (_l("Cannot process"), _l("The request was understood but its contents are not valid.")),
    429: (
        _l("Too many attempts"),
        _l("There were too many attempts in a short time. Wait a few minutes, then try again."),
    ),
    500: (
        _l("Something went wrong"),
        _l("An unexpected error happened on our side. It has been logged; try again in a moment."),
    ),
}


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


# A form without a valid CSRF token: usually a page left open until the session ended.
CSRF_TEXT = (
    _l("This form has expired"),
    _l(
        "For your safety, forms stop working when your session ends. Go back, reload the page, and send the form again."
    ),
)


def render_error(status: int, texts: tuple[str, str] | None = None) -> tuple[Response | str, int]:
    title, message = texts or ERROR_TEXTS.get(status, ERROR_TEXTS[500])
    if request_ctx.url_adapter is None:
        # The request never got as far as routing (an untrusted Host): no page can link anywhere.
        return Response(f"{title}\n", status, mimetype="text/plain"), status
    if _wants_json():
        return jsonify(error=str(title), message=str(message), status=status), status
    return render_template("error.html", status=status, title=title, message=message), status


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):  # type: ignore[no-untyped-def]
        if error.code is None or error.code < 400:
            return error
        body, status = render_error(error.code)
        response = app.make_response((body, status))
        if error.code == 405 and getattr(error, "valid_methods", None):
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError):  # type: ignore[no-untyped-def]
        return render_error(400, CSRF_TEXT)

    @app.errorhandler(Exception)
    def _unexpected_error(error: Exception):  # type: ignore[no-untyped-def]
        if isinstance(error, HTTPException):
            return _http_error(error)
        db.session.rollback()
        log.exception("unhandled error", extra={"path": request.path})
        return render_error(InternalServerError.code)
