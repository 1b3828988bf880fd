"""Certificates: the counsellor's downloads, public verification, revocation by admins, the
cohort ZIP, and the issuers admins set per country."""

from __future__ import annotations

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.accounts.auth import get_user_in_scope_or_404, roles_required
from lms.accounts.forms import ConfirmForm
from lms.accounts.models import Role, User
from lms.accounts.users import in_scope
from lms.certificates import issuing
from lms.certificates.batch import cohort_zip
from lms.certificates.forms import DownloadForm, RevokeForm, VerifyForm
from lms.certificates.issuing import CertificateRefused, formatted_code
from lms.certificates.models import Certificate
from lms.certificates.render import pdf_name, render_certificate
from lms.extensions import db, limiter
from lms.i18n import LANGUAGES
from lms.logs import audit
from lms.training import cohorts as cohort_rules
from lms.training.models import Cohort

bp = Blueprint("certificates", __name__, template_folder="templates")


@bp.app_context_processor
def _certificate_globals() -> dict:
    from lms.certificates.fonts import script_of

    return {"name_lang": script_of}


def _verify_limit() -> str:
    return current_app.config["VERIFY_RATE_LIMIT"]


def get_certificate_or_404(certificate_id: int) -> Certificate:
    """The holder's own certificate, or one of a person in the admin's scope; else 404."""
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or not (
        certificate.user_id == current_user.id
        or (current_user.is_admin and in_scope(current_user, certificate.user))
    ):
        abort(404)
    return certificate


@bp.get("/certificates")
@login_required
def mine() -> str:
    # Completions recorded before certificates existed get theirs now (idempotent).
    if issuing.issue_due(current_user):
        db.session.commit()
    certificates = issuing.user_certificates(current_user.id)
    form = DownloadForm(formdata=None, language=current_user.preferred_language or "en")
    return render_template(
        "certificates/mine.html",
        certificates=certificates,
        form=form,
        formatted_code=formatted_code,
    )


@bp.get("/certificates/<int:certificate_id>.pdf")
@login_required
def download(certificate_id: int) -> Response:
    certificate = get_certificate_or_404(certificate_id)
    form = DownloadForm(request.args, meta={"csrf": False})
    if not form.validate():
        abort(400)
    language = form.language.data
    pdf = render_certificate(
        certificate,
        language,
        bilingual=form.bilingual.data,
        buddhist_era=form.buddhist_era.data and language == "th",
    )
    audit("certificate downloaded", certificate=certificate.id, language=language)
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{pdf_name(certificate, language)}"'},
    )


# -- verification (public) --------------------------------------------------------------------
def _public_view(certificate: Certificate | None) -> dict:
    """What anyone may know: no more than the certificate itself shows."""
    if certificate is None:
        return {"status": "unknown"}
    found = {
        "status": "valid" if certificate.is_valid else "revoked",
        "code": formatted_code(certificate.code),
        "serial": certificate.serial,
        "name": certificate.holder_name,
        "award": "programme" if certificate.is_programme else f"tier-{certificate.award}",
        "completed_on": certificate.completed_on.isoformat(),
        "issuer": certificate.issuer.get("name", {}),
    }
    if not certificate.is_valid:
        found["revoked_on"] = certificate.revoked_dt.date().isoformat()
    return found


@bp.route("/verify", methods=["GET"])
@limiter.limit(_verify_limit)
def verify_form() -> str | Response:
    form = VerifyForm(request.args, meta={"csrf": False})
    if request.args and form.validate():
        return redirect(url_for("certificates.verify", code=issuing.normalise_code(form.code.data)))
    return render_template("certificates/verify.html", form=form, result=None)


