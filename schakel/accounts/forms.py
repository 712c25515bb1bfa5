from django import forms
from django.conf import settings
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


class RoleForm(forms.Form):
    """An administrator's change of someone's role (or request for one needing approval)."""

    user = forms.ModelChoiceField(
        label=_("User"), queryset=None, empty_label=_("Choose a user"),
        error_messages={"required": _("Choose a user."),
                        "invalid_choice": _("Choose a user from the list.")})
    role = forms.ChoiceField(label=_("New role"), choices=(),
                             error_messages={"required": _("Choose a role."),
                                             "invalid_choice": _("Choose a role from the list.")})
    reason = forms.CharField(
        label=_("Reason"), max_length=300, required=False,
        help_text=_("Why this person needs the role. Required for the officer's and the "
                    "administrator's role, which a second person approves."),
        error_messages={"max_length": _("Write at most 300 characters.")})

    def __init__(self, *args, actor, **kwargs):
        from .models import Role, User

        super().__init__(*args, **kwargs)
        # Everyone but yourself: nobody changes their own role.
        self.fields["user"].queryset = (User.objects.filter(is_active=True)
                                        .exclude(pk=actor.pk).order_by("last_name", "username"))
        self.fields["user"].label_from_instance = (
            lambda u: f"{u.display_name} ({u.username}, {u.get_role_display()})")
        self.fields["role"].choices = [("", _("Choose a role")), *(
            c for c in Role.choices if c[0] != Role.REGION or settings.SCHAKEL.get("REGION"))]

    def clean(self):
        from .models import NEEDS_APPROVAL

        data = super().clean()
        if data.get("role") in NEEDS_APPROVAL and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give a reason: the second person decides on it."))
        return data


class RoleDecisionForm(forms.Form):
    note = forms.CharField(label=_("Note (optional)"), max_length=300, required=False,
                           error_messages={"max_length": _("Write at most 300 characters.")})
