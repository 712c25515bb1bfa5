"""Rendering a council report in the background (Django's tasks framework).

`render_report` is idempotent: a draft is simply rendered again (same data, same
result); a final report whose files exist is left alone. It is also run by
`manage.py reports_render`.
"""

import logging

from django.db import transaction
from django.tasks import task
from django.utils import translation

from schakel.core import clock

from . import figures as fig
from . import render
from .models import FileFormat, RenderState, Report, ReportFile, ReportStatus

logger = logging.getLogger(__name__)


def _progress(report_id: int, percent: int, step: str, **extra) -> None:
    # A plain update outside any transaction, so the progress page sees it at once.
    Report.objects.filter(pk=report_id).update(progress=percent, progress_step=step, **extra)


def render_now(report_id: int) -> str:
    """Compute (for a draft) the figures and write the three files. Returns the outcome."""
    report = Report.objects.filter(pk=report_id).first()
    if report is None:
        return "missing"
    final = report.status == ReportStatus.FINAL
    if final and report.files.count() == len(FileFormat):
        return "unchanged"
    version = report.version
    _progress(report_id, 5, "figures", render_state=RenderState.RUNNING, render_error="")
    try:
        if final:
            figures = report.figures
        else:
            with translation.override(render.language()):
                figures = fig.council_figures(report.year)
            report.figures, report.figures_at = figures, clock.now()
            Report.objects.filter(pk=report_id).update(figures=figures,
                                                       figures_at=report.figures_at)
        _progress(report_id, 30, "html")
        html = render.render_html(report, figures, final=final).encode("utf-8")
        _progress(report_id, 45, "csv")
        csv = render.render_csv(report, figures, final=final)
        _progress(report_id, 55, "pdf")
        pdf = render.render_pdf(report, figures, final=final)
        _progress(report_id, 95, "store")
        now = clock.now()
        with transaction.atomic():
            current = Report.objects.select_for_update().get(pk=report_id)
            if current.status != report.status:
                # Finalised while this draft render ran: the final render takes over.
                return "superseded"
            if final and current.files.exists():
                return "unchanged"
            if not final:
                ReportFile.objects.filter(report=current).delete()
            for fmt, content in ((FileFormat.HTML, html), (FileFormat.CSV, csv),
                                 (FileFormat.PDF, pdf)):
                ReportFile(report=current, format=fmt, content=content, created_at=now).save()
            Report.objects.filter(pk=report_id).update(
                render_state=RenderState.DONE, progress=100, progress_step="done",
                rendered_version=version)
    except Exception as exc:  # the page shows that it failed; the log has the details
        logger.exception("report %s: rendering failed", report_id)
        _progress(report_id, 0, "failed", render_state=RenderState.FAILED,
                  render_error=exc.__class__.__name__[:200])
        raise
    logger.info("report %s: rendered (%s)", report_id, "final" if final else "draft")
    return "rendered"


@task()
def render_report(report_id: int) -> str:
    return render_now(report_id)
