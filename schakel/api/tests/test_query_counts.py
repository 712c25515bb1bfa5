"""Every endpoint answers in a bounded number of queries: the same at 10 and 1,000 signals.

One world (a plan, the partners, a signal with a referral, a file and a register link,
a meeting, a control and a training); every GET endpoint is read, and every write is
made on fresh objects of the same shape, once with 10 signals in the database and once
with 1,000. The counts must be equal. The clock stands still, so the rate limits' count
stays in one window (a new window costs one insert, once a minute).
"""

import datetime as dt
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from schakel.signals.tests.test_attachments import PNG

pytestmark = pytest.mark.django_db

LIST_BUDGET = 25  # a page of 100 rows, authentication, two rate limits and the log rows


def _many(n, reporter, officer):
    """`n` received signals of `reporter`, made in bulk (the actions are tested elsewhere)."""
    from schakel.core import clock
    from schakel.signals.models import ExploitationForm, ReporterIdentity, Signal, Subject

    now = clock.now()
    start = Signal.objects.count()
    signals = Signal.objects.bulk_create([
        Signal(reference=f"MH-T-{start + i:06d}", state="received", background="x",
               submitted_at=now, received_at=now, officer=officer,
               submission_token=uuid.uuid4()) for i in range(n)])
    ReporterIdentity.objects.bulk_create([
        ReporterIdentity(signal=s, name="Rosa Melder", team=reporter.team,
                         **ReporterIdentity.account_fields(user=reporter, filed_by=reporter))
        for s in signals])
    Subject.objects.bulk_create([Subject(signal=s, kind="person", name="P") for s in signals])
    form = ExploitationForm.objects.get(code="labour")
    Signal.forms.through.objects.bulk_create([
        Signal.forms.through(signal=s, exploitationform=form) for s in signals])
    return signals


def _count(client, method, path, data=None, multipart=False, expect=(200, 201, 204)) -> int:
    kwargs = {} if multipart or data is None else {"content_type": "application/json"}
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(path, data if data is not None else {}, **kwargs) \
            if method != "get" else client.get(path)
    assert response.status_code in expect, (method, path, response.content[:300])
    return len(queries)


@pytest.fixture
def frozen(monkeypatch):
    from django.utils import timezone

    from schakel.core import clock

    moment = timezone.now().replace(second=1)
    monkeypatch.setattr(clock, "now", lambda: moment)
    return moment


@pytest.fixture
def world(frozen, make_user, make_signal, settings):
    from schakel.partners.models import Partner
    from schakel.partners.seed import load_defaults
    from schakel.plan.demo import load_default_plan
    from schakel.plan.models import Control, Meeting, Training
    from schakel.signals import attachments
    from schakel.signals.access import Access
    from schakel.subjects.actions import register_sync_subjects
    from schakel.subjects.models import Record

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    load_defaults()
    load_default_plan()
    employee = make_user("employee")
    officer = make_user("officer", team="Openbare Orde en Veiligheid")
    policy = make_user("policy", team=None)
    care = Partner.objects.filter(is_care_coordinator=True, active=True).first()
    signal = make_signal(employee, steps=["receive"], officer=officer)
    attachment = attachments.attachments_add(
        signal=signal, actor=officer, level=Access.FULL,
        files=[(SimpleUploadedFile("a.png", PNG, content_type="image/png"), "image/png")])[0]
    register_sync_subjects(signal=signal)
    record = Record.objects.get(subject=signal.subjects.get())
    meeting = Meeting.objects.create(kind="regional", date=dt.date(2026, 1, 5))
    control = Control.objects.create(kind="integral", date=dt.date(2026, 1, 5),
                                     street="Hoofdstraat", house_number="1")
    training = Training.objects.create(date=dt.date(2026, 1, 5), topic="t", provider="other",
                                       provider_other="x")
    return {"employee": employee, "officer": officer, "policy": policy, "care": care,
            "signal": signal, "attachment": attachment, "meeting": meeting,
            "control": control, "training": training, "record": record}


