"""An issuer's logo, made ready for print once, at upload, rather than at every certificate.

WeasyPrint embeds a JPEG in the PDF as it is, but decodes and re-encodes a PNG at every render
(its alpha channel as a second image): a PNG logo as large as we keep adds a quarter to a third
to a certificate's time, a JPEG logo about a third of that (``bench/certificates.py --logo``).
So each format is kept as its own, at the size print shows, and a PNG that is opaque all over
drops its alpha channel.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

MAX_LOGO_BYTES = 300 * 1024
MAX_LOGO_PIXELS = 4000 * 4000
# The logo's box on the certificate (30 x 18 mm) at 400 dots per inch, above print's usual
# 300: more pixels only cost time and memory.
LOGO_BOX = (472, 283)
JPEG_QUALITY = 95  # once, at upload; the PDF carries these bytes as they are
EXIF_ORIENTATION = 0x0112


@dataclass(frozen=True)
class Logo:
    data: bytes
    mime_type: str  # image/png or image/jpeg


def prepared_logo(data: bytes) -> Logo | None:
    """The uploaded PNG or JPEG, checked by decoding it, scaled down to fit :data:`LOGO_BOX`,
    turned upright (EXIF orientation) and saved again in its own format without its EXIF data
    (a photo's may say where it was taken); None when it is not such an image, or is absurdly
    large, or cannot be decoded."""
    from PIL import Image

    if len(data) > MAX_LOGO_BYTES:
        return None
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ("PNG", "JPEG"):
                return None
            if probe.width * probe.height > MAX_LOGO_PIXELS:
                return None
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            return _prepared(image)
    except Exception:  # noqa: BLE001  (whatever a decoder raises, the file is refused)
        return None


def _prepared(image) -> Logo:  # type: ignore[no-untyped-def]
    from PIL import Image

    kind = image.format
    turns = {  # EXIF orientation -> what puts the image upright
        2: Image.Transpose.FLIP_LEFT_RIGHT,
        3: Image.Transpose.ROTATE_180,
        4: Image.Transpose.FLIP_TOP_BOTTOM,
        5: Image.Transpose.TRANSPOSE,
        6: Image.Transpose.ROTATE_270,
        7: Image.Transpose.TRANSVERSE,
        8: Image.Transpose.ROTATE_90,
    }
    orientation = image.getexif().get(EXIF_ORIENTATION, 1)
    # Scaled before it is turned, so a quarter-turned image fits the box once upright.
    box = LOGO_BOX[::-1] if orientation in (5, 6, 7, 8) else LOGO_BOX
    if kind == "JPEG":
        image.draft("RGB", box)  # decoded at a fraction of its size where that is enough
    image = _smoothly_scalable(image)
    image.thumbnail(box)
    if orientation in turns:
        image = image.transpose(turns[orientation])
    out = io.BytesIO()
    if kind == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")  # CMYK and the like
        image.save(out, format="JPEG", quality=JPEG_QUALITY)
        return Logo(out.getvalue(), "image/jpeg")
    if image.mode in ("RGBA", "LA") and image.getextrema()[-1] == (255, 255):
        image = image.convert(image.mode[:-1])  # opaque all over: no mask to draw
    image.save(out, format="PNG", optimize=True)
    return Logo(out.getvalue(), "image/png")


def _smoothly_scalable(image):  # type: ignore[no-untyped-def]
    """The image in a mode Pillow scales with a smoothing filter, keeping its transparency:
    palette and 1-bit images are otherwise scaled by nearest neighbour, which drops thin
    lines, and 16-bit grey would be clipped to white."""
    transparent = "transparency" in image.info
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        return image.convert("I").point(lambda value: value / 257).convert("L")
    if image.mode == "1":
        return image.convert("L")
    if image.mode in ("L", "RGB") and transparent:  # a colour key for transparency
        return image.convert("LA" if image.mode == "L" else "RGBA")
    if image.mode not in ("RGB", "RGBA", "L", "LA"):  # palettes, CMYK, ...
        return image.convert("RGBA")  # (an opaque one loses its alpha channel again)
    return image
