"""Thin views: access helper → form → action → redirect."""

from html import escape

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import linebreaksbr
from django.utils.encoding import force_str
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from schakel.accounts.models import Role, User
from schakel.audit.log import log_processing
from schakel.audit.models import Action, Activity
from schakel.core.access import require_role
from schakel.core.display import choice_labels
from schakel.core.error_summary import error_summary
from schakel.core.keyset import bounded_page, union_keyset_page
from schakel.core.prepared import Prepared
from schakel.core.templatetags.dates import when

from . import actions, catalog, history
from .access import Access, get_signal_for
from .attachments import AttachmentRefused, may_add, may_remove, visible_attachments
from .forms import (
    SUBJECT_FORMSETS,
    TRANSITION_FORMS,
    AttachmentForm,
    CloseForm,
    NoteForm,
    QueueFilterForm,
    SignalForm,
)
from .models import (
    EventKind,
    Signal,
    SignalAttachment,
    SignalEvent,
    Subject,
    own_signal_ids,
    team_signal_ids,
)
from .workflow import State, find_transition, manual_transitions


def _page_size() -> int:
    from django.conf import settings

    return settings.SCHAKEL["QUEUE_PAGE_SIZE"]


def _page(request, queryset):
    # Rows found by id first, counted up to 1,000, and past those read from the sort key
    # of the row before (the "next" link): no page walks the list up to itself and no
    # request counts the whole list (issue 15).
    return bounded_page(queryset, request.GET.get("page"), per_page=_page_size(),
                        after=request.GET.get("after", ""),
                        before=request.GET.get("before", ""))


# The columns a list shows: the encrypted texts are neither read nor decrypted.
LIST_COLUMNS = ("id", "reference", "state", "urgent", "submitted_at", "created_at", "officer")
# What a list shows of the officer: the name (`display_name`), not the whole account.
OFFICER_NAME = ("officer__first_name", "officer__last_name", "officer__username")


# ---------------------------------------------------------------- intake (step 1)

def _draft_initial(signal):
    """The intake form's initial data from a saved draft."""
    reporter = signal.reporter
    form = {
        "urgent": signal.urgent, "background": signal.background,
        "observed_where": signal.observed_where, "observed_on": signal.observed_on,
        "exploitation_forms": list(signal.forms.all()),
        "indicators": list(signal.indicators.all()),
        "team_lead_consulted": "yes" if signal.team_lead_consulted else "",
        "team_lead_consulted_with": reporter.team_lead_consulted_with,
        "reporter_phone": reporter.phone, "reporter_email": reporter.email,
        "no_mail": not signal.mail_reporter,
        "submission_token": signal.submission_token,
        "on_behalf_of": reporter.user_id if reporter.user_id != reporter.filed_by_id else None,
    }
    rows = {"persons": [], "organisations": [], "addresses": []}
    prefix_of = {"person": "persons", "organisation": "organisations", "address": "addresses"}
    for subject in signal.subjects.all():
        formset = dict(SUBJECT_FORMSETS)[prefix_of[subject.kind]]
        fields = formset.form.base_fields
        rows[prefix_of[subject.kind]].append(
            {name: getattr(subject, name) for name in fields if getattr(subject, name)})
    return form, rows


def _intake_forms(request, team_members, draft=None):
    data = request.POST if request.method == "POST" else None
    saving_draft = data is not None and "save_draft" in data
    if data is not None and data.get("add") in {p for p, _ in SUBJECT_FORMSETS}:
        # "Add a row" re-renders the same input with one more row of that kind.
        data = data.copy()
        key = f"{data['add']}-TOTAL_FORMS"
        try:
            data[key] = str(min(int(data.get(key, "1")) + 1, 20))
        except ValueError:
            data[key] = "1"
    initial, rows = (None, {})
    if draft is not None and data is None:
        initial, rows = _draft_initial(draft)
    form = SignalForm(data, team_members=team_members, draft=saving_draft, initial=initial)
    # Every row may stay empty: rows are "initial" only when a draft filled them.
    formsets = {prefix: cls(data, prefix=prefix, initial=rows.get(prefix) or None,
                            form_kwargs={"empty_permitted": True})
                for prefix, cls in SUBJECT_FORMSETS}
    return form, formsets


