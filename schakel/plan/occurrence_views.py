"""Thin views of the plan's moments: mark done, skip, plan again, move, link a record.

Officer and policy only (404 for everyone else, through `Occurrence.objects.visible_to`).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from schakel.core import clock

from . import actions
from .forms import (
    OccurrenceDoneForm,
    OccurrenceDueForm,
    OccurrenceLinkForm,
    OccurrenceSkipForm,
    UploadForm,
)
from .linking import linkable_records
from .models import Meeting, Occurrence


def _occurrence_for(user, pk):
    return get_object_or_404(Occurrence.objects.visible_to(user)
                             .select_related("action", "action__pillar", "recorded_by"), pk=pk)


@login_required
def occurrence_detail(request, pk, forms=None):
    user = request.user
    occurrence = _occurrence_for(user, pk)
    forms = forms or {}
    today = clock.now().date()
    linkable = linkable_records(occurrence)
    context = {
        "occ": occurrence,
        "done_form": forms.get("done") or OccurrenceDoneForm(initial={
            "done_on": occurrence.done_on or min(occurrence.due or today, today),
            "participants": occurrence.participants, "notes": occurrence.notes}),
        "link_form": forms.get("link") or OccurrenceLinkForm(choices=linkable.choices()),
        "can_link": linkable.model is not None,
        "history": occurrence.events.select_related("actor"),
        "skip_form": forms.get("skip") or OccurrenceSkipForm(),
        "due_form": forms.get("due") or OccurrenceDueForm(initial={"due": occurrence.due}),
        "upload_form": forms.get("upload") or UploadForm(),
        "attachments": occurrence.attachments.all(),
        "upload_url": reverse("plan:occurrence_upload", args=[occurrence.pk]),
        "records": _records_of(occurrence),
    }
    return render(request, "plan/occurrence_detail.html", context,
                  status=400 if forms else 200)


def _records_of(occurrence):
    records = []
    meeting = Meeting.objects.filter(occurrence=occurrence).first()
    if meeting:
        records.append((meeting, reverse("plan:meeting", args=[meeting.pk])))
    records += [(c, reverse("plan:control", args=[c.pk])) for c in occurrence.controls.all()]
    records += [(t, reverse("plan:training_edit", args=[t.pk]))
                for t in occurrence.trainings.all()]
    records += [(c, reverse("plan:campaign_edit", args=[c.pk]))
                for c in occurrence.campaigns.all()]
    return records


@login_required
@require_POST
def occurrence_done(request, pk):
    occurrence = _occurrence_for(request.user, pk)
    form = OccurrenceDoneForm(request.POST)
    if not form.is_valid():
        return occurrence_detail(request, pk, forms={"done": form})
    actions.occurrence_complete(occurrence=occurrence, actor=request.user, **form.cleaned_data)
    messages.success(request, _("Marked as done."))
    return redirect("plan:occurrence", pk=pk)


@login_required
@require_POST
def occurrence_skip(request, pk):
    occurrence = _occurrence_for(request.user, pk)
    form = OccurrenceSkipForm(request.POST)
    if not form.is_valid():
        return occurrence_detail(request, pk, forms={"skip": form})
    actions.occurrence_skip(occurrence=occurrence, actor=request.user,
                            reason=form.cleaned_data["reason"])
    messages.success(request, _("Marked as skipped."))
    return redirect("plan:occurrence", pk=pk)


@login_required
@require_POST
def occurrence_link(request, pk):
    occurrence = _occurrence_for(request.user, pk)
    linkable = linkable_records(occurrence)
    form = OccurrenceLinkForm(request.POST, choices=linkable.choices())
    record = linkable.resolve(request.POST.get("record", "")) if form.is_valid() else None
    if record is None:
        if form.is_valid():
            form.add_error("record", _("Choose one of the records listed."))
        return occurrence_detail(request, pk, forms={"link": form})
    actions.occurrence_link(occurrence=occurrence, record=record, actor=request.user)
    messages.success(request, _("The record has been linked to this moment."))
    return redirect("plan:occurrence", pk=pk)


@login_required
@require_POST
def occurrence_reopen(request, pk):
    occurrence = _occurrence_for(request.user, pk)
    actions.occurrence_reopen(occurrence=occurrence, actor=request.user)
    messages.success(request, _("The occurrence is planned again."))
    return redirect("plan:occurrence", pk=pk)


@login_required
@require_POST
def occurrence_due(request, pk):
    occurrence = _occurrence_for(request.user, pk)
    form = OccurrenceDueForm(request.POST)
    if not form.is_valid():
        return occurrence_detail(request, pk, forms={"due": form})
    actions.occurrence_move(occurrence=occurrence, actor=request.user,
                            due=form.cleaned_data["due"])
    messages.success(request, _("The due date has been moved."))
    return redirect("plan:occurrence", pk=pk)
