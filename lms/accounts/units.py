"""The organisation tree: creating units, the seed of countries, and admin scope."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from lms.accounts.models import CHILD_KINDS, OrgUnit, UnitKind
from lms.extensions import db

ROOT_CODE = "REGION"

# ASEAN's member states (Timor-Leste joined in 2025) and China, the programme's partner.
COUNTRIES: dict[str, str] = {
    "BN": "Brunei Darussalam",
    "KH": "Cambodia",
    "CN": "China",
    "ID": "Indonesia",
    "LA": "Lao PDR",
    "MY": "Malaysia",
    "MM": "Myanmar",
    "PH": "Philippines",
    "SG": "Singapore",
    "TH": "Thailand",
    "TL": "Timor-Leste",
    "VN": "Viet Nam",
}


class UnitError(ValueError):
    """A unit cannot be created as asked."""

    @classmethod
    def code_used(cls, code: str) -> UnitError:
        return cls(_l("The code %(code)s is already used.", code=code.strip().upper()))


def create_unit(code: str, name: str, kind: UnitKind, parent: OrgUnit | None) -> OrgUnit:
    """Add a unit below ``parent`` (or as the root), keeping the tree's shape.

    :raises UnitError: if the kind may not sit below the parent, or the code is taken.
    """
    code = code.strip().upper()
    if parent is None and kind != UnitKind.REGION:
        raise UnitError(_l("Only the region can be the root of the tree."))
    if parent is not None and kind not in CHILD_KINDS[UnitKind(parent.kind)]:
        raise UnitError(_l("This kind of unit cannot be placed there."))
    if db.session.scalar(sa.select(OrgUnit.id).where(OrgUnit.code == code)) is not None:
        raise UnitError.code_used(code)
    # The path holds the unit's own id, known only after the insert: a placeholder until then.
    unit = OrgUnit(code=code, name=name.strip(), kind=kind.value, parent=parent, path="/new/")
    db.session.add(unit)
    db.session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    db.session.flush()
    return unit


def unit_by_code(code: str) -> OrgUnit | None:
    return db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == code.strip().upper()))


def root_unit() -> OrgUnit | None:
    return unit_by_code(ROOT_CODE)


def seed_countries() -> int:
    """Create the regional root and its countries where missing (idempotent).

    :return: how many units were created.
    """
    created = 0
    root = root_unit()
    if root is None:
        root = create_unit(ROOT_CODE, "ASEAN and partners", UnitKind.REGION, None)
        created += 1
    for code, name in COUNTRIES.items():
        if unit_by_code(code) is None:
            create_unit(code, name, UnitKind.COUNTRY, root)
            created += 1
    return created


def subtree_ids(unit: OrgUnit) -> sa.Select:
    """The ids of ``unit`` and everything below it, as a subquery."""
    return sa.select(OrgUnit.id).where(OrgUnit.path.startswith(unit.path, autoescape=True))


def units_in_scope(unit: OrgUnit) -> list[OrgUnit]:
    """``unit`` and its descendants in tree order (each parent before its children, siblings
    by name), in one query."""
    found = db.session.scalars(
        sa.select(OrgUnit).where(OrgUnit.path.startswith(unit.path, autoescape=True))
    ).all()
    children: dict[int | None, list[OrgUnit]] = {}
    for node in found:
        children.setdefault(node.parent_id, []).append(node)
    ordered: list[OrgUnit] = []
    stack = [unit]
    while stack:
        node = stack.pop()
        ordered.append(node)
        stack.extend(sorted(children.get(node.id, []), key=lambda u: u.name, reverse=True))
    return ordered
