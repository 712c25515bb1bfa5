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


def inspect(env) -> dict:
    """What the target database holds, read through the models (decrypting every
    encrypted field), as JSON from the other process."""
    result = manage(env, "shell", "-c",
                    "from schakel.ops.tests.helpers import report; report()")
    return json.loads(result.stdout.strip().splitlines()[-1])


def report() -> None:
    """Run inside the target process by `inspect`."""
    from schakel.audit.models import ProcessingRecord
    from schakel.audit.verify import verify_chain
    from schakel.core.crypto import encrypted_fields
    from schakel.signals.models import Signal

    decrypted = 0
    for model, names in encrypted_fields():
        for values in model.objects.values_list(*names):
            decrypted += sum(1 for v in values if v)
    signals = {s.reference: {"destroyed": s.destroyed_at is not None,
                             "background": s.background,
                             "subjects": s.subjects.count()}
               for s in Signal.objects.exclude(reference=None)}
    print(json.dumps({"signals": signals, "findings": [str(f) for f in verify_chain()],
                      "records": ProcessingRecord.objects.count(),
                      "decrypted": decrypted}))
