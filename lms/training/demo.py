"""Demo training records for Indonesia, so every tier can be tried from the browser:

- a past Tier 2 cohort in Jakarta whose counsellors attended and passed their simulations;
  one of them, Budi, became a facilitator and delivered a confirmed roll-out session;
- a current Tier 2 cohort with Siti (counsellor.id@example.org), sessions not yet marked;
  the trainer marks them and grades her simulations, an admin makes her a facilitator, ...
- a Tier 4 cohort with two workshop sessions.

Created through the same services the pages use, once (nothing happens if a cohort exists).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from lms.accounts.models import User, utcnow
from lms.accounts.units import unit_by_code
from lms.accounts.users import user_by_email
from lms.certificates.issuing import issue_due
from lms.curriculum.models import Scenario, Workshop
from lms.extensions import db
from lms.learning.models import TierCompletion
from lms.training import attendance, cohorts, rollouts
from lms.training.grading import GradeInput, save_grade, simulation_for
from lms.training.models import Cohort, CohortMember, CohortTrainer
from lms.training.standing import record_completions


def _people(*emails: str) -> list[User]:
    return [user_by_email(email) for email in emails]


def _enrol(cohort: Cohort, trainers: list[User], members: list[User]) -> None:
    for trainer in trainers:
        db.session.add(CohortTrainer(cohort_id=cohort.id, user_id=trainer.id))
    for member in members:
        db.session.add(CohortMember(cohort_id=cohort.id, user_id=member.id))
    db.session.flush()


def _sessions(cohort: Cohort, first: datetime, titles: list[str], **extra: object) -> list:
    return [
        cohorts.add_session(
            cohort,
            title=title,
            starts_dt=first + timedelta(days=index),
            minutes=240,
            place=cohort.place,
            **extra,
        )
        for index, title in enumerate(titles)
    ]


def load_training_demo() -> bool:
    """:return: whether anything was created."""
    if db.session.scalar(sa.select(sa.func.count(Cohort.id))):
        return False
    scenarios = list(
        db.session.scalars(
            sa.select(Scenario).where(Scenario.is_retired.is_(False)).order_by(Scenario.position)
        )
    )
    workshops = list(
        db.session.scalars(
            sa.select(Workshop).where(Workshop.is_retired.is_(False)).order_by(Workshop.position)
        )
    )
    if not scenarios or not workshops:
        return False  # the curriculum is not imported yet
    admin, trainer, second_trainer = _people(
        "admin.id@example.org", "trainer.id@example.org", "trainer2.id@example.org"
    )
    siti, budi, putri, joko, rina = _people(
        "counsellor.id@example.org",
        "budi.santoso@example.org",
        "putri.handayani@example.org",
        "joko.susilo@example.org",
        "rina.wulandari@example.org",
    )
    jakarta = unit_by_code("ID-JK")
    today = date.today()
    now = datetime.now(UTC).replace(hour=2, minute=0, second=0, microsecond=0)

    # A past cohort: Budi, Putri and Joko attended and passed; Budi becomes a facilitator.
    past = cohorts.create_cohort(
        admin,
        tier=2,
        name="Jakarta in-person training, batch 1",
        unit=jakarta,
        place="Balai Latihan Kerja Jakarta Selatan",
        starts_on=today - timedelta(days=70),
        ends_on=today - timedelta(days=68),
    )
    _enrol(past, [trainer, second_trainer], [budi, putri, joko])
    for person in (budi, putri, joko):
        # Their Self-Training is history from before this demo: recorded as done.
        db.session.add(
            TierCompletion(
                user_id=person.id, tier_number=1, completed_dt=utcnow() - timedelta(days=90)
            )
        )
    db.session.flush()
    days = ["Day 1: the counselling interview", "Day 2: simulations", "Day 3: action plans"]
    for session in _sessions(past, now - timedelta(days=70), days):
        attendance.mark(session, trainer, {p.id: "present" for p in (budi, putri, joko)})
    levels = ["proficient", "exemplary", "proficient", "proficient", "exemplary", "proficient"]
    for person in (budi, putri, joko):
        for scenario in scenarios:
            criteria = [c["id"] for c in scenario.rubric.criteria]
            simulation = simulation_for(past.id, person.id, scenario)
            save_grade(
                simulation,
                trainer,
                GradeInput(
                    levels=dict(zip(criteria, levels, strict=False)),
                    comments={criteria[0]: "Warm, clear opening; the jobseeker felt heard."},
                    overall_comment="A confident, well-structured interview. Keep summarising.",
                    finalise=True,
                ),
            )
        record_completions(person)
    rollouts.appoint(admin, budi)
    delivered = rollouts.record(
        budi,
        rollouts.RolloutInput(
            held_on=today - timedelta(days=30),
            place="Disnaker Jakarta Selatan, meeting room 2",
            topic="The counselling interview, step by step",
            participant_ids=[putri.id, joko.id],
        ),
    )
    rollouts.review(trainer, delivered, confirm=True, comment="Well prepared; good simulation.")

    # The current cohort: Siti and Rina, sessions from this week on, nothing marked yet.
    current = cohorts.create_cohort(
        admin,
        tier=2,
        name="Jakarta in-person training, batch 2",
        unit=jakarta,
        place="Balai Latihan Kerja Jakarta Selatan",
        starts_on=today,
        ends_on=today + timedelta(days=2),
    )
    _enrol(current, [trainer, second_trainer], [siti, rina])
    _sessions(current, now, days)

    # Workshops (Tier 4), for everyone who reaches it.
    workshop_cohort = cohorts.create_cohort(
        admin,
        tier=4,
        name="Jakarta workshops 2026",
        unit=jakarta,
        place="Disnaker DKI Jakarta",
        starts_on=today + timedelta(days=7),
        ends_on=today + timedelta(days=8),
    )
    _enrol(workshop_cohort, [trainer], [siti, budi, putri, joko])
    for index, workshop in enumerate(workshops[:2]):
        cohorts.add_session(
            workshop_cohort,
            title=workshop.title["en"],
            starts_dt=now + timedelta(days=7 + index),
            minutes=360,
            place=workshop_cohort.place,
            workshop_id=workshop.id,
        )
    for person in (budi, putri, joko):
        issue_due(person)  # their Self-Training was recorded directly, above
    db.session.flush()
    return True
