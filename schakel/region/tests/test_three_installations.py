"""The regional picture end to end: two municipalities and the region, each its own
installation (own SQLite database and DATA_DIR, own process) on 127.0.0.1.

The municipalities are filled with demo signals and serve their API with gunicorn; the
region fetches over HTTP with the scoped system tokens, and its report is checked
against the sums of what the municipalities answered; then one municipality goes down.
Finally the region's database file is read raw: no reference, name or free text of a
signal may be in it.
"""

import csv
import io
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
HIDDEN = {"x", "< 5", "–"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(data_dir: Path, **extra) -> dict:
    env = {**os.environ, "SCHAKEL_ENV": "demo", "DATABASE_URL": "", "DATA_DIR": str(data_dir),
           "DEMO_PASSWORD": "regio-demo-wachtwoord", "LOG_LEVEL": "WARNING",
           "REGION_MUNICIPALITIES": "", "REGION_FETCH_TIMEOUT": "3", **extra}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def _manage(env, *args, check=True) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=check, timeout=120)


def _start(env, *args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _get(url, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers),
                                    timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _wait(url, deadline=40):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        try:
            if _get(url)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} did not come up")


# One process of the region: enter the tokens (demo), fetch, and write the report.
REGION_RUN = (
    "import json, sys\n"
    "from django.core.management import call_command\n"
    "from schakel.region import report\n"
    "from schakel.region.fetch import fetch_all\n"
    "call_command('region_demo', 'region', token=sys.argv[1:])\n"
    "print('FETCHED ' + json.dumps(fetch_all()))\n"
    "print('CSV')\n"
    "sys.stdout.flush()\n"
    "sys.stdout.buffer.write(report.document_csv(report.picture()))\n")


@pytest.fixture(scope="module")
def installations(tmp_path_factory):
    """1. Migrate one database and copy it to three DATA_DIRs (same keys: a test shortcut).
    2. At once: fill both municipalities, start their servers, set up the region (each
       municipality's token is chosen up front, so the region can enter it meanwhile).
    """
    import secrets

    base = tmp_path_factory.mktemp("regio")
    template = base / "template"
    template.mkdir()
    _migrated_copy(template)
    dirs = {}
    for name in ("montfoort", "oudewater", "regio"):
        dirs[name] = base / name
        shutil.copytree(template, dirs[name])
    tokens = {}
    for name in ("montfoort", "oudewater"):
        tokens[name] = "schakel_" + secrets.token_urlsafe(32)
        (dirs[name] / "token").write_text(tokens[name])
    ports = {"montfoort": _free_port(), "oudewater": _free_port(), "woerden": _free_port()}
    # Woerden is configured, has a token, and never answers (nothing listens on its port).
    region_env = _env(dirs["regio"], REGION_MUNICIPALITIES=",".join(
        f"{name.title()}=http://127.0.0.1:{port}" for name, port in ports.items()))
    setup = [_start(_env(dirs[name]), "region_demo", "municipality", "--signals", "30",
                    "--seed", str(seed), "--token-in", str(dirs[name] / "token"))
             for seed, name in ((1, "montfoort"), (2, "oudewater"))]
    servers = {name: subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "schakel.wsgi", "--bind",
         f"127.0.0.1:{ports[name]}", "--workers", "1", "--threads", "2"],
        cwd=ROOT, env=_env(dirs[name]), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for name in ("montfoort", "oudewater")}
    try:
        for process in setup:
            _out, err = process.communicate(timeout=120)
            assert process.returncode == 0, err
        for name in servers:
            _wait(f"http://127.0.0.1:{ports[name]}/gezondheid/live")
        yield {"dirs": dirs, "ports": ports, "servers": servers, "region_env": region_env,
               "tokens": tokens, "region_tokens": [
                   f"Montfoort={dirs['montfoort'] / 'token'}",
                   f"Oudewater={dirs['oudewater'] / 'token'}",
                   f"Woerden={dirs['montfoort'] / 'token'}"]}
    finally:
        for server in servers.values():
            server.terminate()
        for server in servers.values():
            server.wait(timeout=20)


def _migrated_copy(target: Path) -> None:
    """A freshly migrated database in `target`. Migrating costs ~10 s of CPU, so the result
    is kept in the temporary folder under a hash of every migration file, and copied."""
    import hashlib
    import tempfile

    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("schakel/*/migrations/*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    cached = Path(tempfile.gettempdir()) / f"schakel-region-{digest.hexdigest()[:16]}"
    if not (cached / "schakel.sqlite3").exists():
        work = Path(tempfile.mkdtemp(prefix="schakel-region-"))
        _manage(_env(work), "migrate", "--noinput", "-v0")
        for name in os.listdir(work):
            if name != "schakel.sqlite3":
                shutil.rmtree(work / name, ignore_errors=True) if (work / name).is_dir() \
                    else (work / name).unlink()
        try:
            work.rename(cached)
        except OSError:  # another run was quicker
            shutil.rmtree(work, ignore_errors=True)
    shutil.copy(cached / "schakel.sqlite3", target / "schakel.sqlite3")


def _rows(csv_bytes: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(csv_bytes.decode("utf-8-sig")), delimiter=";"))


