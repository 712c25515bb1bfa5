"""Pages for access requests (officers only)."""

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

from . import access_requests as ar
from .models import AccessRequest, AccessRequestItem


class PersonForm(forms.Form):
    use_required_attribute = False
    person_name = forms.CharField(label=gettext_lazy("Name of the person"), max_length=200)
    date_of_birth = forms.DateField(label=gettext_lazy("Date of birth"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}))
    received_on = forms.DateField(label=gettext_lazy("Request received on"),
                                  widget=forms.DateInput(attrs={"type": "date"}))

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        if value > clock.now().date():
            raise forms.ValidationError(_("This date lies in the future."))
        return value


class DecisionForm(forms.Form):
    use_required_attribute = False
    CHOICES = [("give", gettext_lazy("Give")), ("restrict", gettext_lazy("Restrict"))]
    decision = forms.ChoiceField(label=gettext_lazy("Decision"), choices=CHOICES,
                                 widget=forms.RadioSelect)
    reason = forms.CharField(label=gettext_lazy("Reason for the restriction"), max_length=2000,
                             required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("decision") == "restrict" and not data.get("reason", "").strip():
            self.add_error("reason", _("A restriction needs a reason (AVG art. 23)."))
        return data



@login_required
def access_list(request):
    """Start a request: look the person up (POST, so no name in a URL), confirm the matches."""
    require_role(request.user, Role.OFFICER)
    form = PersonForm(request.POST or None)
    candidates = reported = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        candidates = ar.find_subjects(person_name=data["person_name"],
                                      date_of_birth=data["date_of_birth"])
        reported = ar.find_reported(person_name=data["person_name"])
        if "confirm" in request.POST:
            chosen = set(request.POST.getlist("subject"))
            chosen_reported = set(request.POST.getlist("reported"))
            new = ar.access_request_start(
                actor=request.user, person_name=data["person_name"],
                date_of_birth=data["date_of_birth"], received_on=data["received_on"],
                subjects=[s for s in candidates if str(s.pk) in chosen],
                reported=[r for r in reported if str(r.pk) in chosen_reported])
            messages.success(request, _("Access request %(n)s has been recorded. Decide per "
                                        "item what the person may see.") % {"n": new.number})
            return redirect("privacy:access_detail", pk=new.pk)
    return render(request, "privacy/access_list.html", {
        "form": form, "candidates": candidates, "reported": reported,
        "requests": AccessRequest.objects.defer("person_name", "date_of_birth")[:50],
        "show_errors": form.is_bound,
    })


@login_required
def access_detail(request, pk):
    require_role(request.user, Role.OFFICER)
    access = get_object_or_404(AccessRequest, pk=pk)
    items = access.items.select_related("signal", "decided_by")
    rows = [(item, DecisionForm(prefix=f"i{item.pk}", initial={
        "decision": "restrict" if item.restricted else "give", "reason": item.reason}))
        for item in items]
    return render(request, "privacy/access_detail.html", {"access": access, "rows": rows})


@login_required
@require_POST
def access_decide(request, pk, item_pk):
    require_role(request.user, Role.OFFICER)
    item = get_object_or_404(AccessRequestItem, pk=item_pk, request_id=pk)
    form = DecisionForm(request.POST, prefix=f"i{item.pk}")
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("privacy:access_detail", pk=pk)
    ar.access_item_decide(item=item, actor=request.user,
                          restricted=form.cleaned_data["decision"] == "restrict",
                          reason=form.cleaned_data["reason"])
    messages.success(request, _("The decision has been recorded."))
    return redirect("privacy:access_detail", pk=pk)


@login_required
def access_answer(request, pk):
    require_role(request.user, Role.OFFICER)
    access = get_object_or_404(AccessRequest, pk=pk)
    pdf = ar.render_answer(access, actor=request.user)
    if access.completed_at is None:
        AccessRequest.objects.filter(pk=pk).update(completed_at=clock.now())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{access.number}.pdf"'
    return response
