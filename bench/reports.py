"""Completion reports at regional scale, on SQLite and PostgreSQL, against each database's own
export tool measured in the same run.

    .venv/bin/python bench/reports.py [--sizes 15000,150000] [--databases sqlite,postgresql]
                                      [--fresh]

For each size and database: a data set made by ``flask lms demo --counsellors N`` (kept in
``bench/.data/`` or a ``tangga_bench_N`` PostgreSQL database and reused unless ``--fresh``),
then
- the CSV and XLSX exports by ``flask lms report completion`` (wall time and peak memory of
  the whole command, from GNU time), and the same rows written by the export code alone,
  in-process (the time without Python's start-up);
- the same query exported by the database's own tool (``sqlite3 -csv``, ``psql \\copy``): the
  baseline, with the ratio;
- the report page and the dashboard as an admin of the whole region opens them (median of
  five requests, in-process).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("LMS_LOG_LEVEL", "ERROR")
DATA = ROOT / "bench" / ".data"
POSTGRES = os.environ.get("LMS_BENCH_POSTGRES_URL", "postgresql+psycopg://root@127.0.0.1:5432")
FLASK = str(ROOT / ".venv" / "bin" / "flask")


def database_url(kind: str, size: int) -> str:
    if kind == "sqlite":
        return f"sqlite:///{DATA / f'tangga-{size}.db'}"
    return f"{POSTGRES}/tangga_bench_{size}"


def flask(url: str, *args: str, timed: bool = False) -> subprocess.CompletedProcess:
    env = {**os.environ, "LMS_DATABASE_URL": url, "LMS_LOG_LEVEL": "ERROR", "FLASK_APP": "wsgi"}
    command = [FLASK, *args]
    if timed:
        command = ["/usr/bin/time", "-f", "TIME %e %M", *command]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=True)


def exists(kind: str, size: int) -> bool:
    if kind == "sqlite":
        return (DATA / f"tangga-{size}.db").exists()
    import sqlalchemy as sa

    engine = sa.create_engine(f"{POSTGRES}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        found = connection.scalar(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
            {"name": f"tangga_bench_{size}"},
        )
    engine.dispose()
    return bool(found)


def build(kind: str, size: int, fresh: bool) -> None:
    """The data set: schema, countries, the real curriculum, the demo, N counsellors."""
    url = database_url(kind, size)
    if exists(kind, size) and not fresh:
        flask(url, "db", "upgrade")  # a data set made before the latest migration
        flask_sql(url, "ANALYZE" if kind == "sqlite" else "VACUUM ANALYZE")
        print(f"  {kind} {size:,}: reusing the data set (migrated, analysed)")
        return
    if kind == "sqlite":
        DATA.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DATA / f'tangga-{size}.db'}{suffix}").unlink(missing_ok=True)
    else:
        import sqlalchemy as sa

        engine = sa.create_engine(f"{POSTGRES}/postgres", isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(sa.text(f"DROP DATABASE IF EXISTS tangga_bench_{size}"))
            connection.execute(sa.text(f"CREATE DATABASE tangga_bench_{size}"))
        engine.dispose()
    started = time.perf_counter()
    for step in (["db", "upgrade"], ["lms", "seed"], ["lms", "courses", "import"]):
        flask(url, *step)
    result = flask(url, "lms", "demo", "--counsellors", str(size))
    # Statistics for the planner and (PostgreSQL) the visibility map for index-only scans, as
    # autovacuum leaves them some time after a bulk load.
    flask_sql(url, "ANALYZE" if kind == "sqlite" else "VACUUM ANALYZE")
    print(
        f"  {kind} {size:,}: data set made in {time.perf_counter() - started:.0f} s "
        f"({result.stdout.strip().splitlines()[-1]})"
    )


def flask_sql(url: str, statement: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(statement))
    engine.dispose()


def report_sql(app) -> str:  # type: ignore[no-untyped-def]
    """The report's query as SQL text, with its values inlined, for the database's tool."""
    from lms.accounts.units import root_unit
    from lms.extensions import db
    from lms.reports.completion import report_quizzes, rows_query
    from lms.reports.filters import ReportFilter

    with app.app_context():
        unit = root_unit()
        query = rows_query(ReportFilter(unit_id=unit.id), unit, report_quizzes())
        return str(query.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}))


def tool_export(kind: str, url: str, sql: str, out: Path) -> float:
    started = time.perf_counter()
    if kind == "sqlite":
        with out.open("wb") as file:
            subprocess.run(
                ["sqlite3", "-csv", "-header", url.removeprefix("sqlite:///"), sql],
                stdout=file,
                check=True,
            )
    else:
        plain = url.replace("postgresql+psycopg://", "postgresql://")
        one_line = " ".join(sql.split())
        subprocess.run(
            [
                "psql",
                plain,
                "-q",
                "-c",
                f"\\copy ({one_line}) TO '{out}' WITH (FORMAT csv, HEADER)",
            ],
            check=True,
        )
    return time.perf_counter() - started


def command_export(url: str, fmt: str, out: Path) -> tuple[float, float, int]:
    """(wall seconds, peak MB, rows) of ``flask lms report completion``."""
    result = flask(
        url, "lms", "report", "completion", "--format", fmt, "--out", str(out), timed=True
    )
    line = next(x for x in result.stderr.splitlines() if x.startswith("TIME "))
    _, seconds, kilobytes = line.split()
    rows = int(result.stdout.split()[0])
    return float(seconds), int(kilobytes) / 1024, rows


def in_process(app, fmt: str, out: Path) -> float:  # type: ignore[no-untyped-def]
    """The export code alone (no start-up), as the page streams it."""
    from lms.accounts.units import root_unit
    from lms.reports import completion, exports
    from lms.reports.filters import ReportFilter

    with app.test_request_context():
        unit = root_unit()
        found = ReportFilter(unit_id=unit.id)
        quizzes = completion.report_quizzes()
        record = exports.start_record(None, unit, fmt, found)
        started = time.perf_counter()
        with out.open("wb") as file:
            for chunk in exports.completion_export(fmt, found, unit, quizzes, "en", record.id):
                file.write(chunk)
        return time.perf_counter() - started


def page_times(app) -> dict[str, float]:  # type: ignore[no-untyped-def]
    from lms.accounts.users import user_by_email
    from lms.demo import REGIONAL_ADMIN

    with app.app_context():
        admin = user_by_email(REGIONAL_ADMIN)
        cookie = admin.get_id()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = cookie
        session["_fresh"] = True
    found = {}
    for name, url in (
        ("report page", "/reports/completion"),
        ("report page, page 1,000 (or the last)", "/reports/completion?page=1000"),
        (
            "report page, Tier 2 in progress, women",
            "/reports/completion?tier=2&status=in_progress&sex=female",
        ),
        ("dashboard", "/reports/"),
        ("dashboard, one country", None),
    ):
        if url is None:
            with app.app_context():
                from lms.accounts.units import unit_by_code

                url = f"/reports/?unit={unit_by_code('ID').id}"
        times = []
        for _ in range(5):
            started = time.perf_counter()
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            times.append(time.perf_counter() - started)
        found[name] = statistics.median(times)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="15000,150000")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--fresh", action="store_true", help="Make the data sets again.")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    kinds = args.databases.split(",")

    from lms import create_app

    out = DATA / "out"
    out.mkdir(parents=True, exist_ok=True)
    print("Data sets:")
    for kind in kinds:
        for size in sizes:
            build(kind, size, args.fresh)
    print()
    header = (
        f"{'database':<11}{'rows':>9}{'tool s':>8}{'CSV s':>8}{'ratio':>7}{'(code s':>9}"
        f"{'ratio)':>7}{'CSV MB':>8}{'XLSX s':>8}{'XLSX MB':>9}"
    )
    print(header)
    pages: list[tuple[str, int, dict[str, float]]] = []
    for kind in kinds:
        for size in sizes:
            url = database_url(kind, size)
            app = create_app({"SQLALCHEMY_DATABASE_URI": url, "LOG_LEVEL": "ERROR"})
            sql = report_sql(app)
            tool = tool_export(kind, url, sql, out / f"{kind}-{size}-tool.csv")
            csv_s, csv_mb, rows = command_export(url, "csv", out / f"{kind}-{size}.csv")
            xlsx_s, xlsx_mb, _ = command_export(url, "xlsx", out / f"{kind}-{size}.xlsx")
            code_s = in_process(app, "csv", out / f"{kind}-{size}-code.csv")
            print(
                f"{kind:<11}{rows:>9,}{tool:>8.2f}{csv_s:>8.2f}{csv_s / tool:>7.2f}"
                f"{code_s:>9.2f}{code_s / tool:>7.2f}{csv_mb:>8.0f}{xlsx_s:>8.2f}{xlsx_mb:>9.0f}"
            )
            pages.append((kind, size, page_times(app)))
            with app.app_context():
                from lms.extensions import db

                db.engine.dispose()
    print("\nPages (median of 5, in-process, as the regional admin):")
    for kind, size, found in pages:
        for name, seconds in found.items():
            print(f"  {kind:<11}{size:>9,}  {name:<42}{seconds:>7.3f} s")


if __name__ == "__main__":
    main()
