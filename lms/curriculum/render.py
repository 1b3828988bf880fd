"""Showing course texts: Markdown to safe HTML, and the reader's language with English behind it."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

# Raw HTML in course files is not rendered: course files are trusted less than code.
_markdown = MarkdownIt("commonmark", {"html": False}).enable("table")

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
}


@dataclass(frozen=True)
class Localised:
    """A text in the language asked for, or in English when there is no translation yet."""

    text: str
    language: str
    is_fallback: bool


def localise(texts: dict[str, str], language: str) -> Localised:
    if language in texts:
        return Localised(texts[language], language, False)
    return Localised(texts.get("en", ""), "en", language != "en")


def render_markdown(text: str, image_base: str) -> Markup:
    """Markdown to HTML that cannot run script: no raw HTML, no event handlers, no javascript:
    links; relative image paths point at ``image_base`` (the module's image route)."""

    def rewrite(element: str, attribute: str, value: str) -> str | None:
        if element == "img" and attribute == "src":
            parts = urlsplit(value)
            if parts.scheme or parts.netloc or value.startswith("/"):
                return None  # only the module's own images
            return f"{image_base.rstrip('/')}/{value.lstrip('./')}"
        if attribute == "style":
            return (
                value
                if value in ("text-align:left", "text-align:center", "text-align:right")
                else None
            )
        return value

    html = nh3.clean(
        _markdown.render(text),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"https", "mailto"},
        link_rel="noopener noreferrer",
        attribute_filter=rewrite,
    )
    return Markup(html)  # noqa: S704  (sanitised by nh3 just above)
