"""The region's pages: the ketenregisseur's picture, its report, the agenda; the
administrator's list of municipalities with their tokens. Only on the region's
installation (settings.SCHAKEL["REGION"]); everywhere else, and for every other role,
they answer 404. No page fetches anything: the button queues a task."""


from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from schakel.accounts.models import Role
from schakel.audit.log import log_processing
from schakel.audit.models import Action, Activity
from schakel.core.access import require_role
from schakel.core.error_summary import error_summary
from schakel.core.responses import allow_own_stylesheet, file_download

from . import actions, report, tasks
from .forms import TokenForm
from .models import AgendaItem, Municipality


def _region(user, *roles) -> None:
    if not settings.SCHAKEL.get("REGION"):
        raise Http404
    require_role(user, *roles)
    actions.municipalities_sync(settings.SCHAKEL["REGION"])


@login_required
def overview(request):
    _region(request.user, Role.REGION)
    ctx = report.picture(request.GET.get("kwartaal"))
    return render(request, "region/overview.html", ctx)


@require_POST
@login_required
def fetch(request):
    _region(request.user, Role.REGION, Role.ADMIN)
    if tasks.request_fetch():
        messages.success(request, _("The figures are being fetched. Reload the page in a "
                                    "minute."))
    else:
        messages.info(request, _("A fetch is already waiting to run."))
    return redirect("region:municipalities" if request.user.role == Role.ADMIN
                    else "region:overview")


def _logged(request, fmt: str) -> dict:
    ctx = report.picture(request.GET.get("kwartaal"))
    log_processing(actor=request.user, activity=Activity.REPORT, action=Action.READ,
                   subjects=[], purpose=f"Regionale rapportage ({fmt})",
                   changes={"format": fmt, "quarter": ctx["quarter"]})
    return ctx




@login_required
def document(request):
    _region(request.user, Role.REGION)
    html = report.document_html(_logged(request, "html"), for_pdf=False)
    response = HttpResponse(html)
    response["Cache-Control"] = "private, no-store"
    allow_own_stylesheet(response, html)
    return response


@login_required
def document_pdf(request):
    _region(request.user, Role.REGION)
    return file_download(report.document_pdf(_logged(request, "pdf")),
                         content_type="application/pdf", name="regionaal-beeld.pdf")


@login_required
def document_csv(request):
    _region(request.user, Role.REGION)
    return file_download(report.document_csv(_logged(request, "csv")),
                         content_type="text/csv; charset=utf-8", name="regionaal-beeld.csv")


@login_required
def agenda(request):
    _region(request.user, Role.REGION)
    items = list(AgendaItem.objects.select_related("municipality"))
    log_processing(actor=request.user, activity=Activity.DISCUSS, action=Action.READ,
                   subjects=[], purpose="Agenda van het regionaal overleg bekeken",
                   changes={"items": len(items)})
    return render(request, "region/agenda.html", {
        "items": items, "municipalities": Municipality.objects.filter(active=True)})


@login_required
def municipalities(request):
    _region(request.user, Role.ADMIN)
    return render(request, "region/municipalities.html", {
        "municipalities": Municipality.objects.filter(active=True), "form": TokenForm()})


@login_required
def municipality_token(request, pk):
    _region(request.user, Role.ADMIN)
    municipality = get_object_or_404(Municipality, pk=pk, active=True)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.municipality_token_set(actor=request.user, municipality=municipality,
                                           token=form.cleaned_data["token"])
        except actions.RegionError as exc:
            form.add_error("token", exc.message)
        else:
            messages.success(request, _("The token is stored encrypted."))
            return redirect("region:municipalities")
    return render(request, "region/token.html", {
        "municipality": municipality, "form": form, "errors": error_summary(form)})
