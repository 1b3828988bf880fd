"""Completion reports: aggregates against a hand-counted data set, filters, scope, exports
(CSV with BOM, XLSX, PDF summary), formula injection, the record of exports, the command."""

from __future__ import annotations

import csv
import io
import logging
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from lms.accounts.models import Role, Sex, UnitKind
from lms.accounts.units import unit_by_code
from lms.extensions import db
from lms.learning.models import TierCompletion
from lms.reports import completion
from lms.reports.aggregates import aggregates
from lms.reports.exports import neutralise
from lms.reports.filters import ReportFilter
from lms.reports.models import ReportExport
from lms.training import cohorts
from lms.training.models import CohortMember
from tests import factories
from tests.support import sign_in, submit, text


def _done(person, tier: int, day: date) -> None:  # type: ignore[no-untyped-def]
    db.session.add(
        TierCompletion(
            user_id=person.id,
            tier_number=tier,
            completed_dt=datetime(day.year, day.month, day.day, 9, tzinfo=UTC),
        )
    )


class Ledger:
    """Five counsellors in Indonesia, counted by hand (see each test), and one in Malaysia.

    DKI Jakarta (office Jakarta Selatan): Siti (female, not declared) T1 10 Jan, T2 5 Mar, in
    the cohort; Budi (male, no disability) T1 20 Feb; Ana (female, disability) nothing yet, in
    the cohort. Jawa Barat (office Bandung): Dewi (female, no disability) T1 15 Mar; Eko
    (male, not declared) nothing, no cohort. Bali: nobody. Malaysia: Aisyah T1 1 Jan.
    """

    def __init__(self, world) -> None:  # type: ignore[no-untyped-def]
        indonesia = unit_by_code("ID")
        self.indonesia = indonesia
        self.west_java = factories.unit("ID-JB", UnitKind.PROVINCE, indonesia, "Jawa Barat")
        self.bandung = factories.unit("ID-JB-1", UnitKind.OFFICE, self.west_java, "Bandung")
        self.bali = factories.unit("ID-BA", UnitKind.PROVINCE, indonesia, "Bali")
        self.siti = world.counsellor
        self.siti.sex = Sex.FEMALE.value
        self.budi = world.other_counsellor
        self.budi.sex, self.budi.has_disability = Sex.MALE.value, False
        self.budi.display_name = "Budi"
        self.ana = factories.user(
            Role.COUNSELLOR, world.office, name="Ana", sex=Sex.FEMALE, has_disability=True
        )
        self.dewi = factories.user(
            Role.COUNSELLOR, self.bandung, name="Dewi", sex=Sex.FEMALE, has_disability=False
        )
        self.eko = factories.user(Role.COUNSELLOR, self.bandung, name="Eko", sex=Sex.MALE)
        self.aisyah = world.my_counsellor
        _done(self.siti, 1, date(2026, 1, 10))
        _done(self.siti, 2, date(2026, 3, 5))
        _done(self.budi, 1, date(2026, 2, 20))
        _done(self.dewi, 1, date(2026, 3, 15))
        _done(self.aisyah, 1, date(2026, 1, 1))
        self.cohort = cohorts.create_cohort(
            world.admin,
            tier=2,
            name="Jakarta batch 7",
            unit=world.jakarta,
            place="",
            starts_on=date(2026, 2, 1),
            ends_on=date(2026, 2, 5),
        )
        for member in (self.siti, self.ana):
            db.session.add(CohortMember(cohort_id=self.cohort.id, user_id=member.id))
        db.session.commit()


@pytest.fixture
def ledger(world, curriculum):  # type: ignore[no-untyped-def]
    curriculum(upper=True)
    return Ledger(world)


def _names(f: ReportFilter) -> set[str]:
    unit = completion.filter_unit(f)
    rows = completion.stream_rows(f, unit, completion.report_quizzes())
    return {row.name for row in rows}


