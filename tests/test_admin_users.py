"""Admins manage people in their scope: list, search, page, create, edit, deactivate."""

from __future__ import annotations

import sqlalchemy as sa

from lms.accounts.models import Role, User
from lms.extensions import db
from tests import factories
from tests.support import sign_in, submit, text


def as_admin(client, world, who="admin"):
    sign_in(client, getattr(world, who))
    return client


def test_the_list_shows_only_people_in_scope(client, world):
    body = text(as_admin(client, world).get("/admin/users"))
    assert "siti@example.org" in body
    assert "aisyah@example.org" not in body
    assert "regional@example.org" not in body


def test_a_regional_admin_sees_everyone(client, world):
    body = text(as_admin(client, world, "regional_admin").get("/admin/users"))
    assert "siti@example.org" in body and "aisyah@example.org" in body


def test_search_by_name_or_email_and_role(client, world):
    as_admin(client, world)
    assert "siti@example.org" in text(client.get("/admin/users?q=rahma"))
    assert "budi@example.org" not in text(client.get("/admin/users?q=rahma"))
    assert "budi@example.org" in text(client.get("/admin/users?q=BUDI@"))
    trainers = text(client.get("/admin/users?role=trainer"))
    assert "trainer@example.org" in trainers and "siti@example.org" not in trainers


def test_search_treats_wildcards_as_text(client, world):
    as_admin(client, world)
    assert "Nobody matches this search." in text(client.get("/admin/users?q=%25"))


def test_the_list_is_paged(app, client, world):
    for number in range(30):
        factories.user(Role.COUNSELLOR, world.office, email=f"bulk{number:02}@example.org")
    db.session.commit()
    as_admin(client, world)
    first = text(client.get("/admin/users"))
    assert "Page 1 of 2" in first
    second = text(client.get("/admin/users?page=2"))
    assert "Page 2 of 2" in second
    assert client.get("/admin/users?page=99").status_code == 200


def test_creating_a_person_shows_the_invitation_link(client, world, outbox):
    as_admin(client, world)
    response = submit(
        client,
        "/admin/users/new",
        {
            "email": "New.Person@Example.org",
            "display_name": "Dewi Lestari",
            "role": "counsellor",
            "org_unit": world.office.id,
            "preferred_language": "id",
            "sex": "female",
            "has_disability": "",
        },
    )
    assert response.status_code == 200
    assert "/invitation/" in text(response)
    person = db.session.scalar(sa.select(User).where(User.email == "new.person@example.org"))
    assert person.display_name == "Dewi Lestari"
    assert person.password_hash is None
    assert outbox[-1].to == "new.person@example.org"


def test_a_unit_outside_the_scope_cannot_be_chosen(client, world):
    as_admin(client, world)
    response = submit(
        client,
        "/admin/users/new",
        {
            "email": "x@example.org",
            "display_name": "X",
            "role": "counsellor",
            "org_unit": world.my_office.id,
            "sex": "female",
            "has_disability": "",
            "preferred_language": "",
        },
    )
    assert response.status_code == 200
    assert db.session.scalar(sa.select(User).where(User.email == "x@example.org")) is None


def test_a_duplicate_email_is_refused_with_a_message(client, world):
    as_admin(client, world)
    response = submit(
        client,
        "/admin/users/new",
        {
            "email": "SITI@example.org",
            "display_name": "Another Siti",
            "role": "counsellor",
            "org_unit": world.office.id,
            "sex": "female",
            "has_disability": "",
            "preferred_language": "",
        },
    )
    assert "An account with this email address already exists." in text(response)


