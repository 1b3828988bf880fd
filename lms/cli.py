"""The ``flask lms`` commands."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from lms.extensions import db


@click.group("lms")
def lms_cli() -> None:
    """Tangga: seed, demo data, and administration."""


@lms_cli.command("seed")
@with_appcontext
def seed() -> None:
    """Create the regional root and the ASEAN member states and China (idempotent)."""
    from lms.accounts.units import seed_countries

    created = seed_countries()
    db.session.commit()
    click.echo(
        f"Organisation units: {created} created." if created else "Organisation units: up to date."
    )


@lms_cli.command("demo")
@click.option(
    "--counsellors",
    type=click.IntRange(0, 1_000_000),
    default=0,
    help="Also generate this many counsellors with their training history (bulk inserts).",
)
@with_appcontext
def demo(counsellors: int) -> None:
    """Load demo organisation units and people (refused in production); with
    ``--counsellors N``, a large region-wide data set on top, for reports at scale."""
    from lms.demo import DEMO_PASSWORD, PEOPLE, SHOWN_LOGINS, load_demo

    if current_app.config["LMS_ENV"] == "production":
        raise click.ClickException("The demo data is not for production (LMS_ENV=production).")
    from lms.training.demo import load_training_demo

    created = load_demo()
    db.session.commit()
    click.echo(f"Demo data: {created} people created." if created else "Demo data: already loaded.")
    if load_training_demo():
        db.session.commit()
        click.echo("Demo training records: cohorts, sessions, grades and a roll-out created.")
    roles = {person.email: person.role.value for person in PEOPLE}
    click.echo(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
    for email in SHOWN_LOGINS:
        click.echo(f"  {roles[email]:<11} {email}")
    click.echo("  ... and every other address in lms/demo.py\n")
    if counsellors:
        _generate_counsellors(counsellors)


def _generate_counsellors(count: int) -> None:
    import time

    from lms.reports.large_demo import generate_counsellors

    started = time.perf_counter()
    try:
        inserted = generate_counsellors(count, progress=click.echo)
    except ValueError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    total = sum(inserted.values())
    click.echo(
        f"Generated {count:,} counsellors: {total:,} rows in {time.perf_counter() - started:.0f} s."
    )


@lms_cli.command("create-admin")
@click.option("--email", required=True, help="The admin's email address.")
@click.option("--name", required=True, help="The admin's name, as they write it.")
@click.option("--unit", default="REGION", show_default=True, help="Code of the unit they manage.")
@with_appcontext
def create_admin(email: str, name: str, unit: str) -> None:
    """Create an admin and print the invitation link to pass on (first set-up in production)."""
    from lms.accounts.invitations import invite
    from lms.accounts.models import Role
    from lms.accounts.units import unit_by_code
    from lms.accounts.users import Profile, create_user, email_taken

    org_unit = unit_by_code(unit)
    if org_unit is None:
        raise click.ClickException(
            f"No organisation unit has the code {unit!r} (run 'flask lms seed')."
        )
    if email_taken(email):
        raise click.ClickException(f"An account with {email} already exists.")
    user = create_user(Profile(email=email, display_name=name, role=Role.ADMIN, org_unit=org_unit))
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        link = invite(user)
    db.session.commit()
    click.echo(f"Admin created. Invitation link (works once):\n{link}")


@lms_cli.group("translations")
def translations() -> None:
    """Extract, update, compile and check the interface's message catalogs."""


@translations.command("extract")
def translations_extract() -> None:
    """Collect the messages from the code into translations/messages.pot."""
    from lms import catalogs

    catalogs.extract()


@translations.command("update")
def translations_update() -> None:
    """Extract, then bring every language's catalog in line (new messages come in empty)."""
    from lms import catalogs

    catalogs.extract()
    catalogs.update()


@translations.command("compile")
def translations_compile() -> None:
    """Build the .mo files the application reads (never committed)."""
    from lms import catalogs

    catalogs.compile_catalogs()


@translations.command("check")
def translations_check() -> None:
    """List untranslated, fuzzy, missing or placeholder-breaking messages; fail if any."""
    from lms import catalogs

    problems = catalogs.check()
    for problem in problems:
        click.echo(str(problem))
    if problems:
        raise click.ClickException(f"{len(problems)} problems in the catalogs.")
    click.echo("Every catalog is complete.")