def test_aggregates_match_the_hand_count(ledger):
    figures = aggregates(ReportFilter(unit_id=ledger.indonesia.id), ledger.indonesia)
    assert figures.total.counsellors == 5
    assert figures.total.completed == [3, 1, 0, 0]
    by_unit = {unit.name: (t.counsellors, t.completed) for unit, t in figures.by_unit}
    # Units with no counsellors are there, with zeros; Malaysia is not.
    assert by_unit == {
        "Bali": (0, [0, 0, 0, 0]),
        "DKI Jakarta": (3, [2, 1, 0, 0]),
        "Jawa Barat": (2, [1, 0, 0, 0]),
    }
    jakarta = dict((u.name, t) for u, t in figures.by_unit)["DKI Jakarta"]
    assert jakarta.rate(1) == pytest.approx(200 / 3)
    assert dict((u.name, t) for u, t in figures.by_unit)["Bali"].rate(1) is None
    assert {k: (t.counsellors, t.completed) for k, t in figures.by_sex.items()} == {
        "female": (3, [2, 1, 0, 0]),
        "male": (2, [1, 0, 0, 0]),
        "another": (0, [0, 0, 0, 0]),
        "prefer_not_to_say": (0, [0, 0, 0, 0]),
    }
    assert {k: (t.counsellors, t.completed) for k, t in figures.by_disability.items()} == {
        "yes": (1, [0, 0, 0, 0]),
        "no": (2, [2, 0, 0, 0]),
        "unknown": (2, [1, 1, 0, 0]),
    }
    assert figures.by_month == [
        (2026, 1, [1, 0, 0, 0]),
        (2026, 2, [1, 0, 0, 0]),
        (2026, 3, [1, 1, 0, 0]),
    ]


def test_a_period_counts_completions_in_it_but_keeps_everyone_in_the_totals(ledger):
    f = ReportFilter(
        unit_id=ledger.indonesia.id, date_from=date(2026, 2, 1), date_to=date(2026, 3, 10)
    )
    figures = aggregates(f, ledger.indonesia)
    assert figures.total.counsellors == 5
    assert figures.total.completed == [1, 1, 0, 0]  # Budi's Tier 1, Siti's Tier 2
    assert figures.by_month == [(2026, 2, [1, 0, 0, 0]), (2026, 3, [0, 1, 0, 0])]


def test_aggregates_follow_the_other_filters(ledger):
    women = aggregates(ReportFilter(unit_id=ledger.indonesia.id, sex="female"), ledger.indonesia)
    assert (women.total.counsellors, women.total.completed) == (3, [2, 1, 0, 0])
    west = aggregates(ReportFilter(unit_id=ledger.west_java.id), ledger.west_java)
    # A province's breakdown is by its offices.
    assert [(u.name, t.counsellors) for u, t in west.by_unit] == [("Bandung", 2)]


def test_a_region_report_breaks_down_by_country(ledger, world):
    region = world.regional_admin.org_unit
    figures = aggregates(ReportFilter(unit_id=region.id), region)
    by_unit = {unit.code: t.counsellors for unit, t in figures.by_unit}
    assert by_unit["ID"] == 5 and by_unit["MY"] == 1 and by_unit["TH"] == 0
    assert figures.total.completed[0] == 4


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, {"Siti Rahmawati", "Ana", "Dewi", "Eko", "Budi"}),
        ({"tier": 2, "status": "completed"}, {"Siti Rahmawati"}),
        ({"tier": 2, "status": "in_progress"}, {"Ana"}),
        ({"tier": 2, "status": "not_started"}, {"Budi", "Dewi", "Eko"}),
        ({"tier": 1, "status": "not_started"}, {"Ana", "Eko"}),
        ({"cohort": "BATCH 7"}, {"Siti Rahmawati", "Ana"}),
        ({"cohort": "100%"}, set()),
        ({"sex": "male"}, {"Budi", "Eko"}),
        ({"disability": "unknown"}, {"Siti Rahmawati", "Eko"}),
        ({"disability": "yes"}, {"Ana"}),
        ({"date_from": date(2026, 2, 1), "date_to": date(2026, 3, 10)}, {"Budi", "Siti Rahmawati"}),
        ({"tier": 1, "date_from": date(2026, 2, 1), "date_to": date(2026, 3, 10)}, {"Budi"}),
        ({"date_to": date(2026, 1, 10)}, {"Siti Rahmawati"}),
    ],
)
def test_filters_keep_the_right_counsellors(ledger, filters, expected):
    assert _names(ReportFilter(unit_id=ledger.indonesia.id, **filters)) == expected


def test_rows_carry_unit_path_cohorts_tiers_and_certificates(ledger):
    from lms.certificates.issuing import issue

    certificate = issue(ledger.siti, 1, date(2026, 1, 10))
    db.session.commit()
    f = ReportFilter(unit_id=ledger.indonesia.id)
    rows = {r.name: r for r in completion.stream_rows(f, ledger.indonesia, [])}
    siti = rows["Siti Rahmawati"]
    paths = completion.unit_paths(ledger.indonesia)
    assert paths[siti.unit_id] == "Indonesia › DKI Jakarta › Jakarta Selatan"
    assert siti.cohorts == "Jakarta batch 7"
    assert siti.t1_done == "2026-01-10" and siti.t3_done is None
    assert siti.certificates == certificate.serial
    assert rows["Eko"].cohorts is None and rows["Eko"].certificates is None


