"""Translatable names for the values stored in training records."""

from flask_babel import lazy_gettext as _l

ATTENDANCE_LABELS = {
    "present": _l("Present"),
    "late": _l("Late"),
    "excused": _l("Excused"),
    "absent": _l("Absent"),
}

SIMULATION_LABELS = {
    "open": _l("Not graded yet"),
    "moderation": _l("Awaiting moderation"),
    "final": _l("Graded"),
}

GRADE_STATE_LABELS = {"draft": _l("Draft"), "final": _l("Final")}
GRADE_ROLE_LABELS = {"grader": _l("Grader"), "moderator": _l("Moderator")}

REVIEW_LABELS = {
    "submitted": _l("Awaiting review"),
    "confirmed": _l("Confirmed"),
    "accepted": _l("Accepted"),
    "returned": _l("Returned"),
}

# What each tier rule asks for, as shown on the ladder: "%(have)s of %(need)s".
REQUIREMENT_LABELS = {
    "min_attendance_percent": _l("Attendance (percent of sessions)"),
    "simulations_passed": _l("Simulations passed"),
    "confirmed_rollouts": _l("Confirmed roll-out sessions"),
    "required_quizzes": _l("Quizzes passed"),
    "workshops_attended": _l("Workshops attended"),
    "accepted_action_plans": _l("Action plans accepted"),
}

TIER_TITLES = {
    1: _l("Tier 1: Self-Training"),
    2: _l("Tier 2: In-Person Training"),
    3: _l("Tier 3: Roll-Out Training"),
    4: _l("Tier 4: Workshops"),
}
