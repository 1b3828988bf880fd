"""Translatable names for the values stored in accounts."""

from flask_babel import lazy_gettext as _l

from lms.accounts.models import Role, Sex, UnitKind

ROLE_LABELS = {
    Role.COUNSELLOR.value: _l("Counsellor"),
    Role.TRAINER.value: _l("Trainer"),
    Role.ADMIN.value: _l("Administrator"),
}

SEX_LABELS = {
    Sex.FEMALE.value: _l("Female"),
    Sex.MALE.value: _l("Male"),
    Sex.ANOTHER.value: _l("Another"),
    Sex.UNDISCLOSED.value: _l("Prefer not to say"),
}

# How a self-declared disability is shown: None means the person did not say.
DISABILITY_LABELS = {
    "": _l("Not declared"),
    "yes": _l("Yes"),
    "no": _l("No"),
}

UNIT_KIND_LABELS = {
    UnitKind.REGION.value: _l("Region"),
    UnitKind.COUNTRY.value: _l("Country"),
    UnitKind.PROVINCE.value: _l("Province or region"),
    UnitKind.OFFICE.value: _l("Office"),
}


def disability_value(has_disability: bool | None) -> str:
    return "" if has_disability is None else ("yes" if has_disability else "no")


def disability_from_value(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)
