"""Retention: due signals are listed; destruction leaves no trace but a stub and a certificate."""

import io
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path

import pypdf
import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from schakel.audit.models import ProcessingRecord
from schakel.audit.verify import verify_chain
from schakel.core import clock
from schakel.privacy import retention
from schakel.privacy.models import DestructionCertificate, DestructionItem
from schakel.signals import actions
from schakel.signals.models import ReporterIdentity, Signal, Subject

MARKERS = ["Vernietigd-Persoon-4b7e", "Vernietigstraat-4b7e", "Achtergrond-4b7e",
           "Melder-4b7e", "Notitie-4b7e", "Bericht-4b7e", "Agendavraag-4b7e",
           "Besluit-4b7e", "Partnerbericht-4b7e", "Terugkoppeling-4b7e"]


@pytest.fixture
def at(monkeypatch):
    def set_clock(when: datetime):
        monkeypatch.setattr(clock, "now", lambda: when)
    return set_clock


def _closed_signal(make_signal, employee, officer, at, *, when, dismissed=True):
    at(when)
    steps = ["receive", "dismiss", "close"] if dismissed else ["receive", "refer", "settle",
                                                               "inform_reporter", "close"]
    signal = make_signal(
        employee, steps=steps, officer=officer, reporter_name="Melder-4b7e",
        background="Achtergrond-4b7e",
        subjects=[actions.SubjectData(kind="person", values={"name": "Vernietigd-Persoon-4b7e",
                                                             "capacity": "victim"}),
                  actions.SubjectData(kind="address", values={"street": "Vernietigstraat-4b7e",
                                                              "house_number": "1"})])
    actions.signal_add_note(signal=signal, actor=officer, text="Notitie-4b7e")
    Signal.objects.filter(pk=signal.pk).update(message_for_reporter="Bericht-4b7e")
    from schakel.plan.models import AgendaItem, Meeting, MeetingKind

    meeting = Meeting.objects.create(kind=MeetingKind.values[0], date=when.date())
    AgendaItem.objects.create(meeting=meeting, signal=signal, question="Agendavraag-4b7e",
                              decision="Besluit-4b7e")
    from schakel.partners.models import Partner, Referral

    partner = Partner.objects.get_or_create(name="Testpartner", defaults={
        "email": "test@demo.schakel.invalid"})[0]
    Referral.objects.create(signal=signal, partner=partner, created_at=when,
                            message="Partnerbericht-4b7e", feedback_text="Terugkoppeling-4b7e",
                            reason="Partnerbericht-4b7e", state="feedback_received")
    return Signal.objects.get(pk=signal.pk)


def _utc(y, m, d):
    from datetime import UTC
    return datetime(y, m, d, 12, tzinfo=UTC)


@pytest.mark.django_db
def test_the_scan_lists_what_is_due_once_and_only_that(make_signal, employee, officer, at):
    old_dismissed = _closed_signal(make_signal, employee, officer, at, when=_utc(2025, 1, 10))
    old_closed = _closed_signal(make_signal, employee, officer, at, when=_utc(2023, 1, 10),
                                dismissed=False)
    recent = _closed_signal(make_signal, employee, officer, at, when=_utc(2026, 6, 1))
    at(_utc(2026, 11, 29))
    assert retention.retention_scan() == 1
    assert retention.retention_scan() == 0  # idempotent
    item = DestructionItem.objects.get()
    assert item.signal == old_dismissed and item.due_on == date(2026, 1, 10)
    at(_utc(2028, 1, 11))
    retention.retention_scan()
    listed = set(DestructionItem.objects.values_list("signal", flat=True))
    assert listed == {old_dismissed.pk, old_closed.pk, recent.pk}


@pytest.mark.django_db
def test_postponed_items_return_after_their_date(make_signal, employee, officer, at):
    signal = _closed_signal(make_signal, employee, officer, at, when=_utc(2024, 1, 10))
    at(_utc(2026, 11, 29))
    call_command("retention_scan")
    item = DestructionItem.objects.get()
    retention.destruction_postpone(item=item, actor=officer, until=date(2027, 3, 1),
                                   reason="Lopend onderzoek")
    assert retention.retention_scan() == 0
    at(_utc(2027, 3, 2))
    assert retention.retention_scan() == 1
    assert DestructionItem.objects.filter(signal=signal, status="proposed").exists()


