"""Languages: the catalogs are complete, and each request gets the right language."""

from __future__ import annotations

import pytest

from lms import catalogs
from lms.extensions import db
from lms.i18n import LANGUAGES, html_lang
from tests.support import sign_in, submit, text


def test_every_catalog_is_complete_with_matching_placeholders():
    problems = catalogs.check()
    assert not problems, "\n".join(str(p) for p in problems[:50])


def test_the_check_notices_an_untranslated_message(tmp_path, monkeypatch):
    from babel.messages.pofile import read_po, write_po

    copy = tmp_path / "translations"
    for language in LANGUAGES:
        source = catalogs.catalog_path(language)
        target = copy / language / "LC_MESSAGES" / "messages.po"
        target.parent.mkdir(parents=True)
        target.write_bytes(source.read_bytes())
    damaged = copy / "th" / "LC_MESSAGES" / "messages.po"
    with damaged.open("rb") as handle:
        catalog = read_po(handle, locale="th")
    catalog["Sign in"].string = ""
    catalog["Welcome, %(name)s"].string = "ยินดีต้อนรับ %(nom)s"
    catalog["Home"].flags.add("fuzzy")
    with damaged.open("wb") as handle:
        write_po(handle, catalog)
    monkeypatch.setattr(catalogs, "TRANSLATIONS", copy)
    monkeypatch.setattr(
        catalogs, "catalog_path", lambda lang: copy / lang / "LC_MESSAGES" / "messages.po"
    )
    monkeypatch.setattr(catalogs, "extract", _extract_from_real_code)
    found = {(p.language, p.message, p.problem.split(" ")[0]) for p in catalogs.check()}
    assert ("th", "Sign in", "untranslated") in found
    assert ("th", "Welcome, %(name)s", "placeholders") in found
    assert ("th", "Home", "fuzzy") in found


_real_extract = catalogs.extract


def _extract_from_real_code(output):
    monkey_free = catalogs.TRANSLATIONS
    catalogs.TRANSLATIONS = catalogs.PROJECT_ROOT / "translations"
    try:
        _real_extract(output)
    finally:
        catalogs.TRANSLATIONS = monkey_free


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("km", "km"),
        ("th-TH,th;q=0.9,en;q=0.5", "th"),
        ("zh-CN,zh;q=0.9", "zh-Hans"),
        ("fr-FR,fr;q=0.9", "en"),
        ("", "en"),
    ],
)
def test_accept_language_chooses_when_nothing_else_does(client, header, expected):
    body = text(client.get("/login", headers={"Accept-Language": header}))
    assert f'<html lang="{expected}"' in body


def test_the_switcher_keeps_the_choice_in_the_session(client):
    response = submit(client, "/language", {"language": "km", "next": "/login"}, page="/login")
    assert response.location == "/login"
    assert '<html lang="km"' in text(client.get("/login", headers={"Accept-Language": "th"}))


def test_the_users_preference_wins_over_the_session(client, world):
    world.counsellor.preferred_language = "vi"
    db.session.commit()
    submit(client, "/language", {"language": "km", "next": "/"}, page="/login")
    sign_in(client, world.counsellor)
    # Signed in, switching changes the saved preference itself.
    assert '<html lang="vi"' in text(client.get("/"))
    submit(client, "/language", {"language": "lo", "next": "/"})
    db.session.expire_all()
    assert '<html lang="lo"' in text(client.get("/"))


def test_an_unknown_language_is_ignored(client):
    submit(client, "/language", {"language": "xx", "next": "//evil.example"}, page="/login")
    assert '<html lang="en"' in text(client.get("/login"))


def test_chinese_is_marked_simplified():
    assert html_lang("zh") == "zh-Hans"


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_the_login_page_is_in_every_language(client, language):
    body = text(client.get("/login", headers={"Accept-Language": language}))
    assert f'<html lang="{html_lang(language)}"' in body
    if language != "en":
        assert "Sign in to Tangga" not in body
