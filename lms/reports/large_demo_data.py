"""What the large demo data set draws from: countries' shares, provinces and offices, names in
each country's script, and the words of its records (comments, topics, action plans)."""

from __future__ import annotations

# Share of the counsellors per country, roughly as large as each public employment service.
COUNTRY_WEIGHTS: dict[str, float] = {
    "ID": 40,
    "PH": 15,
    "VN": 12,
    "TH": 10,
    "MY": 8,
    "MM": 5,
    "KH": 4,
    "LA": 2,
    "CN": 2,
    "SG": 0.8,
    "BN": 0.6,
    "TL": 0.6,
}

# Provinces (or regions, states) per country, with a time zone where it is not the capital's.
PROVINCES: dict[str, list[tuple[str, str | None]]] = {
    "ID": [
        ("DKI Jakarta", None),
        ("Jawa Barat", None),
        ("Jawa Timur", None),
        ("Jawa Tengah", None),
        ("Sumatera Utara", None),
        ("Sulawesi Selatan", "Asia/Makassar"),
        ("Banten", None),
        ("Sumatera Barat", None),
        ("Kalimantan Timur", "Asia/Makassar"),
        ("Bali", "Asia/Makassar"),
    ],
    "PH": [
        ("National Capital Region", None),
        ("Calabarzon", None),
        ("Central Luzon", None),
        ("Central Visayas", None),
        ("Western Visayas", None),
        ("Davao Region", None),
        ("Northern Mindanao", None),
        ("Ilocos Region", None),
    ],
    "VN": [
        ("Hà Nội", None),
        ("Thành phố Hồ Chí Minh", None),
        ("Đà Nẵng", None),
        ("Hải Phòng", None),
        ("Cần Thơ", None),
        ("Nghệ An", None),
        ("Bình Dương", None),
    ],
    "TH": [
        ("Bangkok", None),
        ("Chiang Mai", None),
        ("Khon Kaen", None),
        ("Nakhon Ratchasima", None),
        ("Chon Buri", None),
        ("Songkhla", None),
        ("Phuket", None),
        ("Udon Thani", None),
    ],
    "MY": [
        ("Selangor", None),
        ("Johor", None),
        ("Wilayah Persekutuan Kuala Lumpur", None),
        ("Pulau Pinang", None),
        ("Sabah", "Asia/Kuching"),
        ("Sarawak", "Asia/Kuching"),
    ],
    "MM": [("Yangon", None), ("Mandalay", None), ("Naypyidaw", None), ("Bago", None)],
    "KH": [
        ("Phnom Penh", None),
        ("Siem Reap", None),
        ("Battambang", None),
        ("Kampong Cham", None),
        ("Preah Sihanouk", None),
    ],
    "LA": [
        ("Vientiane Capital", None),
        ("Luang Prabang", None),
        ("Savannakhet", None),
        ("Champasak", None),
    ],
    "CN": [("Guangxi", None), ("Yunnan", None), ("Guangdong", None), ("Hainan", None)],
    "SG": [("Central Region", None), ("West Region", None)],
    "BN": [("Brunei-Muara", None), ("Belait", None)],
    "TL": [("Dili", None), ("Baucau", None)],
}

OFFICE_NAMES: dict[str, str] = {
    "ID": "Disnaker {province} {n:02d}",
    "PH": "PESO {province} {n:02d}",
    "VN": "Trung tâm Dịch vụ việc làm {province} {n:02d}",
    "TH": "Employment Office {province} {n:02d}",
    "MY": "PERKESO {province} {n:02d}",
    "MM": "Township Labour Exchange Office {province} {n:02d}",
    "KH": "Job Centre {province} {n:02d}",
    "LA": "Employment Service Centre {province} {n:02d}",
    "CN": "Public Employment Service Centre {province} {n:02d}",
    "SG": "Careers Connect {province} {n:02d}",
    "BN": "JobCentre Brunei {province} {n:02d}",
    "TL": "SEFOPE Employment Centre {province} {n:02d}",
}

