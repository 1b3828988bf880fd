"""A large, realistic data set: tens or hundreds of thousands of counsellors who climbed the
four tiers between January 2024 and November 2026, for trying reports and pages at scale.

It adds to a database that holds the seeded countries and the imported curriculum: provinces
and offices below each country, counsellors (names in their country's script), trainers and
one administrator per country, and everything the counsellors did, tier by tier, as the pages
would have recorded it (modules read, quiz attempts, cohorts, attendance, graded simulations,
roll-out sessions, workshops, action plans, tier completions and certificates).

Why it looks the way it does:

- Rows go in with SQLAlchemy Core ``executemany`` batches, with primary keys counted up from
  each table's ``max(id)``: children refer to their parents without a round-trip per row, and
  no ORM object is ever built (150,000 counsellors make some five million rows).
- Each country is planned first (dates, cohorts, roll-outs, workshops, all in plain Python),
  then written; a country's plan is the most held in memory at once.
- Every tier's completion is computed from the generated facts with the project's own rules
  (:func:`lms.training.rules.tier_met`), at the moment the last needed fact was recorded, so
  :func:`lms.training.standing.record_completions` finds nothing more to record.
- Deterministic for a ``seed``, except what must stay unguessable or is opaque anyway:
  certificate codes, session tokens and the option tokens in quiz layouts come from
  ``secrets`` through the project's own functions.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from lms.accounts.models import OrgUnit, Role, Sex, UnitKind, new_session_token
from lms.accounts.units import ROOT_CODE
from lms.certificates.issuers import issuer_for
from lms.certificates.issuing import new_code
from lms.certificates.models import PROGRAMME, Certificate
from lms.curriculum.models import Scenario, Tier, Workshop
from lms.extensions import db
from lms.learning.attempts import layout_for
from lms.learning.progress import tier_courses
from lms.reports.large_demo_data import (
    ACTION_PLANS,
    CHINESE_LATIN,
    COUNTRY_WEIGHTS,
    CRITERION_COMMENTS,
    GRADE_COMMENTS,
    INDIAN_FATHERS,
    INDIAN_GIVEN,
    LANGUAGES,
    LATIN_NAMES,
    MALAY_FATHERS,
    MALAY_GIVEN,
    MYANMAR_SYLLABLES,
    OFFICE_NAMES,
    PLAN_ACCEPTED,
    PLAN_RETURNED,
    PROVINCES,
    REVIEW_COMMENTS,
    ROLLOUT_TOPICS,
    TIER_2_DAYS,
)
from lms.training.grading import rubric_snapshot
from lms.training.models import ATTENDED, AttendanceStatus
from lms.training.rules import Facts, score, tier_met
from lms.training.timezones import COUNTRY_ZONES, to_utc

# Every unit this module creates has a code starting so: how a second run is recognised.
MARK = "BULK-"
EMAIL_DOMAIN = "bulk.example.org"

# -- the time line ----------------------------------------------------------------------------
FIRST_DAY = date(2024, 1, 1)
LAST_DAY = date(2026, 11, 20)
# The latest a cohort, roll-out session or workshop may start, in days before the last day, by
# the tier the counsellor will reach: leaves room for the tiers after it before the last day.
COHORT_BY = {2: 80, 3: 200, 4: 360}
ROLLOUT_BY = {3: 30, 4: 170}
WORKSHOPS_BY = 45

# Rows per INSERT batch; a simulation carries its rubric (some 20 kB of JSON).
BATCH = 10_000
BATCHES = {"simulations": 1_000, "certificates": 5_000}

Progress = Callable[[str], None]


def generate_counsellors(
    count: int, *, seed: int = 2026, progress: Progress | None = None
) -> dict[str, int]:
    """Add ``count`` counsellors and their whole history to the database.

    Needs the seeded countries and the imported curriculum (Tiers 1 to 4). Refused (a
    ``ValueError``) when a large data set is already there, as it cannot be told apart from
    what people did afterwards. Not for a database in use: ids are counted up from each
    table's current maximum, so nobody else may insert meanwhile.

    Nothing is committed here: everything is in the caller's transaction, which commits it or
    rolls it all back. On PostgreSQL the id sequences are moved past the inserted ids (a
    sequence change survives a rollback; that only leaves a gap).

    :param progress: called with short English lines for an operator ("counsellors: 150,000").
    :return: rows inserted per table name.
    """
    if count < 1:
        raise ValueError("The number of counsellors must be at least 1.")
    _refuse_second_run()
    countries = _countries()
    curriculum = _curriculum()
    connection = db.session.connection()
    sink = _Sink(connection)
    report = progress or (lambda _line: None)
    builder = _Builder(random.Random(seed), sink, curriculum, report)  # noqa: S311  (demo data)
    builder.build(count, countries)
    sink.flush_all()
    _reset_sequences(connection, sink.tables_with_ids())
    for table, rows in sorted(sink.counts.items()):
        report(f"{table.replace('_', ' ')}: {rows:,}")
    return dict(sink.counts)


def _refuse_second_run() -> None:
    found = db.session.scalar(
        sa.select(OrgUnit.code).where(OrgUnit.code.startswith(MARK, autoescape=True)).limit(1)
    )
    if found is not None:
        raise ValueError(
            f"A large demo data set is loaded already (unit {found}); "
            "load it into a fresh database instead."
        )


def _countries() -> dict[str, OrgUnit]:
    root = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == ROOT_CODE))
    found = {
        unit.code: unit
        for unit in db.session.scalars(
            sa.select(OrgUnit).where(
                OrgUnit.kind == UnitKind.COUNTRY.value,
                OrgUnit.parent_id == (root.id if root else None),
            )
        )
        if unit.code in COUNTRY_WEIGHTS
    }
    if not found:
        raise ValueError("No seeded countries: run `flask lms seed` first.")
    return found


def _reset_sequences(connection: sa.Connection, tables: Iterable[str]) -> None:
    """PostgreSQL hands out ids from a sequence that knows nothing of ids inserted explicitly:
    move each one past the largest id, or the next normal insert would collide."""
    if connection.dialect.name != "postgresql":
        return
    for table in tables:
        connection.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence(:table, 'id'), "  # noqa: S608  (our tables)
                f"(SELECT max(id) FROM {table}))"
            ),
            {"table": table},
        )


# -- writing ----------------------------------------------------------------------------------
class _Sink:
    """Rows waiting to be inserted, per table, written in batches with their parents first.

    A table's batch is written when it is full; the tables it refers to are written just
    before it, so a foreign key always finds its row, on SQLite as on PostgreSQL.

    On PostgreSQL a batch goes in with COPY on the session's own connection (so in the same
    transaction): an INSERT per row, even pipelined, costs the server several times as much.
    SQLite has no such round-trip, and takes ``executemany``.
    """

    def __init__(self, connection: sa.Connection) -> None:
        self.connection = connection
        self.tables = db.metadata.tables
        self.buffers: dict[str, list[dict[str, Any]]] = {}
        self.counts: dict[str, int] = {}
        self.next_ids: dict[str, int] = {}
        self.copy = connection.dialect.name == "postgresql"
        # JSON of values shared by many rows (a rubric, a quiz layout, an issuer), written
        # once: keyed by id(), which stays theirs as they live as long as this sink.
        self.shared: dict[int, str] = {}

    def share(self, value: Any) -> Any:
        """Mark a JSON value that many rows will hold and that lives through the run."""
        self.shared[id(value)] = json.dumps(value)
        return value

    def new_id(self, table: str) -> int:
        if table not in self.next_ids:
            highest = self.connection.scalar(sa.select(sa.func.max(self.tables[table].c.id)))
            self.next_ids[table] = (highest or 0) + 1
        value = self.next_ids[table]
        self.next_ids[table] = value + 1
        return value

    def tables_with_ids(self) -> list[str]:
        return sorted(self.next_ids)

    def add(self, table: str, row: dict[str, Any]) -> None:
        buffer = self.buffers.setdefault(table, [])
        buffer.append(row)
        if len(buffer) >= BATCHES.get(table, BATCH):
            self.flush(table)

    def flush(self, table: str) -> None:
        for key in self.tables[table].foreign_keys:
            parent = key.column.table.name
            if parent != table and self.buffers.get(parent):
                self.flush(parent)
        rows = self.buffers.pop(table, None)
        if not rows:
            return
        if self.copy:
            self._copy(self.tables[table], rows)
        else:
            self.connection.execute(sa.insert(self.tables[table]), rows)
        self.counts[table] = self.counts.get(table, 0) + len(rows)

    def _copy(self, table: sa.Table, rows: list[dict[str, Any]]) -> None:
        """COPY the rows in. Values are already what the columns take (timestamps in UTC,
        aware); JSON is written as text, as SQLAlchemy would serialise it (``json.dumps``)."""
        columns = list(rows[0])
        as_json = {c.name for c in table.columns if isinstance(c.type, sa.JSON)}
        shared = self.shared
        statement = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
        driver = self.connection.connection.driver_connection
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(
                    [
                        (shared.get(id(row[c])) or json.dumps(row[c])) if c in as_json else row[c]
                        for c in columns
                    ]
                )

    def flush_all(self) -> None:
        for table in list(self.buffers):
            self.flush(table)


# -- the curriculum, as plain values ----------------------------------------------------------
@dataclass(frozen=True)
class _Quiz:
    id: int
    version_id: int
    pass_mark: int
    max_attempts: int | None
    time_limit: int | None
    questions: int
    max_score: float
    layouts: tuple[dict[str, Any], ...]

    def result(self, right: int) -> tuple[float, float, bool]:
        """Score, percent and pass for ``right`` questions right (as ``score_quiz`` counts)."""
        got = round(self.max_score * right / self.questions, 4)
        percent = round(100 * got / self.max_score, 2) if self.max_score else 0.0
        return got, percent, percent + 1e-9 >= self.pass_mark

    @cached_property
    def least_to_pass(self) -> int:
        return next(
            k for k in range(self.questions + 1) if self.result(k)[2] or k == self.questions
        )


@dataclass(frozen=True)
class _Module:
    id: int
    required: bool
    quiz: _Quiz | None


@dataclass(frozen=True)
class _Scenario:
    id: int
    rubric: dict[str, Any]  # the snapshot a simulation keeps
    criteria: tuple[str, ...]
    levels: tuple[str, ...]


@dataclass(frozen=True)
class _Workshop:
    id: int
    title: str
    minutes: int


@dataclass(frozen=True)
class _Curriculum:
    rules: dict[int, dict[str, Any]]
    tiers: dict[int, list[_Module]]
    scenarios: list[_Scenario]
    workshops: list[_Workshop]

    @property
    def tier_three_quizzes(self) -> int:
        return sum(1 for m in self.tiers[3] if m.required and m.quiz is not None)


def _curriculum() -> _Curriculum:
    rules = dict(db.session.execute(sa.select(Tier.number, Tier.rules)).all())
    if set(rules) != {1, 2, 3, 4}:
        raise ValueError("Import the curriculum first (`flask lms courses import`): no Tiers 1-4.")
    tiers = {number: _modules(number) for number in (1, 2, 3, 4)}
    scenarios = [
        _Scenario(
            s.id,
            rubric_snapshot(s.rubric),
            tuple(c["id"] for c in s.rubric.criteria),
            tuple(level["id"] for level in s.rubric.levels),
        )
        for s in db.session.scalars(
            sa.select(Scenario).where(Scenario.is_retired.is_(False)).order_by(Scenario.position)
        )
    ]
    workshops = [
        _Workshop(w.id, w.title.get("en") or next(iter(w.title.values())), w.hours * 60)
        for w in db.session.scalars(
            sa.select(Workshop).where(Workshop.is_retired.is_(False)).order_by(Workshop.position)
        )
    ][:4]
    if not any(m.quiz for m in tiers[1]) or not scenarios or not workshops:
        raise ValueError(
            "The curriculum lacks Tier 1 quizzes, Tier 2 scenarios or Tier 4 workshops: "
            "import it first (`flask lms courses import`)."
        )
    return _Curriculum(rules, tiers, scenarios, workshops)


def _modules(tier: int) -> list[_Module]:
    found = []
    for course in tier_courses(tier):
        for module in course.modules:
            if module.is_retired:
                continue
            quiz = module.quiz
            usable = quiz is not None and not quiz.is_retired and quiz.current_version is not None
            found.append(_Module(module.id, module.is_required, _quiz(quiz) if usable else None))
    return found


def _quiz(quiz: Any) -> _Quiz:
    questions = quiz.current_version.questions
    return _Quiz(
        id=quiz.id,
        version_id=quiz.current_version_id,
        pass_mark=quiz.pass_mark,
        max_attempts=quiz.max_attempts,
        time_limit=quiz.time_limit_minutes,
        questions=max(1, len(questions)),
        max_score=float(sum(float(q.get("points", 1)) for q in questions)) or 1.0,
        # A few layouts, each drawn as a real attempt draws it, shared by many attempts.
        layouts=tuple(layout_for(questions, quiz.shuffle) for _ in range(8)),
    )


# -- what is planned ---------------------------------------------------------------------------
@dataclass(slots=True)
class _Unit:
    id: int
    code: str
    name: str
    path: str


@dataclass(slots=True)
class _Province:
    unit: _Unit
    zone: str
    offices: list[_Unit] = field(default_factory=list)
    trainers: list[int] = field(default_factory=list)


@dataclass(slots=True)
class _Person:
    """A counsellor and the days (since the first day, in UTC) things happened to them."""

    id: int
    name: str
    sex: str
    office: _Unit
    province: int
    target: int  # the highest tier planned; what happened is in t1..t4
    started: bool  # did something in Tier 1
    cohort_fail: bool = False  # was in a Tier 2 cohort, did not complete it
    joined: float = 0.0
    t1_start: float = 0.0
    planned_t1: float = 0.0
    t1: float | None = None
    t2: float | None = None
    t3: float | None = None
    t4: float | None = None
    quiz3: float | None = None
    last: float | None = None
    deactivated: bool = False

    def touch(self, day: float) -> None:
        if self.last is None or day > self.last:
            self.last = day

    @property
    def reached(self) -> int:
        """The highest tier completed (0: none)."""
        for number, day in ((4, self.t4), (3, self.t3), (2, self.t2), (1, self.t1)):
            if day is not None:
                return number
        return 0


@dataclass(slots=True)
class _Sim:
    scenario: _Scenario
    levels: tuple[str, ...]
    percent: float
    passed: bool
    day: float
    grader: int


@dataclass(slots=True)
class _Plan:
    workshop: int
    number: int
    state: str
    submitted: float
    reviewed: float | None
    reviewer: int | None


@dataclass(slots=True)
class _Member:
    person: _Person
    added: float
    statuses: list[str]
    marks: list[float]
    sims: list[_Sim] = field(default_factory=list)
    plans: list[_Plan] = field(default_factory=list)


@dataclass(slots=True)
class _Session:
    id: int
    title: str
    day: float
    minutes: int
    workshop: int | None


@dataclass(slots=True)
class _Cohort:
    id: int
    tier: int
    unit: _Unit
    name: str
    place: str
    zone: str
    starts: int
    created: float
    creator: int
    trainers: list[int]
    sessions: list[_Session] = field(default_factory=list)
    members: list[_Member] = field(default_factory=list)


@dataclass(slots=True)
class _Rollout:
    id: int
    facilitator: _Person
    day: int
    capacity: int
    participants: list[_Person] = field(default_factory=list)
    extras: list[_Person] = field(default_factory=list)
    submitted: float = 0.0
    reviewed: float = 0.0


@dataclass(slots=True)
class _Country:
    code: str
    unit: OrgUnit
    zone: str
    issuer: dict[str, Any]
    admin: int = 0
    provinces: list[_Province] = field(default_factory=list)
    people: list[_Person] = field(default_factory=list)
    cohorts: list[_Cohort] = field(default_factory=list)
    rollouts: list[_Rollout] = field(default_factory=list)
    facilitators: dict[int, float] = field(default_factory=dict)  # person id -> appointed


# -- building ---------------------------------------------------------------------------------
class _Builder:
    """Plans each country, then writes it."""

    def __init__(
        self, rng: random.Random, sink: _Sink, curriculum: _Curriculum, progress: Progress
    ) -> None:
        self.rng = rng
        self.sink = sink
        self.curriculum = curriculum
        self.progress = progress
        last = min(LAST_DAY, date.today() - timedelta(days=1))
        span = (LAST_DAY - FIRST_DAY).days
        # Run before LAST_DAY, the whole history moves back: nothing happens in the future.
        self.first = last - timedelta(days=span)
        self.first_dt = datetime.combine(self.first, time(0), tzinfo=UTC)
        self.end = float(span)
        self.counsellors = 0
        self.trainers = 0
        self.codes: set[str] = set(db.session.scalars(sa.select(Certificate.code)))
        for scenario in curriculum.scenarios:
            sink.share(scenario.rubric)
        for modules in curriculum.tiers.values():
            for module in modules:
                for layout in module.quiz.layouts if module.quiz else ():
                    sink.share(layout)

    # -- the plan of the whole region ---------------------------------------------------------
    def build(self, count: int, countries: dict[str, OrgUnit]) -> None:
        shares = _shares(count, {code: COUNTRY_WEIGHTS[code] for code in countries})
        plans = [
            self._country(code, countries[code], shares[code])
            for code in sorted(shares, key=lambda c: -shares[c])
            if shares[code]
        ]
        units = sum(1 + len(p.offices) for c in plans for p in c.provinces)
        self.sink.flush("org_units")
        self.progress(f"units: {units:,}")
        for country in plans:
            self._fill(country, shares[country.code])
            self.progress(
                f"{country.code}: {len(country.people):,} counsellors, "
                f"{len(country.cohorts):,} cohorts, {len(country.rollouts):,} roll-out sessions"
            )
            # What is written is not needed any more: only the units stay for the report.
            country.people, country.cohorts, country.rollouts = [], [], []
        self.progress(f"counsellors: {self.counsellors:,}")
        self.progress(f"trainers: {self.trainers:,}")

    def _country(self, code: str, unit: OrgUnit, count: int) -> _Country:
        """The country's provinces and offices (written now: they are few)."""
        country = _Country(
            code,
            unit,
            COUNTRY_ZONES.get(code, "UTC"),
            self.sink.share(issuer_for(SimpleNamespace(org_unit=unit))),
        )
        names = PROVINCES[code][: min(len(PROVINCES[code]), max(1, math.ceil(count / 30)))]
        offices = max(1, min(12, round(count / len(names) / 400)))
        for index, (name, zone) in enumerate(names, start=1):
            province = _Province(
                self._unit(
                    f"{MARK}{code}-{index:02d}", name, UnitKind.PROVINCE, unit.id, unit.path
                ),
                zone or country.zone,
            )
            for number in range(1, offices + 1):
                office_name = OFFICE_NAMES[code].format(province=name, n=number)
                province.offices.append(
                    self._unit(
                        f"{MARK}{code}-{index:02d}-{number:02d}",
                        office_name,
                        UnitKind.OFFICE,
                        province.unit.id,
                        province.unit.path,
                    )
                )
            country.provinces.append(province)
        return country

    def _unit(self, code: str, name: str, kind: UnitKind, parent: int, parent_path: str) -> _Unit:
        unit_id = self.sink.new_id("org_units")
        unit = _Unit(unit_id, code, name, f"{parent_path}{unit_id}/")
        self.sink.add(
            "org_units",
            {
                "id": unit_id,
                "code": code,
                "name": name,
                "kind": kind.value,
                "parent_id": parent,
                "path": unit.path,
                "created_dt": self.first_dt - timedelta(days=120),
            },
        )
        return unit

    def _fill(self, country: _Country, count: int) -> None:
        """Plan a country's people and their training, then write it all."""
        self._plan_people(country, count)
        for province_index, province in enumerate(country.provinces):
            people = [p for p in country.people if p.province == province_index]
            for office in province.offices:
                members = [p for p in people if p.office is office and _in_cohort(p)]
                self._plan_cohorts(country, province, office, members)
            self._plan_rollouts(country, province, people)
            self._plan_workshops(country, province, people)
        self._write(country)

    # -- people -----------------------------------------------------------------------------
    def _plan_people(self, country: _Country, count: int) -> None:
        rng = self.rng
        weights = [
            (2.0 if index == 0 else rng.uniform(0.5, 1.5)) * rng.uniform(0.6, 1.4)
            for index, province in enumerate(country.provinces)
            for _office in province.offices
        ]
        offices = [
            (index, office)
            for index, province in enumerate(country.provinces)
            for office in province.offices
        ]
        cumulative = _cumulative(weights)
        for _ in range(count):
            province, office = rng.choices(offices, cum_weights=cumulative)[0]
            sex = _sex(rng)
            target, started = _target(rng)
            person = _Person(
                id=self.sink.new_id("users"),
                name=_name(country.code, sex, rng),
                sex=sex,
                office=office,
                province=province,
                target=target,
                started=started,
                cohort_fail=target == 1 and rng.random() < 0.2,
            )
            self._plan_tier_one(person)
            country.people.append(person)
        per_province = [0] * len(country.provinces)
        for person in country.people:
            per_province[person.province] += 1
        for province, people in zip(country.provinces, per_province, strict=True):
            province.trainers = [self.sink.new_id("users") for _ in range(max(1, -(-people // 50)))]
        country.admin = self.sink.new_id("users")

    def _plan_tier_one(self, person: _Person) -> None:
        """When the person joined and did (or will have done) Tier 1: late enough in the
        window for realism, early enough for the tiers they will reach."""
        rng = self.rng
        if person.target == 0:
            person.joined = rng.uniform(0, self.end - 1)
            if person.started:
                # Some modules and quizzes, then nothing more (yet).
                person.t1_start = min(person.joined + rng.uniform(0, 20), self.end - 2)
                person.planned_t1 = min(self.end - 0.01, person.t1_start + rng.uniform(1, 60))
                person.touch(person.planned_t1)
            return
        stage = max(person.target, 2 if person.cohort_fail else 1)
        latest = self.end - COHORT_BY[stage] - 7 if stage >= 2 else self.end - 1
        planned = 14 + (latest - 14) * rng.random() ** 0.8
        person.planned_t1 = person.t1 = _at_work(planned, rng)
        person.t1_start = max(1.0, person.planned_t1 - rng.uniform(3, 75))
        person.joined = max(0.0, person.t1_start - rng.uniform(0, 40))
        person.touch(person.t1)

    # -- Tier 2 -----------------------------------------------------------------------------
    def _plan_cohorts(
        self, country: _Country, province: _Province, office: _Unit, members: list[_Person]
    ) -> None:
        """Cohorts of about 25, of people ready about the same time: each starts after all its
        members completed Tier 1, and before the latest start any of them allows."""
        ready = sorted(members, key=lambda p: p.planned_t1)
        chunks = _chunks(
            ready,
            lambda p: p.planned_t1 + 2,
            lambda p: self.end - COHORT_BY[max(p.target, 2)],
            self.rng,
        )
        for number, (chunk, earliest, latest) in enumerate(chunks, start=1):
            start = math.floor(earliest + self.rng.uniform(0, min(21.0, latest - earliest)))
            cohort = self._cohort(
                country,
                province,
                tier=2,
                unit=office,
                name=f"In-person training {office.name}, batch {number}",
                place=f"{office.name}, training room",
                start=start,
            )
            for index, title in enumerate(TIER_2_DAYS):
                cohort.sessions.append(self._session(cohort, title, start + index, 240, None))
            for person in chunk:
                cohort.members.append(self._tier_two_member(cohort, person))
            country.cohorts.append(cohort)

    def _cohort(
        self,
        country: _Country,
        province: _Province,
        *,
        tier: int,
        unit: _Unit,
        name: str,
        place: str,
        start: int,
    ) -> _Cohort:
        rng = self.rng
        trainers = rng.sample(province.trainers, min(len(province.trainers), rng.choice((1, 2))))
        return _Cohort(
            id=self.sink.new_id("cohorts"),
            tier=tier,
            unit=unit,
            name=name,
            place=place,
            zone=province.zone,
            starts=start,
            created=max(0.0, start - rng.uniform(14, 60)),
            creator=country.admin,
            trainers=trainers,
        )

    def _session(
        self, cohort: _Cohort, title: str, day: int, minutes: int, workshop: int | None
    ) -> _Session:
        starts = to_utc(self.first + timedelta(days=day), time(9, 0), cohort.zone)
        return _Session(
            self.sink.new_id("training_sessions"),
            title,
            (starts - self.first_dt).total_seconds() / 86400,
            minutes,
            workshop,
        )

    def _tier_two_member(self, cohort: _Cohort, person: _Person) -> _Member:
        """Attendance and graded simulations, meant to pass (or not); whether Tier 2 is
        complete, and when, is then computed from them by the tier's rules."""
        rng = self.rng
        passing = person.target >= 2
        member = _Member(person, self._added(cohort, person), [], [])
        by_attendance = not passing and rng.random() < 0.5
        member.statuses = _statuses(rng, len(cohort.sessions), passing or not by_attendance)
        member.marks = [s.day + rng.uniform(1, 8) / 24 for s in cohort.sessions]
        scenarios = len(self.curriculum.scenarios)
        needed = int(self.curriculum.rules[2].get("simulations_passed", 1))
        failing: set[int] = set()
        if not passing and not by_attendance:
            failing = set(
                rng.sample(range(scenarios), min(scenarios, max(1, scenarios - needed + 1)))
            )
        last = cohort.sessions[-1].day
        for index, scenario in enumerate(self.curriculum.scenarios):
            if rng.random() < 0.7:
                day = cohort.sessions[rng.randrange(1, len(cohort.sessions))].day + rng.uniform(
                    0.25, 0.45
                )
            else:
                day = _at_work(last + rng.uniform(1, 7), rng)
            levels, result = _grade(scenario, index not in failing, rng)
            member.sims.append(
                _Sim(scenario, levels, result[0], result[1], day, rng.choice(cohort.trainers))
            )
        events: list[tuple[float, str, Any]] = [
            (mark, status, None) for mark, status in zip(member.marks, member.statuses, strict=True)
        ]
        events += [(sim.day, "simulation", sim) for sim in member.sims]
        person.t2 = self._tier_two_met(events, len(cohort.sessions))
        person.target = max(person.target, 2) if person.t2 else min(person.target, 1)
        person.touch(max(e[0] for e in events))
        return member

    def _tier_two_met(self, events: list[tuple[float, str, Any]], sessions: int) -> float | None:
        """The moment the tier's rules were first met, as the facts came in."""
        attended = excused = 0
        passed: set[int] = set()
        for day, kind, sim in sorted(events, key=lambda e: e[0]):
            if kind == "simulation":
                if sim.passed:
                    passed.add(sim.scenario.id)
            elif kind in ATTENDED:
                attended += 1
            elif kind == AttendanceStatus.EXCUSED:
                excused += 1
            facts = Facts(
                attended=attended, countable=sessions - excused, simulations_passed=len(passed)
            )
            if tier_met(2, self.curriculum.rules[2], facts):
                return day
        return None

    def _added(self, cohort: _Cohort, person: _Person) -> float:
        return min(
            max(cohort.created, person.joined) + self.rng.uniform(0.01, 3), cohort.starts - 0.1
        )

    # -- Tier 3 -----------------------------------------------------------------------------
    def _plan_rollouts(self, country: _Country, province: _Province, people: list[_Person]) -> None:
        """Facilitators among the first Tier 2 graduates (then one in about twelve), each
        delivering sessions to colleagues of the province as they become ready."""
        rng = self.rng
        bound = sorted((p for p in people if p.target >= 3 and p.t2), key=lambda p: p.t2 or 0)
        appointed: list[tuple[_Person, float]] = []
        load: dict[int, int] = {}
        sessions = [self._first_rollout(country, appointed, load, p) for p in bound[::12]]
        open_sessions = list(sessions)
        for person in (p for index, p in enumerate(bound) if index % 12):
            earliest = math.ceil((person.t2 or 0) + 2)
            latest = math.floor(self.end - ROLLOUT_BY[person.target])
            open_sessions = [
                s for s in open_sessions if s.day >= earliest and len(s.participants) < s.capacity
            ]
            found = next((s for s in open_sessions if s.day <= latest), None)
            if found is None:
                found = self._new_rollout(country, appointed, load, person, earliest, latest)
                sessions.append(found)
                open_sessions.append(found)
            if found.facilitator is not person:
                found.participants.append(person)
        colleagues = [p for p in people if p.reached <= 1]
        for session in sessions:
            if not session.participants or rng.random() < 0.3:
                wanted = rng.randint(2, 6) if not session.participants else rng.randint(1, 3)
                session.extras = _extras(colleagues, session.day, wanted, rng)
                for person in session.extras:
                    person.touch(session.day + 0.5)
        sessions = [s for s in sessions if s.participants or s.extras]
        for session in sessions:
            session.submitted = _at_work(session.day + rng.uniform(0.3, 3), rng)
            reviewed = _at_work(session.submitted + rng.uniform(0.5, 10), rng)
            session.reviewed = max(reviewed, session.submitted + 0.01)
        self._tier_three_completions(sessions, bound)
        country.rollouts.extend(sessions)

    def _first_rollout(
        self,
        country: _Country,
        appointed: list[tuple[_Person, float]],
        load: dict[int, int],
        person: _Person,
    ) -> _Rollout:
        """Appoint ``person`` a facilitator soon after Tier 2, and plan their first session."""
        rng = self.rng
        latest = self.end - ROLLOUT_BY[person.target]
        t2 = person.t2 or 0.0
        day = _at_work(t2 + rng.uniform(1, max(1.5, min(14.0, (latest - t2) / 3))), rng)
        day = max(day, t2 + 0.01)
        appointed.append((person, day))
        country.facilitators[person.id] = day
        first = math.floor(day) + 1
        held = first + rng.randint(0, max(0, min(20, math.floor(latest) - first)))
        load[person.id] = load.get(person.id, 0) + 1
        return _Rollout(self.sink.new_id("rollout_sessions"), person, held, rng.randint(6, 15))

    def _new_rollout(
        self,
        country: _Country,
        appointed: list[tuple[_Person, float]],
        load: dict[int, int],
        person: _Person,
        earliest: int,
        latest: int,
    ) -> _Rollout:
        """A session for someone no open session suits: by the least busy facilitator
        appointed in time, or with this person as a new facilitator."""
        rng = self.rng
        ready = [(f, day) for f, day in appointed if math.floor(day) + 1 <= latest]
        if not ready:
            return self._first_rollout(country, appointed, load, person)
        facilitator, since = min(ready, key=lambda item: (load.get(item[0].id, 0), rng.random()))
        held = max(earliest, math.floor(since) + 1)
        held += rng.randint(0, max(0, min(14, latest - held)))
        load[facilitator.id] = load.get(facilitator.id, 0) + 1
        return _Rollout(self.sink.new_id("rollout_sessions"), facilitator, held, rng.randint(6, 15))

    def _tier_three_completions(self, sessions: list[_Rollout], bound: list[_Person]) -> None:
        """Tier 3 for everyone planned for it: the tier-3 quizzes passed after Tier 2, then
        the rules checked at each confirmation and quiz pass."""
        rng = self.rng
        confirmed: dict[int, list[float]] = {}
        held: dict[int, int] = {}
        for session in sessions:
            for person in [session.facilitator, *session.participants]:
                confirmed.setdefault(person.id, []).append(session.reviewed)
                held[person.id] = min(held.get(person.id, session.day), session.day)
        required = self.curriculum.tier_three_quizzes
        for person in bound:
            t2 = person.t2 or 0.0
            if person.id not in confirmed:
                person.target = min(person.target, 2)
                continue
            person.quiz3 = _at_work(rng.uniform(t2 + 0.5, max(t2 + 1, held[person.id] + 7)), rng)
            person.quiz3 = max(person.quiz3, t2 + 0.5)  # after its modules were read
            events = sorted(
                [(day, "rollout") for day in confirmed[person.id]] + [(person.quiz3, "quiz")]
            )
            rollouts = quizzes = 0
            for day, kind in events:
                rollouts += kind == "rollout"
                quizzes += kind == "quiz"
                facts = Facts(
                    confirmed_rollouts=rollouts,
                    quizzes_passed=required if quizzes else 0,
                    quizzes_required=required,
                )
                if tier_met(3, self.curriculum.rules[3], facts):
                    person.t3 = day
                    break
            if person.t3 is None:
                person.target = min(person.target, 2)
            person.touch(max(d for d, _k in events))

    # -- Tier 4 -----------------------------------------------------------------------------
    def _plan_workshops(
        self, country: _Country, province: _Province, people: list[_Person]
    ) -> None:
        """Workshop cohorts per province, of people who completed Tier 3 at about the same
        time (some will not have an action plan accepted yet)."""
        rng = self.rng
        latest = self.end - WORKSHOPS_BY
        coming = [
            p
            for p in people
            if p.t3 is not None and p.t3 + 3 <= latest and (p.target >= 4 or rng.random() < 0.25)
        ]
        coming.sort(key=lambda p: p.t3 or 0)
        chunks = _chunks(coming, lambda p: (p.t3 or 0) + 3, lambda _p: latest, rng)
        for number, (chunk, earliest, last_start) in enumerate(chunks, start=1):
            start = math.floor(earliest + rng.uniform(0, min(21.0, last_start - earliest)))
            year = (self.first + timedelta(days=start)).year
            cohort = self._cohort(
                country,
                province,
                tier=4,
                unit=province.unit,
                name=f"Workshops {province.unit.name} {year}, group {number}",
                place=f"{province.unit.name} provincial training centre",
                start=start,
            )
            for index, workshop in enumerate(self.curriculum.workshops):
                cohort.sessions.append(
                    self._session(
                        cohort, workshop.title, start + index, workshop.minutes, workshop.id
                    )
                )
            for person in chunk:
                cohort.members.append(self._tier_four_member(cohort, person))
            country.cohorts.append(cohort)

    def _tier_four_member(self, cohort: _Cohort, person: _Person) -> _Member:
        rng = self.rng
        completing = person.target >= 4
        sessions = cohort.sessions
        member = _Member(person, self._added(cohort, person), [], [])
        needed = int(self.curriculum.rules[4].get("workshops_attended", 1))
        missed = (
            {rng.randrange(len(sessions))}
            if len(sessions) > needed and rng.random() < 0.15
            else set()
        )
        if not completing and rng.random() < 0.3:
            missed.add(rng.randrange(len(sessions)))
        for index, session in enumerate(sessions):
            if index in missed:
                status = rng.choice((AttendanceStatus.ABSENT.value, AttendanceStatus.EXCUSED.value))
            else:
                status = AttendanceStatus.LATE.value if rng.random() < 0.08 else "present"
            member.statuses.append(status)
            member.marks.append(session.day + rng.uniform(1, 8) / 24)
        attended = [
            s for s, status in zip(sessions, member.statuses, strict=True) if status in ATTENDED
        ]
        if attended:
            member.plans = self._plans(cohort, attended, completing)
        events: list[tuple[float, str, int]] = [
            (mark, status, session.workshop or 0)
            for mark, status, session in zip(member.marks, member.statuses, sessions, strict=True)
        ]
        events += [
            (plan.reviewed or 0.0, "accepted", plan.workshop)
            for plan in member.plans
            if plan.state == "accepted"
        ]
        person.t4 = self._tier_four_met(events)
        if person.t4 is None:
            person.target = min(person.target, 3)
        person.touch(max([e[0] for e in events] + [p.submitted for p in member.plans]))
        return member

    def _plans(self, cohort: _Cohort, attended: list[_Session], completing: bool) -> list[_Plan]:
        """Action plans after the workshops: accepted (some returned once before), or for
        people not completing, waiting for review or not written yet."""
        rng = self.rng
        after = max(s.day for s in cohort.sessions)
        reviewer = rng.choice(cohort.trainers)
        if not completing:
            if rng.random() < 0.5:
                return []
            workshop = rng.choice(attended).workshop or 0
            return [
                _Plan(
                    workshop, 1, "submitted", _at_work(after + rng.uniform(1, 20), rng), None, None
                )
            ]
        plans = []
        chosen = rng.sample(attended, 2 if len(attended) > 1 and rng.random() < 0.25 else 1)
        for session in chosen:
            submitted = _at_work(after + rng.uniform(1, 10), rng)
            number = 1
            if rng.random() < 0.12:
                returned = _at_work(submitted + rng.uniform(1, 5), rng)
                plans.append(
                    _Plan(session.workshop or 0, 1, "returned", submitted, returned, reviewer)
                )
                submitted, number = _at_work(returned + rng.uniform(1, 7), rng), 2
            reviewed = max(_at_work(submitted + rng.uniform(1, 7), rng), submitted + 0.01)
            plans.append(
                _Plan(session.workshop or 0, number, "accepted", submitted, reviewed, reviewer)
            )
        return plans

    def _tier_four_met(self, events: list[tuple[float, str, int]]) -> float | None:
        workshops: set[int] = set()
        accepted: set[int] = set()
        for day, kind, workshop in sorted(events):
            if kind in ATTENDED:
                workshops.add(workshop)
            elif kind == "accepted":
                accepted.add(workshop)
            facts = Facts(workshops_attended=len(workshops), accepted_action_plans=len(accepted))
            if tier_met(4, self.curriculum.rules[4], facts):
                return day
        return None

    # -- writing a country ------------------------------------------------------------------
    def _write(self, country: _Country) -> None:
        self._write_people(country)
        for person in country.people:
            self._write_learning(person)
        for cohort in country.cohorts:
            self._write_cohort(cohort)
        self._write_rollouts(country)
        for person in country.people:
            self._write_completions(country, person)

    def _write_people(self, country: _Country) -> None:
        rng = self.rng
        language = LANGUAGES[country.code]
        for person in country.people:
            if person.reached <= 1 and not person.cohort_fail and rng.random() < 0.03:
                person.deactivated = True
            self.counsellors += 1
            self._user(
                country,
                person.id,
                f"c{self.counsellors}@{EMAIL_DOMAIN}",
                person.name,
                Role.COUNSELLOR,
                person.office.id,
                person.sex,
                language,
                person.joined,
                person.last,
                person.deactivated,
            )
        for province in country.provinces:
            for trainer in province.trainers:
                sex = _sex(rng)
                self.trainers += 1
                self._user(
                    country,
                    trainer,
                    f"t{self.trainers}@{EMAIL_DOMAIN}",
                    _name(country.code, sex, rng),
                    Role.TRAINER,
                    province.unit.id,
                    sex,
                    language,
                    rng.uniform(-90, -1),
                    self.end - rng.uniform(0, 20),
                    False,
                )
        sex = _sex(rng)
        self._user(
            country,
            country.admin,
            f"admin.{country.code.lower()}@{EMAIL_DOMAIN}",
            _name(country.code, sex, rng),
            Role.ADMIN,
            country.unit.id,
            sex,
            language,
            -100.0,
            self.end - rng.uniform(0, 5),
            False,
        )

    def _user(
        self,
        country: _Country,
        user_id: int,
        email: str,
        name: str,
        role: Role,
        unit: int,
        sex: str,
        language: str,
        joined: float,
        last: float | None,
        deactivated: bool,
    ) -> None:
        rng = self.rng
        # Signed in for the last time a little after the last thing they did.
        seen = None if last is None else min(self.end, last + rng.uniform(1.5, 5))
        gone = None
        if deactivated:
            gone = min(self.end, max(joined, last or joined) + rng.uniform(10, 300))
        disability = rng.random()
        self.sink.add(
            "users",
            {
                "id": user_id,
                "email": email,
                "display_name": name,
                "role": role.value,
                "org_unit_id": unit,
                "preferred_language": "en" if rng.random() < 0.12 else language,
                "sex": sex,
                "has_disability": True
                if disability < 0.04
                else False
                if disability < 0.84
                else None,
                "password_hash": None,
                "is_enabled": not deactivated,
                "session_token": new_session_token(),
                "created_dt": self._dt(joined),
                "last_login_dt": None if seen is None else self._dt(seen),
                "deactivated_dt": None if gone is None else self._dt(gone),
            },
        )

    # -- Tier 1 and the modules of the other tiers --------------------------------------------
    def _write_learning(self, person: _Person) -> None:
        tier_one = self.curriculum.tiers[1]
        if person.t1 is not None:
            self._complete_modules(person, tier_one, person.t1_start, person.t1, ("read", "pass"))
        elif person.started:
            self._partial_tier_one(person, tier_one)
        if person.quiz3 is not None:
            start = (person.t2 or 0.0) + 0.2
            self._complete_modules(person, self.curriculum.tiers[3], start, person.quiz3, ("pass",))

    def _complete_modules(
        self,
        person: _Person,
        modules: list[_Module],
        start: float,
        end: float,
        anchors: tuple[str, ...],
    ) -> None:
        """Every required module read and its quiz passed (some after failed attempts), the
        last required step (of a kind in ``anchors``) at ``end``; optional modules read now
        and then, perhaps just after."""
        rng = self.rng
        steps: list[tuple[str, _Module, bool]] = []
        for module in modules:
            if not module.required and rng.random() < 0.5:
                continue
            steps.append(("read", module, module.required))
            if module.quiz is not None:
                steps += [("fail", module, module.required)] * self._fails(module.quiz)
                steps.append(("pass", module, module.required))
        if not steps:
            return
        last = max(
            (i for i, (kind, _m, required) in enumerate(steps) if required and kind in anchors),
            default=len(steps) - 1,
        )
        days = _days_before(start, end, last + 1, rng)
        for _step in steps[last + 1 :]:
            days.append(days[-1] + rng.uniform(0.05, 0.5))
        self._write_steps(person, steps, days)

    def _partial_tier_one(self, person: _Person, modules: list[_Module]) -> None:
        """Some modules read and quizzes tried, but a required module unread or its quiz not
        passed: Tier 1 stays open."""
        rng = self.rng
        rules = self.curriculum.rules[1]
        required = [i for i, m in enumerate(modules) if m.required]
        if not required:
            return
        blocking = rng.choice(required)
        by_quiz = modules[blocking].quiz is not None and (
            rules.get("required_modules", "all") != "all" or blocking == 0 or rng.random() < 0.4
        )
        if not by_quiz and blocking == 0:
            return  # signed up, opened the first module, read nothing to the end
        reading = modules[: blocking + 1] if by_quiz else modules[: rng.randint(1, blocking)]
        steps: list[tuple[str, _Module, bool]] = []
        for index, module in enumerate(reading):
            steps.append(("read", module, True))
            if module.quiz is None:
                continue
            if index == blocking:
                allowed = module.quiz.max_attempts or 3
                if module.quiz.least_to_pass > 0:
                    steps += [("fail", module, True)] * rng.randint(
                        0 if rng.random() < 0.3 else 1, allowed
                    )
            elif rng.random() < 0.85:
                steps += [("fail", module, True)] * self._fails(module.quiz)
                steps.append(("pass", module, True))
        days = _days_before(person.t1_start, person.planned_t1, len(steps), rng)
        self._write_steps(person, steps, days)

    def _fails(self, quiz: _Quiz) -> int:
        if quiz.least_to_pass == 0:
            return 0
        most = (quiz.max_attempts - 1) if quiz.max_attempts else 2
        fails = self.rng.choices((0, 1, 2), weights=(70, 20, 10))[0]
        return max(0, min(fails, most))

    def _write_steps(
        self, person: _Person, steps: list[tuple[str, _Module, bool]], days: list[float]
    ) -> None:
        numbers: dict[int, int] = {}
        for (kind, module, _required), day in zip(steps, days, strict=True):
            if kind == "read":
                self.sink.add(
                    "module_progress",
                    {
                        "id": self.sink.new_id("module_progress"),
                        "user_id": person.id,
                        "module_id": module.id,
                        "read_dt": self._dt(day),
                    },
                )
                continue
            quiz = module.quiz
            assert quiz is not None
            numbers[quiz.id] = numbers.get(quiz.id, 0) + 1
            self._attempt(person.id, quiz, numbers[quiz.id], kind == "pass", day)

    def _attempt(self, user_id: int, quiz: _Quiz, number: int, passing: bool, day: float) -> None:
        rng = self.rng
        least = quiz.least_to_pass
        if passing:
            right = rng.randint(least, quiz.questions)
        else:
            right = rng.randint(max(0, least - 3), max(0, least - 1))
        got, percent, passed = quiz.result(right)
        limit = quiz.time_limit
        longest = min(35.0, 0.9 * limit) if limit else 35.0  # submitted before any deadline
        minutes = rng.uniform(min(3.0, longest / 2), longest)
        submitted = self._dt(day)
        started = submitted - timedelta(minutes=minutes)
        self.sink.add(
            "quiz_attempts",
            {
                "id": self.sink.new_id("quiz_attempts"),
                "user_id": user_id,
                "quiz_id": quiz.id,
                "quiz_version_id": quiz.version_id,
                "number": number,
                "pass_mark": quiz.pass_mark,
                "state": "submitted",
                "layout": rng.choice(quiz.layouts),
                "started_dt": started,
                "deadline_dt": started + timedelta(minutes=limit) if limit else None,
                "submitted_dt": submitted,
                "timed_out": False,
                "score": got,
                "max_score": quiz.max_score,
                "percent": percent,
                "passed": passed,
            },
        )

    # -- cohorts ----------------------------------------------------------------------------
    def _write_cohort(self, cohort: _Cohort) -> None:
        sink, rng = self.sink, self.rng
        sink.add(
            "cohorts",
            {
                "id": cohort.id,
                "tier_number": cohort.tier,
                "name": cohort.name,
                "org_unit_id": cohort.unit.id,
                "place": cohort.place,
                "timezone": cohort.zone,
                "starts_on": self.first + timedelta(days=cohort.starts),
                "ends_on": self.first + timedelta(days=cohort.starts + len(cohort.sessions) - 1),
                "created_by_id": cohort.creator,
                "created_dt": self._dt(cohort.created),
            },
        )
        for trainer in cohort.trainers:
            sink.add("cohort_trainers", {"cohort_id": cohort.id, "user_id": trainer})
        for session in cohort.sessions:
            sink.add(
                "training_sessions",
                {
                    "id": session.id,
                    "cohort_id": cohort.id,
                    "title": session.title,
                    "starts_dt": self._dt(session.day),
                    "minutes": session.minutes,
                    "place": cohort.place,
                    "workshop_id": session.workshop,
                    "is_cancelled": False,
                },
            )
        for member in cohort.members:
            sink.add(
                "cohort_members",
                {
                    "cohort_id": cohort.id,
                    "user_id": member.person.id,
                    "added_dt": self._dt(member.added),
                },
            )
            marker = rng.choice(cohort.trainers)
            for session, status, mark in zip(
                cohort.sessions, member.statuses, member.marks, strict=True
            ):
                self._attendance(session.id, member.person.id, status, marker, mark)
            for sim in member.sims:
                self._simulation(cohort, member.person.id, sim)
            for plan in member.plans:
                self._action_plan(member.person.id, plan)
            if cohort.tier == 2:
                self._tier_two_reading(cohort, member.person)

    def _attendance(self, session: int, user: int, status: str, marker: int, day: float) -> None:
        marked = self._dt(day)
        self.sink.add(
            "attendance",
            {
                "id": self.sink.new_id("attendance"),
                "session_id": session,
                "user_id": user,
                "status": status,
                "marked_by_id": marker,
                "marked_dt": marked,
            },
        )
        self.sink.add(
            "attendance_changes",
            {
                "id": self.sink.new_id("attendance_changes"),
                "session_id": session,
                "user_id": user,
                "old_status": None,
                "new_status": status,
                "changed_by_id": marker,
                "changed_dt": marked,
            },
        )

    def _simulation(self, cohort: _Cohort, user: int, sim: _Sim) -> None:
        rng = self.rng
        simulation = self.sink.new_id("simulations")
        graded = self._dt(sim.day)
        self.sink.add(
            "simulations",
            {
                "id": simulation,
                "cohort_id": cohort.id,
                "user_id": user,
                "scenario_id": sim.scenario.id,
                "rubric": sim.scenario.rubric,
                "state": "final",
                "result_percent": sim.percent,
                "passed": sim.passed,
                "result_dt": graded,
                "version": 1,
            },
        )
        criteria = sim.scenario.criteria
        comments = {criteria[0]: rng.choice(CRITERION_COMMENTS)} if rng.random() < 0.3 else {}
        self.sink.add(
            "grades",
            {
                "id": self.sink.new_id("grades"),
                "simulation_id": simulation,
                "grader_id": sim.grader,
                "role": "grader",
                "state": "final",
                "levels": dict(zip(criteria, sim.levels, strict=True)),
                "comments": comments,
                "overall_comment": rng.choice(GRADE_COMMENTS),
                "percent": sim.percent,
                "passed": sim.passed,
                "updated_dt": graded,
                "finalised_dt": graded,
            },
        )

    def _tier_two_reading(self, cohort: _Cohort, person: _Person) -> None:
        """Tier 2's own modules (the programme, the practice notes): read by many members,
        around the training."""
        for module in self.curriculum.tiers[2]:
            if self.rng.random() < 0.5:
                day = max(cohort.starts + self.rng.uniform(-10, 3), person.joined + 0.01)
                self.sink.add(
                    "module_progress",
                    {
                        "id": self.sink.new_id("module_progress"),
                        "user_id": person.id,
                        "module_id": module.id,
                        "read_dt": self._dt(day),
                    },
                )

    def _action_plan(self, user: int, plan: _Plan) -> None:
        rng = self.rng
        comment = ""
        if plan.state == "accepted":
            comment = rng.choice(PLAN_ACCEPTED)
        elif plan.state == "returned":
            comment = rng.choice(PLAN_RETURNED)
        self.sink.add(
            "action_plans",
            {
                "id": self.sink.new_id("action_plans"),
                "user_id": user,
                "workshop_id": plan.workshop,
                "number": plan.number,
                "changes": rng.choice(ACTION_PLANS),
                "due_on": (self._dt(plan.submitted) + timedelta(days=rng.randint(60, 180))).date(),
                "state": plan.state,
                "submitted_dt": self._dt(plan.submitted),
                "reviewer_id": plan.reviewer,
                "reviewed_dt": None if plan.reviewed is None else self._dt(plan.reviewed),
                "review_comment": comment,
            },
        )

    # -- roll-outs --------------------------------------------------------------------------
    def _write_rollouts(self, country: _Country) -> None:
        rng = self.rng
        province_of = {p.id: p.province for p in country.people}
        for person_id, appointed in sorted(country.facilitators.items()):
            self.sink.add(
                "facilitators",
                {
                    "user_id": person_id,
                    "appointed_by_id": country.admin,
                    "appointed_dt": self._dt(appointed),
                },
            )
        topics: set[tuple[int, int, str]] = set()
        for session in country.rollouts:
            facilitator = session.facilitator
            topic = _topic(topics, facilitator.id, session.day, rng)
            place = f"{facilitator.office.name}, meeting room {rng.randint(1, 4)}"
            held_on = self.first + timedelta(days=session.day)
            self.sink.add(
                "rollout_sessions",
                {
                    "id": session.id,
                    "facilitator_id": facilitator.id,
                    "org_unit_id": facilitator.office.id,
                    "held_on": held_on,
                    "place": place,
                    "topic": topic,
                    "state": "confirmed",
                    "submitted_dt": self._dt(session.submitted),
                },
            )
            people = sorted({p.id for p in [*session.participants, *session.extras]})
            for user in people:
                self.sink.add("rollout_participants", {"rollout_id": session.id, "user_id": user})
            trainers = country.provinces[province_of[facilitator.id]].trainers
            self.sink.add(
                "rollout_reviews",
                {
                    "id": self.sink.new_id("rollout_reviews"),
                    "rollout_id": session.id,
                    "reviewer_id": rng.choice(trainers),
                    "decision": "confirmed",
                    "comment": rng.choice(REVIEW_COMMENTS),
                    "reviewed_dt": self._dt(session.reviewed),
                    "held_on": held_on,
                    "place": place,
                    "topic": topic,
                    "participant_ids": people,
                },
            )

    # -- completions and certificates -------------------------------------------------------
    def _write_completions(self, country: _Country, person: _Person) -> None:
        zone = ZoneInfo(country.zone)
        done = [(n, t) for n, t in ((1, person.t1), (2, person.t2), (3, person.t3), (4, person.t4))]
        reached: list[tuple[int, float]] = []
        for number, day in done:
            if day is None:
                break
            reached.append((number, day))
        for number, day in reached:
            self.sink.add(
                "tier_completions",
                {
                    "id": self.sink.new_id("tier_completions"),
                    "user_id": person.id,
                    "tier_number": number,
                    "completed_dt": self._dt(day),
                },
            )
            self._certificate(country, person, number, day, zone)
        if len(reached) == 4:
            self._certificate(country, person, PROGRAMME, reached[-1][1], zone)

    def _certificate(
        self, country: _Country, person: _Person, award: int, day: float, zone: ZoneInfo
    ) -> None:
        code = new_code()
        while code in self.codes:
            code = new_code()
        self.codes.add(code)
        certificate = self.sink.new_id("certificates")
        issued = self._dt(day)
        self.sink.add(
            "certificates",
            {
                "id": certificate,
                "code": code,
                "serial": f"{country.code}-{issued:%Y}-{certificate:07d}",
                "user_id": person.id,
                "award": award,
                "holder_name": person.name,
                "completed_on": issued.astimezone(zone).date(),
                "issued_dt": issued,
                "issuer": country.issuer,
                "revoked_dt": None,
                "revoked_reason": None,
                "revoked_by_id": None,
            },
        )

    def _dt(self, day: float) -> datetime:
        return self.first_dt + timedelta(days=day)


# -- small helpers ----------------------------------------------------------------------------
def _shares(count: int, weights: dict[str, float]) -> dict[str, int]:
    """``count`` split by weight, largest remainders first, summing to ``count`` exactly."""
    total = sum(weights.values())
    exact = {code: count * weight / total for code, weight in weights.items()}
    shares = {code: math.floor(value) for code, value in exact.items()}
    left = count - sum(shares.values())
    for code in sorted(exact, key=lambda c: (shares[c] - exact[c], c))[:left]:
        shares[code] += 1
    return shares


def _cumulative(weights: list[float]) -> list[float]:
    total, found = 0.0, []
    for weight in weights:
        total += weight
        found.append(total)
    return found


def _sex(rng: random.Random) -> str:
    u = rng.random()
    if u < 0.55:
        return Sex.FEMALE.value
    if u < 0.97:
        return Sex.MALE.value
    return Sex.ANOTHER.value if u < 0.98 else Sex.UNDISCLOSED.value


def _target(rng: random.Random) -> tuple[int, bool]:
    """The tier a counsellor is planned to reach (0: none), and whether they started Tier 1:
    80% start, 65% complete Tier 1, 40% Tier 2, 22% Tier 3, 10% Tier 4."""
    u = rng.random()
    for share, tier in ((0.10, 4), (0.22, 3), (0.40, 2), (0.65, 1)):
        if u < share:
            return tier, True
    return 0, u < 0.80


def _in_cohort(person: _Person) -> bool:
    return person.target >= 2 or person.cohort_fail


def _name(country: str, sex: str, rng: random.Random) -> str:
    """A name as written in the country: own script, own order."""
    female = sex == Sex.FEMALE or (sex != Sex.MALE and rng.random() < 0.5)
    if country == "MM":
        syllables = MYANMAR_SYLLABLES[0 if female else 1]
        honorific = "ဒေါ်" if female else "ဦး"
        return honorific + "".join(rng.choices(syllables, k=rng.choice((2, 2, 3))))
    if country in ("MY", "SG", "BN"):
        return _malaysian_name(country, female, rng)
    given_names, family_names = LATIN_NAMES[country][0 if female else 1], LATIN_NAMES[country][2]
    given, family = rng.choice(given_names), rng.choice(family_names)
    if country == "CN":
        return family + given
    if country == "KH":
        return f"{family} {given}"
    if country == "VN":
        middle = rng.choice(("Thị", "Ngọc", "Thu") if female else ("Văn", "Minh", "Quốc", "Đức"))
        return f"{family} {middle} {given}"
    if country == "ID" and rng.random() < 0.25:
        return given  # many Indonesians have one name
    return f"{given} {family}"


def _malaysian_name(country: str, female: bool, rng: random.Random) -> str:
    u = rng.random()
    chinese = 0.7 if country == "SG" else 0.25 if country == "MY" else 0.1
    if u < chinese:
        family, given = rng.choice(CHINESE_LATIN[0]), rng.choice(CHINESE_LATIN[1])
        return f"{family} {given}"
    if u < chinese + 0.1:
        given = rng.choice(INDIAN_GIVEN[0 if female else 1])
        return f"{given} {'a/p' if female else 'a/l'} {rng.choice(INDIAN_FATHERS)}"
    given = rng.choice(MALAY_GIVEN[0 if female else 1])
    return f"{given} {'binti' if female else 'bin'} {rng.choice(MALAY_FATHERS)}"


def _at_work(day: float, rng: random.Random) -> float:
    """The same day, in office hours of the region (00:30-10:00 UTC is 07:30-17:00 in UTC+7)."""
    return math.floor(day) + rng.uniform(0.5, 10.0) / 24


def _days_before(start: float, end: float, count: int, rng: random.Random) -> list[float]:
    """``count`` increasing moments from ``start`` to ``end``, in office hours, the last at
    ``end`` exactly."""
    if count == 0:
        return []
    end = max(end, start + 0.01)
    days = sorted(_at_work(rng.uniform(start, end), rng) for _ in range(count - 1))
    found: list[float] = []
    for index, day in enumerate(days):
        ceiling = end - 0.001 * (count - 1 - index)
        floor = found[-1] + 0.0005 if found else start
        found.append(min(max(day, floor), ceiling))
    found.append(end)
    return found


def _statuses(rng: random.Random, sessions: int, complete: bool) -> list[str]:
    """Attendance marks: mostly present or late; one excused now and then; absences only for
    people who will not complete the tier."""
    found = []
    for _ in range(sessions):
        u = rng.random()
        found.append("present" if u < 0.88 else "late" if u < 0.97 else "excused")
    if found.count("excused") > 1:
        found = [s if s != "excused" else "present" for s in found]
        found[rng.randrange(sessions)] = "excused"
    if not complete:
        for index in rng.sample(range(sessions), rng.choice((1, 1, 2))):
            found[index] = "absent"
    return found


def _grade(
    scenario: _Scenario, passing: bool, rng: random.Random
) -> tuple[tuple[str, ...], tuple[float, bool]]:
    """Levels for every criterion meant to pass (or fail), and the result the rubric gives."""
    rubric = scenario.rubric
    count = len(scenario.levels)
    if passing:
        weights = [
            0.2 if i == 0 else 5 if i == count - 2 else 3 if i == count - 1 else 1.5
            for i in range(count)
        ]
    else:
        weights = [3 if i == 0 else 4 if i == 1 else 1 for i in range(count)]
    result = None
    for attempt in range(30):
        if attempt == 29:
            levels = tuple([scenario.levels[-1 if passing else 0]] * len(scenario.criteria))
        else:
            levels = tuple(rng.choices(scenario.levels, weights=weights, k=len(scenario.criteria)))
        result = score(
            rubric["levels"],
            rubric["criteria"],
            dict(zip(scenario.criteria, levels, strict=True)),
            pass_percent=rubric["pass_percent"],
            no_lowest_level=rubric["no_lowest_level"],
        )
        if result is not None and result.passed == passing:
            break
    assert result is not None
    return levels, (result.percent, result.passed)


def _chunks(
    people: list[_Person],
    ready: Callable[[_Person], float],
    latest: Callable[[_Person], float],
    rng: random.Random,
) -> list[tuple[list[_Person], float, float]]:
    """Groups of about 25 in the order given, each with the earliest day all are ready and
    the latest day all allow: a group closes when the next person would make it impossible."""
    found: list[tuple[list[_Person], float, float]] = []
    group: list[_Person] = []
    earliest, last = 0.0, 0.0
    size = rng.randint(20, 30)
    for person in people:
        start, end = ready(person), latest(person)
        if group and (len(group) >= size or max(earliest, start) > min(last, end)):
            found.append((group, earliest, last))
            group, size = [], rng.randint(20, 30)
        if not group:
            earliest, last = start, end
        group.append(person)
        earliest, last = max(earliest, start), min(last, end)
    if group:
        found.append((group, earliest, last))
    return found


def _extras(colleagues: list[_Person], day: int, wanted: int, rng: random.Random) -> list[_Person]:
    """Colleagues who had not climbed (yet) and joined a roll-out session: its wider reach."""
    found: dict[int, _Person] = {}
    for _ in range(wanted * 4):
        if len(found) >= wanted or not colleagues:
            break
        person = rng.choice(colleagues)
        if person.joined < day - 1:
            found[person.id] = person
    return list(found.values())


def _topic(taken: set[tuple[int, int, str]], facilitator: int, day: int, rng: random.Random) -> str:
    """A topic this facilitator has not recorded on this day (one session per topic a day)."""
    first = rng.randrange(len(ROLLOUT_TOPICS))
    for shift in range(len(ROLLOUT_TOPICS) * 10):
        topic = ROLLOUT_TOPICS[(first + shift) % len(ROLLOUT_TOPICS)]
        if shift >= len(ROLLOUT_TOPICS):
            topic = f"{topic} ({shift // len(ROLLOUT_TOPICS) + 1})"
        if (facilitator, day, topic) not in taken:
            taken.add((facilitator, day, topic))
            return topic
    raise RuntimeError("no free roll-out topic")
