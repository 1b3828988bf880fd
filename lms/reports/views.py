"""Report pages for admins: the completion report, the dashboard, their exports, and the
record of exports. Everything is within the admin's own unit."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    current_app,
    render_template,
    request,
    stream_with_context,
)
from flask_babel import format_percent, get_locale
from flask_login import current_user

from lms.accounts.auth import roles_required
from lms.accounts.models import OrgUnit, Role, User
from lms.accounts.units import subtree_ids
from lms.extensions import db
from lms.reports import completion, exports
from lms.reports.filters import (
    ReportFilter,
    describe,
    filter_form,
    read_filter,
)
from lms.reports.models import ReportExport
from lms.reports.summary import dashboard as make_dashboard
from lms.reports.summary import percent, summary_pdf

bp = Blueprint("reports", __name__, url_prefix="/reports", template_folder="templates")

MEDIA_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _scope() -> OrgUnit:
    return current_user.org_unit


def _filter():  # type: ignore[no-untyped-def]
    form = filter_form(request.args, _scope())
    return form, read_filter(form, _scope())


@bp.get("/completion")
@roles_required(Role.ADMIN)
def completion_report() -> tuple[str, int] | str:
    form, f = _filter()
    if f is None:
        return render_template("reports/completion.html", form=form, page=None), 400
    unit = completion.filter_unit(f)
    quizzes = completion.report_quizzes()
    page = completion.report_page(
        f,
        unit,
        quizzes,
        request.args.get("page", 1, type=int),
        current_app.config["REPORT_ROWS_PER_PAGE"],
    )
    return render_template(
        "reports/completion.html",
        form=form,
        page=page,
        quizzes=quizzes,
        paths=completion.unit_paths(unit),
        args=f.query_args(),
        description=describe(f, unit),
        day=date.fromisoformat,
        pct=lambda value: format_percent(value / 100, "#,##0.#%"),
    )


@bp.get("/completion.<any(csv, xlsx, pdf):fmt>")
@roles_required(Role.ADMIN)
def export(fmt: str) -> Response | tuple[str, int]:
    form, f = _filter()
    if f is None:
        return render_template("reports/completion.html", form=form, page=None), 400
    unit = completion.filter_unit(f)
    record = exports.start_record(current_user, unit, fmt, f)
    headers = {
        "Content-Disposition": f'attachment; filename="{exports.export_name(fmt, unit)}"',
        "Cache-Control": "no-store",
    }
    if fmt == "pdf":
        pdf, counted = summary_pdf(f, unit, describe(f, unit))
        exports.finish_record(record.id, counted)  # the counsellors its figures count
        return Response(pdf, mimetype=MEDIA_TYPES[fmt], headers=headers)
    chunks = exports.completion_export(
        fmt, f, unit, completion.report_quizzes(), str(get_locale() or "en"), record.id
    )
    return Response(stream_with_context(chunks), mimetype=MEDIA_TYPES[fmt], headers=headers)


@bp.get("/")
@roles_required(Role.ADMIN)
def dashboard() -> tuple[str, int] | str:
    form, f = _filter()
    if f is None:
        return render_template("reports/dashboard.html", form=form, board=None), 400
    unit = completion.filter_unit(f)
    return render_template(
        "reports/dashboard.html",
        form=form,
        board=make_dashboard(f, unit),
        args=f.query_args(),
        description=describe(f, unit),
        percent=percent,
    )


@bp.get("/exports")
@roles_required(Role.ADMIN)
def export_log() -> str:
    """Exports of reports over units in this admin's scope, newest first."""
    query = (
        sa.select(ReportExport)
        .where(ReportExport.scope_unit_id.in_(subtree_ids(_scope())))
        .options(sa.orm.joinedload(ReportExport.user).joinedload(User.org_unit))
        .order_by(ReportExport.started_dt.desc(), ReportExport.id.desc())
    )
    page = db.paginate(query, per_page=50, error_out=False)
    units = {
        unit.id: unit
        for unit in db.session.scalars(
            sa.select(OrgUnit).where(OrgUnit.id.in_({r.scope_unit_id for r in page.items}))
        )
    }
    described = {
        r.id: describe(ReportFilter.from_dict(r.filters), units[r.scope_unit_id])
        for r in page.items
    }
    return render_template("reports/exports.html", page=page, described=described)
