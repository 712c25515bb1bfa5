"""Thin views of the action plan: access helper → form → action → redirect.

Who may do what (404, not 403, for everyone else):
- officer and policy: the plan, occurrences, meetings, controls, trainings, figures;
- policy only: editing and importing the plan;
- officer only: putting signals on a case meeting's agenda and recording decisions;
  policy sees a case meeting's agenda by references only, without decisions or minutes;
- employees and team leads: the controls they took part in (never Bibob).

The moments of the plan (marking, skipping, linking records) are in occurrence_views.py.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, F, Min, Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from schakel.accounts.models import Role
from schakel.core import clock
from schakel.signals.models import Signal
from schakel.signals.workflow import OPEN_STATES

from . import actions, coverage, feeds
from .forms import (
    ActionForm,
    AgendaAddForm,
    CampaignForm,
    ControlForm,
    DecisionForm,
    ImportForm,
    MeetingForm,
    PillarForm,
    PoliceFiguresForm,
    TrainingForm,
    UploadForm,
)
from .loader import PlanFileError, read_plan, write_plan
from .models import (
    PLAN_ROLES,
    Action,
    AgendaItem,
    Attachment,
    CalendarFeed,
    Campaign,
    Control,
    ControlKind,
    Meeting,
    MeetingKind,
    Occurrence,
    OccurrenceStatus,
    Pillar,
    PoliceFigures,
    Training,
)


def _require(user, *roles):
    if not user.is_active or user.role not in roles:
        raise Http404


def _plan_user(user):
    _require(user, *PLAN_ROLES)


def _page(request, queryset, per_page=25):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def _edit_title(what, day=None) -> str:
    """A form page's title names its object: "Lokaal ondermijningsoverleg van 3 maart
    2026 bewerken", so the browser history tells two such pages apart."""
    if day is None:
        return _("Edit %(what)s") % {"what": what}
    return _("Edit %(what)s of %(date)s") % {"what": what, "date": date_format(day, "j F Y")}


def _form_page(request, form, *, title, back, intro="", multipart=False):
    return render(request, "plan/form.html", {"form": form, "title": title, "back": back,
                                              "intro": intro, "multipart": multipart})


# ---------------------------------------------------------------- the plan

@login_required
def overview(request):
    user = request.user
    _plan_user(user)
    if actions.schedules_need_extending():
        actions.plan_extend_schedules()
    today = clock.now().date()
    planned = Q(occurrences__status=OccurrenceStatus.PLANNED)
    past = planned & Q(occurrences__due__lt=today, active=True)
    late = Q(occurrences__due__gte=F("occurrences__known_since"))
    action_qs = (Action.objects.visible_to(user).select_related("owner")
                 .annotate(next_due=Min("occurrences__due",
                                        filter=planned & Q(occurrences__due__gte=today)),
                           undated=Count("occurrences", filter=planned
                                         & Q(occurrences__due__isnull=True)),
                           overdue=Count("occurrences", filter=past & late),
                           not_recorded=Count("occurrences", filter=past & ~late),
                           done=Count("occurrences",
                                      filter=Q(occurrences__status=OccurrenceStatus.DONE)))
                 .order_by("order", "code"))
    pillars = Pillar.objects.prefetch_related(Prefetch("actions", queryset=action_qs))
    not_recorded = (Occurrence.objects.visible_to(user).not_recorded(today)
                    .select_related("action").order_by("due", "id"))
    shown = list(not_recorded[:51])  # counted apart only when there are more than 50
    return render(request, "plan/overview.html", {
        "pillars": pillars, "overdue": actions.overdue_for(user, 50),
        "not_recorded": shown[:50],
        "not_recorded_count": len(shown) if len(shown) <= 50 else not_recorded.count(),
        "can_edit": user.role == Role.POLICY,
    })


@login_required
def action_detail(request, pk):
    user = request.user
    action = get_object_or_404(Action.objects.visible_to(user).select_related("pillar", "owner"),
                               pk=pk)
    occurrences = (action.occurrences.select_related("recorded_by")
                   .annotate(n_attachments=Count("attachments"))
                   .order_by(F("due").asc(nulls_last=True), "id"))
    return render(request, "plan/action_detail.html", {
        "action": action, "occurrences": occurrences, "today": clock.now().date(),
        "can_edit": user.role == Role.POLICY,
    })


