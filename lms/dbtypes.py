"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles


class UTCDateTime(sa.types.TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware.

    SQLite has no timezone type and returns naive values; this puts UTC back on them.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: use datetime.now(UTC)")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class _UTCText(sa.sql.functions.FunctionElement):
    """A :class:`UTCDateTime` column's UTC day or month as text, computed by the database (a
    report of a hundred thousand rows then parses no timestamps in Python)."""

    type = sa.String()
    inherit_cache = True
    length = 10  # characters kept of SQLite's "2026-03-05 09:00:00.000000"
    pattern = "YYYY-MM-DD"  # the same, for PostgreSQL's to_char


class utc_day(_UTCText):  # noqa: N801  (used like an SQL function)
    """``YYYY-MM-DD``."""

    inherit_cache = True
    name = "utc_day"


class utc_month(_UTCText):  # noqa: N801  (used like an SQL function)
    """``YYYY-MM``."""

    inherit_cache = True
    name = "utc_month"
    length = 7
    pattern = "YYYY-MM"


@compiles(_UTCText)
def _utc_text_sqlite(element: _UTCText, compiler: Any, **kw: Any) -> str:
    # SQLite keeps these timestamps as UTC text.
    return f"substr({compiler.process(element.clauses, **kw)}, 1, {element.length})"


@compiles(_UTCText, "postgresql")
def _utc_text_postgresql(element: _UTCText, compiler: Any, **kw: Any) -> str:
    column = compiler.process(element.clauses, **kw)
    return f"to_char(({column}) AT TIME ZONE 'UTC', '{element.pattern}')"
