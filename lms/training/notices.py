"""In-app notices: stored as a kind and its values, worded in the reader's language when shown."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _

from lms.accounts.models import utcnow
from lms.extensions import db
from lms.training.models import Notice


def notify(user_id: int, kind: str, **params: Any) -> None:
    db.session.add(Notice(user_id=user_id, kind=kind, params=params, created_dt=utcnow()))


def unread_count(user_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(Notice.id)).where(
            Notice.user_id == user_id, Notice.read_dt.is_(None)
        )
    )


def recent(user_id: int, limit: int = 50) -> list[Notice]:
    return list(
        db.session.scalars(
            sa.select(Notice)
            .where(Notice.user_id == user_id)
            .order_by(Notice.created_dt.desc(), Notice.id.desc())
            .limit(limit)
        )
    )


def mark_all_read(user_id: int) -> None:
    db.session.execute(
        sa.update(Notice)
        .where(Notice.user_id == user_id, Notice.read_dt.is_(None))
        .values(read_dt=utcnow())
    )


@dataclass(frozen=True)
class Worded:
    text: str
    url: str | None


def worded(notice: Notice) -> Worded:
    """The notice in the current language, with where it leads."""
    p = notice.params
    if notice.kind == "simulation_graded":
        return Worded(
            _("Your simulation has been graded: you can read the feedback."),
            url_for("training.simulation", simulation_id=p["simulation"]),
        )
    if notice.kind == "moderation_needed":
        return Worded(
            _("Two grades of a simulation differ too much: it needs you as moderator."),
            url_for(
                "training.grade",
                cohort_id=p["cohort"],
                user_id=p["member"],
                slug=p["scenario"],
            ),
        )
    if notice.kind == "rollout_confirmed":
        return Worded(
            _("A trainer confirmed your roll-out session."),
            url_for("training.rollout", rollout_id=p["rollout"]),
        )
    if notice.kind == "rollout_returned":
        return Worded(
            _("A trainer returned your roll-out session with a comment."),
            url_for("training.rollout", rollout_id=p["rollout"]),
        )
    if notice.kind == "rollout_attended":
        return Worded(
            _("A roll-out session you attended was confirmed."),
            url_for("training.my_training"),
        )
    if notice.kind == "plan_returned":
        return Worded(
            _("Your action plan was returned for revision."),
            url_for("training.workshop", slug=p["workshop"]),
        )
    if notice.kind == "plan_accepted":
        return Worded(
            _("Your action plan was accepted."),
            url_for("training.workshop", slug=p["workshop"]),
        )
    if notice.kind == "tier_completed":
        return Worded(_("You completed Tier %(number)d.", number=p["tier"]), url_for("main.home"))
    if notice.kind == "facilitator":
        return Worded(
            _("You are now a facilitator: you can record roll-out sessions."),
            url_for("training.rollouts"),
        )
    return Worded(_("Something changed in your training record."), None)