@lms_cli.group("courses")
def courses() -> None:
    """Check and import the curriculum in courses/."""


def _courses_path(path: str | None) -> Path:
    return Path(path) if path else Path(current_app.config["COURSES_DIR"])


def _load_or_fail(path: Path):  # type: ignore[no-untyped-def]
    from lms.curriculum.loader import load

    curriculum, problems = load(path)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        raise click.ClickException(f"{len(problems)} problems in {path}: nothing was imported.")
    return curriculum


def _echo_translation_status(curriculum) -> None:  # type: ignore[no-untyped-def]
    from lms.curriculum.importer import translation_status

    click.echo("Translations (missing / older than the English):")
    for status in translation_status(curriculum):
        click.echo(
            f"  {status.language:<4} {len(status.missing):>4} missing  {len(status.outdated):>4} outdated"
        )
        for key in status.outdated:
            click.echo(f"       outdated: {key}")


@courses.command("check")
@click.argument("path", required=False)
@with_appcontext
def courses_check(path: str | None) -> None:
    """Check the course files; print every problem with its file and field."""
    curriculum = _load_or_fail(_courses_path(path))
    modules = sum(len(course.modules) for course in curriculum.courses)
    click.echo(f"OK: {len(curriculum.courses)} courses, {modules} modules.")
    _echo_translation_status(curriculum)


@courses.command("import")
@click.argument("path", required=False)
@with_appcontext
def courses_import(path: str | None) -> None:
    """Check, then import everything in one transaction (or nothing)."""
    from lms.curriculum.importer import import_curriculum

    curriculum = _load_or_fail(_courses_path(path))
    report = import_curriculum(curriculum)
    db.session.commit()
    if report.changed:
        for what, count in sorted(report.changes.items()):
            click.echo(f"  {what}: {count}")
        click.echo("Imported.")
    else:
        click.echo("Nothing changed: the database already matches the files.")
    _echo_translation_status(curriculum)


@lms_cli.command("doctor")
@with_appcontext
def doctor() -> None:
    """Say, per language, whether the certificate fonts are here, and whether WeasyPrint has
    HarfBuzz's subsetter."""
    from lms.certificates.fonts import check_language, harfbuzz_subsetter
    from lms.i18n import LANGUAGES

    problems = 0
    for language in LANGUAGES:
        found = check_language(language)
        if found.ok:
            click.echo(f"  {language:<4} ok       {found.family}: {found.path}")
        elif found.path is None:
            problems += 1
            click.echo(
                f"  {language:<4} MISSING  {found.family} (install fonts-noto-core and fonts-noto-cjk)"
            )
        else:
            problems += 1
            click.echo(
                f"  {language:<4} GAPS     {found.family} lacks {found.missing_characters!r}"
            )
    if harfbuzz_subsetter():
        click.echo("  HarfBuzz subsetter: loaded")
    else:
        problems += 1
        click.echo(
            "  HarfBuzz subsetter: MISSING (install libharfbuzz-subset0; WeasyPrint falls back "
            "to a path one to two orders of magnitude slower)"
        )
    if problems:
        raise click.ClickException(f"{problems} problem(s) for certificates.")
    click.echo("Certificates can be drawn in every language.")


@lms_cli.group("certificates")
def certificates_cli() -> None:
    """Issue and render certificates."""


@certificates_cli.command("issue")
@with_appcontext
def issue_certificates() -> None:
    """Issue the certificates due for completions recorded without one (idempotent)."""
    import sqlalchemy as sa

    from lms.accounts.models import User
    from lms.certificates.issuing import issue_due
    from lms.learning.models import TierCompletion

    people = db.session.scalars(
        sa.select(User).where(User.id.in_(sa.select(TierCompletion.user_id)))
    ).all()
    count = sum(len(issue_due(person)) for person in people)
    db.session.commit()
    click.echo(f"Certificates: {count} valid for {len(people)} people.")


