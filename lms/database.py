"""Database settings that depend on the engine."""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine


def _lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    """SQLite: enforce foreign keys, let readers work beside a writer (WAL), wait on locks,
    and lower-case every script (SQLite's own lower() knows only ASCII: "Đặng" stays "Đặng")."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.create_function("lower", 1, _lower, deterministic=True)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA busy_timeout = 10000")
    cursor.close()
