"""Burmese typed in the legacy Zawgyi encoding looks right on a Zawgyi phone and wrong
everywhere else (and on certificates). Google's detector finds it, so we can ask for Unicode."""

from __future__ import annotations

import warnings
from functools import cache

from flask_babel import lazy_gettext as _l

ZAWGYI_MESSAGE = _l(
    "This looks like Burmese typed in the Zawgyi encoding. Please type it in Unicode (for "
    "example with a Unicode Myanmar keyboard), so it shows correctly everywhere."
)
THRESHOLD = 0.95


@cache
def _detector():  # type: ignore[no-untyped-def]
    from myanmartools import ZawgyiDetector

    # It loads its model with importlib.resources.open_binary, deprecated since Python 3.11.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return ZawgyiDetector()


def is_zawgyi(text: str) -> bool:
    """True when ``text`` holds Burmese that is most likely Zawgyi, not Unicode."""
    if not any(0x1000 <= ord(c) <= 0x109F or 0xAA60 <= ord(c) <= 0xAA7F for c in text):
        return False
    return _detector().get_zawgyi_probability(text) > THRESHOLD
