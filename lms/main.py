"""The home page, the language switch, and the health check."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from lms.accounts.auth import is_safe_next
from lms.extensions import db
from lms.i18n import SESSION_KEY, is_supported

bp = Blueprint("main", __name__)


@bp.get("/")
@login_required
def home() -> str:
    from lms.accounts.models import Role
    from lms.learning.progress import TierState, tier_courses
    from lms.training.standing import ladder, record_completions

    courses = tier_courses(1)
    tiers = ladder(current_user, courses) if current_user.role == Role.COUNSELLOR else None
    # The rules may be met without a fresh fact (an import retired a module, or changed a
    # rule): record it now.
    if tiers and any(
        t.state != TierState.COMPLETE
        and (
            (t.number == 1 and t.total and t.next_module is None)
            or (t.requirements and all(r.met for r in t.requirements))
        )
        for t in tiers
    ):
        if record_completions(current_user):
            db.session.commit()
            tiers = ladder(current_user, courses)
    return render_template(
        "home.html",
        tiers=tiers,
        courses=courses,
        tier_course_links=_later_courses() if tiers else {},
    )


def _later_courses() -> dict[int, list]:
    """The courses of Tiers 2 to 4 (programme outlines, the roll-out quiz), by tier."""
    from lms.curriculum.models import Course

    found: dict[int, list] = {}
    for course in db.session.scalars(
        sa.select(Course)
        .where(Course.tier_number > 1, Course.is_retired.is_(False))
        .order_by(Course.tier_number, Course.position)
    ):
        found.setdefault(course.tier_number, []).append(course)
    return found


@bp.post("/language")
def set_language() -> Response:
    """Switch language: kept in the session and, for a signed-in person, in their profile."""
    code = request.form.get("language", "")
    if is_supported(code):
        session[SESSION_KEY] = code
        if current_user.is_authenticated:
            current_user.preferred_language = code
            db.session.commit()
    next_url = request.form.get("next")
    return redirect(next_url if is_safe_next(next_url) else url_for("main.home"))


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    """For load balancers: 200 when the database answers, 503 when it does not."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok"), 200
