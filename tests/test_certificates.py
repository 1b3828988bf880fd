"""Certificates: issued once, revocable, verifiable by anyone, and drawn right in ten
languages (proved from the PDF's fonts and glyphs, not from extracted text)."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from lms.accounts.models import Role
from lms.certificates.issuing import ALPHABET, CODE_LENGTH, issue, issue_due
from lms.certificates.models import PROGRAMME, Certificate, Issuer
from lms.certificates.render import (
    certificate_html,
    qr_content,
    render_pdf,
    verification_url,
    wording,
)
from lms.extensions import db
from tests.certificate_checks import problems, weasyprint_warnings
from tests.factories import complete_tiers, user
from tests.support import IN_CI, require, sign_in, submit, text

OUTPUT = Path(__file__).resolve().parents[1] / "test-output" / "certificates"
PROJECT = Path(__file__).resolve().parents[1]

# Per language: a name in its script, the issuer's name in it, and its script's lang tag.
SAMPLES = {
    "en": ("Ana Lim", "Ministry of Manpower", "latin"),
    "id": ("Siti Rahmawati", "Kementerian Ketenagakerjaan Republik Indonesia", "latin"),
    "ms": ("Nurul Aisyah binti Ahmad", "Pertubuhan Keselamatan Sosial (PERKESO)", "latin"),
    "fil": ("Maria Dela Cruz", "Kagawaran ng Paggawa at Empleyo", "latin"),
    "vi": ("Nguyễn Thị Lan", "Trung tâm Dịch vụ việc làm Hà Nội", "latin"),
    "th": ("สมชาย ใจดี", "กรมการจัดหางาน กระทรวงแรงงาน", "th"),
    "km": ("សុខ ចាន់ធា", "ទីភ្នាក់ងារជាតិមុខរបរ និងការងារ", "km"),
    "lo": ("ສົມພອນ ແກ້ວມະນີ", "ກະຊວງແຮງງານ ແລະ ສະຫວັດດີການສັງຄົມ", "lo"),
    "my": ("ဒေါ်အေးအေးမြင့်", "အလုပ်သမားဝန်ကြီးဌာန", "my"),
    "zh": ("陈美玲", "人力资源和社会保障部", "zh-Hans"),
}


def certificate_for(world, language: str = "en", award: int = 1) -> Certificate:  # type: ignore[no-untyped-def]
    name, issuer, _script = SAMPLES[language]
    person = user(Role.COUNSELLOR, world.office, name=name, preferred_language=language)
    if db.session.scalar(sa.select(Issuer)) is None:
        db.session.add(
            Issuer(
                org_unit_id=world.office.parent.parent.id,
                name={"en": "Ministry of Manpower", language: issuer},
                signatories=[{"name": name, "title": {"en": "Director", language: issuer}}],
            )
        )
    certificate = issue(person, award, date(2026, 11, 27))
    db.session.commit()
    return certificate


# -- drawn right, in every language -----------------------------------------------------------
@pytest.mark.parametrize("language", list(SAMPLES))
def test_each_language_is_drawn_with_its_own_font_and_no_missing_glyph(app, world, language):
    name, issuer, script = SAMPLES[language]
    # The issuer names its organisation in the language, as an admin would.
    db.session.add(
        Issuer(
            org_unit_id=world.office.parent.parent.id,
            name={"en": "Ministry of Manpower", language: issuer},
            signatories=[{"name": name, "title": {"en": "Director", language: issuer}}],
        )
    )
    db.session.commit()
    certificate = certificate_for(world, language, award=2)
    words = wording(certificate, language)
    with weasyprint_warnings() as warnings:
        pdf = render_pdf(certificate_html(certificate, language))
    texts = [name, words.title, words.lead, words.achievement, words.issuer]
    assert problems(pdf, warnings, script, texts) == []
    if language != "en":  # the words are the language's, not English
        assert words.title != wording(certificate, "en").title
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / f"{language}.pdf").write_bytes(pdf)
    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "80",
                "-singlefile",
                str(OUTPUT / f"{language}.pdf"),
                str(OUTPUT / language),
            ],
            check=True,
        )


def test_a_bilingual_certificate_draws_both_languages(app, world):
    certificate = certificate_for(world, "km", award=2)
    with weasyprint_warnings() as warnings:
        pdf = render_pdf(certificate_html(certificate, "km", bilingual=True))
    english = wording(certificate, "en")
    assert problems(pdf, warnings, "km", [english.title, english.achievement]) == []
    html = certificate_html(certificate, "km", bilingual=True)
    assert english.title in html and 'lang="en"' in html and 'lang="km"' in html


def test_a_name_is_drawn_in_its_own_script_whatever_the_language(app, world, curriculum):
    person = user(Role.COUNSELLOR, world.office, name="陈美玲")
    complete_tiers(person, 1)
    certificate = issue(person, 1, date(2026, 11, 27))
    html = certificate_html(certificate, "th")
    assert '<p class="name" lang="zh-Hans">陈美玲</p>' in html
    with weasyprint_warnings() as warnings:
        pdf = render_pdf(html)
    assert problems(pdf, warnings, "zh-Hans", ["陈美玲"]) == []


def test_without_the_khmer_font_the_checks_fail(app, world, tmp_path):
    """The negative control: fontconfig pointed at a configuration without the Khmer fonts,
    set before WeasyPrint is imported (in a fresh process)."""
    certificate = certificate_for(world, "km", award=2)
    html = tmp_path / "certificate.html"
    html.write_text(certificate_html(certificate, "km"), encoding="utf-8")
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        "  <selectfont><rejectfont><glob>*Khmer*</glob></rejectfont></selectfont>\n"
        f"  <cachedir>{tmp_path / 'cache'}</cachedir>\n</fontconfig>\n",
        encoding="utf-8",
    )
    script = (
        "import json, sys\n"
        "from lms.certificates.render import render_pdf\n"
        "from tests.certificate_checks import problems, weasyprint_warnings\n"
        "html = open(sys.argv[1], encoding='utf-8').read()\n"
        "with weasyprint_warnings() as warnings:\n"
        "    pdf = render_pdf(html)\n"
        "print(json.dumps(problems(pdf, warnings, 'km', [sys.argv[2]])))\n"
    )

    def run(environment: dict[str, str]) -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", script, str(html), SAMPLES["km"][0]],
            capture_output=True,
            text=True,
            env=environment,
            cwd=PROJECT,
            check=True,
        )
        return json.loads(done.stdout.strip().splitlines()[-1])

    base = {**os.environ, "PYTHONPATH": str(PROJECT)}
    assert run(base) == []  # the same harness, with the fonts: nothing wrong
    found = run({**base, "FONTCONFIG_FILE": str(config)})
    assert any("Noto Sans Khmer" in p for p in found), found
    assert any(".notdef" in p or "glyph" in p for p in found), found


def test_long_unspaced_names_and_titles_wrap_inside_their_box(app, world, curriculum):
    from weasyprint import HTML

    from lms.certificates.render import font_config, stylesheet, url_fetcher

    for language in ("lo", "km", "my"):
        name, issuer, _ = SAMPLES[language]
        person = user(Role.COUNSELLOR, world.office, name=(name.replace(" ", "")) * 12)
        complete_tiers(person, 1)
        certificate = issue(person, 1, date(2026, 11, 27))
        certificate.issuer = {**certificate.issuer, "name": {language: issuer.replace(" ", "") * 4}}
        document = HTML(
            string=certificate_html(certificate, language), url_fetcher=url_fetcher()
        ).render(stylesheets=[stylesheet()], font_config=font_config())
        assert len(document.pages) == 1, language
        boxes = list(document.pages[0]._page_box.descendants())

        def classed(box, name: str) -> bool:  # type: ignore[no-untyped-def]
            element = box.element
            return element is not None and name in (element.get("class") or "").split()

        frame = next(b for b in boxes if b.element_tag == "div" and classed(b, "frame"))
        right = frame.content_box_x() + frame.width
        name_block = next(b for b in boxes if b.element_tag == "p" and classed(b, "name"))
        name_lines = [c for c in name_block.children if type(c).__name__ == "LineBox"]
        assert len(name_lines) >= 2, language  # the long name wrapped ...
        for line in (b for b in boxes if type(b).__name__ == "LineBox"):
            for child in line.children:  # ... and no line sticks out of the frame
                assert child.position_x + child.margin_width() <= right + 0.5, language


def test_thai_certificates_can_count_years_in_the_buddhist_era(app, world):
    certificate = certificate_for(world, "th", award=1)
    assert "2569" in wording(certificate, "th", buddhist_era=True).completed
    assert "พ.ศ." in wording(certificate, "th", buddhist_era=True).completed
    assert "2026" in wording(certificate, "th").completed


def test_the_qr_code_leads_to_the_verification_page(app, client, world, tmp_path):
    zbarimg = shutil.which("zbarimg")
    require(zbarimg is not None, "zbarimg", "install Debian's zbar-tools (make test does)")
    certificate = certificate_for(world, "en")
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(render_pdf(certificate_html(certificate, "en")))
    subprocess.run(
        ["pdftoppm", "-png", "-r", "200", "-singlefile", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    decoded = subprocess.run(
        [zbarimg, "--raw", "-q", str(tmp_path / "page.png")],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    # The address in capitals (QR's compact alphanumeric mode), and the page answers it.
    assert decoded == qr_content(certificate)
    assert decoded == verification_url(certificate).upper()
    assert decoded.endswith(f"/V/{certificate.code}")
    page = client.get(urlsplit(decoded).path)
    assert page.status_code == 200 and certificate.holder_name in text(page)
    # The address printed beside it is the short, lower-case form, and works too.
    assert verification_url(certificate).endswith(f"/v/{certificate.code}")
    assert certificate.holder_name in text(client.get(urlsplit(verification_url(certificate)).path))
    assert verification_url(certificate) in certificate_html(certificate, "en")


@pytest.mark.app_config(PUBLIC_URL="https://example.org/tangga")
def test_a_site_under_a_path_keeps_its_case_in_the_qr_code(app, world):
    certificate = certificate_for(world, "en")
    assert qr_content(certificate) == f"https://example.org/tangga/v/{certificate.code}"


# -- issuing ----------------------------------------------------------------------------------
def test_codes_are_long_unguessable_and_without_look_alikes(app, world):
    certificate = certificate_for(world)
    assert len(certificate.code) == CODE_LENGTH >= 10
    assert set(certificate.code) <= set(ALPHABET)
    assert not set("0O1IL") & set(ALPHABET)
    assert certificate.serial.startswith("ID-2026-")


def test_completing_tiers_issues_certificates_once_and_the_programme_at_the_end(
    app, world, training
):
    from lms.training.standing import record_completions

    person = world.counsellor
    complete_tiers(person, 1, 2, 3)
    assert len(issue_due(person)) == 3
    assert issue_due(person) == []  # again: nothing more
    assert db.session.scalar(sa.select(sa.func.count(Certificate.id))) == 3
    # Tier 4 recorded by its rules issues its certificate and the programme's.
    from lms.curriculum.models import Tier

    db.session.get(Tier, 4).rules = {"workshops_attended": 0, "accepted_action_plans": 0}
    db.session.flush()
    assert record_completions(person) == [4]
    awards = sorted(db.session.scalars(sa.select(Certificate.award)))
    assert awards == [1, 2, 3, 4, PROGRAMME]


def test_issuing_twice_at_once_leaves_one_certificate(app, world, curriculum):
    from tests.test_concurrency import run_together

    complete_tiers(world.counsellor, 1)
    db.session.commit()
    user_id = world.counsellor.id

    def issue_it():  # type: ignore[no-untyped-def]
        from lms.accounts.models import User

        return issue(db.session.get(User, user_id), 1, date(2026, 11, 27)).code

    codes = run_together(app, 4, issue_it)
    assert not [c for c in codes if isinstance(c, Exception)], codes
    assert len(set(codes)) == 1
    assert db.session.scalar(sa.select(sa.func.count(Certificate.id))) == 1


# -- downloading, revoking, verifying ---------------------------------------------------------
def test_the_holder_downloads_in_any_language_and_admins_in_scope_too(client, world):
    certificate = certificate_for(world, "km")
    url = f"/certificates/{certificate.id}.pdf?language=km&bilingual=y"
    sign_in(client, certificate.user)
    page = text(client.get("/certificates"))
    assert f"/certificates/{certificate.id}.pdf" in page
    response = client.get(url)
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert "no-store" in response.headers["Cache-Control"]
    for person, status in [
        (world.admin, 200),
        (world.other_admin, 404),
        (world.trainer, 404),
        (world.other_counsellor, 404),
    ]:
        sign_in(client, person)
        assert client.get(url).status_code == status, person.email
    sign_in(client, certificate.user)
    assert client.get(f"/certificates/{certificate.id}.pdf?language=xx").status_code == 400


def test_revoked_certificates_say_so_and_can_be_issued_again(client, world, curriculum):
    certificate = certificate_for(world)
    complete_tiers(certificate.user, 1)
    db.session.commit()
    sign_in(client, world.admin)
    page = f"/admin/users/{certificate.user_id}/certificates"
    url = f"/certificates/{certificate.id}/revoke"
    response = submit(client, url, {"reason": ""}, page=page, follow_redirects=True)
    assert "Give the reason" in text(response)
    submit(client, url, {"reason": "Issued to the wrong person"}, page=page)
    db.session.refresh(certificate)
    assert certificate.revoked_dt is not None
    verified = client.get(f"/verify/{certificate.code}", headers={"Accept": "application/json"})
    assert verified.json["status"] == "revoked" and "revoked_on" in verified.json
    assert "was revoked on" in text(client.get(f"/verify/{certificate.code}"))
    submit(client, f"/certificates/{certificate.id}/reissue", page=page)
    codes = db.session.scalars(sa.select(Certificate.code).where(Certificate.revoked_dt.is_(None)))
    (new_code,) = codes
    assert new_code != certificate.code
    sign_in(client, world.other_admin)
    assert submit(client, url, {"reason": "x"}).status_code == 404


def test_a_revoked_certificate_stays_revoked_and_takes_the_programme_with_it(
    client, world, training
):
    person = training.counsellor
    complete_tiers(person, 2, 3, 4)
    issued = issue_due(person)
    assert sorted(c.award for c in issued) == [1, 2, 3, 4, PROGRAMME]
    db.session.commit()
    tier2 = next(c for c in issued if c.award == 2)
    from lms.certificates.issuing import CertificateRefused, reissue, revoke

    revoke(tier2, world.admin, "Attendance was recorded for the wrong person")
    db.session.commit()
    programme = next(c for c in issued if c.award == PROGRAMME)
    db.session.refresh(programme)
    assert programme.revoked_dt is not None  # it rested on Tier 2's
    # The holder's page, or the issue command, does not bring it back.
    sign_in(client, person)
    client.get("/certificates")
    assert issue_due(person) == []
    valid = db.session.scalars(
        sa.select(Certificate.award).where(Certificate.revoked_dt.is_(None))
    ).all()
    assert sorted(valid) == [1, 3, 4]
    # Only an admin issues it again; the programme after the tier, and never twice.
    with pytest.raises(CertificateRefused):
        reissue(programme)
    again = reissue(tier2)
    with pytest.raises(CertificateRefused):
        reissue(tier2)
    assert again.code != tier2.code
    assert reissue(programme).is_valid
    revoke(again, world.admin, "Wrong date")
    person.is_enabled = False
    with pytest.raises(CertificateRefused, match="deactivated"):
        reissue(again)


def test_verification_shows_what_the_certificate_shows_and_nothing_more(client, world):
    certificate = certificate_for(world, "vi")
    response = client.get(f"/verify/{certificate.code.lower()}")
    body = text(response)
    assert response.status_code == 200 and "Valid certificate" in body
    assert certificate.holder_name in body
    assert certificate.user.email not in body
    data = client.get(f"/verify/{certificate.code}", headers={"Accept": "application/json"}).json
    assert data["status"] == "valid" and data["name"] == certificate.holder_name
    assert set(data) == {"status", "code", "serial", "name", "award", "completed_on", "issuer"}
    typed = client.get(
        "/verify", query_string={"code": "  " + certificate.code[:4] + "-" + certificate.code[4:]}
    )
    assert typed.status_code == 302 and typed.location.endswith(f"/verify/{certificate.code}")
    unknown = client.get("/verify/BBBBBBBBBBBB")
    assert unknown.status_code == 404 and "No certificate has this code" in text(unknown)


@pytest.mark.app_config(VERIFY_RATE_LIMIT="5 per minute")
def test_guessing_codes_gets_429(client, world):
    # The long, short and capital forms of the address share one limit.
    forms = ["/verify/", "/v/", "/V/"]
    statuses = [client.get(f"{forms[n % 3]}BBBBBBBBBB{n:02d}").status_code for n in range(8)]
    assert statuses[:5] == [404] * 5
    assert statuses[-1] == 429


def test_the_cohort_zip_holds_every_certificate(client, world, training):
    import io
    import zipfile

    for person in (training.counsellor, training.other_counsellor):
        complete_tiers(person, 2)
        issue_due(person)
    db.session.commit()
    url = f"/cohorts/{training.cohort.id}/certificates.zip?language=id"
    sign_in(client, world.admin)
    response = client.get(url)
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert len(archive.namelist()) == 2
    assert all(archive.read(name).startswith(b"%PDF") for name in archive.namelist())
    for person, status in [(training.trainer, 403), (world.other_admin, 404)]:
        sign_in(client, person)
        assert client.get(url).status_code == status


def test_zawgyi_names_are_refused_with_a_request_for_unicode(client, world):
    sign_in(client, world.counsellor)
    zawgyi = "ေမာင္ေမာင္"
    response = submit(
        client,
        "/profile",
        {"display_name": zawgyi, "preferred_language": "my", "sex": "female"},
        page="/profile",
    )
    assert "Zawgyi" in text(response)
    db.session.refresh(world.counsellor)
    assert world.counsellor.display_name != zawgyi
    from lms.accounts.zawgyi import is_zawgyi
    from lms.training.rollouts import parse_newcomers

    assert is_zawgyi(zawgyi) and not is_zawgyi("မောင်မောင်") and not is_zawgyi("Siti")
    pairs, problems = parse_newcomers(f"{zawgyi}, z@example.org\nမောင်မောင်, m@example.org")
    assert pairs == [("မောင်မောင်", "m@example.org")]
    assert len(problems) == 1 and problems[0].startswith("Line 1:") and "Zawgyi" in problems[0]


def test_doctor_reports_fonts_and_the_subsetter(runner):
    result = runner.invoke(args=["lms", "doctor"])
    assert "km" in result.output and "Noto Sans Khmer" in result.output
    assert "HarfBuzz subsetter" in result.output
    if IN_CI:
        assert result.exit_code == 0, result.output


def test_commands_issue_what_is_due_and_render_a_cohort(app, runner, world, training, tmp_path):
    import zipfile

    for person in (training.counsellor, training.other_counsellor):
        complete_tiers(person, 2)
    db.session.commit()
    result = runner.invoke(args=["lms", "certificates", "issue"])
    assert result.exit_code == 0, result.output
    assert "Certificates: 4 valid for 2 people." in result.output  # tiers 1 and 2 each
    out = tmp_path / "cohort.zip"
    result = runner.invoke(
        args=[
            "lms",
            "certificates",
            "render",
            "--cohort",
            str(training.cohort.id),
            "--language",
            "th",
            "--out",
            str(out),
            "--workers",
            "2",
        ]
    )
    assert result.exit_code == 0, result.output
    names = zipfile.ZipFile(out).namelist()
    assert len(names) == 2 and all(n.endswith("-th.pdf") for n in names)
    assert db.session.scalar(sa.select(sa.func.count(Certificate.id))) == 4  # still usable


@pytest.mark.parametrize(("language", "bilingual"), [("en", False), ("my", True), ("km", True)])
def test_long_texts_stay_clear_of_the_signatures_and_the_qr_code(
    app, world, curriculum, language, bilingual
):
    from weasyprint import HTML

    from lms.certificates.render import font_config, stylesheet, url_fetcher

    name, issuer, _ = SAMPLES[language]
    long_name = ("Nurul Aisyah Binti Ahmad Fadzil Abdul Rahman " * 2).strip()[:90]
    person = user(Role.COUNSELLOR, world.office, name=long_name if language == "en" else name * 5)
    complete_tiers(person, 1)
    certificate = issue(person, PROGRAMME, date(2026, 11, 27))
    certificate.issuer = {
        **certificate.issuer,
        "signatories": [
            {"name": "Ratna Sari", "title": {"en": "Director of Employment Services"}},
            {"name": "Hendra Wijaya", "title": {"en": "Head of Training, Ministry of Manpower"}},
        ],
    }
    html = certificate_html(certificate, language, bilingual=bilingual)
    document = HTML(string=html, url_fetcher=url_fetcher()).render(
        stylesheets=[stylesheet()], font_config=font_config()
    )
    assert len(document.pages) == 1
    boxes = list(document.pages[0]._page_box.descendants())

    def classed(box, name: str) -> bool:  # type: ignore[no-untyped-def]
        return box.element is not None and name in (box.element.get("class") or "").split()

    body = next(b for b in boxes if classed(b, "body") and b.element_tag == "div")
    bottom = body.position_y + body.margin_height()
    for name_ in ("signatories", "verification"):
        block = next(b for b in boxes if classed(b, name_) and b.element_tag == "div")
        assert bottom <= block.position_y + 0.5, (name_, bottom, block.position_y)
    inside = [b for b in body.descendants() if type(b).__name__ == "LineBox"]
    assert inside and all(line.position_y + line.height <= bottom + 0.5 for line in inside)


@pytest.mark.parametrize("language", ["my", "km", "lo", "en"])
def test_the_verification_lines_sit_beside_the_qr_code(app, world, language):
    """Whatever the code (each draws a different QR code and line), the lines start level with
    the QR code rather than below it (one block with <br> did that for some Burmese codes),
    and the block is as tall as the code, whose place does not make it taller: short English
    lines included, the code stays inside it, clear of the frame."""
    from weasyprint import HTML

    from lms.certificates.render import font_config, stylesheet, url_fetcher

    certificate = certificate_for(world, language)
    rng = random.Random(language)  # the same twelve codes every run, so a failure repeats
    for _ in range(12):
        certificate.code = "".join(rng.choice(ALPHABET) for _ in range(CODE_LENGTH))
        html = certificate_html(certificate, language, bilingual=True)
        document = HTML(string=html, url_fetcher=url_fetcher()).render(
            stylesheets=[stylesheet()], font_config=font_config()
        )
        verification = next(
            b
            for b in document.pages[0]._page_box.descendants()
            if b.element_tag == "div" and "verification" in (b.element.get("class") or "")
        )
        boxes = list(verification.descendants(placeholders=True))  # the QR code is placed
        qr = next(b for b in boxes if type(b).__name__ == "BlockReplacedBox")
        lines = [b for b in boxes if type(b).__name__ == "LineBox"]
        assert lines[0].position_y < qr.position_y + 0.25 * qr.height, certificate.code
        assert all(line.position_x >= qr.position_x + qr.width for line in lines)
        block_bottom = verification.position_y + verification.border_height()
        assert qr.position_y + qr.height <= block_bottom + 0.5, certificate.code
