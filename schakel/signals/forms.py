"""Forms validate input only; the actions in actions.py do the work."""

import re
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from schakel.core import clock
from schakel.core.uploads import check_upload

from . import catalog
from .models import Capacity, ExploitationForm, Indicator, Outcome, Signal, SubjectKind

POSTCODE_RE = re.compile(r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})\s*$")


class BaseForm(forms.Form):
    # Extra rows of a formset must not carry HTML 'required'.
    use_required_attribute = False


class SignalForm(BaseForm):
    YES_NO = [("yes", _("Yes")), ("no", _("No"))]

    urgent = forms.BooleanField(
        label=_("Immediate danger, immediate action needed"), required=False,
        help_text=_("The officer informs the police (AVIM) at once."),
    )
    exploitation_forms = forms.ModelMultipleChoiceField(
        label=_("Form(s) of exploitation"), queryset=ExploitationForm.objects.all(),
        widget=forms.CheckboxSelectMultiple, required=False,
        help_text=_("Choose one or more; choose 'other or unknown' if you are not sure."),
    )
    indicators = forms.ModelMultipleChoiceField(
        label=_("What did you notice?"), queryset=Indicator.objects.filter(active=True)
        .select_related("form"),
        widget=forms.CheckboxSelectMultiple, required=False,
    )
    background = forms.CharField(
        label=_("Background and what you saw or heard"), widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
        help_text=_("Describe the situation in your own words: what happened, who did what."),
    )
    observed_where = forms.CharField(label=_("Where"), max_length=200, required=False)
    observed_on = forms.DateField(
        label=_("When (date)"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
    )
    team_lead_consulted = forms.ChoiceField(
        label=_("Have you discussed the signal with your team lead?"), choices=YES_NO,
        widget=forms.RadioSelect,
    )
    team_lead_consulted_with = forms.CharField(
        label=_("With whom?"), max_length=200, required=False,
    )
    reporter_phone = forms.CharField(
        label=_("Your phone number"), max_length=30, required=False,
        help_text=_("Only the officer sees your name and contact details."),
    )
    reporter_email = forms.EmailField(label=_("Your e-mail address"), required=False)
    no_mail = forms.BooleanField(
        label=_("Do not e-mail me when the officer has a message about this signal"),
        required=False,
        help_text=_("The e-mail holds only the reference and a link, never the content. "
                    "Without it, look under 'My signals' now and then."))
    submission_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, team_members=None, draft=False, **kwargs):
        super().__init__(*args, **kwargs)
        # A draft may be incomplete: formats are still checked, completeness is not.
        self.draft = draft
        if draft:
            for name in ("background", "team_lead_consulted"):
                self.fields[name].required = False
        if not self.is_bound:
            self.initial.setdefault("submission_token", uuid.uuid4())
        if team_members is not None:
            self.fields["on_behalf_of"] = forms.ModelChoiceField(
                label=_("On behalf of"), queryset=team_members, required=False,
                empty_label=_("myself"),
                help_text=_("A team lead may file a signal for a member of the team."),
            )
            # Names, not user names: a team lead knows the team by name.
            self.fields["on_behalf_of"].label_from_instance = lambda u: u.display_name

    def clean_observed_on(self):
        value = self.cleaned_data.get("observed_on")
        if value and value > clock.now().date():
            raise ValidationError(_("This date lies in the future."))
        return value

    def clean(self):
        data = super().clean()
        chosen = set(data.get("exploitation_forms") or [])
        # An indicator implies its form of exploitation.
        chosen |= {i.form for i in data.get("indicators") or []}
        if not chosen and "exploitation_forms" not in self.errors and not self.draft:
            self.add_error("exploitation_forms", _("Choose at least one form of exploitation."))
        data["exploitation_forms"] = sorted(chosen, key=lambda f: f.order)
        if self.draft:
            return data
        if data.get("team_lead_consulted") == "yes" and not data.get("team_lead_consulted_with"):
            self.add_error("team_lead_consulted_with", _("Say with whom you discussed it."))
        return data


