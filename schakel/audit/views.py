from datetime import datetime, time, timedelta

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from schakel.accounts.models import Role
from schakel.core.access import require_role
from schakel.core.keyset import keyset_page

from .forms import LogSearchForm
from .log import log_processing
from .models import Action, Activity, ProcessingRecord
from .references import object_names, resolve_reference
from .register import REGISTER


@login_required
def register(request):
    require_role(request.user, Role.OFFICER)
    rows = [(activity, purpose, bases) for activity, (purpose, bases) in REGISTER.items()]
    return render(request, "audit/register.html", {"rows": rows})


@login_required
def search(request):
    """Who saw signal X, what did user Y open, everything about data subject Z."""
    require_role(request.user, Role.OFFICER)
    form = LogSearchForm(request.GET or None)
    page = None
    if form.is_valid():
        data = form.cleaned_data
        records = ProcessingRecord.objects.select_related("audit")
        if data["reference"]:
            object_type, object_id = resolve_reference(data["reference"]) or ("-", "-")
            records = records.filter(audit__object_type=object_type, audit__object_id=object_id)
        if data["user"]:
            records = records.filter(actor_pk=data["user"].pk)
        if data["subject"]:
            records = records.filter(data_subject=str(data["subject"]))
        tz = timezone.get_current_timezone()
        if data["date_from"]:
            records = records.filter(
                ended_at__gte=datetime.combine(data["date_from"], time.min, tzinfo=tz))
        if data["date_to"]:
            records = records.filter(
                ended_at__lt=datetime.combine(data["date_to"] + timedelta(days=1), time.min,
                                              tzinfo=tz))
        # Newest first, 50 at a time by the record number: no count of a user's
        # million records, and any page as fast as the first.
        page = keyset_page(records, request.GET, key="seq", size=50)
        log_processing(actor=request.user, activity=Activity.LOG_SEARCH, action=Action.READ,
                       subjects=[str(data["subject"])] if data["subject"] else None)
    if page is not None:
        names = object_names((r.audit.object_type, r.audit.object_id) for r in page)
        roles = dict(Role.choices)
        for r in page:
            r.object_name = names.get((r.audit.object_type, r.audit.object_id), "")
            r.role_label = roles.get(r.audit.actor_role, r.audit.actor_role)
    query = request.GET.copy()
    for name in ("page", "before", "after"):
        query.pop(name, None)
    return render(request, "audit/search.html", {
        "form": form, "page": page, "querystring": query.urlencode(),
        "show_errors": form.is_bound,
    })
