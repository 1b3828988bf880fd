"""Tier 3: facilitators, the roll-out sessions they deliver, their review by a trainer, and the
cascade of who trained whom.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts.invitations import invite
from lms.accounts.models import OrgUnit, Role, UnitKind, User, utcnow
from lms.accounts.units import subtree_ids, units_in_scope
from lms.accounts.users import Profile, create_user, email_taken
from lms.accounts.zawgyi import ZAWGYI_MESSAGE, is_zawgyi
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
    # Colleagues not yet in Tangga, as (name, email): each gets a counsellor account in the
    # facilitator's unit and an invitation link.
    newcomers: list[tuple[str, str]] = field(default_factory=list)


def colleagues_by_email(facilitator: User, text: str) -> tuple[list[int], list[str]]:
    """Colleagues named by email (for those beyond the names the form lists).

    :return: their ids, and the addresses that are not colleagues of the facilitator.
    """
    emails = list(dict.fromkeys(e.lower() for e in re.split(r"[\s,;]+", text) if e.strip()))
    if not emails:
        return [], []
    found = {
        u.email: u.id
        for u in db.session.scalars(colleagues(facilitator).where(User.email.in_(emails)))
    }
    return [found[e] for e in emails if e in found], [e for e in emails if e not in found]


def parse_newcomers(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    """Lines of "name, email" (a comma, semicolon or tab before the address).

    :return: the pairs, and a problem per line that is not one (naming the line).
    """
    pairs: list[tuple[str, str]] = []
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in re.split(r"[,;\t]", line)]
        email = parts[-1] if len(parts) >= 2 else ""
        name = ", ".join(part for part in parts[:-1] if part)
        if not name or not EMAIL.match(email):
            problems.append(
                _(
                    "Line %(number)d: write the name, a comma, then the email address.",
                    number=number,
                )
            )
        elif len(name) > 200:
            problems.append(
                _("Line %(number)d: the name is longer than 200 characters.", number=number)
            )
        elif is_zawgyi(name):
            problems.append(
                _("Line %(number)d: %(problem)s", number=number, problem=ZAWGYI_MESSAGE)
            )
        else:
            pairs.append((name, email))
    return pairs, problems


EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")


def _invite_newcomers(facilitator: User, newcomers: list[tuple[str, str]]) -> list[User]:
    """Create an account for each colleague not yet in Tangga (refused if the address is in
    use), in the facilitator's unit and language."""
    people = []
    for name, email in newcomers:
        if email_taken(email):
            raise RolloutRefused(
                _(
                    "%(email)s already has an account: choose the person from the list, or ask "
                    "an administrator.",
                    email=email,
                )
            )
        people.append(
            create_user(
                Profile(
                    email=email,
                    display_name=name,
                    role=Role.COUNSELLOR,
                    org_unit=facilitator.org_unit,
                    preferred_language=facilitator.preferred_language,
                )
            )
        )
    return people


def _participants(facilitator: User, ids: list[int], newcomers: int = 0) -> list[User]:
    wanted = set(ids)
    if not wanted and not newcomers:
        raise RolloutRefused(_("Choose at least one participant."))
    if not wanted:
        return []
    found = list(db.session.scalars(colleagues(facilitator).where(User.id.in_(wanted))))
    if len(found) != len(wanted):
        raise RolloutRefused(_("Participants must be counsellors among your colleagues."))
    return found


def record(facilitator: User, given: RolloutInput) -> RolloutSession:
    """Record a delivered session; colleagues not yet in Tangga are invited (their invitation
    links are in ``rollout.invitations`` for the facilitator to pass on)."""
    if not is_facilitator(facilitator):
        raise RolloutRefused(_("Only facilitators record roll-out sessions."))
    if given.held_on > date.today():
        raise RolloutRefused(_("A roll-out session is recorded after it took place."))
    if db.session.scalar(
        sa.select(RolloutSession.id).where(
            RolloutSession.facilitator_id == facilitator.id,
            RolloutSession.held_on == given.held_on,
            RolloutSession.topic == given.topic.strip(),
        )
    ):
        raise RolloutRefused(_("You recorded a session on this topic on this day already."))
    people = _participants(facilitator, given.participant_ids, len(given.newcomers))
    invited = _invite_newcomers(facilitator, given.newcomers)
    people += invited
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
    rollout.invitations = [(person, invite(person, invited_by=facilitator)) for person in invited]
    return rollout


