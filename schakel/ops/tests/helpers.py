"""Restoring into a second, empty database: another process with its own DATA_DIR
(SQLite) or its own PostgreSQL database, and the keys passed by environment, the way
an IT department restores on a fresh server."""

import json
import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)


def key_environment() -> dict:
    from schakel.audit.chain import chain_keys
    from schakel.core.crypto import link_keys, load_keys

    return {"ENCRYPTION_KEYS": ",".join(load_keys()),
            "REPORTER_LINK_KEYS": ",".join(link_keys()),
            "AUDIT_CHAIN_KEYS": ",".join(chain_keys())}


@contextmanager
def empty_target(tmp_path):
    """The environment of a fresh installation: SQLite in a new DATA_DIR, or a new
    PostgreSQL database on the same server (dropped afterwards)."""
    data_dir = tmp_path / f"target-{uuid.uuid4().hex[:6]}"
    data_dir.mkdir()
    env = {**os.environ, **key_environment(), "SCHAKEL_ENV": "test",
           "DATA_DIR": str(data_dir), "DATABASE_URL": "", "LOG_LEVEL": "WARNING"}
    if connection.vendor != "postgresql":
        yield env
        return
    import psycopg

    s = connection.settings_dict
    name = f"restore_{uuid.uuid4().hex[:8]}"
    params = {"dbname": s["NAME"], "user": s["USER"], "password": s["PASSWORD"],
              "host": s["HOST"], "port": s["PORT"]}
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = (f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/"
                           f"{name}")
    try:
        yield env
    finally:
        with psycopg.connect(**params, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(env, *args, check=True) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    if check and result.returncode:
        raise AssertionError(f"manage.py {args[0]} failed:\n{result.stdout}\n{result.stderr}")
    return result


def inspect(env, seq: int = 0) -> dict:
    """What the target database holds, read through the models (decrypting every
    encrypted field), as JSON from the other process."""
    result = manage(env, "shell", "-c",
                    f"from schakel.ops.tests.helpers import report; report(seq={int(seq)})")
    return json.loads(result.stdout.strip().splitlines()[-1])


def report(seq: int = 0) -> None:
    """Run inside the target process by `inspect`: signals, the chain's findings, the
    hash of record `seq`, table counts, encrypted values read back and any left plain."""
    from schakel.audit.models import ProcessingRecord
    from schakel.audit.verify import verify_chain
    from schakel.core.crypto import PREFIX, encrypted_fields
    from schakel.signals.models import Signal

    decrypted = plain = 0
    for model, names in encrypted_fields():
        for values in model.objects.values_list(*names):
            decrypted += sum(1 for v in values if v)
        columns = [model._meta.get_field(n).column for n in names]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(columns)} FROM {model._meta.db_table}")
            plain += sum(1 for row in cursor.fetchall() for v in row
                         if v and not v.startswith(PREFIX))
    with connection.cursor() as cursor:
        counts = {t: 0 for t in connection.introspection.table_names(cursor)}
        for table in counts:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    record = ProcessingRecord.objects.filter(seq=seq).first()
    with connection.cursor() as cursor:
        cursor.execute(RECORDS_SQL)
        records_digest = records_fingerprint(cursor.fetchall())
    signals = {s.reference: {"destroyed": s.destroyed_at is not None,
                             "background": s.background,
                             "subjects": s.subjects.count()}
               for s in Signal.objects.exclude(reference=None)}
    print(json.dumps({"signals": signals, "findings": [str(f) for f in verify_chain()],
                      "records": ProcessingRecord.objects.count(),
                      "hash_at_seq": record.hash if record else None, "counts": counts,
                      "records_digest": records_digest,
                      "decrypted": decrypted, "plain": plain}))


RECORDS_SQL = ("SELECT seq, trace_id, activity, data_subject, purpose, audit_id "
               "FROM audit_processingrecord ORDER BY seq")


def records_fingerprint(rows) -> str:
    """One hash over what the processing records say (not their chain links)."""
    import hashlib

    return hashlib.sha256("\n".join("|".join(str(v) for v in row) for row in rows)
                          .encode()).hexdigest()


def load_sqlite_into_postgres(sqlite_file: str, fixture_json: str) -> None:
    """Run inside a process on an empty PostgreSQL database: the release's schema (its
    migrations, not ours), then its rows copied from the SQLite fixture.

    Values go as text literals (Django's client-side binding), so PostgreSQL casts
    each to its column's type: 0/1 to boolean, ISO text to timestamptz, text to jsonb.
    """
    import sqlite3

    from django.db import transaction
    from django.db.migrations.executor import MigrationExecutor

    fixture = json.loads(Path(fixture_json).read_text())
    leaves = {}
    for app, name in fixture["migrations"]:  # in the order applied: the last is the leaf
        leaves[app] = name
    MigrationExecutor(connection).migrate(list(leaves.items()))
    source = sqlite3.connect(sqlite_file)
    tables = [t for t in fixture["counts"] if t != "django_migrations"]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        for table in tables:
            rows = source.execute(f'SELECT * FROM "{table}"')
            columns = [d[0] for d in rows.description]
            quoted = ", ".join(f'"{c}"' for c in columns)
            insert = (f'INSERT INTO "{table}" ({quoted}) '
                      f'VALUES ({", ".join(["%s"] * len(columns))})')
            for row in rows:
                cursor.execute(insert, [v if v is None or isinstance(v, bytes) else str(v)
                                        for v in row])
    # Identity columns go on after the highest id copied (the release's own tables).
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_name, column_name FROM information_schema.columns "
                       "WHERE table_schema = current_schema() AND is_identity = 'YES'")
        for table, column in cursor.fetchall():
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), "
                           f'coalesce(max("{column}"), 1), max("{column}") IS NOT NULL) '
                           f'FROM "{table}"')
