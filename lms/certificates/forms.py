"""Forms: choosing a certificate's language, revoking one, typing a code to verify."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, StringField, TextAreaField

from lms.accounts.forms import REQUIRED, at_most
from lms.i18n import LANGUAGES, html_lang


class DownloadForm(FlaskForm):
    language = SelectField(
        _l("Language of the certificate"),
        choices=[
            SelectChoice(code, name, render_kw={"lang": html_lang(code)})
            for code, name in LANGUAGES.items()
        ],
        default="en",
    )
    bilingual = BooleanField(_l("Add English beside it"))
    buddhist_era = BooleanField(_l("Thai: year of the Buddhist era"), default=True)


class RevokeForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[REQUIRED, at_most(2000)])


class VerifyForm(FlaskForm):
    code = StringField(
        _l("Verification code"),
        validators=[REQUIRED, at_most(40)],
        description=_l("As printed on the certificate, for example BCDF-GHJK-MNPQ."),
    )
