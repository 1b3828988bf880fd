"""Forms for cohorts, sessions, roll-outs, reviews and action plans."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
    widgets,
)
from wtforms.validators import NumberRange, ValidationError

from lms.accounts.forms import REQUIRED, at_most

TIER_LABELS = {
    2: _l("Tier 2: In-Person Training"),
    3: _l("Tier 3: Roll-Out Training"),
    4: _l("Tier 4: Workshops"),
}
DATE_ERROR = _l("Give a date as year-month-day.")
TIME_ERROR = _l("Give a time as hours:minutes.")
NUMBER_ERROR = _l("Give a whole number.")


class CohortForm(FlaskForm):
    tier = SelectField(
        _l("Tier"), coerce=int, choices=[SelectChoice(n, label) for n, label in TIER_LABELS.items()]
    )
    name = StringField(_l("Name"), validators=[REQUIRED, at_most(200)])
    org_unit = SelectField(
        _l("Organisation unit"),
        coerce=int,
        description=_l("Admins of this unit and above manage the cohort."),
    )
    place = StringField(_l("Place"), validators=[at_most(200)])
    timezone = SelectField(
        _l("Time zone"), description=_l("Session times are entered and shown in this zone.")
    )
    starts_on = DateField(_l("First day"), validators=[REQUIRED])
    ends_on = DateField(_l("Last day"), validators=[REQUIRED])

    def validate_ends_on(self, field: DateField) -> None:
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The last day cannot be before the first."))


class AddPeopleForm(FlaskForm):
    emails = TextAreaField(
        _l("Email addresses"),
        validators=[REQUIRED, at_most(20000)],
        description=_l("One per line, or separated by commas."),
    )


class SessionForm(FlaskForm):
    title = StringField(_l("Title"), validators=[REQUIRED, at_most(200)])
    day = DateField(_l("Day"), validators=[REQUIRED])
    time = TimeField(
        _l("Start time"), validators=[REQUIRED], description=_l("In the cohort's time zone.")
    )
    minutes = IntegerField(
        _l("Length in minutes"),
        default=180,
        validators=[
            REQUIRED,
            NumberRange(min=15, max=720, message=_l("Use a number from 15 to 720.")),
        ],
    )
    place = StringField(_l("Place"), validators=[at_most(200)])
    workshop = SelectField(_l("Workshop"), coerce=int, validators=[REQUIRED])


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class RolloutForm(FlaskForm):
    held_on = DateField(_l("Date held"), validators=[REQUIRED])
    place = StringField(_l("Place"), validators=[REQUIRED, at_most(200)])
    topic = StringField(_l("Topic"), validators=[REQUIRED, at_most(200)])
    # Checked by the roll-out rules, which say what is wrong in the reader's language.
    participants = MultiCheckboxField(_l("Participants"), coerce=int, validate_choice=False)
    other_participants = TextAreaField(
        _l("Other colleagues, by email address"),
        validators=[at_most(20000)],
        description=_l("For colleagues in Tangga who are not in the list above."),
    )
    newcomers = TextAreaField(
        _l("Colleagues not yet in Tangga"),
        validators=[at_most(20000)],
        description=_l(
            "One per line: the name, a comma, then the email address. Each gets a counsellor "
            "account in your unit and an invitation link."
        ),
    )


class ReviewForm(FlaskForm):
    comment = TextAreaField(
        _l("Comment"),
        validators=[at_most(4000)],
        description=_l("Required when you return it: say what needs changing."),
    )


class ActionPlanForm(FlaskForm):
    changes = TextAreaField(
        _l("What will you change in your office?"), validators=[REQUIRED, at_most(8000)]
    )
    due_on = DateField(_l("By when?"), validators=[REQUIRED])


def translate_parse_errors(form: FlaskForm) -> None:
    """WTForms' own "Not a valid date value" is English only: say it in the reader's language."""
    for field in form:
        if isinstance(field, TimeField):
            message = TIME_ERROR
        elif isinstance(field, DateField):
            message = DATE_ERROR
        elif isinstance(field, IntegerField):
            message = NUMBER_ERROR
        else:
            continue
        field.errors = [message if "valid" in str(error) else error for error in field.errors]
