"""The large demo data set: consistent with the tier rules, the organisation tree and the
constraints, refused a second time, and leaving the database usable for normal inserts."""

from __future__ import annotations

import re
from datetime import date
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from lms.accounts.models import OrgUnit, Role, Sex, User
from lms.accounts.units import unit_by_code
from lms.accounts.users import Profile, create_user
from lms.accounts.zawgyi import is_zawgyi
from lms.certificates.issuing import ALPHABET, CODE_LENGTH, issue
from lms.certificates.models import PROGRAMME, Certificate
from lms.extensions import db
from lms.learning.models import QuizAttempt, TierCompletion
from lms.reports.large_demo import EMAIL_DOMAIN, MARK, generate_counsellors
from lms.training.models import (
    Attendance,
    Cohort,
    CohortMember,
    Facilitator,
    Grade,
    RolloutParticipant,
    RolloutSession,
    Simulation,
)
from lms.training.standing import record_completions
from lms.training.timezones import COUNTRY_ZONES

COUNSELLORS = 300


@pytest.fixture
def large(app, curriculum) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """The test curriculum with Tiers 2 to 4, and 300 counsellors generated and committed."""
    curriculum(upper=True)
    lines: list[str] = []
    counts = generate_counsellors(COUNSELLORS, seed=7, progress=lines.append)
    db.session.commit()
    assert f"counsellors: {COUNSELLORS}" in lines
    assert any(re.fullmatch(r"units: \d+", line) for line in lines)
    return counts


def counsellors() -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User).where(
                User.role == Role.COUNSELLOR.value, User.email.endswith(f"@{EMAIL_DOMAIN}")
            )
        )
    )


def completions() -> dict[int, dict[int, object]]:
    found: dict[int, dict[int, object]] = {}
    for user_id, tier, when in db.session.execute(
        sa.select(TierCompletion.user_id, TierCompletion.tier_number, TierCompletion.completed_dt)
    ):
        found.setdefault(user_id, {})[tier] = when
    return found


def test_counts_are_plausible_and_reported(large):
    people = counsellors()
    assert len(people) == COUNSELLORS
    assert large["users"] > COUNSELLORS  # trainers and an admin per country too
    for table in ("quiz_attempts", "attendance", "simulations", "grades", "certificates"):
        assert large[table] == db.session.scalar(
            sa.select(sa.func.count()).select_from(db.metadata.tables[table])
        )
    assert large["quiz_attempts"] > COUNSELLORS  # several attempts per active counsellor
    sexes = {p.sex for p in people}
    assert {Sex.FEMALE.value, Sex.MALE.value} <= sexes
    assert sum(p.has_disability is True for p in people) < COUNSELLORS / 5


def test_the_funnel_narrows_and_completions_climb_in_order(large):
    done = completions()
    funnel = [sum(tier in tiers for tiers in done.values()) for tier in (1, 2, 3, 4)]
    assert funnel[0] >= funnel[1] >= funnel[2] >= funnel[3] > 0, funnel
    assert 0.5 * COUNSELLORS < funnel[0] < 0.8 * COUNSELLORS, funnel
    for tiers in done.values():
        numbers = sorted(tiers)
        assert numbers == list(range(1, len(numbers) + 1))  # no tier without the one below
        moments = [tiers[n] for n in numbers]
        assert moments == sorted(moments) and len(set(moments)) == len(moments)
    assert all(max(tiers.values()).date() < date.today() for tiers in done.values())


def test_no_tier_is_met_without_being_recorded(large):
    """The project's own rules, run over every generated counsellor, find nothing more to
    record: every completion matches the records, and nobody met a tier unrecorded."""
    for person in counsellors():
        assert record_completions(person) == [], person.email
    db.session.rollback()


def test_every_certificate_rests_on_a_completion(large):
    done = completions()
    certificates = list(db.session.scalars(sa.select(Certificate)))
    assert len(certificates) == sum(len(t) for t in done.values()) + sum(
        len(t) == 4 for t in done.values()
    )
    serials = set()
    for certificate in certificates:
        tiers = done[certificate.user_id]
        if certificate.award == PROGRAMME:
            assert set(tiers) == {1, 2, 3, 4}
            completed = tiers[4]
        else:
            completed = tiers[certificate.award]
        assert certificate.revoked_dt is None
        assert certificate.issued_dt == completed
        assert len(certificate.code) == CODE_LENGTH and set(certificate.code) <= set(ALPHABET)
        country = certificate.issuer["country"]
        assert certificate.serial == f"{country}-{completed:%Y}-{certificate.id:07d}"
        zone = ZoneInfo(COUNTRY_ZONES[country])
        assert certificate.completed_on == completed.astimezone(zone).date()
        assert certificate.holder_name == certificate.user.display_name
        serials.add(certificate.serial)
    assert len(serials) == len(certificates)


def test_cohorts_hold_people_of_their_units(large):
    cohorts = {c.id: c for c in db.session.scalars(sa.select(Cohort))}
    assert {c.tier_number for c in cohorts.values()} == {2, 4}
    for member in db.session.scalars(sa.select(CohortMember)):
        cohort = cohorts[member.cohort_id]
        assert member.user.org_unit.path.startswith(cohort.org_unit.path)
        assert member.added_dt.date() <= cohort.starts_on
    in_cohorts = set(db.session.scalars(sa.select(CohortMember.user_id)))
    people = counsellors()
    assert any(p.id not in in_cohorts for p in people)
    assert any(p.id in in_cohorts for p in people)
    for simulation in db.session.scalars(sa.select(Simulation)):
        assert simulation.state == "final" and simulation.passed is not None
        assert simulation.rubric["criteria"]
    assert db.session.scalar(sa.select(sa.func.count(Grade.id))) == db.session.scalar(
        sa.select(sa.func.count(Simulation.id))
    )
    assert db.session.scalar(sa.select(sa.func.count(Attendance.id))) > 0


