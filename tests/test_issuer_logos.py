"""An issuer's logo: checked and scaled at upload to what print shows, stored, and drawn on
the certificates issued from then on (alone or in a cohort's batch, the same file)."""

from __future__ import annotations

import base64
import io
import zipfile
from datetime import date

import pytest
from PIL import Image

from lms.accounts.models import Role
from lms.certificates import batch
from lms.certificates.batch import cohort_zip
from lms.certificates.issuing import issue
from lms.certificates.logos import LOGO_BOX, MAX_LOGO_BYTES, prepared_logo
from lms.certificates.render import (
    certificate_html,
    certificate_images,
    image_reference,
    render_certificate,
    render_pdf,
    render_pdfs,
    url_fetcher,
)
from lms.extensions import db
from tests.factories import user
from tests.support import sign_in, submit, text


def picture(size: tuple[int, int], mode: str = "RGBA", kind: str = "PNG", **options) -> bytes:
    colour = {"RGBA": (15, 92, 76, 255), "RGB": (15, 92, 76), "L": 80}[mode]
    image = Image.new(mode, size, colour)
    if mode == "RGBA":  # see-through beside the emblem
        image.paste((0, 0, 0, 0), (0, 0, size[0] // 4, size[1]))
    out = io.BytesIO()
    image.save(out, format=kind, **options)
    return out.getvalue()


def opened(data: bytes) -> tuple[str, tuple[int, int], str]:
    with Image.open(io.BytesIO(data)) as image:
        return image.format, image.size, image.mode


def test_a_logo_is_scaled_to_its_box_at_print_resolution_in_its_own_format():
    # 30 x 18 mm at 400 dpi.
    assert LOGO_BOX == (round(30 / 25.4 * 400), round(18 / 25.4 * 400))
    wide = prepared_logo(picture((1200, 600)))
    assert wide.mime_type == "image/png" and opened(wide.data) == ("PNG", (472, 236), "RGBA")
    square = prepared_logo(picture((600, 600)))
    assert opened(square.data) == ("PNG", (283, 283), "RGBA")
    # A PNG opaque all over loses its alpha channel (WeasyPrint would draw it as a mask).
    opaque = Image.new("RGBA", (100, 50), (15, 92, 76, 255))
    out = io.BytesIO()
    opaque.save(out, format="PNG")
    assert opened(prepared_logo(out.getvalue()).data) == ("PNG", (100, 50), "RGB")
    # A JPEG stays a JPEG (embedded as it is, not re-encoded at every render) ...
    photo = prepared_logo(picture((900, 900), "RGB", "JPEG"))
    assert photo.mime_type == "image/jpeg" and opened(photo.data) == ("JPEG", (283, 283), "RGB")
    # ... turned upright, and without its metadata.
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotated 90 degrees
    exif[0x010F] = "Camera maker"
    sideways = prepared_logo(picture((200, 100), "RGB", "JPEG", exif=exif.tobytes()))
    assert opened(sideways.data)[1] == (100, 200)
    with Image.open(io.BytesIO(sideways.data)) as upright:
        assert not upright.getexif()
    cmyk = Image.new("CMYK", (40, 40), (0, 50, 50, 0))
    out = io.BytesIO()
    cmyk.save(out, format="JPEG")
    assert opened(prepared_logo(out.getvalue()).data)[2] == "RGB"


def test_every_kind_of_png_comes_out_right():
    # A palette image with thin lines keeps them (scaled smoothly, not by nearest neighbour)
    # and its transparency.
    lines = Image.new("P", (2000, 1200), 0)
    lines.putpalette([255, 255, 255, 15, 92, 76] + [0] * 762)
    for x in range(0, 2000, 40):
        lines.paste(1, (x, 0, x + 3, 1200))
    out = io.BytesIO()
    lines.save(out, format="PNG", transparency=0)
    logo = prepared_logo(out.getvalue())
    with Image.open(io.BytesIO(logo.data)) as image:
        assert image.mode == "RGBA" and image.size == (472, 283)
        alpha = image.getchannel("A")
        row = [alpha.getpixel((x, 100)) for x in range(472)]
        # Fifty lines, each still there (a run of visible pixels), between see-through gaps.
        runs = sum(1 for x in range(1, 472) if row[x] > 0 and row[x - 1] == 0) + (row[0] > 0)
        assert runs == 50 and min(row) == 0
    # 16-bit grey keeps its shades (not clipped to white).
    grey = Image.linear_gradient("L").resize((256, 64)).convert("I")
    grey = grey.point(lambda value: value * 257)
    out = io.BytesIO()
    grey.convert("I;16").save(out, format="PNG")
    with Image.open(io.BytesIO(prepared_logo(out.getvalue()).data)) as image:
        assert image.mode == "L"
        shades = [image.getpixel((0, y)) for y in (0, 32, 63)]  # black to white, downwards
        assert shades[0] < 8 and 120 < shades[1] < 136 and shades[2] > 247
    # Grey with an opaque alpha channel, and one bit per pixel: plain grey.
    assert opened(prepared_logo(picture((40, 40), "L", "PNG")).data)[2] == "L"
    opaque = Image.new("LA", (40, 40), (80, 255))
    out = io.BytesIO()
    opaque.save(out, format="PNG")
    assert opened(prepared_logo(out.getvalue()).data)[2] == "L"
    out = io.BytesIO()
    Image.new("1", (40, 40), 1).save(out, format="PNG")
    assert opened(prepared_logo(out.getvalue()).data)[2] == "L"


def corrupted_png() -> bytes:
    data = bytearray(picture((40, 40)))
    data[-20] ^= 0xFF  # inside the image data: its checksum no longer matches
    return bytes(data)


def oversized_png() -> bytes:
    out = io.BytesIO()
    Image.new("1", (4001, 4000)).save(out, format="PNG")  # small file, 16 megapixels and more
    assert len(out.getvalue()) < MAX_LOGO_BYTES
    return out.getvalue()


@pytest.mark.parametrize(
    "upload",
    [
        picture((40, 40), "RGB", "GIF"),
        b"not an image at all",
        picture((40, 40))[:60],  # cut short
        b"\x89PNG" + b"\0" * (MAX_LOGO_BYTES + 1),
        corrupted_png(),
        oversized_png(),
    ],
    ids=["gif", "text", "truncated", "too-big", "bad-checksum", "too-many-pixels"],
)
def test_what_is_not_a_png_or_jpeg_within_limits_is_refused(upload):
    assert prepared_logo(upload) is None


def test_an_admin_sets_a_logo_and_certificates_draw_it(app, client, world):
    country = world.office.parent.parent.id
    url = f"/admin/issuers/{country}"
    sign_in(client, world.admin)
    # A wrong file is refused with a clear error, and nothing is saved.
    refused = submit(
        client,
        url,
        {"name_en": "Ministry of Manpower", "logo": (io.BytesIO(b"GIF89a..."), "logo.gif")},
        page=url,
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422
    assert "Upload a PNG or JPEG image of at most 300 KB." in text(refused)
    assert client.get(f"{url}/logo").status_code == 404

    saved = submit(
        client,
        url,
        {
            "name_en": "Ministry of Manpower",
            "logo": (io.BytesIO(picture((1000, 1000))), "logo.png"),
        },
        page=url,
        content_type="multipart/form-data",
    )
    assert saved.status_code == 302
    stored = client.get(f"{url}/logo")
    assert stored.status_code == 200 and stored.mimetype == "image/png"
    assert opened(stored.data)[1] == (283, 283)

    people = [
        user(Role.COUNSELLOR, world.office, name=name) for name in ("Ana Lim", "Budi Santoso")
    ]
    issued = [issue(person, 1, date(2026, 11, 27)) for person in people]
    db.session.commit()
    assert all(c.issuer["logo"].startswith("data:image/png;base64,") for c in issued)
    htmls = [certificate_html(c, "id") for c in issued]
    # The HTML names the logo by a short reference; its data: URL goes beside it to the render
    # (WeasyPrint's HTML parser would read every one of its characters).
    images = certificate_images(issued[0])
    assert list(images.values()) == [issued[0].issuer["logo"]]
    assert all(f'class="logo" src="{next(iter(images))}"' in html for html in htmls)
    assert not any("data:image" in html for html in htmls)
    alone = [render_pdf(html, images=images) for html in htmls]
    assert all(b"/Subtype /Image" in pdf for pdf in alone)
    assert render_pdfs(htmls, images=images) == alone
    with pytest.raises(ValueError, match="not handed"):  # never a certificate without its logo
        render_pdf(htmls[0])

    # A JPEG logo is stored and embedded as a JPEG (DCTDecode: the bytes as they are).
    submit(
        client,
        url,
        {
            "name_en": "Ministry of Manpower",
            "logo": (io.BytesIO(picture((600, 400), "RGB", "JPEG")), "logo.jpg"),
        },
        page=url,
        content_type="multipart/form-data",
    )
    stored = client.get(f"{url}/logo")
    assert stored.mimetype == "image/jpeg"
    later = issue(user(Role.COUNSELLOR, world.office, name="Maria Dela Cruz"), 1, date.today())
    db.session.commit()
    assert later.issuer["logo"].startswith("data:image/jpeg;base64,")
    pdf = render_certificate(later, "en")  # as the counsellor downloads it
    assert b"/DCTDecode" in pdf and stored.data in pdf  # the very bytes, not encoded again

    # A cohort whose certificates were issued under different logos: each keeps its own, in
    # one batch as in worker processes.
    cohort = [*issued, later]
    downloaded = [render_certificate(c, "en") for c in cohort]
    assert [stored.data in pdf for pdf in downloaded] == [False, False, True]
    assert all(b"/Subtype /Image" in pdf for pdf in downloaded)
    # In a web request (one at a time), as a command (a batch), in worker processes.
    for workers, fork in ((1, False), (1, True), (2, True)):
        zipped = b"".join(cohort_zip(cohort, "en", workers=workers, fork=fork))
        archive = zipfile.ZipFile(io.BytesIO(zipped))
        assert [archive.read(name) for name in archive.namelist()] == downloaded, workers


def test_a_batch_that_fails_renders_one_by_one_with_the_logo(app, world, monkeypatch):
    issuer = {"country": "ID", "name": {"en": "Ministry of Manpower"}, "signatories": []}
    logo = f"data:image/png;base64,{base64.b64encode(picture((40, 40))).decode()}"
    people = [user(Role.COUNSELLOR, world.office, name=name) for name in ("Ana Lim", "Budi")]
    issued = [issue(person, 1, date(2026, 11, 27)) for person in people]
    for certificate in issued:
        certificate.issuer = {**issuer, "logo": logo}
    db.session.commit()

    def fails(htmls: list[str], images: dict[str, str]) -> list[bytes]:
        raise RuntimeError("laid out together, it ran over")

    monkeypatch.setattr(batch, "render_pdfs", fails)
    archive = zipfile.ZipFile(io.BytesIO(b"".join(cohort_zip(issued, "en", workers=1, fork=True))))
    pdfs = [archive.read(name) for name in archive.namelist()]
    assert pdfs == [render_certificate(c, "en") for c in issued]
    assert all(b"/Subtype /Image" in pdf for pdf in pdfs)


def test_the_renderer_fetches_nothing_but_data_urls_and_the_images_it_is_handed(tmp_path):
    """No file:, http: or other URL is ever fetched, and an image reference is only what the
    render was given."""
    png = picture((40, 40))
    (tmp_path / "logo.png").write_bytes(png)
    data_url = f"data:image/png;base64,{base64.b64encode(png).decode()}"
    reference = image_reference(data_url)

    def page(src: str) -> str:
        return f'<html><body><img src="{src}" alt=""></body></html>'

    drawn = b"/Subtype /Image"
    assert drawn in render_pdf(page(data_url))
    assert drawn in render_pdf(page(reference), images={reference: data_url})
    unknown = image_reference("data:image/png;base64,AAAA")  # a reference it was not handed
    for refused in (
        (tmp_path / "logo.png").as_uri(),
        "http://127.0.0.1:9/logo.png",
        "https://example.org/logo.png",
        unknown,
    ):
        with pytest.raises(ValueError, match="disallowed protocol"):
            url_fetcher({reference: data_url}).fetch(refused)
        if refused != unknown:
            assert drawn not in render_pdf(page(refused), images={reference: data_url}), refused
    for handed in ({reference: data_url}, None):  # a render refuses to go without its images
        with pytest.raises(ValueError, match="not handed"):
            render_pdf(page(unknown), images=handed)
