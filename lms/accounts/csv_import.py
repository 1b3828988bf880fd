"""Importing users from a CSV file: every row is checked first, and nothing is written if any
row is wrong. Rows are numbered as a spreadsheet shows them: the header is row 1."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from lms.accounts.invitations import invite
from lms.accounts.labels import disability_from_value
from lms.accounts.models import OrgUnit, Role, Sex, User
from lms.accounts.units import subtree_ids
from lms.accounts.users import Profile, create_user, may_assign, normalise_email
from lms.accounts.zawgyi import ZAWGYI_MESSAGE, is_zawgyi
from lms.extensions import db
from lms.i18n import LANGUAGES

REQUIRED_COLUMNS = ("email", "display_name", "role", "org_unit")
OPTIONAL_COLUMNS = ("preferred_language", "sex", "disability")
MAX_ROWS = 5000


@dataclass(frozen=True)
class RowError:
    row: int  # 1 is the header
    column: str  # "" when the problem is the whole file or row
    message: str  # translated now: a lazy string would reach templates unescaped


@dataclass(frozen=True)
class Invited:
    """An imported person and their invitation link (plain values: they outlive the session)."""

    name: str
    email: str
    link: str


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    created: list[Invited] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def decode(data: bytes) -> str | None:
    """The file as text (UTF-8, with or without a byte-order mark), or None if it is not."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    return None if "\x00" in text else text


def parse_rows(data: bytes) -> tuple[list[dict[str, str]], list[RowError]]:
    """Read the header and rows, checking the file's shape (not the values)."""
    text = decode(data)
    if text is None:
        message = _("The file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again.")
        return [], [RowError(0, "", message)]
    if not text.strip():
        return [], [RowError(0, "", _("The file is empty."))]
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        lines = list(reader)
    except csv.Error:
        message = _(
            "This row cannot be read as CSV: a value may be too long, or a quotation mark may be missing."
        )
        return [], [RowError(reader.line_num, "", message)]
    header = [name.strip().lower() for name in lines[0]]
    errors = [
        RowError(1, column, _("The required column “%(column)s” is missing.", column=column))
        for column in REQUIRED_COLUMNS
        if column not in header
    ]
    known = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS)
    errors += [
        RowError(1, name, _("Unknown column “%(column)s”.", column=name))
        for name in header
        if name not in known
    ]
    if len(set(header)) != len(header):
        errors.append(RowError(1, "", _("A column appears twice in the header.")))
    if errors:
        return [], errors
    rows: list[dict[str, str]] = []
    for number, values in enumerate(lines[1:], start=2):
        if not any(value.strip() for value in values):
            continue  # blank lines, often at the end of a file
        if len(values) != len(header):
            errors.append(
                RowError(
                    number,
                    "",
                    _(
                        "This row has %(found)d values; the header has %(expected)d.",
                        found=len(values),
                        expected=len(header),
                    ),
                )
            )
            continue
        row = {name: value.strip() for name, value in zip(header, values, strict=True)}
        row["_row"] = str(number)
        rows.append(row)
    if not rows and not errors:
        errors.append(RowError(0, "", _("The file has a header but no users.")))
    if len(rows) > MAX_ROWS:
        errors.append(RowError(0, "", _("A file may hold at most %(max)d users.", max=MAX_ROWS)))
    return rows, errors


def _append_error(errors: list[RowError], row: int, column: str, message: str) -> None:
    errors.append(RowError(row, column, message))


def validate_rows(
    rows: Iterable[dict[str, str]], admin: User
) -> tuple[list[Profile], list[RowError]]:
    """Check every value of every row; the profiles are only usable when there are no errors."""
    rows = list(rows)
    units = {
        unit.code: unit
        for unit in db.session.scalars(
            sa.select(OrgUnit).where(OrgUnit.id.in_(subtree_ids(admin.org_unit)))
        )
    }
    emails = [normalise_email(row["email"]) for row in rows]
    existing = (
        set(db.session.scalars(sa.select(User.email).where(User.email.in_(emails))))
        if emails
        else set()
    )
    roles = {role.value for role in Role}
    sexes = {sex.value for sex in Sex}
    first_row_of: dict[str, int] = {}
    profiles: list[Profile] = []
    errors: list[RowError] = []

    for row, email in zip(rows, emails, strict=True):
        number = int(row["_row"])
        row_errors: list[RowError] = []

        problem = partial(_append_error, row_errors, number)
        try:
            validate_email(email, check_deliverability=False)
        except EmailNotValidError:
            problem("email", _("“%(value)s” is not a valid email address.", value=row["email"]))
        else:
            if email in first_row_of:
                problem(
                    "email",
                    _("This email address is also on row %(row)d.", row=first_row_of[email]),
                )
            elif email in existing:
                problem("email", _("An account with this email address already exists."))
            first_row_of.setdefault(email, number)
        if not row["display_name"]:
            problem("display_name", _("The name is empty."))
        elif len(row["display_name"]) > 200:
            problem("display_name", _("The name is longer than 200 characters."))
        elif is_zawgyi(row["display_name"]):
            problem("display_name", str(ZAWGYI_MESSAGE))
        if row["role"].lower() not in roles:
            problem(
                "role",
                _(
                    "“%(value)s” is not a role: use counsellor, trainer or admin.",
                    value=row["role"],
                ),
            )
        unit = units.get(row["org_unit"].upper())
        if unit is None:
            problem(
                "org_unit",
                _(
                    "“%(value)s” is not the code of an organisation unit in your scope.",
                    value=row["org_unit"],
                ),
            )
        elif row["role"].lower() in roles and not may_assign(
            admin, Role(row["role"].lower()), unit
        ):
            problem(
                "role", _("You can make someone an administrator only for a unit below your own.")
            )
        language = row.get("preferred_language", "")
        if language and language not in LANGUAGES:
            problem(
                "preferred_language",
                _("“%(value)s” is not a supported language code.", value=language),
            )
        sex = row.get("sex", "").lower() or Sex.UNDISCLOSED.value
        if sex not in sexes:
            problem(
                "sex",
                _(
                    "“%(value)s” is not one of: female, male, another, prefer_not_to_say.",
                    value=row.get("sex", ""),
                ),
            )
        disability = row.get("disability", "").lower()
        if disability not in {"", "yes", "no"}:
            problem(
                "disability",
                _("“%(value)s” is not yes, no, or empty.", value=row.get("disability", "")),
            )

        if row_errors:
            errors.extend(row_errors)
            continue
        profiles.append(
            Profile(
                email=email,
                display_name=row["display_name"],
                role=Role(row["role"].lower()),
                org_unit=unit,
                preferred_language=language or None,
                sex=Sex(sex),
                has_disability=disability_from_value(disability),
            )
        )
    return profiles, errors


def import_users(data: bytes, admin: User) -> ImportResult:
    """Validate the whole file, then create every account with an invitation link — or none."""
    rows, errors = parse_rows(data)
    if errors:
        return ImportResult(errors=errors)
    profiles, errors = validate_rows(rows, admin)
    if errors:
        return ImportResult(errors=errors)
    result = ImportResult()
    for profile in profiles:
        user = create_user(profile)
        link = invite(user, invited_by=admin)
        result.created.append(Invited(user.display_name, user.email, link))
    return result
