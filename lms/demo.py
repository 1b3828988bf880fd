"""Demo data: organisation units in six countries, admins, trainers and counsellors whose names
are written in their own scripts. For trying Tangga out, never for production."""

from __future__ import annotations

from dataclasses import dataclass

from lms.accounts.models import OrgUnit, Role, Sex, UnitKind
from lms.accounts.passwords import hash_password
from lms.accounts.units import create_unit, seed_countries, unit_by_code
from lms.accounts.users import Profile, create_user, user_by_email
from lms.extensions import db

DEMO_PASSWORD = "tangga-demo"  # noqa: S105  (printed for people trying the demo)
REGIONAL_ADMIN = "regional.admin@example.org"

# country -> [(province code, province, office code, office)]
UNITS: dict[str, list[tuple[str, str, str, str]]] = {
    "ID": [
        ("ID-JK", "DKI Jakarta", "ID-JK-JKS", "Disnaker Jakarta Selatan"),
        ("ID-JB", "Jawa Barat", "ID-JB-BDG", "Disnaker Kota Bandung"),
    ],
    "MY": [
        ("MY-SGR", "Selangor", "MY-SGR-SA", "PERKESO Shah Alam"),
        ("MY-SBH", "Sabah", "MY-SBH-KK", "PERKESO Kota Kinabalu"),
    ],
    "KH": [
        ("KH-PP", "ភ្នំពេញ", "KH-PP-JC", "មជ្ឈមណ្ឌលការងារ ភ្នំពេញ"),
        ("KH-SR", "សៀមរាប", "KH-SR-JC", "មជ្ឈមណ្ឌលការងារ សៀមរាប"),
    ],
    "TH": [
        ("TH-BKK", "กรุงเทพมหานคร", "TH-BKK-1", "สำนักงานจัดหางานกรุงเทพมหานครพื้นที่ 1"),
        ("TH-CM", "เชียงใหม่", "TH-CM-1", "สำนักงานจัดหางานจังหวัดเชียงใหม่"),
    ],
    "VN": [
        ("VN-HN", "Hà Nội", "VN-HN-1", "Trung tâm Dịch vụ việc làm Hà Nội"),
        ("VN-HCM", "Thành phố Hồ Chí Minh", "VN-HCM-1", "Trung tâm Dịch vụ việc làm TP.HCM"),
    ],
    "PH": [
        ("PH-NCR", "National Capital Region", "PH-NCR-QC", "PESO Quezon City"),
        ("PH-CEB", "Cebu", "PH-CEB-CC", "PESO Cebu City"),
    ],
}


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    role: Role
    unit: str
    sex: Sex
    language: str
    disability: bool | None = None


F, M = Sex.FEMALE, Sex.MALE
C, T, A = Role.COUNSELLOR, Role.TRAINER, Role.ADMIN

