"""The database alone names no reporter and holds no free text about a signal.

The demo is loaded, then markers are planted through the real actions in every
free text about a signal (the signal, its history, the reporter, its subjects,
referrals, the care coordinator's skip, the case meeting, enrichment links).
The raw database is then read as an attacker with a copy would read it: the
SQLite file and its WAL after a checkpoint, or a `pg_dump` on PostgreSQL.
"""

import hashlib
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection

from schakel.accounts.models import User
from schakel.signals import actions
from schakel.signals.models import ReporterIdentity, Signal
from schakel.signals.texts import signal_texts

MARK = "Qz9"  # with a field's name: e.g. "Qz9-signal.background"
# Personal data that is no free text about a signal (the reporter, a person's nationality,
# the meeting's minutes, an enrichment link's reason) ...
OTHER_FIELDS = ["reporter-name", "reporter-email", "reporter-phone", "discussed-with",
                "nationality", "minutes", "link-reason"]
# ... and every free text about a signal, from the one registry (`signals.texts`).
FIELDS = OTHER_FIELDS + [t.code for t in signal_texts()]
# Texts of the demo itself, as loaded by `manage.py demo`.
DEMO_TEXTS = ["hield hun paspoorten vast", "niet wisten waar ze waren",
              "bang reageerde op een oudere man", "Politie deelde de jaarcijfers"]


def _m(field: str) -> str:
    return f"{MARK}-{field}"


def _plant_markers():
    """One signal walked through the route with a marker in every free text."""
    from schakel.partners import actions as partner_actions
    from schakel.partners.models import FeedbackChannel, FeedbackOutcome, Partner
    from schakel.plan import actions as plan_actions
    from schakel.plan.models import Meeting, MeetingKind
    from schakel.subjects import actions as subject_actions
    from schakel.subjects.models import Record, Source

    employee = User.objects.get(username="medewerker")
    officer = User.objects.get(username="aandachtsfunctionaris")
    signal = actions.signal_file(
        actor=employee, reporter_user=employee,
        values={"urgent": False, "background": _m("signal.background"),
                "observed_where": _m("signal.observed_where"),
                "team_lead_consulted": True},
        form_codes=[], indicator_ids=[],
        subjects=[actions.SubjectData(kind="person", values={
            "name": "Persoon Plantmans", "capacity": "victim",
            "nationality": _m("nationality"), "description": _m("subject.description")})],
        reporter={"name": _m("reporter-name"), "email": f"{_m('reporter-email')}@x.invalid",
                  "phone": _m("reporter-phone"), "team_lead_consulted_with": _m("discussed-with")},
        submission_token="00000000-0000-4000-8000-0000000000aa",
    )
    remark = _m("event.remark")
    signal = actions.signal_receive(signal=signal, actor=officer,
                                    expected_version=signal.version, remark=f"{remark}-receive")
    actions.signal_add_note(signal=signal, actor=officer, text=f"{remark}-note")
    actions.signal_record_decision(signal=signal, actor=officer, text=f"{remark}-decision")
    meeting = Meeting.objects.create(kind=MeetingKind.values[0], date=signal.submitted_at.date(),
                                     minutes=_m("minutes"))
    item = plan_actions.agenda_add(meeting=meeting, signal=signal, actor=officer,
                                   question=_m("agenda.question"))
    plan_actions.agenda_decide(item=item, actor=officer, text=_m("agenda.decision"))
    subject = signal.subjects.get()
    record = Record.objects.filter(source__in=Source.objects.all()).first()
    subject_actions.link_decide(actor=officer, signal=signal, subject=subject, record=record,
                                decision="linked", reason=_m("link-reason"))
    partners = list(Partner.objects.filter(is_care_coordinator=False).order_by("pk")[:2])
    first, second = partner_actions.signal_referrals_create(
        signal=signal, actor=officer, care_skip_reason=_m("careskip.reason"), choices=[
            partner_actions.Choice(partner=p, parts=["background"], message=_m("referral.message"),
                                   reason=_m("referral.reason")) for p in partners])
    partner_actions.referral_record_feedback(
        referral=first, actor=officer, outcome=FeedbackOutcome.values[0],
        text=_m("referral.feedback_text"), channel=FeedbackChannel.PHONE)
    partner_actions.referral_withdraw(referral=second, actor=officer,
                                      reason=_m("referral.withdraw_reason"))
    dismissed = actions.signal_file(
        actor=employee, reporter_user=employee,
        values={"urgent": False, "background": "x", "team_lead_consulted": False},
        form_codes=[], indicator_ids=[], subjects=[], reporter={"name": "y"},
        submission_token="00000000-0000-4000-8000-0000000000bb")
    dismissed = actions.signal_receive(signal=dismissed, actor=officer,
                                       expected_version=dismissed.version)
    dismissed = actions.signal_dismiss(signal=dismissed, actor=officer,
                                       expected_version=dismissed.version,
                                       dismiss_reason=_m("signal.dismiss_reason"))
    actions.signal_close(signal=dismissed, actor=officer, expected_version=dismissed.version,
                         outcome="other", outcome_other=_m("signal.outcome_other"),
                         message_for_reporter=_m("signal.message_for_reporter"))
    return signal