@bp.get("/v/<code>")  # the short form printed on certificates
@bp.get("/V/<code>")  # the same in capitals, as QR codes hold it (see qr.alphanumeric_url)
@bp.get("/verify/<code>")  # registered first: the address url_for builds
@limiter.limit(_verify_limit)
def verify(code: str) -> str | Response | tuple:
    certificate = issuing.find(code)
    result = _public_view(certificate)
    status = 404 if certificate is None else 200
    if request.accept_mimetypes.best == "application/json":
        response = jsonify(result)
    else:
        form = VerifyForm(formdata=None, code=code)
        response = current_app.make_response(
            render_template(
                "certificates/verify.html", form=form, result=result, certificate=certificate
            )
        )
    response.status_code = status
    # One URL, two formats; and a revocation must show at once: no shared caching.
    response.vary.add("Accept")
    response.headers["Cache-Control"] = "no-store"
    return response


# -- admins -----------------------------------------------------------------------------------
@bp.get("/admin/users/<int:user_id>/certificates")
@roles_required(Role.ADMIN)
def person_certificates(user_id: int) -> str:
    person = get_user_in_scope_or_404(user_id)
    certificates = issuing.user_certificates(person.id)
    return render_template(
        "certificates/admin_person.html",
        person=person,
        certificates=certificates,
        valid_awards={c.award for c in certificates if c.is_valid},
        form=RevokeForm(),
        confirm=ConfirmForm(),
        formatted_code=formatted_code,
    )


def _admin_certificate(certificate_id: int) -> Certificate:
    if not current_user.is_admin:
        abort(403)
    certificate = get_certificate_or_404(certificate_id)
    if certificate.user_id == current_user.id:
        abort(403)  # nobody revokes their own
    return certificate


@bp.post("/certificates/<int:certificate_id>/revoke")
@login_required
def revoke(certificate_id: int) -> Response:
    certificate = _admin_certificate(certificate_id)
    form = RevokeForm()
    if form.validate_on_submit():
        try:
            issuing.revoke(certificate, current_user, form.reason.data or "")
        except CertificateRefused as refusal:
            db.session.rollback()
            flash(str(refusal), "error")
        else:
            db.session.commit()
            audit("certificate revoked", certificate=certificate.id)
            flash(_("The certificate is revoked; its verification page says so."), "success")
    else:
        flash(_("Give the reason for revoking it."), "error")
    return redirect(url_for("certificates.person_certificates", user_id=certificate.user_id))


@bp.post("/certificates/<int:certificate_id>/reissue")
@login_required
def reissue(certificate_id: int) -> Response:
    certificate = _admin_certificate(certificate_id)
    if ConfirmForm().validate_on_submit():
        try:
            new = issuing.reissue(certificate)
        except CertificateRefused as refusal:
            db.session.rollback()
            flash(str(refusal), "error")
        else:
            db.session.commit()
            audit("certificate reissued", certificate=new.id, replaces=certificate.id)
            flash(_("A new certificate is issued, with a new code."), "success")
    return redirect(url_for("certificates.person_certificates", user_id=certificate.user_id))


@bp.get("/cohorts/<int:cohort_id>/certificates.zip")
@login_required
def cohort_certificates(cohort_id: int) -> Response:
    """Every valid certificate of the cohort's counsellors for its tier, streamed as a ZIP."""
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or not cohort_rules.may_view(current_user, cohort):
        abort(404)
    if not cohort_rules.may_manage(current_user, cohort):
        abort(403)
    language = request.args.get("language", "en")
    if language not in LANGUAGES:
        abort(400)
    # Only the members this admin manages (a higher admin may have added others).
    people = [m.id for m in cohort_rules.members(cohort.id) if in_scope(current_user, m)]
    certificates = list(
        db.session.scalars(
            sa.select(Certificate)
            .join(User, User.id == Certificate.user_id)
            .where(
                Certificate.user_id.in_(people),
                Certificate.award == cohort.tier_number,
                Certificate.revoked_dt.is_(None),
            )
            .order_by(User.display_name, Certificate.id)
        )
    )
    audit("cohort certificates downloaded", cohort=cohort.id, count=len(certificates))
    stream = cohort_zip(certificates, language, workers=current_app.config["CERTIFICATE_WORKERS"])
    return Response(
        stream_with_context(stream),
        mimetype="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="cohort-{cohort.id}-{language}.zip"'
        },
    )


from lms.certificates import issuer_admin as _issuer_admin  # noqa: E402, F401  (adds its routes)
