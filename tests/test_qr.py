"""The certificate's QR code drawing: every dark module covered, no light one, few commands."""

from __future__ import annotations

import random
import re

import pytest

from lms.certificates.qr import (
    BORDER,
    _runs,
    alphanumeric_url,
    covering_runs,
    dark_modules,
    path_data,
    qr_svg,
)


def draw(path: str, size: int) -> set[tuple[int, int]]:
    """The modules a path of 1-wide strokes along module middles paints (m/M, h, v only)."""
    painted: set[tuple[int, int]] = set()
    x = y = 0.0
    for command, numbers in re.findall(r"([mMhv])([^mMhv]*)", path):
        values = [float(n) for n in numbers.split()]
        if command in "mM":
            x, y = (values[0], values[1]) if command == "M" else (x + values[0], y + values[1])
        elif command == "h":
            assert (y - 0.5).is_integer(), "a row stroke runs along the middle of its row"
            assert x.is_integer(), "and starts on a module's edge"
            painted |= {(int(y - 0.5), int(x) + n) for n in range(int(values[0]))}
            x += values[0]
        else:
            assert (x - 0.5).is_integer(), "a column stroke runs along the middle of its column"
            assert y.is_integer(), "and starts on a module's edge"
            painted |= {(int(y) + n, int(x - 0.5)) for n in range(int(values[0]))}
            y += values[0]
    shifted = {(row - BORDER, column - BORDER) for row, column in painted}
    assert all(0 <= r < size and 0 <= c < size for r, c in shifted), "drawn outside the code"
    return shifted


def dark_set(dark: list[list[bool]]) -> set[tuple[int, int]]:
    return {(r, c) for r, row in enumerate(dark) for c, on in enumerate(row) if on}


@pytest.mark.parametrize(
    "content",
    [
        "HTTPS://TANGGA.KEMNAKER.GO.ID/V/CYK56FWHP4TB",
        "https://tangga.kemnaker.go.id/v/CYK56FWHP4TB",
        "http://127.0.0.1:5000/v/23456789BCDF",
    ],
)
def test_the_path_paints_exactly_the_dark_modules(content):
    dark = dark_modules(content)
    assert draw(path_data(covering_runs(dark)), len(dark)) == dark_set(dark)


def maximum_matching(dark: list[list[bool]]) -> int:
    """A plain recursive reference (Kuhn's algorithm): the most row runs paired with distinct
    column runs they cross. By König's theorem, the fewest covering runs number exactly this."""
    rows, columns = _runs(dark, vertical=False), _runs(dark, vertical=True)
    column_of = {cell: n for n, run in enumerate(columns) for cell in run.cells()}
    owner: dict[int, int] = {}

    def place(row: int, seen: set[int]) -> bool:
        for column in (column_of[cell] for cell in rows[row].cells()):
            if column not in seen:
                seen.add(column)
                if column not in owner or place(owner[column], seen):
                    owner[column] = row
                    return True
        return False

    return sum(place(row, set()) for row in range(len(rows)))


def test_the_cover_is_exact_and_the_smallest_on_any_grid():
    rng = random.Random(7)
    for _ in range(300):
        size = rng.randint(1, 12)
        density = rng.choice([0.3, 0.5, 0.7])
        dark = [[rng.random() < density for _ in range(size)] for _ in range(size)]
        runs = covering_runs(dark)
        assert {cell for run in runs for cell in run.cells()} == dark_set(dark)
        assert len(runs) == maximum_matching(dark)


def test_the_cover_of_a_real_code_is_the_smallest():
    dark = dark_modules("HTTPS://TANGGA.KEMNAKER.GO.ID/V/CYK56FWHP4TB")
    assert len(covering_runs(dark)) == maximum_matching(dark)


def test_a_plus_sign_takes_two_strokes_not_three():
    dark = [[False, True, False], [True, True, True], [False, True, False]]
    assert len(covering_runs(dark)) == 2


def test_the_cover_takes_far_fewer_strokes_than_rows_of_runs():
    dark = dark_modules("HTTPS://TANGGA.KEMNAKER.GO.ID/V/CYK56FWHP4TB")
    row_runs = sum(
        1 for row in dark for n, on in enumerate(row) if on and (n == 0 or not row[n - 1])
    )
    assert len(covering_runs(dark)) < 0.85 * row_runs


def test_capitals_only_where_the_site_address_allows():
    assert (
        alphanumeric_url("https://tangga.kemnaker.go.id/", "/v/CYK56FWHP4TB")
        == "HTTPS://TANGGA.KEMNAKER.GO.ID/V/CYK56FWHP4TB"
    )
    assert alphanumeric_url("http://127.0.0.1:5000", "/v/X") == "HTTP://127.0.0.1:5000/V/X"
    assert alphanumeric_url("https://example.org/tangga", "/v/X") is None  # a path of its own
    assert alphanumeric_url("https://tangga.example.org", "/v/x_y") is None  # "_" not in the mode
    assert alphanumeric_url("https://pelatihan.kemnaker.go.id", "/v/X").startswith("HTTPS://")
    assert alphanumeric_url("http://[::1]:5000", "/v/X") is None  # brackets not in the mode
    # Unicode case mapping would lead elsewhere ("straße" -> "STRASSE", dotless "ı" -> "I").
    assert alphanumeric_url("https://straße.example", "/v/X") is None
    assert alphanumeric_url("https://tangga.dıgital.example", "/v/X") is None
    assert alphanumeric_url("https://tangga.example.org ", "/v/X") is None


def test_capitals_make_a_smaller_code():
    lower = dark_modules("https://tangga.kemnaker.go.id/v/CYK56FWHP4TB")
    upper = dark_modules("HTTPS://TANGGA.KEMNAKER.GO.ID/V/CYK56FWHP4TB")
    assert (len(lower), len(upper)) == (33, 29)


def test_the_svg_holds_numbers_and_a_constant_colour_only():
    svg = str(qr_svg("HTTPS://TANGGA.KEMNAKER.GO.ID/V/CYK56FWHP4TB"))
    assert svg.startswith('<svg viewBox="0 0 33 33">') and svg.count("<path") == 1
    assert re.fullmatch(r"[mMhv0-9. -]+", re.search(r' d="([^"]+)"', svg).group(1))