def _intake_payload(form, formsets, user):
    """What the actions need, from valid forms."""
    data = form.cleaned_data
    subjects = [
        actions.SubjectData(kind=row.kind, values={
            k: v for k, v in row.cleaned_data.items() if v not in (None, "")})
        for fs in formsets.values() for row in fs.forms
        if row.has_changed() and row.cleaned_data
    ]
    reporter_user = data.get("on_behalf_of") or user
    return {
        "reporter_user": reporter_user,
        "values": {
            "urgent": data["urgent"], "background": data["background"],
            "observed_where": data["observed_where"], "observed_on": data["observed_on"],
            "team_lead_consulted": data["team_lead_consulted"] == "yes",
            "mail_reporter": not data["no_mail"],
        },
        "form_codes": data["exploitation_forms"], "indicator_ids": data["indicators"],
        "subjects": subjects,
        "reporter": {
            "name": reporter_user.display_name,
            "email": (data["reporter_email"] if reporter_user == user else "")
            or reporter_user.email,
            "phone": (data["reporter_phone"] if reporter_user == user else "")
            or reporter_user.phone,
            "team_lead_consulted_with": data["team_lead_consulted_with"],
        },
    }


def _intake_page(request, draft=None):
    """Step 1, for a new signal or a saved draft: validate, then file, save or submit."""
    user = request.user
    team_members = None
    if user.role == Role.TEAM_LEAD and user.team_id:
        team_members = User.objects.filter(team=user.team, is_active=True).exclude(pk=user.pk)
    form, formsets = _intake_forms(request, team_members, draft)
    attachment_form = AttachmentForm(request.POST or None, request.FILES or None)
    if draft is None and request.method == "GET" and request.GET.get("control"):
        # Hook of the plan app: a control's finding starts a signal with what is known
        # filled in. The URL carries the control's id only, never personal data.
        from schakel.plan.hooks import signal_initial_from_control

        known = signal_initial_from_control(user, request.GET["control"])
        form.initial.update(known["form"])
        formsets["addresses"].initial = known["addresses"]
        formsets["organisations"].initial = known["organisations"]
    adding = request.method == "POST" and "add" in request.POST
    saving_draft = request.method == "POST" and "save_draft" in request.POST
    subjects_error = None
    signal = None
    if request.method == "POST" and not adding:
        valid = form.is_valid() & all([fs.is_valid() for fs in formsets.values()])
        valid &= attachment_form.is_valid()
        payload = _intake_payload(form, formsets, user) if valid else None
        if valid and not payload["subjects"] and not saving_draft:
            subjects_error = _("Say who or what is involved: at least one person, "
                               "organisation or address.")
            valid = False
        if valid:
            try:
                if draft is None:
                    signal = actions.signal_file(
                        actor=user, submission_token=form.cleaned_data["submission_token"],
                        submit=not saving_draft, attachments=attachment_form.checked,
                        **payload)
                else:
                    signal = actions.signal_update_draft(
                        signal=draft, actor=user, submit=not saving_draft,
                        attachments=attachment_form.checked, **payload)
            except actions.ConcurrentChange:
                # A second submit of a draft that the first one already sent.
                return redirect("signals:detail", pk=draft.pk)
            except AttachmentRefused as exc:
                attachment_form.add_error("files", exc.message)
        if signal is not None:
            if saving_draft:
                messages.success(request, _("Your draft has been saved. Only you can see it; "
                                            "send it when it is complete."))
                return redirect("signals:mine")
            messages.success(request, _("Your signal %(ref)s has been sent to the officer. "
                                        "Thank you.") % {"ref": signal.reference})
            return redirect("signals:detail", pk=signal.pk)
    errors = []
    if request.method == "POST" and not adding:
        extra = [(subjects_error, "id_persons-0-name")] if subjects_error else []
        errors = error_summary(form, *formsets.values(), attachment_form, extra=extra)
    if adding:
        _focus_new_row(formsets.get(request.POST["add"]))
    indicators_by_form = {}
    for choice in form["indicators"]:
        indicators_by_form.setdefault(choice.data["value"].instance.form, []).append(choice)
    return render(request, "signals/intake.html", {
        "form": form, "formsets": formsets, "subjects_error": subjects_error,
        "attachment_form": attachment_form,
        "indicators_by_form": indicators_by_form, "draft": draft,
        "show_errors": request.method == "POST" and not adding,
        "error_summary": errors,
        "errors_title": _("The signal has not been sent yet: check the fields "
                          "marked below. Nothing you typed is lost."),
    })


def _focus_new_row(formset):
    """After "Add a person" the new row's first field has the focus, for keyboard users."""
    if formset is None or not formset.forms:
        return
    row = formset.forms[-1]
    first = next(iter(row.fields.values()))
    first.widget.attrs.update({"autofocus": True, "data-focus-on-load": ""})


@login_required
def intake(request):
    if not request.user.can_file_signals:
        raise Http404
    return _intake_page(request)


