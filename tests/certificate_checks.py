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


def _to_unicode(cmap: bytes) -> dict[int, str]:
    """Glyph id -> the text it stands for, from a ToUnicode CMap (bfchar and bfrange)."""
    text = cmap.decode("latin-1")
    found: dict[int, str] = {}

    def chars(hex_text: str) -> str:
        data = bytes.fromhex(hex_text)
        return data.decode("utf-16-be", errors="replace")

    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for gid, value in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            found[int(gid, 16)] = chars(value)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for low, high, value in re.findall(
            r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            start = int(value, 16)
            for offset, gid in enumerate(range(int(low, 16), int(high, 16) + 1)):
                found[gid] = chr(start + offset)
    return found


def _dotted_circle(family: str) -> int | None:
    """The glyph id of U+25CC (HarfBuzz draws it for a broken cluster) in the installed font."""
    from fontTools.ttLib import TTCollection

    base, bold = (family[: -len(" Bold")], True) if family.endswith(" Bold") else (family, False)
    path = font_file(base) if not bold else _bold_file(base)
    if path is None:
        return None
    if path.lower().endswith((".ttc", ".otc")):
        with TTCollection(path, lazy=True) as collection:
            font = next(f for f in collection.fonts if base in f["name"].getDebugName(1))
            name = font.getBestCmap().get(0x25CC)
            return font.getGlyphID(name) if name else None
    with TTFont(path, lazy=True) as font:
        name = font.getBestCmap().get(0x25CC)
        return font.getGlyphID(name) if name else None


def _bold_file(family: str) -> str | None:
    import shutil
    import subprocess

    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    found = subprocess.run(  # noqa: S603
        [fc_match, "--format=%{family[0]}\t%{file}", f"{family}:style=Bold"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    name, _, path = found.partition("\t")
    return path if name == family and path else None


def _script_of_char(char: str) -> str | None:
    """The lang tag of a letter's script ("latin" for Latin letters); None for digits,
    punctuation and symbols, which any of the certificate's fonts may draw."""
    from lms.certificates.fonts import script_of

    tag = script_of(char)
    if tag is not None:
        return tag
    return "latin" if char.isalpha() else None


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
            to_unicode = font.get("/ToUnicode")
            fonts[name] = {
                "family": family,
                "drawn": set(),
                "valid": valid,
                "unicode": _to_unicode(to_unicode.get_object().get_data()) if to_unicode else {},
            }
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
        # Every letter is drawn by the family named for its script (not a fallback that
        # happens to cover it: Noto Sans CJK JP, a serif, DejaVu, ...).
        wrong = set()
        for gid in font["drawn"]:
            for char in font["unicode"].get(gid, ""):
                script = _script_of_char(char)
                if script is None:
                    continue
                allowed = {SCRIPT_FAMILIES[script], f"{SCRIPT_FAMILIES[script]} Bold"}
                if script == "latin":  # the CJK family's Latin is designed for mixed text
                    allowed |= {"Noto Sans CJK SC", "Noto Sans CJK SC Bold"}
                if font["family"] not in allowed:
                    wrong.add(char)
        if wrong:
            found.append(f"{font['family']} drew {''.join(sorted(wrong))!r}, not its script's font")
        circle = _dotted_circle(font["family"])
        if circle is not None and circle in font["drawn"] and not any("◌" in t for t in texts):
            found.append(f"{font['family']}: a dotted circle is drawn (a broken cluster)")
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
