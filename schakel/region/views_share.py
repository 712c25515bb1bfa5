"""The municipality's side: the policy officer's view of the share, and the officers'
questions for the regional meeting."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from schakel.accounts.models import Role
from schakel.core.access import require_role
from schakel.core.error_summary import error_summary
from schakel.signals.models import Signal

from . import actions, namecheck
from .forms import QuestionForm
from .models import QuestionState, RegionalQuestion, ShareSwitch
from .report import _labels
from .share import build_share


@login_required
def share_page(request):
    """Exactly what the region would receive now, and the switch."""
    require_role(request.user, Role.POLICY)
    share = build_share()
    return render(request, "region/share.html", {
        "switch": ShareSwitch.current(), "share": share, "labels": _labels(),
        "agenda": actions.agenda_items(),
        "share_json": json.dumps(share, indent=2, ensure_ascii=False),
    })


@require_POST
@login_required
def share_toggle(request):
    require_role(request.user, Role.POLICY)
    enabled = request.POST.get("enabled") == "1"
    try:
        actions.share_switch(actor=request.user, enabled=enabled)
    except actions.RegionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The region can now fetch the share.") if enabled
                         else _("Sharing with the region is switched off."))
    return redirect("region:share")


def _signal_for(user, reference: str):
    reference = reference.strip().upper()
    if not reference:
        return None, True
    signal = Signal.objects.visible_to(user).filter(reference=reference).first()
    return signal, signal is not None


@login_required
def questions_page(request):
    require_role(request.user, Role.OFFICER)
    form = QuestionForm(request.POST or None)
    warnings: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        signal, found = _signal_for(request.user, data["reference"])
        if not found:
            form.add_error("reference", _("No signal you can see has this reference."))
        else:
            warnings = namecheck.check(actor=request.user, text=data["text"], signal=signal)
            fingerprint = actions.text_fingerprint(data["text"])
            seen = data["warned"] == fingerprint
            if warnings and not seen:
                form = QuestionForm(initial={**data, "warned": fingerprint, "confirm": False})
            elif not data["confirm"]:
                form.add_error("confirm", _("Confirm that the question names nobody."))
            else:
                actions.question_submit(actor=request.user, text=data["text"], signal=signal,
                                        confirmed=True, warnings=len(warnings))
                messages.success(request, _("The question is on the agenda of the next "
                                            "regional meeting."))
                return redirect("region:questions")
    questions = RegionalQuestion.objects.all()[:50]
    return render(request, "region/questions.html", {
        "form": form, "warnings": warnings, "questions": questions,
        "errors": error_summary(form),
    })


@require_POST
@login_required
def question_close(request, pk, state):
    require_role(request.user, Role.OFFICER)
    if state not in (QuestionState.DISCUSSED, QuestionState.WITHDRAWN):
        raise Http404
    question = get_object_or_404(RegionalQuestion, pk=pk)
    try:
        actions.question_close(actor=request.user, question=question, state=state)
    except actions.RegionError as exc:
        messages.error(request, exc.message)
    return redirect("region:questions")
