"""The daily job: reminders once, 'no response' after the last, one digest a day."""

from django.core.management import call_command

from schakel.audit.models import AuditEvent
from schakel.partners.jobs import run_daily
from schakel.partners.models import (
    DailyRun,
    FeedbackLink,
    MessageKind,
    OutboxMessage,
    Referral,
    ReferralState,
)


def reminders_to(partner):
    return OutboxMessage.objects.filter(kind=MessageKind.REMINDER, to=partner.email)


def test_nothing_is_sent_before_feedback_is_due(received, send_to, clock, seeded):
    send_to(received, "nla", "zorgcoordinator")
    clock.advance(days=13)
    assert run_daily()["reminded"] == 0


def test_an_overdue_referral_gets_one_reminder_however_often_the_job_runs(
        received, send_to, clock, seeded, django_capture_on_commit_callbacks, mailoutbox):
    [nla, _care] = send_to(received, "nla", "zorgcoordinator")
    clock.advance(days=15)
    with django_capture_on_commit_callbacks(execute=True):
        assert run_daily()["reminded"] == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert run_daily()["reminded"] == 0
        call_command("partners_daily")
    assert reminders_to(seeded["nla"]).count() == 1
    assert sum(1 for m in mailoutbox if "Herinnering" in m.subject
               and seeded["nla"].email in m.to) == 1
    nla.refresh_from_db()
    assert nla.reminders_sent == 1
    assert FeedbackLink.objects.usable(clock()).filter(referral=nla).count() == 1
    assert AuditEvent.objects.filter(changes__referral=nla.pk,
                                     changes__reminders_sent=1).exists()
    assert DailyRun.objects.count() == 1


def test_after_the_last_reminder_the_referral_is_settled_as_no_response(
        received, send_to, clock, seeded, django_capture_on_commit_callbacks):
    send_to(received, "nla", "zorgcoordinator")
    clock.advance(days=15)
    for _ in range(2):  # two reminders a week apart, then a week without answer
        with django_capture_on_commit_callbacks(execute=True):
            run_daily()
        clock.advance(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        summary = run_daily()
    assert summary["no_response"] == 2
    assert set(Referral.objects.values_list("state", flat=True)) == {ReferralState.NO_RESPONSE}
    assert reminders_to(seeded["nla"]).count() == 2
    received.refresh_from_db()
    assert received.state == "feedback_received"


def test_the_officer_gets_one_digest_a_day_without_personal_data(
        received, send_to, clock, officer, django_capture_on_commit_callbacks, mailoutbox):
    send_to(received, "nla", "zorgcoordinator")
    clock.advance(days=15)
    with django_capture_on_commit_callbacks(execute=True):
        run_daily()
        run_daily()
    digests = [m for m in mailoutbox if officer.email in m.to]
    assert len(digests) == 1
    assert received.reference in digests[0].body
    assert "Piet Test" not in digests[0].body and "MELDER-GEHEIM" not in digests[0].body
    clock.advance(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        run_daily()
    assert len([m for m in mailoutbox if officer.email in m.to]) == 2


def test_the_digest_carries_the_days_anchored_head_of_the_processing_log(
        received, send_to, clock, officer, tmp_path, django_capture_on_commit_callbacks,
        mailoutbox):
    from schakel.audit.models import ChainAnchor, ChainHead
    from schakel.audit.verify import Anchor, anchors_in

    send_to(received, "nla", "zorgcoordinator")
    clock.advance(days=15)
    with django_capture_on_commit_callbacks(execute=True):
        run_daily()
    [digest] = [m for m in mailoutbox if officer.email in m.to]
    anchor = ChainAnchor.objects.get()
    assert anchor.line() in digest.body and "Controlewaarde" in digest.body
    assert anchors_in(digest.body) == [Anchor(anchor.seq, anchor.hash)]
    assert 0 < anchor.seq <= ChainHead.objects.get().seq  # deliveries log after it
    saved = tmp_path / "digest.eml"
    saved.write_text(digest.body)
    call_command("audit_verify", "--anchors-from", str(saved))  # intact: no error


def test_the_head_is_anchored_every_day_even_without_a_digest(db, clock):
    from schakel.audit.models import ChainAnchor

    run_daily()
    clock.advance(days=1)
    run_daily()
    run_daily()
    assert ChainAnchor.objects.count() == 2


def test_a_referral_with_feedback_gets_no_reminder(received, send_to, clock, officer):
    from schakel.partners import actions

    [nla, care] = send_to(received, "nla", "zorgcoordinator")
    for r in (nla, care):
        actions.referral_record_feedback(referral=r, actor=officer, outcome="taken_up",
                                         text="Telefonisch besproken", channel="phone")
    clock.advance(days=30)
    assert run_daily() == {"reminded": 0, "no_response": 0, "digests": 0, "retried": 0}


def test_the_daily_job_schedules_itself_once_on_the_database_backend(settings, db, clock):
    from django_tasks_db.models import DBTaskResult

    from schakel.partners.tasks import daily_job, schedule_daily

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert schedule_daily() is True
    assert schedule_daily() is False
    assert DBTaskResult.objects.filter(task_path=daily_job.module_path).count() == 1
