"""Charts drawn on the server: no script, the same markup on the page and in the PDF.

The shapes are SVG; every word and number is HTML around them. SVG text is not shaped the way
HTML text is (WeasyPrint places it glyph by glyph), which breaks Thai, Khmer, Lao and Burmese;
HTML text is shaped by HarfBuzz in the browser and in the PDF alike. Each chart is an image
with a label for screen readers, and the page puts its numbers in a table as well. Series differ
by dash pattern as well as by colour, so they can be told apart without colour vision.
"""

from __future__ import annotations

from markupsafe import Markup, escape

# Colours with at least 3:1 contrast against white (WCAG 1.4.11, non-text contrast).
TIER_COLOURS = ("#0f5c4c", "#8a4b08", "#1f4e99", "#7a1f5c")
TIER_DASHES = ("", "6 3", "2 3", "8 3 2 3")


def horizontal_bars(
    label: str, bars: list[tuple[str, float, str]], *, maximum: float | None = None
) -> Markup:
    """One bar per (name, value, shown text), the longest being ``maximum`` (or the largest
    value).

    :param bars: the text shown after each bar is given, so a caller can show a count, a
        percentage, or both.
    """
    top = maximum if maximum else max((value for _, value, _ in bars), default=0) or 1
    rows = []
    for name, value, shown in bars:
        length = 0.0 if top <= 0 else min(100.0, 100.0 * max(value, 0) / top)
        rows.append(
            '<div class="bar-row">'
            f'<span class="bar-label">{escape(name)}</span>'
            '<span class="bar-cell"><svg class="bar" viewBox="0 0 100 1" '
            'preserveAspectRatio="none" aria-hidden="true" focusable="false">'
            f'<rect width="{length:.2f}" height="1" fill="{TIER_COLOURS[0]}"/></svg></span>'
            f'<span class="bar-value">{escape(shown)}</span>'
            "</div>"
        )
    return Markup(  # noqa: S704  (every text inside was escaped)
        f'<div class="bars" role="img" aria-label="{escape(label)}">{"".join(rows)}</div>'
    )


def tier_lines(
    label: str, months: list[tuple[str, list[int]]], legend: list[str], scale: str
) -> Markup:
    """Completions per month: one line per tier (its colour and dash pattern); under the plot
    the first, middle and last months, then ``scale`` (what the top of the plot stands for)
    and the legend."""
    width, height = 600, 200
    peak = max((max(counts) for _, counts in months), default=0) or 1
    step = width / max(1, len(months) - 1)
    shapes = [
        f'<line x1="0" y1="{height}" x2="{width}" y2="{height}" stroke="#5b6b65" '
        'stroke-width="1.5"/>',
        f'<line x1="0" y1="0" x2="0" y2="{height}" stroke="#5b6b65" stroke-width="1.5"/>',
    ]
    for tier in range(4):
        points = " ".join(
            f"{i * step:.1f},{height - (height - 4) * counts[tier] / peak:.1f}"
            for i, (_, counts) in enumerate(months)
        )
        dash = f' stroke-dasharray="{TIER_DASHES[tier]}"' if TIER_DASHES[tier] else ""
        shapes.append(
            f'<polyline points="{points}" fill="none" stroke="{TIER_COLOURS[tier]}" '
            f'stroke-width="2.5" vector-effect="non-scaling-stroke"{dash}/>'
        )
    plot = (
        f'<svg class="lines" viewBox="0 0 {width} {height}" preserveAspectRatio="none" '
        f'aria-hidden="true" focusable="false">{"".join(shapes)}</svg>'
    )
    ticks = [months[0][0]] if months else []
    if len(months) > 2:
        ticks.append(months[len(months) // 2][0])
    if len(months) > 1:
        ticks.append(months[-1][0])
    axis = "".join(f"<span>{escape(tick)}</span>" for tick in ticks)
    keys = "".join(
        '<li><svg class="key" viewBox="0 0 28 8" aria-hidden="true" focusable="false">'
        f'<line x1="0" y1="4" x2="28" y2="4" stroke="{TIER_COLOURS[tier]}" stroke-width="2.5"'
        + (f' stroke-dasharray="{TIER_DASHES[tier]}"' if TIER_DASHES[tier] else "")
        + f"/></svg> {escape(name)}</li>"
        for tier, name in enumerate(legend)
    )
    return Markup(  # noqa: S704  (every text inside was escaped)
        f'<div class="line-chart" role="img" aria-label="{escape(label)}">'
        f'{plot}<div class="axis">{axis}</div>'
        f'<p class="scale">{escape(scale)}</p><ul class="legend">{keys}</ul></div>'
    )
