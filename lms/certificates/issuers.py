"""Who issues a counsellor's certificates: set per country by admins, with sensible defaults."""

from __future__ import annotations

import base64
from typing import Any

import sqlalchemy as sa

from lms.accounts.models import OrgUnit, UnitKind, User
from lms.certificates.models import Issuer
from lms.extensions import db

# The public employment service of each seeded country, in English and the local language.
DEFAULT_ISSUERS: dict[str, dict[str, str]] = {
    "ID": {
        "en": "Ministry of Manpower of the Republic of Indonesia",
        "id": "Kementerian Ketenagakerjaan Republik Indonesia",
    },
    "MY": {
        "en": "Social Security Organisation (PERKESO)",
        "ms": "Pertubuhan Keselamatan Sosial (PERKESO)",
    },
    "KH": {
        "en": "National Employment Agency, Ministry of Labour and Vocational Training",
        "km": "ទីភ្នាក់ងារជាតិមុខរបរ និងការងារ ក្រសួងការងារ និងបណ្តុះបណ្តាលវិជ្ជាជីវៈ",
    },
    "TH": {
        "en": "Department of Employment, Ministry of Labour",
        "th": "กรมการจัดหางาน กระทรวงแรงงาน",
    },
    "VN": {
        "en": "Ministry of Home Affairs, Employment Service Centres",
        "vi": "Bộ Nội vụ, Hệ thống Trung tâm Dịch vụ việc làm",
    },
    "PH": {
        "en": "Department of Labor and Employment, Bureau of Local Employment",
        "fil": "Kagawaran ng Paggawa at Empleyo, Kawanihan ng Lokal na Empleyo",
    },
    "LA": {"en": "Ministry of Labour and Social Welfare", "lo": "ກະຊວງແຮງງານ ແລະ ສະຫວັດດີການສັງຄົມ"},
    "MM": {"en": "Ministry of Labour", "my": "အလုပ်သမားဝန်ကြီးဌာန"},
    "SG": {"en": "Workforce Singapore"},
    "BN": {"en": "Department of Labour, Ministry of Home Affairs"},
    "TL": {"en": "Secretariat of State for Vocational Training and Employment"},
    "CN": {"en": "Ministry of Human Resources and Social Security", "zh": "人力资源和社会保障部"},
}
REGION_ISSUER = {"en": "Tangga: public employment services of ASEAN and partners"}
DEFAULT_SIGNATORY = {"name": "", "title": {"en": "Head of the employment service"}}


def country_of(unit: OrgUnit) -> OrgUnit | None:
    node: OrgUnit | None = unit
    while node is not None and node.kind != UnitKind.COUNTRY:
        node = node.parent
    return node


def issuer_row(country: OrgUnit) -> Issuer | None:
    return db.session.scalar(sa.select(Issuer).where(Issuer.org_unit_id == country.id))


def issuer_for(user: User) -> dict[str, Any]:
    """What a certificate issued now to ``user`` says about its issuer (a snapshot)."""
    country = country_of(user.org_unit)
    row = issuer_row(country) if country is not None else None
    if row is not None:
        logo = (
            f"data:{row.logo_type};base64,{base64.b64encode(row.logo).decode()}"
            if row.logo
            else None
        )
        return {
            "country": country.code,
            "name": row.name,
            "signatories": row.signatories,
            "logo": logo,
        }
    name = DEFAULT_ISSUERS.get(country.code, REGION_ISSUER) if country else REGION_ISSUER
    return {
        "country": country.code if country else "",
        "name": name,
        "signatories": [],
        "logo": None,
    }