def _every_registered_text_holds_its_marker() -> None:
    """The planting reached every free text of the registry: a text added there and not
    planted here fails, instead of passing unchecked."""
    missing = [t.code for t in signal_texts()
               if not any(_m(t.code) in (value or "") for value in
                          t.model_class().objects.values_list(t.field, flat=True))]
    assert missing == [], f"no marker planted in: {missing}"


def _plaintext_check(raw: bytes) -> None:
    """Every marker was planted (the application reads it back) and none is in the bytes."""
    _every_registered_text_holds_its_marker()
    signal = Signal.objects.get(submission_token="00000000-0000-4000-8000-0000000000aa")
    assert signal.background == _m("signal.background")  # readable with the keys ...
    assert Signal.objects.filter(
        outcome_other=_m("signal.outcome_other")).count() == 0  # ... and not searchable
    assert b"Persoon Plantmans" in raw  # subjects' names stay plain for matching: the check sees
    found = [f for f in FIELDS if _m(f).encode() in raw]
    found += [t for t in DEMO_TEXTS if t.encode() in raw]
    assert found == [], f"plaintext in the database: {found}"


def _no_way_to_the_reporter() -> None:
    user_model = get_user_model()
    assert not [f for f in ReporterIdentity._meta.concrete_fields
                if f.is_relation and f.related_model is user_model]
    employee = User.objects.get(username="medewerker")
    unkeyed = {hashlib.sha256(f"account:{employee.pk}".encode()).hexdigest(),
               hashlib.sha256(str(employee.pk).encode()).hexdigest()}
    with connection.cursor() as cursor:
        cursor.execute("SELECT user_key, user_ref, filed_by_key, filed_by_ref "
                       "FROM signals_reporteridentity")
        rows = cursor.fetchall()
        cursor.execute("SELECT count(*) FROM signals_signalevent "
                       "WHERE transition = 'submit' AND actor_id IS NOT NULL")
        submitted_by = cursor.fetchone()[0]
    assert rows and submitted_by == 0
    for user_key, user_ref, filed_key, filed_ref in rows:
        assert user_key and user_key not in unkeyed and filed_key not in unkeyed
        assert user_ref.startswith("gAAAAA") and filed_ref.startswith("gAAAAA")
    assert Signal.objects.visible_to(employee).count() >= 5  # "Mijn meldingen" still works


@pytest.fixture
def demo_with_markers(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    for name in ("ENCRYPTION_KEYS", "REPORTER_LINK_KEYS", "AUDIT_CHAIN_KEYS"):
        setattr(settings, name, [])
    call_command("demo", "--quiet")
    _plant_markers()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite file")
@pytest.mark.django_db(transaction=True)
def test_the_sqlite_file_names_no_reporter_and_holds_no_free_text(demo_with_markers):
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    name = Path(connection.settings_dict["NAME"])
    raw = b"".join(p.read_bytes() for p in (name, Path(f"{name}-wal")) if p.exists())
    _plaintext_check(raw)
    _no_way_to_the_reporter()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_pg_dump_names_no_reporter_and_holds_no_free_text(demo_with_markers):
    conf = connection.settings_dict
    pg_dump = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_dump"))[-1]
    raw = subprocess.run(
        [str(pg_dump), "-h", conf["HOST"], "-p", str(conf["PORT"]), "-U", conf["USER"],
         conf["NAME"]], env={"PGPASSWORD": conf["PASSWORD"] or ""}, capture_output=True,
        check=True).stdout
    _plaintext_check(raw)
    _no_way_to_the_reporter()