PEOPLE: list[Person] = [
    Person(REGIONAL_ADMIN, "Ana Lim", A, "REGION", F, "en"),
    # Indonesia
    Person("admin.id@example.org", "Ratna Sari", A, "ID", F, "id"),
    Person("trainer.id@example.org", "Hendra Wijaya", T, "ID-JK", M, "id"),
    Person("trainer2.id@example.org", "Yusuf Hidayat", T, "ID-JK", M, "id"),
    Person("counsellor.id@example.org", "Siti Rahmawati", C, "ID-JK-JKS", F, "id"),
    Person("budi.santoso@example.org", "Budi Santoso", C, "ID-JK-JKS", M, "id", True),
    Person("putri.handayani@example.org", "Putri Handayani", C, "ID-JK-JKS", F, "id"),
    Person("joko.susilo@example.org", "Joko Susilo", C, "ID-JK-JKS", M, "id"),
    Person("dewi.lestari@example.org", "Dewi Lestari", C, "ID-JB-BDG", F, "id"),
    Person("agus.pratama@example.org", "Agus Pratama", C, "ID-JB-BDG", M, "id"),
    Person("rina.wulandari@example.org", "Rina Wulandari", C, "ID-JB-BDG", F, "id", False),
    # Malaysia
    Person("admin.my@example.org", "Ahmad Faizal", A, "MY", M, "ms"),
    Person("trainer.my@example.org", "Siti Zulaikha", T, "MY-SGR", F, "ms"),
    Person("counsellor.my@example.org", "Nurul Aisyah binti Ahmad", C, "MY-SGR-SA", F, "ms"),
    Person("hafiz.ismail@example.org", "Muhammad Hafiz bin Ismail", C, "MY-SGR-SA", M, "ms"),
    Person("tan.meiling@example.org", "陈美玲", C, "MY-SGR-SA", F, "zh"),
    Person("priya.s@example.org", "Priya a/p Subramaniam", C, "MY-SBH-KK", F, "ms", True),
    Person("lim.weijie@example.org", "Lim Wei Jie", C, "MY-SBH-KK", M, "ms"),
    # Cambodia
    Person("admin.kh@example.org", "ម៉ៅ វណ្ណា", A, "KH", M, "km"),
    Person("trainer.kh@example.org", "ពៅ សុវណ្ណារី", T, "KH-PP", F, "km"),
    Person("counsellor.kh@example.org", "សុខ ចាន់ធា", C, "KH-PP-JC", F, "km"),
    Person("chan.sophea@example.org", "ចាន់ សុភា", C, "KH-PP-JC", F, "km"),
    Person("heng.vichet@example.org", "ហេង វិចិត្រ", C, "KH-SR-JC", M, "km"),
    Person("kim.sreyneang@example.org", "គឹម ស្រីនាង", C, "KH-SR-JC", F, "km", True),
    Person("sun.rattana@example.org", "ស៊ុន រតនា", C, "KH-SR-JC", M, "km"),
    # Thailand
    Person("admin.th@example.org", "ธนพล ศักดิ์ดี", A, "TH", M, "th"),
    Person("trainer.th@example.org", "อรุณี ทองดี", T, "TH-BKK", F, "th"),
    Person("counsellor.th@example.org", "สมชาย ใจดี", C, "TH-BKK-1", M, "th"),
    Person("sudarat.k@example.org", "สุดารัตน์ แก้วมณี", C, "TH-BKK-1", F, "th"),
    Person("prasert.w@example.org", "ประเสริฐ วงศ์ใหญ่", C, "TH-CM-1", M, "th", True),
    Person("kanokwan.s@example.org", "กนกวรรณ ศรีสุข", C, "TH-CM-1", F, "th"),
    Person("wichai.b@example.org", "วิชัย บุญมา", C, "TH-CM-1", M, "th"),
    # Viet Nam
    Person("admin.vn@example.org", "Hoàng Thị Mai", A, "VN", F, "vi"),
    Person("trainer.vn@example.org", "Vũ Quốc Bảo", T, "VN-HN", M, "vi"),
    Person("counsellor.vn@example.org", "Nguyễn Thị Lan", C, "VN-HN-1", F, "vi"),
    Person("tran.vanhung@example.org", "Trần Văn Hùng", C, "VN-HN-1", M, "vi"),
    Person("le.thihoa@example.org", "Lê Thị Hoa", C, "VN-HCM-1", F, "vi"),
    Person("pham.minhtuan@example.org", "Phạm Minh Tuấn", C, "VN-HCM-1", M, "vi", True),
    Person("do.thutrang@example.org", "Đỗ Thu Trang", C, "VN-HCM-1", F, "vi"),
    # Philippines
    Person("admin.ph@example.org", "Ramon Garcia", A, "PH", M, "fil"),
    Person("trainer.ph@example.org", "Carmela Aquino", T, "PH-NCR", F, "fil"),
    Person("counsellor.ph@example.org", "Maria Santos", C, "PH-NCR-QC", F, "fil"),
    Person("jose.reyes@example.org", "Jose Reyes", C, "PH-NCR-QC", M, "fil"),
    Person("ana.delacruz@example.org", "Ana Dela Cruz", C, "PH-CEB-CC", F, "fil", True),
    Person("mark.villanueva@example.org", "Mark Villanueva", C, "PH-CEB-CC", M, "fil"),
    Person("liza.bautista@example.org", "Liza Bautista", C, "PH-CEB-CC", F, "fil"),
]

# The accounts worth printing: one of each role for a few countries.
SHOWN_LOGINS = [
    REGIONAL_ADMIN,
    "admin.id@example.org",
    "trainer.id@example.org",
    "trainer2.id@example.org",
    "counsellor.id@example.org",
    "budi.santoso@example.org",
    "counsellor.kh@example.org",
    "counsellor.th@example.org",
]


def _ensure_units() -> None:
    for country_code, provinces in UNITS.items():
        country = unit_by_code(country_code)
        for province_code, province_name, office_code, office_name in provinces:
            province = unit_by_code(province_code) or create_unit(
                province_code, province_name, UnitKind.PROVINCE, country
            )
            if unit_by_code(office_code) is None:
                create_unit(office_code, office_name, UnitKind.OFFICE, province)


def load_demo() -> int:
    """Create what is missing of the demo (idempotent).

    :return: how many people were created.
    """
    seed_countries()
    _ensure_units()
    units: dict[str, OrgUnit] = {}
    # One hash for every demo account: hashing is slow on purpose, and these share a password.
    password_hash = hash_password(DEMO_PASSWORD)
    created = 0
    for person in PEOPLE:
        if user_by_email(person.email) is not None:
            continue
        unit = units.get(person.unit) or unit_by_code(person.unit)
        units[person.unit] = unit
        user = create_user(
            Profile(
                email=person.email,
                display_name=person.name,
                role=person.role,
                org_unit=unit,
                preferred_language=person.language,
                sex=person.sex,
                has_disability=person.disability,
            )
        )
        user.password_hash = password_hash
        created += 1
    db.session.flush()
    return created