def _reads(w, referral_pk, occurrence_pk):
    s, o = w["signal"], w["officer"]
    return [
        ("officer", "/api/v1/signals/?page_size=100"),
        ("employee", "/api/v1/signals/?page_size=100"),
        ("officer", f"/api/v1/signals/{s.pk}/"),
        ("officer", f"/api/v1/signals/{s.pk}/attachments/"),
        ("officer", f"/api/v1/signals/{s.pk}/attachments/{w['attachment'].pk}/"),
        ("officer", f"/api/v1/signals/{s.pk}/subjects/"),
        ("officer", f"/api/v1/signals/{s.pk}/subjects/{s.subjects.get().pk}/"),
        ("officer", f"/api/v1/signals/{s.pk}/referrals/"),
        ("officer", f"/api/v1/referrals/{referral_pk}/"),
        ("officer", "/api/v1/partners/?page_size=100"),
        ("officer", f"/api/v1/partners/{w['care'].pk}/"),
        ("policy", "/api/v1/plan/actions/?page_size=200"),
        ("policy", f"/api/v1/plan/occurrences/{occurrence_pk}/"),
        ("policy", "/api/v1/plan/meetings/?page_size=100"),
        ("policy", f"/api/v1/plan/meetings/{w['meeting'].pk}/"),
        ("policy", "/api/v1/plan/controls/?page_size=100"),
        ("policy", f"/api/v1/plan/controls/{w['control'].pk}/"),
        ("policy", "/api/v1/plan/trainings/?page_size=100"),
        ("policy", f"/api/v1/plan/trainings/{w['training'].pk}/"),
        ("officer", "/api/v1/reports/figures/"),
        ("policy", "/api/v1/reports/figures/"),
        ("officer", f"/api/v1/processing-log/?user={o.pk}&page_size=100"),
    ]


def _fresh(w, make_signal, round_):
    """New objects of the same shape for one round of writes."""
    from schakel.core import clock
    from schakel.plan.models import Occurrence

    employee, officer = w["employee"], w["officer"]
    today = clock.now().date()
    moments = list(Occurrence.objects.filter(status="planned", due__lt=today)
                   .order_by("pk")[
        round_ * 3:round_ * 3 + 3])
    return {
        "submitted": make_signal(employee),
        "received": [make_signal(employee, steps=["receive"], officer=officer)
                     for _ in range(3)],
        "moments": moments, "key": f"key-{round_}",
    }


def _writes(w, f, api):
    """(user, method, path, data, multipart) of every write, on the fresh objects `f`."""
    officer_client = api["officer"]
    s1, s2, s3 = f["received"]
    care = w["care"].pk
    draft = officer_client.post(f"/api/v1/signals/{s2.pk}/referrals/", {
        "referrals": [{"partner": care, "parts": ["forms"]}], "send": False},
        content_type="application/json").json()["results"][0]["id"]
    sent = officer_client.post(f"/api/v1/signals/{s3.pk}/referrals/", {
        "referrals": [{"partner": care, "parts": ["forms"]}]},
        content_type="application/json").json()["results"][0]["id"]
    subject = s1.subjects.get().pk
    m1, m2, m3 = f["moments"]
    png = SimpleUploadedFile("b.png", PNG, content_type="image/png")
    body = {"forms": ["labour"], "background": "b", "team_lead_consulted": False,
            "subjects": [{"kind": "person", "name": "Jan", "capacity": "victim"}]}
    return [
        ("employee", "post", "/api/v1/signals/", body, {"HTTP_IDEMPOTENCY_KEY": f["key"]}),
        ("employee", "post", f"/api/v1/signals/{f['submitted'].pk}/attachments/",
         {"files": [png]}, "multipart"),
        ("officer", "post", f"/api/v1/signals/{f['submitted'].pk}/transitions/",
         {"name": "receive", "version": f["submitted"].version}, {}),
        ("officer", "post", f"/api/v1/signals/{s1.pk}/referrals/",
         {"referrals": [{"partner": care, "parts": ["forms"]}], "send": False}, {}),
        ("officer", "post", f"/api/v1/referrals/{draft}/send/", {}, {}),
        ("officer", "post", f"/api/v1/referrals/{sent}/feedback/",
         {"outcome": "care", "text": "ok", "channel": "phone"}, {}),
        ("officer", "post", f"/api/v1/signals/{s1.pk}/subjects/",
         {"kind": "organisation", "name": "Uitzendbureau BV", "capacity": "employer"}, {}),
        ("officer", "patch", f"/api/v1/signals/{s1.pk}/subjects/{subject}/",
         {"name": "Jan Jansen"}, {}),
        ("officer", "post", f"/api/v1/signals/{s1.pk}/subjects/{subject}/links/",
         {"record": w["record"].pk, "decision": "linked", "score": 80}, {}),
        ("officer", "post", "/api/v1/register/match/",
         {"purpose": "controle", "queries": [{"kind": "person", "name": "Jan Jansen"}]}, {}),
        ("policy", "post", f"/api/v1/plan/occurrences/{m1.pk}/done/",
         {"done_on": m1.due.isoformat()}, {}),
        ("policy", "post", f"/api/v1/plan/occurrences/{m2.pk}/skip/", {"reason": "r"}, {}),
        ("policy", "post", f"/api/v1/plan/occurrences/{m3.pk}/move/",
         {"due": "2027-01-01"}, {}),
        ("policy", "post", "/api/v1/plan/meetings/", {"kind": "partner", "date": "2026-01-06"},
         {}),
        ("policy", "patch", f"/api/v1/plan/meetings/{w['meeting'].pk}/", {"title": "t"}, {}),
        ("policy", "post", "/api/v1/plan/controls/",
         {"kind": "integral", "date": "2026-01-06", "street": "Dorpsstraat",
          "house_number": "2"}, {}),
        ("policy", "patch", f"/api/v1/plan/controls/{w['control'].pk}/", {"findings": "f"},
         {}),
        ("policy", "post", "/api/v1/plan/trainings/",
         {"date": "2026-01-06", "topic": "t", "provider": "other", "provider_other": "x",
          "participant_count": 4}, {}),
        ("policy", "patch", f"/api/v1/plan/trainings/{w['training'].pk}/",
         {"participant_count": 3}, {}),
    ]


