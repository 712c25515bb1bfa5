"""Forms validate input only; the actions decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import (
    Condition,
    Contact,
    FeedbackChannel,
    FeedbackOutcome,
    Part,
    Partner,
    ReferralSettings,
    RoutingRule,
)


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["name", "description", "email", "phone", "forms", "takes_signals",
                  "takes_advice", "takes_care", "is_care_coordinator", "active", "is_demo",
                  "last_verified"]
        widgets = {
            "forms": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
            "last_verified": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "function", "email", "phone"]

    def clean(self):
        data = super().clean()
        if not data.get("email") and not data.get("phone"):
            raise forms.ValidationError(_("Give an e-mail address or a phone number."))
        return data


class RoutingRuleForm(forms.ModelForm):
    class Meta:
        model = RoutingRule
        fields = ["condition", "form", "capacity", "partner", "priority", "advice", "order",
                  "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.filter(active=True)
        self.fields["form"].help_text = _("Only for the condition 'Form of exploitation'.")
        self.fields["capacity"].help_text = _("Only for the condition 'Someone involved has a "
                                              "capacity'.")

    def clean(self):
        data = super().clean()
        condition = data.get("condition")
        if condition == Condition.FORM and not data.get("form"):
            self.add_error("form", _("Choose the form of exploitation."))
        if condition == Condition.CAPACITY and not data.get("capacity"):
            self.add_error("capacity", _("Choose the capacity."))
        if condition != Condition.FORM:
            data["form"] = None
        if condition != Condition.CAPACITY:
            data["capacity"] = ""
        return data


class SettingsForm(forms.ModelForm):
    class Meta:
        model = ReferralSettings
        fields = ["link_valid_days", "feedback_due_days", "reminder_interval_days",
                  "max_reminders"]

    def clean(self):
        data = super().clean()
        for name in ("link_valid_days", "feedback_due_days", "reminder_interval_days"):
            if data.get(name) is not None and not 1 <= data[name] <= 365:
                self.add_error(name, _("Between 1 and 365 days."))
        if data.get("max_reminders") is not None and data["max_reminders"] > 10:
            self.add_error("max_reminders", _("At most 10."))
        return data


class ReferralPartsForm(forms.Form):
    """What one partner receives. The reporter is deliberately not a choice."""

    include = forms.BooleanField(required=False)
    parts = forms.MultipleChoiceField(
        label=_("Share these parts of the signal"), choices=Part.choices, required=False,
        widget=forms.CheckboxSelectMultiple)
    subjects = forms.MultipleChoiceField(
        label=_("Share these persons, organisations and addresses"), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For each one chosen: name or address, capacity, date of birth, "
                    "nationality, KvK number and description."))
    attachments = forms.MultipleChoiceField(
        label=_("Share these files"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("The partner downloads each file chosen through the link; every "
                    "download is recorded."))
    message = forms.CharField(label=_("Message for the partner"), required=False,
                              max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, subjects=(), partner=None, with_include=True, attachments=(),
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.partner = partner
        self.fields["attachments"].choices = [(str(a.pk), a.name) for a in attachments]
        self.fields["subjects"].choices = [
            (str(s.pk), f"{s.get_kind_display()}: {str(s) or s.description[:40] or "—"}"
                        + (f" ({s.get_capacity_display()})" if s.capacity else ""))
            for s in subjects]
        if partner is not None:
            self.fields["include"].label = _("Refer to %(partner)s") % {"partner": partner.name}
        if not with_include:
            del self.fields["include"]


class ReferForm(forms.Form):
    care_skip_reason = forms.CharField(
        label=_("Reason for not referring to the care coordinator"), required=False,
        max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The plan says: always report to the care coordinator for human "
                    "trafficking. If you do not, say why; the reason is recorded."))


class FeedbackForm(forms.Form):
    """The partner's feedback through the link."""

    outcome = forms.ChoiceField(label=_("Outcome"), choices=FeedbackOutcome.choices,
                                widget=forms.RadioSelect)
    text = forms.CharField(label=_("Feedback"), max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 5}),
                           help_text=_("What you did or will do with this signal, as far as "
                                       "you can share it with the municipality."))


class OfficerFeedbackForm(FeedbackForm):
    channel = forms.ChoiceField(
        label=_("Received"), choices=[c for c in FeedbackChannel.choices
                                      if c[0] != FeedbackChannel.LINK])

    field_order = ["channel", "outcome", "text"]


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason for withdrawing"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))
