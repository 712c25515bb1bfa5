"""Thin views: access helper → form → action → redirect.

Who may do what (404, not 403, for everyone else):
- officer: refer signals, follow referrals, the outbox; the directory; read the rules;
- admin: the directory, the routing rules and the referral settings (no signal contents);
- a partner (no account): their referral through the single-use link.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from schakel.accounts.models import Role
from schakel.audit.log import log_processing
from schakel.audit.models import Action, Activity
from schakel.core import clock
from schakel.core.access import require_role
from schakel.core.keyset import bounded_page, union_keyset_page
from schakel.core.responses import file_download
from schakel.signals.access import get_signal_for_officer

from . import actions, linkguard
from .forms import (
    ContactForm,
    FeedbackForm,
    OfficerFeedbackForm,
    PartnerForm,
    ReferForm,
    ReferralPartsForm,
    RoutingRuleForm,
    SettingsForm,
    WithdrawForm,
)
from .models import (
    WAITING,
    Contact,
    DailyRun,
    MessageStatus,
    OutboxMessage,
    Part,
    Partner,
    Priority,
    Referral,
    ReferralSettings,
    ReferralState,
    RoutingRule,
    undelivered_among,
)
from .routing import default_share, propose
from .shared import shared_view

DIRECTORY_ROLES = (Role.OFFICER, Role.ADMIN)



def _page(request, queryset, per_page=25):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


# ---------------------------------------------------------------- directory

@login_required
def directory(request):
    require_role(request.user, *DIRECTORY_ROLES)
    today = clock.now().date()
    partners = list(Partner.objects.prefetch_related("forms")
                    .annotate(contact_count=Count("contacts")))
    show = request.GET.get("show", "")
    rows = [(p, p.verification_overdue(today)) for p in partners]
    overdue_count = sum(1 for _p, late in rows if late and _p.active)
    if show == "overdue":
        rows = [(p, late) for p, late in rows if late and p.active]
    return render(request, "partners/directory.html", {
        "rows": rows, "show": show, "overdue_count": overdue_count,
        "demo_count": sum(1 for p in partners if p.is_demo and p.active),
    })


@login_required
def partner_detail(request, pk):
    require_role(request.user, *DIRECTORY_ROLES)
    partner = get_object_or_404(Partner.objects.prefetch_related("forms", "contacts"), pk=pk)
    rules = partner.rules.select_related("form")
    return render(request, "partners/partner_detail.html", {
        "partner": partner, "rules": rules,
        "overdue": partner.verification_overdue(clock.now().date()),
    })


@login_required
def partner_edit(request, pk=None):
    require_role(request.user, *DIRECTORY_ROLES)
    partner = get_object_or_404(Partner, pk=pk) if pk else None
    form = PartnerForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        partner = actions.partner_save(form=form, actor=request.user)
        messages.success(request, _("The partner has been saved."))
        return redirect("partners:partner", partner.pk)
    return render(request, "partners/partner_form.html", {"form": form, "partner": partner})


@login_required
@require_POST
def partner_verify(request, pk):
    require_role(request.user, *DIRECTORY_ROLES)
    partner = get_object_or_404(Partner, pk=pk)
    actions.partner_verify(partner=partner, actor=request.user)
    messages.success(request, _("Marked as verified today."))
    return redirect("partners:partner", partner.pk)


@login_required
def contact_edit(request, partner_pk, pk=None):
    require_role(request.user, *DIRECTORY_ROLES)
    partner = get_object_or_404(Partner, pk=partner_pk)
    contact = get_object_or_404(Contact, pk=pk, partner=partner) if pk else Contact(partner=partner)
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        actions.contact_save(form=form, actor=request.user)
        messages.success(request, _("The contact has been saved."))
        return redirect("partners:partner", partner.pk)
    return render(request, "partners/contact_form.html",
                  {"form": form, "partner": partner, "contact": contact})


@login_required
@require_POST
def contact_delete(request, partner_pk, pk):
    require_role(request.user, *DIRECTORY_ROLES)
    contact = get_object_or_404(Contact, pk=pk, partner_id=partner_pk)
    actions.contact_delete(contact=contact, actor=request.user)
    messages.success(request, _("The contact has been removed."))
    return redirect("partners:partner", partner_pk)


# ---------------------------------------------------------------- rules and settings

@login_required
def rules(request):
    require_role(request.user, *DIRECTORY_ROLES)
    return render(request, "partners/rules.html", {
        "rules": RoutingRule.objects.select_related("partner", "form"),
        "config": ReferralSettings.current(),
        "last_run": DailyRun.objects.order_by("-day").first(),
        "can_edit": request.user.role == Role.ADMIN,
    })


@login_required
def rule_edit(request, pk=None):
    require_role(request.user, Role.ADMIN)
    rule = get_object_or_404(RoutingRule, pk=pk) if pk else None
    form = RoutingRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        actions.rule_save(form=form, actor=request.user)
        messages.success(request, _("The routing rule has been saved."))
        return redirect("partners:rules")
    return render(request, "partners/rule_form.html", {"form": form, "rule": rule})


@login_required
@require_POST
def rule_delete(request, pk):
    require_role(request.user, Role.ADMIN)
    actions.rule_delete(rule=get_object_or_404(RoutingRule, pk=pk), actor=request.user)
    messages.success(request, _("The routing rule has been removed."))
    return redirect("partners:rules")


@login_required
def settings_edit(request):
    require_role(request.user, Role.ADMIN)
    form = SettingsForm(request.POST or None, instance=ReferralSettings.current())
    if request.method == "POST" and form.is_valid():
        actions.settings_save(form=form, actor=request.user)
        messages.success(request, _("The settings have been saved."))
        return redirect("partners:rules")
    return render(request, "partners/settings_form.html", {"form": form})


# ---------------------------------------------------------------- referring (step 4)


def _refer_forms(request, signal, subjects, proposals, partners, taken):
    data = request.POST if request.method == "POST" else None
    attachments = list(signal.attachments.all())
    rows = []
    for partner in partners:
        if partner.pk in taken:
            continue
        proposal = proposals.get(partner.pk)
        initial = default_share(partner, proposal, subjects)
        form = ReferralPartsForm(data, prefix=f"p{partner.pk}", subjects=subjects,
                                 partner=partner, initial=initial, attachments=attachments)
        rows.append({"partner": partner, "proposal": proposal, "form": form})
    return rows


@login_required
def refer(request, pk):
    """The officer chooses partners (proposed by the rules) and what each one receives."""
    signal = get_signal_for_officer(request.user, pk)
    subjects = list(signal.subjects.all())
    proposals = propose(signal, subjects=subjects)
    partners = sorted(Partner.objects.filter(active=True),
                      key=lambda p: (p.pk not in proposals,
                                     (proposals.get(p.pk) and proposals[p.pk].priority)
                                     != Priority.IMMEDIATE, p.name))
    existing = list(signal.referrals.exclude(state=ReferralState.WITHDRAWN)
                    .select_related("partner"))
    taken = {r.partner_id for r in existing}
    rows = _refer_forms(request, signal, subjects, proposals, partners, taken)
    refer_form = ReferForm(request.POST or None)
    error = None
    if request.method == "POST":
        valid = refer_form.is_valid() & all([r["form"].is_valid() for r in rows])
        if valid:
            choices = []
            for row in rows:
                data = row["form"].cleaned_data
                if not data.get("include"):
                    continue
                proposal = row["proposal"]
                choices.append(actions.Choice(
                    partner=row["partner"], parts=data["parts"],
                    subject_ids=[int(i) for i in data["subjects"]],
                    attachment_ids=[int(i) for i in data["attachments"]],
                    message=data["message"],
                    reason=proposal.reason_text if proposal else _("chosen by the officer"),
                    priority=proposal.priority if proposal else Priority.NORMAL))
            if request.POST.get("do") == "preview":
                return _refer_page(request, signal, rows, refer_form, existing, partners,
                                   taken, preview=_preview(rows, choices))
            send = request.POST.get("do") != "draft"
            try:
                made = actions.signal_referrals_create(
                    signal=signal, actor=request.user, choices=choices, send=send,
                    care_skip_reason=refer_form.cleaned_data["care_skip_reason"])
            except actions.ReferralError as exc:
                error = exc.message
            else:
                if send:
                    messages.success(request, _("%(n)s referral(s) sent.") % {"n": len(made)})
                else:
                    messages.success(request, _("%(n)s referral(s) saved as draft.")
                                     % {"n": len(made)})
                return redirect("signals:detail", signal.pk)
    return _refer_page(request, signal, rows, refer_form, existing, partners, taken,
                       error=error)


def _refer_page(request, signal, rows, refer_form, existing, partners, taken, *,
                error=None, preview=None):
    proposed = [r for r in rows if r["proposal"] is not None]
    others = [r for r in rows if r["proposal"] is None]
    # The other partners stay folded unless the officer is working in one of them.
    others_open = any(r["form"].is_bound and (r["form"].data.get(f"p{r['partner'].pk}-include")
                                              or r["form"].errors) for r in others)
    return render(request, "partners/refer.html", {
        "signal": signal, "rows": rows, "proposed_rows": proposed, "other_rows": others,
        "others_open": others_open or not proposed,
        "refer_form": refer_form, "existing": existing, "preview": preview,
        "error": error, "care_partners": [p for p in partners if p.is_care_coordinator
                                          and p.pk not in taken],
        "referable": signal.state in actions.REFERABLE_STATES,
    }, status=400 if error else 200)


def _preview(rows, choices) -> list[dict]:
    """Per chosen partner exactly what it would receive, for the check before sending."""
    labels, files = {}, {}
    for row in rows:
        labels.update(dict(row["form"].fields["subjects"].choices))
        files.update(dict(row["form"].fields["attachments"].choices))
    return [{"partner": c.partner, "priority": c.priority,
             "parts": [Part(p).label for p in c.parts],
             "subjects": [labels.get(str(i), "") for i in c.subject_ids],
             "files": [files.get(str(i), "") for i in c.attachment_ids],
             "message": c.message} for c in choices]


def _referral_for(user, pk) -> Referral:
    require_role(user, Role.OFFICER)
    referral = (Referral.objects.visible_to(user).select_related("signal", "partner",
                                                                   "feedback_by", "created_by")
                .filter(pk=pk).first())
    if referral is None:
        raise Http404
    return referral


@login_required
def referral_detail(request, pk, forms=None):
    referral = _referral_for(request.user, pk)
    subjects = list(referral.signal.subjects.all())
    forms = forms or {}
    context = {
        "referral": referral, "signal": referral.signal, "shared": shared_view(referral),
        "links": list(referral.links.all()[:10]),
        "outbox": list(referral.messages.prefetch_related("attempt_log")[:20]),
        "now": clock.now(), "overdue": referral.is_overdue(),
        "undelivered": Referral.objects.undelivered().filter(pk=referral.pk).exists(),
        "feedback_form": forms.get("feedback") or OfficerFeedbackForm(prefix="fb"),
        "withdraw_form": forms.get("withdraw") or WithdrawForm(prefix="wd"),
        "error": forms.get("error"),
    }
    if referral.state == ReferralState.DRAFT:
        context["draft_form"] = forms.get("draft") or ReferralPartsForm(
            prefix="draft", subjects=subjects, with_include=False,
            initial={"parts": referral.parts, "subjects": [str(i) for i in referral.subject_ids],
                     "message": referral.message})
    with_error = any(k in forms for k in ("feedback", "withdraw", "draft", "error"))
    return render(request, "partners/referral.html", context, status=400 if with_error else 200)


@login_required
@require_POST
def referral_act(request, pk, what):
    """Every button on the referral page: send, save draft, remind, feedback, withdraw."""
    referral = _referral_for(request.user, pk)
    user = request.user
    bound = {}
    try:
        if what == "send":
            actions.referral_send(referral=referral, actor=user)
            messages.success(request, _("The referral has been sent."))
        elif what == "draft":
            form = ReferralPartsForm(request.POST, prefix="draft", with_include=False,
                                     subjects=list(referral.signal.subjects.all()))
            if not form.is_valid():
                bound["draft"] = form
            else:
                actions.referral_update_draft(
                    referral=referral, actor=user, parts=form.cleaned_data["parts"],
                    subject_ids=[int(i) for i in form.cleaned_data["subjects"]],
                    message=form.cleaned_data["message"])
                messages.success(request, _("The draft has been saved."))
        elif what == "remind":
            actions.referral_remind(referral=referral, actor=user)
            messages.success(request, _("Feedback requested again with a new link; the old "
                                        "link no longer works."))
        elif what == "feedback":
            form = OfficerFeedbackForm(request.POST, prefix="fb")
            if not form.is_valid():
                bound["feedback"] = form
            else:
                actions.referral_record_feedback(referral=referral, actor=user,
                                                 **form.cleaned_data)
                messages.success(request, _("The feedback has been recorded."))
        elif what == "withdraw":
            form = WithdrawForm(request.POST, prefix="wd")
            if not form.is_valid():
                bound["withdraw"] = form
            else:
                actions.referral_withdraw(referral=referral, actor=user,
                                          reason=form.cleaned_data["reason"])
                messages.success(request, _("The referral has been withdrawn."))
        else:
            raise Http404
    except actions.ReferralError as exc:
        bound["error"] = exc.message
    if bound:
        return referral_detail(request, pk, forms=bound)
    return redirect("partners:referral", referral.pk)


@login_required
def referrals(request):
    """All referrals, the overdue ones first: the officer's follow-up list (step 5)."""
    require_role(request.user, Role.OFFICER)
    now = clock.now()
    show = request.GET.get("show", "open")
    if show not in ("open", "overdue", "undelivered", "all"):
        show = "open"
    base = Referral.objects.visible_to(request.user)
    # Only the shown columns: the encrypted texts are neither read nor decrypted.
    qs = base.select_related("signal", "partner").only(
        "signal__reference", "partner__name", "state", "priority", "sent_at", "due_at",
        "reminders_sent")
    if show == "open":
        qs = qs.filter(state__in=(ReferralState.DRAFT, *WAITING)).order_by("due_at", "pk")
    elif show == "overdue":
        qs = qs.overdue(now).order_by("due_at", "pk")
    elif show == "undelivered":
        qs = qs.undelivered().order_by("sent_at", "pk")
    # Only the open referrals are counted, through the (state, due) index: the settled
    # ones, most of five years' 124,000, are never read for the tabs (issue 15).
    counts = base.filter(state__in=(ReferralState.DRAFT, *WAITING)).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(state__in=WAITING, due_at__lt=now)))
    # Apart: in the same pass PostgreSQL probed the outbox for every open referral
    # (7.5 ms against 3.8 + 1.8 at 3,700 open referrals).
    counts["undelivered"] = base.undelivered().count()
    size = settings.SCHAKEL["QUEUE_PAGE_SIZE"]
    if show == "all":
        # Five years of referrals, newest first by id (ids follow the moment of
        # referring), a page at a time from the key of the last one shown.
        page = union_keyset_page([(base, "id")], lambda ids: qs.filter(pk__in=ids),
                                 request.GET, size=size)
    else:  # the open ones: a few hundred at most, by page number
        page = bounded_page(qs, request.GET.get("page"), per_page=size,
                            after=request.GET.get("after", ""),
                            before=request.GET.get("before", ""))
    return render(request, "partners/referrals.html", {
        "page": page, "show": show, "now": now, "counts": counts,
        "undelivered": undelivered_among(page),
        "last_run": DailyRun.objects.order_by("-day").first(),
    })