def resubmit(rollout: RolloutSession, facilitator: User, given: RolloutInput) -> None:
    """A returned session, corrected and sent back to the trainer. What the trainer returned
    stays in their review (date, place, topic and participants as they were)."""
    if given.held_on > date.today():
        raise RolloutRefused(_("A roll-out session is recorded after it took place."))
    # One conditional update: a second click, or a trainer deciding meanwhile, finds it taken.
    claimed = db.session.execute(
        sa.update(RolloutSession)
        .where(RolloutSession.id == rollout.id, RolloutSession.state == ReviewState.RETURNED)
        .values(
            held_on=given.held_on,
            place=given.place.strip(),
            topic=given.topic.strip(),
            state=ReviewState.SUBMITTED.value,
            submitted_dt=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise RolloutRefused(_("Only a returned session can be changed."))
    db.session.refresh(rollout)
    people = _participants(facilitator, given.participant_ids, len(given.newcomers))
    invited = _invite_newcomers(facilitator, given.newcomers)
    people += invited
    db.session.execute(
        sa.delete(RolloutParticipant).where(RolloutParticipant.rollout_id == rollout.id)
    )
    for person in people:
        db.session.add(RolloutParticipant(rollout_id=rollout.id, user_id=person.id))
    rollout.invitations = [(person, invite(person, invited_by=facilitator)) for person in invited]


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
    db.session.refresh(rollout)
    participants = list(
        db.session.scalars(
            sa.select(User)
            .join(RolloutParticipant, RolloutParticipant.user_id == User.id)
            .where(RolloutParticipant.rollout_id == rollout.id)
        )
    )
    db.session.add(
        RolloutReview(
            rollout_id=rollout.id,
            reviewer_id=trainer.id,
            decision=decision.value,
            comment=comment.strip(),
            reviewed_dt=utcnow(),
            held_on=rollout.held_on,
            place=rollout.place,
            topic=rollout.topic,
            participant_ids=sorted(p.id for p in participants),
        )
    )
    if not confirm:
        notify(rollout.facilitator_id, "rollout_returned", rollout=rollout.id)
        return True
    from lms.training.standing import record_completions

    notify(rollout.facilitator_id, "rollout_confirmed", rollout=rollout.id)
    record_completions(rollout.facilitator)
    for participant in participants:
        notify(participant.id, "rollout_attended", rollout=rollout.id)
        record_completions(participant)
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
    return reach_in(admin.org_unit)


def reach_in(top: OrgUnit) -> list[UnitReach]:
    """:func:`reach_by_unit` for ``top`` and the units below it."""
    units = units_in_scope(top)
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
            RolloutSession.org_unit_id.in_(subtree_ids(top)),
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


def reach_below(units: list[OrgUnit], *, only_there: bool = False) -> list[UnitReach]:
    """:class:`UnitReach` for each of ``units`` (sessions held in it or below; with
    ``only_there``, in it alone), counted by the database in two grouped queries, whatever the
    number of sessions and colleagues."""
    ids = [unit.id for unit in units]
    held = sa.orm.aliased(OrgUnit)
    within = sa.orm.aliased(OrgUnit)
    # Paths are ids and slashes only: nothing to escape in the prefix comparison.
    place = held.id == within.id if only_there else held.path.startswith(within.path)
    confirmed = (
        sa.select(within.id.label("unit_id"), RolloutSession.id.label("rollout_id"))
        .join(held, held.id == RolloutSession.org_unit_id)
        .join(within, place)
        .where(within.id.in_(ids), RolloutSession.state == ReviewState.CONFIRMED.value)
    )
    found = {unit.id: UnitReach(unit) for unit in units}
    held_sessions = confirmed.add_columns(RolloutSession.facilitator_id).subquery()
    for unit_id, sessions, facilitators in db.session.execute(
        sa.select(
            held_sessions.c.unit_id,
            sa.func.count(sa.distinct(held_sessions.c.rollout_id)),
            sa.func.count(sa.distinct(held_sessions.c.facilitator_id)),
        ).group_by(held_sessions.c.unit_id)
    ):
        found[unit_id].sessions, found[unit_id].facilitators = sessions, facilitators
    sessions_within = confirmed.subquery()
    for unit_id, participants in db.session.execute(
        sa.select(sessions_within.c.unit_id, sa.func.count(sa.distinct(RolloutParticipant.user_id)))
        .join(RolloutParticipant, RolloutParticipant.rollout_id == sessions_within.c.rollout_id)
        .group_by(sessions_within.c.unit_id)
    ):
        found[unit_id].participants = participants
    return [found[unit.id] for unit in units]
