"""PostgreSQL mode of the test suite: when CADRECARE_PG_URL is set, the `db` fixture gives every test a fresh
database on that server, created from a template migrated once per run (CREATE DATABASE … TEMPLATE …).

scripts/ci_postgres.sh starts a private server and sets the variable. Tests that need a SQLite *file*
(they ask for `db_path`) are skipped in this mode; the rest run unchanged against PostgreSQL.
"""
from __future__ import annotations

import itertools
import os
import uuid

PG_URL_ENV = "CADRECARE_PG_URL"
_counter = itertools.count(1)


def pg_url() -> str | None:
    return os.environ.get(PG_URL_ENV) or None


def _admin_engine(url: str):
    from sqlalchemy import create_engine

    return create_engine(url, isolation_level="AUTOCOMMIT", pool_size=1)


def _with_database(url: str, name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(database=name).render_as_string(hide_password=False)


class PgDatabases:
    """Creates the migrated template once, then one database per test; drops them all at the end."""

    def __init__(self, url: str):
        self.url = url
        self.prefix = f"cc_{uuid.uuid4().hex[:8]}"
        self.template = f"{self.prefix}_template"
        self.admin = _admin_engine(url)
        self.created: list[str] = []
        from models.core.db import open_database

        self._run(f'CREATE DATABASE "{self.template}"')
        self.created.append(self.template)
        db = open_database(_with_database(url, self.template))
        db.dispose()

    def _run(self, sql: str) -> None:
        with self.admin.connect() as conn:
            conn.exec_driver_sql(sql)

    def new_url(self) -> str:
        name = f"{self.prefix}_{next(_counter)}"
        self._run(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        self.created.append(name)
        return _with_database(self.url, name)

    def drop(self, url: str) -> None:
        from sqlalchemy.engine import make_url

        name = make_url(url).database
        self._run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if name in self.created:
            self.created.remove(name)

    def close(self) -> None:
        for name in reversed(self.created):
            self._run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.admin.dispose()
