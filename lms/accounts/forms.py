"""Forms for signing in, passwords, profiles and user administration."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import Email, EqualTo, InputRequired, Length, ValidationError

from lms.accounts.labels import DISABILITY_LABELS, ROLE_LABELS, SEX_LABELS
from lms.accounts.passwords import MIN_LENGTH
from lms.accounts.zawgyi import ZAWGYI_MESSAGE, is_zawgyi
from lms.i18n import LANGUAGES, html_lang

# WTForms' own messages are not translated into every language we serve: say them ourselves.
REQUIRED = InputRequired(message=_l("This field is required."))


def at_most(characters: int) -> Length:
    return Length(max=characters, message=_l("Use at most %(max)d characters.", max=characters))


def unicode_burmese(_form: Any, field: Any) -> None:
    """Refuse Burmese typed in the Zawgyi encoding, asking for Unicode."""
    if field.data and is_zawgyi(field.data):
        raise ValidationError(str(ZAWGYI_MESSAGE))


def _choices(labels: dict[str, Any]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in labels.items()]


def _language_choices() -> list[SelectChoice]:
    # Each language's name is written in that language: mark it so it is read and drawn right.
    return [
        SelectChoice(code, name, render_kw={"lang": html_lang(code)})
        for code, name in LANGUAGES.items()
    ]


class LoginForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[REQUIRED, at_most(254)])
    password = PasswordField(_l("Password"), validators=[REQUIRED, at_most(1024)])
    remember = BooleanField(_l("Keep me signed in on this device"))


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[
            REQUIRED,
            Length(min=MIN_LENGTH, message=_l("Use at least %(min)d characters.", min=MIN_LENGTH)),
            at_most(1024),
        ],
        description=_l("At least %(min)d characters.", min=MIN_LENGTH),
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[REQUIRED, EqualTo("password", message=_l("The passwords differ."))],
    )


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(_l("Current password"), validators=[REQUIRED, at_most(1024)])


class RequestResetForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[REQUIRED, at_most(254)])


class ProfileForm(FlaskForm):
    display_name = StringField(
        _l("Your name"),
        validators=[REQUIRED, at_most(200), unicode_burmese],
        description=_l("As you write it, in any script. It appears on your certificates."),
    )
    preferred_language = SelectField(_l("Language"), choices=_language_choices())
    sex = RadioField(
        _l("Sex"),
        choices=_choices(SEX_LABELS),
        default="prefer_not_to_say",
        description=_l("Used only for reports that count people; never shown to colleagues."),
    )
    has_disability = RadioField(
        _l("Do you have a disability?"),
        choices=_choices(DISABILITY_LABELS),
        default="",
        validate_choice=True,
        description=_l(
            "Optional. Used only for reports that count people; never shown to colleagues."
        ),
    )


class UserForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        validators=[
            REQUIRED,
            at_most(254),
            Email(message=_l("Enter a valid email address.")),
        ],
    )
    display_name = StringField(_l("Name"), validators=[REQUIRED, at_most(200), unicode_burmese])
    role = SelectField(_l("Role"), choices=_choices(ROLE_LABELS))
    org_unit = SelectField(_l("Organisation unit"), coerce=int)
    preferred_language = SelectField(
        _l("Language"), choices=[SelectChoice("", _l("Not chosen")), *_language_choices()]
    )
    sex = SelectField(_l("Sex"), choices=_choices(SEX_LABELS), default="prefer_not_to_say")
    has_disability = SelectField(_l("Disability"), choices=_choices(DISABILITY_LABELS))


class ImportUsersForm(FlaskForm):
    file = FileField(
        _l("CSV file"),
        validators=[FileRequired(message=_l("Choose a CSV file."))],
        description=_l("UTF-8 text with a header row."),
    )


class UnitForm(FlaskForm):
    parent = SelectField(_l("Part of"), coerce=int)
    code = StringField(
        _l("Code"),
        validators=[REQUIRED, at_most(32)],
        description=_l("A short unique code, for example ID-JB for West Java."),
    )
    name = StringField(_l("Name"), validators=[REQUIRED, at_most(200)])


class ConfirmForm(FlaskForm):
    """A form with only the CSRF token, for buttons that change something."""