@login_required
def action_edit(request, pk=None):
    user = request.user
    _require(user, Role.POLICY)
    action = get_object_or_404(Action, pk=pk) if pk else None
    old_schedule = action.schedule_text if action else None
    form = ActionForm(request.POST or None, instance=action)
    if request.method == "POST" and form.is_valid():
        saved = actions.action_save(actor=user, action=form.save(commit=False),
                                    schedule_changed=old_schedule != form.instance.schedule_text)
        messages.success(request, _("The action has been saved and its schedule planned."))
        return redirect("plan:action", pk=saved.pk)
    title = _("Edit action %(code)s") % {"code": action.code} if action else _("New action")
    return _form_page(request, form, title=title,
                      back=reverse("plan:action", args=[pk]) if pk else reverse("plan:overview"))


@login_required
def pillar_edit(request, pk=None):
    user = request.user
    _require(user, Role.POLICY)
    pillar = get_object_or_404(Pillar, pk=pk) if pk else None
    form = PillarForm(request.POST or None, instance=pillar)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The pillar has been saved."))
        return redirect("plan:overview")
    title = (_("Edit pillar %(number)s") % {"number": pillar.number} if pillar
             else _("New pillar"))
    return _form_page(request, form, title=title,
                      back=reverse("plan:overview"))


@login_required
def plan_import(request):
    user = request.user
    _require(user, Role.POLICY)
    errors = []
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            rows = read_plan(form.cleaned_data["file"].read())
        except PlanFileError as exc:
            errors = exc.errors
        else:
            counts = actions.plan_import(actor=user, rows=rows)
            messages.success(request, _(
                "The plan has been imported: %(created)s actions added, %(updated)s updated, "
                "%(removed)s removed and %(archived)s archived.") % counts)
            return redirect("plan:overview")
        messages.error(request, _("The plan has not been imported: nothing was changed. "
                                  "Correct the file and try again."))
    from .loader import COLUMNS, KINDS, ROLES
    # A file with errors passes the form's checks: the summary says so itself.
    summary = [{"label": form["file"].label, "anchor": "id_file", "text": _(
        "The file has errors; nothing has been changed (see the list below).")}] if errors else None
    return render(request, "plan/import.html", {"form": form, "errors": errors,
                                                "error_summary": summary,
                                                "columns": COLUMNS, "kinds": list(KINDS),
                                                "roles": list(ROLES)})


