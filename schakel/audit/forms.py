from django import forms
from django.utils.translation import gettext_lazy as _

from schakel.accounts.models import User


class LogSearchForm(forms.Form):
    use_required_attribute = False
    reference = forms.CharField(label=_("Signal reference"), max_length=30, required=False,
                                help_text=_("Who processed this signal?"))
    # The options need the name and id only (not each account's whole row).
    user = forms.ModelChoiceField(label=_("User"),
                                  queryset=User.objects.order_by("username").only("id", "username"),
                                  required=False, empty_label=_("anyone"),
                                  help_text=_("What did this user process?"))
    subject = forms.UUIDField(label=_("Data subject (pseudonymous id)"), required=False,
                              help_text=_("Everything about one person, organisation or "
                                          "address. The id is on the signal page."))
    date_from = forms.DateField(label=_("From"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Up to and including"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if not any(data.get(k) for k in ("reference", "user", "subject")) and not self.errors:
            raise forms.ValidationError(_("Give a signal reference, a user or a data subject."))
        return data
