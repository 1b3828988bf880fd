"""Factories: small functions that make valid objects, with anything overridable."""

from __future__ import annotations

import itertools
from typing import Any

from lms.accounts.models import OrgUnit, Role, Sex, UnitKind, User
from lms.accounts.units import create_unit, root_unit, unit_by_code
from lms.accounts.users import Profile, create_user
from lms.extensions import db

PASSWORD = "correct horse battery"
_numbers = itertools.count(1)


def unit(code: str, kind: UnitKind, parent: OrgUnit | None, name: str | None = None) -> OrgUnit:
    return unit_by_code(code) or create_unit(code, name or code, kind, parent)


def user(
    role: Role = Role.COUNSELLOR,
    org_unit: OrgUnit | str = "ID",
    *,
    email: str | None = None,
    name: str | None = None,
    password: str | None = PASSWORD,
    **fields: Any,
) -> User:
    number = next(_numbers)
    if isinstance(org_unit, str):
        org_unit = unit_by_code(org_unit)
    person = create_user(
        Profile(
            email=email or f"person{number}@example.org",
            display_name=name or f"Person {number}",
            role=role,
            org_unit=org_unit,
            sex=fields.pop("sex", Sex.UNDISCLOSED),
            preferred_language=fields.pop("preferred_language", None),
            has_disability=fields.pop("has_disability", None),
        ),
        password=password,
    )
    for key, value in fields.items():
        setattr(person, key, value)
    db.session.flush()
    return person


class World:
    """Two countries with a province and an office each, and one person of every kind:
    ``admin`` manages Indonesia; ``other_admin`` manages Malaysia; ``regional_admin`` all."""

    def __init__(self) -> None:
        indonesia = unit_by_code("ID")
        malaysia = unit_by_code("MY")
        self.jakarta = unit("ID-JK", UnitKind.PROVINCE, indonesia, "DKI Jakarta")
        self.office = unit("ID-JK-1", UnitKind.OFFICE, self.jakarta, "Jakarta Selatan")
        self.selangor = unit("MY-SGR", UnitKind.PROVINCE, malaysia, "Selangor")
        self.my_office = unit("MY-SGR-1", UnitKind.OFFICE, self.selangor, "Shah Alam")
        self.regional_admin = user(Role.ADMIN, root_unit(), email="regional@example.org")
        self.admin = user(Role.ADMIN, indonesia, email="admin.id@example.org")
        self.other_admin = user(Role.ADMIN, malaysia, email="admin.my@example.org")
        # A second admin for Indonesia: a peer of ``admin``, managed only from above.
        self.peer_admin = user(Role.ADMIN, indonesia, email="admin2.id@example.org")
        self.trainer = user(Role.TRAINER, self.jakarta, email="trainer@example.org")
        self.counsellor = user(
            Role.COUNSELLOR, self.office, email="siti@example.org", name="Siti Rahmawati"
        )
        self.other_counsellor = user(Role.COUNSELLOR, self.office, email="budi@example.org")
        self.my_counsellor = user(Role.COUNSELLOR, self.my_office, email="aisyah@example.org")
        db.session.commit()


def complete_tiers(person: User, *numbers: int) -> None:
    """Record tiers as completed (the history a test starts from); done ones stay as they are."""
    from lms.database import insert_or_ignore
    from lms.learning.models import TierCompletion

    for number in numbers:
        insert_or_ignore(TierCompletion, user_id=person.id, tier_number=number)
    db.session.flush()


class TrainingWorld:
    """On top of :class:`World` and the upper-tier test curriculum: a Tier 2 cohort in
    Jakarta with five sessions, three trainers (``trainer``, ``second``, ``third``) and two
    counsellors (``counsellor``, ``other_counsellor``) who completed Tier 1; ``outsider`` is a
    trainer in Malaysia with no cohort here."""

    def __init__(self, world: World) -> None:
        from datetime import UTC, date, datetime, timedelta

        from lms.training import cohorts
        from lms.training.models import CohortMember, CohortTrainer

        self.world = world
        self.trainer = world.trainer
        self.second = user(Role.TRAINER, world.jakarta, email="trainer2@example.org")
        self.third = user(Role.TRAINER, world.jakarta, email="trainer3@example.org")
        self.outsider = user(Role.TRAINER, world.selangor, email="trainer.my@example.org")
        self.counsellor = world.counsellor
        self.other_counsellor = world.other_counsellor
        self.cohort = cohorts.create_cohort(
            world.admin,
            tier=2,
            name="Jakarta batch 1",
            unit=world.jakarta,
            place="BLK Jakarta",
            starts_on=date(2026, 11, 2),
            ends_on=date(2026, 11, 6),
        )
        for trainer in (self.trainer, self.second, self.third):
            db.session.add(CohortTrainer(cohort_id=self.cohort.id, user_id=trainer.id))
        for member in (self.counsellor, self.other_counsellor):
            db.session.add(CohortMember(cohort_id=self.cohort.id, user_id=member.id))
        start = datetime(2026, 11, 2, 2, tzinfo=UTC)
        self.sessions = [
            cohorts.add_session(
                self.cohort,
                title=f"Day {n + 1}",
                starts_dt=start + timedelta(days=n),
                minutes=240,
                place="BLK",
            )
            for n in range(5)
        ]
        complete_tiers(self.counsellor, 1)
        complete_tiers(self.other_counsellor, 1)
        db.session.commit()

    def scenario(self, n: int = 1):  # type: ignore[no-untyped-def]
        import sqlalchemy as sa

        from lms.curriculum.models import Scenario

        return db.session.scalar(sa.select(Scenario).where(Scenario.slug == f"scenario-{n}"))
