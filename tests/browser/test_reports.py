"""Reports in Chromium: an admin filters the completion report with the form (no script
needed), exports it, and every report page passes axe-core on a phone and a desktop."""

from __future__ import annotations

import csv
import io
import re

from tests.browser.axe import check_page
from tests.browser.test_training import ADMIN, TRAINER, ids, sign_in


def test_report_pages_pass_axe(page, live_app):
    sign_in(page, ADMIN)
    for path in (
        "/reports/",
        "/reports/completion",
        "/reports/completion?tier=2&status=in_progress",
        "/reports/completion?status=completed",  # the form with its errors
        "/reports/exports",
    ):
        page.goto(path)
        name = re.sub(r"[^a-z0-9]+", "-", path).strip("-")
        check_page(page, f"admin-{name}")


def test_the_trainer_matrix_passes_axe(page, live_app):
    known = ids(live_app)
    sign_in(page, TRAINER)
    page.goto(f"/cohorts/{known['cohort']}/progress")
    assert page.locator("table.matrix tbody tr").count() >= 1
    check_page(page, "trainer-cohort-progress")


def test_an_admin_filters_without_script_and_exports_what_is_shown(no_js_page, live_app):
    page = no_js_page
    sign_in(page, ADMIN)
    page.goto("/reports/completion")
    everyone = page.locator("table.report-table tbody tr").count()
    page.select_option("#tier", "2")
    page.select_option("#status", "completed")
    page.locator(".report-filter button[type=submit]").click()
    page.wait_for_url(re.compile(r"tier=2"))
    shown = [name.strip() for name in page.locator("table.report-table tbody th").all_inner_texts()]
    assert 0 < len(shown) < everyone
    with page.expect_download() as download:
        page.locator("a[href*='completion.csv']").click()
    with open(download.value.path(), "rb") as saved:
        body = saved.read()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert sorted(row[0] for row in rows[1:]) == sorted(shown)
    page.goto("/reports/exports")
    latest = page.locator("table tbody tr").first
    assert latest.locator("td").nth(2).inner_text() == "CSV"
    assert latest.locator("td").nth(4).inner_text() == str(len(shown))
