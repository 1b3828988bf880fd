"""What a report covers: the filter, read from a form (the page and the exports share the same
query string) or given by the command."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import DateField, Form, SelectChoice, SelectField, StringField
from wtforms.validators import Optional, ValidationError

from lms.accounts.forms import at_most
from lms.accounts.labels import SEX_LABELS
from lms.accounts.models import OrgUnit
from lms.accounts.units import units_in_scope
from lms.training.forms import DATE_ERROR
from lms.training.labels import TIER_TITLES

STATUSES = ("completed", "in_progress", "not_started")
STATUS_LABELS = {
    "completed": _l("Completed"),
    "in_progress": _l("In progress"),
    "not_started": _l("Not started"),
}
DISABILITY_FILTER_LABELS = {
    "yes": _l("With a disability"),
    "no": _l("Without a disability"),
    "unknown": _l("Not declared"),
}


@dataclass(frozen=True)
class ReportFilter:
    """Which counsellors a report covers.

    ``tier`` with ``status`` keeps those at that status in that tier; ``date_from`` and
    ``date_to`` (inclusive, UTC days) keep those who completed ``tier`` (or, without a tier,
    any tier) in that period. Aggregates count the completions made in that period.
    """

    unit_id: int
    cohort: str = ""  # part of a cohort's name
    tier: int | None = None
    status: str = ""
    sex: str = ""
    disability: str = ""  # "yes", "no" or "unknown"
    date_from: date | None = None
    date_to: date | None = None

    def as_dict(self) -> dict[str, Any]:
        """For the audit record: only what is set, dates as ISO text."""
        return {
            key: value.isoformat() if isinstance(value, date) else value
            for key, value in asdict(self).items()
            if value not in (None, "")
        }

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> ReportFilter:
        """The filter an audit record holds (the inverse of :meth:`as_dict`)."""
        given = dict(values)
        for key in ("date_from", "date_to"):
            if given.get(key):
                given[key] = date.fromisoformat(given[key])
        return cls(**given)

    def query_args(self) -> dict[str, str]:
        """The same filter as URL query arguments (the form's field names)."""
        names = {"unit_id": "unit", "date_from": "from", "date_to": "to"}
        return {names.get(key, key): str(value) for key, value in self.as_dict().items()}


EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)
DATE_RANGE_ERROR = _l("Give a date between 2000 and 2100.")


def contradiction(f: ReportFilter) -> str | None:
    """Why the filter can keep nobody, or None. A period keeps those who completed the tier in
    it, so it cannot go with "in progress" or "not started"; a status needs a tier."""
    if f.status and f.tier is None:
        return str(_l("Choose a tier to filter by status."))
    if f.status in ("in_progress", "not_started") and (f.date_from or f.date_to):
        return str(
            _l(
                "A period keeps those who completed the tier in it: choose the status "
                "Completed, or no period."
            )
        )
    if f.date_from and f.date_to and f.date_to < f.date_from:
        return str(_l("The end of the period cannot be before its start."))
    for day in (f.date_from, f.date_to):
        if day is not None and not EARLIEST <= day <= LATEST:
            return str(DATE_RANGE_ERROR)
    return None


class ReportFilterForm(Form):
    """The filter form: a GET form, so a filtered report has an address that can be shared
    (no CSRF token: it changes nothing)."""

    unit = SelectField(_l("Organisation unit"), coerce=int, validators=[Optional()])
    cohort = StringField(
        _l("Cohort"), validators=[at_most(200)], description=_l("Part of the cohort's name.")
    )
    tier = SelectField(
        _l("Tier"),
        default="",
        description=_l("With a status, or a period of completion."),
        choices=[SelectChoice("", _l("Any tier"))]
        + [SelectChoice(str(n), label) for n, label in TIER_TITLES.items()],
    )
    status = SelectField(
        _l("Status in that tier"),
        default="",
        choices=[SelectChoice("", _l("Any status"))]
        + [SelectChoice(key, label) for key, label in STATUS_LABELS.items()],
    )
    sex = SelectField(
        _l("Sex"),
        default="",
        choices=[SelectChoice("", _l("Anyone"))]
        + [SelectChoice(key, label) for key, label in SEX_LABELS.items()],
    )
    disability = SelectField(
        _l("Disability"),
        default="",
        choices=[SelectChoice("", _l("Anyone"))]
        + [SelectChoice(key, label) for key, label in DISABILITY_FILTER_LABELS.items()],
    )
    date_from = DateField(
        _l("Completed from"),
        validators=[Optional()],
        format="%Y-%m-%d",
        description=_l("Year-month-day."),
    )
    date_to = DateField(
        _l("Completed until"),
        validators=[Optional()],
        format="%Y-%m-%d",
        description=_l("Year-month-day."),
    )

    def validate_status(self, field: SelectField) -> None:
        if field.data and not self.tier.data:
            raise ValidationError(_l("Choose a tier to filter by status."))
        if field.data in ("in_progress", "not_started") and (
            self.date_from.data or self.date_to.data
        ):
            raise ValidationError(
                _l(
                    "A period keeps those who completed the tier in it: choose the status "
                    "Completed, or no period."
                )
            )

    def validate_date_from(self, field: DateField) -> None:
        if field.data and not EARLIEST <= field.data <= LATEST:
            raise ValidationError(DATE_RANGE_ERROR)

    def validate_date_to(self, field: DateField) -> None:
        if field.data and not EARLIEST <= field.data <= LATEST:
            raise ValidationError(DATE_RANGE_ERROR)
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end of the period cannot be before its start."))


