"""Many certificates at once: rendered in worker processes (one font configuration each) and
streamed into a ZIP as they come, so memory stays flat whatever the cohort's size."""

from __future__ import annotations

import multiprocessing
import zipfile
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor

from lms.certificates.models import Certificate
from lms.certificates.render import certificate_html, pdf_name, render_pdf


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


def render_all(htmls: Iterable[str], workers: int, *, fork: bool = False) -> Iterator[bytes]:
    """PDFs for ``htmls``, in order; with ``workers`` > 1, in that many processes.

    :param fork: start the workers by forking (fast, and they inherit the fonts already
        loaded); only from a single-threaded command. A web worker (threads, database
        connections) spawns fresh processes instead.
    """
    if workers <= 1:
        for html in htmls:
            yield render_pdf(html)
        return
    context = multiprocessing.get_context("fork" if fork else "spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from pool.map(render_pdf, htmls, chunksize=4)


def zip_stream(named_pdfs: Iterable[tuple[str, bytes]]) -> Iterator[bytes]:
    sink = _Sink()
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_STORED) as archive:
        for name, pdf in named_pdfs:
            archive.writestr(name, pdf)
            yield sink.drain()
    yield sink.drain()


def cohort_zip(
    certificates: list[Certificate], language: str, *, workers: int, fork: bool = False
) -> Iterator[bytes]:
    """The certificates as one ZIP, streamed; the HTML is made here, the PDFs in workers."""
    names = [pdf_name(c, language) for c in certificates]
    htmls = (certificate_html(c, language) for c in certificates)
    yield from zip_stream(zip(names, render_all(htmls, workers, fork=fork), strict=True))
