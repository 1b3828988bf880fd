"""The organisation tree and admin scope, as plain functions."""

from __future__ import annotations

import pytest

from lms.accounts.models import UnitKind
from lms.accounts.units import (
    COUNTRIES,
    UnitError,
    ancestors,
    create_unit,
    root_unit,
    seed_countries,
    unit_by_code,
    units_in_scope,
)
from lms.accounts.users import in_scope


def test_seed_knows_asean_and_china_and_is_idempotent(app):
    assert seed_countries() == 0
    codes = {unit.code for unit in units_in_scope(root_unit())}
    assert set(COUNTRIES) <= codes
    assert {"ID", "MY", "KH", "PH", "TH", "VN", "LA", "MM", "BN", "SG", "TL", "CN"} <= codes


def test_tree_shape_is_enforced(app):
    indonesia = unit_by_code("ID")
    with pytest.raises(UnitError):
        create_unit("ID-X", "Office directly under a country", UnitKind.OFFICE, indonesia)
    with pytest.raises(UnitError):
        create_unit("ROOT2", "Second root", UnitKind.COUNTRY, None)


def test_scope_is_the_subtree(app, world):
    assert in_scope(world.admin, world.counsellor)
    assert not in_scope(world.admin, world.my_counsellor)
    assert in_scope(world.regional_admin, world.my_counsellor)
    assert not in_scope(world.admin, world.regional_admin)
    assert not in_scope(world.trainer, world.counsellor)  # only admins have a scope


def test_a_code_prefix_is_not_a_subtree(app, world):
    """Unit 1 must not contain unit 12: paths compare whole ids."""
    ids = [u.id for u in units_in_scope(world.jakarta)]
    assert ids == [world.jakarta.id, world.office.id]


def test_ancestors_in_order(app, world):
    assert [u.code for u in ancestors(world.office)] == ["REGION", "ID", "ID-JK", "ID-JK-1"]