def _own_draft(user, pk):
    signal, level = get_signal_for(user, pk)
    if level != Access.OWN or signal.state != State.DRAFT or \
            not signal.reporter.is_filed_by(user):
        raise Http404
    return signal


@login_required
def edit_draft(request, pk):
    signal, level = get_signal_for(request.user, pk)
    if level == Access.OWN and signal.state != State.DRAFT:
        # Sent already, e.g. by the first of two clicks: show what was sent.
        return redirect("signals:detail", pk=pk)
    return _intake_page(request, draft=_own_draft(request.user, pk))


@login_required
@require_POST
def delete_draft(request, pk):
    draft = _own_draft(request.user, pk)
    actions.signal_delete_draft(signal=draft, actor=request.user)
    messages.success(request, _("The draft has been thrown away."))
    return redirect("signals:mine")


# ---------------------------------------------------------------- lists

@login_required
def my_signals(request):
    user = request.user
    require_role(user, Role.EMPLOYEE, Role.TEAM_LEAD, Role.OFFICER)
    # Newest first by id (ids follow the moment of filing), a page at a time from the
    # reporter indexes; the rows themselves are read through `visible_to`.
    columns = (*LIST_COLUMNS, "message_for_reporter", "reporter_informed_at",
               "reporter_read_at")
    page = union_keyset_page(
        own_signal_ids(user),
        lambda ids: Signal.objects.visible_to(user).filter(pk__in=ids).only(*columns),
        request.GET, size=_page_size())
    return render(request, "signals/my_signals.html", {"page": page})


@login_required
def team_signals(request):
    user = request.user
    require_role(user, Role.TEAM_LEAD)
    page = union_keyset_page(
        team_signal_ids(user.team_id),
        lambda ids: Signal.objects.submitted_visible_to(user).filter(pk__in=ids)
        .only(*LIST_COLUMNS), request.GET, size=_page_size())
    return render(request, "signals/team_signals.html", {"page": page})


QUEUE_SORTS = {
    "urgent": ["-urgent", "-submitted_at", "-id"],
    "oldest": ["-urgent", "submitted_at", "id"],
    "reference": ["reference"],
    "state": ["state", "-urgent", "-submitted_at", "-id"],
}


@login_required
def work_queue(request):
    user = request.user
    require_role(user, Role.OFFICER)
    filters = QueueFilterForm(request.GET or None)
    params = filters.cleaned_data if filters.is_valid() else {}
    tab = params.get("tab") or "new"
    # Submitted signals only: an officer's own unfinished signal is under "Mijn meldingen".
    qs = Signal.objects.submitted_visible_to(user)
    if tab == "new":
        qs = qs.filter(state=State.SUBMITTED)
    elif tab == "mine":
        qs = qs.open_of(user)
    if params.get("state"):
        qs = qs.filter(state=params["state"])
    if params.get("form"):
        qs = qs.filter(forms=params["form"])
    if params.get("urgent"):
        qs = qs.filter(urgent=params["urgent"] == "yes")
    qs = (qs.order_by(*QUEUE_SORTS[params.get("sort") or "urgent"])
          .select_related("officer").only(*LIST_COLUMNS, *OFFICER_NAME))
    page = _page(request, qs)
    form_names = filters.form_names(page.object_list)
    for signal in page.object_list:
        signal.form_names = form_names.get(signal.pk, "")
    query = request.GET.copy()
    for name in ("page", "after", "before"):
        query.pop(name, None)
    return render(request, "signals/work_queue.html", {
        "page": page, "filters": filters, "tab": tab, "tabs": QueueFilterForm.TABS,
        "querystring": query.urlencode(),
        "chase": _chase_counts(user),
    })


def _chase_counts(user) -> dict:
    """What the officer must chase (step 5 and 6): undelivered referrals, overdue feedback,
    reporters to inform; and the new signals (the first tab's count). The two signal
    figures in one pass; the two referral figures apart, each through its index (in one
    pass the database probed the outbox for every waiting referral: 7 ms against 4 on
    PostgreSQL, 3.8 against 2.5 on SQLite, at 3,700 waiting referrals)."""
    from django.db.models import Count, Q

    from schakel.core import clock
    from schakel.partners.models import Referral

    referrals = Referral.objects.visible_to(user)
    signals = Signal.objects.submitted_visible_to(user).filter(
        state__in=[State.SUBMITTED, State.FEEDBACK_RECEIVED]).aggregate(
        # Counting the state (never empty), not the id: the state index alone answers
        # (0.7 against 3.5 ms on PostgreSQL at 1,900 new signals).
        new=Count("state", filter=Q(state=State.SUBMITTED)),
        inform=Count("state", filter=Q(state=State.FEEDBACK_RECEIVED)))
    return {"feedback": referrals.overdue(clock.now()).count(),
            "undelivered": referrals.undelivered().count(), **signals}


