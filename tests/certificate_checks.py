"""Proof that a certificate PDF draws its text right, without trusting text extraction (which
comes back wrong for Burmese when the page is right, and right when the page shows boxes):

- WeasyPrint warned of no .notdef glyph;
- the intended Noto family is embedded, and DejaVu is not;
- no drawn glyph is 0 (.notdef) or beyond the embedded font;
- every character of the name and titles is in the character map of the intended fonts.

Importable without Flask, so a subprocess with another fontconfig can run the same checks.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager

from fontTools.cffLib import CFFFontSet
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from lms.certificates.fonts import SCRIPT_FAMILIES, cmap_of, font_file


@contextmanager
def weasyprint_warnings() -> Iterator[list[str]]:
    """Collect what WeasyPrint logs at warning level while rendering."""
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    handler = Collect(level=logging.WARNING)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield messages
    finally:
        logger.removeHandler(handler)


def _font_program(descendant) -> tuple[str, object]:  # type: ignore[no-untyped-def]
    descriptor = descendant["/FontDescriptor"].get_object()
    if "/FontFile2" in descriptor:
        data = descriptor["/FontFile2"].get_object().get_data()
        return "truetype", TTFont(io.BytesIO(data), lazy=True)
    stream = descriptor["/FontFile3"].get_object()
    data = stream.get_data()
    if stream.get("/Subtype") == "/OpenType":
        return "truetype", TTFont(io.BytesIO(data), lazy=True)
    cff = CFFFontSet()
    cff.decompile(io.BytesIO(data), None)
    return "cff", cff[cff.fontNames[0]]


_OPERATIONS = re.compile(
    r"/(?P<font>[A-Za-z0-9]+)\s+[\d.]+\s+Tf|(?P<text>\[[^\]]*\]\s*TJ|<[0-9A-Fa-f]*>\s*Tj)"
)
_HEX = re.compile(r"<([0-9A-Fa-f]*)>")


def embedded_fonts(pdf: bytes) -> dict[str, dict]:
    """Each embedded font by PDF name: its family (as named in the PDF), the glyph ids drawn
    with it, and the ids the embedded program has."""
    reader = PdfReader(io.BytesIO(pdf))
    fonts: dict[str, dict] = {}
    for page in reader.pages:
        resources = page["/Resources"].get_object()
        for name, ref in resources.get("/Font", {}).items():
            font = ref.get_object()
            base = str(font["/BaseFont"]).lstrip("/")
            family = base.split("+", 1)[-1].replace("-", " ")
            descendant = font["/DescendantFonts"][0].get_object()
            kind, program = _font_program(descendant)
            if kind == "truetype":
                valid = set(range(1, program["maxp"].numGlyphs))
            else:
                charset = program.charset
                valid = {
                    int(g[3:]) if g.startswith("cid") else index for index, g in enumerate(charset)
                } - {0}
            fonts[name] = {"family": family, "drawn": set(), "valid": valid}
        # WeasyPrint writes every glyph run as hex strings: /F 12 Tf ... [<0012003a>-6<...>] TJ
        current = None
        content = page.get_contents().get_data().decode("latin-1")
        for match in _OPERATIONS.finditer(content):
            if match.group("font"):
                current = "/" + match.group("font")
            elif current in fonts:
                for run in _HEX.findall(match.group("text")):
                    fonts[current]["drawn"].update(
                        int(run[i : i + 4], 16) for i in range(0, len(run) - 3, 4)
                    )
    return fonts


def problems(pdf: bytes, warnings: list[str], script: str, texts: list[str]) -> list[str]:
    """Everything that shows the certificate is not drawn right (empty: it is)."""
    found: list[str] = []
    found += [f"WeasyPrint: {w}" for w in warnings if ".notdef" in w]
    fonts = embedded_fonts(pdf)
    families = {f["family"] for f in fonts.values()}
    intended = SCRIPT_FAMILIES[script]
    if not families & {intended, f"{intended} Bold"}:
        found.append(f"{intended} is not embedded (embedded: {sorted(families)})")
    for family in families:
        if "DejaVu" in family:
            found.append(f"DejaVu is embedded: {family}")
    for font in fonts.values():
        bad = sorted(g for g in font["drawn"] if g not in font["valid"])
        if bad:
            found.append(f"{font['family']}: glyph ids {bad[:10]} are .notdef or not in the font")
    covered: set[int] = set()
    for family in {intended, "Noto Sans"}:
        path = font_file(family)
        if path is None:
            found.append(f"{family} is not installed")
        else:
            covered |= cmap_of(path)
    for text in texts:
        missing = sorted({c for c in text if not c.isspace() and ord(c) not in covered})
        if missing:
            found.append(f"{intended} has no glyph for {missing!r} in {text!r}")
    return found