# -- pages and scope ------------------------------------------------------------------------------
def test_the_report_page_shows_the_scope_and_pages(client, world, ledger, app):
    app.config["REPORT_ROWS_PER_PAGE"] = 2
    sign_in(client, world.admin)
    page = text(client.get("/reports/completion"))
    assert "Page 1 of 3" in page
    assert "Siti Rahmawati" in page and "aisyah" not in page.lower()
    assert "Page 3 of 3" in text(client.get("/reports/completion?page=3"))


def test_an_indonesian_admin_sees_and_exports_nobody_outside_indonesia(client, world, ledger):
    """By the unit filter, by every export, and by the record of exports."""
    malaysia = unit_by_code("MY")
    selangor = world.selangor
    sign_in(client, world.admin)
    for url in (
        f"/reports/completion?unit={malaysia.id}",
        f"/reports/completion?unit={selangor.id}",
        f"/reports/?unit={malaysia.id}",
        f"/reports/completion.csv?unit={malaysia.id}",
        f"/reports/completion.xlsx?unit={world.regional_admin.org_unit_id}",
        f"/reports/completion.pdf?unit={malaysia.id}",
        "/reports/completion?unit=abc",
    ):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "Choose a unit within your scope." in text(response)
        assert world.my_counsellor.display_name not in text(response)
    exported = client.get("/reports/completion.csv").get_data()
    assert world.my_counsellor.email.encode() not in exported
    assert world.counsellor.email.encode() in exported
    # Nothing but the counsellors: the admin's own account is not a row.
    assert world.admin.email.encode() not in exported
    # A regional export is not in an Indonesian admin's record of exports.
    db.session.add(
        ReportExport(
            user_id=world.regional_admin.id,
            scope_unit_id=world.regional_admin.org_unit_id,
            format="csv",
            filters={"unit_id": world.regional_admin.org_unit_id},
            rows=6,
        )
    )
    db.session.commit()
    log = text(client.get("/reports/exports"))
    assert world.regional_admin.display_name not in log


def test_bad_filters_get_translated_errors_not_a_report(client, world, ledger):
    sign_in(client, world.admin)
    submit(client, "/language", {"language": "id", "next": "/"}, page="/")
    for url in (
        "/reports/completion?status=completed&from=2026-02-30",
        "/reports/completion.csv?status=completed&from=2026-02-30",
    ):
        response = client.get(url)
        assert response.status_code == 400
        body = text(response)
        assert "Pilih tingkat untuk memfilter menurut status." in body
        assert "Choose a tier" not in body
        assert body.count('aria-invalid="true"') == 2  # the status and the date
    assert db.session.scalar(sa.select(sa.func.count(ReportExport.id))) == 0


@pytest.mark.parametrize(
    "query",
    [
        "to=9999-12-31",  # a real date, beyond what a report can mean
        "from=1899-01-01",
        "tier=2&status=in_progress&from=2026-01-01",  # nobody: a period keeps completions
        "from=2026-03-01&to=2026-02-01",
        "cohort=" + "x" * 201,
    ],
)
def test_filters_that_cannot_mean_anything_are_refused(client, world, ledger, query):
    sign_in(client, world.admin)
    response = client.get(f"/reports/completion?{query}")
    assert response.status_code == 400
    assert 'class="error"' in text(response)


# -- exports ----------------------------------------------------------------------------------------
def test_csv_has_a_bom_and_round_trips_khmer_and_thai(client, world, ledger):
    khmer, thai = "សុខ ចាន់ធា", "สมชาย ใจดี"
    factories.user(Role.COUNSELLOR, world.office, name=khmer)
    factories.user(Role.COUNSELLOR, world.office, name=thai)
    db.session.commit()
    sign_in(client, world.admin)
    response = client.get("/reports/completion.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][0] == "Name"
    names = [row[0] for row in rows[1:]]
    assert khmer in names and thai in names
    assert len(rows) == 1 + 7


FORMULAS = ['=HYPERLINK("http://evil.example","click")', "+1+1", "-2+3", "@SUM(A1)"]


def test_formulas_come_out_inert_in_csv_and_xlsx(client, world, ledger):
    import openpyxl

    for number, name in enumerate(FORMULAS):
        factories.user(Role.COUNSELLOR, world.office, name=name, email=f"f{number}@example.org")
    evil = cohorts.create_cohort(
        world.admin,
        tier=2,
        name="=cmd|' /C calc'!A0",
        unit=world.jakarta,
        place="",
        starts_on=date(2026, 2, 1),
        ends_on=date(2026, 2, 5),
    )
    db.session.add(CohortMember(cohort_id=evil.id, user_id=ledger.eko.id))
    db.session.commit()
    sign_in(client, world.admin)
    rows = list(
        csv.reader(
            io.StringIO(client.get("/reports/completion.csv").get_data().decode("utf-8-sig"))
        )
    )
    cells = [cell for row in rows for cell in row]
    for name in [*FORMULAS, "=cmd|' /C calc'!A0"]:
        assert "'" + name in cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)

    workbook = openpyxl.load_workbook(io.BytesIO(client.get("/reports/completion.xlsx").get_data()))
    sheet = workbook.active
    values = {}
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate  # no formula anywhere
            values[cell.value] = cell.data_type
    for name in [*FORMULAS, "=cmd|' /C calc'!A0"]:
        assert values[name] == "s"  # stored as plain text, shown as typed


