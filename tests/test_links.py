"""Invitation and reset links: signed, expiring, single use; mailed when mail is configured."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from itsdangerous import TimestampSigner

from lms.accounts.invitations import invite, mail_reset_link, password_reset_link
from lms.accounts.links import LinkError, LinkProblem, check_link, use_link
from lms.accounts.models import AccountToken, Role, TokenPurpose, User
from lms.accounts.passwords import verify_password
from lms.extensions import db
from tests.support import submit, text

NEW = "my new password 2026"


PUBLIC = "http://127.0.0.1:5000"


def path_of(link: str) -> str:
    assert link.startswith(PUBLIC + "/"), link
    return link.removeprefix(PUBLIC)


@pytest.fixture
def invited(app, world):
    world.counsellor.password_hash = None
    with app.test_request_context():
        link = invite(world.counsellor, invited_by=world.admin)
    db.session.commit()
    return world.counsellor, path_of(link)


def test_an_invitation_lets_the_person_choose_a_password_once(client, invited):
    person, link = invited
    page = client.get(link)
    assert page.status_code == 200
    assert person.email in text(page)
    response = submit(client, link, {"password": NEW, "confirm": NEW}, page=link)
    assert response.status_code == 302
    db.session.expire_all()
    assert verify_password(db.session.get(User, person.id).password_hash, NEW)
    assert client.get("/").status_code == 200  # signed in

    again = client.get(link)
    assert again.status_code == 410
    assert "already been used" in text(again)


def test_a_tampered_link_is_refused(client, invited):
    _, link = invited
    tampered = link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB")
    response = client.get(tampered)
    assert response.status_code == 404
    assert "not valid" in text(response)


def test_a_link_for_another_purpose_is_refused(client, invited):
    _, link = invited
    token = link.rsplit("/", 1)[1]
    assert client.get(f"/reset-password/{token}").status_code == 404


def test_an_expired_link_is_refused(client, invited):
    _, link = invited
    db.session.execute(
        sa.update(AccountToken).values(expires_dt=datetime.now(UTC) - timedelta(minutes=1))
    )
    db.session.commit()
    response = client.get(link)
    assert response.status_code == 410
    assert "expired" in text(response)


def test_a_signature_older_than_the_lifetime_is_refused(app, invited, monkeypatch):
    _, link = invited
    token = link.rsplit("/", 1)[1]
    eight_days_later = int(time.time()) + 8 * 24 * 3600
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: eight_days_later)
    with pytest.raises(LinkError) as raised:
        check_link(token, TokenPurpose.INVITATION)
    assert raised.value.problem == LinkProblem.EXPIRED


def test_a_new_link_replaces_the_old_one(app, client, invited):
    person, old = invited
    with app.test_request_context():
        invite(person)
    db.session.commit()
    assert client.get(old).status_code == 410


def test_a_link_can_be_used_only_once_even_concurrently(app, invited):
    _, link = invited
    token = link.rsplit("/", 1)[1]
    results: list[str] = []
    barrier = threading.Barrier(2)

    def use() -> None:
        with app.app_context():
            barrier.wait()
            try:
                use_link(token, TokenPurpose.INVITATION)
                db.session.commit()
                results.append("ok")
            except LinkError as error:
                db.session.rollback()
                results.append(error.problem.value)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=use) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["ok", "used"]


def test_invitations_are_mailed_once_the_change_is_committed(app, world, outbox):
    with app.test_request_context():
        link = invite(world.my_counsellor)
    assert outbox == []  # not before the commit
    db.session.commit()
    assert outbox[-1].to == "aisyah@example.org"
    assert link in outbox[-1].body


def test_no_mail_goes_out_for_a_change_that_is_rolled_back(app, world, outbox):
    with app.test_request_context():
        invite(world.my_counsellor)
    db.session.rollback()
    db.session.commit()
    assert outbox == []


@pytest.mark.app_config(MAIL_SENDER="")
def test_without_mail_the_admin_still_gets_the_link(app, world):
    with app.test_request_context():
        link = password_reset_link(world.counsellor, issued_by=world.admin)
    assert "/reset-password/" in link


def test_reset_request_mails_a_link_and_says_the_same_for_unknown_addresses(client, world, outbox):
    known = submit(client, "/reset-password", {"email": "siti@example.org"})
    unknown = submit(client, "/reset-password", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert len(outbox) == 1
    link = path_of(outbox[0].body.split("\n\n")[2])
    response = submit(client, link, {"password": NEW, "confirm": NEW}, page=link)
    assert response.status_code == 302
    db.session.expire_all()
    assert verify_password(db.session.get(User, world.counsellor.id).password_hash, NEW)


def test_a_reset_link_in_the_persons_language(app, world, outbox):
    world.counsellor.preferred_language = "id"
    with app.test_request_context():
        mail_reset_link(world.counsellor)
    db.session.commit()
    assert "Tangga" in outbox[-1].subject
    assert "Reset your Tangga password" != outbox[-1].subject


def test_mismatched_passwords_are_refused(client, invited):
    _, link = invited
    response = submit(client, link, {"password": NEW, "confirm": NEW + "x"}, page=link)
    assert response.status_code == 200
    assert "The passwords differ." in text(response)
    assert client.get(link).status_code == 200  # not used up


def test_links_use_the_configured_address_not_the_requests_host(app, world, outbox):
    client = app.test_client()
    client.environ_base["HTTP_HOST"] = "evil.example"  # every request claims another host
    submit(client, "/reset-password", {"email": "siti@example.org"})
    assert outbox, "the reset link was not mailed"
    assert "evil.example" not in outbox[0].body
    assert f"{PUBLIC}/reset-password/" in outbox[0].body


@pytest.mark.app_config(MAIL_SENDER="")
def test_asking_for_a_reset_does_not_cancel_a_link_from_the_admin(app, client, invited):
    person, link = invited
    submit(client, "/reset-password", {"email": person.email})
    assert client.get(link).status_code == 200


def test_a_password_change_voids_pending_links(app, client, world):
    with app.test_request_context():
        link = path_of(password_reset_link(world.counsellor, issued_by=world.admin))
    db.session.commit()
    from lms.accounts.users import set_password

    set_password(world.counsellor, "changed by the person")
    db.session.commit()
    assert client.get(link).status_code == 410


def test_deactivation_voids_links_for_good(app, client, invited):
    from lms.accounts.users import deactivate, reactivate

    person, link = invited
    deactivate(person)
    db.session.commit()
    reactivate(person)
    db.session.commit()
    assert client.get(link).status_code == 410


def test_an_email_change_voids_links_sent_to_the_old_address(app, client, invited):
    from lms.accounts.users import Profile, update_user

    person, link = invited
    update_user(
        person,
        Profile(
            email="new@example.org",
            display_name=person.display_name,
            role=Role(person.role),
            org_unit=person.org_unit,
        ),
    )
    db.session.commit()
    assert client.get(link).status_code == 410


def test_tokens_stay_out_of_the_request_log(app, client, invited, caplog):
    import logging

    _, link = invited
    with caplog.at_level(logging.INFO, logger="lms.request"):
        client.get(link)
    paths = [record.path for record in caplog.records if record.name == "lms.request"]
    assert paths == ["/invitation/<token>"]


def test_link_pages_are_not_cached(client, invited):
    _, link = invited
    assert client.get(link).headers["Cache-Control"] == "no-store"
