"""The demo facilitator downloads certificates in five scripts from the browser, each drawn
right, scans the QR code, and lands on the verification page; certificate pages pass axe."""

from __future__ import annotations

import re
import shutil
import subprocess
from urllib.parse import urlsplit

import pytest

from lms.certificates.fonts import LANGUAGE_SCRIPT
from tests.browser.axe import check_page
from tests.browser.test_training import ADMIN, sign_in
from tests.certificate_checks import problems
from tests.support import require

FACILITATOR = "budi.santoso@example.org"


@pytest.mark.parametrize("language", ["km", "th", "my", "vi", "zh"])
def test_the_demo_counsellor_downloads_a_certificate_and_its_qr_leads_to_verification(
    page, live_app, tmp_path, language
):
    zbarimg = shutil.which("zbarimg")
    require(zbarimg is not None, "zbarimg", "install Debian's zbar-tools (make test does)")
    sign_in(page, FACILITATOR)
    page.goto("/certificates")
    check_page(page, f"certificates-{language}")
    form = page.locator("form.download-form").first
    form.locator("select[name='language']").select_option(language)
    response = page.request.get(
        form.get_attribute("action"), params={"language": language, "buddhist_era": "y"}
    )
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    with live_app.test_request_context():
        import sqlalchemy as sa

        from lms.accounts.users import user_by_email
        from lms.certificates.models import Certificate
        from lms.certificates.render import wording
        from lms.extensions import db

        budi = user_by_email(FACILITATOR)
        first = db.session.scalars(
            sa.select(Certificate).where(Certificate.user_id == budi.id).order_by(Certificate.award)
        ).first()
        words = wording(first, language)
        texts = [budi.display_name, words.title, words.lead, words.achievement, words.completed]
    assert problems(pdf, [], LANGUAGE_SCRIPT[language], texts) == []
    (tmp_path / "c.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "200",
            "-singlefile",
            str(tmp_path / "c.pdf"),
            str(tmp_path / "c"),
        ],
        check=True,
    )
    url = subprocess.run(
        [zbarimg, "--raw", "-q", str(tmp_path / "c.png")],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    # The code holds the address in capitals (QR's compact mode); its path, as it is, is
    # followed on the live server, which stands in for the public address.
    path = urlsplit(url).path
    assert re.fullmatch(r"/V/[A-Z0-9]{12}", path), url
    page.goto(path)
    assert "Budi Santoso" in page.locator("main").inner_text()
    assert page.locator(".verify-valid").count() == 1
    check_page(page, f"verify-{language}")


def test_verification_and_admin_certificate_pages_pass_axe(page, live_app):
    page.goto("/verify")
    check_page(page, "verify-form")
    page.locator("#code").fill("BBBB-BBBB-BBBB")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".verify-unknown").count() == 1
    check_page(page, "verify-unknown")
    sign_in(page, ADMIN)
    with live_app.app_context():
        from lms.accounts.units import unit_by_code
        from lms.accounts.users import user_by_email

        budi = user_by_email(FACILITATOR).id
        indonesia = unit_by_code("ID").id
    for path in (
        f"/admin/users/{budi}/certificates",
        "/admin/issuers",
        f"/admin/issuers/{indonesia}",
    ):
        page.goto(path)
        check_page(page, "admin" + re.sub(r"[^a-z0-9]+", "-", path).rstrip("-"))