LANGUAGES: dict[str, str] = {
    "ID": "id",
    "PH": "fil",
    "VN": "vi",
    "TH": "th",
    "MY": "ms",
    "MM": "my",
    "KH": "km",
    "LA": "lo",
    "CN": "zh",
    "SG": "en",
    "BN": "ms",
    "TL": "en",
}

# -- names ------------------------------------------------------------------------------------
# (female given names, male given names, family names)
Names = tuple[list[str], list[str], list[str]]
LATIN_NAMES: dict[str, Names] = {
    "ID": (
        ["Siti", "Dewi", "Putri", "Rina", "Sri", "Ratna", "Wulan", "Indah", "Ayu", "Fitri"],
        ["Budi", "Agus", "Joko", "Hendra", "Yusuf", "Andi", "Bambang", "Rudi", "Eko", "Rizky"],
        [
            "Santoso",
            "Handayani",
            "Susilo",
            "Wijaya",
            "Hidayat",
            "Pratama",
            "Lestari",
            "Wulandari",
            "Saputra",
            "Nugroho",
            "Kurniawan",
            "Setiawan",
            "Siregar",
            "Nasution",
            "Simanjuntak",
        ],
    ),
    "PH": (
        ["Maria", "Ana", "Liza", "Carmela", "Jocelyn", "Rowena", "Kristine", "Marites"],
        ["Jose", "Mark", "Ramon", "Juan", "Paolo", "Jerome", "Rodel", "Arnel"],
        [
            "Santos",
            "Reyes",
            "Cruz",
            "Bautista",
            "Garcia",
            "Villanueva",
            "Mendoza",
            "Aquino",
            "Ramos",
            "Dela Cruz",
            "Gonzales",
            "Flores",
            "Torres",
        ],
    ),
    "TL": (
        ["Maria", "Ana", "Teresa", "Joana", "Rosa", "Filomena"],
        ["João", "José", "Francisco", "Domingos", "Agustinho", "Mateus"],
        ["da Silva", "dos Santos", "Soares", "Pereira", "da Costa", "Guterres", "Ximenes", "Belo"],
    ),
    "VN": (
        ["Lan", "Hoa", "Mai", "Hương", "Trang", "Linh", "Thảo", "Hằng", "Nhung", "Yến"],
        ["Hùng", "Tuấn", "Dũng", "Nam", "Bảo", "Long", "Khoa", "Phúc", "Quang", "Sơn"],
        [
            "Nguyễn",
            "Trần",
            "Lê",
            "Phạm",
            "Hoàng",
            "Huỳnh",
            "Phan",
            "Vũ",
            "Võ",
            "Đặng",
            "Bùi",
            "Đỗ",
            "Hồ",
            "Ngô",
        ],
    ),
    "TH": (
        ["สุดารัตน์", "กนกวรรณ", "อรุณี", "มาลี", "ศิริพร", "พรทิพย์", "วันเพ็ญ", "นภา"],
        ["สมชาย", "ประเสริฐ", "วิชัย", "ธนพล", "สมศักดิ์", "ชัยวัฒน์", "อนุชา", "ปิยะ"],
        ["ใจดี", "แก้วมณี", "วงศ์ใหญ่", "ศรีสุข", "บุญมา", "ทองดี", "ศักดิ์ดี", "มีสุข"],
    ),
    "KH": (
        ["ចាន់ធា", "សុភា", "ស្រីនាង", "រតនា", "សុវណ្ណារី", "បុប្ផា", "សុខា"],
        ["វិចិត្រ", "វណ្ណា", "ដារ៉ា", "សំណាង", "រតនា", "សុខា"],
        ["សុខ", "ចាន់", "ហេង", "គឹម", "ស៊ុន", "ម៉ៅ", "ពៅ", "លី", "សេង"],
    ),
    "LA": (
        ["ນາລີ", "ພອນທິບ", "ແສງດາວ", "ສີສຸພັນ", "ຄຳພອນ"],
        ["ສົມພອນ", "ບຸນມີ", "ວຽງໄຊ", "ທອງລາ", "ສຸກສະຫວັນ"],
        ["ແກ້ວມະນີ", "ພົມມະຈັນ", "ສີສຸວັນ", "ວົງສາ", "ອິນທະວົງ", "ພັນທະວົງ"],
    ),
    "CN": (
        ["芳", "娜", "敏", "静", "丽", "艳", "秀英", "桂英", "海燕", "美玲", "雪梅"],
        ["伟", "强", "磊", "军", "洋", "勇", "杰", "涛", "明", "建华", "志强"],
        ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "林"],
    ),
}
# Burmese names have no family name: an honorific, then two or three syllables.
MYANMAR_SYLLABLES = (
    ["အေး", "ခင်", "မာ", "နွယ်", "သီတာ", "ဆု", "မြတ်", "ချို", "လှိုင်"],
    ["အောင်", "ကျော်", "ဇော်", "ထွန်း", "ဝင်း", "စိုး", "လွင်", "နိုင်", "မြင့်"],
)
MALAY_GIVEN = (
    ["Nurul Aisyah", "Siti Zulaikha", "Nur Izzati", "Farah", "Aminah", "Syafiqah"],
    ["Muhammad Hafiz", "Ahmad Faizal", "Mohd Azlan", "Amirul", "Khairul", "Syazwan"],
)
MALAY_FATHERS = ["Ahmad", "Ismail", "Abdullah", "Hassan", "Osman", "Ibrahim", "Yusof", "Razak"]
CHINESE_LATIN = (
    ["Tan", "Lim", "Lee", "Ng", "Ong", "Wong", "Goh", "Chua", "Chan", "Teo"],
    ["Wei Jie", "Mei Ling", "Jia Hui", "Jun Jie", "Xin Yi", "Zhi Hao", "Hui Min", "Kok Wai"],
)
INDIAN_GIVEN = (["Priya", "Kavitha", "Lakshmi", "Deepa"], ["Suresh", "Rajesh", "Ganesh", "Kumar"])
INDIAN_FATHERS = ["Subramaniam", "Muthu", "Krishnan", "Raman"]

