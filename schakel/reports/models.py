"""Council reports (raadsrapportage, plan §3.5): drafts, and final versions kept unchanged.

A report belongs to a year. A draft holds the policy role's texts and, once
rendered, a snapshot of the anonymised figures and the three files made from
it (HTML, PDF, CSV). Finalising renders the files once more from that same
snapshot, marked final; from then on the report and its files cannot change
or be deleted. A new draft for the same year may follow.
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from schakel.accounts.models import Role

REPORT_ROLES = (Role.OFFICER, Role.POLICY)
# A render still queued or running after this long is taken to have been lost.
STALE_AFTER = timedelta(minutes=10)


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Final")


class RenderState(models.TextChoices):
    IDLE = "idle", _("Not rendered yet")
    QUEUED = "queued", _("Waiting to be rendered")
    RUNNING = "running", _("Being rendered")
    DONE = "done", _("Rendered")
    FAILED = "failed", _("Rendering failed")


class FileFormat(models.TextChoices):
    HTML = "html", "HTML"
    PDF = "pdf", "PDF"
    CSV = "csv", "CSV"


CONTENT_TYPES = {
    FileFormat.HTML: "text/html; charset=utf-8",
    FileFormat.PDF: "application/pdf",
    FileFormat.CSV: "text/csv; charset=utf-8",
}


class FinalReportError(Exception):
    """A final report, or one of its files, cannot be changed or deleted."""


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        if user.is_authenticated and user.is_active and user.role in REPORT_ROLES:
            return self
        return self.none()


class Report(models.Model):
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus,
                              default=ReportStatus.DRAFT)
    # Raised by every change of the texts; the render that matches it may be finalised.
    version = models.PositiveIntegerField(default=1)
    introduction = models.TextField(_("introduction"), blank=True)
    # The policy role's short text per pillar: {"1": "…", "2": "…"} by pillar number.
    pillar_texts = models.JSONField(default=dict, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)

    # The anonymised figures the files were made from (suppression applied).
    figures = models.JSONField(null=True, blank=True)
    figures_at = models.DateTimeField(null=True, blank=True)
    rendered_version = models.PositiveIntegerField(null=True, blank=True)

    render_state = models.CharField(max_length=10, choices=RenderState,
                                    default=RenderState.IDLE)
    progress = models.PositiveSmallIntegerField(default=0)
    progress_step = models.CharField(max_length=100, blank=True)
    render_requested_at = models.DateTimeField(null=True, blank=True)
    render_error = models.CharField(max_length=200, blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    finalised_at = models.DateTimeField(null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-created_at", "-id"]
        constraints = [
            # At most one draft per year at a time; final versions accumulate.
            models.UniqueConstraint(fields=["year"], condition=Q(status="draft"),
                                    name="reports_one_draft_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year} ({self.get_status_display()})"

    @property
    def is_final(self) -> bool:
        return self.status == ReportStatus.FINAL

    @property
    def is_rendering(self) -> bool:
        return self.render_state in (RenderState.QUEUED, RenderState.RUNNING)

    @property
    def render_stale(self) -> bool:
        """Queued or running for so long that the worker must have stopped: may be retried."""
        from schakel.core import clock

        return (self.is_rendering and self.render_requested_at is not None
                and clock.now() - self.render_requested_at > STALE_AFTER)

    @property
    def can_finalise(self) -> bool:
        return (self.status == ReportStatus.DRAFT and self.render_state == RenderState.DONE
                and self.rendered_version == self.version and self.figures is not None)

    def delete(self, *args, **kwargs):
        if self.is_final or Report.objects.filter(pk=self.pk, status=ReportStatus.FINAL).exists():
            raise FinalReportError("A final council report is kept permanently.")
        return super().delete(*args, **kwargs)


class ReportFile(models.Model):
    """The bytes of one rendered format. A final report's files are written once."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="files")
    format = models.CharField(max_length=4, choices=FileFormat)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "format"],
                                               name="reports_one_file_per_format")]

    def __str__(self) -> str:
        return f"{self.report} {self.format}"

    def save(self, *args, **kwargs):
        if not self._state.adding and self._report_is_final():
            raise FinalReportError("The files of a final council report are never changed.")
        self.size = len(self.content)
        self.sha256 = hashlib.sha256(bytes(self.content)).hexdigest()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._report_is_final():
            raise FinalReportError("The files of a final council report are kept permanently.")
        return super().delete(*args, **kwargs)

    def _report_is_final(self) -> bool:
        return Report.objects.filter(pk=self.report_id, status=ReportStatus.FINAL).exists()

    @property
    def filename(self) -> str:
        status = "definitief" if self.report.is_final else "concept"
        return (f"raadsrapportage-mensenhandel-{self.report.year}-{status}-{self.report_id}"
                f".{self.format}")
