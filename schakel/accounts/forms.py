from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """The second step of the login: a code from the app, or one of the recovery codes."""

    token = forms.CharField(
        label=_("Code"), max_length=32, strip=True,
        help_text=_("The six digits your authenticator app shows, or one of your "
                    "recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text",
                                      "autofocus": True}),
        error_messages={"required": _("Enter the code.")},
    )


class EnrolForm(forms.Form):
    token = forms.RegexField(
        label=_("Code from the app"), regex=r"^\s*\d{3}\s?\d{3}\s*$", max_length=16,
        help_text=_("The six digits the app shows after you added Schakel."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={"required": _("Enter the code."),
                        "invalid": _("Enter the six digits the app shows.")},
    )

    def clean_token(self):
        return "".join(self.cleaned_data["token"].split())
