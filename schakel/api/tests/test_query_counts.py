"""Every endpoint answers in a bounded number of queries: the same at 10 and 1,000 signals."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


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


def _count(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return len(queries)


@pytest.mark.parametrize("role", ["officer", "team_lead", "employee"])
def test_the_signal_list_costs_the_same_at_10_and_1000_signals(api, make_user, role):
    employee = make_user("employee")
    officer = make_user("officer", team="Openbare Orde en Veiligheid")
    user = {"officer": officer, "employee": employee,
            "team_lead": make_user("team_lead")}[role]
    client = api(user)
    _many(10, employee, officer)
    client.get("/api/v1/signals/")  # warm up: caches filled once per process
    small = _count(client, "/api/v1/signals/?page_size=100")
    signals = _many(990, employee, officer)
    large = _count(client, "/api/v1/signals/?page_size=100")
    assert large == small <= 20
    detail = _count(client, f"/api/v1/signals/{signals[-1].pk}/")
    assert detail <= 36


def test_the_other_lists_cost_the_same_with_more_rows(api, make_user):
    """Partners, plan and the processing log: a page's queries do not grow with the rows."""
    import datetime as dt

    from schakel.partners.models import Partner
    from schakel.plan.models import Meeting, Training

    officer = make_user("officer", team="Openbare Orde en Veiligheid")
    client = api(officer)

    def grow(n, start):
        Partner.objects.bulk_create([Partner(name=f"Partner {start + i}", email="p@x.invalid")
                                     for i in range(n)])
        Meeting.objects.bulk_create([Meeting(kind="case", date=dt.date(2026, 1, 1))
                                     for _ in range(n)])
        Training.objects.bulk_create([Training(date=dt.date(2026, 1, 1), topic="t",
                                               provider="other") for _ in range(n)])

    paths = ["/api/v1/partners/?page_size=100", "/api/v1/plan/meetings/?page_size=100",
             "/api/v1/plan/trainings/?page_size=100",
             f"/api/v1/processing-log/?user={officer.pk}&page_size=100"]
    grow(5, 0)
    for path in paths:
        client.get(path)  # warm up
    small = [_count(client, p) for p in paths]
    grow(300, 5)
    large = [_count(client, p) for p in paths]
    assert large == small