def test_neutralise_only_touches_formula_starts():
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("\r=1") == "'\r=1"
    assert neutralise("Siti") == "Siti"
    assert neutralise("") == ""


def test_xlsx_has_the_same_rows_as_the_page(client, world, ledger):
    import openpyxl

    sign_in(client, world.admin)
    response = client.get("/reports/completion.xlsx?tier=2&status=not_started")
    workbook = openpyxl.load_workbook(io.BytesIO(response.get_data()), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert {row[0] for row in rows[1:]} == {"Budi", "Dewi", "Eko"}
    assert rows[0][0] == "Name"


def test_every_export_is_recorded_with_filter_and_rows(client, world, ledger, caplog):
    sign_in(client, world.admin)
    with caplog.at_level(logging.INFO, logger="lms.audit"):
        client.get("/reports/completion.csv?sex=female").get_data()
        client.get("/reports/completion.pdf?tier=1&status=completed").get_data()
    records = db.session.scalars(sa.select(ReportExport).order_by(ReportExport.id)).all()
    assert [(r.format, r.user_id, r.rows) for r in records] == [
        ("csv", world.admin.id, 3),
        ("pdf", world.admin.id, 3),
    ]
    assert records[0].filters == {"unit_id": ledger.indonesia.id, "sex": "female"}
    assert records[1].filters == {"unit_id": ledger.indonesia.id, "tier": 1, "status": "completed"}
    audited = [r for r in caplog.records if getattr(r, "audit", None) == "report.exported"]
    assert [(r.format, r.rows, r.actor) for r in audited] == [
        ("csv", 3, str(world.admin.id)),
        ("pdf", 3, str(world.admin.id)),
    ]
    log = text(client.get("/reports/exports"))
    assert "Sex: Female" in log and world.admin.display_name in log


def test_the_pdf_summary_draws_thai_in_the_thai_font(client, world, ledger):
    from pypdf import PdfReader

    sign_in(client, world.admin)
    submit(client, "/language", {"language": "th", "next": "/"}, page="/")
    response = client.get("/reports/completion.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.get_data()))
    fonts = set()
    for page in reader.pages:
        for font in (page.get("/Resources") or {}).get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("Noto-Sans-Thai" in name for name in fonts), fonts
    assert not any("DejaVu" in name for name in fonts), fonts


def test_the_dashboard_has_charts_with_their_numbers_in_tables(client, world, ledger):
    sign_in(client, world.admin)
    page = text(client.get("/reports/"))
    assert page.count('role="img"') == 3
    assert "Completions by sex" in page and "Completions by disability" in page
    assert "66.7%" in page  # Jakarta's Tier 1 rate, in the table


def test_the_command_writes_the_report_and_records_it(runner, world, ledger, tmp_path):
    out = tmp_path / "report.csv"
    result = runner.invoke(
        args=["lms", "report", "completion", "--format", "csv", "--scope", "ID", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "5 rows written" in result.output
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 6
    record = db.session.scalar(sa.select(ReportExport))
    assert record.user_id is None and record.rows == 5
    for args, message in (
        (["--scope", "XX"], "no unit with the code XX"),
        (["--status", "completed"], "Choose a tier to filter by status."),
    ):
        failed = runner.invoke(
            args=["lms", "report", "completion", "--out", str(tmp_path / "x.csv"), *args]
        )
        assert failed.exit_code != 0 and message in failed.output
    xlsx = tmp_path / "report.xlsx"
    pdf = tmp_path / "report.pdf"
    for path, fmt in ((xlsx, "xlsx"), (pdf, "pdf")):
        done = runner.invoke(
            args=[
                "lms",
                "report",
                "completion",
                "--format",
                fmt,
                "--scope",
                "ID-JB",
                "--out",
                str(path),
            ]
        )
        assert done.exit_code == 0, done.output
    assert xlsx.read_bytes()[:2] == b"PK" and pdf.read_bytes()[:5] == b"%PDF-"


def test_the_dashboards_reach_agrees_with_the_cascade_page(world, training):
    """The dashboard counts the roll-out reach in SQL; the admin cascade page in Python."""
    from lms.accounts.units import units_in_scope
    from lms.training import rollouts
    from tests.factories import complete_tiers

    complete_tiers(world.counsellor, 2)
    rollouts.appoint(world.admin, world.counsellor)
    colleague = factories.user(Role.COUNSELLOR, world.office, name="Colleague")
    for topic, people in (
        ("One", [world.other_counsellor.id]),
        ("Two", [world.other_counsellor.id, colleague.id]),
    ):
        given = rollouts.RolloutInput(date(2026, 11, 2), "Office", topic, people)
        rollout = rollouts.record(world.counsellor, given)
        rollouts.review(training.trainer, rollout, confirm=True, comment="")
    db.session.commit()
    for unit in (world.regional_admin.org_unit, world.admin.org_unit, world.office):
        below = [u for u in units_in_scope(unit) if u.parent_id == unit.id] or [unit]
        python = {
            r.unit.id: (r.sessions, r.facilitators, r.participants) for r in rollouts.reach_in(unit)
        }
        sql = {
            r.unit.id: (r.sessions, r.facilitators, r.participants)
            for r in rollouts.reach_below(below)
        }
        assert sql == {unit_id: python[unit_id] for unit_id in sql}
    indonesia = rollouts.reach_below([world.admin.org_unit])[0]
    assert (indonesia.sessions, indonesia.facilitators, indonesia.participants) == (2, 1, 2)


def test_people_attached_to_the_unit_itself_have_their_own_row(ledger, world):
    """A counsellor of the national office sits on "Indonesia" itself, not in a province."""
    national = factories.user(Role.COUNSELLOR, ledger.indonesia, name="Nasional")
    _done(national, 1, date(2026, 4, 1))
    db.session.commit()
    figures = aggregates(ReportFilter(unit_id=ledger.indonesia.id), ledger.indonesia)
    assert (figures.direct.counsellors, figures.direct.completed) == (1, [1, 0, 0, 0])
    rows = sum(t.counsellors for _u, t in figures.by_unit) + figures.direct.counsellors
    assert rows == figures.total.counsellors == 6
    # A province without anyone directly on it has no such row.
    assert aggregates(ReportFilter(unit_id=ledger.west_java.id), ledger.west_java).direct is None


def test_the_dashboard_rows_add_up_to_all(client, world, ledger):
    factories.user(Role.COUNSELLOR, ledger.indonesia, name="Nasional")
    db.session.commit()
    sign_in(client, world.admin)
    page = text(client.get("/reports/"))
    assert "Indonesia, directly" in page


def test_the_pdf_records_the_counsellors_it_counts_even_with_a_period(client, world, ledger):
    sign_in(client, world.admin)
    response = client.get("/reports/completion.pdf?from=2026-02-01&to=2026-03-10")
    assert response.status_code == 200
    record = db.session.scalar(sa.select(ReportExport))
    assert record.rows == 5  # everyone the totals count, not only those with a completion then


def test_cohort_names_are_found_in_any_case_and_script(world, ledger):
    cohort = cohorts.create_cohort(
        world.admin,
        tier=2,
        name="Đà Nẵng khóa 3",
        unit=world.jakarta,
        place="",
        starts_on=date(2026, 2, 1),
        ends_on=date(2026, 2, 5),
    )
    db.session.add(CohortMember(cohort_id=cohort.id, user_id=ledger.dewi.id))
    db.session.commit()
    for typed in ("Đà Nẵng", "đà nẵng", "KHÓA 3"):
        assert _names(ReportFilter(unit_id=ledger.indonesia.id, cohort=typed)) == {"Dewi"}


def test_the_command_refuses_what_the_form_refuses(runner, world, ledger, tmp_path):
    out = tmp_path / "x.csv"
    result = runner.invoke(
        args=[
            "lms",
            "report",
            "completion",
            "--scope",
            "ID",
            "--out",
            str(out),
            "--tier",
            "2",
            "--status",
            "not_started",
            "--from",
            "2026-01-01",
        ]
    )
    assert result.exit_code != 0 and "A period keeps those who completed" in result.output
    assert not out.exists() and not (tmp_path / "x.csv.part").exists()