def _run_writes(writes, clients) -> list[int]:
    counts = []
    for user, method, path, data, extra in writes:
        client = clients[user]
        kwargs = dict(extra) if isinstance(extra, dict) else {}
        if extra == "multipart":
            call = lambda c=client, p=path, d=data: c.post(p, d)  # noqa: E731
        else:
            call = lambda c=client, m=method, p=path, d=data, k=kwargs: getattr(c, m)(  # noqa: E731
                p, d, content_type="application/json", **k)
        with CaptureQueriesContext(connection) as queries:
            response = call()
        assert response.status_code in (200, 201), (path, response.content[:300])
        counts.append(len(queries))
    return counts


def test_every_endpoint_costs_the_same_at_10_and_1000_signals(api, world, make_signal):
    clients = {role: api(world[role]) for role in ("employee", "officer", "policy")}
    made = clients["officer"].post(f"/api/v1/signals/{world['signal'].pk}/referrals/", {
        "referrals": [{"partner": world["care"].pk, "parts": ["forms"]}], "send": False},
        content_type="application/json")
    referral = made.json()["results"][0]["id"]
    warm = _fresh(world, make_signal, 0)
    reads = _reads(world, referral, warm["moments"][0].pk)
    for user, path in reads:  # warm up: caches filled once per process
        clients[user].get(path)
    _run_writes(_writes(world, warm, clients), clients)

    _many(10, world["employee"], world["officer"])
    small_reads = [_count(clients[u], "get", p) for u, p in reads]
    small_writes = _run_writes(_writes(world, _fresh(world, make_signal, 1), clients), clients)

    _many(990, world["employee"], world["officer"])
    large_reads = [_count(clients[u], "get", p) for u, p in reads]
    large_writes = _run_writes(_writes(world, _fresh(world, make_signal, 2), clients), clients)

    grew = {p: (a, b) for (_u, p), a, b in zip(reads, small_reads, large_reads, strict=True)
            if a != b}
    assert not grew, f"reads whose queries grew with the signals: {grew}"
    assert small_writes == large_writes, list(zip(small_writes, large_writes, strict=True))
    lists = {p: n for (_u, p), n in zip(reads, large_reads, strict=True) if "page_size" in p}
    assert max(lists.values()) <= LIST_BUDGET, lists
    assert max(large_reads) <= 40 and max(large_writes) <= 120


@pytest.mark.parametrize("role", ["officer", "team_lead", "employee"])
def test_the_signal_list_costs_the_same_for_every_role(api, make_user, frozen, role):
    employee = make_user("employee")
    officer = make_user("officer", team="Openbare Orde en Veiligheid")
    user = {"officer": officer, "employee": employee,
            "team_lead": make_user("team_lead")}[role]
    client = api(user)
    _many(10, employee, officer)
    client.get("/api/v1/signals/")  # warm up
    small = _count(client, "get", "/api/v1/signals/?page_size=100")
    _many(990, employee, officer)
    large = _count(client, "get", "/api/v1/signals/?page_size=100")
    assert large == small <= LIST_BUDGET
