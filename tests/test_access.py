"""The access matrix: every URL for every kind of visitor, with the status each must get.

Each later feature adds its URLs here; ``test_every_route_is_in_the_matrix`` fails until it does.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms.curriculum.models import Quiz
from lms.extensions import db
from lms.learning.attempts import start_attempt
from tests.support import csrf_token, sign_in

ROLES = ("anonymous", "counsellor", "trainer", "admin", "other_admin")

# (method, url template, {role: status}); {counsellor} is a counsellor in Indonesia, in the
# scope of "admin" (Indonesia) and outside that of "other_admin" (Malaysia).
SIGNED_IN = {"anonymous": 302, "counsellor": 200, "trainer": 200, "admin": 200, "other_admin": 200}
ADMIN_PAGE = {"anonymous": 302, "counsellor": 403, "trainer": 403, "admin": 200, "other_admin": 200}
ADMIN_RECORD = {
    "anonymous": 302,
    "counsellor": 403,
    "trainer": 403,
    "admin": 200,
    "other_admin": 404,
}
ADMIN_ACTION = {
    "anonymous": 302,
    "counsellor": 403,
    "trainer": 403,
    "admin": 302,
    "other_admin": 404,
}
PUBLIC = dict.fromkeys(ROLES, 200)
# The counsellor's own record; everyone else gets 404, anonymous visitors the login page.
OWNER_ONLY = {"anonymous": 302, "counsellor": 200, "trainer": 404, "admin": 404, "other_admin": 404}

# A cohort's management: admins in scope; its trainer and member see it but may not change it.
COHORT_MANAGER = {
    "anonymous": 302,
    "counsellor": 403,
    "trainer": 403,
    "admin": 302,
    "other_admin": 404,
}
# The cohort's own trainer; others who see the cohort get 403, those who do not, 404.
COHORT_TRAINER = {
    "anonymous": 302,
    "counsellor": 403,
    "trainer": 200,
    "admin": 403,
    "other_admin": 404,
}
FACILITATOR_ONLY = {
    "anonymous": 302,
    "counsellor": 200,
    "trainer": 403,
    "admin": 403,
    "other_admin": 403,
}
TRAINER_ONLY = {
    "anonymous": 302,
    "counsellor": 403,
    "trainer": 200,
    "admin": 403,
    "other_admin": 403,
}
# A roll-out session: its facilitator and the trainers who may review it.
ROLLOUT = {"anonymous": 302, "counsellor": 200, "trainer": 200, "admin": 404, "other_admin": 404}

MATRIX = [
    ("GET", "/healthz", PUBLIC),
    (
        "GET",
        "/login",
        {**PUBLIC, "counsellor": 302, "trainer": 302, "admin": 302, "other_admin": 302},
    ),
    ("GET", "/reset-password", PUBLIC),
    ("GET", "/invitation/not-a-token", dict.fromkeys(ROLES, 404)),
    ("GET", "/reset-password/not-a-token", dict.fromkeys(ROLES, 404)),
    ("POST", "/login", {**dict.fromkeys(ROLES, 302), "anonymous": 200}),
    ("POST", "/reset-password", PUBLIC),
    ("POST", "/invitation/not-a-token", dict.fromkeys(ROLES, 404)),
    ("POST", "/reset-password/not-a-token", dict.fromkeys(ROLES, 404)),
    ("POST", "/language", dict.fromkeys(ROLES, 302)),
    ("POST", "/logout", {**dict.fromkeys(ROLES, 302)}),
    ("GET", "/", SIGNED_IN),
    ("GET", "/profile", SIGNED_IN),
    ("POST", "/profile", SIGNED_IN),
    (
        "POST",
        "/profile/password",
        {**SIGNED_IN, "counsellor": 400, "trainer": 400, "admin": 400, "other_admin": 400},
    ),
    ("GET", "/admin/users", ADMIN_PAGE),
    ("GET", "/admin/users/new", ADMIN_PAGE),
    ("GET", "/admin/users/import", ADMIN_PAGE),
    ("GET", "/admin/units", ADMIN_PAGE),
    ("POST", "/admin/users/new", ADMIN_PAGE),
    ("POST", "/admin/users/import", ADMIN_PAGE),
    ("POST", "/admin/units", ADMIN_PAGE),
    ("GET", "/admin/users/{counsellor}", ADMIN_RECORD),
    ("POST", "/admin/users/{counsellor}", ADMIN_RECORD),
    ("GET", "/admin/users/{peer_admin}", {**ADMIN_RECORD, "admin": 404, "other_admin": 404}),
    ("POST", "/admin/users/{peer_admin}/link", {**ADMIN_ACTION, "admin": 404, "other_admin": 404}),
    ("POST", "/admin/users/{counsellor}/deactivate", ADMIN_ACTION),
    ("POST", "/admin/users/{counsellor}/reactivate", ADMIN_ACTION),
    ("POST", "/admin/users/{counsellor}/link", {**ADMIN_ACTION, "admin": 200}),
    # Tier 1: anyone signed in reads and takes quizzes; an attempt is its owner's alone.
    ("GET", "/courses/course-1", SIGNED_IN),
    ("GET", "/courses/course-1/module-1", SIGNED_IN),
    (
        "GET",
        "/courses/course-1/module-1/files/images/none.png",
        {**dict.fromkeys(ROLES, 404), "anonymous": 302},
    ),
    ("POST", "/courses/course-1/module-1/read", dict.fromkeys(ROLES, 302)),
    ("GET", "/quizzes/{quiz}", SIGNED_IN),
    ("POST", "/quizzes/{quiz}/start", dict.fromkeys(ROLES, 302)),
    ("GET", "/attempts/{attempt}", OWNER_ONLY),
    ("GET", "/attempts/{attempt}/result", {**OWNER_ONLY, "counsellor": 302}),
    ("POST", "/attempts/{attempt}/save", {**OWNER_ONLY, "counsellor": 302}),
    ("POST", "/attempts/{attempt}/submit", {**OWNER_ONLY, "counsellor": 302}),
    # Reports: admins only, each over their own unit (test_reports checks the scope itself).
    ("GET", "/reports/", ADMIN_PAGE),
    ("GET", "/reports/completion", ADMIN_PAGE),
    ("GET", "/reports/completion.csv", ADMIN_PAGE),
    ("GET", "/reports/completion.xlsx", ADMIN_PAGE),
    ("GET", "/reports/completion.pdf", ADMIN_PAGE),
    ("GET", "/reports/exports", ADMIN_PAGE),
    # Another country's unit is refused (400), never a report on it.
    ("GET", "/reports/completion?unit={indonesia}", {**ADMIN_PAGE, "other_admin": 400}),
    ("GET", "/reports/completion.csv?unit={indonesia}", {**ADMIN_PAGE, "other_admin": 400}),
    ("GET", "/reports/?unit={indonesia}", {**ADMIN_PAGE, "other_admin": 400}),
]

TRAINING_MATRIX = [
    # Tiers 2-4. {counsellor} is a member of {cohort}, which {trainer} trains; the counsellor is
    # a facilitator whose {rollout} waits for review, and whose {plan} waits too.
    ("GET", "/cohorts", SIGNED_IN),
    ("GET", "/cohorts/new", ADMIN_PAGE),
    ("POST", "/cohorts/new", {**ADMIN_PAGE, "admin": 422, "other_admin": 422}),
    ("GET", "/cohorts/{cohort}", {**SIGNED_IN, "other_admin": 404}),
    ("POST", "/cohorts/{cohort}/members", {**COHORT_MANAGER, "admin": 422}),
    ("POST", "/cohorts/{cohort}/trainers", {**COHORT_MANAGER, "admin": 422}),
    ("POST", "/cohorts/{cohort}/trainers/{counsellor}/remove", COHORT_MANAGER),
    ("POST", "/cohorts/{cohort}/sessions", {**COHORT_MANAGER, "admin": 422}),
    ("POST", "/sessions/{session}/cancel", COHORT_MANAGER),
    ("GET", "/sessions/{session}/attendance", COHORT_TRAINER),
    ("POST", "/sessions/{session}/attendance", {**COHORT_TRAINER, "trainer": 302}),
    ("GET", "/cohorts/{cohort}/members/{counsellor}/simulations/scenario-1", COHORT_TRAINER),
    # The trainer's grade is final: an empty form cannot change it.
    (
        "POST",
        "/cohorts/{cohort}/members/{counsellor}/simulations/scenario-1",
        {**COHORT_TRAINER, "trainer": 422},
    ),
    ("GET", "/simulations/{simulation}", OWNER_ONLY),
    ("GET", "/training", SIGNED_IN),
    ("GET", "/notices", SIGNED_IN),
    ("POST", "/notices/read", dict.fromkeys(ROLES, 302)),
    ("GET", "/rollouts", SIGNED_IN),
    ("GET", "/rollouts/new", FACILITATOR_ONLY),
    ("POST", "/rollouts/new", {**FACILITATOR_ONLY, "counsellor": 422}),
    ("GET", "/rollouts/{rollout}", ROLLOUT),
    ("GET", "/rollouts/{rollout}/edit", {**ROLLOUT, "trainer": 403}),
    ("POST", "/rollouts/{rollout}/edit", {**ROLLOUT, "counsellor": 422, "trainer": 403}),
    # An empty review is a return without a comment: refused, with the reason.
    ("POST", "/rollouts/{rollout}/review", {**ROLLOUT, "counsellor": 403, "trainer": 422}),
    ("GET", "/cascade", SIGNED_IN),
    ("GET", "/admin/cascade", ADMIN_PAGE),
    ("GET", "/admin/facilitators", ADMIN_PAGE),
    ("POST", "/admin/facilitators/{counsellor}", ADMIN_ACTION),
    ("GET", "/workshops", SIGNED_IN),
    ("GET", "/workshops/workshop-1", SIGNED_IN),
    ("POST", "/workshops/workshop-1", {**FACILITATOR_ONLY, "counsellor": 422}),
    ("GET", "/action-plans", TRAINER_ONLY),
    ("POST", "/action-plans/{plan}/review", {**TRAINER_ONLY, "trainer": 302}),
    # Certificates: {certificate} is the counsellor's; {country} is Indonesia.
    ("GET", "/certificates", SIGNED_IN),
    (
        "GET",
        "/certificates/{certificate}.pdf?language=km",
        {**ADMIN_RECORD, "counsellor": 200, "trainer": 404},
    ),
    ("GET", "/verify", PUBLIC),
    ("GET", "/verify/{code}", PUBLIC),
    ("GET", "/v/{code}", PUBLIC),
    ("GET", "/V/{code}", PUBLIC),
    ("GET", "/admin/users/{counsellor}/certificates", ADMIN_RECORD),
    ("POST", "/certificates/{certificate}/revoke", ADMIN_ACTION),
    ("POST", "/certificates/{certificate}/reissue", ADMIN_ACTION),
    ("GET", "/cohorts/{cohort}/certificates.zip", {**COHORT_MANAGER, "admin": 200}),
    # The trainer's matrix of the cohort: its trainers and the admins who manage it.
    ("GET", "/cohorts/{cohort}/progress", {**COHORT_MANAGER, "trainer": 200, "admin": 200}),
    ("GET", "/admin/issuers", ADMIN_PAGE),
    ("GET", "/admin/issuers/{country}", ADMIN_RECORD),
    ("POST", "/admin/issuers/{country}", {**ADMIN_RECORD, "admin": 422}),
    ("GET", "/admin/issuers/{country}/logo", {**ADMIN_RECORD, "admin": 404}),
]
NEEDS_TRAINING = {(method, url) for method, url, _ in TRAINING_MATRIX}
MATRIX += TRAINING_MATRIX


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "url", "expected"), MATRIX, ids=[f"{m} {u}" for m, u, _ in MATRIX]
)
def test_access(client, world, request, role, method, url, expected):
    # The training records take a while to make: only for the routes that need them.
    if (method, url) in NEEDS_TRAINING:
        records = training_records(world, request.getfixturevalue("training"))
    else:
        request.getfixturevalue("curriculum")
        records = {}
    quiz = db.session.scalar(sa.select(Quiz).order_by(Quiz.id))
    attempt = start_attempt(world.counsellor, quiz)
    db.session.commit()
    if role != "anonymous":
        sign_in(client, getattr(world, role))
    target = url.format(
        counsellor=world.counsellor.id,
        peer_admin=world.peer_admin.id,
        quiz=quiz.id,
        attempt=attempt.id,
        indonesia=world.admin.org_unit_id,
        **records,
    )
    if method == "GET":
        response = client.get(target)
    else:
        response = client.post(target, data={"csrf_token": csrf_token(client)})
    assert response.status_code == expected[role], f"{role} {method} {target}"
    if expected[role] == 302 and role == "anonymous" and url not in {"/language", "/logout"}:
        assert response.location.startswith("/login")


def training_records(world, training) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """A final simulation, a roll-out awaiting review and an action plan awaiting review, all
    the counsellor's."""
    from datetime import UTC, date, datetime, timedelta

    from lms.curriculum.models import Workshop
    from lms.training import attendance, cohorts, plans, rollouts
    from lms.training.grading import GradeInput, save_grade, simulation_for
    from tests.factories import complete_tiers

    simulation = simulation_for(training.cohort.id, world.counsellor.id, training.scenario())
    levels = {c["id"]: "proficient" for c in training.scenario().rubric.criteria}
    save_grade(simulation, world.trainer, GradeInput(levels, {}, "", True))
    complete_tiers(world.counsellor, 2)
    rollouts.appoint(world.admin, world.counsellor)
    rollout = rollouts.record(
        world.counsellor,
        rollouts.RolloutInput(date.today(), "Office", "Topic", [world.other_counsellor.id]),
    )
    workshop = db.session.scalar(sa.select(Workshop).where(Workshop.slug == "workshop-1"))
    session = cohorts.add_session(
        training.cohort,
        title="Workshop",
        starts_dt=datetime.now(UTC),
        minutes=60,
        place="",
        workshop_id=workshop.id,
    )
    attendance.mark(session, world.trainer, {world.counsellor.id: "present"})
    plan = plans.submit(
        world.counsellor, workshop, changes="Plan", due_on=date.today() + timedelta(days=9)
    )
    from lms.accounts.units import unit_by_code
    from lms.certificates.issuing import issue

    certificate = issue(world.counsellor, 1, date.today())
    return {
        "certificate": certificate.id,
        "code": certificate.code,
        "country": unit_by_code("ID").id,
        "cohort": training.cohort.id,
        "session": training.sessions[0].id,
        "simulation": simulation.id,
        "rollout": rollout.id,
        "plan": plan.id,
    }