@certificates_cli.command("render")
@click.option("--cohort", "cohort_id", type=int, required=True, help="The cohort's id.")
@click.option("--language", default="en", help="en, id, ms, fil, vi, th, km, lo, my or zh.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--workers", type=int, default=0, help="Processes (default: every core).")
@with_appcontext
def render_certificates(cohort_id: int, language: str, out: Path, workers: int) -> None:
    """Render a cohort's valid certificates for its tier into one ZIP file."""
    import sqlalchemy as sa

    from lms.certificates.batch import cohort_zip, usable_cores
    from lms.certificates.models import Certificate
    from lms.i18n import LANGUAGES
    from lms.training.cohorts import members
    from lms.training.models import Cohort

    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None:
        raise click.ClickException(f"There is no cohort {cohort_id}.")
    if language not in LANGUAGES:
        raise click.ClickException(f"Unknown language {language}.")
    certificates = db.session.scalars(
        sa.select(Certificate).where(
            Certificate.user_id.in_([m.id for m in members(cohort.id)]),
            Certificate.award == cohort.tier_number,
            Certificate.revoked_dt.is_(None),
        )
    ).all()
    certificates = list(certificates)
    # The workers are forked: they must not inherit open database connections.
    db.session.close()
    db.engine.dispose()
    partial = out.with_name(out.name + ".part")
    with partial.open("wb") as file:
        for chunk in cohort_zip(
            certificates, language, workers=workers or usable_cores(), fork=True
        ):
            file.write(chunk)
    partial.replace(out)  # the file appears whole, or not at all
    click.echo(f"{len(certificates)} certificates written to {out}.")


@lms_cli.group("report")
def report_cli() -> None:
    """Reports for scheduled jobs."""


@report_cli.command("completion")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "xlsx", "pdf"]), default="csv", show_default=True
)
@click.option("--scope", "unit_code", default="REGION", show_default=True, help="A unit's code.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--cohort", default="", help="Part of a cohort's name.")
@click.option("--tier", type=click.IntRange(1, 4), default=None)
@click.option(
    "--status", type=click.Choice(["completed", "in_progress", "not_started"]), default=None
)
@click.option("--sex", type=click.Choice(["female", "male", "another", "prefer_not_to_say"]))
@click.option("--disability", type=click.Choice(["yes", "no", "unknown"]))
@click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option("--language", default="en", show_default=True, help="Language of the headers.")
@with_appcontext
def report_completion(
    fmt: str,
    unit_code: str,
    out: Path,
    cohort: str,
    tier: int | None,
    status: str | None,
    sex: str | None,
    disability: str | None,
    date_from,  # type: ignore[no-untyped-def]
    date_to,  # type: ignore[no-untyped-def]
    language: str,
) -> None:
    """The completion report of a unit, as the admins' page exports it (recorded as an
    export made by the command)."""
    from flask_babel import force_locale

    from lms.accounts.units import unit_by_code
    from lms.i18n import LANGUAGES
    from lms.reports import completion, exports
    from lms.reports.filters import ReportFilter, contradiction

    unit = unit_by_code(unit_code)
    if unit is None:
        raise click.ClickException(f"There is no unit with the code {unit_code}.")
    if language not in LANGUAGES:
        raise click.ClickException(f"Unknown language {language}.")
    found = ReportFilter(
        unit_id=unit.id,
        cohort=cohort.strip(),
        tier=tier,
        status=status or "",
        sex=sex or "",
        disability=disability or "",
        date_from=date_from.date() if date_from else None,
        date_to=date_to.date() if date_to else None,
    )
    problem = contradiction(found)  # the same checks as the page's form
    if problem:
        raise click.ClickException(problem)
    partial = out.with_name(out.name + ".part")
    try:
        with current_app.test_request_context(), force_locale(language):
            record = exports.start_record(None, unit, fmt, found)
            with partial.open("wb") as file:
                if fmt == "pdf":
                    from lms.reports.filters import describe
                    from lms.reports.summary import summary_pdf

                    pdf, rows = summary_pdf(found, unit, describe(found, unit))
                    file.write(pdf)
                else:
                    counter = exports.Counter()
                    for chunk in exports.completion_chunks(
                        fmt, found, unit, completion.report_quizzes(), language, counter
                    ):
                        file.write(chunk)
                    rows = counter.rows
            partial.replace(out)  # the file appears whole, or not at all
            exports.finish_record(record.id, rows)
    finally:
        partial.unlink(missing_ok=True)
    click.echo(f"{rows} rows written to {out}.")
