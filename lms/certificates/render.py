"""Certificates to PDF with WeasyPrint: one template, one stylesheet, one font configuration
per process, and a URL fetcher that fetches nothing but ``data:`` URLs (and the images a render
is handed, named in the HTML by a short reference)."""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from lms.accounts.links import public_url
from lms.certificates.dates import certificate_date
from lms.certificates.fonts import LANGUAGE_SCRIPT, script_of
from lms.certificates.issuing import formatted_code
from lms.certificates.models import Certificate
from lms.certificates.qr import alphanumeric_url, qr_svg
from lms.i18n import html_lang
from lms.training.labels import TIER_TITLES

STYLESHEET = Path(__file__).with_name("certificate.css")
BETWEEN_TAGS = re.compile(r">\s+<")


@cache
def font_config():  # type: ignore[no-untyped-def]
    """One font configuration per process: a fresh one per render is two to three times
    slower, and memory grows with every CJK font loaded again."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@cache
def stylesheet():  # type: ignore[no-untyped-def]
    from weasyprint import CSS

    return CSS(string=STYLESHEET.read_text(encoding="utf-8"), font_config=font_config())


IMAGE_SCHEME = "image:"
IMAGE_SOURCE = re.compile(r'src="(image:[0-9a-f]+)"')
Images = Mapping[str, str]  # a reference (:func:`image_reference`) -> its data: URL


def image_reference(data_url: str) -> str:
    """A short name for an image's ``data:`` URL in a certificate's HTML. WeasyPrint's HTML
    parser reads every character of a document at about 85 ns each: 3.5 ms a certificate
    for a logo's 41,000-character URL; the URL itself is handed to the render beside the
    HTML (``images``) and given to WeasyPrint by the URL fetcher."""
    return IMAGE_SCHEME + hashlib.sha256(data_url.encode()).hexdigest()[:32]


@cache
def _fetcher_class():  # type: ignore[no-untyped-def]
    from weasyprint import URLFetcher

    class Fetcher(URLFetcher):  # type: ignore[misc]
        """Only data: URLs, given as such or by reference; never file:, http: or anything
        else (an unknown reference is refused like any other scheme)."""

        def __init__(self, images: Images) -> None:
            super().__init__(allowed_protocols=("data",), timeout=1)
            self.images = images

        def fetch(self, url: str, headers=None):  # type: ignore[no-untyped-def]
            return super().fetch(self.images.get(url, url), headers)

    return Fetcher


@lru_cache(maxsize=16)
def _fetcher_for(images: frozenset[tuple[str, str]]):  # type: ignore[no-untyped-def]
    return _fetcher_class()(dict(images))


def named_images(html: str) -> set[str]:
    """The references of the images the HTML draws (:func:`image_reference`)."""
    return set(IMAGE_SOURCE.findall(html))


def handed_images(html: str, images: Images | None) -> Images:
    """``images``, once sure the HTML names none it was not handed: a certificate drawn
    without its issuer's logo would be wrong, so it fails (and a ZIP names it) instead.

    :raises ValueError: for an image named but not handed.
    """
    missing = sorted(named_images(html) - set(images or {}))
    if missing:
        raise ValueError(f"images named in the HTML but not handed to the render: {missing}")
    return images or {}


def url_fetcher(images: Images | None = None):  # type: ignore[no-untyped-def]
    """The fetcher of a render: data: URLs, and ``images`` by their references (one fetcher
    per set of images, kept: making one costs about 0.4 ms)."""
    return _fetcher_for(frozenset((images or {}).items()))


# Pango's font map, shared by the process's renders, is not made for threads: one at a time.
_RENDERING = threading.Lock()


def render_pdf(  # type: ignore[no-untyped-def]
    html: str, css=None, *, tagged: bool = False, images: Images | None = None
) -> bytes:
    """HTML to PDF bytes, with the shared font configuration.

    :param css: a parsed stylesheet made with :func:`font_config` (the certificate's when
        not given).
    :param tagged: a tagged PDF (headings, tables and reading order for assistive
        technology), for documents read as text rather than looked at.
    :param images: the data: URLs of the images the HTML names by reference
        (:func:`certificate_images`).
    """
    from weasyprint import HTML

    images = handed_images(html, images)
    with _RENDERING:
        document = HTML(string=html, url_fetcher=url_fetcher(images), base_url="data:,")
        return document.write_pdf(
            stylesheets=[css or stylesheet()], font_config=font_config(), pdf_tags=tagged
        )


def document_head(html: str) -> str:
    """What comes before the body: the language and the title (the PDF's metadata)."""
    return html.partition("<body>")[0]


def render_pdfs(htmls: list[str], *, images: Images | None = None) -> list[bytes]:
    """Certificates that share a head (:func:`document_head`) laid out as one document, one
    page each, and each page written as its own PDF: the same files as :func:`render_pdf`
    makes one by one, for about a tenth less work each (parsing, the cascade's set-up and the
    page styles are done once for all; ``bench/certificates.py`` measures it).

    :raises ValueError: when the heads differ, or a certificate does not come out as exactly
        one page (each frame starts a page: more pages means one ran over).
    """
    from weasyprint import HTML

    head = document_head(htmls[0])
    bodies = []
    for html in htmls:
        own_head, _, rest = html.partition("<body>")
        body, found, _ = rest.rpartition("</body>")
        if own_head != head or not found:
            raise ValueError("certificates rendered together must share their head")
        bodies.append(body)
    html = f"{head}<body>{''.join(bodies)}</body></html>"
    images = handed_images(html, images)
    with _RENDERING:
        document = HTML(
            string=html,
            url_fetcher=url_fetcher(images),
            base_url="data:,",
        ).render(stylesheets=[stylesheet()], font_config=font_config())
        if len(document.pages) != len(htmls):
            raise ValueError(f"{len(htmls)} certificates came out as {len(document.pages)} pages")
        return [document.copy([page]).write_pdf() for page in document.pages]


@dataclass(frozen=True)
class Wording:
    """A certificate's words in one language."""

    lang: str  # the HTML lang tag
    title: str
    lead: str
    achievement: str
    completed: str
    issuer: str
    issuer_lang: str  # the issuer's name may be in English when not given in the language
    signatory_titles: list[tuple[str, str]]  # (title, its lang)
    number_label: str
    code_label: str
    verify: str


def wording(certificate: Certificate, language: str, *, buddhist_era: bool = False) -> Wording:
    def pick(texts: dict[str, str]) -> str:
        return texts.get(language) or texts.get("en") or ""

    def lang_of(texts: dict[str, str]) -> str:
        return html_lang(language) if texts.get(language) else "en"

    with force_locale(language):
        if certificate.is_programme:
            title = _("Programme certificate")
            achievement = _(
                "has completed all four tiers of the training programme for public "
                "employment service counsellors: Self-Training, In-Person Training, Roll-Out "
                "Training and Workshops."
            )
        else:
            title = _("Certificate of completion")
            achievement = _(
                "has completed %(tier)s of the training programme for public employment "
                "service counsellors.",
                tier=str(TIER_TITLES[certificate.award]),
            )
        return Wording(
            lang=html_lang(language),
            title=title,
            lead=_("This certifies that"),
            achievement=achievement,
            completed=_(
                "Completed on %(date)s",
                date=certificate_date(
                    certificate.completed_on, language, buddhist_era=buddhist_era
                ),
            ),
            issuer=pick(certificate.issuer.get("name", {})),
            issuer_lang=lang_of(certificate.issuer.get("name", {})),
            signatory_titles=[
                (pick(s.get("title", {})), lang_of(s.get("title", {})))
                for s in certificate.issuer.get("signatories", [])
            ],
            number_label=_("Certificate number"),
            code_label=_("Verification code"),
            verify=_("Check this certificate at"),
        )


def verification_url(certificate: Certificate) -> str:
    """The short form of the verification page's address, quicker to type from paper."""
    return public_url(f"/v/{certificate.code}")


def qr_content(certificate: Certificate) -> str:
    """What the QR code holds: the verification address, in capitals where the site allows it
    (alphanumeric mode: a 29-module code, or 25, where bytes need 33 for a typical address;
    bigger modules in the same 27 mm, which scan better from a photocopy)."""
    return alphanumeric_url(
        current_app.config["PUBLIC_URL"], f"/v/{certificate.code}"
    ) or verification_url(certificate)


def certificate_html(
    certificate: Certificate,
    language: str,
    *,
    bilingual: bool = False,
    buddhist_era: bool = False,
) -> str:
    """The certificate as HTML, in ``language`` (and English beside it when bilingual)."""
    blocks = [wording(certificate, language, buddhist_era=buddhist_era)]
    if bilingual and language != "en":
        blocks.append(wording(certificate, "en"))
    url = verification_url(certificate)
    name_script = script_of(certificate.holder_name)
    # Smaller type where the texts are long, so the body stays clear of the signatures.
    length = len(certificate.holder_name) + sum(len(b.achievement) for b in blocks) // 3
    density = "dense denser" if length > 120 else "dense" if length > 60 or len(blocks) > 1 else ""
    context: dict[str, Any] = {
        "certificate": certificate,
        "blocks": blocks,
        "main": blocks[0],
        "name_lang": name_script or blocks[0].lang,
        "density": density,
        "script": LANGUAGE_SCRIPT[language],
        "code": formatted_code(certificate.code),
        "verify_url": url,
        "qr": qr_svg(qr_content(certificate)),
        "logo": next(iter(certificate_images(certificate)), None),
        "signatories": [
            {**person, "name_lang": script_of(person.get("name", ""))}
            for person in certificate.issuer.get("signatories", [])
        ],
        "revoked": not certificate.is_valid,
    }
    with force_locale(language):
        context["revoked_label"] = _("Revoked")
    # Whitespace between tags is text WeasyPrint parses and then drops at every render; the
    # template has none that shows (no two inline elements side by side with a space).
    return BETWEEN_TAGS.sub("><", render_template("certificates/certificate.html", **context))


def certificate_images(certificate: Certificate) -> dict[str, str]:
    """The images :func:`certificate_html` names by reference (the issuer's logo), for the
    render."""
    logo = certificate.issuer.get("logo")
    return {image_reference(logo): logo} if logo else {}


def render_certificate(certificate: Certificate, language: str, **options: bool) -> bytes:
    return render_pdf(
        certificate_html(certificate, language, **options), images=certificate_images(certificate)
    )


def pdf_name(certificate: Certificate, language: str) -> str:
    return f"tangga-certificate-{certificate.serial or certificate.code}-{language}.pdf"
