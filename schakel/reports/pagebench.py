"""Page benchmark (issue 15): every list page at municipal scale, against the floor.

    python -m schakel.reports.pagebench [--signals 100000] [--rounds 15]

Environment knobs (for quick runs while working): BENCH_SIGNALS, BENCH_ROUNDS,
BENCH_REAL (signals through the real actions, 62 to 1,000), BENCH_CONC_SECONDS,
BENCH_INTAKE (signals per intake client), BENCH_INTAKE_ROUNDS (default 3), BENCH_PARTS
(comma-separated: pages, conc, intake; default all three, e.g. `BENCH_PARTS=conc,intake`
skips the page table),
BENCH_PAGES (comma-separated page names: measure only those), BENCH_REUSE=1 (DATA_DIR
already holds a filled SQLite data set of an earlier run: skip the fill).

1. Builds the data set of `pagebench_data.fill` in a fresh DATA_DIR (SQLite) or the
   database of DATABASE_URL (PostgreSQL: `scripts/with-postgres` gives a new one).
2. Serves it with gunicorn as `make run` does (`scripts/gunicorn.conf.py`: 2 workers,
   4 threads), with one extra URL: the floor, a 50-row table through the same
   middleware and base template.
3. Logs in every role (a session with its second factor passed), then per round asks
   the floor and each page in turn, interleaved; prints per page its p50 and its ratio
   to the floor's p50: `bench: page_<name>_p50_ms`, `bench: page_<name>_ratio`.
4. The signal page at 1, 4 and 8 concurrent officers (requests per second), and the
   intake through HTTP with 8 concurrent clients against a bare insert of the same rows,
   taken in turn three times (the medians, and each round's ratio as lowest and highest).
"""

import argparse
import http.client
import os
import re
import signal as signals_module
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]


def setup() -> None:
    os.environ.setdefault("SCHAKEL_ENV", "demo")
    os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="schakel-pagebench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "schakel.reports.pagebench_settings"
    # The bench's own writes (the fill, the intake's baseline) log as the web server
    # does: on PostgreSQL chained after commit by a thread (gunicorn.conf.py sets it too).
    os.environ.setdefault("AUDIT_CHAIN_IN_THREAD", "1")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)  # as `make run`


def sessions(users: dict) -> dict:
    """A logged-in session (second factor passed) per role: the cookie header."""
    from django.test import Client

    from schakel.accounts import twofactor

    cookies = {}
    for role in ("employee", "lead", "officer", "policy", "admin"):
        client = Client()
        client.force_login(users[role])
        session = client.session
        twofactor.mark_session_verified(session)
        session.save()
        cookies[role] = f"sessionid={client.cookies['sessionid'].value}"
    return cookies


class Browser:
    """One keep-alive connection with a session cookie; answers (status, body, ms)."""

    def __init__(self, port: int, cookie: str):
        self.port, self.conn = port, None
        self.cookies = dict(part.split("=", 1) for part in cookie.split("; "))

    @property
    def cookie(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def request(self, method: str, path: str, data: dict | None = None):
        headers = {"Cookie": self.cookie, "Host": "127.0.0.1"}
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            try:
                t0 = time.perf_counter()
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                content = response.read()
                ms = (time.perf_counter() - t0) * 1000
                for header, value in response.getheaders():
                    if header.lower() == "set-cookie" and value.startswith("csrftoken="):
                        self.cookies["csrftoken"] = value.split(";")[0].split("=", 1)[1]
                return response.status, content, ms
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def csrf(self, path: str) -> str:
        status, body, _ = self.request("GET", path)
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or not match:
            raise RuntimeError(f"no form on {path} ({status})")
        return match.group(1).decode()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(port: int) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "schakel.wsgi", "--config", "scripts/gunicorn.conf.py",
         "--bind", f"127.0.0.1:{port}"], cwd=ROOT, env=os.environ.copy(),
        start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError("gunicorn did not start")


