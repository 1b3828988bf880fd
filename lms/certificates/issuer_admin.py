"""Admins set, per country, who issues its counsellors' certificates: the organisation's
name (in English and the country's language), its logo and up to two signatories."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.wrappers import Response
from wtforms import BooleanField, StringField

from lms.accounts.auth import roles_required
from lms.accounts.forms import REQUIRED, at_most
from lms.accounts.models import OrgUnit, Role, UnitKind, utcnow
from lms.accounts.units import units_in_scope
from lms.certificates.issuers import DEFAULT_ISSUERS, issuer_row
from lms.certificates.logos import MAX_LOGO_BYTES, prepared_logo
from lms.certificates.models import Issuer
from lms.certificates.views import bp
from lms.database import insert_or_ignore
from lms.extensions import db
from lms.logs import audit

# The language a country's certificates are mostly issued in, beside English.
COUNTRY_LANGUAGE = {
    "ID": "id",
    "MY": "ms",
    "KH": "km",
    "TH": "th",
    "VN": "vi",
    "PH": "fil",
    "LA": "lo",
    "MM": "my",
    "CN": "zh",
    "SG": "en",
    "BN": "ms",
    "TL": "en",
}
SIGNATORIES = 2


class IssuerForm(FlaskForm):
    name_en = StringField(
        _l("Name of the organisation, in English"), validators=[REQUIRED, at_most(200)]
    )
    name_local = StringField(
        _l("Name of the organisation, in the country's language"), validators=[at_most(200)]
    )
    logo = FileField(_l("Logo (PNG or JPEG, at most 300 KB)"))
    remove_logo = BooleanField(_l("Remove the logo"))
    signatory_1_name = StringField(_l("First signatory: name"), validators=[at_most(200)])
    signatory_1_title_en = StringField(
        _l("First signatory: title, in English"), validators=[at_most(200)]
    )
    signatory_1_title_local = StringField(
        _l("First signatory: title, in the country's language"), validators=[at_most(200)]
    )
    signatory_2_name = StringField(_l("Second signatory: name"), validators=[at_most(200)])
    signatory_2_title_en = StringField(
        _l("Second signatory: title, in English"), validators=[at_most(200)]
    )
    signatory_2_title_local = StringField(
        _l("Second signatory: title, in the country's language"), validators=[at_most(200)]
    )


def _countries() -> list[OrgUnit]:
    """The countries an admin sets issuers for: in their scope, or the one above them."""
    units = units_in_scope(current_user.org_unit)
    countries = [u for u in units if u.kind == UnitKind.COUNTRY]
    return countries


@bp.get("/admin/issuers")
@roles_required(Role.ADMIN)
def issuers() -> str:
    countries = _countries()
    found = {
        row.org_unit_id: row
        for row in db.session.scalars(
            sa.select(Issuer)
            .where(Issuer.org_unit_id.in_([c.id for c in countries]))
            .options(sa.orm.defer(Issuer.logo))
        )
    }
    rows = [(country, found.get(country.id)) for country in countries]
    return render_template("certificates/issuers.html", rows=rows, defaults=DEFAULT_ISSUERS)


@bp.route("/admin/issuers/<int:unit_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_issuer(unit_id: int) -> str | Response:
    country = next((c for c in _countries() if c.id == unit_id), None)
    if country is None:
        abort(404)
    row = issuer_row(country)
    language = COUNTRY_LANGUAGE.get(country.code, "en")
    form = IssuerForm()
    if not form.is_submitted():
        names = row.name if row else DEFAULT_ISSUERS.get(country.code, {})
        form.name_en.data = names.get("en", "")
        form.name_local.data = names.get(language, "") if language != "en" else ""
        for index, person in enumerate((row.signatories if row else [])[:SIGNATORIES], start=1):
            getattr(form, f"signatory_{index}_name").data = person.get("name", "")
            getattr(form, f"signatory_{index}_title_en").data = person.get("title", {}).get(
                "en", ""
            )
            getattr(form, f"signatory_{index}_title_local").data = person.get("title", {}).get(
                language, ""
            )
    if form.validate_on_submit():
        upload = form.logo.data.read(MAX_LOGO_BYTES + 1) if form.logo.data else b""
        logo = prepared_logo(upload) if upload else None
        if upload and logo is None:
            form.logo.errors = [_("Upload a PNG or JPEG image of at most 300 KB.")]
        else:
            if row is None:
                # Two admins saving a new issuer at once: the second finds the first's row.
                insert_or_ignore(Issuer, org_unit_id=country.id, name={}, signatories=[])
                row = issuer_row(country)
            name = {"en": form.name_en.data.strip()}
            if language != "en" and (form.name_local.data or "").strip():
                name[language] = form.name_local.data.strip()
            signatories = []
            for index in range(1, SIGNATORIES + 1):
                person = (getattr(form, f"signatory_{index}_name").data or "").strip()
                if not person:
                    continue
                title = {"en": (getattr(form, f"signatory_{index}_title_en").data or "").strip()}
                local = (getattr(form, f"signatory_{index}_title_local").data or "").strip()
                if local and language != "en":
                    title[language] = local
                signatories.append({"name": person, "title": title})
            row.name, row.signatories = name, signatories
            if logo:
                row.logo, row.logo_type = logo.data, logo.mime_type
            elif form.remove_logo.data:
                row.logo, row.logo_type = None, None
            row.updated_dt, row.updated_by_id = utcnow(), current_user.id
            db.session.commit()
            audit("issuer updated", unit=country.code)
            flash(_("Saved. Certificates issued from now on say this."), "success")
            return redirect(url_for("certificates.edit_issuer", unit_id=country.id))
    return render_template(
        "certificates/issuer_form.html", form=form, country=country, row=row, language=language
    ), (422 if form.errors else 200)


@bp.get("/admin/issuers/<int:unit_id>/logo")
@roles_required(Role.ADMIN)
def issuer_logo(unit_id: int) -> Response:
    country = next((c for c in _countries() if c.id == unit_id), None)
    row = issuer_row(country) if country else None
    if row is None or not row.logo:
        abort(404)
    return Response(row.logo, mimetype=row.logo_type)
