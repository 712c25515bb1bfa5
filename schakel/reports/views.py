"""Dashboard and council reports: thin views, 404 for every role but officer and policy."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from schakel.accounts.models import Role
from schakel.core.responses import allow_own_stylesheet

from . import actions, dashboard
from .figures import _model
from .forms import DraftForm, TextsForm
from .models import CONTENT_TYPES, REPORT_ROLES, FileFormat, Report, ReportFile


def _require_report_role(user):
    if user.role not in REPORT_ROLES:
        raise Http404


def _get_report(user, pk) -> Report:
    report = Report.objects.visible_to(user).filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


def _pillars():
    Pillar = _model("plan.Pillar")
    return list(Pillar.objects.values_list("number", "title")) if Pillar else []


@login_required
def dashboard_view(request):
    _require_report_role(request.user)
    return render(request, "reports/dashboard.html", dashboard.context(request.user))


@login_required
def report_list(request):
    _require_report_role(request.user)
    reports = Report.objects.visible_to(request.user).select_related("created_by", "finalised_by")
    form = DraftForm(request.POST or None)
    if request.method == "POST":
        if request.user.role != Role.POLICY:
            raise Http404
        if form.is_valid():
            try:
                report = actions.report_draft(actor=request.user, year=form.cleaned_data["year"])
            except actions.ReportError as exc:
                form.add_error("year", exc.message)
            else:
                messages.success(request, _("The draft is being made."))
                return redirect("reports:detail", pk=report.pk)
    return render(request, "reports/list.html", {"reports": reports, "form": form,
                                                 "show_errors": form.is_bound})


@login_required
def report_detail(request, pk):
    _require_report_role(request.user)
    report = _get_report(request.user, pk)
    editable = request.user.role == Role.POLICY and not report.is_final
    form = TextsForm(request.POST if request.method == "POST" else None, pillars=_pillars(),
                     report=report)
    if request.method == "POST":
        if not editable:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            actions.report_update_texts(actor=request.user, report=report,
                                        introduction=data["introduction"],
                                        pillar_texts=form.pillar_texts(),
                                        conclusion=data["conclusion"])
            if "render" in request.POST:
                actions.report_render(actor=request.user, report=report)
                messages.success(request, _("The texts are saved; the draft is being made again."))
            else:
                messages.success(request, _("The texts are saved. Make the draft again to see "
                                            "them in the files."))
            return redirect("reports:detail", pk=report.pk)
        messages.error(request, _("The texts have not been saved: check the fields below."))
    files = {f.format: f for f in ReportFile.objects.filter(report=report).defer("content")}
    return render(request, "reports/detail.html", {
        "report": report, "form": form, "editable": editable, "files": files,
        "show_errors": form.is_bound, "later_drafts": Report.objects.filter(
            year=report.year, status="draft").exclude(pk=report.pk).first(),
    })


@login_required
def report_progress(request, pk):
    """The progress fragment that htmx polls; when done the whole page is loaded again."""
    _require_report_role(request.user)
    report = _get_report(request.user, pk)
    response = render(request, "reports/_progress.html", {"report": report})
    if not report.is_rendering and request.htmx:
        response["HX-Refresh"] = "true"
    return response


def _step(action_name):
    @login_required
    @require_POST
    def view(request, pk):
        _require_report_role(request.user)
        report = _get_report(request.user, pk)
        if request.user.role != Role.POLICY:
            raise Http404
        try:
            if action_name == "finalise":
                try:
                    version = int(request.POST.get("version", ""))
                except ValueError:
                    version = -1
                actions.report_finalise(actor=request.user, report=report,
                                        expected_version=version)
                messages.success(request, _("The report is final. Its files are being made "
                                            "once more and then kept unchanged."))
            elif action_name == "render":
                actions.report_render(actor=request.user, report=report)
            else:
                actions.report_retry(actor=request.user, report=report)
        except actions.ReportError as exc:
            messages.error(request, exc.message)
        return redirect("reports:detail", pk=report.pk)

    view.__name__ = f"report_{action_name}"
    return view


report_finalise = _step("finalise")
report_render = _step("render")
report_retry = _step("retry")



@login_required
def report_file(request, pk, fmt):
    """The stored bytes of a rendered format, exactly as they were written."""
    _require_report_role(request.user)
    report = _get_report(request.user, pk)
    if fmt not in FileFormat.values:
        raise Http404
    stored = ReportFile.objects.filter(report=report, format=fmt).select_related("report").first()
    if stored is None:
        raise Http404
    content = bytes(stored.content)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    disposition = "inline" if fmt == FileFormat.HTML and "download" not in request.GET \
        else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{stored.filename}"'
    response["Cache-Control"] = "private, no-store"
    if fmt == FileFormat.HTML:
        allow_own_stylesheet(response, content)
    return response