# ---------------------------------------------------------------- one signal

def _unsaved_input(bound_forms, shown):
    """What the user typed into a step that is no longer possible, to show it back."""
    rows = []
    for name, form in (bound_forms or {}).items():
        if name in shown:
            continue
        for field_name, field in form.fields.items():
            value = form.data.get(form.add_prefix(field_name), "")
            if value and not field.widget.is_hidden:
                rows.append((field.label, value))
    return rows


HISTORY_PAGE = 50


def _history_page(signal_id: int, params):
    """The latest 50 rows of a signal's history (or the 50 before `before`), oldest first,
    and the id for the link to earlier rows (None when there are none)."""
    before = params.get("before", "")
    if before.isdigit() and len(before) < 19:
        rows = _HISTORY_BEFORE(signal_id, int(before))
    else:
        rows = _HISTORY(signal_id)
    earlier = rows[HISTORY_PAGE - 1].pk if len(rows) > HISTORY_PAGE else None
    return _history_lines(sorted(rows[:HISTORY_PAGE], key=lambda e: (e.at, e.pk))), earlier


def _history_rows(events):
    """The values a history line shows, as plain rows: 50 events read as models, each with
    its actor's account, cost 4.5 ms against 1.6 for these rows (the page of 300 history
    rows, SQLite). The actor's name only, never the rest of the account."""
    return events.values_list("pk", "at", "kind", "from_state", "to_state", "code",
                              "params", "remark", "actor__first_name", "actor__last_name",
                              "actor__username", named=True)


# The newest first, one more than a page to know whether there are earlier ones.
_HISTORY = Prepared(lambda signal_id: _history_rows(
    SignalEvent.objects.filter(signal_id=signal_id).order_by("-pk"))[:HISTORY_PAGE + 1])
_HISTORY_BEFORE = Prepared(lambda signal_id, before: _history_rows(
    SignalEvent.objects.filter(signal_id=signal_id, pk__lt=before).order_by("-pk"))
    [:HISTORY_PAGE + 1])
# The signal page's own reads of an officer's signal (`Prepared`).
_SUBJECTS = Prepared(lambda signal_id: Subject.objects.filter(signal_id=signal_id))
_ATTACHMENTS = Prepared(lambda signal_id: SignalAttachment.objects.filter(signal_id=signal_id))


def _history_lines(rows) -> list[str]:
    """Each history line as the page shows it (when, who, what, the text), written out
    here from `_history_rows`: a line of template per event cost 170 µs on the page of
    300 history rows, most of it the filters' and the loop's own work for four values.
    Escaped as Django's `escape` does (the standard library's, with quotes), in one
    string per line: `format_html` twice per line cost a third of the lines' time."""
    field = SignalEvent._meta.get_field
    kinds, states = choice_labels(field("kind")), choice_labels(field("from_state"))
    lines = []
    for e in rows:
        if e.kind == EventKind.TRANSITION:
            what = _("status %(a)s → %(b)s") % {
                "a": force_str(states.get(e.from_state, e.from_state)),
                "b": force_str(states.get(e.to_state, e.to_state))}
        else:
            what = force_str(kinds.get(e.kind, e.kind)).lower()
        # As `User.display_name`: the full name, else the user name; "—" without an actor.
        who = (f"{e.actor__first_name} {e.actor__last_name}".strip() or e.actor__username
               if e.actor__username else "—")
        text = history.text(e.code, e.params, e.remark)
        remark = f'<div class="remark">{linebreaksbr(text)}</div>' if text else ""
        lines.append(mark_safe(  # noqa: S308  # every value escaped above or here
            f'<li><span class="when">{escape(when(localtime(e.at), "j M Y H:i"))}</span> · '
            f'<span class="who">{escape(who)}</span>:\n      {escape(what)}\n      '
            f"{remark}</li>"))
    return lines


