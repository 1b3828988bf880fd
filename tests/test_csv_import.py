"""CSV import of people: every row checked first, errors by row and column, all or nothing."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from lms.accounts.csv_import import import_users, parse_rows
from lms.accounts.models import User
from lms.extensions import db
from tests.support import csrf_token, sign_in, submit, text

HEADER = "email,display_name,role,org_unit,preferred_language,sex,disability\n"
GOOD = (
    HEADER
    + "dewi@example.org,Dewi Lestari,counsellor,ID-JK-1,id,female,\n"
    + "somchai@example.org,สมชาย ใจดี,trainer,ID-JK,th,male,no\n"
    + "sok@example.org,សុខ ចាន់ធា,counsellor,id-jk-1,km,prefer_not_to_say,yes\n"
)


def user_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(User))


def upload(client, data: bytes, name: str = "people.csv"):
    """Send the file as a browser does. The body is encoded here, in memory: the test client's
    own encoder spills large bodies to a temporary file that it never closes."""
    token = csrf_token(client, "/admin/users/import")
    boundary, body = encode_multipart(
        {"csrf_token": token, "file": FileStorage(io.BytesIO(data), filename=name)}
    )
    return client.post(
        "/admin/users/import",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


@pytest.fixture
def admin_client(client, world):
    sign_in(client, world.admin)
    return client


def test_a_good_file_imports_everyone_with_invitation_links(admin_client, world, outbox):
    before = user_count()
    response = upload(admin_client, GOOD.encode("utf-8"))
    assert response.status_code == 200
    body = text(response)
    assert "3 people were imported." in body
    assert body.count("/invitation/") >= 3
    assert user_count() == before + 3
    khmer = db.session.scalar(sa.select(User).where(User.email == "sok@example.org"))
    assert (khmer.display_name, khmer.org_unit.code, khmer.has_disability) == (
        "សុខ ចាន់ធា",
        "ID-JK-1",
        True,
    )
    assert {message.to for message in outbox} >= {"dewi@example.org", "sok@example.org"}


def test_a_byte_order_mark_and_semicolons_are_accepted(app, world):
    data = ("\ufeff" + GOOD.replace(",", ";")).encode("utf-8")
    rows, errors = parse_rows(data)
    assert errors == [] and len(rows) == 3


@pytest.mark.parametrize(
    ("content", "row", "column", "message"),
    [
        (
            "name,email\nx,y@example.org\n",
            1,
            "display_name",
            "The required column “display_name” is missing.",
        ),
        (
            HEADER.replace("disability", "shoe_size") + "a@example.org,A,counsellor,ID,,,\n",
            1,
            "shoe_size",
            "Unknown column",
        ),
        (HEADER + "not-an-email,A,counsellor,ID,,,\n", 2, "email", "is not a valid email address"),
        (
            HEADER + "a@example.org,A,counsellor,ID,,,\nA@example.org,B,counsellor,ID,,,\n",
            3,
            "email",
            "also on row 2",
        ),
        (HEADER + "siti@example.org,Siti,counsellor,ID,,,\n", 2, "email", "already exists"),
        (
            HEADER + "a@example.org,A,counsellor,XX-NOWHERE,,,\n",
            2,
            "org_unit",
            "is not the code of an organisation unit",
        ),
        (
            HEADER + "a@example.org,A,counsellor,MY-SGR-1,,,\n",
            2,
            "org_unit",
            "is not the code of an organisation unit",
        ),
        (HEADER + "a@example.org,A,boss,ID,,,\n", 2, "role", "is not a role"),
        (HEADER + "a@example.org,,counsellor,ID,,,\n", 2, "display_name", "The name is empty."),
        (
            HEADER + "a@example.org,A,counsellor,ID,xx,,\n",
            2,
            "preferred_language",
            "not a supported language",
        ),
        (HEADER + "a@example.org,A,counsellor,ID,,robot,\n", 2, "sex", "is not one of"),
        (
            HEADER + "a@example.org,A,counsellor,ID,,,maybe\n",
            2,
            "disability",
            "is not yes, no, or empty",
        ),
        (
            HEADER + "a@example.org,A,counsellor\n",
            2,
            "",
            "This row has 3 values; the header has 7.",
        ),
    ],
)
def test_each_bad_row_is_reported_by_row_and_column_and_nothing_is_imported(
    admin_client, content, row, column, message
):
    good_row = "good@example.org,Good Person,counsellor,ID-JK-1,,,\n"
    before = user_count()
    response = upload(admin_client, (content + good_row).encode("utf-8"))
    assert response.status_code == 422
    body = text(response)
    assert "Nothing was imported" in body
    cells = re.findall(r"<tr><td[^>]*>(\w*)</td><td[^>]*>(\w*)</td>", body)
    assert (str(row), column) in cells, body[body.find("<table") : body.find("</table>")]
    assert message in body
    assert user_count() == before


def test_every_problem_is_listed_at_once(app, world):
    data = (HEADER + "bad,A,boss,NOWHERE,,,\n" + "ok@example.org,,counsellor,ID,,,\n").encode()
    result = import_users(data, world.admin)
    assert [(e.row, e.column) for e in result.errors] == [
        (2, "email"),
        (2, "role"),
        (2, "org_unit"),
        (3, "display_name"),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"   \n\n", "The file is empty."),
        (HEADER.encode(), "The file has a header but no users."),
        (GOOD.encode("utf-16"), "The file is not UTF-8 text"),
        (
            "email,display_name,role,org_unit\nä@example.org,Jörg,counsellor,ID\n".encode(
                "latin-1"
            ),
            "The file is not UTF-8 text",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "The file is not UTF-8 text"),
    ],
)
def test_bad_files_get_a_clear_message(admin_client, data, message):
    before = user_count()
    response = upload(admin_client, data)
    assert response.status_code == 422
    assert message in text(response)
    assert user_count() == before


def test_a_10_mb_file_is_refused_before_it_is_read(admin_client):
    data = (HEADER + "a@example.org,A,counsellor,ID,,,\n" * 320_000).encode()
    assert len(data) > 10_000_000
    response = upload(admin_client, data)
    assert response.status_code == 413
    assert "File too large" in text(response)


def test_no_file_chosen(admin_client):
    response = submit(admin_client, "/admin/users/import", {}, page="/admin/users/import")
    assert "Choose a CSV file." in text(response)


def test_error_messages_are_translated(admin_client, world):
    world.admin.preferred_language = "id"
    db.session.commit()
    response = upload(admin_client, b"")
    assert response.status_code == 422
    assert "The file is empty." not in text(response)


def test_values_in_error_messages_are_escaped(admin_client):
    response = upload(admin_client, (HEADER + "<b id=pwn>x</b>,A,counsellor,ID,,,\n").encode())
    body = text(response)
    assert "<b id=pwn>" not in body
    assert "&lt;b id=pwn&gt;" in body


def test_an_admin_cannot_import_a_peer_admin_but_can_below(admin_client, world):
    data = HEADER + "peer@example.org,Peer,admin,ID,,,\n"
    response = upload(admin_client, data.encode())
    assert response.status_code == 422
    assert "only for a unit below your own" in text(response)
    below = HEADER + "jakarta.admin@example.org,Jakarta Admin,admin,ID-JK,,,\n"
    assert upload(admin_client, below.encode()).status_code == 200


def test_a_concurrent_duplicate_is_reported_not_a_crash(admin_client, world, monkeypatch):
    from lms.accounts import csv_import

    # Someone else creates the same person between the check and the insert.
    monkeypatch.setattr(csv_import, "validate_rows", _validate_then_race(csv_import.validate_rows))
    response = upload(admin_client, (HEADER + "race@example.org,Race,counsellor,ID,,,\n").encode())
    assert response.status_code == 422
    assert "already exists" in text(response)


def _validate_then_race(validate):
    def wrapped(rows, admin):
        profiles, errors = validate(rows, admin)
        with db.engine.begin() as connection:
            connection.execute(
                User.__table__.insert().values(
                    email="race@example.org",
                    display_name="Other",
                    role="counsellor",
                    org_unit_id=admin.org_unit_id,
                    sex="female",
                    is_enabled=True,
                    session_token="x",
                    created_dt=datetime.now(UTC),
                )
            )
        return profiles, errors

    return wrapped


def test_a_row_that_is_not_csv_is_named(app, world):
    data = (HEADER + 'a@example.org,"' + "x" * 200_000 + '",counsellor,ID,,,\n').encode()
    rows, errors = parse_rows(data)
    assert rows == []
    assert errors[0].row == 2
    assert "cannot be read as CSV" in errors[0].message
