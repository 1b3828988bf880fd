"""Where sessions happen: each cohort has a time zone; times are entered and shown in it and
stored in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time, get_timezone_gmt
from flask_babel import get_locale
from wtforms import SelectChoice

from lms.accounts.models import OrgUnit, UnitKind

# The zone of each seeded country's capital; countries with several zones (Indonesia, ...) can
# pick another one per cohort.
COUNTRY_ZONES = {
    "BN": "Asia/Brunei",
    "KH": "Asia/Phnom_Penh",
    "ID": "Asia/Jakarta",
    "LA": "Asia/Vientiane",
    "MY": "Asia/Kuala_Lumpur",
    "MM": "Asia/Yangon",
    "PH": "Asia/Manila",
    "SG": "Asia/Singapore",
    "TH": "Asia/Bangkok",
    "TL": "Asia/Dili",
    "VN": "Asia/Ho_Chi_Minh",
    "CN": "Asia/Shanghai",
}
EXTRA_ZONES = ["Asia/Makassar", "Asia/Jayapura", "Asia/Kuching", "UTC"]
ZONES = sorted(set(COUNTRY_ZONES.values()) | set(EXTRA_ZONES))


def zone_for(unit: OrgUnit) -> str:
    """The zone of the unit's country (UTC for the region or an unknown country)."""
    node: OrgUnit | None = unit
    while node is not None and node.kind != UnitKind.COUNTRY:
        node = node.parent
    return COUNTRY_ZONES.get(node.code, "UTC") if node is not None else "UTC"


def _gmt(moment: datetime, zone: str, locale: str) -> str:
    return get_timezone_gmt(moment.astimezone(ZoneInfo(zone)), "long", locale)


def zone_choices() -> list[SelectChoice]:
    now = datetime.now(UTC)
    locale = str(get_locale() or "en")
    return [
        SelectChoice(zone, f"{zone.replace('_', ' ')} ({_gmt(now, zone, locale)})")
        for zone in ZONES
    ]


def to_utc(day: date, at: time, zone: str) -> datetime:
    """A wall-clock time in ``zone`` as a UTC instant."""
    return datetime.combine(day, at, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def local_time(moment: datetime, zone: str) -> str:
    """A stored UTC instant as the wall-clock time in ``zone``, in the reader's language:
    "27 Nov 2026, 09.00 (GMT+07:00)"."""
    zone = zone or "UTC"
    local = moment.astimezone(ZoneInfo(zone))
    locale = str(get_locale() or "en")
    day = format_date(local, "medium", locale=locale)
    at = format_time(local, "short", tzinfo=ZoneInfo(zone), locale=locale)
    return f"{day}, {at} ({_gmt(moment, zone, locale)})"