@login_required
def plan_export(request):
    user = request.user
    _plan_user(user)
    data = write_plan(Action.objects.visible_to(user).filter(active=True)
                      .select_related("pillar"))
    response = HttpResponse(("\ufeff" + data).encode("utf-8"), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="actieplan.csv"'
    return response


# ---------------------------------------------------------------- attachments

PARENTS = {
    "occurrence": (Occurrence, "plan:occurrence"),
    "meeting": (Meeting, "plan:meeting"),
    "control": (Control, "plan:control"),
    "training": (Training, "plan:training_edit"),
}


def _parent_for(user, kind, pk, *, write):
    model, url_name = PARENTS[kind]
    if kind == "control" and not write:
        qs = Control.objects.visible_to(user)
    else:
        _plan_user(user)
        qs = model.objects.all()
        if kind == "meeting" and user.role != Role.OFFICER:
            qs = qs.exclude(kind=MeetingKind.CASE)
    return get_object_or_404(qs, pk=pk), url_name


@login_required
@require_POST
def attachment_upload(request, kind, pk):
    parent, url_name = _parent_for(request.user, kind, pk, write=True)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        actions.attachment_add(actor=request.user, upload=form.cleaned_data["file"],
                               content_type=form.content_type, **{kind: parent})
        messages.success(request, _("The attachment has been added."))
    else:
        errors = " ".join(form.errors.get("file", [])) or _("Choose a file.")
        messages.error(request, _("The attachment has not been added: %(errors)s")
                       % {"errors": errors})
    return redirect(url_name, pk=parent.pk)


def _attachment_for(user, pk, *, write=False):
    attachment = get_object_or_404(Attachment, pk=pk)
    for kind in PARENTS:
        if getattr(attachment, f"{kind}_id"):
            _parent_for(user, kind, getattr(attachment, f"{kind}_id"), write=write)
            return attachment, kind
    raise Http404


@login_required
def attachment_download(request, pk):
    attachment, _kind = _attachment_for(request.user, pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=attachment.name,
                            content_type=attachment.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"  # also without SecurityMiddleware
    return response


@login_required
@require_POST
def attachment_delete(request, pk):
    attachment, kind = _attachment_for(request.user, pk, write=True)
    parent_pk, url_name = getattr(attachment, f"{kind}_id"), PARENTS[kind][1]
    actions.attachment_delete(attachment=attachment, actor=request.user)
    messages.success(request, _("The attachment has been removed."))
    return redirect(url_name, pk=parent_pk)


# ---------------------------------------------------------------- meetings

def _meetings_for(user):
    _plan_user(user)
    return Meeting.objects.visible_to(user)


@login_required
def meeting_list(request):
    user = request.user
    kind = request.GET.get("soort", "")
    qs = _meetings_for(user).annotate(n_items=Count("items")).order_by("-date", "-id")
    if kind in MeetingKind.values:
        qs = qs.filter(kind=kind)
    return render(request, "plan/meetings.html", {
        "page": _page(request, qs), "kind": kind, "kinds": MeetingKind.choices,
        "querystring": f"soort={kind}" if kind else "",
    })


@login_required
def meeting_edit(request, pk=None):
    user = request.user
    if pk:
        meeting = get_object_or_404(_meetings_for(user), pk=pk)
        kind = meeting.kind
    else:
        meeting, kind = None, request.GET.get("soort", "")
        _plan_user(user)
        if kind not in MeetingKind.values:
            raise Http404
    if kind == MeetingKind.CASE:
        _require(user, Role.OFFICER)
    form = MeetingForm(request.POST or None, instance=meeting, kind=kind)
    if request.method == "POST" and form.is_valid():
        record = actions.record_save(actor=user, record=form.save(commit=False),
                                     occurrence_date=form.cleaned_data["date"],
                                     participants=form.cleaned_data["attendees"])
        messages.success(request, _("The meeting has been saved."))
        return redirect("plan:meeting", pk=record.pk)
    label = MeetingKind(kind).label
    title = _edit_title(label, meeting.date) if meeting else _("New: %(what)s") % {"what": label}
    return _form_page(request, form, title=title, back=reverse("plan:meetings"))


@login_required
def meeting_detail(request, pk, agenda_form=None):
    user = request.user
    meeting = get_object_or_404(_meetings_for(user).select_related("occurrence__action"), pk=pk)
    officer = user.role == Role.OFFICER
    context = {"meeting": meeting, "officer": officer, "attachments": None,
               "upload_form": UploadForm(), "figures": meeting.police_figures.all()}
    if meeting.kind == MeetingKind.CASE:
        # References only: the signal's reference, never a name, least of all the reporter's.
        context["items"] = (meeting.items.select_related("signal").only(
            "id", "question", "decision", "decided_at", "meeting_id", "signal__id",
            "signal__reference"))
        if officer:
            context["agenda_form"] = agenda_form or AgendaAddForm(signals=_agenda_signals(user))
            context["decision_form"] = DecisionForm()
    if officer or meeting.kind != MeetingKind.CASE:
        context["attachments"] = meeting.attachments.all()
        context["upload_url"] = reverse("plan:meeting_upload", args=[meeting.pk])
    return render(request, "plan/meeting_detail.html", context,
                  status=400 if agenda_form else 200)


def _agenda_signals(user):
    return (Signal.objects.visible_to(user).filter(state__in=OPEN_STATES)
            .exclude(state="submitted").only("id", "reference").order_by("reference"))


@login_required
@require_POST
def agenda_add(request, pk):
    user = request.user
    _require(user, Role.OFFICER)
    meeting = get_object_or_404(Meeting, pk=pk, kind=MeetingKind.CASE)
    form = AgendaAddForm(request.POST, signals=_agenda_signals(user))
    if not form.is_valid():
        return meeting_detail(request, pk, agenda_form=form)
    actions.agenda_add(meeting=meeting, signal=form.cleaned_data["signal"], actor=user,
                       question=form.cleaned_data["question"])
    messages.success(request, _("The signal is on the agenda."))
    return redirect("plan:meeting", pk=pk)


def _item_for(user, pk):
    _require(user, Role.OFFICER)
    item = get_object_or_404(AgendaItem.objects.select_related("meeting", "signal"), pk=pk)
    if not Signal.objects.visible_to(user).filter(pk=item.signal_id).exists():
        raise Http404
    return item


@login_required
@require_POST
def agenda_decide(request, pk):
    item = _item_for(request.user, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        actions.agenda_decide(item=item, actor=request.user, text=form.cleaned_data["decision"])
        messages.success(request, _("The decision has been recorded in the signal's history."))
    else:
        messages.error(request, _("Write the decision first."))
    return redirect("plan:meeting", pk=item.meeting_id)


@login_required
@require_POST
def agenda_remove(request, pk):
    from schakel.signals.actions import WorkflowError

    item = _item_for(request.user, pk)
    try:
        actions.agenda_remove(item=item, actor=request.user)
    except WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The signal has been taken off the agenda."))
    return redirect("plan:meeting", pk=item.meeting_id)


# ---------------------------------------------------------------- police figures

@login_required
def figures_list(request):
    user = request.user
    _plan_user(user)
    return render(request, "plan/figures.html", {
        "figures": PoliceFigures.objects.select_related("meeting")})


@login_required
def figures_edit(request, pk=None):
    user = request.user
    _plan_user(user)
    figures = get_object_or_404(PoliceFigures, pk=pk) if pk else None
    initial = {}
    if figures is None and request.GET.get("overleg", "").isdigit():
        initial["meeting"] = request.GET["overleg"]
        initial["year"] = clock.now().year - 1
    form = PoliceFiguresForm(request.POST or None, instance=figures, initial=initial)
    if request.method == "POST" and form.is_valid():
        record = form.save(commit=False)
        actions.record_save(actor=user, record=record)
        messages.success(request, _("The police figures have been saved."))
        return redirect("plan:figures")
    title = (_("Edit the police figures of %(year)s") % {"year": figures.year} if figures
             else _("New police figures"))
    return _form_page(request, form, title=title, back=reverse("plan:figures"))


# ---------------------------------------------------------------- controls

@login_required
def control_list(request):
    user = request.user
    qs = Control.objects.visible_to(user)
    if user.role not in PLAN_ROLES and user.role not in (Role.EMPLOYEE, Role.TEAM_LEAD):
        raise Http404
    kind = request.GET.get("soort", "")
    if kind in ControlKind.values:
        qs = qs.filter(kind=kind)
    return render(request, "plan/controls.html", {
        "page": _page(request, qs), "kind": kind, "kinds": ControlKind.choices,
        "can_record": user.role in PLAN_ROLES,
        "querystring": f"soort={kind}" if kind else "",
    })


@login_required
def control_edit(request, pk=None):
    user = request.user
    _plan_user(user)
    control = get_object_or_404(Control, pk=pk) if pk else None
    kind = control.kind if control else request.GET.get("soort", "")
    if kind not in ControlKind.values:
        raise Http404
    form = ControlForm(request.POST or None, instance=control, kind=kind)
    if request.method == "POST" and form.is_valid():
        record = actions.control_assign_action(form.save(commit=False))
        record = actions.record_save(actor=user, record=record, form=form,
                                     occurrence_date=form.cleaned_data["date"])
        messages.success(request, _("The control has been saved."))
        return redirect("plan:control", pk=record.pk)
    label = ControlKind(kind).label
    title = _edit_title(label, control.date) if control else _("New: %(what)s") % {"what": label}
    return _form_page(request, form, title=title,
                      back=reverse("plan:control", args=[pk]) if pk else reverse("plan:controls"))


@login_required
def control_detail(request, pk):
    user = request.user
    control = get_object_or_404(Control.objects.visible_to(user)
                                .select_related("occurrence__action", "action"), pk=pk)
    may_record = user.role in PLAN_ROLES
    return render(request, "plan/control_detail.html", {
        "control": control, "participants": control.participants.all(),
        "may_record": may_record, "can_file": user.can_file_signals,
        "attachments": control.attachments.all() if may_record else None,
        "upload_form": UploadForm(),
        "upload_url": reverse("plan:control_upload", args=[control.pk]),
    })


# ---------------------------------------------------------------- trainings and campaigns

@login_required
def training_list(request):
    user = request.user
    _plan_user(user)
    trainings = (Training.objects.prefetch_related("forms", "teams")
                 .annotate(n_trained=Count("trained")).order_by("-date", "-id"))
    return render(request, "plan/trainings.html", {
        "page": _page(request, trainings), "campaigns": Campaign.objects.all()[:50],
    })


@login_required
def training_edit(request, pk=None):
    user = request.user
    _plan_user(user)
    training = get_object_or_404(Training, pk=pk) if pk else None
    form = TrainingForm(request.POST or None, instance=training)
    if request.method == "POST" and form.is_valid():
        record = actions.record_save(
            actor=user, record=form.save(commit=False), form=form,
            occurrence_date=form.cleaned_data["date"],
            participants=_("%(n)s participants") % {"n": form.cleaned_data["participant_count"]})
        messages.success(request, _("The training has been saved."))
        return redirect("plan:training_edit", pk=record.pk)
    attachments = training.attachments.all() if training else None
    return render(request, "plan/form.html", {
        "form": form, "title": _edit_title(training.topic, training.date) if training
        else _("New training or information session"),
        "back": reverse("plan:trainings"), "attachments": attachments,
        "upload_form": UploadForm() if training else None,
        "upload_url": reverse("plan:training_upload", args=[pk]) if pk else "",
    })


@login_required
def campaign_edit(request, pk=None):
    user = request.user
    _plan_user(user)
    campaign = get_object_or_404(Campaign, pk=pk) if pk else None
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        actions.record_save(actor=user, record=form.save(commit=False),
                            occurrence_date=form.cleaned_data["starts_on"])
        messages.success(request, _("The campaign has been saved."))
        return redirect("plan:trainings")
    title = _edit_title(campaign.title) if campaign else _("New campaign")
    return _form_page(request, form, title=title, back=reverse("plan:trainings"))


@login_required
def training_coverage(request):
    user = request.user
    _plan_user(user)
    return render(request, "plan/coverage.html", coverage.coverage(clock.now().date()))


# ---------------------------------------------------------------- calendar feed

@login_required
def feed_settings(request):
    user = request.user
    _plan_user(user)
    if request.method == "POST":
        if request.POST.get("do") == "revoke":
            actions.feed_revoke(user=user)
            messages.success(request, _("The calendar address has been revoked."))
        else:
            had_one = CalendarFeed.objects.filter(user=user).exists()
            actions.feed_renew(user=user)
            if had_one:
                messages.success(request, _("A new calendar address has been made; the old "
                                            "one no longer works."))
            else:
                messages.success(request, _("Your calendar address has been made."))
        return redirect("plan:feed_settings")
    feed = CalendarFeed.objects.filter(user=user).first()
    url = settings.SITE_URL + reverse("plan:feed", args=[feed.token]) if feed else ""
    return render(request, "plan/feed_settings.html", {"feed": feed, "url": url})


@never_cache
def feed(request, token):
    """The calendar: reached by its secret address alone, without a login."""
    subscription = (CalendarFeed.objects.select_related("user")
                    .filter(token=token, user__is_active=True).first())
    if subscription is None or subscription.user.role not in PLAN_ROLES:
        raise Http404
    body = feeds.calendar_for(subscription.user, settings.SITE_URL)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="schakel.ics"'
    return response
