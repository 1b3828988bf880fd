"""Which font draws which script on a certificate, and whether this machine has it.

Every element of a certificate carries a ``lang``; each script has its Noto family named in
the stylesheet, so nothing is left to a fallback that "works" but draws wrong (DejaVu covers
Lao, but its tone marks collide; the CJK collection draws Japanese shapes unless told zh-Hans).
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import cache

# lang tag (as written in the certificate's HTML) -> the Noto family that draws it
SCRIPT_FAMILIES = {
    "latin": "Noto Sans",
    "th": "Noto Sans Thai",
    "km": "Noto Sans Khmer",
    "lo": "Noto Sans Lao",
    "my": "Noto Sans Myanmar",
    "zh-Hans": "Noto Sans CJK SC",
}
# interface language -> lang tag of its script
LANGUAGE_SCRIPT = {
    "en": "latin",
    "id": "latin",
    "ms": "latin",
    "fil": "latin",
    "vi": "latin",
    "th": "th",
    "km": "km",
    "lo": "lo",
    "my": "my",
    "zh": "zh-Hans",
}
# Text each language's certificate must draw: the doctor checks the fonts cover it.
SAMPLES = {
    "en": "Certificate of completion",
    "id": "Sertifikat Penyelesaian",
    "ms": "Sijil Tamat Latihan",
    "fil": "Sertipiko ng Pagkumpleto",
    "vi": "Giấy chứng nhận hoàn thành Nguyễn Thị Lan",
    "th": "ประกาศนียบัตร สมชาย ใจดี",
    "km": "វិញ្ញាបនបត្រ សុខ ចាន់ធា",
    "lo": "ໃບຢັ້ງຢືນ ສົມພອນ ແກ້ວມະນີ",
    "my": "အောင်လက်မှတ် မောင်မောင်",
    "zh": "结业证书 陈美玲",
}

_RANGES = [
    ("th", 0x0E00, 0x0E7F),
    ("lo", 0x0E80, 0x0EFF),
    ("my", 0x1000, 0x109F),
    ("my", 0xA9E0, 0xA9FF),
    ("my", 0xAA60, 0xAA7F),
    ("km", 0x1780, 0x17FF),
    ("km", 0x19E0, 0x19FF),
    ("zh-Hans", 0x2E80, 0x2FDF),
    ("zh-Hans", 0x3000, 0x303F),
    ("zh-Hans", 0x3400, 0x4DBF),
    ("zh-Hans", 0x4E00, 0x9FFF),
    ("zh-Hans", 0xF900, 0xFAFF),
    ("zh-Hans", 0xFF00, 0xFFEF),
]


def script_of(text: str) -> str | None:
    """The lang tag of the non-Latin script most of ``text`` is written in, if any."""
    counts: dict[str, int] = {}
    for char in text:
        code = ord(char)
        for tag, low, high in _RANGES:
            if low <= code <= high:
                counts[tag] = counts.get(tag, 0) + 1
                break
    return max(counts, key=counts.__getitem__) if counts else None


@cache
def font_file(family: str) -> str | None:
    """The file fontconfig gives for exactly this family, or None when it is missing."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    found = subprocess.run(  # noqa: S603  (our own family names, no shell)
        [fc_match, "--format=%{family[0]}\\t%{file}", f"{family}:style=Regular"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    name, _, path = found.partition("\t")
    return path if name == family and path else None


@cache
def cmap_of(path: str) -> frozenset[int]:
    from fontTools.ttLib import TTCollection, TTFont

    if path.lower().endswith((".ttc", ".otc")):
        with TTCollection(path, lazy=True) as collection:
            return frozenset(collection.fonts[0].getBestCmap())
    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


@dataclass(frozen=True)
class LanguageFonts:
    language: str
    family: str
    path: str | None
    missing_characters: str  # of the sample, none of the language's fonts has

    @property
    def ok(self) -> bool:
        return self.path is not None and not self.missing_characters


def check_language(language: str) -> LanguageFonts:
    family = SCRIPT_FAMILIES[LANGUAGE_SCRIPT[language]]
    paths = [p for p in (font_file(family), font_file("Noto Sans")) if p]
    covered: set[int] = set()
    for path in paths:
        covered |= cmap_of(path)
    missing = "".join(
        sorted({c for c in SAMPLES[language] if not c.isspace() and ord(c) not in covered})
    )
    return LanguageFonts(language, family, font_file(family), missing)


def harfbuzz_subsetter() -> bool:
    """Is HarfBuzz's subsetter (4.1 or later) loaded by WeasyPrint? Without it WeasyPrint
    falls back to a fontTools path one to two orders of magnitude slower."""
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    return harfbuzz_subset is not None and bool(harfbuzz.hb_version_atleast(4, 1, 0))
