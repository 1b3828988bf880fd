"""A cohort's certificates are laid out several to a document and written one PDF a page:
the files must be the ones a single download makes, in order, and a certificate that cannot
join a batch is still made (or named as failed) on its own."""

from __future__ import annotations

import gc
import io
import logging
import shutil
import subprocess
import zipfile
from datetime import date

import pytest

from lms.accounts.models import Role
from lms.certificates import batch
from lms.certificates.batch import batches, cohort_zip, render_all
from lms.certificates.issuing import issue
from lms.certificates.render import certificate_html, render_pdf, render_pdfs, stylesheet
from lms.extensions import db
from tests.certificate_checks import problems, weasyprint_warnings
from tests.factories import user
from tests.support import require

NAMES = {
    "km": ["សុខ ចាន់ធា", "ចាន់ សុភា", "កែវ សុវណ្ណ"],
    "zh": ["陈美玲", "王小明", "李华"],
    "en": ["Ana Lim", "Budi Santoso", "Maria Dela Cruz"],
}


def certificates(world, language: str):  # type: ignore[no-untyped-def]
    people = [
        user(Role.COUNSELLOR, world.office, name=name, preferred_language=language)
        for name in NAMES[language]
    ]
    issued = [issue(person, 1, date(2026, 11, 27)) for person in people]
    db.session.commit()
    return issued


def pages(pdf: bytes) -> int:
    info = subprocess.run(
        ["pdfinfo", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))


def text_of(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


@pytest.fixture
def poppler() -> None:
    require(bool(shutil.which("pdftoppm")), "pdftoppm", "install poppler-utils (make test does)")


@pytest.mark.parametrize(("language", "bilingual"), [("km", True), ("zh", False), ("en", False)])
def test_certificates_rendered_together_are_the_files_rendered_alone(
    app, world, poppler, language, bilingual
):
    issued = certificates(world, language)
    htmls = [certificate_html(c, language, bilingual=bilingual) for c in issued]
    with weasyprint_warnings() as warnings:
        together = render_pdfs(htmls)
    script = {"km": "km", "zh": "zh-Hans", "en": "latin"}[language]
    for certificate, html, pdf in zip(issued, htmls, together, strict=True):
        # The very file a single download makes: one page, only its own glyphs embedded ...
        assert pdf == render_pdf(html)
        assert pages(pdf) == 1 and certificate.serial in text_of(pdf)
        # ... every one of them drawn.
        assert problems(pdf, warnings, script, [certificate.holder_name]) == []


def test_a_cohort_comes_back_in_order_through_batches_and_workers(app, world, poppler, monkeypatch):
    issued = certificates(world, "en") + certificates(world, "km") + certificates(world, "zh")
    # Nine people, in English twice over, in Khmer twice over, six in Chinese: more batches
    # than the window of work in flight holds, and the head changing with the language.
    jobs = [(c, "en") for c in issued * 2] + [(c, "km") for c in issued * 2]
    jobs += [(c, "zh") for c in issued[:6]]
    htmls = [certificate_html(c, lang) for c, lang in jobs]
    sizes = [len(b) for b in batches(htmls)]
    assert sizes == [8, 8, 2, 8, 8, 2, 6] and len(sizes) > 2 + 1
    laid_out: list[int] = []

    def counted(group: list[str], images: dict[str, str]) -> list[bytes]:
        laid_out.append(len(group))
        return real(group, images=images)

    real = batch.render_pdfs
    monkeypatch.setattr(batch, "render_pdfs", counted)
    for workers in (1, 2):
        pdfs = list(render_all(htmls, workers, fork=True))
        assert len(pdfs) == len(jobs)
        for pdf, (certificate, _) in zip(pdfs, jobs, strict=True):
            assert isinstance(pdf, bytes) and pages(pdf) == 1
            assert certificate.serial in text_of(pdf)
    # Every batch was laid out together (none fell back to one by one); the forked workers'
    # calls are not counted here, so this is the single-process run.
    assert laid_out == sizes


def test_a_web_request_renders_one_at_a_time(app, world, monkeypatch):
    """In a web request's own thread (no workers, not a command) a batch would hold the
    process's rendering lock, which other people's downloads wait for, up to a second."""
    issued = certificates(world, "en")
    calls: list[str] = []
    real_alone, real_together = batch.render_pdf, batch.render_pdfs
    monkeypatch.setattr(
        batch, "render_pdf", lambda html, images: calls.append("alone") or real_alone(html)
    )
    monkeypatch.setattr(
        batch,
        "render_pdfs",
        lambda htmls, images: calls.append("together") or real_together(htmls),
    )
    archive = zipfile.ZipFile(io.BytesIO(b"".join(cohort_zip(issued, "en", workers=1))))
    assert len(archive.namelist()) == 3 and calls == ["alone"] * 3
    calls.clear()
    archive = zipfile.ZipFile(io.BytesIO(b"".join(cohort_zip(issued, "en", workers=1, fork=True))))
    assert len(archive.namelist()) == 3 and calls == ["together"]  # a command: one batch


def test_spawned_workers_render_the_cohort_in_order(app, world, poppler):
    """The web's own processes are spawned, not forked: they start bare and import what they
    need."""
    issued = certificates(world, "km")
    htmls = [certificate_html(c, "km") for c in issued]
    pdfs = list(render_all(htmls, 2, fork=False))
    assert [c.serial in text_of(pdf) for c, pdf in zip(issued, pdfs, strict=True)] == [True] * 3


@pytest.mark.parametrize("fork", [True, False])
def test_workers_make_the_stylesheet_then_set_aside_what_they_hold(fork):
    """A worker makes the stylesheet (WeasyPrint, the font configuration), then freezes it with
    everything else it holds out of the garbage collector's rounds (``gc.freeze``), forked or
    spawned."""
    stylesheet.cache_clear()  # a forked worker would otherwise inherit one made here
    with batch.worker_pool(1, fork=fork) as pool:
        assert pool.submit(stylesheet_made_then_frozen).result()


def stylesheet_made_then_frozen() -> bool:
    """In a worker: the stylesheet was made before anything asked for it, and is frozen
    (``gc.get_objects`` leaves out frozen objects)."""
    if stylesheet.cache_info().currsize != 1:
        return False
    made = stylesheet()
    return all(thing is not made for thing in gc.get_objects())


def test_a_worker_that_cannot_make_the_stylesheet_still_starts(monkeypatch, caplog):
    """Its certificates then fail one by one and are named, rather than the pool breaking."""
    frozen: list[bool] = []
    monkeypatch.setattr(batch, "stylesheet", lambda: 1 / 0)
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))
    with caplog.at_level(logging.ERROR, logger=batch.LOGGER.name):
        batch._start_worker()
    assert "could not make the stylesheet" in caplog.text and frozen == [True]


