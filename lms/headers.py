"""Security headers on every response, and trust in a known number of proxies."""

from __future__ import annotations

from flask import Flask, request
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

# Everything is served from this site: no CDN, no inline script or style.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def register(app: Flask) -> None:
    proxies = app.config["PROXY_COUNT"]
    if proxies:
        # The client's address and scheme, never the host: links use LMS_PUBLIC_URL.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    hsts = app.config["LMS_ENV"] == "production" and app.config["SESSION_COOKIE_SECURE"]

    @app.after_request
    def _security_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if hsts:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        # Personal pages and pages carrying a link token stay out of shared caches and history.
        if current_user.is_authenticated or (request.view_args or {}).get("token"):
            response.headers["Cache-Control"] = "no-store"
        return response
