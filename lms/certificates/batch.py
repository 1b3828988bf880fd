"""Many certificates at once: rendered a batch at a time (one document for several, one PDF
a page) in worker processes (one font configuration each) and streamed into a ZIP as they
come, so memory stays flat whatever the cohort's size."""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import zipfile
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor

from lms.certificates.models import Certificate
from lms.certificates.render import (
    Images,
    certificate_html,
    certificate_images,
    document_head,
    named_images,
    pdf_name,
    render_pdf,
    render_pdfs,
    stylesheet,
)

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


# Certificates laid out as one document: about a tenth less work each (bench/certificates.py,
# "in a batch"); batches of 16 or 32 made no measurable difference to a cohort's ZIP, and
# hold more in memory.
BATCH_SIZE = 8


def batch_size(workers: int, *, fork: bool) -> int:
    """:data:`BATCH_SIZE`, except in a web request's own thread (no workers, and not a
    command): there a batch would hold the process's rendering lock, which other people's
    downloads wait for, up to a second (Chinese); one certificate at a time."""
    return BATCH_SIZE if workers > 1 or fork else 1


def try_render(html: str, images: Images | None = None) -> bytes | str:
    """The PDF, or the error's name when it cannot be rendered (a ZIP goes on without it)."""
    try:
        return render_pdf(html, images=images)
    except Exception as error:  # noqa: BLE001  (reported by the caller)
        LOGGER.exception("a certificate failed to render")
        return type(error).__name__


def try_render_batch(htmls: list[str], images: Images | None = None) -> list[bytes | str]:
    """The PDFs of certificates sharing a head, laid out together; one by one when that fails
    (a certificate running over its page, or one that cannot be rendered at all), so each is
    still made or named as failed on its own."""
    if len(htmls) == 1:
        return [try_render(htmls[0], images)]
    try:
        return list(render_pdfs(htmls, images=images))
    except Exception:  # noqa: BLE001  (each is tried again alone, and reported there)
        LOGGER.warning("%d certificates rendered one by one", len(htmls), exc_info=True)
        return [try_render(html, images) for html in htmls]


def batches(htmls: Iterable[str], size: int = BATCH_SIZE) -> Iterator[list[str]]:
    """Consecutive certificates sharing a head (language and title), ``size`` at most."""
    batch: list[str] = []
    head = None
    for html in htmls:
        own_head = document_head(html)
        if batch and (len(batch) >= size or own_head != head):
            yield batch
            batch = []
        batch.append(html)
        head = own_head
    if batch:
        yield batch


def _start_worker() -> None:
    """A worker first makes what all its certificates share (WeasyPrint's modules, the font
    configuration, the stylesheet), then sets aside for good everything it holds so far, made or
    inherited (``gc.freeze``): the garbage collector then no longer walks through those objects
    at each full collection while pages are laid out (about 6% less worker CPU, measured:
    README, *Certificate performance*)."""
    try:
        stylesheet()
    except Exception:  # noqa: BLE001  (each certificate then fails alone, named in ERRORS.txt)
        LOGGER.exception("a certificate worker could not make the stylesheet")
    gc.freeze()


def worker_pool(workers: int, *, fork: bool) -> ProcessPoolExecutor:
    """``workers`` processes, forked (from a single-threaded command: quick, and they inherit
    what is loaded) or spawned (from a web worker, whose threads and database connections must
    not be copied)."""
    context = multiprocessing.get_context("fork" if fork else "spawn")
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start_worker)


def images_of(group: list[str], images: Images) -> dict[str, str]:
    """The images a batch names (a worker is sent those alone)."""
    named = set().union(*(named_images(html) for html in group))
    return {key: url for key, url in images.items() if key in named}


def render_all(
    htmls: Iterable[str], workers: int, *, fork: bool = False, images: Images | None = None
) -> Iterator[bytes | str]:
    """Each certificate's PDF (or the name of the error that stopped it), in order, rendered
    in batches (:func:`batches`); with ``workers`` > 1, in that many processes.

    :param fork: start the workers by forking (see :func:`worker_pool`); only from a
        single-threaded command.
    :param images: the images the certificates name by reference (their issuers' logos).
    """
    groups = batches(htmls, batch_size(workers, fork=fork))
    images = images or {}
    if workers <= 1:
        for group in groups:
            yield from try_render_batch(group, images_of(group, images))
        return
    with worker_pool(workers, fork=fork) as pool:
        # A bounded window of work in flight, a batch for each worker and one waiting
        # (Executor.map would take every HTML at once, and finished PDFs would pile up while
        # a slow client reads): memory stays flat.
        window: deque = deque()
        try:
            for group in groups:
                window.append(pool.submit(try_render_batch, group, images_of(group, images)))
                if len(window) > workers:
                    yield from window.popleft().result()
            while window:
                yield from window.popleft().result()
        finally:
            # A client gone mid-download: what has not started is dropped, not rendered.
            pool.shutdown(cancel_futures=True)


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
    images: dict[str, str] = {}
    for certificate in certificates:  # a logo or two: certificates keep their issuer's
        images.update(certificate_images(certificate))
    htmls = (certificate_html(c, language, buddhist_era=language == "th") for c in certificates)
    results = render_all(htmls, workers, fork=fork, images=images)
    yield from zip_stream(_named(results, names))