# ---------------------------------------------------------------- outbox

@login_required
def outbox_list(request):
    require_role(request.user, Role.OFFICER)
    status = request.GET.get("status", "")
    qs = OutboxMessage.objects.select_related("referral__signal", "referral__partner") \
        .defer("body")
    if status in MessageStatus.values:
        qs = qs.filter(status=status)
    counts = dict(OutboxMessage.objects.values_list("status").annotate(n=Count("pk"))
                  .values_list("status", "n"))
    return render(request, "partners/outbox.html", {
        "page": _page(request, qs, 50), "status": status, "statuses": MessageStatus.choices,
        "failed_count": counts.get(MessageStatus.FAILED, 0),
    })


@login_required
@require_POST
def outbox_resend(request, pk):
    require_role(request.user, Role.OFFICER)
    message = get_object_or_404(OutboxMessage, pk=pk)
    try:
        actions.message_resend(message=message, actor=request.user)
    except actions.ReferralError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The message is being sent again."))
    return redirect("partners:outbox")


# ---------------------------------------------------------------- the partner's link

def _link_page(request, kind, status):
    response = render(request, "partners/link/problem.html", {"kind": kind}, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"
    return response


@never_cache
def link(request, token):
    """The partner's page: what was shared with them, receipt and feedback. No account."""
    found, limited = linkguard.find(request, token)
    if found is None:
        return _link_page(request, "limited", 429) if limited else \
            _link_page(request, "unknown", 404)
    now = clock.now()
    status = found.status(now)
    referral = found.referral
    if status == "used" or (status == "valid" and not referral.is_waiting
                            and referral.state == ReferralState.FEEDBACK_RECEIVED):
        return _link_page(request, "used", 410)
    if status == "revoked" or (status == "valid" and not referral.is_waiting):
        return _link_page(request, "revoked", 410)
    if status == "expired":
        return _link_page(request, "expired", 410)
    form = FeedbackForm(request.POST or None)
    error = None
    if request.method == "POST":
        try:
            if request.POST.get("do") == "confirm":
                actions.referral_confirm_receipt(link=found)
                return redirect("partners:link", token)
            if form.is_valid():
                actions.referral_give_feedback(link=found, **form.cleaned_data)
                response = render(request, "partners/link/thanks.html",
                                  {"partner": referral.partner, "reference":
                                   referral.signal.reference})
                response["Cache-Control"] = "no-store"
                return response
        except actions.ReferralError as exc:
            error = exc.message
    else:
        from django.db import transaction

        with transaction.atomic():
            log_processing(actor=None, activity=Activity.REFER, action=Action.READ,
                           obj=referral.signal, purpose="Chain partner opened the referral",
                           subjects=[str(s) for s in referral.signal.subjects.filter(
                               pk__in=referral.subject_ids).values_list("pseudonym", flat=True)],
                           changes={"referral": referral.pk})
    referral.refresh_from_db()
    response = render(request, "partners/link/referral.html", {
        "referral": referral, "shared": shared_view(referral), "form": form, "error": error,
        "link": found, "token": token,
    }, status=400 if (error or form.is_bound) else 200)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
def link_attachment(request, token, pk):
    """A file the officer ticked for this partner, while the link is open; logged."""
    from schakel.signals.attachments import attachment_read

    found, limited = linkguard.find(request, token)
    if found is None:
        return _link_page(request, "limited", 429) if limited else \
            _link_page(request, "unknown", 404)
    referral = found.referral
    if found.status(clock.now()) != "valid" or not referral.is_waiting or \
            pk not in referral.attachment_ids:
        return _link_page(request, "unknown", 404)
    attachment = get_object_or_404(referral.signal.attachments, pk=pk)
    try:
        contents = attachment_read(
            attachment=attachment, actor=None, activity=Activity.REFER,
            purpose="Chain partner downloaded a shared file",
            subjects=[str(s) for s in referral.signal.subjects.filter(
                pk__in=referral.subject_ids).values_list("pseudonym", flat=True)])
    except FileNotFoundError:
        return _link_page(request, "unknown", 404)
    response = file_download(contents, content_type=attachment.content_type,
                             name=attachment.name)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response

