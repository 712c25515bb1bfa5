"""Forms of the regional pages: input only; `actions.py` does the work."""

from django import forms
from django.utils.translation import gettext_lazy as _


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("Question for the regional meeting"), max_length=1000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Anonymous: no names, addresses, dates of birth, references or other "
                    "details that point to a person, an organisation or a case."),
        error_messages={"required": _("Write the question.")})
    reference = forms.CharField(
        label=_("Signal it comes from (optional)"), max_length=30, required=False,
        help_text=_("Its reference, e.g. MH-2026-00012. Only used to check the text for "
                    "the signal's names and addresses; it is never shared."))
    confirm = forms.BooleanField(
        label=_("I have read the question: it names no person, organisation or address and "
                "cannot be traced to a case."), required=False)
    # The text the warnings were shown for; a changed text is checked again.
    warned = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("System token"), max_length=100, strip=True,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("The token the municipality's administrator made with the scope "
                    "'Regional share only' and a second person approved."),
        error_messages={"required": _("Enter the token.")})
