"""Many certificates at once: rendered in worker processes (one font configuration each) and
streamed into a ZIP as they come, so memory stays flat whatever the cohort's size."""

from __future__ import annotations

import logging
import multiprocessing
import os
import zipfile
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor

from lms.certificates.models import Certificate
from lms.certificates.render import certificate_html, pdf_name, render_pdf

LOGGER = logging.getLogger(__name__)


class _Sink:
    """A write-only stream the ZIP writer fills and the response empties."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def drain(self) -> bytes:
        data = b"".join(self.chunks)
        self.chunks.clear()
        return data


def try_render(html: str) -> bytes | str:
    """The PDF, or the error's name when it cannot be rendered (a ZIP goes on without it)."""
    try:
        return render_pdf(html)
    except Exception as error:  # noqa: BLE001  (reported by the caller)
        LOGGER.exception("a certificate failed to render")
        return type(error).__name__


def render_all(
    htmls: Iterable[str], workers: int, *, fork: bool = False, render=render_pdf
) -> Iterator:
    """PDFs for ``htmls``, in order; with ``workers`` > 1, in that many processes.

    :param fork: start the workers by forking (fast, and they inherit the fonts already
        loaded); only from a single-threaded command. A web worker (threads, database
        connections) spawns fresh processes instead.
    """
    if workers <= 1:
        for html in htmls:
            yield render(html)
        return
    context = multiprocessing.get_context("fork" if fork else "spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        # A bounded window of work in flight (Executor.map would take every HTML at once, and
        # finished PDFs would pile up while a slow client reads): memory stays flat.
        window: deque = deque()
        for html in htmls:
            window.append(pool.submit(render, html))
            if len(window) >= 2 * workers:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()


def usable_cores() -> int:
    """The cores this process may use (a container's share, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def zip_stream(named_pdfs: Iterable[tuple[str, bytes]]) -> Iterator[bytes]:
    sink = _Sink()
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_STORED) as archive:
        for name, pdf in named_pdfs:
            archive.writestr(name, pdf)
            yield sink.drain()
    yield sink.drain()


def _named(results: Iterator, names: list[str]) -> Iterator[tuple[str, bytes]]:
    """Each PDF with its name; a certificate that failed is named in a closing ERRORS.txt
    instead of cutting the archive short."""
    failed: list[str] = []
    for name, result in zip(names, results, strict=True):
        if isinstance(result, bytes):
            yield name, result
        else:
            failed.append(f"{name}: {result}")
    if failed:
        yield "ERRORS.txt", ("\n".join(failed) + "\n").encode()


def cohort_zip(
    certificates: list[Certificate], language: str, *, workers: int, fork: bool = False
) -> Iterator[bytes]:
    """The certificates as one ZIP, streamed; the HTML is made here, the PDFs in workers."""
    names = [pdf_name(c, language) for c in certificates]
    htmls = (certificate_html(c, language, buddhist_era=language == "th") for c in certificates)
    results = render_all(htmls, workers, fork=fork, render=try_render)
    yield from zip_stream(_named(results, names))
