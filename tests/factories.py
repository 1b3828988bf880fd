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
