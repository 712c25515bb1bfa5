"""The destruction list: an officer approves or postpones each item with a reason."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from schakel.accounts.models import Role
from schakel.core import clock
from schakel.core.access import require_role

from . import retention
from .models import DestructionCertificate, DestructionItem, DestructionStatus


class ApproveForm(forms.Form):
    use_required_attribute = False
    items = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Signals to destroy"),
        queryset=DestructionItem.objects.filter(status=DestructionStatus.PROPOSED),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one signal.")})
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             initial=gettext_lazy("Retention period ended."))


class PostponeForm(forms.Form):
    use_required_attribute = False
    until = forms.DateField(label=gettext_lazy("Postpone until"),
                            widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=gettext_lazy("Reason for postponing"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until <= clock.now().date():
            raise forms.ValidationError(_("Choose a date in the future."))
        return until



def _context(approve_form=None, postpone_forms=None):
    proposed = list(DestructionItem.objects.filter(status=DestructionStatus.PROPOSED))
    approve_form = approve_form or ApproveForm()
    postpone_forms = postpone_forms or {}
    return {
        "approve_form": approve_form,
        "rows": [(item, postpone_forms.get(item.pk) or PostponeForm(prefix=f"p{item.pk}"))
                 for item in proposed],
        "postponed": DestructionItem.objects.filter(status=DestructionStatus.POSTPONED)[:50],
        "certificates": DestructionCertificate.objects.defer("pdf")[:50],
        "pending": DestructionCertificate.objects.filter(completed_at__isnull=True).count(),
    }


@login_required
def destruction_list(request):
    require_role(request.user, Role.OFFICER)
    return render(request, "privacy/destruction.html", _context())


@login_required
@require_POST
def destruction_approve(request):
    require_role(request.user, Role.OFFICER)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the fields marked below."))
        return render(request, "privacy/destruction.html", _context(approve_form=form), status=400)
    certificate = retention.destruction_approve(
        items=form.cleaned_data["items"], actor=request.user, reason=form.cleaned_data["reason"])
    certificate.refresh_from_db(fields=["completed_at"])
    if certificate.complete:
        messages.success(request, _("Destroyed. Certificate %(number)s has been drawn up.")
                         % {"number": certificate.number})
    else:
        messages.warning(request, _(
            "The personal data has been removed, but the database still holds an old copy "
            "while another connection reads it. Schakel retries by itself; certificate "
            "%(number)s says \"complete\" once no copy is left.") % {"number": certificate.number})
    return redirect("privacy:destruction")


@login_required
@require_POST
def destruction_postpone(request, pk):
    require_role(request.user, Role.OFFICER)
    item = get_object_or_404(DestructionItem, pk=pk, status=DestructionStatus.PROPOSED)
    form = PostponeForm(request.POST, prefix=f"p{pk}")
    if not form.is_valid():
        messages.error(request, _("Check the fields marked below."))
        return render(request, "privacy/destruction.html",
                      _context(postpone_forms={pk: form}), status=400)
    retention.destruction_postpone(item=item, actor=request.user, **form.cleaned_data)
    messages.success(request, _("Destruction of %(ref)s has been postponed.")
                     % {"ref": item.reference})
    return redirect("privacy:destruction")


@login_required
def certificate_pdf(request, pk):
    require_role(request.user, Role.OFFICER)
    certificate = get_object_or_404(DestructionCertificate, pk=pk)
    response = HttpResponse(bytes(certificate.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
