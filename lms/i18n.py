"""Languages of the interface, and how a request's language is chosen."""

from __future__ import annotations

from flask import has_request_context, request, session
from flask_login import current_user

# Code -> the language's name in its own script, in the order the switcher shows them.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "id": "Bahasa Indonesia",
    "ms": "Bahasa Melayu",
    "fil": "Filipino",
    "vi": "Tiếng Việt",
    "th": "ไทย",
    "km": "ខ្មែរ",
    "lo": "ລາວ",
    "my": "မြန်မာ",
    "zh": "中文（简体）",
}

# The BCP 47 tag for the HTML lang attribute, where it differs from the catalog's code:
# browsers and fonts pick Japanese glyph shapes for plain "zh" unless told Simplified.
HTML_LANG = {"zh": "zh-Hans"}

SESSION_KEY = "language"


def html_lang(code: str) -> str:
    return HTML_LANG.get(code, code)


def is_supported(code: str | None) -> bool:
    return code in LANGUAGES


def select_locale() -> str | None:
    """The user's saved preference, then the session's choice, then Accept-Language, then English.

    Outside a request (commands, background work) None: Flask-Babel's default, English.
    """
    if not has_request_context():
        return None
    if (
        current_user
        and current_user.is_authenticated
        and is_supported(current_user.preferred_language)
    ):
        return current_user.preferred_language
    chosen = session.get(SESSION_KEY)
    if is_supported(chosen):
        return chosen
    return request.accept_languages.best_match(list(LANGUAGES), default="en") or "en"