def test_the_region_combines_what_the_municipalities_share(installations):
    ports, tokens = installations["ports"], installations["tokens"]
    # 1. The token opens the share, and nothing else.
    shares = {}
    for name in ("montfoort", "oudewater"):
        url = f"http://127.0.0.1:{ports[name]}"
        status, body = _get(url + "/api/v1/region/share/", tokens[name])
        assert status == 200
        shares[name] = json.loads(body)
        for path in ("/api/v1/signals/", "/api/v1/partners/", "/api/v1/processing-log/",
                     "/api/v1/reports/figures/?year=2026"):
            assert _get(url + path, tokens[name])[0] == 403, path
        assert _get(url + "/api/v1/region/share/")[0] in (401, 404)  # no token at all

    # 2. The region fetches: two answer, Woerden does not.
    out = subprocess.run(
        [sys.executable, "-c", "import django, os, sys; "
         "os.environ['DJANGO_SETTINGS_MODULE'] = 'schakel.settings'; django.setup(); "
         f"exec({REGION_RUN!r})", *installations["region_tokens"]],
        cwd=ROOT, env=installations["region_env"], capture_output=True, text=True,
        check=True, timeout=120).stdout
    fetched = next(line for line in out.splitlines() if line.startswith("FETCHED "))
    assert json.loads(fetched[8:]) == {"Montfoort": "ok", "Oudewater": "ok",
                                       "Woerden": "unreachable"}
    report_csv = out.split("\nCSV\n", 1)[1]

    # 3. The region's figures are the sums of what was shown, and hidden after adding up.
    report = _rows(report_csv.encode())
    totals = {(r["Kwartaal"], r["Gemeente"]): r["Waarde"] for r in report
              if r["Onderdeel"] == "Signalen" and r["Wat geteld is"] == "totaal"}
    checked_sums = checked_hidden = 0
    for period in shares["montfoort"]["quarters"]:
        quarter = period["quarter"]
        other = next(p for p in shares["oudewater"]["quarters"] if p["quarter"] == quarter)
        cells = [period["signals"]["total"], other["signals"]["total"]]
        region = totals[(quarter, "Regio")]
        if all(c["s"] == "" for c in cells):
            assert region == str(cells[0]["v"] + cells[1]["v"])
            checked_sums += cells[0]["v"] + cells[1]["v"] > 0
        else:
            assert region == "x"
            checked_hidden += 1
    assert checked_sums >= 2
    quarter = shares["montfoort"]["quarter"]
    by_item: dict = {}
    for r in report:
        if r["Kwartaal"] == quarter:
            item = (r["Onderdeel"], r["Wat geteld is"])
            by_item.setdefault(item, {})[r["Gemeente"]] = r["Waarde"]
    for values in by_item.values():
        parts = [values.get("Montfoort"), values.get("Oudewater")]
        if "Regio" not in values or None in parts:
            continue
        if any(p in HIDDEN for p in parts):
            assert values["Regio"] in HIDDEN  # never the sum of what was left shown
            checked_hidden += 1
        elif all(p.isdigit() for p in parts):
            assert values["Regio"] == str(int(parts[0]) + int(parts[1]))
    assert checked_hidden >= 1
    # Woerden counts nowhere: no share, and the report says the region is incomplete.
    assert {r["Waarde"] for r in report if r["Gemeente"] == "Woerden"} <= {"–", ""}

    # 4. A municipality that goes down keeps its last share, with its date.
    server = installations["servers"]["oudewater"]
    server.terminate()
    server.wait(timeout=20)
    assert "Oudewater: unreachable" in _manage(installations["region_env"],
                                               "region_fetch").stdout
    db = sqlite3.connect(installations["dirs"]["regio"] / "schakel.sqlite3")
    status, share_at, share = db.execute(
        "SELECT status, share_at, share FROM region_municipality WHERE name = 'Oudewater'"
    ).fetchone()
    assert status == "unreachable" and share_at is not None and share is not None

    # 5. Nothing in the region's database names anyone or holds a signal's text.
    dump = "\n".join(db.iterdump())
    db.close()
    assert re.search(r"\bMH-\d{4}-\d+", dump) is None
    for text in ("Demo Persoon", "Fictief demosignaal", "Demo-locatie", "Piet Voorbeeld",
                 "uitzendkrachten", tokens["montfoort"], tokens["oudewater"]):
        assert text not in dump, text
    # The agenda question came along, encrypted at rest.
    assert db_rows(installations["dirs"]["regio"], "SELECT COUNT(*) FROM region_agendaitem") >= 2


def db_rows(data_dir: Path, sql: str) -> int:
    with sqlite3.connect(data_dir / "schakel.sqlite3") as db:
        return db.execute(sql).fetchone()[0]
