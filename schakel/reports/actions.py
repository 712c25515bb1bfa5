"""The domain actions of council reports, one function per step."""

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from schakel.accounts.models import Role
from schakel.audit.log import log_processing
from schakel.audit.models import Action, Activity
from schakel.core import clock

from .models import STALE_AFTER, RenderState, Report, ReportFile, ReportStatus


class ReportError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _require_policy(actor):
    if actor.role != Role.POLICY:
        raise ReportError(_("Only the policy officer drafts and finalises council reports."))


def _enqueue(report: Report) -> None:
    from .tasks import render_report

    transaction.on_commit(lambda: render_report.enqueue(report.pk))


@transaction.atomic
def report_draft(*, actor, year: int) -> Report:
    """Start a draft for a year (texts taken over from the year's latest report) and render it."""
    _require_policy(actor)
    if Report.objects.filter(year=year, status=ReportStatus.DRAFT).exists():
        raise ReportError(_("There is already a draft for %(year)s.") % {"year": year})
    previous = Report.objects.filter(year=year).order_by("-created_at", "-id").first()
    now = clock.now()
    try:
        with transaction.atomic():
            report = Report.objects.create(
                year=year, created_by=actor, created_at=now,
                introduction=previous.introduction if previous else "",
                pillar_texts=previous.pillar_texts if previous else {},
                conclusion=previous.conclusion if previous else "",
                render_state=RenderState.QUEUED, render_requested_at=now,
            )
    except IntegrityError:
        raise ReportError(_("There is already a draft for %(year)s.") % {"year": year}) from None
    log_processing(actor=actor, activity=Activity.REPORT, action=Action.CREATE, obj=report,
                   subjects=[])
    _enqueue(report)
    return report


@transaction.atomic
def report_update_texts(*, actor, report: Report, introduction: str, pillar_texts: dict,
                        conclusion: str) -> Report:
    """Save the policy role's texts of a draft; it must be rendered again before finalising."""
    _require_policy(actor)
    texts = {str(k): v.strip() for k, v in pillar_texts.items() if v and v.strip()}
    updated = Report.objects.filter(pk=report.pk, status=ReportStatus.DRAFT).update(
        introduction=introduction.strip(), pillar_texts=texts, conclusion=conclusion.strip(),
        version=F("version") + 1)
    if updated != 1:
        raise ReportError(_("A final report cannot be changed. Start a new draft."))
    log_processing(actor=actor, activity=Activity.REPORT, action=Action.UPDATE, obj=report,
                   subjects=[])
    report.refresh_from_db()
    return report


@transaction.atomic
def report_render(*, actor, report: Report) -> Report:
    """Render a draft again in the background, with today's figures and the current texts."""
    _require_policy(actor)
    updated = (Report.objects.filter(pk=report.pk, status=ReportStatus.DRAFT)
               .exclude(render_state__in=(RenderState.QUEUED, RenderState.RUNNING))
               .update(render_state=RenderState.QUEUED, progress=0, progress_step="",
                       render_requested_at=clock.now(), render_error=""))
    report.refresh_from_db()
    if updated == 1:
        log_processing(actor=actor, activity=Activity.REPORT, action=Action.READ, obj=report,
                       subjects=[])
        _enqueue(report)
    elif report.status != ReportStatus.DRAFT:
        raise ReportError(_("A final report cannot be changed. Start a new draft."))
    return report


@transaction.atomic
def report_finalise(*, actor, report: Report, expected_version: int) -> Report:
    """Make the draft final: its figures are kept as they are and the files are made once more,
    marked final, then never changed. The draft's files make way for them."""
    _require_policy(actor)
    current = Report.objects.select_for_update().get(pk=report.pk)
    if current.status != ReportStatus.DRAFT:
        raise ReportError(_("This report is already final."))
    if not current.can_finalise or current.version != expected_version:
        raise ReportError(_("Render the draft with its latest texts and check it before "
                            "finalising."))
    ReportFile.objects.filter(report=current).delete()
    now = clock.now()
    Report.objects.filter(pk=current.pk).update(
        status=ReportStatus.FINAL, finalised_by=actor, finalised_at=now,
        render_state=RenderState.QUEUED, progress=0, progress_step="",
        render_requested_at=now)
    log_processing(actor=actor, activity=Activity.REPORT, action=Action.UPDATE, obj=current,
                   subjects=[], changes={"status": [ReportStatus.DRAFT, ReportStatus.FINAL]})
    current.refresh_from_db()
    _enqueue(current)
    return current


@transaction.atomic
def report_retry(*, actor, report: Report) -> Report:
    """A render that failed, or was lost (no worker for ten minutes), is queued again; a final
    report's files are then made once."""
    _require_policy(actor)
    stale = Q(render_state__in=(RenderState.QUEUED, RenderState.RUNNING),
              render_requested_at__lt=clock.now() - STALE_AFTER)
    updated = Report.objects.filter(Q(render_state=RenderState.FAILED) | stale,
                                    pk=report.pk).update(
        render_state=RenderState.QUEUED, progress=0, progress_step="", render_error="",
        render_requested_at=clock.now())
    report.refresh_from_db()
    if updated == 1:
        _enqueue(report)
    return report
