from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schakel.core import clock


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
    """Give or restrict; giving another person's data asks for a reason (`needs_reason`)."""

    use_required_attribute = False
    CHOICES = [("give", gettext_lazy("Give")), ("restrict", gettext_lazy("Restrict"))]
    decision = forms.ChoiceField(label=gettext_lazy("Decision"), choices=CHOICES,
                                 widget=forms.RadioSelect)
    reason = forms.CharField(label=gettext_lazy("Reason for the restriction"), max_length=2000,
                             required=False, widget=forms.Textarea(attrs={"rows": 2}))
    give_reason = forms.CharField(
        label=gettext_lazy("Reason for giving it"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Warning: this is not the person's own data. It names "
                               "someone else (the reporter, or a chain partner's account). "
                               "Give it only with their consent or another ground, and "
                               "write down which."))

    def __init__(self, *args, needs_reason=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_reason = needs_reason
        if not needs_reason:
            del self.fields["give_reason"]

    def clean(self):
        data = super().clean()
        if data.get("decision") == "restrict" and not data.get("reason", "").strip():
            self.add_error("reason", _("A restriction needs a reason (AVG art. 23)."))
        if (data.get("decision") == "give" and self.needs_reason
                and not data.get("give_reason", "").strip()):
            self.add_error("give_reason", _("Say why this may be given to the person."))
        return data


class ReviewForm(DecisionForm):
    """The redaction step: more to remove, then the decision."""

    field_order = ["remove", "decision", "reason", "give_reason"]
    remove = forms.CharField(
        label=gettext_lazy("Also remove"), max_length=4000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Words or phrases to remove as well, one per line (other "
                               "names, addresses, anything that identifies someone else)."))

    def phrases(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("remove", "").splitlines()
                if line.strip()]