def pages(targets: dict) -> list[tuple[str, str, str, str, dict | None]]:
    """(name, role, method, path, form data) of every page measured."""
    from schakel.partners.models import Referral
    from schakel.signals.models import Signal, own_signal_ids, team_signal_ids

    last = -(-Signal.objects.exclude(state="draft").count() // 25)
    officer = targets["users"]["officer"].pk
    search = {"kind": "person", "name": "Jan de Vries", "purpose": "Benchmark"}

    def anchor(sources, depth):
        """The id a "next" link carries `depth` rows into a keyset list (page depth/25)."""
        queryset, field = sources[0]
        depth = min(depth, queryset.count() * 3 // 4)  # smaller data sets: 3/4 down
        return queryset.order_by(f"-{field}").values_list(field, flat=True)[depth]

    def queue_key(page):
        """The key the work queue's "next" link carries to `page` (page 1: none)."""
        from schakel.core.keyset import encode_cursor, order_of
        from schakel.signals.views import QUEUE_SORTS

        queue = Signal.objects.exclude(state="draft").order_by(*QUEUE_SORTS["urgent"])
        row = queue.only("urgent", "submitted_at")[(page - 1) * 25 - 1]
        return f"page={page}&after={encode_cursor(row, order_of(queue))}"

    referral_deep = anchor([(Referral.objects.all(), "id")], 10**9)  # 3/4 down
    mine_deep = anchor(own_signal_ids(targets["users"]["employee"]), 149 * 25 - 1)
    team_deep = anchor(team_signal_ids(targets["users"]["lead"].team_id), 399 * 25 - 1)
    chosen = [n for n in os.environ.get("BENCH_PAGES", "").split(",") if n]
    every = [
        ("intake_form", "employee", "GET", "/meldingen/nieuw/", None),
        ("my_signals", "employee", "GET", "/meldingen/mijn/", None),
        ("my_signals_deep", "employee", "GET", f"/meldingen/mijn/?before={mine_deep}", None),
        ("team_signals", "lead", "GET", "/meldingen/team/", None),
        ("team_signals_deep", "lead", "GET", f"/meldingen/team/?before={team_deep}", None),
        ("queue_new", "officer", "GET", "/werkvoorraad/?tab=new", None),
        ("queue_mine", "officer", "GET", "/werkvoorraad/?tab=mine", None),
        ("queue_all", "officer", "GET", "/werkvoorraad/?tab=all", None),
        # Deep pages as the "next" link reaches them (a page number typed in is read by
        # offset: queue_all_typed).
        ("queue_all_deep", "officer", "GET",
         f"/werkvoorraad/?tab=all&{queue_key(last * 3 // 4)}", None),
        ("queue_all_last", "officer", "GET", f"/werkvoorraad/?tab=all&{queue_key(last)}", None),
        ("queue_all_typed", "officer", "GET", f"/werkvoorraad/?tab=all&page={last * 3 // 4}",
         None),
        ("queue_oldest", "officer", "GET", "/werkvoorraad/?tab=all&sort=oldest", None),
        ("signal", "officer", "GET", f"/meldingen/{targets['typical']}/", None),
        ("signal_history", "officer", "GET", f"/meldingen/{targets['history']}/", None),
        ("log_by_reference", "officer", "GET",
         "/logboek/?" + urlencode({"reference": targets["reference"]}), None),
        ("log_by_user", "officer", "GET", f"/logboek/?user={officer}", None),
        ("log_by_user_deep", "officer", "GET", f"/logboek/?user={officer}&page=2000", None),
        ("log_by_subject", "officer", "GET", f"/logboek/?subject={targets['subject']}", None),
        ("processing_register", "officer", "GET", "/logboek/register/", None),
        ("dashboard_officer", "officer", "GET", "/dashboard/", None),
        ("dashboard_policy", "policy", "GET", "/dashboard/", None),
        ("home_policy", "policy", "GET", "/", None),
        ("reports", "policy", "GET", "/raadsrapportages/", None),
        ("partners", "officer", "GET", "/ketenpartners/", None),
        ("rules", "officer", "GET", "/routeringsregels/", None),
        ("referrals", "officer", "GET", "/doorverwijzingen/", None),
        ("referrals_all", "officer", "GET", "/doorverwijzingen/?show=all", None),
        ("referrals_all_deep", "officer", "GET",
         f"/doorverwijzingen/?show=all&before={referral_deep}", None),
        ("outbox", "officer", "GET", "/uitgaande-mail/", None),
        ("action_plan", "officer", "GET", "/actieplan/", None),
        ("meetings", "officer", "GET", "/overleggen/", None),
        ("controls", "officer", "GET", "/controles/", None),
        ("trainings", "officer", "GET", "/trainingen/", None),
        ("police_figures", "officer", "GET", "/politiecijfers/", None),
        ("register_sources", "officer", "GET", "/register/bronnen/", None),
        ("register_search", "officer", "POST", "/register/zoeken/", search),
        ("privacy", "officer", "GET", "/privacy/", None),
        ("destruction", "officer", "GET", "/vernietiging/", None),
        ("access_requests", "officer", "GET", "/inzageverzoeken/", None),
        ("home_admin", "admin", "GET", "/", None),
        ("roles", "admin", "GET", "/rollen/", None),
        ("lockouts", "admin", "GET", "/blokkades/", None),
    ]
    return [p for p in every if p[0] in chosen] if chosen else every


def measure_pages(port, cookies, page_list, rounds: int) -> dict:
    browsers = {role: Browser(port, cookie) for role, cookie in cookies.items()}
    floor_browser = Browser(port, cookies["officer"])
    csrf = {}
    times = {name: [] for name, *_ in page_list}
    floor = []
    for round_no in range(rounds + 1):  # round 0 warms up every page and worker
        for name, role, method, path, data in page_list:
            status, _, ms_floor = floor_browser.request("GET", "/bench/vloer/")
            if status != 200:
                raise RuntimeError(f"floor answered {status}")
            browser = browsers[role]
            if method == "POST":
                if path not in csrf:
                    csrf[path] = browser.csrf(path)
                data = {**data, "csrfmiddlewaretoken": csrf[path]}
            status, body, ms = browser.request(method, path, data)
            if status != 200:
                raise RuntimeError(f"{name} answered {status}")
            if round_no:
                times[name].append(ms)
                floor.append(ms_floor)
    return {"floor": statistics.median(floor),
            **{name: statistics.median(v) for name, v in times.items()}}


def rps(port, cookie, path, clients: int, seconds: float) -> float:
    done = [0] * clients
    stop = time.perf_counter() + seconds

    def run(i):
        browser = Browser(port, cookie)
        while time.perf_counter() < stop:
            status, _, _ = browser.request("GET", path)
            if status == 200:
                done[i] += 1

    elapsed = _timed_threads(clients, run)  # before sum(): the threads fill `done`
    return sum(done) / elapsed


def _timed_threads(clients: int, run) -> float:
    """Seconds for `clients` threads, each calling run(i), to finish side by side."""
    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    t0 = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - t0


def concurrency(port, cookie, path, seconds: float, db: str,
                warm_up: float = 1.0) -> list[str]:
    """The signal page at 1, 4 and 8 concurrent officers: the bench's figure lines."""
    rps(port, cookie, path, 8, warm_up)  # warms every worker and thread
    rates = {c: rps(port, cookie, path, c, seconds) for c in (1, 4, 8)}
    lines = [f"bench: signal_rps_c{c} = {rate:.1f} req/s ({db})" for c, rate in rates.items()]
    lines.append(f"bench: signal_rps_c8_ratio = {rates[8] / rates[1]:.2f} ({db})")
    return lines


def intake_rounds(port, cookie: str, user, rounds: int, per_client: int,
                  clients: int = 8) -> tuple[list[float], list[dict]]:
    """The intake through HTTP and its baseline, taken in turn `rounds` times: each round
    files `clients` × `per_client` signals through the page, then inserts as many by
    plain ORM from one client and from eight. In turn, so that what the machine does
    meanwhile (the database's checkpoints, the chain thread, other work) falls on both.
    """
    from schakel.audit.sequencer import CHAIN_THREAD

    http, bare = [], []
    for _ in range(rounds):
        http.append(intake_http(port, cookie, clients, per_client))
        CHAIN_THREAD.wait_idle(60)
        bare.append({})
        for c in (1, 8):
            bare[-1][c] = intake_bare(clients * per_client, user, clients=c)
            CHAIN_THREAD.wait_idle(60)  # the baseline's chaining done before the next run
    return http, bare


def intake_figures(http: list[float], bare: list[dict], db: str) -> list[str]:
    """The intake's figure lines from `intake_rounds`: medians over the rounds, and the
    lowest and highest ratio of a round.

    The baseline of a round is the better of one client and eight: whichever a plain
    client would choose on this database (SQLite's writers take turns, PostgreSQL's
    overlap round trips).
    """
    best = [max(rates.values()) for rates in bare]
    ratios = [h / b for h, b in zip(http, best, strict=True)]
    lines = [f"bench: intake_bare_c{c}_per_second = "
             f"{statistics.median(rates[c] for rates in bare):.1f} signals/s ({db})"
             for c in (1, 8)]
    http_rate, bare_rate = statistics.median(http), statistics.median(best)
    lines += [f"bench: intake_http_per_second = {http_rate:.1f} signals/s ({db})",
              f"bench: intake_bare_per_second = {bare_rate:.1f} signals/s ({db})",
              f"bench: intake_rounds = {len(http)} ({db})",
              f"bench: intake_ratio_lowest = {min(ratios):.2f} ({db})",
              f"bench: intake_ratio_highest = {max(ratios):.2f} ({db})",
              f"bench: intake_ratio = {http_rate / bare_rate:.2f} ({db})"]
    return lines


def intake_form(csrf: str) -> dict:
    from schakel.signals.models import ExploitationForm

    return {
        "csrfmiddlewaretoken": csrf, "background": "Vier mannen op één adres.",
        "exploitation_forms": [ExploitationForm.objects.values_list("pk", flat=True).first()],
        "observed_where": "Balie", "team_lead_consulted": "no",
        "submission_token": str(uuid.uuid4()),
        "persons-TOTAL_FORMS": "1", "persons-INITIAL_FORMS": "0",
        "persons-0-name": "Piet Test", "persons-0-capacity": "victim",
        "organisations-TOTAL_FORMS": "0", "organisations-INITIAL_FORMS": "0",
        "addresses-TOTAL_FORMS": "0", "addresses-INITIAL_FORMS": "0",
    }


def intake_http(port, cookie, clients: int, per_client: int) -> float:
    """Signals filed per second through the intake page by `clients` at once."""
    browsers = [Browser(port, cookie) for _ in range(clients)]
    forms = [[intake_form(b.csrf("/meldingen/nieuw/")) for _ in range(per_client)]
             for b in browsers]
    failures = []

    def run(i):
        for form in forms[i]:
            status, _, _ = browsers[i].request("POST", "/meldingen/nieuw/", form)
            if status != 302:
                failures.append(status)

    elapsed = _timed_threads(clients, run)
    if failures:
        raise RuntimeError(f"intake answered {failures[:5]}")
    return clients * per_client / elapsed


def intake_bare(count: int, user, clients: int = 8) -> float:
    """The rows one filed signal leaves behind, by plain ORM inserts, one transaction each,
    from `clients` at once (threads, each its own connection); the bench takes the better
    of one and eight clients.

    The same rows as the action: the signal (with its reference), its form, a subject,
    the reporter, the history row of the submit, and the processing log of filing and
    submitting (two audit events, a record per data subject each, chained and signed as
    the log keeps them). Encrypted fields go through the same fields. Not included: the
    officers' notice (the e-mail, and the claim of the signals it names, which the web
    server's notice thread makes for the signals of a moment; the HTTP runs pay for it,
    for these baseline signals too) and whatever the action reads to decide.
    (Until issue 15 the baseline left out the history and the log, half the rows.)
    """
    from django.conf import settings
    from django.db import connections, transaction

    from schakel.audit.log import log_processing
    from schakel.audit.models import Action, Activity
    from schakel.core import clock
    from schakel.signals.models import (
        ExploitationForm,
        ReporterIdentity,
        Signal,
        SignalEvent,
        Subject,
    )

    form = ExploitationForm.objects.first()
    prefix = settings.SCHAKEL["SIGNAL_REFERENCE_PREFIX"]

    def log(signal, action, activity, subjects, changes):
        # The log written as the app writes it (`log_processing`, sequencer.py): on
        # PostgreSQL one statement, chained after commit; on SQLite chained here under
        # the head's lock.
        log_processing(actor=user, activity=Activity(activity), action=Action(action),
                       obj=signal, subjects=subjects, changes=changes)

    def file_one():
        with transaction.atomic():
            now = clock.now()
            signal = Signal.objects.create(
                state="submitted", version=1, submitted_at=now,
                background="Vier mannen op één adres.", observed_where="Balie",
                submission_token=uuid.uuid4())
            Signal.objects.filter(pk=signal.pk).update(
                reference=f"{prefix}-{now.year}-{signal.pk:05d}")
            signal.forms.add(form)
            subject = Subject.objects.create(signal=signal, kind="person", name="Piet Test",
                                             capacity="victim")
            reporter = ReporterIdentity.objects.create(
                signal=signal, **ReporterIdentity.account_fields(user=user, filed_by=user),
                team_id=user.team_id, name=user.display_name, email=user.email)
            SignalEvent.objects.create(
                signal=signal, at=now, actor=None, actor_role=user.role, kind="transition",
                transition="submit", from_state="draft", to_state="submitted")
            # The log last: on SQLite the chain head is then held only at the end.
            subjects = [str(subject.pseudonym), str(reporter.pseudonym)]
            log(signal, "create", "register", subjects, {})
            log(signal, "update", "register", subjects, {"state": ["draft", "submitted"]})

    share = count // clients

    def client(_i):
        try:
            for _ in range(share):
                file_one()
        finally:
            connections.close_all()

    elapsed = _timed_threads(clients, client)
    return clients * share / elapsed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signals", type=int,
                        default=int(os.environ.get("BENCH_SIGNALS", 100_000)))
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", 15)))
    parser.add_argument("--real", type=int, default=int(os.environ.get("BENCH_REAL", 1000)))
    args = parser.parse_args(argv)
    setup()
    from django.db import connection

    from schakel.reports import pagebench_data

    if min(args.real, args.signals) < pagebench_data.REAL_AT_LEAST:
        parser.error(f"--real and --signals: at least {pagebench_data.REAL_AT_LEAST}")
    db = connection.vendor
    t0 = time.perf_counter()
    saved = Path(os.environ["DATA_DIR"]) / "pagebench_targets.json"
    if os.environ.get("BENCH_REUSE") and saved.exists():
        targets = pagebench_data.load_targets(saved)
    else:
        targets = pagebench_data.fill(signals=args.signals, real=args.real)
        pagebench_data.save_targets(targets, saved)
    dropped = pagebench_data.drop_filed_since(targets, saved)
    if dropped:
        print(f"{dropped} signals filed by an earlier run's intake removed", file=sys.stderr)
    print(f"bench: page_{db}_fill_seconds = {time.perf_counter() - t0:.0f} s", flush=True)
    cookies = sessions(targets["users"])
    page_list = pages(targets)
    connection.close()
    lock = os.environ.get("BENCH_MEASURE_LOCK")
    if lock:  # two benches filling side by side measure one after the other
        import fcntl

        lock_file = open(lock, "w")  # noqa: SIM115  # held until the process ends
        fcntl.flock(lock_file, fcntl.LOCK_EX)
    port = free_port()
    server = serve(port)
    parts = set(os.environ.get("BENCH_PARTS", "pages,conc,intake").split(","))
    over, intake = [], None
    per_client = int(os.environ.get("BENCH_INTAKE", 25))
    intake_rounds_n = int(os.environ.get("BENCH_INTAKE_ROUNDS", 3))
    try:
        if "pages" in parts:
            result = measure_pages(port, cookies, page_list, args.rounds)
            floor = result.pop("floor")
            print(f"bench: page_floor_p50_ms = {floor:.1f} ms ({db})")
            for name, ms in result.items():
                ratio = ms / floor
                print(f"bench: page_{name}_p50_ms = {ms:.1f} ms ({db})")
                print(f"bench: page_{name}_ratio = {ratio:.1f} ({db})", flush=True)
                if ratio > 2:
                    over.append(name)
        if "conc" in parts:
            seconds = float(os.environ.get("BENCH_CONC_SECONDS", 5))
            path = f"/meldingen/{targets['typical']}/"
            for line in concurrency(port, cookies["officer"], path, seconds, db):
                print(line, flush=True)
        if "intake" in parts:
            intake = intake_rounds(port, cookies["employee"], targets["users"]["employee"],
                                   intake_rounds_n, per_client)
    finally:
        os.killpg(server.pid, signals_module.SIGTERM)
        server.wait(timeout=30)
    if intake is not None:
        for line in intake_figures(*intake, db):
            print(line)
        pagebench_data.drop_filed_since(targets, saved)  # the next run finds the set as built
    if "pages" in parts:
        print(f"bench: page_{db}_pages_over_budget = {len(over)} ({', '.join(over) or '-'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
