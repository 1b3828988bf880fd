"""The dashboard's contents (funnel, completions over time, units, reach), shared by the page
and the PDF summary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from flask import render_template
from flask_babel import format_date, format_number, format_percent
from flask_babel import gettext as _
from markupsafe import Markup

from lms.accounts.labels import SEX_LABELS
from lms.accounts.models import OrgUnit, utcnow
from lms.reports.aggregates import Aggregates, Tally, aggregates
from lms.reports.charts import horizontal_bars, tier_lines
from lms.reports.filters import DISABILITY_FILTER_LABELS, ReportFilter
from lms.training.labels import TIER_TITLES
from lms.training.rollouts import UnitReach, reach_below


@dataclass
class Dashboard:
    figures: Aggregates
    funnel: Markup
    over_time: Markup
    units: Markup
    months: list[tuple[str, list[int]]]
    reach: list[tuple[str, UnitReach]]
    unit_rows: list[tuple[str, Tally]]
    sex_rows: list[tuple[str, Tally]]
    disability_rows: list[tuple[str, Tally]]


def percent(part: int, whole: int) -> str:
    return format_percent(part / whole, "#,##0.0%") if whole else "–"


def dashboard(f: ReportFilter, unit: OrgUnit) -> Dashboard:
    from lms.templating import unit_label

    figures = aggregates(f, unit)
    total = figures.total
    steps = [(_("Counsellors"), total.counsellors)] + [
        (_("Tier %(tier)d", tier=t), total.completed[t - 1]) for t in (1, 2, 3, 4)
    ]
    funnel = horizontal_bars(
        _("The ladder: counsellors who completed each tier"),
        [(name, count, format_number(count)) for name, count in steps],
        maximum=max(total.counsellors, 1),
    )
    months = [
        (format_date(date(year, month, 1), "MMM yyyy"), counts)
        for year, month, counts in figures.by_month
    ]
    peak = max((max(counts) for _, counts in months), default=0)
    over_time = tier_lines(
        _("Completions per month, by tier"),
        months,
        [str(TIER_TITLES[t]) for t in (1, 2, 3, 4)],
        _("The top of the chart is %(count)s completions in a month.", count=format_number(peak)),
    )
    rows = [(unit_label(below), tally) for below, tally in figures.by_unit]
    directly = _("%(unit)s, directly", unit=unit_label(unit))
    if figures.direct is not None:
        rows.append((directly, figures.direct))
    units = horizontal_bars(
        _("Share of counsellors who completed Tier 1, by unit"),
        [
            (name, tally.rate(1) or 0.0, percent(tally.completed[0], tally.counsellors))
            for name, tally in rows
        ],
        maximum=100.0,
    )
    reach = [(unit_label(r.unit), r) for r in reach_below([below for below, _t in figures.by_unit])]
    if figures.direct is not None:
        reach += [(directly, r) for r in reach_below([unit], only_there=True)]
    return Dashboard(
        figures,
        funnel,
        over_time,
        units,
        months,
        reach,
        unit_rows=[*rows, (_("All"), total)],
        sex_rows=[(str(SEX_LABELS.get(key, key)), tally) for key, tally in figures.by_sex.items()],
        disability_rows=[
            (str(DISABILITY_FILTER_LABELS[key]), tally)
            for key, tally in figures.by_disability.items()
        ],
    )


@cache
def summary_stylesheet():  # type: ignore[no-untyped-def]
    from pathlib import Path

    from weasyprint import CSS

    from lms.certificates.render import font_config

    return CSS(
        string=Path(__file__).with_name("summary.css").read_text(encoding="utf-8"),
        font_config=font_config(),
    )


def summary_pdf(f: ReportFilter, unit: OrgUnit, description: list[str]) -> tuple[bytes, int]:
    """The dashboard as a PDF (A4 portrait): figures, charts and tables.

    :return: the PDF, and the number of counsellors its figures count (for the record).
    """
    from lms.certificates.render import render_pdf

    board = dashboard(f, unit)
    html = render_template(
        "reports/summary_pdf.html",
        board=board,
        description=description,
        percent=percent,
        made=utcnow(),
    )
    return render_pdf(html, summary_stylesheet(), tagged=True), board.figures.total.counsellors