def test_every_route_is_in_the_matrix(app):
    """Each route and method, exactly: a new route fails here until the matrix says who may use it."""
    placeholders = {
        "<int:user_id>": "{counsellor}",
        "<token>": "not-a-token",
        "<course_slug>": "course-1",
        "<module_slug>": "module-1",
        "<path:filename>": "images/none.png",
        "<int:quiz_id>": "{quiz}",
        "<int:attempt_id>": "{attempt}",
        "<int:cohort_id>": "{cohort}",
        "<int:session_id>": "{session}",
        "<int:simulation_id>": "{simulation}",
        "<int:rollout_id>": "{rollout}",
        "<int:plan_id>": "{plan}",
        "<int:certificate_id>": "{certificate}",
        "<code>": "{code}",
        "<int:unit_id>": "{country}",
        "simulations/<slug>": "simulations/scenario-1",
        "workshops/<slug>": "workshops/workshop-1",
        "/certificates/{certificate}.pdf": "/certificates/{certificate}.pdf?language=km",
        "<any(csv, xlsx, pdf):fmt>": "csv",
    }
    covered = {(method, url) for method, url, _ in MATRIX}
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        url = rule.rule
        for pattern, value in placeholders.items():
            url = url.replace(pattern, value)
        missing += [
            f"{method} {rule.rule}"
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
            if (method, url) not in covered
        ]
    assert not missing, f"add these to MATRIX: {missing}"


def test_an_admin_of_one_country_cannot_act_on_another_countrys_people(client, world):
    sign_in(client, world.other_admin)
    token = csrf_token(client)
    response = client.post(
        f"/admin/users/{world.counsellor.id}/deactivate", data={"csrf_token": token}
    )
    assert response.status_code == 404
    world_counsellor = world.counsellor
    from lms.extensions import db

    db.session.refresh(world_counsellor)
    assert world_counsellor.is_enabled


def test_nobody_sees_another_persons_profile_data(client, world):
    """Sex and disability appear only on one's own profile and to admins in scope."""
    world.other_counsellor.has_disability = True
    from lms.extensions import db

    db.session.commit()
    sign_in(client, world.counsellor)
    assert client.get(f"/admin/users/{world.other_counsellor.id}").status_code == 403
    assert "budi@example.org" not in client.get("/profile").get_data(as_text=True)
