"""The training blueprint; its views live in the views_* modules, one subject each."""

from flask import Blueprint

bp = Blueprint("training", __name__, template_folder="templates")


def register_views() -> Blueprint:
    from lms.training import (  # noqa: F401  (each module adds its routes to bp)
        views_cohorts,
        views_grading,
        views_record,
        views_rollouts,
        views_workshops,
    )

    return bp
