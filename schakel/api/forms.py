"""Forms of the token pages: input only; `tokens.py` does the work."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from schakel.accounts.models import User
from schakel.core import clock

from .models import Scope


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100,
                           help_text=_("What the token is for, e.g. 'archive script'. "
                                       "Every use is logged under this name."))
    # A personal token never has the regional scope: that one is for a system token.
    scope = forms.ChoiceField(label=_("Scope"), initial=Scope.READ, widget=forms.RadioSelect,
                              choices=[c for c in Scope.choices if c[0] != Scope.REGION])
    expires_on = forms.DateField(label=_("Valid until"),
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                 help_text=_("At most a year from today."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("expires_on", clock.now().date() + dt.timedelta(days=90))

    def clean_expires_on(self):
        value = self.cleaned_data["expires_on"]
        today = clock.now().date()
        if value <= today:
            raise forms.ValidationError(_("Choose a date after today."))
        if value > today + dt.timedelta(days=365):
            raise forms.ValidationError(_("A token is valid for at most a year."))
        return value

    def expires_at(self) -> dt.datetime:
        """The end of the chosen day, in the municipality's time zone."""
        from django.utils import timezone

        day = self.cleaned_data["expires_on"]
        return dt.datetime.combine(day, dt.time(23, 59, 59),
                                   tzinfo=timezone.get_current_timezone())


class SystemTokenForm(TokenForm):
    user = forms.ModelChoiceField(
        label=_("Acts as account"), queryset=User.objects.none(),
        help_text=_("The integration sees and does exactly what this account may."))
    reason = forms.CharField(label=_("What the integration is for"), max_length=300)

    field_order = ["name", "user", "scope", "expires_on", "reason"]

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = Scope.choices
        self.fields["user"].queryset = User.objects.filter(is_active=True).exclude(pk=actor.pk)