def _detail_context(request, signal, level, bound_forms=None, subjects=None):
    user = request.user
    context = {"signal": signal, "level": level.value, "note_form": NoteForm()}
    context["attachments"] = (_ATTACHMENTS(signal.pk) if level == Access.FULL
                              else list(visible_attachments(user, signal, level)))
    for attachment in context["attachments"]:
        attachment.signal = signal  # the one read already, not read again per file
        attachment.removable = may_remove(user, attachment, level)
    context["may_attach"] = may_add(user, signal, level)
    if context["may_attach"]:
        context["attachment_form"] = AttachmentForm(required=True)
    if level in (Access.FULL, Access.OWN, Access.TEAM):
        context["subjects"] = list(signal.subjects.all()) if subjects is None else subjects
        context["forms"], context["indicators"] = catalog.of_signal(signal.pk)
    if level == Access.FULL:
        context["events"], context["earlier"] = _history_page(signal.pk, request.GET)
        steps = manual_transitions(signal.state, user.role)
        forms = {}
        for step in steps:
            form_cls = TRANSITION_FORMS[step.name]
            kwargs = {"needs_message": signal.state == State.DISMISSED} \
                if form_cls is CloseForm else {}
            bound = (bound_forms or {}).get(step.name)
            if bound is not None:
                # Typed text stays; the version becomes the one now on the page.
                bound.data = bound.data.copy()
                bound.data[f"{step.name}-version"] = str(signal.version)
            forms[step.name] = bound or form_cls(
                initial={"version": signal.version}, prefix=step.name, **kwargs)
        context["step_forms"] = forms
        context["unsaved"] = _unsaved_input(bound_forms, forms)
        context["error_summary"] = error_summary(*(bound_forms or {}).values())
    elif level == Access.OWN:
        # The reporter's own corrections, never the officer's notes.
        context["events"] = _history_lines(
            _history_rows(signal.events.filter(kind=EventKind.NOTE, actor=user)))
    return context


@login_required
def detail(request, pk):
    # The page names no officer: their account row is not read.
    signal, level = get_signal_for(request.user, pk, with_officer=False)
    if signal.state == State.DRAFT:
        return redirect("signals:draft", pk=pk)
    subjects = None
    if level in (Access.FULL, Access.OWN, Access.TEAM):
        # For the log and for the page: read once.
        subjects = _SUBJECTS(signal.pk) if level == Access.FULL else list(signal.subjects.all())
        for subject in subjects:
            subject.signal = signal
        log_processing(actor=request.user, activity=Activity.VIEW, action=Action.READ,
                       obj=signal, subjects=signal.data_subject_ids(subjects))
    if level == Access.OWN:
        actions.signal_mark_read(signal=signal, actor=request.user)
    return render(request, "signals/detail.html",
                  _detail_context(request, signal, level, subjects=subjects))


@login_required
@require_POST
def transition(request, pk, name):
    user = request.user
    signal, level = get_signal_for(user, pk)
    if level != Access.FULL or name not in TRANSITION_FORMS:
        raise Http404
    form_cls = TRANSITION_FORMS[name]
    kwargs = {"needs_message": signal.state == State.DISMISSED} if form_cls is CloseForm else {}
    form = form_cls(request.POST, prefix=name, **kwargs)
    if not form.is_valid():
        return render(request, "signals/detail.html",
                      _detail_context(request, signal, level, {name: form}), status=400)
    data = dict(form.cleaned_data)
    version = data.pop("version")
    try:
        if version != signal.version:
            raise actions.ConcurrentChange(_(
                "Someone else changed this signal in the meantime. Check its current "
                "status; what you typed is still in the form."))
        if find_transition(signal.state, name) is None:
            raise actions.TransitionNotAllowed(
                _("This step is not possible for this signal (any more)."))
        getattr(actions, f"signal_{name}")(
            signal=signal, actor=user, expected_version=version, **data)
    except actions.MissingFields as exc:
        for field in exc.fields:
            form.add_error(field if field in form.fields else None, exc.message)
        return render(request, "signals/detail.html",
                      _detail_context(request, signal, level, {name: form}), status=400)
    except actions.WorkflowError as exc:
        messages.error(request, exc.message)
        signal.refresh_from_db()
        # Keep what was typed: in its form if the step is still possible, else shown apart.
        return render(request, "signals/detail.html",
                      _detail_context(request, signal, level, {name: form}), status=409)
    signal.refresh_from_db()
    messages.success(request, _("Done: the signal is now '%(state)s'.")
                     % {"state": State(signal.state).label})
    return redirect("signals:detail", pk=pk)


@login_required
@require_POST
def add_note(request, pk):
    user = request.user
    signal, level = get_signal_for(user, pk)
    if level not in (Access.FULL, Access.OWN):
        raise Http404
    form = NoteForm(request.POST)
    if form.is_valid():
        actions.signal_add_note(signal=signal, actor=user, text=form.cleaned_data["text"])
        messages.success(request, _("Your note has been added."))
        return redirect("signals:detail", pk=pk)
    context = _detail_context(request, signal, level)
    context["note_form"] = form
    context["error_summary"] = error_summary(form)
    return render(request, "signals/detail.html", context, status=400)
