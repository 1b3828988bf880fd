"""Dates on certificates, formatted per locale by Babel; Thai ones optionally in the Buddhist
era (Babel formats Gregorian years only)."""

from __future__ import annotations

import re
from datetime import date

from babel import Locale
from babel.dates import format_date

BABEL_LOCALES = {"en": "en_GB", "zh": "zh_Hans_CN", "fil": "fil_PH"}
BUDDHIST_ERA_OFFSET = 543


def babel_locale(language: str) -> Locale:
    return Locale.parse(BABEL_LOCALES.get(language, language))


def certificate_date(day: date, language: str, *, buddhist_era: bool = False) -> str:
    """``day`` in the long form of ``language``; with ``buddhist_era`` (Thai), the year is
    counted from the Buddhist era (2026 CE is 2569 BE) and marked พ.ศ."""
    locale = babel_locale(language)
    if not (buddhist_era and language == "th"):
        return format_date(day, "long", locale=locale)
    pattern = locale.date_formats["long"].pattern
    # Outside quoted literals: the era (G...) becomes พ.ศ., the year (y...) the BE year.
    parts = re.split(r"('[^']*')", pattern)
    year = str(day.year + BUDDHIST_ERA_OFFSET)
    for index, part in enumerate(parts):
        if part.startswith("'"):
            continue
        part = re.sub(r"G+", "'พ.ศ.'", part)
        parts[index] = re.sub(r"y+", f"'{year}'", part)
    pattern = "".join(parts)
    if "พ.ศ." not in pattern:
        pattern = pattern.replace(f"'{year}'", f"'พ.ศ. {year}'")
    return format_date(day, pattern, locale=locale)
