"""Running axe-core in the page, and keeping a screenshot of every page checked."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import axe_playwright_python

from tests.browser.conftest import SCREENSHOTS

# WCAG 2.1 A and AA, plus axe's best practices (landmarks, headings, ...).
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


@cache
def axe_source() -> str:
    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def check_page(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """Fail on any axe-core violation or sideways overflow; save a full-page screenshot."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{page.viewport_name}.png"), full_page=True)
    # evaluate() runs outside the page's Content-Security-Policy, which forbids inline scripts.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    problems = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        for violation in result["violations"]
    ]
    assert not problems, f"axe-core on {name} ({page.url}):\n" + "\n".join(problems)
    # Nothing may stick out sideways: on a phone that means scrolling every line.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} ({page.url}) is {overflow}px wider than the screen"
