"""Tier 3: facilitators, the roll-out sessions they deliver, their review by a trainer, and the
cascade of who trained whom.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts.models import OrgUnit, Role, UnitKind, User, utcnow
from lms.accounts.units import subtree_ids, units_in_scope
from lms.database import insert_or_ignore
from lms.extensions import db
from lms.learning.models import TierCompletion
from lms.training.models import (
    Facilitator,
    ReviewState,
    RolloutParticipant,
    RolloutReview,
    RolloutSession,
)
from lms.training.notices import notify

MAX_DEPTH = 12  # a cascade deeper than this is not followed further (and cycles end here)


class RolloutRefused(Exception):
    """Why a roll-out session cannot be recorded or reviewed, in words for the person."""


def is_facilitator(user: User) -> bool:
    return db.session.get(Facilitator, user.id) is not None


def may_become_facilitator(user: User) -> bool:
    """A counsellor who completed Tier 2."""
    return user.role == Role.COUNSELLOR and (
        db.session.scalar(
            sa.select(TierCompletion.id).where(
                TierCompletion.user_id == user.id, TierCompletion.tier_number == 2
            )
        )
        is not None
    )


def appoint(admin: User, user: User) -> bool:
    """Make ``user`` a facilitator (once); say whether it is new."""
    if not may_become_facilitator(user):
        raise RolloutRefused(_("Only a counsellor who completed Tier 2 can be a facilitator."))
    created = insert_or_ignore(
        Facilitator, user_id=user.id, appointed_by_id=admin.id, appointed_dt=utcnow()
    )
    if created is not None:
        notify(user.id, "facilitator")
    return created is not None


def colleague_unit(facilitator: User) -> OrgUnit:
    """Whose colleagues a facilitator may train: their unit's people, and for someone in an
    office, the whole province or region around it."""
    unit = facilitator.org_unit
    if unit.kind == UnitKind.OFFICE and unit.parent is not None:
        return unit.parent
    return unit


def colleagues(facilitator: User) -> sa.Select:
    """Active counsellors a facilitator may name as participants, by name."""
    return (
        sa.select(User)
        .where(
            User.org_unit_id.in_(subtree_ids(colleague_unit(facilitator))),
            User.role == Role.COUNSELLOR.value,
            User.is_enabled.is_(True),
            User.id != facilitator.id,
        )
        .order_by(User.display_name, User.id)
    )


@dataclass
class RolloutInput:
    held_on: date
    place: str
    topic: str
    participant_ids: list[int] = field(default_factory=list)


def _participants(facilitator: User, ids: list[int]) -> list[User]:
    wanted = set(ids)
    if not wanted:
        raise RolloutRefused(_("Choose at least one participant."))
    found = list(db.session.scalars(colleagues(facilitator).where(User.id.in_(wanted))))
    if len(found) != len(wanted):
        raise RolloutRefused(_("Participants must be counsellors among your colleagues."))
    return found


def record(facilitator: User, given: RolloutInput) -> RolloutSession:
    if not is_facilitator(facilitator):
        raise RolloutRefused(_("Only facilitators record roll-out sessions."))
    if given.held_on > date.today():
        raise RolloutRefused(_("A roll-out session is recorded after it took place."))
    people = _participants(facilitator, given.participant_ids)
    rollout = RolloutSession(
        facilitator_id=facilitator.id,
        org_unit_id=facilitator.org_unit_id,
        held_on=given.held_on,
        place=given.place.strip(),
        topic=given.topic.strip(),
        state=ReviewState.SUBMITTED.value,
        submitted_dt=utcnow(),
    )
    db.session.add(rollout)
    db.session.flush()
    for person in people:
        db.session.add(RolloutParticipant(rollout_id=rollout.id, user_id=person.id))
    return rollout


def resubmit(rollout: RolloutSession, facilitator: User, given: RolloutInput) -> None:
    """A returned session, corrected and sent back to the trainer; its reviews stay."""
    if rollout.state != ReviewState.RETURNED:
        raise RolloutRefused(_("Only a returned session can be changed."))
    if given.held_on > date.today():
        raise RolloutRefused(_("A roll-out session is recorded after it took place."))
    people = _participants(facilitator, given.participant_ids)
    rollout.held_on, rollout.place, rollout.topic = given.held_on, given.place, given.topic
    rollout.state, rollout.submitted_dt = ReviewState.SUBMITTED.value, utcnow()
    db.session.execute(
        sa.delete(RolloutParticipant).where(RolloutParticipant.rollout_id == rollout.id)
    )
    for person in people:
        db.session.add(RolloutParticipant(rollout_id=rollout.id, user_id=person.id))


def may_review(trainer: User, rollout: RolloutSession) -> bool:
    """Trainers review the roll-out sessions of their unit and below (never their own)."""
    return (
        trainer.role == Role.TRAINER
        and trainer.id != rollout.facilitator_id
        and trainer.org_unit.contains(rollout.org_unit)
    )


def review(trainer: User, rollout: RolloutSession, *, confirm: bool, comment: str) -> bool:
    """Confirm a submitted session, or return it with a comment.

    :return: False when it was already reviewed (a second click, or another trainer).
    """
    if not confirm and not comment.strip():
        raise RolloutRefused(_("Say what needs changing when you return a session."))
    decision = ReviewState.CONFIRMED if confirm else ReviewState.RETURNED
    changed = db.session.execute(
        sa.update(RolloutSession)
        .where(RolloutSession.id == rollout.id, RolloutSession.state == ReviewState.SUBMITTED)
        .values(state=decision.value)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        return False
    db.session.add(
        RolloutReview(
            rollout_id=rollout.id,
            reviewer_id=trainer.id,
            decision=decision.value,
            comment=comment.strip(),
            reviewed_dt=utcnow(),
        )
    )
    db.session.refresh(rollout)
    if not confirm:
        notify(rollout.facilitator_id, "rollout_returned", rollout=rollout.id)
        return True
    from lms.training.standing import record_completions

    notify(rollout.facilitator_id, "rollout_confirmed", rollout=rollout.id)
    record_completions(rollout.facilitator)
    for participant in rollout.participants:
        notify(participant.user_id, "rollout_attended", rollout=rollout.id)
        record_completions(participant.user)
    return True


def pending_for(trainer: User) -> sa.Select:
    return (
        sa.select(RolloutSession)
        .where(
            RolloutSession.state == ReviewState.SUBMITTED.value,
            RolloutSession.org_unit_id.in_(subtree_ids(trainer.org_unit)),
            RolloutSession.facilitator_id != trainer.id,
        )
        .order_by(RolloutSession.submitted_dt)
    )


# -- the cascade ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Reached:
    user: User
    depth: int  # 1: trained by the facilitator; 2: by someone they trained; ...
    trained_by: User


def _confirmed_edges() -> sa.Select:
    return (
        sa.select(
            RolloutSession.facilitator_id.label("trainer_id"),
            RolloutParticipant.user_id.label("trainee_id"),
        )
        .join(RolloutParticipant, RolloutParticipant.rollout_id == RolloutSession.id)
        .where(RolloutSession.state == ReviewState.CONFIRMED.value)
    )


def cascade(root: User) -> list[Reached]:
    """Everyone the facilitator's training reached, directly or through the people they
    trained, each at their shortest depth, in one recursive query."""
    edges = _confirmed_edges().cte("edges")
    reached = (
        sa.select(edges.c.trainee_id.label("user_id"), sa.literal(1).label("depth"))
        .where(edges.c.trainer_id == root.id)
        .cte("reached", recursive=True)
    )
    step = edges.alias("step")
    reached = reached.union(
        sa.select(step.c.trainee_id, reached.c.depth + 1)
        .join(reached, step.c.trainer_id == reached.c.user_id)
        .where(reached.c.depth < MAX_DEPTH)
    )
    depths = dict(
        db.session.execute(
            sa.select(reached.c.user_id, sa.func.min(reached.c.depth))
            .where(reached.c.user_id != root.id)
            .group_by(reached.c.user_id)
        ).all()
    )
    if not depths:
        return []
    level = {**depths, root.id: 0}
    trainers: dict[int, int] = {}
    for trainer_id, trainee_id in db.session.execute(
        _confirmed_edges().where(RolloutParticipant.user_id.in_(depths))
    ):
        if level.get(trainer_id) == depths[trainee_id] - 1:
            trainers.setdefault(trainee_id, trainer_id)
    people = {
        u.id: u
        for u in db.session.scalars(
            sa.select(User).where(User.id.in_(set(depths) | set(trainers.values())))
        )
    }
    people[root.id] = root
    return sorted(
        (Reached(people[uid], depth, people[trainers[uid]]) for uid, depth in depths.items()),
        key=lambda r: (r.depth, r.user.display_name, r.user.id),
    )


@dataclass
class UnitReach:
    unit: OrgUnit
    sessions: int = 0
    facilitators: int = 0
    participants: int = 0


def reach_by_unit(admin: User) -> list[UnitReach]:
    """For each unit in the admin's scope: confirmed roll-out sessions held there (or below),
    the facilitators who held them, and the distinct colleagues they reached."""
    units = units_in_scope(admin.org_unit)
    by_path = {unit.path: UnitReach(unit) for unit in units}
    rows = db.session.execute(
        sa.select(
            OrgUnit.path,
            RolloutSession.id,
            RolloutSession.facilitator_id,
            RolloutParticipant.user_id,
        )
        .join(OrgUnit, OrgUnit.id == RolloutSession.org_unit_id)
        .join(RolloutParticipant, RolloutParticipant.rollout_id == RolloutSession.id)
        .where(
            RolloutSession.state == ReviewState.CONFIRMED.value,
            RolloutSession.org_unit_id.in_(subtree_ids(admin.org_unit)),
        )
    ).all()
    sessions: dict[str, set] = {}
    facilitators: dict[str, set] = {}
    participants: dict[str, set] = {}
    for path, rollout_id, facilitator_id, user_id in rows:
        # Count it for the unit and each unit above it in the admin's scope.
        ids = path.strip("/").split("/")
        for end in range(len(ids), 0, -1):
            prefix = "/" + "/".join(ids[:end]) + "/"
            if prefix not in by_path:
                break
            sessions.setdefault(prefix, set()).add(rollout_id)
            facilitators.setdefault(prefix, set()).add(facilitator_id)
            participants.setdefault(prefix, set()).add(user_id)
    for path, reach in by_path.items():
        reach.sessions = len(sessions.get(path, ()))
        reach.facilitators = len(facilitators.get(path, ()))
        reach.participants = len(participants.get(path, ()))
    return [by_path[unit.path] for unit in units]