def _raw_database_bytes() -> bytes:
    if connection.vendor == "sqlite":
        name = Path(connection.settings_dict["NAME"])
        return b"".join(p.read_bytes() for p in (name, Path(f"{name}-wal")) if p.exists())
    conf = connection.settings_dict
    pg_bin = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_dump"))[-1]
    return subprocess.run(
        [str(pg_bin), "-h", conf["HOST"], "-p", str(conf["PORT"]), "-U", conf["USER"],
         conf["NAME"]], env={"PGPASSWORD": conf["PASSWORD"]}, capture_output=True,
        check=True).stdout


@pytest.mark.django_db(transaction=True)
def test_destruction_leaves_no_trace_and_a_stub_that_still_counts(
        make_signal, employee, officer, at):
    signal = _closed_signal(make_signal, employee, officer, at, when=_utc(2024, 1, 10))
    subject_ids = set(signal.data_subject_ids())
    at(_utc(2026, 11, 29))
    retention.retention_scan()
    raw_before = _raw_database_bytes()
    assert b"Vernietigstraat-4b7e" in raw_before  # the check can see plaintext at all

    certificate = retention.destruction_approve(
        items=DestructionItem.objects.all(), actor=officer, reason="Termijn verstreken")

    raw = _raw_database_bytes()
    for marker in MARKERS:
        assert marker.encode() not in raw, marker
    stub = Signal.objects.get(pk=signal.pk)
    assert stub.destroyed_at and stub.state == "closed" and stub.reference
    assert stub.submitted_at and stub.closed_at and stub.forms.count() == 1
    assert not Subject.objects.filter(signal=stub).exists()
    reporter = ReporterIdentity.objects.get(signal=stub)
    assert reporter.name == "" and reporter.user is None and reporter.team is not None
    assert not stub.events.exclude(remark="").exists()
    # The processing log survives and still verifies, with the pseudonyms only.
    destroyed = ProcessingRecord.objects.filter(activity="destroy")
    assert {r.data_subject for r in destroyed} == subject_ids
    assert verify_chain() == []
    # The certificate lists the reference and nothing personal.
    assert len(bytes(certificate.pdf)) > 1000, len(bytes(certificate.pdf))
    text = "".join(page.extract_text() for page in
                   pypdf.PdfReader(io.BytesIO(bytes(certificate.pdf))).pages)
    assert "Vernietigingsverklaring" in text and signal.reference in text
    assert not any(m in text for m in MARKERS)
    assert DestructionCertificate.objects.count() == 1


@pytest.mark.django_db
def test_officer_approves_and_postpones_through_the_page(client, make_signal, employee, officer,
                                                         at):
    first = _closed_signal(make_signal, employee, officer, at, when=_utc(2024, 1, 10))
    second = _closed_signal(make_signal, employee, officer, at, when=_utc(2024, 2, 10))
    at(_utc(2026, 11, 29))
    retention.retention_scan()
    client.force_login(officer)
    page = client.get(reverse("privacy:destruction")).content.decode()
    assert first.reference in page and second.reference in page
    assert "Vernietigd-Persoon-4b7e" not in page
    item2 = DestructionItem.objects.get(signal=second)
    bad = client.post(reverse("privacy:destruction_postpone", args=[item2.pk]),
                      {f"p{item2.pk}-until": "2020-01-01", f"p{item2.pk}-reason": ""})
    assert bad.status_code == 400
    ok = client.post(reverse("privacy:destruction_postpone", args=[item2.pk]),
                     {f"p{item2.pk}-until": "2027-06-01", f"p{item2.pk}-reason": "Onderzoek"})
    assert ok.status_code == 302
    none = client.post(reverse("privacy:destruction_approve"), {"reason": "x"})
    assert none.status_code == 400 and "Kies ten minste één signaal." in none.content.decode()
    item1 = DestructionItem.objects.get(signal=first)
    done = client.post(reverse("privacy:destruction_approve"),
                       {"items": [item1.pk], "reason": "Termijn verstreken"})
    assert done.status_code == 302
    certificate = DestructionCertificate.objects.get()
    pdf = client.get(reverse("privacy:certificate", args=[certificate.pk]))
    assert pdf["Content-Type"] == "application/pdf" and bytes(pdf.content).startswith(b"%PDF")
    assert "no-store" in pdf["Cache-Control"]
    assert Signal.objects.get(pk=second.pk).destroyed_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["employee", "team_lead", "policy", "admin"])