def test_editing_a_person_shows_sex_and_disability_to_the_admin(client, world):
    world.counsellor.sex = "female"
    world.counsellor.has_disability = True
    db.session.commit()
    as_admin(client, world)
    page = text(client.get(f"/admin/users/{world.counsellor.id}"))
    assert 'value="female" selected' in page or 'selected value="female"' in page
    response = submit(
        client,
        f"/admin/users/{world.counsellor.id}",
        {
            "email": "siti@example.org",
            "display_name": "Siti R.",
            "role": "trainer",
            "org_unit": world.jakarta.id,
            "sex": "female",
            "has_disability": "no",
            "preferred_language": "ms",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    person = db.session.get(User, world.counsellor.id)
    assert (person.display_name, person.role, person.org_unit_id, person.has_disability) == (
        "Siti R.",
        "trainer",
        world.jakarta.id,
        False,
    )


def test_an_admin_cannot_change_their_own_role(client, world):
    as_admin(client, world)
    response = submit(
        client,
        f"/admin/users/{world.admin.id}",
        {
            "email": world.admin.email,
            "display_name": "Me",
            "role": "counsellor",
            "org_unit": world.admin.org_unit_id,
            "sex": "female",
            "has_disability": "",
            "preferred_language": "",
        },
    )
    assert "You cannot change your own role" in text(response)
    db.session.expire_all()
    assert db.session.get(User, world.admin.id).role == "admin"


def test_deactivate_and_reactivate_keep_the_account(client, world):
    as_admin(client, world)
    submit(client, f"/admin/users/{world.counsellor.id}/deactivate")
    db.session.expire_all()
    person = db.session.get(User, world.counsellor.id)
    assert person is not None and not person.is_enabled and person.deactivated_dt is not None
    submit(client, f"/admin/users/{world.counsellor.id}/reactivate")
    db.session.expire_all()
    assert db.session.get(User, world.counsellor.id).is_enabled


def test_an_admin_cannot_deactivate_themselves(client, world):
    as_admin(client, world)
    submit(client, f"/admin/users/{world.admin.id}/deactivate")
    db.session.expire_all()
    assert db.session.get(User, world.admin.id).is_enabled


def test_there_is_no_way_to_delete_a_person(app):
    assert not [
        rule
        for rule in app.url_map.iter_rules()
        if "DELETE" in rule.methods or "delete" in rule.rule
    ]


def test_an_access_link_for_someone_who_has_a_password_is_a_reset_link(client, world):
    as_admin(client, world)
    response = submit(client, f"/admin/users/{world.counsellor.id}/link")
    assert "/reset-password/" in text(response)


def test_units_page_adds_a_province_and_an_office(client, world):
    as_admin(client, world)
    indonesia = world.admin.org_unit
    response = submit(
        client, "/admin/units", {"parent": indonesia.id, "code": "id-jb", "name": "Jawa Barat"}
    )
    assert response.status_code == 302
    page = text(client.get("/admin/units"))
    assert "Jawa Barat" in page and "ID-JB" in page
    assert "Selangor" not in page


def test_units_refuses_a_used_code(client, world):
    as_admin(client, world)
    response = submit(
        client, "/admin/units", {"parent": world.jakarta.id, "code": "ID-JK-1", "name": "Dup"}
    )
    assert "The code ID-JK-1 is already used." in text(response)


def test_units_refuses_a_parent_outside_scope(client, world):
    as_admin(client, world)
    response = submit(
        client, "/admin/units", {"parent": world.selangor.id, "code": "MY-X", "name": "X"}
    )
    assert response.status_code == 200
    assert "MY-X" not in text(client.get("/admin/units"))


def new_person(client, **fields):
    data = {
        "email": "someone@example.org",
        "display_name": "Someone",
        "role": "counsellor",
        "sex": "female",
        "has_disability": "",
        "preferred_language": "",
        **fields,
    }
    return submit(client, "/admin/users/new", data)


def test_admin_rights_only_below_ones_own_unit(client, world):
    as_admin(client, world)
    indonesia = world.admin.org_unit
    peer = new_person(client, role="admin", org_unit=indonesia.id)
    assert "only for a unit below your own" in text(peer)
    below = new_person(client, role="admin", org_unit=world.jakarta.id, email="jk@example.org")
    assert below.status_code == 200 and "/invitation/" in text(below)


def test_peer_admins_are_not_listed_and_not_reachable(client, world):
    as_admin(client, world)
    assert "admin2.id@example.org" not in text(client.get("/admin/users"))
    assert client.get(f"/admin/users/{world.peer_admin.id}").status_code == 404


def test_an_admin_above_manages_the_national_admins(client, world):
    as_admin(client, world, "regional_admin")
    assert client.get(f"/admin/users/{world.peer_admin.id}").status_code == 200


def test_promoting_a_counsellor_to_peer_admin_is_refused(client, world):
    as_admin(client, world)
    response = submit(
        client,
        f"/admin/users/{world.counsellor.id}",
        {
            "email": "siti@example.org",
            "display_name": "Siti",
            "role": "admin",
            "org_unit": world.admin.org_unit_id,
            "sex": "female",
            "has_disability": "",
            "preferred_language": "",
        },
    )
    assert "only for a unit below your own" in text(response)
    db.session.expire_all()
    assert db.session.get(User, world.counsellor.id).role == "counsellor"


def test_search_ignores_case_in_every_script(client, world):
    factories.user(Role.COUNSELLOR, world.office, name="Đặng Thị Ánh", email="anh@example.org")
    db.session.commit()
    as_admin(client, world)
    for term in ("đặng", "ĐẶNG", "ánh", "ÁNH"):
        assert "anh@example.org" in text(client.get(f"/admin/users?q={term}")), term


def test_personal_pages_are_not_cached(client, world):
    as_admin(client, world)
    assert client.get("/admin/users").headers["Cache-Control"] == "no-store"


def test_admin_actions_are_audited(client, world, caplog):
    import logging

    as_admin(client, world)
    with caplog.at_level(logging.INFO, logger="lms.audit"):
        submit(client, f"/admin/users/{world.counsellor.id}/link")
        submit(client, f"/admin/users/{world.counsellor.id}/deactivate")
    entries = [(r.audit, r.actor, r.user) for r in caplog.records if r.name == "lms.audit"]
    assert entries == [
        ("user.link_issued", str(world.admin.id), world.counsellor.id),
        ("user.deactivated", str(world.admin.id), world.counsellor.id),
    ]
