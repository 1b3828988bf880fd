"""Signing in and out, invitation and reset links, and a person's own profile."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from lms.accounts.auth import is_safe_next
from lms.accounts.forms import (
    ChangePasswordForm,
    LoginForm,
    NewPasswordForm,
    ProfileForm,
    RequestResetForm,
)
from lms.accounts.invitations import mail_reset_link
from lms.accounts.labels import disability_from_value, disability_value
from lms.accounts.links import LinkError, LinkProblem, check_link, use_link
from lms.accounts.models import Sex, TokenPurpose
from lms.accounts.passwords import verify_password
from lms.accounts.users import authenticate, set_password, user_by_email
from lms.extensions import db, limiter

bp = Blueprint("auth", __name__, template_folder="templates")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_limit() -> str:
    return current_app.config["ACCOUNT_RATE_LIMIT"]


def _reset_limit() -> str:
    return current_app.config["RESET_RATE_LIMIT"]


def _account_key(prefix: str):  # type: ignore[no-untyped-def]
    return lambda: prefix + request.form.get("email", "").strip().lower()


def _failed(response: Response) -> bool:
    """A failed sign-in shows the form again (200); a successful one redirects."""
    return response.status_code == 200


@bp.route("/login", methods=["GET", "POST"])
# Per address: every attempt counts. Per account: only failures, so that somebody else's
# guessing slows the guesser down without locking the owner out for long.
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(
    _account_limit, methods=["POST"], key_func=_account_key("login:"), deduct_when=_failed
)
def login() -> str | Response:
    next_url = request.values.get("next")
    if current_user.is_authenticated:
        return redirect(next_url if is_safe_next(next_url) else url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is None:
            # One message whatever was wrong, so the page does not tell who has an account.
            flash(_("The email address or password is not correct."), "error")
        else:
            db.session.commit()
            login_user(user, remember=form.remember.data)
            return redirect(next_url if is_safe_next(next_url) else url_for("main.home"))
    return render_template("accounts/login.html", form=form, next_url=next_url)


@bp.post("/logout")
@login_required
def logout() -> Response:
    logout_user()
    session.pop("pending_answers", None)  # kept quiz answers stay with the person, not the device
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


def _link_problem_page(problem: LinkProblem) -> tuple[str, int]:
    """A tampered link is not found (404); an expired or used one is gone (410)."""
    message = {
        LinkProblem.INVALID: _("This link is not valid. Check that you copied all of it."),
        LinkProblem.EXPIRED: _("This link has expired. Ask your administrator for a new one."),
        LinkProblem.USED: _("This link has already been used. Sign in, or ask for a new link."),
    }[problem]
    status = 404 if problem == LinkProblem.INVALID else 410
    return render_template("accounts/link_problem.html", message=message), status


def _password_from_link(purpose: TokenPurpose, token: str, template: str) -> str | Response:
    try:
        link = check_link(token, purpose)
    except LinkError as error:
        return _link_problem_page(error.problem)
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            user = use_link(token, purpose)
        except LinkError as error:
            return _link_problem_page(error.problem)
        set_password(user, form.password.data)
        db.session.commit()
        login_user(user)
        flash(_("Your password is set. Welcome to Tangga."), "success")
        return redirect(url_for("main.home"))
    return render_template(template, form=form, person=link.user)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str) -> str | Response:
    if current_user.is_authenticated:
        logout_user()
    return _password_from_link(TokenPurpose.INVITATION, token, "accounts/accept_invitation.html")


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> str | Response:
    if current_user.is_authenticated:
        logout_user()
    return _password_from_link(TokenPurpose.PASSWORD_RESET, token, "accounts/reset_password.html")


@bp.route("/reset-password", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_reset_limit, methods=["POST"], key_func=_account_key("reset:"))
def request_reset() -> str | Response:
    form = RequestResetForm()
    if form.validate_on_submit():
        user = user_by_email(form.email.data)
        if user is not None:
            mail_reset_link(user)
            db.session.commit()
        # The same answer whether or not the account exists.
        flash(
            _(
                "If an account uses this address, a link to reset the password is on its way. "
                "If no message arrives, ask your administrator for a reset link."
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("accounts/request_reset.html", form=form)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile() -> str | Response:
    form = _profile_form()
    if form.validate_on_submit():
        current_user.display_name = form.display_name.data.strip()
        current_user.preferred_language = form.preferred_language.data
        current_user.sex = Sex(form.sex.data).value
        current_user.has_disability = disability_from_value(form.has_disability.data)
        db.session.commit()
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("auth.profile"))
    return render_template("accounts/profile.html", form=form, password_form=ChangePasswordForm())


@bp.post("/profile/password")
@login_required
def change_password() -> str | Response:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors.append(_("This is not your current password."))
        else:
            user = current_user._get_current_object()  # the user, not the proxy to it
            set_password(user, form.password.data)
            db.session.commit()
            login_user(user)  # the cookie carries the new session token
            flash(_("Your password is changed. Other devices are signed out."), "success")
            return redirect(url_for("auth.profile"))
    return render_template("accounts/profile.html", form=_profile_form(), password_form=form), 400


def _profile_form() -> ProfileForm:
    return ProfileForm(
        data={
            "display_name": current_user.display_name,
            "preferred_language": current_user.preferred_language or "en",
            "sex": current_user.sex,
            "has_disability": disability_value(current_user.has_disability),
        }
    )
