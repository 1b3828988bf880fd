"""Every role signs in through the real form in Chromium; every page passes axe-core."""

from __future__ import annotations

import re

import pytest

from lms.demo import DEMO_PASSWORD
from tests.browser.axe import check_page

COUNSELLOR = "counsellor.id@example.org"
TRAINER = "trainer.id@example.org"
ADMIN = "admin.id@example.org"
REGIONAL = "regional.admin@example.org"


def sign_in(page, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/$"))


def switch_language(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.locator("#language-select").select_option(label=name)
    page.locator(".language-form button").click()
    page.wait_for_load_state()


def test_anonymous_pages(page):
    page.goto("/login")
    check_page(page, "login")
    page.goto("/reset-password")
    check_page(page, "reset-request")
    page.goto("/invitation/not-a-real-token")
    check_page(page, "link-problem")
    response = page.goto("/no-such-page")
    assert response.status == 404
    check_page(page, "not-found")


@pytest.mark.parametrize("email", [COUNSELLOR, TRAINER])
def test_counsellor_and_trainer_pages(page, email):
    sign_in(page, email)
    # The demo people prefer Indonesian: the page follows their profile, not the browser.
    assert page.locator("html").get_attribute("lang") == "id"
    assert "Siti Rahmawati" in page.get_by_role("heading", level=1).inner_text() or email == TRAINER
    check_page(page, f"home-{email.split('.')[0]}")
    page.goto("/profile")
    check_page(page, f"profile-{email.split('.')[0]}")
    response = page.goto("/admin/users")
    assert response.status == 403
    check_page(page, "forbidden")


@pytest.mark.parametrize("email", [ADMIN, REGIONAL])
def test_admin_pages(page, email):
    who = "admin" if email == ADMIN else "regional"
    sign_in(page, email)
    check_page(page, f"home-{who}")
    page.locator("nav a[href='/admin/users']").click()
    check_page(page, f"users-{who}")
    page.locator("#q").fill("siti")
    page.locator(".search-form button").click()
    page.get_by_role("link", name="Siti Rahmawati").click()
    check_page(page, f"user-edit-{who}")
    page.goto("/admin/users/new")
    check_page(page, f"user-new-{who}")
    page.goto("/admin/users/import")
    check_page(page, f"import-{who}")
    page.goto("/admin/units")
    check_page(page, f"units-{who}")


def test_import_errors_are_listed_accessibly(page, tmp_path):
    sign_in(page, REGIONAL)
    page.goto("/admin/users/import")
    bad = tmp_path / "people.csv"
    bad.write_text(
        "email,display_name,role,org_unit\nnot-an-email,,boss,NOWHERE\n", encoding="utf-8"
    )
    page.get_by_label("CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Check and import").click()
    assert page.get_by_role("alert").count() >= 1
    assert "Nothing was imported" in page.content()
    check_page(page, "import-errors")


def test_switch_to_khmer_and_back(page):
    sign_in(page, COUNSELLOR)
    switch_language(page, "ខ្មែរ")
    assert page.locator("html").get_attribute("lang") == "km"
    assert "Welcome" not in page.get_by_role("heading", level=1).inner_text()
    check_page(page, "home-khmer")
    page.goto("/profile")
    check_page(page, "profile-khmer")
    switch_language(page, "English")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Your profile" in page.get_by_role("heading", level=1).inner_text()
    switch_language(page, "Bahasa Indonesia")  # as the demo had it


@pytest.mark.parametrize("language", ["th", "my", "zh"])
def test_pages_in_other_scripts(page, language):
    page.goto("/login")
    page.locator("#language-select").select_option(language)
    page.locator(".language-form button").click()
    page.wait_for_load_state()
    expected = "zh-Hans" if language == "zh" else language
    assert page.locator("html").get_attribute("lang") == expected
    check_page(page, f"login-{language}")


def test_sign_in_and_switch_language_without_javascript(no_js_page):
    page = no_js_page
    sign_in(page, TRAINER)
    switch_language(page, "Tiếng Việt")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.locator(".main-nav form button").click()
    page.wait_for_url(re.compile(r"/login$"))
