"""Upgrading from an earlier release loses nothing (on SQLite and on PostgreSQL).

Each fixture in upgrade/ is one release's schema with its demo data, made by
`scripts/make-upgrade-fixture <revision>` (run it at every release and commit the
two files). `release-56f5c18` is the schema before the ops app, the encryption of
free texts and the keyed reporter links (21 migrations ago); `release-b6de6dd` is
this release (the ops app included), for the tests of the next one. The test
migrates each to the current schema and checks: every table's rows (tables only
Django fills, such as permissions, may grow), the processing log (the same records,
a valid chain, and an already keyed chain unchanged up to the release's head), and
that every encrypted field is encrypted and reads back with the release's keys.
"""

import gzip
import json
import shutil
import sqlite3
import tarfile
from pathlib import Path

import pytest
from django.db import connection

from .helpers import RECORDS_SQL, empty_target, inspect, manage, records_fingerprint

FIXTURES = sorted(Path(__file__).parent.joinpath("upgrade").glob("*.json"))
GROWS = {"auth_permission", "django_content_type", "django_migrations",
         "auth_group_permissions"}

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_an_earlier_release_migrates_to_this_one_without_losing_anything(fixture, tmp_path):
    meta = json.loads(fixture.read_text())
    database = fixture.with_name(fixture.stem + ".sqlite3.gz")
    plain_copy = tmp_path / "release.sqlite3"
    with gzip.open(database, "rb") as src, open(plain_copy, "wb") as dst:
        shutil.copyfileobj(src, dst)
    with empty_target(tmp_path) as env:
        env.update(meta["keys"])
        if connection.vendor == "postgresql":
            manage(env, "shell", "-c", "from schakel.ops.tests.helpers import "
                   f"load_sqlite_into_postgres as load; load({str(plain_copy)!r}, "
                   f"{str(fixture)!r})")
        else:
            shutil.copy(plain_copy, Path(env["DATA_DIR"]) / "schakel.sqlite3")
        manage(env, "migrate", "--noinput")
        after = inspect(env, seq=meta["chain_head"]["seq"])

    assert after["findings"] == []
    with sqlite3.connect(plain_copy) as release:
        assert after["records_digest"] == records_fingerprint(
            release.execute(RECORDS_SQL).fetchall())
    if ["audit", "0005_keyed_chain_and_anchors"] in meta["migrations"]:
        # A keyed chain stays as it was; the plain SHA-256 chain before it was re-signed.
        assert after["hash_at_seq"] == meta["chain_head"]["hash"]
    assert after["records"] >= meta["chain_head"]["seq"]
    assert after["plain"] == 0
    assert after["decrypted"] > 0
    lost = {table: (count, after["counts"].get(table))
            for table, count in meta["counts"].items()
            if table not in GROWS and after["counts"].get(table) != count}
    assert lost == {}
    for table in GROWS & set(meta["counts"]):
        assert after["counts"][table] >= meta["counts"][table]
    assert len(after["signals"]) == meta["counts"]["signals_signal"]


def test_restoring_a_backup_of_an_earlier_release_migrates_it(tmp_path):
    """A backup archive made by release 56f5c18 (its manifest and SQLite database)."""
    if connection.vendor != "sqlite":
        pytest.skip("the archive holds a SQLite database")
    fixture = FIXTURES[0]
    meta = json.loads(fixture.read_text())
    database = tmp_path / "db.sqlite3"
    with gzip.open(fixture.with_name(fixture.stem + ".sqlite3.gz"), "rb") as src, \
            open(database, "wb") as dst:
        shutil.copyfileobj(src, dst)
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({
        "format": 1, "version": "0.1.0", "vendor": "sqlite", "database": "db.sqlite3",
        "started_at": "2026-11-29T18:00:00+00:00", "finished_at": "2026-11-29T18:00:01+00:00",
        "migrations": meta["migrations"], "counts": meta["counts"],
        "chain_head": meta["chain_head"], "files": 0}))
    archive = tmp_path / "old.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(manifest, arcname="manifest.json")
        tar.add(database, arcname="db.sqlite3")
    with empty_target(tmp_path) as env:
        env.update(meta["keys"])
        out = manage(env, "restore", str(archive))
        after = inspect(env)
    assert "migrated to this version" in out.stdout
    assert after["findings"] == [] and after["plain"] == 0
    assert len(after["signals"]) == meta["counts"]["signals_signal"]
