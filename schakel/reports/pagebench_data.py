"""The data set of the page benchmark: five years of signals, as a municipality keeps them.

`fill(signals=100_000)`:
1. The demo (accounts, the plan, partners, register, a council report), plus 20 more
   employees over the teams, so "Mijn meldingen" and the teams hold a realistic share.
2. In bulk, `signals - real` signals over five years before today, most of them closed,
   with their subjects, reporter, forms, history, referrals (about 1.2 per signal,
   feedback included) and the processing log their handling wrote (register, receive,
   views, referrals, close: some 16 records per signal), chained and signed as
   `audit.log` does.
3. Through the real actions (`signal_file`, `signal_receive`, `signal_dismiss`,
   `signal_close`, notes): `real` signals (at most 1,000) filed today, of which 60 stay
   new; one of them gets 300 notes (the signal page "with many history rows").
"""

import random
import sys
import time
import uuid
from datetime import timedelta

from django.core.management import call_command
from django.db import connection, transaction

CHUNK = 2000


def _say(text: str) -> None:
    print(f"pagebench: {text}", file=sys.stderr, flush=True)


def _users():
    from schakel.accounts.models import Role, Team, User

    teams = list(Team.objects.all())
    extra = []
    for n in range(20):
        user, _ = User.objects.get_or_create(username=f"bench{n}", defaults={
            "role": Role.EMPLOYEE, "team": teams[n % len(teams)], "first_name": "Bench",
            "last_name": f"Nr{n}", "email": f"bench{n}@example.invalid"})
        extra.append(user)
    get = User.objects.get
    return {"employee": get(username="medewerker"), "lead": get(username="teamcoordinator"),
            "officer": get(username="aandachtsfunctionaris"), "policy": get(username="beleid"),
            "admin": get(username="beheer"), "employees": extra}


# (share, path of transitions, referrals) of the bulk signals; the rest closes.
PATHS = [
    (0.55, ["submit", "receive", "refer", "settle", "inform_reporter", "close"], True),
    (0.30, ["submit", "receive", "dismiss", "close"], False),
    (0.10, ["submit", "receive", "refer", "settle", "inform_reporter"], True),
    (0.03, ["submit", "receive", "refer"], True),
    (0.02, ["submit", "receive"], False),
]
STATES = {"submit": "submitted", "receive": "received", "refer": "referred",
          "settle": "feedback_received", "inform_reporter": "reporter_informed",
          "dismiss": "dismissed", "close": "closed"}
ACTIVITY = {"submit": "register", "receive": "receive", "refer": "refer", "settle": "refer",
            "inform_reporter": "inform", "dismiss": "dismiss", "close": "close"}
NAMES = ["Jan de Vries", "Piet Jansen", "Anna Kowalska", "Mohamed El Amrani", "Ewa Nowak",
         "Ion Popescu", "Maria Santos", "Kees van den Berg", "Li Wei", "Olena Shevchenko"]


def _pick_path(rng):
    x = rng.random()
    for share, path, refers in PATHS:
        if x < share:
            return path, refers
        x -= share
    return PATHS[0][1], PATHS[0][2]


class _Chain:
    """Appends processing records to the keyed chain, as `audit.log` does."""

    def __init__(self):
        from schakel.audit.chain import chain_keys
        from schakel.audit.models import ChainHead

        ChainHead.objects.get_or_create(pk=1)
        head = ChainHead.objects.get(pk=1)
        self.seq, self.prev, self.key = head.seq, head.hash, chain_keys()[0]

    def records(self, audit, *, activity, at, subjects, purpose):
        """Rows (seq, trace_id, activity, started, ended, status, subject, purpose,
        audit_id, actor_pk, object_type, object_id, prev_hash, hash) for `_insert`."""
        from schakel.audit.chain import record_hash

        digest, out = audit.digest(), []
        for subject in subjects or [""]:
            self.seq += 1
            trace = uuid.uuid4().hex
            digest_hash = record_hash(
                self.key, trace_id=trace, activity=activity, started_at=at, ended_at=at,
                status="ok", data_subject=subject, purpose=purpose, audit_digest=digest,
                prev_hash=self.prev)
            out.append((self.seq, trace, activity, at, at, "ok", subject, purpose, audit.pk,
                        audit.actor_id, audit.object_type, audit.object_id, self.prev,
                        digest_hash))
            self.prev = digest_hash
        return out

    def save_head(self):
        from schakel.audit.models import ChainHead

        ChainHead.objects.filter(pk=1).update(seq=self.seq, hash=self.prev)


