"""The organisation tree and admin scope, as plain functions."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms.accounts.models import OrgUnit, UnitKind
from lms.accounts.units import (
    COUNTRIES,
    UnitError,
    create_unit,
    root_unit,
    seed_countries,
    subtree_ids,
    unit_by_code,
    units_in_scope,
)
from lms.accounts.users import in_scope
from lms.extensions import db


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


def test_an_id_that_is_a_prefix_of_another_is_not_its_parent(app, world):
    """Unit 7001 must not contain unit 70012: paths compare whole ids, ending in a slash."""
    root = root_unit()
    for unit_id in (7001, 70012):
        db.session.add(
            OrgUnit(
                id=unit_id,
                code=f"X{unit_id}",
                name="x",
                kind="country",
                parent_id=root.id,
                path=f"{root.path}{unit_id}/",
            )
        )
    db.session.flush()
    short, long = db.session.get(OrgUnit, 7001), db.session.get(OrgUnit, 70012)
    assert [u.id for u in units_in_scope(short)] == [7001]
    assert not short.contains(long)
    ids = set(db.session.scalars(subtree_ids(short)))
    assert ids == {7001}
    db.session.rollback()


def test_a_unit_cannot_have_an_empty_path(app):
    db.session.add(OrgUnit(code="EMPTY", name="x", kind="office", path=""))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()
    assert not OrgUnit(path="").contains(OrgUnit(path="/1/"))


def test_sqlite_enforces_foreign_keys_and_uses_wal(app):
    if db.engine.dialect.name != "sqlite":
        return
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "Viet Nam"), ("vi", "Việt Nam"), ("th", "เวียดนาม")]
)
def test_country_names_in_the_readers_language(app, language, expected):
    from flask_babel import force_locale

    from lms.templating import unit_label

    with app.test_request_context(), force_locale(language):
        assert unit_label(unit_by_code("VN")) == expected
