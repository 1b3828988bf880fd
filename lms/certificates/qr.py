"""The certificate's QR code: encoded by segno, drawn as one inline SVG path.

WeasyPrint parses an SVG path in Python, command by command, at every render, so the drawing
costs what its number of commands costs. segno draws each row's dark runs as short horizontal
strokes; here every dark module is covered by the fewest horizontal *or* vertical strokes
instead (a minimum vertex cover of the bipartite graph "row run - column run", found exactly
with König's theorem), which takes a quarter to a third fewer commands for the same modules.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from urllib.parse import urlsplit

import segno
from markupsafe import Markup

# QR's alphanumeric mode: 11 bits for two of these characters, where bytes take 16.
ALPHANUMERIC = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
BORDER = 2  # quiet zone, in modules (the certificate's white margin adds to it)
COLOUR = "#1b2421"


@dataclass(frozen=True)
class Run:
    """A straight line of dark modules: ``length`` modules from (``row``, ``column``)."""

    row: int
    column: int
    length: int
    vertical: bool

    def cells(self) -> list[tuple[int, int]]:
        if self.vertical:
            return [(self.row + n, self.column) for n in range(self.length)]
        return [(self.row, self.column + n) for n in range(self.length)]


def _runs(dark: list[list[bool]], *, vertical: bool) -> list[Run]:
    size = len(dark)
    runs = []
    for line in range(size):
        position = 0
        while position < size:
            if not (dark[position][line] if vertical else dark[line][position]):
                position += 1
                continue
            start = position
            while position < size and (dark[position][line] if vertical else dark[line][position]):
                position += 1
            if vertical:
                runs.append(Run(start, line, position - start, vertical=True))
            else:
                runs.append(Run(line, start, position - start, vertical=False))
    return runs


def covering_runs(dark: list[list[bool]]) -> list[Run]:
    """The fewest row and column runs that together cover every dark module.

    Each dark module lies on exactly one maximal row run and one maximal column run: an edge
    between them. The fewest runs touching every edge is a minimum vertex cover, whose size is
    that of a maximum matching (König); the cover is read off the alternating paths from the
    unmatched row runs.
    """
    rows, columns = _runs(dark, vertical=False), _runs(dark, vertical=True)
    column_of = {cell: index for index, run in enumerate(columns) for cell in run.cells()}
    neighbours = [[column_of[cell] for cell in run.cells()] for run in rows]

    row_of_column: list[int | None] = [None] * len(columns)
    column_of_row: list[int | None] = [None] * len(rows)

    def augment(row: int, seen: set[int]) -> bool:
        # Iterative depth-first search for an augmenting path from ``row``.
        stack = [(row, iter(neighbours[row]))]
        path: list[tuple[int, int]] = []
        while stack:
            current, options = stack[-1]
            for column in options:
                if column in seen:
                    continue
                seen.add(column)
                path.append((current, column))
                owner = row_of_column[column]
                if owner is None:
                    for matched_row, matched_column in path:
                        row_of_column[matched_column] = matched_row
                        column_of_row[matched_row] = matched_column
                    return True
                stack.append((owner, iter(neighbours[owner])))
                break
            else:
                stack.pop()
                if path:
                    path.pop()
        return False

    for row in range(len(rows)):
        augment(row, set())

    reached_rows = {row for row, column in enumerate(column_of_row) if column is None}
    reached_columns: set[int] = set()
    queue = deque(reached_rows)
    while queue:
        for column in neighbours[queue.popleft()]:
            if column in reached_columns:
                continue
            reached_columns.add(column)
            owner = row_of_column[column]
            if owner is not None and owner not in reached_rows:
                reached_rows.add(owner)
                queue.append(owner)
    return [run for index, run in enumerate(rows) if index not in reached_rows] + [
        columns[index] for index in sorted(reached_columns)
    ]


def path_data(runs: list[Run]) -> str:
    """The runs as one SVG path of 1-module-wide strokes, in relative moves."""
    parts = []
    x = y = 0.0
    for run in runs:
        # A stroke runs along the middle of its modules.
        start_x = run.column + BORDER + (0.5 if run.vertical else 0)
        start_y = run.row + BORDER + (0 if run.vertical else 0.5)
        move = "m" if parts else "M"  # the first move from the origin, so the same numbers
        parts.append(f"{move}{_number(start_x - x)} {_number(start_y - y)}")
        parts.append(f"v{run.length}" if run.vertical else f"h{run.length}")
        x, y = (start_x, start_y + run.length) if run.vertical else (start_x + run.length, start_y)
    return "".join(parts)


def _number(value: float) -> str:
    return f"{value:g}"


def alphanumeric_url(site: str, path: str) -> str | None:
    """``site`` + ``path`` in capitals, for QR's compact alphanumeric mode, or None.

    Scheme and host are case-insensitive (RFC 3986) and phones open such an address as it is;
    the path must be one the application answers in capitals. None when the site's address has
    a path of its own (a proxy in front may not ignore its case), is not plain ASCII (an
    internationalised host name), or holds a character the mode lacks (IPv6 brackets, a query,
    a space).
    """
    if not (site.isascii() and path.isascii()) or urlsplit(site).path.strip("/"):
        # Only ASCII is upper-cased: Unicode case mapping turns "straße" into "STRASSE" and a
        # dotless "ı" into "I", which would lead somewhere else.
        return None
    url = site.rstrip("/").upper() + path.upper()
    return url if set(url) <= ALPHANUMERIC - {" "} else None


def dark_modules(content: str) -> list[list[bool]]:
    code = segno.make(content, error="m", micro=False)
    return [[bool(module) for module in row] for row in code.matrix]


def qr_svg(content: str) -> Markup:
    """The QR code of ``content`` as inline SVG (drawn by WeasyPrint, nothing fetched)."""
    dark = dark_modules(content)
    side = len(dark) + 2 * BORDER
    return Markup(  # noqa: S704 - numbers and a constant only, no text from anyone
        f'<svg viewBox="0 0 {side} {side}"><path fill="none" stroke="{COLOUR}" '
        f'stroke-width="1" d="{path_data(covering_runs(dark))}"/></svg>'
    )
