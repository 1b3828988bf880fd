"""Cohorts, their people and sessions, and who may see or run which cohort."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts.models import OrgUnit, Role, User, utcnow
from lms.accounts.units import subtree_ids
from lms.accounts.users import in_scope, normalise_email
from lms.database import insert_or_ignore
from lms.extensions import db
from lms.training.models import Cohort, CohortMember, CohortTrainer, TrainingSession
from lms.training.timezones import zone_for

TIER_NUMBERS = (2, 3, 4)


def may_manage(user: User, cohort: Cohort) -> bool:
    """Admins manage the cohorts of their unit and below."""
    return user.is_admin and user.org_unit.contains(cohort.org_unit)


def is_trainer(user: User, cohort_id: int) -> bool:
    return db.session.get(CohortTrainer, {"cohort_id": cohort_id, "user_id": user.id}) is not None


def is_member(user: User, cohort_id: int) -> bool:
    return db.session.get(CohortMember, {"cohort_id": cohort_id, "user_id": user.id}) is not None


def may_view(user: User, cohort: Cohort) -> bool:
    return may_manage(user, cohort) or is_trainer(user, cohort.id) or is_member(user, cohort.id)


def cohorts_query(user: User) -> sa.Select:
    """The cohorts a person sees: an admin's in scope, a trainer's and a member's own."""
    query = sa.select(Cohort).order_by(Cohort.starts_on.desc(), Cohort.id.desc())
    if user.is_admin:
        return query.where(Cohort.org_unit_id.in_(subtree_ids(user.org_unit)))
    trains = sa.select(CohortTrainer.cohort_id).where(CohortTrainer.user_id == user.id)
    attends = sa.select(CohortMember.cohort_id).where(CohortMember.user_id == user.id)
    return query.where(sa.or_(Cohort.id.in_(trains), Cohort.id.in_(attends)))


def create_cohort(
    admin: User,
    *,
    tier: int,
    name: str,
    unit: OrgUnit,
    place: str,
    starts_on: date,
    ends_on: date,
    timezone: str | None = None,
) -> Cohort | None:
    """:return: the new cohort, or None when the unit has a cohort of this tier and name
    (a form sent twice, perhaps)."""
    created = insert_or_ignore(
        Cohort,
        tier_number=tier,
        name=name.strip(),
        org_unit_id=unit.id,
        place=place.strip(),
        timezone=timezone or zone_for(unit),
        starts_on=starts_on,
        ends_on=ends_on,
        created_by_id=admin.id,
        created_dt=utcnow(),
    )
    return None if created is None else db.session.get(Cohort, created)


@dataclass
class Added:
    added: list[User] = field(default_factory=list)
    already: list[User] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


EMAILS = re.compile(r"[\s,;]+")


def people_by_email(admin: User, text: str, role: Role) -> tuple[list[User], list[str]]:
    """The people an admin named by email (one per line, or separated by commas): each must
    exist, be active, have ``role`` and be in the admin's scope. Problems name the address."""
    found: list[User] = []
    problems: list[str] = []
    emails = [normalise_email(e) for e in EMAILS.split(text) if e.strip()]
    users = {
        u.email: u
        for u in db.session.scalars(sa.select(User).where(User.email.in_(emails)))
        if emails
    }
    for email in dict.fromkeys(emails):
        user = users.get(email)
        if user is None or not in_scope(admin, user):
            problems.append(_("%(email)s: nobody in your scope has this address.", email=email))
        elif not user.is_enabled:
            problems.append(_("%(email)s: this account is deactivated.", email=email))
        elif user.role != role:
            problems.append(
                _("%(email)s: this person is not a %(role)s.", email=email, role=_role_name(role))
            )
        else:
            found.append(user)
    return found, problems


def _role_name(role: Role) -> str:
    from lms.accounts.labels import ROLE_LABELS

    return str(ROLE_LABELS[role.value]).lower()


def add_people(admin: User, cohort: Cohort, text: str, role: Role) -> Added:
    """Add counsellors (members) or trainers to a cohort; all or nothing."""
    result = Added()
    people, result.problems = people_by_email(admin, text, role)
    if result.problems:
        return result
    model = CohortMember if role == Role.COUNSELLOR else CohortTrainer
    for person in people:
        if insert_or_ignore(model, cohort_id=cohort.id, user_id=person.id) is None:
            result.already.append(person)
        else:
            result.added.append(person)
    return result


def remove_trainer(cohort: Cohort, user_id: int) -> None:
    """Trainers may change; their marks and grades stay, signed with their name."""
    db.session.execute(
        sa.delete(CohortTrainer).where(
            CohortTrainer.cohort_id == cohort.id, CohortTrainer.user_id == user_id
        )
    )


def add_session(
    cohort: Cohort,
    *,
    title: str,
    starts_dt: datetime,
    minutes: int,
    place: str,
    workshop_id: int | None = None,
) -> TrainingSession | None:
    """:return: the new session, or None when the cohort has it already (same title and
    start)."""
    created = insert_or_ignore(
        TrainingSession,
        cohort_id=cohort.id,
        title=title.strip(),
        starts_dt=starts_dt,
        minutes=minutes,
        place=place.strip(),
        workshop_id=workshop_id,
        is_cancelled=False,
    )
    return None if created is None else db.session.get(TrainingSession, created)


def set_cancelled(session: TrainingSession, cancelled: bool) -> None:
    """A cancelled session stays listed (and its marks kept) but counts for no one."""
    session.is_cancelled = cancelled


def members(cohort_id: int) -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .join(CohortMember, CohortMember.user_id == User.id)
            .where(CohortMember.cohort_id == cohort_id)
            .order_by(User.display_name, User.id)
        )
    )


def trainers(cohort_id: int) -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .join(CohortTrainer, CohortTrainer.user_id == User.id)
            .where(CohortTrainer.cohort_id == cohort_id)
            .order_by(User.display_name, User.id)
        )
    )