class PersonForm(BaseForm):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
    )
    nationality = forms.CharField(label=_("Nationality"), max_length=100, required=False)
    capacity = forms.ChoiceField(label=_("Capacity"), choices=[("", "—"), *Capacity.choices],
                                 required=False)
    description = forms.CharField(
        label=_("Description"), max_length=300, required=False,
        help_text=_("If the name is unknown: what does the person look like, what do they do?"),
    )
    kind = SubjectKind.PERSON

    def clean_date_of_birth(self):
        value = self.cleaned_data.get("date_of_birth")
        if value and value > clock.now().date():
            raise ValidationError(_("This date lies in the future."))
        if value and value.year < 1900:
            raise ValidationError(_("Check the year of birth."))
        return value

    def clean(self):
        data = super().clean()
        if not data.get("name") and not data.get("description"):
            raise ValidationError(_("Give a name or a description of the person."))
        if not data.get("capacity"):
            self.add_error("capacity", _("Choose the capacity in which the person is involved."))
        return data


class OrganisationForm(BaseForm):
    name = forms.CharField(label=_("Name of the organisation"), max_length=200)
    kvk_number = forms.RegexField(
        label=_("Chamber of Commerce number"), regex=r"^\s*\d{8}\s*$", required=False,
        error_messages={"invalid": _("A Chamber of Commerce number has 8 digits.")},
    )
    capacity = forms.ChoiceField(label=_("Capacity"), choices=[("", "—"), *Capacity.choices],
                                 required=False)
    kind = SubjectKind.ORGANISATION

    def clean_kvk_number(self):
        return (self.cleaned_data.get("kvk_number") or "").strip()


class AddressForm(BaseForm):
    street = forms.CharField(label=_("Street"), max_length=200)
    house_number = forms.RegexField(
        label=_("House number"), regex=r"^\s*\d{1,5}\s*$", max_length=10,
        error_messages={"invalid": _("A house number consists of digits only.")},
    )
    house_number_addition = forms.CharField(label=_("Addition"), max_length=10, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    city = forms.CharField(label=_("Place"), max_length=100, required=False)
    capacity = forms.ChoiceField(label=_("Capacity"), choices=[("", "—"), *Capacity.choices],
                                 required=False)
    kind = SubjectKind.ADDRESS

    def clean_house_number(self):
        return self.cleaned_data["house_number"].strip()

    def clean_postcode(self):
        value = self.cleaned_data.get("postcode", "")
        if not value.strip():
            return ""
        match = POSTCODE_RE.match(value)
        if not match:
            raise ValidationError(_("Enter a postcode like 3417 AB."))
        return f"{match.group(1)} {match.group(2).upper()}"


PersonFormSet = forms.formset_factory(PersonForm, extra=1, max_num=50, absolute_max=50)
OrganisationFormSet = forms.formset_factory(OrganisationForm, extra=1, max_num=20, absolute_max=20)
AddressFormSet = forms.formset_factory(AddressForm, extra=1, max_num=20, absolute_max=20)

SUBJECT_FORMSETS = (("persons", PersonFormSet), ("organisations", OrganisationFormSet),
                    ("addresses", AddressFormSet))


class VersionedForm(BaseForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    remark = forms.CharField(label=_("Remark (for the history)"), max_length=2000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class ReceiveForm(VersionedForm):
    pass


class DismissForm(VersionedForm):
    dismiss_reason = forms.CharField(label=_("Reason for dismissal"), max_length=5000,
                                     widget=forms.Textarea(attrs={"rows": 3}))


class InformReporterForm(VersionedForm):
    message_for_reporter = forms.CharField(
        label=_("Message for the reporter"), max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was done with the signal, as far as the reporter may know. "
                    "The reporter reads this under 'My signals'."),
    )


class CloseForm(VersionedForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "—"), *Outcome.choices])
    outcome_other = forms.CharField(label=_("Outcome, in your words"), max_length=200,
                                    required=False)

    def __init__(self, *args, needs_message=False, **kwargs):
        super().__init__(*args, **kwargs)
        if needs_message:
            self.fields["message_for_reporter"] = InformReporterForm.base_fields[
                "message_for_reporter"]

    def clean(self):
        data = super().clean()
        if data.get("outcome") == Outcome.OTHER and not data.get("outcome_other", "").strip():
            self.add_error("outcome_other", _("Describe the outcome."))
        return data


