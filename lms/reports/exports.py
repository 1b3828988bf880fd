"""The completion report as CSV and XLSX, streamed; every export recorded.

CSV: UTF-8 with a byte-order mark (spreadsheet programs then read Thai and Khmer right), made
and sent a few thousand rows at a time. XLSX: XlsxWriter in constant-memory mode writes each
row to a temporary file as it comes; the finished file is sent in chunks. Either way, memory
does not grow with the number of rows.

A text cell that a spreadsheet would take for a formula (it starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) gets a leading apostrophe in CSV; in XLSX every text is
written as a string cell, which no spreadsheet evaluates.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from typing import Any

from flask_babel import gettext as _

from lms.accounts.labels import SEX_LABELS
from lms.accounts.models import OrgUnit, User, utcnow
from lms.curriculum.render import localise
from lms.extensions import db
from lms.logs import audit
from lms.reports.completion import TIERS, QuizColumn, stream_rows, unit_paths
from lms.reports.filters import ReportFilter
from lms.reports.models import ReportExport

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def neutralise(text: str) -> str:
    """Text a spreadsheet shows as text, never runs as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def headers(quizzes: list[QuizColumn], language: str) -> list[str]:
    found = [
        _("Name"),
        _("Email"),
        _("Organisation unit"),
        _("Sex"),
        _("Disability"),
        _("Cohorts"),
    ]
    for tier in TIERS:
        found += [
            _("Tier %(tier)d status", tier=tier),
            _("Tier %(tier)d completed on", tier=tier),
        ]
    for quiz in quizzes:
        found.append(
            _(
                "Best score (%%): %(module)s",
                module=localise(quiz.title, language).text,
            )
        )
    found += [_("Simulation result (%)"), _("Simulation passed"), _("Certificates")]
    return found


class RowFormat:
    """Turns report rows into cells. Every label is translated once, when the export starts,
    not once per row, and rows are read by position: the rows are many (a hundred thousand
    and more), so the work per row is kept to a few tuple operations.

    :param neutralise_text: prefix formula-like texts with ``'`` (CSV; an XLSX string cell is
        inert as it is).
    """

    def __init__(self, paths: dict[int, str], *, neutralise_text: bool) -> None:
        self.paths = paths
        self.text = neutralise if neutralise_text else str
        self.sexes = {key: str(label) for key, label in SEX_LABELS.items()}
        self.disability = {None: _("Not declared"), True: _("Yes"), False: _("No")}
        self.passed = {None: "", 1: _("Yes"), 0: _("No")}
        self.completed = _("Completed")
        self.progress = {True: _("In progress"), False: _("Not started")}

    def cells(self, row: Any) -> list[Any]:
        """A row of :func:`completion.rows_query` as cells (texts and numbers), in
        :func:`headers` order."""
        _id, name, email, unit_id, sex, disability, cohorts, *tiers = row[:15]
        text = self.text
        values: list[Any] = [
            text(name),
            text(email),
            text(self.paths.get(unit_id, "")),
            self.sexes.get(sex, sex),
            self.disability[disability],
            text(cohorts) if cohorts else "",
        ]
        for index in (0, 2, 4, 6):
            done = tiers[index]
            if done:
                values += (self.completed, done)
            else:
                values += (self.progress[bool(tiers[index + 1])], "")
        *scores, percent, passed, certificates = row[15:]
        values += [round(best, 1) if best is not None else "" for best in scores]
        values += (
            round(percent, 1) if percent is not None else "",
            self.passed[passed],
            certificates or "",
        )
        return values


class Counter:
    """Counts the rows that went out (the audit record gets the number at the end)."""

    def __init__(self) -> None:
        self.rows = 0

    def each(self, rows: Iterable) -> Iterator:
        for row in rows:
            self.rows += 1
            yield row


def csv_chunks(header: list[str], rows: Iterable[list[Any]], every: int = 1000) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow([neutralise(text) for text in header])
    for number, values in enumerate(rows, start=1):
        writer.writerow(values)  # texts that come from people are neutralised already
        if number % every == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def xlsx_chunks(
    header: list[str], rows: Iterable[list[Any]], title: str, chunk: int = 1 << 16
) -> Iterator[bytes]:
    import xlsxwriter

    # A private folder for the workbook and XlsxWriter's own row files, removed whatever
    # happens (an export cut short leaves nothing in /tmp).
    folder = tempfile.mkdtemp(prefix="tangga-xlsx-")
    path = os.path.join(folder, "report.xlsx")
    try:
        workbook = xlsxwriter.Workbook(
            path,
            {
                "constant_memory": True,  # each row goes to disk once the next one starts
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "tmpdir": folder,
            },
        )
        sheet = workbook.add_worksheet(title[:31])
        bold = workbook.add_format({"bold": True})
        for column, text in enumerate(header):
            sheet.write_string(0, column, text, bold)
        sheet.freeze_panes(1, 1)
        for number, values in enumerate(rows, start=1):
            for column, value in enumerate(values):
                if isinstance(value, str):
                    if value:
                        sheet.write_string(number, column, value)
                else:
                    sheet.write_number(number, column, value)
        workbook.close()
        with open(path, "rb") as produced:
            while data := produced.read(chunk):
                yield data
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def start_record(user: User | None, unit: OrgUnit, fmt: str, f: ReportFilter) -> ReportExport:
    """Write down who exports what before the first byte goes (committed: an export that
    breaks off is still on record)."""
    record = ReportExport(
        user_id=user.id if user else None, scope_unit_id=unit.id, format=fmt, filters=f.as_dict()
    )
    db.session.add(record)
    db.session.commit()
    audit("report.export_started", export=record.id, format=fmt, filters=record.filters)
    return record


def finish_record(record_id: int, rows: int) -> None:
    """Complete the record (by id: a streamed export ends after the request's own session
    has gone)."""
    record = db.session.get(ReportExport, record_id)
    if record is None:
        return
    record.rows = rows
    record.finished_dt = utcnow()
    db.session.commit()
    audit(
        "report.exported",
        export=record.id,
        format=record.format,
        filters=record.filters,
        rows=rows,
    )


def completion_chunks(
    fmt: str,
    f: ReportFilter,
    unit: OrgUnit,
    quizzes: list[QuizColumn],
    language: str,
    counter: Counter,
) -> Iterator[bytes]:
    """The rows of the report as ``fmt`` ("csv" or "xlsx"), chunk by chunk; ``counter``
    counts the rows that went in."""
    shape = RowFormat(unit_paths(unit), neutralise_text=fmt == "csv")
    values = (shape.cells(row) for row in counter.each(stream_rows(f, unit, quizzes)))
    header = headers(quizzes, language)
    if fmt == "csv":
        yield from csv_chunks(header, values)
    else:
        yield from xlsx_chunks(header, values, _("Completion"))


def completion_export(
    fmt: str,
    f: ReportFilter,
    unit: OrgUnit,
    quizzes: list[QuizColumn],
    language: str,
    record_id: int,
) -> Iterator[bytes]:
    """:func:`completion_chunks` for a response: the record gets the row count once the last
    chunk is made (a download cut short stays unfinished)."""
    counter = Counter()
    yield from completion_chunks(fmt, f, unit, quizzes, language, counter)
    finish_record(record_id, counter.rows)


def export_name(fmt: str, unit: OrgUnit) -> str:
    """A file name safe in a header whatever the unit's code (codes are free text)."""
    stamp = utcnow().strftime("%Y%m%d-%H%M")
    code = re.sub(r"[^a-z0-9]+", "-", unit.code.lower()).strip("-") or str(unit.id)
    return f"tangga-completion-{code}-{stamp}.{fmt}"
