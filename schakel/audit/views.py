
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from schakel.accounts.models import Role
from schakel.core.access import require_role
from schakel.core.keyset import keyset_page

from .forms import LogSearchForm
from .log import log_processing
from .models import Action, Activity
from .references import object_names
from .register import REGISTER
from .search import search_records


@login_required
def register(request):
    require_role(request.user, Role.OFFICER)
    rows = [(activity, purpose, bases) for activity, (purpose, bases) in REGISTER.items()]
    return render(request, "audit/register.html", {"rows": rows})


def _short(text: str, length: int) -> str:
    """`text` cut to `length` characters, the last an ellipsis (the filter `truncatechars`)."""
    return text if len(text) <= length else text[:length - 1] + "…"


@login_required
def search(request):
    """Who saw signal X, what did user Y open, everything about data subject Z."""
    require_role(request.user, Role.OFFICER)
    form = LogSearchForm(request.GET or None)
    page = None
    if form.is_valid():
        data = form.cleaned_data
        records = search_records(data)
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
            # As `truncatechars` writes them, which cost 2.5 ms for the page's 100.
            r.subject_short, r.trace_short = _short(r.data_subject, 13), _short(r.trace_id, 9)
    query = request.GET.copy()
    for name in ("page", "before", "after"):
        query.pop(name, None)
    return render(request, "audit/search.html", {
        "form": form, "page": page, "querystring": query.urlencode(),
        "show_errors": form.is_bound,
    })
