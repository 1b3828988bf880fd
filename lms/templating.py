"""What every template can use: languages, labels, and names of organisation units."""

from __future__ import annotations

from typing import Any

from babel import Locale
from flask import Flask, request
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from lms.accounts.labels import DISABILITY_LABELS, ROLE_LABELS, SEX_LABELS, UNIT_KIND_LABELS
from lms.accounts.models import OrgUnit, UnitKind
from lms.curriculum.render import localise
from lms.i18n import LANGUAGES, html_lang


def unit_label(unit: OrgUnit) -> str:
    """A unit's name for the reader: countries in the reader's language (from CLDR), except
    in English, where the names ASEAN itself uses ("Viet Nam", "Lao PDR") are the stored ones."""
    if unit.kind == UnitKind.REGION:
        return _("ASEAN and partners")
    locale = get_locale() or Locale("en")
    if unit.kind == UnitKind.COUNTRY and locale.language != "en":
        return locale.territories.get(unit.code, unit.name)
    return unit.name


def course_text(texts: dict[str, str] | None) -> Markup:
    """A course text in the reader's language, or marked as English when it is not translated
    yet (so screen readers and fonts treat it as English)."""
    chosen = localise(texts or {}, str(get_locale() or "en"))
    if chosen.is_fallback:
        return Markup('<span lang="en">{}</span>').format(chosen.text)
    return Markup("{}").format(chosen.text)


def course_markdown(texts: dict[str, str] | None) -> Markup:
    """A Markdown course text (no images) in the reader's language, rendered and cleaned, with
    a note when it falls back to English."""
    from lms.curriculum.render import render_markdown

    chosen = localise(texts or {}, str(get_locale() or "en"))
    html = render_markdown(chosen.text, "")
    if chosen.is_fallback:
        note = _("Not yet translated into your language: shown in English.")
        return Markup('<p class="hint">{}</p><div lang="en">{}</div>').format(note, html)
    return html


def register(app: Flask) -> None:
    app.add_template_filter(course_text, "ct")
    app.add_template_filter(course_markdown, "md")

    @app.context_processor
    def _globals() -> dict[str, Any]:
        locale = str(get_locale() or "en")
        return {
            "LANGUAGES": LANGUAGES,
            "ROLE_LABELS": ROLE_LABELS,
            "SEX_LABELS": SEX_LABELS,
            "DISABILITY_LABELS": DISABILITY_LABELS,
            "UNIT_KIND_LABELS": UNIT_KIND_LABELS,
            "current_language": locale,
            "html_lang": html_lang(locale),
            "lang_tag": html_lang,
            "text_direction": "ltr",
            "unit_label": unit_label,
            "current_path": request.full_path.rstrip("?") if request else "/",
        }
