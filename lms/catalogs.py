"""The interface's message catalogs: extract, update, compile, and check them.

``check`` is what the test suite runs: every message in the code must be translated in every
catalog, none fuzzy, and each translation must keep the placeholders of its source.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

from lms.config import PROJECT_ROOT
from lms.i18n import LANGUAGES

TRANSLATIONS = PROJECT_ROOT / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
SOURCE_LANGUAGE = "en"
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%[sdif]")


def _pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


def extract(output: Path = TEMPLATE) -> None:
    """Collect the messages of ``lms/`` (Python and templates) into a template."""
    _pybabel(
        "extract",
        "-F",
        str(TRANSLATIONS / "babel.cfg"),
        "-k",
        "_l",
        "-k",
        "lazy_gettext",
        "--no-location",
        "--sort-output",
        "--project",
        "Tangga",
        "-o",
        str(output),
        str(PROJECT_ROOT / "lms"),
    )


def catalog_path(language: str) -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"


def update() -> None:
    """Bring every catalog in line with the template; English is its own translation."""
    for language in LANGUAGES:
        if not catalog_path(language).exists():
            _pybabel("init", "-i", str(TEMPLATE), "-d", str(TRANSLATIONS), "-l", language)
    _pybabel(
        "update",
        "-i",
        str(TEMPLATE),
        "-d",
        str(TRANSLATIONS),
        "--no-fuzzy-matching",
        "--ignore-obsolete",
    )
    fill_source_language()


def fill_source_language() -> None:
    path = catalog_path(SOURCE_LANGUAGE)
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=SOURCE_LANGUAGE)
    for message in catalog:
        if message.id:
            message.string = message.id
            message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, sort_output=True)


def compile_catalogs() -> None:
    _pybabel("compile", "-d", str(TRANSLATIONS))


@dataclass(frozen=True)
class Problem:
    language: str
    message: str
    problem: str

    def __str__(self) -> str:
        return f"{self.language}: {self.message!r}: {self.problem}"


def _placeholders(text: str) -> list[str]:
    return sorted(_PLACEHOLDER.findall(text))


def _read(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def check() -> list[Problem]:
    """Every problem of every catalog, against messages extracted from the code right now."""
    with tempfile.TemporaryDirectory() as folder:
        template_path = Path(folder) / "messages.pot"
        extract(template_path)
        template = _read(template_path)
    problems: list[Problem] = []
    for language in LANGUAGES:
        path = catalog_path(language)
        if not path.exists():
            problems.append(Problem(language, "", "the catalog is missing"))
            continue
        catalog = _read(path, language)
        for source in template:
            if not source.id:
                continue
            message = catalog.get(source.id)
            label = source.id if isinstance(source.id, str) else source.id[0]
            if message is None:
                problems.append(Problem(language, label, "missing (run make translations-update)"))
                continue
            if message.fuzzy:
                problems.append(Problem(language, label, "fuzzy"))
            sources = [source.id] if isinstance(source.id, str) else list(source.id)
            strings = [message.string] if isinstance(message.string, str) else list(message.string)
            if not all(strings):
                problems.append(Problem(language, label, "untranslated"))
                continue
            expected = _placeholders(sources[-1])
            for string in strings:
                found = _placeholders(string)
                # A plural form for "one" may leave the number out; it may not invent names.
                if found != expected and not (len(sources) > 1 and set(found) < set(expected)):
                    problems.append(
                        Problem(language, label, f"placeholders {found} differ from {expected}")
                    )
    return problems
