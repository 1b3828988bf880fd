"""Certificate rendering speed and memory, against WeasyPrint's own floor, measured in one run.

    .venv/bin/python bench/certificates.py [--renders 20] [--cohort 1000] [--workers 2]
        [--cohort-language zh] [--logo png|jpeg] [--public-url https://...]

Per language: median and 95th percentile seconds per certificate, the same for a bare page
drawing the same texts in the same fonts (the floor: what WeasyPrint needs for those glyphs),
and the ratio; the same floor with the certificate's images (QR code, logo) and that ratio;
then the median per certificate when a batch of them is laid out as one
document, as a cohort's ZIP does. Then the peak memory of this process, and the time to render
a cohort of ``--cohort`` certificates into one ZIP with ``--workers`` processes.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("LMS_LOG_LEVEL", "ERROR")

NAMES = {
    "en": "Ana Lim",
    "id": "Siti Rahmawati",
    "ms": "Nurul Aisyah binti Ahmad",
    "fil": "Maria Dela Cruz",
    "vi": "Nguyễn Thị Lan",
    "th": "สมชาย ใจดี",
    "km": "សុខ ចាន់ធា",
    "lo": "ສົມພອນ ແກ້ວມະນີ",
    "my": "ဒေါ်အေးအေးမြင့်",
    "zh": "陈美玲",
}
ISSUER = {
    "country": "ID",
    "name": {"en": "Ministry of Manpower of the Republic of Indonesia"},
    "signatories": [{"name": "Ratna Sari", "title": {"en": "Director of Employment Services"}}],
    "logo": None,
}


def certificate(language: str, number: int = 1):  # type: ignore[no-untyped-def]
    from lms.certificates.issuing import new_code
    from lms.certificates.models import Certificate

    return Certificate(
        id=number,
        code=new_code(),
        serial=f"ID-2026-{number:07d}",
        user_id=1,
        award=2,
        holder_name=NAMES[language],
        completed_on=date(2026, 11, 27),
        issued_dt=datetime.now(UTC),
        issuer=ISSUER,
    )


BOLD = {"issuer", "ladder-mark", "name", "code", "line"}  # drawn bold on the certificate


def generated_logo(kind: str) -> str:
    """An emblem drawn in colours (on a transparent ground for a PNG, on white for a JPEG),
    prepared as an upload is (the largest size kept: see ``prepared_logo``), as a data: URL."""
    import base64
    import io

    from PIL import Image, ImageDraw

    from lms.certificates.logos import prepared_logo

    image = Image.new("RGBA", (1000, 600), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((20, 20, 580, 580), fill=(15, 92, 76, 255), outline=(201, 162, 39, 255), width=24)
    for step in range(8):  # a ladder in the emblem, and lines standing for a name beside it
        draw.rectangle((200, 90 + 55 * step, 400, 110 + 55 * step), fill=(255, 255, 255, 255))
        draw.rectangle(
            (620, 120 + 50 * step, 980 - 30 * step, 150 + 50 * step), fill=(10, 64, 53, 255)
        )
    draw.rectangle((180, 60, 210, 540), fill=(255, 255, 255, 255))
    draw.rectangle((390, 60, 420, 540), fill=(255, 255, 255, 255))
    if kind == "jpeg":
        image = Image.alpha_composite(Image.new("RGBA", image.size, "white"), image).convert("RGB")
    out = io.BytesIO()
    image.save(out, format=kind.upper())
    logo = prepared_logo(out.getvalue())
    assert logo is not None
    return f"data:{logo.mime_type};base64,{base64.b64encode(logo.data).decode()}"


def bare_html(html: str, lang: str) -> str:
    """The floor: every text of the certificate in the same fonts (each keeps its lang and its
    weight, so the same font files are loaded and embedded), one paragraph after another, with
    no frame, QR code or positioning."""
    from html.parser import HTMLParser

    from markupsafe import escape

    texts: list[tuple[str, bool, str]] = []

    class Texts(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.stack: list[tuple[str, set[str], str | None]] = []

        def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
            found = dict(attrs)
            if tag in ("meta", "img", "br", "path"):
                return
            self.stack.append((tag, set((found.get("class") or "").split()), found.get("lang")))

        def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
            while self.stack and self.stack.pop()[0] != tag:
                pass

        def handle_data(self, data):  # type: ignore[no-untyped-def]
            if not data.strip() or any(t in ("title", "svg") for t, _, _ in self.stack):
                return
            tag_lang = next((lang for _, _, lang in reversed(self.stack) if lang), lang)
            bold = False
            for tag, classes, _ in reversed(self.stack):
                if "second" in classes:
                    break
                if tag == "h1" or classes & BOLD:
                    bold = True
                    break
            texts.append((tag_lang, bold, data.strip()))

    Texts().feed(html)
    body = "".join(
        f'<p lang="{tag}">' + (f"<b>{escape(text)}</b>" if bold else str(escape(text))) + "</p>"
        for tag, bold, text in texts
    )
    return f'<!doctype html><html lang="{lang}"><body>{body}</body></html>'


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=20)
    parser.add_argument("--cohort", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--public-url", default="https://tangga.kemnaker.go.id")
    parser.add_argument(
        "--logo",
        choices=["png", "jpeg"],
        help="the issuer has a logo uploaded in this format (as large as one is kept)",
    )
    parser.add_argument(
        "--cohort-language",
        choices=list(NAMES),
        help="one language for the whole cohort (default: the ten in turn, a tenth each)",
    )
    args = parser.parse_args()

    from lms import create_app
    from lms.certificates.batch import BATCH_SIZE, render_all, zip_stream
    from lms.certificates.fonts import harfbuzz_subsetter
    from lms.certificates.qr import qr_svg
    from lms.certificates.render import (
        certificate_html,
        certificate_images,
        image_reference,
        qr_content,
        render_pdf,
        render_pdfs,
        wording,
    )

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "LOG_LEVEL": "ERROR",
            # A site address of a typical length (the QR code's size depends on it).
            "PUBLIC_URL": args.public_url,
        }
    )
    if args.logo:
        ISSUER["logo"] = generated_logo(args.logo)
    print(f"HarfBuzz subsetter loaded: {harfbuzz_subsetter()}")
    print(
        f"{'lang':<5}{'median s':>10}{'p95 s':>9}{'floor med':>11}{'floor p95':>11}{'ratio':>8}"
        f"{'+img med':>9}{'ratio':>7}{'batch med':>11}"
    )
    with app.test_request_context():
        for language in NAMES:
            cert = certificate(language)
            html = certificate_html(cert, language)
            images = certificate_images(cert)  # the logo, named by reference in the HTML
            bare = bare_html(html, wording(cert, language).lang)
            # The same floor with the certificate's images drawn on it, at their sizes: the QR
            # code the issue asks for (inline SVG), and the logo when there is one. What is
            # left between this and the certificate is the frame and the positioning.
            drawn = f'<div style="width: 27mm; height: 27mm">{qr_svg(qr_content(cert))}</div>'
            if ISSUER["logo"]:
                drawn += (
                    f'<img src="{image_reference(ISSUER["logo"])}" alt="" '
                    'style="width: 30mm; height: 18mm; object-fit: contain">'
                )
            with_images = bare.replace("<body>", f"<body>{drawn}", 1)
            jobs = {"full": html, "floor": bare, "floor_images": with_images}
            for page in jobs.values():  # warm: fonts loaded once per process, as in a worker
                render_pdf(page, images=images)
            # A batch as the ZIP renders it: one document, each certificate with its own code
            # and serial.
            batch = [
                certificate_html(certificate(language, n + 2), language) for n in range(BATCH_SIZE)
            ]
            # Interleaved, one of each in turn: a virtual machine's speed drifts by tens of
            # per cent over seconds, which blocks of renders one after the other would turn
            # into a false ratio.
            times: dict[str, list[float]] = {name: [] for name in [*jobs, "batch"]}
            for _ in range(args.renders):
                for name, page in jobs.items():
                    start = time.perf_counter()
                    render_pdf(page, images=images)
                    times[name].append(time.perf_counter() - start)
                start = time.perf_counter()
                render_pdfs(batch, images=images)
                times["batch"].append((time.perf_counter() - start) / len(batch))
            full, floor, floor_images = times["full"], times["floor"], times["floor_images"]
            ratio = statistics.median(full) / statistics.median(floor)
            ratio_images = statistics.median(full) / statistics.median(floor_images)
            print(
                f"{language:<5}{statistics.median(full):>10.3f}{p95(full):>9.3f}"
                f"{statistics.median(floor):>11.3f}{p95(floor):>11.3f}{ratio:>8.2f}"
                f"{statistics.median(floor_images):>9.3f}{ratio_images:>7.2f}"
                f"{statistics.median(times['batch']):>11.3f}"
            )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory (this process, all ten languages): {peak:.0f} MB")

        # A cohort's ZIP is in one language. Unless told one, the cohort is ten of them in a
        # row, one language each (a tenth of the certificates in each, in turn).
        languages = [args.cohort_language] if args.cohort_language else list(NAMES)
        cohort = [
            (language, certificate(language, n + 1))
            for n in range(args.cohort)
            for language in [languages[n * len(languages) // args.cohort]]
        ]
        # As the command does it: the HTML is made here, lazily, while the workers render.
        start = time.perf_counter()
        size = 0
        htmls = (certificate_html(cert, language) for language, cert in cohort)
        names = (f"certificate-{n:05d}.pdf" for n in range(args.cohort))
        pdfs = render_all(htmls, args.workers, fork=True, images=certificate_images(cohort[0][1]))
        for chunk in zip_stream(zip(names, pdfs, strict=True)):
            size += len(chunk)
        took = time.perf_counter() - start
        present = list(dict.fromkeys(language for language, _ in cohort))
        languages_told = (
            f"all in {present[0]}"
            if len(present) == 1
            else f"{', '.join(present)} in turn, a block of about "
            f"{round(args.cohort / len(present))} each"
        )
        print(
            f"cohort ZIP: {args.cohort} certificates ({languages_told}), "
            f"{args.workers} worker processes: {took:.1f} s from first HTML to last byte, "
            f"{size / 1e6:.1f} MB"
        )


if __name__ == "__main__":
    main()