# -- words of the records ---------------------------------------------------------------------
TIER_2_DAYS = [
    "Day 1: the counselling interview",
    "Day 2: simulations",
    "Day 3: simulations and feedback",
    "Day 4: action plans",
]
GRADE_COMMENTS = [
    "A confident, well-structured interview. Keep summarising.",
    "Good rapport; ask more open questions before proposing jobs.",
    "Clear action plan agreed with the jobseeker.",
    "Listen to the end before offering solutions.",
    "Warm opening; the labour market information needs to be more specific.",
    "Handled the jobseeker's worries about working abroad carefully.",
]
CRITERION_COMMENTS = [
    "Warm, clear opening; the jobseeker felt heard.",
    "Summarised the jobseeker's situation accurately.",
    "The next steps were vague.",
    "Checked consent before sharing the CV.",
]
ROLLOUT_TOPICS = [
    "The counselling interview, step by step",
    "Using labour market information with jobseekers",
    "Job matching on the national job portal",
    "Inclusive services for jobseekers with disabilities",
    "Safe labour migration: advising jobseekers",
    "Agreeing an action plan with a jobseeker",
    "Gender-responsive counselling",
]
REVIEW_COMMENTS = ["", "", "Well prepared; good simulation.", "Clear session; colleagues engaged."]
ACTION_PLANS = [
    "Hold a weekly job-search clinic for jobseekers with disabilities, with an accessible room "
    "and a sign-language interpreter on request.",
    "Ask every jobseeker about caring duties and offer appointments outside school hours.",
    "Give every jobseeker considering work abroad the checklist of licensed recruitment "
    "agencies and the hotline number.",
    "Help each new jobseeker create a profile on the national job portal during the first "
    "interview.",
    "Review the office's vacancy notices for gendered wording each month.",
    "Invite two local employers a month to meet jobseekers at the office.",
]
PLAN_ACCEPTED = ["", "Realistic and specific.", "Good: clear steps and a date."]
PLAN_RETURNED = [
    "Please say who is responsible and by when.",
    "Make the first step smaller and more concrete.",
]
