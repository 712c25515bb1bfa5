"""Pages for access requests (officers only): look up, confirm, review, answer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from schakel.accounts.models import Role
from schakel.audit.log import log_processing
from schakel.audit.models import Action, Activity
from schakel.core import clock
from schakel.core.access import require_role
from schakel.core.responses import file_download

from . import access_requests as ar
from .answer import render_answer
from .finding import PLACES, find_everywhere
from .forms import DecisionForm, PersonForm, ReviewForm
from .models import AccessItemKind, AccessRequest, AccessRequestItem
from .names import merge

CONFIRMED_BANDS = {"zeker", "waarschijnlijk"}


@login_required
@never_cache
def access_list(request):
    """Start a request: look the person up (POST, so no name in a URL), confirm the hits."""
    require_role(request.user, Role.OFFICER)
    form = PersonForm(request.POST or None)
    hits = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        hits = find_everywhere(person_name=data["person_name"],
                               date_of_birth=data["date_of_birth"])
        if "confirm" in request.POST:
            chosen = set(request.POST.getlist("hit"))
            new = ar.access_request_start(
                actor=request.user, person_name=data["person_name"],
                date_of_birth=data["date_of_birth"], received_on=data["received_on"],
                hits=[h for h in hits if h.key in chosen])
            messages.success(request, _("Access request %(n)s has been recorded. Review the "
                                        "texts and decide per item what the person may see.")
                             % {"n": new.number})
            return redirect("privacy:access_detail", pk=new.pk)
        log_processing(actor=request.user, activity=Activity.ACCESS_REQUEST,
                       action=Action.READ, subjects=[], purpose="Access request: look-up")
    return render(request, "privacy/access_list.html", {
        "form": form, "hits": hits, "confirmed_bands": CONFIRMED_BANDS,
        "requests": AccessRequest.objects.defer("person_name", "date_of_birth")[:50],
        "show_errors": form.is_bound,
    })


def _status(item) -> str:
    if item.kind in (AccessItemKind.TEXT,) or (item.kind == AccessItemKind.RECORD and item.others):
        if item.reviewed_at is None:
            return _("restricted until reviewed")
    elif item.others and item.decided_by_id is None:
        return _("restricted until reviewed")
    return _("restricted") if item.restricted else _("given")


@login_required
@never_cache
def access_detail(request, pk):
    require_role(request.user, Role.OFFICER)
    access = get_object_or_404(AccessRequest, pk=pk)
    rows = []
    for item in access.items.select_related("signal", "decided_by"):
        attachment = ar.attachment_of(item) if item.kind == AccessItemKind.ATTACHMENT else None
        reviewable = item.kind == AccessItemKind.TEXT or (
            item.kind == AccessItemKind.RECORD and item.others)
        form = None if reviewable or item.kind in (AccessItemKind.NOTES,
                                                   AccessItemKind.FEEDBACK) else DecisionForm(
            prefix=f"i{item.pk}", needs_reason=item.needs_reason, initial={
                "decision": "restrict" if item.restricted else "give", "reason": item.reason,
                "give_reason": item.give_reason})
        label = PLACES[item.place].label if item.place in PLACES else item.get_kind_display()
        if item.kind == AccessItemKind.ATTACHMENT and attachment is None:
            form = None
        rows.append({"item": item, "form": form, "reviewable": reviewable, "label": label,
                     "status": _status(item), "attachment": attachment,
                     "attachment_kind": ar.attachment_kind(attachment) if attachment else ""})
    pending = sum(1 for r in rows if r["status"] == _("restricted until reviewed"))
    enclosed = [r for r in rows if r["attachment"] is not None and not r["item"].restricted
                and r["item"].decided_by_id is not None]
    if any(r["attachment"] is not None for r in rows):
        # The files' names are shown: a read of the signals' data, in the log.
        log_processing(actor=request.user, activity=Activity.ACCESS_REQUEST,
                       action=Action.READ, subjects=sorted({
                           s for r in rows if r["attachment"] is not None
                           for s in r["item"].subject_ids}),
                       purpose="Access request: attachments listed for review")
    return render(request, "privacy/access_detail.html", {
        "access": access, "rows": rows, "pending": pending, "enclosed": enclosed,
        "has_attachments": any(r["item"].kind == AccessItemKind.ATTACHMENT for r in rows)})


@login_required
@require_POST
def access_decide(request, pk, item_pk):
    require_role(request.user, Role.OFFICER)
    item = get_object_or_404(AccessRequestItem, pk=item_pk, request_id=pk)
    form = DecisionForm(request.POST, prefix=f"i{item.pk}", needs_reason=item.needs_reason)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("privacy:access_detail", pk=pk)
    try:
        ar.access_item_decide(item=item, actor=request.user,
                              restricted=form.cleaned_data["decision"] == "restrict",
                              reason=form.cleaned_data["reason"],
                              give_reason=form.cleaned_data.get("give_reason", ""))
    except ar.AccessError:
        messages.error(request, _("This item is given only through the review step."))
        return redirect("privacy:access_detail", pk=pk)
    messages.success(request, _("The decision has been recorded."))
    return redirect("privacy:access_detail", pk=pk)


def _segments(text: str, own, auto, officer) -> list[tuple[str, str]]:
    """The text cut into (kind, part): "own" (the person), "auto"/"officer" (removed), ""."""
    marks = [(s, e, "own") for s, e in own] + [(s, e, "auto") for s, e in merge(auto)] + [
        (s, e, "officer") for s, e in merge(officer)]
    cuts = sorted({0, len(text), *(p for s, e, _k in marks for p in (s, e))})
    out = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        kinds = {k for s, e, k in marks if s <= start and end <= e}
        kind = "officer" if "officer" in kinds else "auto" if "auto" in kinds else (
            "own" if "own" in kinds else "")
        out.append((kind, text[start:end]))
    return out


@login_required
@never_cache
def access_review(request, pk, item_pk):
    """The redaction step of one text: marks, more marks, give or restrict."""
    require_role(request.user, Role.OFFICER)
    item = get_object_or_404(AccessRequestItem.objects.select_related("request", "signal"),
                             pk=item_pk, request_id=pk)
    if not (item.kind == AccessItemKind.TEXT or (item.kind == AccessItemKind.RECORD
                                                 and item.others)):
        return redirect("privacy:access_detail", pk=pk)
    text = ar.item_text(item)
    form = ReviewForm(request.POST or None, needs_reason=item.needs_reason, initial={
        "decision": "restrict" if item.restricted and item.reviewed_at else "give",
        "reason": item.reason, "give_reason": item.give_reason})
    if request.method == "POST" and form.is_valid():
        extra = [tuple(s) for s in item.redactions] if ar.is_reviewed(item, text) else []
        extra += ar.spans_of_phrases(text, form.phrases())
        ar.access_item_review(item=item, actor=request.user, extra_spans=extra,
                              restricted=form.cleaned_data["decision"] == "restrict",
                              reason=form.cleaned_data["reason"],
                              give_reason=form.cleaned_data.get("give_reason", ""))
        messages.success(request, _("The review has been recorded."))
        return redirect("privacy:access_detail", pk=pk)
    log_processing(actor=request.user, activity=Activity.ACCESS_REQUEST, action=Action.READ,
                   obj=item.signal, subjects=item.subject_ids,
                   purpose="Access request: review of a text")
    officer = [tuple(s) for s in item.redactions] if ar.is_reviewed(item, text) else []
    return render(request, "privacy/access_review.html", {
        "access": item.request, "item": item, "form": form, "show_errors": form.is_bound,
        "label": PLACES[item.place].label if item.place in PLACES else item.get_kind_display(),
        "segments": _segments(text, ar.own_spans(item, text), ar.auto_spans(item, text),
                              officer),
    }, status=400 if form.is_bound else 200)


@login_required
@never_cache
def access_attachment(request, pk, item_pk):
    """An included file, delivered beside the answer the same way: a download for the
    officer, no-store, logged. A file left out (or gone) is not found."""
    require_role(request.user, Role.OFFICER)
    item = get_object_or_404(AccessRequestItem.objects.select_related("signal"),
                             pk=item_pk, request_id=pk, kind=AccessItemKind.ATTACHMENT)
    try:
        attachment, contents = ar.attachment_deliver(item=item, actor=request.user)
    except (ar.AccessError, FileNotFoundError):
        raise Http404 from None
    return file_download(contents, content_type=attachment.content_type,
                         name=attachment.name)


@login_required
@never_cache
def access_answer(request, pk):
    require_role(request.user, Role.OFFICER)
    access = get_object_or_404(AccessRequest, pk=pk)
    pdf = render_answer(access, actor=request.user)
    if access.completed_at is None:
        AccessRequest.objects.filter(pk=pk).update(completed_at=clock.now())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{access.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