def test_only_officers_reach_the_destruction_list(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get(reverse("privacy:destruction")).status_code == 404
    assert client.post(reverse("privacy:destruction_approve"), {}).status_code == 404


@pytest.mark.django_db
def test_the_monthly_task_plans_its_next_run_once(at):
    from django_tasks_db.models import DBTaskResult

    from schakel.privacy.tasks import first_of_next_month, schedule_monthly_retention_scan

    at(_utc(2026, 12, 15))
    assert first_of_next_month(clock.now()).date() == date(2027, 1, 1)
    assert django_settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert schedule_monthly_retention_scan() is True
    assert schedule_monthly_retention_scan() is False
    assert DBTaskResult.objects.count() == 1
    assert DBTaskResult.objects.get().run_after.date() == date(2027, 1, 1)


def test_years_arithmetic_survives_leap_days():
    assert retention._add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert retention._years_before(date(2024, 2, 29), 5) == date(2019, 2, 28)
    assert retention._add_years(date(2023, 3, 1), 5) - date(2023, 3, 1) > timedelta(days=1800)


@pytest.mark.django_db
def test_the_command_plans_the_monthly_run_for_the_worker(capsys):
    call_command("retention_scan", "--schedule")
    call_command("retention_scan", "--schedule")
    out = capsys.readouterr().out
    assert "planned." in out and "already planned" in out


def _open_reader():
    """Another connection with an open read transaction, as a long report or backup holds."""
    import sqlite3

    reader = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM signals_subject").fetchone()
    return reader


@pytest.mark.django_db(transaction=True)
def test_a_destruction_read_by_another_connection_completes_only_after_the_worker_checkpoints(
        client, make_signal, employee, officer, at):
    from django_tasks_db.models import DBTaskResult

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's write-ahead log; PostgreSQL is covered below")
    _closed_signal(make_signal, employee, officer, at, when=_utc(2024, 1, 10))
    at(_utc(2026, 11, 29))
    retention.retention_scan()
    reader = _open_reader()
    try:
        certificate = retention.destruction_approve(
            items=DestructionItem.objects.all(), actor=officer, reason="Termijn verstreken")
        certificate.refresh_from_db()
        assert not certificate.complete and certificate.checkpoint_attempts == 1
        # This is what the issue found: while the reader lives, old pages keep the data.
        assert any(m.encode() in _raw_database_bytes() for m in MARKERS)
        client.force_login(officer)
        page = client.get(reverse("privacy:destruction")).content.decode()
        assert "wacht op opschonen" in page
        job = DBTaskResult.objects.get(status="READY")
        assert job.task_path.endswith("destruction_checkpoint_task")
        # The worker's attempt while the reader still lives plans another one.
        DBTaskResult.objects.filter(pk=job.pk).update(run_after=_utc(2026, 1, 1))
        call_command("db_worker", "--batch", "--max-tasks", "1", "--no-startup-delay",
                     verbosity=0)
        certificate.refresh_from_db()
        assert not certificate.complete and certificate.checkpoint_attempts == 2
    finally:
        reader.rollback()
        reader.close()
    DBTaskResult.objects.filter(status="READY").update(run_after=_utc(2026, 1, 1))
    call_command("db_worker", "--batch", "--max-tasks", "1", "--no-startup-delay", verbosity=0)

    certificate.refresh_from_db()
    assert certificate.complete
    assert not DBTaskResult.objects.filter(status="READY").exists()  # no more retries
    raw = _raw_database_bytes()
    for marker in MARKERS:
        assert marker.encode() not in raw, marker
    text = "".join(page.extract_text() for page in
                   pypdf.PdfReader(io.BytesIO(bytes(certificate.pdf))).pages)
    assert "Vernietiging voltooid" in text and "29 november 2026" in text
    page = client.get(reverse("privacy:destruction")).content.decode()
    assert "voltooid sinds" in page and "wacht op opschonen" not in page


@pytest.mark.django_db(transaction=True)
def test_a_destruction_without_readers_is_complete_at_once(make_signal, employee, officer, at):
    _closed_signal(make_signal, employee, officer, at, when=_utc(2024, 1, 10))
    at(_utc(2026, 11, 29))
    retention.retention_scan()
    certificate = retention.destruction_approve(
        items=DestructionItem.objects.all(), actor=officer, reason="Termijn verstreken")
    certificate.refresh_from_db()
    assert certificate.complete and certificate.checkpoint_attempts == 0


def test_the_retries_wait_longer_each_time_up_to_an_hour():
    from schakel.privacy.completion import retry_delay

    assert [retry_delay(n).total_seconds() / 60 for n in (1, 2, 3, 7, 50)] == [
        1, 2, 4, 60, 60]
