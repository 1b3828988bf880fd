"""The ``flask lms`` commands."""

from __future__ import annotations

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
@with_appcontext
def demo() -> None:
    """Load demo organisation units and people (refused in production)."""
    from lms.demo import DEMO_PASSWORD, PEOPLE, SHOWN_LOGINS, load_demo

    if current_app.config["LMS_ENV"] == "production":
        raise click.ClickException("The demo data is not for production (LMS_ENV=production).")
    created = load_demo()
    db.session.commit()
    click.echo(f"Demo data: {created} people created." if created else "Demo data: already loaded.")
    roles = {person.email: person.role.value for person in PEOPLE}
    click.echo(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
    for email in SHOWN_LOGINS:
        click.echo(f"  {roles[email]:<11} {email}")
    click.echo("  ... and every other address in lms/demo.py\n")


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