def test_batches_hold_consecutive_certificates_with_the_same_head():
    def page(head: str, body: str) -> str:
        return f"<html lang={head}><head></head><body>{body}</body></html>"

    htmls = [page("a", "1"), page("a", "2"), page("a", "3"), page("b", "4"), page("a", "5")]
    assert list(batches(htmls, 2)) == [htmls[0:2], htmls[2:3], htmls[3:4], htmls[4:5]]
    assert list(batches(htmls, 8)) == [htmls[0:3], htmls[3:4], htmls[4:5]]
    assert list(batches([], 8)) == []
    with pytest.raises(ValueError, match="share their head"):
        render_pdfs([htmls[0], htmls[3]])


def test_a_certificate_running_over_its_page_is_rendered_alone(app, world, poppler):
    issued = certificates(world, "en")
    htmls = [certificate_html(c, "en") for c in issued]
    # Something after the frame, which fills the page: the middle one takes two pages.
    htmls[1] = htmls[1].replace("</body>", "<p>overflow</p></body>")
    with pytest.raises(ValueError, match="3 certificates came out as 4 pages"):
        render_pdfs(htmls)
    pdfs = list(render_all(htmls, 1, fork=True))  # as a command: in batches
    assert [pages(pdf) for pdf in pdfs] == [1, 2, 1]
    assert all(c.serial in text_of(pdf) for c, pdf in zip(issued, pdfs, strict=True))


def test_a_certificate_that_cannot_be_rendered_is_named_and_the_zip_goes_on(
    app, world, monkeypatch
):
    issued = certificates(world, "en")
    broken = issued[1].serial

    def fails_on_one(html: str, images: dict[str, str]) -> bytes:
        if broken in html:
            raise RuntimeError("a font went missing")
        return real_render(html, images=images)

    tried_together: list[int] = []

    def fails_together(htmls: list[str], images: dict[str, str]) -> list[bytes]:
        tried_together.append(len(htmls))
        if any(broken in html for html in htmls):
            raise RuntimeError("a font went missing")
        return real_render_many(htmls, images=images)

    real_render, real_render_many = batch.render_pdf, batch.render_pdfs
    monkeypatch.setattr(batch, "render_pdf", fails_on_one)
    monkeypatch.setattr(batch, "render_pdfs", fails_together)
    # As a command renders them: the three together, which fails, then one by one.
    archive = zipfile.ZipFile(io.BytesIO(b"".join(cohort_zip(issued, "en", workers=1, fork=True))))
    names = archive.namelist()
    assert len(names) == 3 and names[-1] == "ERRORS.txt"
    assert all(archive.read(name).startswith(b"%PDF") for name in names[:2])
    assert broken in archive.read("ERRORS.txt").decode()
    assert "RuntimeError" in archive.read("ERRORS.txt").decode()
    assert tried_together == [3]