TRANSITION_FORMS = {
    "receive": ReceiveForm,
    "dismiss": DismissForm,
    "inform_reporter": InformReporterForm,
    "close": CloseForm,
}


class NoteForm(BaseForm):
    text = forms.CharField(label=_("Note"), max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class QueueFilterForm(BaseForm):
    """The work queue's filters. Invalid values are ignored, never an error page."""

    TABS = [("new", _("New")), ("mine", _("Mine")), ("all", _("All"))]
    SORTS = [("urgent", _("Urgent first, newest first")), ("oldest", _("Oldest first")),
             ("reference", _("Reference")), ("state", _("Status"))]

    tab = forms.ChoiceField(choices=TABS, required=False)
    state = forms.ChoiceField(label=_("Status"), required=False)
    form = forms.ChoiceField(label=_("Form of exploitation"), required=False)
    urgent = forms.ChoiceField(label=_("Urgency"), required=False,
                               choices=[("", _("all")), ("yes", _("urgent only")),
                                        ("no", _("not urgent"))])
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORTS, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .workflow import State

        self.fields["state"].choices = [("", _("all")), *[
            c for c in State.choices if c[0] != State.DRAFT]]
        # The forms of exploitation from the catalogue the process keeps (catalog.py).
        self._exploitation_forms = {f.code: f for f in catalog.forms()}
        self.fields["form"].choices = [("", _("all")), *[
            (code, str(f)) for code, f in self._exploitation_forms.items()]]

    def clean_form(self):
        return self._exploitation_forms.get(self.cleaned_data["form"])

    def form_names(self, signals) -> dict[int, str]:
        """Each signal's forms of exploitation as one text, in the forms' own order: one
        read of the link table, the names from the catalogue."""
        links = list(Signal.forms.through.objects.filter(
            signal_id__in=[s.pk for s in signals]).values_list(
            "signal_id", "exploitationform_id"))
        by_id = catalog.forms_by_pk({form_id for _, form_id in links})
        found: dict[int, list] = {}
        for signal_id, form_id in links:
            found.setdefault(signal_id, []).append(by_id[form_id])
        return {pk: ", ".join(str(f) for f in sorted(forms, key=lambda f: (f.order, f.pk)))
                for pk, forms in found.items()}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class AttachmentForm(BaseForm):
    """Files with a signal, each checked by its structure (`core.uploads`)."""

    files = MultipleFileField(
        label=_("Photos, scanned letters or screenshots"), required=False,
        help_text=_("Optional. PDF, image or Office document, at most 10 MB each and "
                    "10 per signal. Only the officer sees them, and you what you added."))

    def __init__(self, *args, required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].required = required

    def clean_files(self):
        from .attachments import MAX_PER_SIGNAL

        uploads = self.cleaned_data.get("files") or []
        if len(uploads) > MAX_PER_SIGNAL:
            raise ValidationError(_("Choose at most %(max)d files.") % {"max": MAX_PER_SIGNAL})
        errors, self.checked = [], []
        for upload in uploads:
            try:
                self.checked.append((upload, check_upload(upload)))
            except ValidationError as exc:
                errors.extend(f"{upload.name}: {m}" for m in exc.messages)
        if errors:
            raise ValidationError(errors)
        return uploads
