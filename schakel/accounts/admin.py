"""The Django admin (/beheer/) for users and teams.

Roles are not changed here: the role, the staff and superuser flags, groups and
permissions are read-only, so the four-eyes rule of `accounts/roles.py` cannot be
gone around. A new user gets a role that needs no approval; the page "Roles" does
the rest. The password of an officer or an administrator is not set by another
administrator either (it would let one person log in as someone who sees reporters).
"""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from .models import NEEDS_APPROVAL, Role, Team, User

# Everything that decides what a user may see or do in the admin.
PRIVILEGE_FIELDS = ("role", "is_staff", "is_superuser", "groups", "user_permissions")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "client_contact"]


class UserCreationForm(AdminUserCreationForm):
    role = forms.ChoiceField(
        label=_("role"), initial=Role.EMPLOYEE,
        choices=[(v, label) for v, label in Role.choices if v not in NEEDS_APPROVAL],
        help_text=_("The officer's and the administrator's role are requested on the page "
                    "Roles after the user is made; a second person approves them."))

    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The admin renders this radio group's help text without the id its fieldset
        # points to (a dead aria-describedby); the label says enough.
        if "usable_password" in self.fields:
            self.fields["usable_password"].help_text = ""


class ChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # As above: the admin gives the password's help text no id (its widget has no
        # label target), so the reference from the widget would point nowhere.
        if "password" in self.fields:
            self.fields["password"].help_text = ""


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    add_form = UserCreationForm
    form = ChangeForm
    list_display = ["username", "first_name", "last_name", "role", "team", "is_active"]
    list_filter = ["role", "team", "is_active"]
    readonly_fields = [*PRIVILEGE_FIELDS, "last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "email", "phone"]}),
        (_("Schakel"), {"fields": ["team", "is_active", *PRIVILEGE_FIELDS],
                        "description": _("Change a role on the page Roles (/rollen/): the "
                                         "officer's and the administrator's role need a "
                                         "second person's approval.")}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"],
                "fields": ["username", "usable_password", "password1", "password2"]}),
        (_("Schakel"), {"fields": ["role", "team", "first_name", "last_name", "email"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and not self._may_set_password(request, obj):
            # No link to a password page that would answer 403.
            fieldsets = [(None, {"fields": ["username"]}), *fieldsets[1:]]
        return fieldsets

    @staticmethod
    def _may_set_password(request, user) -> bool:
        return user.pk == request.user.pk or user.role not in NEEDS_APPROVAL \
            or request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            if obj.role in NEEDS_APPROVAL:  # the form allows none of these; a forged POST
                raise PermissionDenied
            obj.is_staff = obj.is_superuser = False
        super().save_model(request, obj, form, change)
        if not change:
            import_string(settings.PROCESSING_LOG)(
                actor=request.user, activity="role", action="create", obj=obj,
                purpose="Gebruiker aangemaakt", changes={"step": "create",
                                                         "role": [None, obj.role]})

    def user_change_password(self, request, id, form_url=""):
        user = self.get_object(request, id)
        if user is not None and not self._may_set_password(request, user):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)
