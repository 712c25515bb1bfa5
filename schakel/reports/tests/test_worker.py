"""The real background path: the action queues a task, `db_worker` renders it."""

import pytest
from django.core.management import call_command

from schakel.reports import actions
from schakel.reports.models import RenderState, Report


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_renders_a_queued_draft(policy):
    report = actions.report_draft(actor=policy, year=2025)
    assert Report.objects.get(pk=report.pk).render_state == RenderState.QUEUED
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    report.refresh_from_db()
    assert report.render_state == RenderState.DONE
    assert report.files.count() == 3


@pytest.mark.django_db
def test_the_command_renders_a_report_now(policy, capsys):
    from schakel.core import clock

    report = Report.objects.create(year=2025, created_at=clock.now())
    call_command("reports_render", str(report.pk))
    assert capsys.readouterr().out.strip() == "rendered"
    assert report.files.count() == 3