def _insert(model, fields: list[str], rows: list[tuple]) -> None:
    """Plain INSERTs of many rows: bulk_create's SQL compiler costs more than the database.

    Datetimes are adapted as Django would; other values must be ready for the database.
    """
    if not rows:
        return
    ops = connection.ops
    columns = [model._meta.get_field(f) for f in fields]
    dates = [i for i, f in enumerate(columns) if f.get_internal_type() == "DateTimeField"]
    if dates:
        rows = [tuple(ops.adapt_datetimefield_value(v) if i in dates else v
                      for i, v in enumerate(row)) for row in rows]
    sql = (f"INSERT INTO {ops.quote_name(model._meta.db_table)} "
           f"({', '.join(ops.quote_name(f.column) for f in columns)}) "
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start:start + 5000])


def _next_id(model) -> int:
    return (model.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1


def _bulk(count: int, users, now, rng, log: bool) -> None:
    from schakel.audit.models import AuditEvent, ProcessingRecord
    from schakel.core.crypto import account_key
    from schakel.partners.models import Partner, Referral
    from schakel.signals.models import (
        ExploitationForm,
        ReporterIdentity,
        Signal,
        SignalEvent,
        Subject,
    )

    forms = list(ExploitationForm.objects.all())
    partners = list(Partner.objects.filter(active=True)) or list(Partner.objects.all())
    officer, reporters = users["officer"], [users["employee"], *users["employees"]]
    keys = {u.pk: account_key(u.pk) for u in reporters}
    chain = _Chain()
    next_id = (Signal.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    through = Signal.forms.through
    five_years = 5 * 365 * 24 * 60
    for start in range(0, count, CHUNK):
        n = min(CHUNK, count - start)
        # Oldest first, so ids and log order follow time as they would in real use.
        minutes = sorted(rng.randrange(60 * 24 * 30, five_years) for _ in range(n))[::-1]
        signals, plans = [], []
        for i, ago in enumerate(minutes):
            at = now - timedelta(minutes=ago)
            path, refers = _pick_path(rng)
            pk = next_id + start + i
            steps, t = [], at
            for step in path:
                steps.append((step, t))
                t += timedelta(hours=rng.randrange(1, 24 * 12))
            stamps = {s: when for s, when in steps}
            signals.append(Signal(
                id=pk, reference=f"MH-{at.year}-{pk:05d}", state=STATES[path[-1]],
                version=len(path) - 1, urgent=rng.random() < 0.06, background="Gezien bij "
                "controle: vier personen op één adres, lange werkdagen.",
                observed_where="Balie", officer=officer, submitted_at=at, announced_at=at,
                received_at=stamps.get("receive"), referred_at=stamps.get("refer"),
                reporter_informed_at=stamps.get("inform_reporter") or stamps.get("close"),
                closed_at=stamps.get("close"),
                outcome="referred" if refers and "close" in stamps else
                ("no_indication" if "close" in stamps else ""),
                dismiss_reason="Geen aanwijzingen." if "dismiss" in stamps else "",
                submission_token=uuid.uuid4()))
            plans.append((steps, refers))
        with transaction.atomic():
            Signal.objects.bulk_create(signals, batch_size=500)
            links, idents, subjects, events, referrals = [], [], [], [], []
            for s in signals:
                for form in rng.sample(forms, rng.choice((1, 1, 1, 2))):
                    links.append(through(signal_id=s.pk, exploitationform_id=form.pk))
                reporter = reporters[0] if rng.random() < 0.05 else rng.choice(reporters[1:])
                idents.append(ReporterIdentity(
                    signal_id=s.pk, user_key=keys[reporter.pk], user_ref=str(reporter.pk),
                    filed_by_key=keys[reporter.pk], filed_by_ref=str(reporter.pk),
                    team_id=reporter.team_id, name=reporter.display_name,
                    email=reporter.email))
                for _k in range(rng.choice((1, 1, 2, 3))):
                    subjects.append(Subject(signal_id=s.pk, kind="person", capacity="victim",
                                            name=rng.choice(NAMES), city="Montfoort"))
            ReporterIdentity.objects.bulk_create(idents, batch_size=500)
            Subject.objects.bulk_create(subjects, batch_size=500)
            through.objects.bulk_create(links, batch_size=1000)
            pseudonyms = {}
            for sid, p in Subject.objects.filter(signal_id__in=[s.pk for s in signals]) \
                    .values_list("signal_id", "pseudonym"):
                pseudonyms.setdefault(sid, []).append(str(p))
            for r in idents:
                pseudonyms.setdefault(r.signal_id, []).append(str(r.pseudonym))
            audits, record_args = [], []
            audit_id = _next_id(AuditEvent)
            no_params = SignalEvent._meta.get_field("params").get_db_prep_save({}, connection)
            for s, (steps, refers) in zip(signals, plans, strict=True):
                prev_state = "draft"
                for step, when in steps:
                    actor = None if step == "submit" else officer
                    events.append((s.pk, when, actor.pk if actor else None,
                                   "employee" if step == "submit" else "officer",
                                   "transition", step, prev_state, STATES[step], "", "",
                                   no_params))
                    prev_state = STATES[step]
                    if step == "refer" and refers:
                        for partner in rng.sample(partners, min(len(partners),
                                                                rng.choice((1, 1, 1, 2)))):
                            done = "settle" in dict(steps)
                            referrals.append(Referral(
                                signal_id=s.pk, partner=partner, parts=["urgency", "forms"],
                                state="feedback_received" if done else "sent",
                                created_by=officer, created_at=when, sent_at=when,
                                delivered_at=when, due_at=when + timedelta(days=14),
                                feedback_at=when + timedelta(days=5) if done else None,
                                feedback_outcome="taken_up" if done else "",
                                feedback_channel="link" if done else "",
                                settled_at=when + timedelta(days=5) if done else None))
                    if not log:
                        continue
                    # The log the handling wrote: the step, and a view or two between steps.
                    reads = [when + timedelta(minutes=5)] if step in ("receive", "settle",
                                                                      "close") else []
                    for kind, at, activity in [(("create" if step == "submit" else "update"),
                                                when, ACTIVITY[step])] + \
                            [("read", r, "view") for r in reads]:
                        audit = AuditEvent(
                            id=audit_id, at=at, actor=users["employee"] if actor is None else actor,
                            actor_username=(users["employee"] if actor is None else
                                            actor).username,
                            actor_role="employee" if actor is None else "officer",
                            action=kind, object_type="signals.signal", object_id=str(s.pk),
                            changes={"state": [STATES.get(step), STATES[step]]}
                            if kind != "read" else {})
                        audit_id += 1
                        audits.append(audit)
                        record_args.append((audit, activity, at, pseudonyms.get(s.pk, [])))
            _insert(SignalEvent, ["signal", "at", "actor", "actor_role", "kind", "transition",
                                  "from_state", "to_state", "remark", "code", "params"], events)
            Referral.objects.bulk_create(referrals, batch_size=500)
            if log:
                _insert(AuditEvent, ["id", "at", "actor", "actor_username", "actor_role",
                                     "action", "object_type", "object_id", "changes"],
                        [(a.pk, a.at, a.actor_id, a.actor_username, a.actor_role, a.action,
                          a.object_type, a.object_id,
                          a._meta.get_field("changes").get_db_prep_save(a.changes, connection))
                         for a in audits])
                records = []
                for audit, activity, at, subs in record_args:
                    records += chain.records(audit, activity=activity, at=at, subjects=subs,
                                             purpose=activity)
                _insert(ProcessingRecord, [
                    "seq", "trace_id", "activity", "started_at", "ended_at", "status",
                    "data_subject", "purpose", "audit", "actor_pk", "object_type", "object_id",
                    "prev_hash", "hash"], records)
                chain.save_head()
    _reset_sequences()


def _reset_sequences() -> None:
    from django.apps import apps
    from django.core.management.color import no_style

    models = [apps.get_model("signals", "Signal"), apps.get_model("audit", "AuditEvent")]
    sql = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement)


# The first 60 real signals stay new (the work queue's "Nieuw" tab); of the later ones
# every third is dismissed and closed, the others received.
RECEIVED_FROM = 60
REAL_AT_LEAST = RECEIVED_FROM + 2  # one received and still open, for the typical signal


def _real(count: int, users, rng) -> dict:
    """Signals through the real actions, filed today; returns the ids the bench opens."""
    from schakel.signals import actions
    from schakel.signals.models import ExploitationForm

    forms = list(ExploitationForm.objects.all())
    officer, employees = users["officer"], [users["employee"], *users["employees"]]
    made = []
    for i in range(count):
        reporter = employees[i % len(employees)]
        signal = actions.signal_file(
            actor=reporter, reporter_user=reporter,
            values={"urgent": i % 15 == 0, "background": "Signaal via de echte route.",
                    "observed_where": "Balie", "team_lead_consulted": False},
            form_codes=[rng.choice(forms)], indicator_ids=[],
            subjects=[actions.SubjectData(kind="person", values={
                "name": rng.choice(NAMES), "capacity": "victim"})],
            reporter={"name": reporter.display_name, "email": reporter.email, "phone": "",
                      "team_lead_consulted_with": ""},
            submission_token=uuid.uuid4())
        if i >= RECEIVED_FROM:
            signal = actions.signal_receive(signal=signal, actor=officer,
                                            expected_version=signal.version)
            if i % 3 == 0:
                signal = actions.signal_dismiss(signal=signal, actor=officer,
                                                expected_version=signal.version,
                                                dismiss_reason="Geen aanwijzingen.")
                signal = actions.signal_close(
                    signal=signal, actor=officer, expected_version=signal.version,
                    outcome="no_indication", message_for_reporter="Dank u.")
        made.append(signal)
    history = made[-1]
    for n in range(300):
        actions.signal_add_note(signal=history, actor=officer, text=f"Notitie {n}: nagebeld.")
    # The typical signal is received and still open (the case file refers it): the one
    # nearest the middle of those, so that a small set (BENCH_REAL) has one too.
    open_ones = [i for i in range(RECEIVED_FROM, len(made)) if i % 3]
    typical = made[min(open_ones, key=lambda i: abs(i - len(made) // 2))]
    case_file(typical.pk, users)
    return {"history": history.pk, "typical": typical.pk, "reference": typical.reference}


def case_file(signal_id: int, users) -> None:
    """Give the signal the bench opens as "typical" what a signal in progress has, all
    through the real actions: a second person, a photo, a link to the register, referrals
    sent to the care coordinator and the labour inspectorate, a place on a case meeting's
    agenda and three notes. A just-received signal with one person and nothing else
    would measure the page's easy case."""
    import io
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from schakel.core import clock
    from schakel.partners.actions import Choice, signal_referrals_create
    from schakel.partners.models import Partner
    from schakel.plan.actions import agenda_add
    from schakel.plan.models import Meeting, MeetingKind
    from schakel.signals import actions
    from schakel.signals.access import Access
    from schakel.signals.attachments import attachments_add
    from schakel.signals.models import Signal
    from schakel.subjects.actions import link_decide, register_sync_subjects, subject_add
    from schakel.subjects.models import Record

    officer = users["officer"]
    signal = Signal.objects.get(pk=signal_id)
    subject_add(actor=officer, signal=signal, kind="person",
                values={"name": "Bogdan Ionescu", "capacity": "suspect",
                        "nationality": "Roemeens"})
    photo = io.BytesIO()
    Image.new("RGB", (640, 480), "gray").save(photo, "PNG")
    attachments_add(signal=signal, actor=officer, level=Access.FULL, files=[
        (SimpleUploadedFile("foto-ingang.png", photo.getvalue(), content_type="image/png"),
         "image/png")])
    register_sync_subjects(signal=signal)
    subject = signal.subjects.order_by("pk").first()
    record = Record.objects.exclude(source__code="signals").order_by("pk").first()
    link_decide(actor=officer, signal=signal, subject=subject, record=record,
                decision="linked", score=88, reason="Zelfde naam en adres.")
    subject_ids = list(signal.subjects.values_list("pk", flat=True))
    parts = ["urgency", "forms", "where_when", "background"]
    signal_referrals_create(signal=signal, actor=officer, choices=[
        Choice(partner=Partner.objects.get(code=code), parts=parts, subject_ids=subject_ids,
               reason="Voor opvang en onderzoek.") for code in ("zorgcoordinator", "nla")])
    meeting = Meeting.objects.create(kind=MeetingKind.CASE,
                                     date=clock.now().date() + timedelta(days=14))
    agenda_add(meeting=meeting, signal=signal, actor=officer, question="Integrale controle?")
    for n in range(3):
        actions.signal_add_note(signal=Signal.objects.get(pk=signal_id), actor=officer,
                                text=f"Gebeld met de wijkagent ({n + 1}).")


def fill(*, signals: int, real: int = 1000, log: bool = True, seed: int = 15) -> dict:
    """Build the data set; returns what the bench needs to open (ids, users)."""
    import logging

    from schakel.core import clock

    logging.getLogger("schakel").setLevel(logging.WARNING)
    t0 = time.perf_counter()
    call_command("demo", quiet=True, verbosity=0)
    _say(f"demo loaded in {time.perf_counter() - t0:.0f} s")
    rng = random.Random(seed)
    users = _users()
    real = min(real, signals)
    t0 = time.perf_counter()
    _bulk(signals - real, users, clock.now(), rng, log)
    _say(f"{signals - real} signals in bulk in {time.perf_counter() - t0:.0f} s")
    t0 = time.perf_counter()
    targets = _real(real, users, rng)
    _say(f"{real} signals through the actions in {time.perf_counter() - t0:.0f} s")
    from schakel.signals.models import Signal, Subject

    targets["subject"] = str(Subject.objects.filter(signal_id=targets["typical"])
                             .values_list("pseudonym", flat=True).first())
    # The data set as built ends here: what is filed later, `drop_filed_since` removes.
    targets["last_signal"] = Signal.objects.order_by("-pk").values_list(
        "pk", flat=True).first()
    targets["users"] = users
    _settle()
    return targets


def _settle() -> None:
    """PostgreSQL: what autovacuum does to a database in use within minutes of a load
    (statistics for the planner, the visibility map for index-only scans). SQLite has no
    such daemon and Schakel never runs ANALYZE there, so neither does the bench."""
    from django.db import connection

    from schakel.audit.sequencer import CHAIN_THREAD

    CHAIN_THREAD.wait_idle(120)  # the real actions' log chained before measuring
    if connection.vendor == "postgresql":
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        _say(f"vacuumed and analysed in {time.perf_counter() - t0:.0f} s")


def save_targets(targets: dict, path) -> None:
    """What the bench opens, kept beside the data set for a later run with BENCH_REUSE."""
    import json

    keep = {k: v for k, v in targets.items() if k != "users"}
    path.write_text(json.dumps(keep))


def drop_filed_since(targets: dict, path) -> int:
    """Remove the signals filed after the data set was built: the intake's, of this run
    or of an earlier one on the same data set (BENCH_REUSE). Every run then measures the
    data set as built (60 new signals, not 60 plus every earlier run's filings: 52,000
    had gathered in one reused set). Their processing log stays, as it does after a
    destruction. Returns how many signals were removed.
    """
    from django.db import transaction
    from django.db.models import Max

    from schakel.signals.models import Signal

    if "last_signal" not in targets:
        # A set built before the bench kept this: its last built signal is the last one
        # a step was taken on (every later one was filed by an intake and left new).
        targets["last_signal"] = Signal.objects.exclude(state="submitted").aggregate(
            last=Max("pk"))["last"] or 0
        save_targets(targets, path)
    removed = 0
    while ids := list(Signal.objects.filter(pk__gt=targets["last_signal"])
                      .values_list("pk", flat=True)[:2000]):
        with transaction.atomic():
            removed += Signal.objects.filter(pk__in=ids).delete()[1].get("signals.Signal", 0)
    return removed


def load_targets(path) -> dict:
    import json

    targets = json.loads(path.read_text())
    targets["users"] = _users()
    return targets
