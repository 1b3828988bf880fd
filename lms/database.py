"""Database settings that depend on the engine, and inserts that tolerate a concurrent twin."""

from __future__ import annotations

import sqlite3
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine

from lms.extensions import db


def _lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    """SQLite: enforce foreign keys, let readers work beside a writer (WAL), wait on locks,
    and lower-case every script (SQLite's own lower() knows only ASCII: "Đặng" stays "Đặng").

    The driver opens a transaction at the first write, not at the first read: a transaction
    that has read cannot take the write lock after another writer committed, and would fail at
    once instead of waiting. Code that must not insert twice uses :func:`insert_or_ignore`, not
    savepoints (which the driver does not nest reliably).
    """
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.create_function("lower", 1, _lower, deterministic=True)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA busy_timeout = 10000")
    cursor.close()


def _insert(model: Any) -> Any:
    dialect = db.session.get_bind().dialect.name
    return (postgresql_insert if dialect == "postgresql" else sqlite_insert)(model)


def insert_or_ignore(model: Any, **values: Any) -> int | None:
    """Insert a row unless a unique constraint already holds its twin (perhaps inserted by a
    concurrent request a moment ago).

    :return: the new row's primary key, or None when nothing was inserted.
    """
    key = sa.inspect(model).primary_key[0]
    statement = _insert(model).values(**values).on_conflict_do_nothing().returning(key)
    return db.session.execute(statement).scalar_one_or_none()


def upsert(model: Any, keys: list[str], **values: Any) -> None:
    """Insert a row, or update the one with the same ``keys``, in one statement."""
    statement = _insert(model).values(**values)
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=keys,
            set_={name: statement.excluded[name] for name in values if name not in keys},
        )
    )
