"""Drafting, rendering, finalising: the actions, their audit rows, and what stays unchanged."""

import pytest

from schakel.audit.models import AuditEvent
from schakel.reports import actions
from schakel.reports.models import FinalReportError, RenderState, Report, ReportFile, ReportStatus
from schakel.reports.tasks import render_now

pytestmark = pytest.mark.django_db


@pytest.fixture
def immediate_tasks(settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    return django_capture_on_commit_callbacks


def _audited(report, action):
    return AuditEvent.objects.filter(object_type="reports.report", object_id=str(report.pk),
                                     action=action, actor_role="policy").exists()


def test_a_draft_is_made_and_rendered_in_the_background(policy, immediate_tasks):
    with immediate_tasks(execute=True):
        report = actions.report_draft(actor=policy, year=2025)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert report.render_state == RenderState.DONE
    assert report.progress == 100
    assert sorted(report.files.values_list("format", flat=True)) == ["csv", "html", "pdf"]
    assert report.figures["year"] == 2025
    assert _audited(report, "create")


def test_only_one_draft_per_year(policy, immediate_tasks):
    with immediate_tasks(execute=False):
        actions.report_draft(actor=policy, year=2025)
        with pytest.raises(actions.ReportError):
            actions.report_draft(actor=policy, year=2025)
        actions.report_draft(actor=policy, year=2024)


def test_officers_do_not_draft(officer):
    with pytest.raises(actions.ReportError):
        actions.report_draft(actor=officer, year=2025)


def test_changed_texts_must_be_rendered_before_finalising(policy, immediate_tasks):
    with immediate_tasks(execute=True):
        report = actions.report_draft(actor=policy, year=2025)
    report = actions.report_update_texts(actor=policy, report=report,
                                         introduction="Nieuwe inleiding",
                                         pillar_texts={"1": "Tekst"}, conclusion="")
    assert _audited(report, "update")
    assert not report.can_finalise
    with pytest.raises(actions.ReportError):
        actions.report_finalise(actor=policy, report=report, expected_version=report.version)
    with immediate_tasks(execute=True):
        actions.report_render(actor=policy, report=report)
    report.refresh_from_db()
    assert report.can_finalise
    assert "Nieuwe inleiding" in bytes(report.files.get(format="html").content).decode()


def test_finalising_keeps_the_figures_and_writes_the_files_once(policy, immediate_tasks,
                                                                 signal_at):
    from .conftest import at

    with immediate_tasks(execute=True):
        report = actions.report_draft(actor=policy, year=2025)
    report.refresh_from_db()
    figures = report.figures
    signal_at(at(2025, 5, 1))  # a late signal does not change what was checked
    with immediate_tasks(execute=True):
        report = actions.report_finalise(actor=policy, report=report,
                                         expected_version=report.version)
    report.refresh_from_db()
    assert report.status == ReportStatus.FINAL
    assert report.finalised_by == policy
    assert report.figures == figures
    html = report.files.get(format="html")
    assert "Definitieve versie" in bytes(html.content).decode()
    assert AuditEvent.objects.filter(object_id=str(report.pk),
                                     changes__status=["draft", "final"]).exists()
    before = {f.format: f.sha256 for f in report.files.all()}
    assert render_now(report.pk) == "unchanged"  # running the task again changes nothing
    assert {f.format: f.sha256 for f in report.files.all()} == before


def test_a_final_report_and_its_files_can_be_neither_changed_nor_deleted(policy,
                                                                         immediate_tasks):
    with immediate_tasks(execute=True):
        report = actions.report_draft(actor=policy, year=2025)
    report.refresh_from_db()
    with immediate_tasks(execute=True):
        report = actions.report_finalise(actor=policy, report=report,
                                         expected_version=report.version)
    stored = ReportFile.objects.get(report=report, format="pdf")
    stored.content = b"changed"
    with pytest.raises(FinalReportError):
        stored.save()
    with pytest.raises(FinalReportError):
        stored.delete()
    with pytest.raises(FinalReportError):
        Report.objects.get(pk=report.pk).delete()
    with pytest.raises(actions.ReportError):
        actions.report_update_texts(actor=policy, report=report, introduction="x",
                                    pillar_texts={}, conclusion="")
    with pytest.raises(actions.ReportError):
        actions.report_render(actor=policy, report=report)


def test_a_new_draft_can_follow_a_final_one_with_its_texts(policy, immediate_tasks):
    with immediate_tasks(execute=True):
        report = actions.report_draft(actor=policy, year=2025)
    report = actions.report_update_texts(actor=policy, report=report, introduction="Inleiding",
                                         pillar_texts={"2": "Meldroute"}, conclusion="Slot")
    with immediate_tasks(execute=True):
        actions.report_render(actor=policy, report=report)
    report.refresh_from_db()
    with immediate_tasks(execute=True):
        actions.report_finalise(actor=policy, report=report, expected_version=report.version)
    with immediate_tasks(execute=False):
        second = actions.report_draft(actor=policy, year=2025)
    assert second.pk != report.pk
    assert (second.introduction, second.pillar_texts, second.conclusion) == (
        "Inleiding", {"2": "Meldroute"}, "Slot")
    assert Report.objects.filter(year=2025, status="final").count() == 1


def test_a_failed_render_is_shown_and_can_be_tried_again(policy, immediate_tasks, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("schakel.reports.render.render_pdf", broken)
    with immediate_tasks(execute=True):
        report = actions.report_draft(actor=policy, year=2025)
    report.refresh_from_db()
    assert report.render_state == RenderState.FAILED
    assert report.render_error == "RuntimeError"
    monkeypatch.undo()
    with immediate_tasks(execute=True):
        actions.report_retry(actor=policy, report=report)
    report.refresh_from_db()
    assert report.render_state == RenderState.DONE


def test_a_render_lost_for_ten_minutes_can_be_tried_again(policy, immediate_tasks,
                                                          monkeypatch):
    from datetime import timedelta

    from schakel.core import clock

    with immediate_tasks(execute=False):
        report = actions.report_draft(actor=policy, year=2025)
    actions.report_retry(actor=policy, report=report)
    assert report.render_state == RenderState.QUEUED and not report.render_stale
    later = clock.now() + timedelta(minutes=11)
    monkeypatch.setattr("schakel.core.clock.now", lambda: later)
    assert report.render_stale
    with immediate_tasks(execute=True):
        actions.report_retry(actor=policy, report=report)
    report.refresh_from_db()
    assert report.render_state == RenderState.DONE