def filter_form(args: MultiDict, scope: OrgUnit) -> ReportFilterForm:
    """The form over ``args`` (a request's query string), offering the units of ``scope``."""
    # The query string's names are short ("from", "to"): they are what people share.
    renamed = MultiDict(args)
    for short, field in (("from", "date_from"), ("to", "date_to")):
        if short in renamed:
            renamed.setlist(field, renamed.poplist(short))
    form = ReportFilterForm(renamed)
    form.date_from.name, form.date_to.name = "from", "to"
    form.unit.choices = [
        SelectChoice(unit.id, "\u2002" * unit_depth(unit, scope) + unit_name(unit))
        for unit in units_in_scope(scope)
    ]
    return form


def unit_depth(unit: OrgUnit, scope: OrgUnit) -> int:
    return unit.depth - scope.depth


def unit_name(unit: OrgUnit) -> str:
    from lms.templating import unit_label

    return unit_label(unit)


def _own_messages(form: ReportFilterForm) -> None:
    """WTForms' own messages are English only: say them in the reader's language."""
    for field in form:
        if isinstance(field, DateField):
            mine = DATE_ERROR
        elif field is form.unit:
            mine = _l("Choose a unit within your scope.")
        elif isinstance(field, SelectField):
            mine = _l("Choose one of the options.")
        else:
            continue
        field.errors = [mine if "valid" in str(error) else error for error in field.errors]


def read_filter(form: ReportFilterForm, scope: OrgUnit) -> ReportFilter | None:
    """The filter the form describes, or None when the form has errors (shown beside the
    fields). A unit outside ``scope`` is an error, never a wider report."""
    if not form.validate():
        _own_messages(form)
        return None
    unit_id = form.unit.data or scope.id
    if unit_id not in {choice.value for choice in form.unit.choices}:
        form.unit.errors = [_l("Choose a unit within your scope.")]
        return None
    return ReportFilter(
        unit_id=unit_id,
        cohort=(form.cohort.data or "").strip(),
        tier=int(form.tier.data) if form.tier.data else None,
        status=form.status.data or "",
        sex=form.sex.data or "",
        disability=form.disability.data or "",
        date_from=form.date_from.data,
        date_to=form.date_to.data,
    )


def describe(f: ReportFilter, unit: OrgUnit) -> list[str]:
    """The filter in words, for the page, the PDF and the record of exports."""
    from lms.templating import unit_label

    found = [_("Organisation unit: %(unit)s", unit=unit_label(unit))]
    if f.cohort:
        found.append(_("Cohort name contains: %(text)s", text=f.cohort))
    if f.tier and f.status:
        found.append(f"{TIER_TITLES[f.tier]}: {STATUS_LABELS[f.status]}")
    if f.sex:
        found.append(_("Sex: %(sex)s", sex=SEX_LABELS[f.sex]))
    if f.disability:
        found.append(str(DISABILITY_FILTER_LABELS[f.disability]))
    if f.date_from or f.date_to:
        found.append(
            _(
                "%(tier)s completed between %(start)s and %(end)s",
                tier=TIER_TITLES[f.tier] if f.tier else _("Any tier"),
                start=format_date(f.date_from) if f.date_from else "…",
                end=format_date(f.date_to) if f.date_to else "…",
            )
        )
    return found
