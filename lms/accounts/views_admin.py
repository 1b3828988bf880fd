"""User and organisation administration, always within the admin's scope."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from lms.accounts.auth import get_user_in_scope_or_404, roles_required
from lms.accounts.csv_import import (
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    ImportResult,
    RowError,
    import_users,
)
from lms.accounts.forms import ConfirmForm, ImportUsersForm, UnitForm, UserForm
from lms.accounts.invitations import invite, password_reset_link
from lms.accounts.labels import disability_from_value, disability_value
from lms.accounts.models import CHILD_KINDS, OrgUnit, Role, Sex, UnitKind, User
from lms.accounts.units import UnitError, create_unit, subtree_ids, units_in_scope
from lms.accounts.users import (
    Profile,
    Refusal,
    check_profile,
    create_user,
    deactivate,
    email_taken_message,
    reactivate,
    update_user,
    users_in_scope,
)
from lms.extensions import db
from lms.logs import audit
from lms.templating import unit_label

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")


def _unit_choices(units: list[OrgUnit]) -> list[SelectChoice]:
    base = min((unit.depth for unit in units), default=0)
    return [
        SelectChoice(unit.id, "\u2003" * (unit.depth - base) + unit_label(unit)) for unit in units
    ]


def _user_form(user: User | None = None) -> UserForm:
    data = None
    if user is not None:
        data = {
            "email": user.email,
            "display_name": user.display_name,
            "role": user.role,
            "org_unit": user.org_unit_id,
            "preferred_language": user.preferred_language or "",
            "sex": user.sex,
            "has_disability": disability_value(user.has_disability),
        }
    form = UserForm(data=data)
    form.org_unit.choices = _unit_choices(units_in_scope(current_user.org_unit))
    return form


def _refused(form: UserForm, refusal: Refusal | None) -> bool:
    """Show a refusal on its field; say whether there was one."""
    if refusal is not None:
        getattr(form, refusal.field).errors.append(refusal.message)
    return refusal is not None


def _profile_from(form: UserForm) -> Profile:
    unit = db.session.get(OrgUnit, form.org_unit.data)
    return Profile(
        email=form.email.data,
        display_name=form.display_name.data,
        role=Role(form.role.data),
        org_unit=unit,
        preferred_language=form.preferred_language.data or None,
        sex=Sex(form.sex.data),
        has_disability=disability_from_value(form.has_disability.data),
    )


@bp.get("/users")
@roles_required(Role.ADMIN)
def users() -> str:
    search = request.args.get("q", "")[:100]
    role = request.args.get("role", "")
    page = db.paginate(
        users_in_scope(current_user, search, role),
        per_page=current_app.config["USERS_PER_PAGE"],
        error_out=False,
        count=True,
    )
    return render_template("accounts/admin/users.html", page=page, search=search, role=role)


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new_user() -> str | Response:
    form = _user_form()
    if form.validate_on_submit():
        profile = _profile_from(form)
        if not _refused(form, check_profile(current_user, profile)):
            try:
                user = create_user(profile)
                link = invite(user, invited_by=current_user)
                db.session.commit()
                audit("user.created", user=user.id, role=user.role, unit=user.org_unit_id)
            except sa.exc.IntegrityError:  # the same email, saved a moment ago by someone else
                db.session.rollback()
                form.email.errors.append(email_taken_message())
            else:
                flash(_("The account is created."), "success")
                return render_template("accounts/admin/user_link.html", user=user, link=link)
    return render_template("accounts/admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_user(user_id: int) -> str | Response:
    user = get_user_in_scope_or_404(user_id)
    form = _user_form(user)
    if form.validate_on_submit():
        profile = _profile_from(form)
        if not _refused(form, check_profile(current_user, profile, user)):
            try:
                update_user(user, profile)
                db.session.commit()
                audit("user.updated", user=user.id, role=user.role, unit=user.org_unit_id)
            except sa.exc.IntegrityError:
                db.session.rollback()
                form.email.errors.append(email_taken_message())
            else:
                flash(_("The changes are saved."), "success")
                return redirect(url_for("admin.edit_user", user_id=user.id))
    return render_template(
        "accounts/admin/user_form.html", form=form, user=user, actions=ConfirmForm()
    )


@bp.post("/users/<int:user_id>/deactivate")
@roles_required(Role.ADMIN)
def deactivate_user(user_id: int) -> Response:
    user = get_user_in_scope_or_404(user_id)
    if ConfirmForm().validate_on_submit():
        if user.id == current_user.id:
            flash(_("You cannot deactivate your own account."), "error")
        else:
            deactivate(user)
            db.session.commit()
            audit("user.deactivated", user=user.id)
            flash(_("The account is deactivated. Its history is kept."), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.post("/users/<int:user_id>/reactivate")
@roles_required(Role.ADMIN)
def reactivate_user(user_id: int) -> Response:
    user = get_user_in_scope_or_404(user_id)
    if ConfirmForm().validate_on_submit():
        reactivate(user)
        db.session.commit()
        audit("user.reactivated", user=user.id)
        flash(_("The account is active again."), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.post("/users/<int:user_id>/link")
@roles_required(Role.ADMIN)
def access_link(user_id: int) -> str | Response:
    """A fresh invitation (no password yet) or password-reset link to pass on."""
    user = get_user_in_scope_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not user.is_enabled:
        flash(_("Reactivate the account first."), "error")
        return redirect(url_for("admin.edit_user", user_id=user.id))
    link = password_reset_link(user, issued_by=current_user)
    db.session.commit()
    audit("user.link_issued", user=user.id, kind="reset" if user.has_password else "invitation")
    return render_template("accounts/admin/user_link.html", user=user, link=link)


@bp.route("/users/import", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def import_users_view() -> str | Response:
    form = ImportUsersForm()
    columns = {"required": REQUIRED_COLUMNS, "optional": OPTIONAL_COLUMNS}
    if form.validate_on_submit():
        try:
            result = import_users(form.file.data.read(), current_user)
            if result.ok:
                db.session.commit()
                audit("users.imported", count=len(result.created))
        except sa.exc.IntegrityError:  # someone added one of these people meanwhile
            db.session.rollback()
            result = ImportResult(errors=[RowError(0, "email", email_taken_message())])
        if not result.ok:
            db.session.rollback()
            return render_template(
                "accounts/admin/import.html", form=form, columns=columns, errors=result.errors
            ), 422
        return render_template("accounts/admin/import_done.html", created=result.created)
    return render_template("accounts/admin/import.html", form=form, columns=columns, errors=[])


@bp.route("/units", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def units() -> str | Response:
    in_scope = units_in_scope(current_user.org_unit)
    form = UnitForm()
    form.parent.choices = _unit_choices([u for u in in_scope if CHILD_KINDS[UnitKind(u.kind)]])
    if form.validate_on_submit():
        parent = next(u for u in in_scope if u.id == form.parent.data)
        try:
            unit = create_unit(
                form.code.data, form.name.data, CHILD_KINDS[UnitKind(parent.kind)][0], parent
            )
            db.session.commit()
        except UnitError as error:
            db.session.rollback()
            form.code.errors.append(str(error))
        except sa.exc.IntegrityError:  # the same code, added a moment ago by someone else
            db.session.rollback()
            form.code.errors.append(str(UnitError.code_used(form.code.data)))
        else:
            audit("unit.created", unit=unit.id, code=unit.code)
            flash(_("%(unit)s is added.", unit=unit.name), "success")
            return redirect(url_for("admin.units"))
    counts = dict(
        db.session.execute(
            sa.select(User.org_unit_id, sa.func.count())
            .where(User.org_unit_id.in_(subtree_ids(current_user.org_unit)))
            .group_by(User.org_unit_id)
        ).all()
    )
    return render_template("accounts/admin/units.html", units=in_scope, counts=counts, form=form)
