"""Consistent copies of the database while the app runs, and loading them back.

SQLite: the online backup API copies every page in one step under one read
transaction (WAL: writers go on meanwhile), so the copy is one moment in time.
PostgreSQL: a REPEATABLE READ transaction exports its snapshot; `pg_dump` (custom
format) reads that same snapshot, and the counts and the chain head come from it too.
"""

import glob
import os
import shutil
import sqlite3
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection

CHAIN_HEAD_TABLE = "audit_chainhead"


@dataclass
class Snapshot:
    file: str            # the name inside the archive: db.sqlite3 or db.pgdump
    counts: dict         # table → rows
    migrations: list     # [app, name] applied
    head: dict           # the processing log's chain head: seq, hash


def _counts_and_state(cursor, tables) -> tuple[dict, list, dict]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # names from the catalogue
        counts[table] = cursor.fetchone()[0]
    migrations = []
    if "django_migrations" in tables:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        migrations = [list(row) for row in cursor.fetchall()]
    head = {"seq": 0, "hash": ""}
    if CHAIN_HEAD_TABLE in tables:
        cursor.execute(f"SELECT seq, hash FROM {CHAIN_HEAD_TABLE} WHERE id = 1")
        row = cursor.fetchone()
        if row:
            head = {"seq": int(row[0]), "hash": row[1]}
    return counts, migrations, head


def _sqlite_tables(conn) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]


# SQLite ------------------------------------------------------------------------------

def sqlite_dump(target: Path) -> Snapshot:
    source = sqlite3.connect(str(connection.settings_dict["NAME"]), timeout=60)
    copy = sqlite3.connect(str(target))
    try:
        source.backup(copy)  # pages=-1: all pages in one step, one read snapshot
    finally:
        source.close()
    try:
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        counts, migrations, head = _counts_and_state(copy.cursor(), _sqlite_tables(copy))
    finally:
        copy.close()
    return Snapshot("db.sqlite3", counts, migrations, head)


def sqlite_is_empty() -> bool:
    path = Path(connection.settings_dict["NAME"])
    if not path.exists():
        return True
    conn = sqlite3.connect(str(path))
    try:
        return not _sqlite_tables(conn)
    finally:
        conn.close()


def sqlite_load(source: Path) -> None:
    connection.close()
    target = Path(connection.settings_dict["NAME"])
    src, dst = sqlite3.connect(str(source)), sqlite3.connect(str(target))
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


# PostgreSQL --------------------------------------------------------------------------

def pg_tool(name: str) -> str:
    """`pg_dump`/`pg_restore` from PG_BIN_DIR, the PATH, or the newest Debian cluster."""
    folder = getattr(settings, "PG_BIN_DIR", "")
    if folder:
        return str(Path(folder) / name)
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit()
                        else 0)
    if not candidates:
        raise CommandError(f"{name} not found: install the PostgreSQL client or set PG_BIN_DIR.")
    return candidates[-1]


def pg_env() -> dict:
    """libpq's environment for the configured database (the password never on a command line)."""
    s = connection.settings_dict
    env = dict(os.environ)
    for key, value in (("PGHOST", s.get("HOST")), ("PGPORT", s.get("PORT")),
                       ("PGUSER", s.get("USER")), ("PGPASSWORD", s.get("PASSWORD")),
                       ("PGDATABASE", s.get("NAME"))):
        if value:
            env[key] = str(value)
    return env


@contextmanager
def _pg_snapshot():
    import psycopg

    s = connection.settings_dict
    params = {"dbname": s["NAME"], "user": s.get("USER"), "password": s.get("PASSWORD"),
              "host": s.get("HOST"), "port": s.get("PORT")}
    conn = psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True)
    try:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        yield conn, snapshot
    finally:
        conn.execute("ROLLBACK")
        conn.close()


def _pg_tables(cursor) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    return [r[0] for r in cursor.fetchall()]


def pg_dump(target: Path) -> Snapshot:
    with _pg_snapshot() as (conn, snapshot):
        cursor = conn.cursor()
        counts, migrations, head = _counts_and_state(cursor, _pg_tables(cursor))
        result = subprocess.run(
            [pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
             f"--snapshot={snapshot}", f"--file={target}"],
            env=pg_env(), capture_output=True, text=True)
        if result.returncode:
            raise CommandError(f"pg_dump failed: {result.stderr.strip()[:500]}")
    return Snapshot("db.pgdump", counts, migrations, head)


def pg_is_empty() -> bool:
    with connection.cursor() as cursor:
        return not _pg_tables(cursor)


def pg_load(source: Path) -> None:
    connection.close()
    result = subprocess.run(
        [pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
         f"--dbname={connection.settings_dict['NAME']}", str(source)],
        env=pg_env(), capture_output=True, text=True)
    if result.returncode:
        raise CommandError(f"pg_restore failed: {result.stderr.strip()[:500]}")


# Either ------------------------------------------------------------------------------

def dump(target_dir: Path) -> Snapshot:
    if connection.vendor == "sqlite":
        return sqlite_dump(target_dir / "db.sqlite3")
    return pg_dump(target_dir / "db.pgdump")


def is_empty() -> bool:
    return sqlite_is_empty() if connection.vendor == "sqlite" else pg_is_empty()


def load(source: Path) -> None:
    if connection.vendor == "sqlite":
        if source.name != "db.sqlite3":
            raise CommandError("This archive holds a PostgreSQL dump; the database here is SQLite.")
        sqlite_load(source)
    else:
        if source.name != "db.pgdump":
            raise CommandError("This archive holds a SQLite database; the database here is "
                               "PostgreSQL.")
        pg_load(source)


def counts_now(tables) -> dict:
    """The rows of the given tables in the database as it is now (after loading)."""
    with connection.cursor() as cursor:
        counts, _migrations, _head = _counts_and_state(cursor, tables)
    return counts


def head_now() -> dict:
    with connection.cursor() as cursor:
        _counts, _migrations, head = _counts_and_state(cursor, [CHAIN_HEAD_TABLE])
    return head