def test_rollouts_reach_colleagues_of_the_province(large):
    facilitators = set(db.session.scalars(sa.select(Facilitator.user_id)))
    assert facilitators
    for rollout in db.session.scalars(sa.select(RolloutSession)):
        assert rollout.state == "confirmed" and rollout.facilitator_id in facilitators
        province = rollout.org_unit.parent
        assert len(rollout.reviews) == 1
        assert rollout.reviews[0].participant_ids == sorted(p.user_id for p in rollout.participants)
        assert rollout.participants
        for participant in rollout.participants:
            assert participant.user.org_unit.path.startswith(province.path)
            assert participant.user_id != rollout.facilitator_id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RolloutParticipant))


def test_units_hang_in_the_tree(large):
    generated = list(db.session.scalars(sa.select(OrgUnit).where(OrgUnit.code.startswith(MARK))))
    assert {u.kind for u in generated} == {"province", "office"}
    for unit in generated:
        assert unit.path == f"{unit.parent.path}{unit.id}/"
        assert unit.parent.kind == ("country" if unit.kind == "province" else "province")
    for person in counsellors():
        assert person.org_unit.kind == "office"


def test_names_are_written_in_the_country_script(large):
    by_country: dict[str, list[str]] = {}
    for person in counsellors():
        country = person.org_unit.parent.parent.code
        by_country.setdefault(country, []).append(person.display_name)
    assert all(re.search("[\u0e00-\u0e7f]", name) for name in by_country["TH"])
    assert all(re.search("[\u1780-\u17ff]", name) for name in by_country["KH"])
    assert all(re.search("[\u1000-\u109f]", name) for name in by_country["MM"])
    assert not any(is_zawgyi(name) for name in by_country["MM"])
    assert any(re.search("[ạ-ỹ]|[ăâđêôơư]", name.lower()) for name in by_country["VN"])
    assert all(name.isascii() for name in by_country["PH"])


def test_quiz_attempts_are_submitted_and_numbered(large):
    rows = db.session.execute(
        sa.select(
            QuizAttempt.user_id, QuizAttempt.quiz_id, QuizAttempt.number, QuizAttempt.passed
        ).order_by(QuizAttempt.user_id, QuizAttempt.quiz_id, QuizAttempt.number)
    ).all()
    numbers: dict[tuple[int, int], list[int]] = {}
    for user_id, quiz_id, number, _passed in rows:
        numbers.setdefault((user_id, quiz_id), []).append(number)
    assert all(n == list(range(1, len(n) + 1)) for n in numbers.values())
    assert any(len(n) > 1 for n in numbers.values())  # some failed before passing
    assert (
        db.session.scalar(sa.select(sa.func.count()).where(QuizAttempt.state != "submitted")) == 0
    )


def test_a_second_run_is_refused(app, curriculum):
    curriculum(upper=True)
    generate_counsellors(40, seed=1)
    db.session.commit()
    with pytest.raises(ValueError, match="already"):
        generate_counsellors(40, seed=2)


def test_nothing_is_committed_by_the_generator(app, curriculum):
    curriculum(upper=True)
    generate_counsellors(40, seed=1)
    db.session.rollback()
    assert not counsellors()
    assert db.session.scalar(sa.select(OrgUnit.id).where(OrgUnit.code.startswith(MARK))) is None


def test_it_needs_the_curriculum(app):
    with pytest.raises(ValueError, match="curriculum"):
        generate_counsellors(10)


def test_normal_inserts_work_afterwards(app, curriculum):
    """Ids were given explicitly: the next ones handed out by the database (sequences, on
    PostgreSQL) must come after them."""
    curriculum(upper=True)
    generate_counsellors(60, seed=3)
    db.session.commit()
    highest = db.session.scalar(sa.select(sa.func.max(User.id)))
    person = create_user(
        Profile(
            email="new.counsellor@example.org",
            display_name="Dewi Anggraini",
            role=Role.COUNSELLOR,
            org_unit=unit_by_code(f"{MARK}ID-01-01"),
        )
    )
    db.session.flush()
    assert person.id > highest
    certificate = issue(person, 1, date(2026, 11, 1))
    db.session.commit()
    assert certificate.serial == f"ID-{certificate.issued_dt:%Y}-{certificate.id:07d}"
    assert certificate.id == db.session.scalar(sa.select(sa.func.max(Certificate.id)))


def test_it_adds_to_the_normal_demo(app, curriculum):
    """As ``flask lms demo --counsellors`` runs it: after the small demo, whose people,
    cohorts and certificates stay as they were."""
    from lms.demo import load_demo
    from lms.training.demo import load_training_demo

    curriculum(upper=True)
    load_demo()
    assert load_training_demo()
    db.session.commit()
    tables = ("users", "cohorts", "certificates", "tier_completions", "rollout_sessions")

    def rows(table: str) -> dict[int, tuple]:
        found = db.session.execute(sa.select(db.metadata.tables[table])).all()
        return {row.id: tuple(row) for row in found}

    before = {table: rows(table) for table in tables}
    counts = generate_counsellors(80, seed=5)
    db.session.commit()
    for table in tables:
        after = rows(table)
        assert all(after[key] == row for key, row in before[table].items())
        assert len(after) == len(before[table]) + counts.get(table, 0)
    for person in counsellors():
        assert record_completions(person) == []
    db.session.rollback()
