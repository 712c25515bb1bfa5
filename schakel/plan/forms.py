"""Forms validate input only; the actions in actions.py do the work."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from schakel.accounts.models import Role, Team, User
from schakel.core import clock
from schakel.core.uploads import check_upload
from schakel.signals.forms import POSTCODE_RE
from schakel.signals.models import ExploitationForm

from . import schedule as sched
from .models import (
    Action,
    ActionKind,
    Campaign,
    Control,
    ControlKind,
    Meeting,
    MeetingKind,
    Occurrence,
    OccurrenceStatus,
    Pillar,
    PoliceFigures,
    Training,
    TrainingProvider,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _not_future(value):
    if value and value > clock.now().date():
        raise ValidationError(_("This date lies in the future."))
    return value


class PillarForm(forms.ModelForm):
    class Meta:
        model = Pillar
        fields = ["number", "title"]


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = ["pillar", "code", "title", "description", "schedule_text", "who",
                  "responsible_role", "owner", "kind", "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(
            is_active=True, role__in=[Role.OFFICER, Role.POLICY]).order_by("first_name")
        self.fields["owner"].label_from_instance = lambda u: u.display_name

    def clean_schedule_text(self):
        value = self.cleaned_data["schedule_text"].strip()
        try:
            sched.parse(value)
        except sched.ScheduleError as exc:
            raise ValidationError(str(exc)) from None
        return value


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Plan file (CSV)"),
                           help_text=_("One action per line, columns separated by semicolons."))


class OccurrenceDoneForm(forms.Form):
    done_on = forms.DateField(label=_("Date"), widget=DATE)
    participants = forms.CharField(label=_("Participants"), required=False, max_length=2000,
                                   widget=forms.Textarea(attrs={"rows": 2}))
    notes = forms.CharField(label=_("Notes"), required=False, max_length=10000,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def clean_done_on(self):
        return _not_future(self.cleaned_data["done_on"])


class OccurrenceSkipForm(forms.Form):
    reason = forms.CharField(label=_("Reason for skipping"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class OccurrenceDueForm(forms.Form):
    due = forms.DateField(label=_("Due date"), widget=DATE)


class OccurrenceLinkForm(forms.Form):
    record = forms.ChoiceField(
        label=_("Meeting, control, training or campaign"),
        help_text=_("Records of this kind in the moment's year that belong to no moment yet. "
                    "A moment that has passed is marked done on the record's date."))

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record"].choices = [("", "—"), *choices]


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Attachment"),
                           help_text=_("PDF, image or Office document, at most 10 MB."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.content_type = check_upload(upload)
        return upload


def _open_occurrences(kinds):
    return (Occurrence.objects.filter(action__kind__in=kinds, action__active=True,
                                      status=OccurrenceStatus.PLANNED)
            .select_related("action").order_by("due"))


class OccurrenceChoiceMixin:
    occurrence_kinds: tuple = ()

    def _setup_occurrence(self):
        field = self.fields.get("occurrence")
        if field is None:
            return
        qs = _open_occurrences(self.occurrence_kinds)
        if self.instance.pk and self.instance.occurrence_id:
            qs = qs | Occurrence.objects.filter(pk=self.instance.occurrence_id)
        field.queryset = qs.select_related("action").distinct()
        field.label_from_instance = lambda o: f"{o.action.title} · {o}"
        field.help_text = _("The planned moment of the plan this records; it is marked done.")


class MeetingForm(OccurrenceChoiceMixin, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["date", "title", "location", "occurrence", "attendees", "minutes"]
        widgets = {"date": DATE, "attendees": forms.Textarea(attrs={"rows": 2}),
                   "minutes": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.kind = kind
        self.occurrence_kinds = {
            MeetingKind.REGIONAL: (ActionKind.REGIONAL_MEETING,),
            MeetingKind.PARTNER: (ActionKind.PARTNER_MEETING,),
        }.get(kind, ())
        if kind == MeetingKind.CASE:
            del self.fields["occurrence"]
            self.fields["attendees"].help_text = _(
                "For example: community police officers of Montfoort, the undermining "
                "specialist of police district De Copen, team OOV.")
            self.fields["minutes"].help_text = _(
                "Name signals by their reference only; decisions per signal are recorded "
                "with the agenda items.")
        self._setup_occurrence()


class AgendaAddForm(forms.Form):
    signal = forms.ModelChoiceField(label=_("Signal"), queryset=None)
    question = forms.CharField(label=_("Question for the meeting"), max_length=500,
                               required=False)

    def __init__(self, *args, signals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signal"].queryset = signals
        self.fields["signal"].label_from_instance = lambda s: s.reference


class DecisionForm(forms.Form):
    decision = forms.CharField(label=_("Decision"), max_length=5000,
                               widget=forms.Textarea(attrs={"rows": 3}))


class PoliceFiguresForm(forms.ModelForm):
    class Meta:
        model = PoliceFigures
        fields = ["year", "area", "meeting", "reports", "victims", "suspects", "investigations",
                  "sexual", "labour", "criminal", "other", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.filter(kind=MeetingKind.REGIONAL)

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= clock.now().year:
            raise ValidationError(_("Give a year from 2000 up to this year."))
        return year


CONTROL_FIELDS = {
    ControlKind.WEBSITE: ["sites", "privacy_agreed", "privacy_agreed_on", "findings"],
    ControlKind.INTEGRAL: ["street", "house_number", "house_number_addition", "postcode",
                           "city", "partners_present", "findings"],
    ControlKind.HORECA: ["establishment", "street", "house_number", "house_number_addition",
                         "postcode", "city", "partners_present", "findings"],
    # The Wet Bibob: keep the application, the permit and the outcome, nothing more.
    ControlKind.BIBOB: ["application_reference", "permit_type", "bibob_outcome"],
}
CONTROL_ACTIONS = {
    ControlKind.WEBSITE: (ActionKind.WEBSITE_CHECK, ActionKind.CONTROL),
    ControlKind.INTEGRAL: (ActionKind.INTEGRAL_CONTROL, ActionKind.CONTROL),
    ControlKind.HORECA: (ActionKind.HORECA, ActionKind.CONTROL),
    ControlKind.BIBOB: (ActionKind.BIBOB,),
}


class ControlForm(OccurrenceChoiceMixin, forms.ModelForm):
    class Meta:
        model = Control
        fields = ["date", "occurrence", "sites", "privacy_agreed", "privacy_agreed_on",
                  "establishment", "street", "house_number", "house_number_addition", "postcode",
                  "city", "partners_present", "application_reference", "permit_type",
                  "bibob_outcome", "findings", "participants"]
        widgets = {"date": DATE, "privacy_agreed_on": DATE,
                   "sites": forms.Textarea(attrs={"rows": 2}),
                   "partners_present": forms.Textarea(attrs={"rows": 2}),
                   "findings": forms.Textarea(attrs={"rows": 5}),
                   "participants": forms.CheckboxSelectMultiple}

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.kind = kind
        keep = {"date", "occurrence", *CONTROL_FIELDS[kind]}
        if kind != ControlKind.BIBOB:
            keep.add("participants")
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        self.occurrence_kinds = CONTROL_ACTIONS[kind]
        self._setup_occurrence()
        if "participants" in self.fields:
            self.fields["participants"].queryset = User.objects.filter(
                is_active=True, role__in=[Role.EMPLOYEE, Role.TEAM_LEAD, Role.OFFICER]
            ).order_by("first_name", "last_name")
            self.fields["participants"].label_from_instance = lambda u: u.display_name
            self.fields["participants"].help_text = _(
                "Colleagues who took part see this control and can start a signal from it.")
        if kind == ControlKind.BIBOB:
            for name in CONTROL_FIELDS[kind]:
                self.fields[name].required = True
            self.fields["application_reference"].help_text = _(
                "The number of the permit application. Do not record the applicant's "
                "personal data here: the Wet Bibob does not allow it.")
        if kind == ControlKind.INTEGRAL:
            self.fields["street"].required = True
            self.fields["house_number"].required = True
        if kind == ControlKind.WEBSITE:
            self.fields["sites"].required = True

    def clean_date(self):
        return _not_future(self.cleaned_data["date"])

    def clean_postcode(self):
        value = (self.cleaned_data.get("postcode") or "").strip()
        if not value:
            return ""
        match = POSTCODE_RE.match(value)
        if not match:
            raise ValidationError(_("Enter a postcode like 3417 AB."))
        return f"{match.group(1)} {match.group(2).upper()}"

    def clean_house_number(self):
        value = (self.cleaned_data.get("house_number") or "").strip()
        if value and not value.isdigit():
            raise ValidationError(_("A house number consists of digits only."))
        return value

    def clean(self):
        data = super().clean()
        if self.instance.kind == ControlKind.WEBSITE:
            if not data.get("privacy_agreed"):
                self.add_error("privacy_agreed", _(
                    "Websites are checked only in agreement with the privacy officer (§3.4)."))
            elif not data.get("privacy_agreed_on"):
                self.add_error("privacy_agreed_on", _("Give the date of the agreement."))
        return data


class TrainingForm(OccurrenceChoiceMixin, forms.ModelForm):
    occurrence_kinds = (ActionKind.TRAINING,)

    class Meta:
        model = Training
        fields = ["date", "topic", "forms", "provider", "provider_other", "teams",
                  "participant_count", "trained", "occurrence", "notes"]
        widgets = {"date": DATE, "forms": forms.CheckboxSelectMultiple,
                   "teams": forms.CheckboxSelectMultiple,
                   "trained": forms.SelectMultiple(attrs={"size": 8}),
                   "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forms"].queryset = ExploitationForm.objects.all()
        self.fields["teams"].queryset = Team.objects.all()
        self.fields["trained"].queryset = User.objects.filter(is_active=True).select_related(
            "team").order_by("team__name", "first_name")
        self.fields["trained"].label_from_instance = (
            lambda u: f"{u.display_name} ({u.team or '—'})")
        self.fields["trained"].help_text = _("Used for the training coverage of the teams with "
                                             "client contact.")
        self._setup_occurrence()

    def clean_date(self):
        return _not_future(self.cleaned_data["date"])

    def clean(self):
        data = super().clean()
        if data.get("provider") == TrainingProvider.OTHER and not data.get("provider_other"):
            self.add_error("provider_other", _("Name the provider."))
        trained = data.get("trained") or []
        if data.get("participant_count") is not None and len(trained) > data["participant_count"]:
            self.add_error("participant_count", _(
                "Fewer participants than colleagues marked as attended."))
        return data


class CampaignForm(OccurrenceChoiceMixin, forms.ModelForm):
    occurrence_kinds = (ActionKind.CAMPAIGN,)

    class Meta:
        model = Campaign
        fields = ["title", "audience", "channel", "starts_on", "ends_on", "occurrence", "notes"]
        widgets = {"starts_on": DATE, "ends_on": DATE,
                   "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_occurrence()

    def clean(self):
        data = super().clean()
        if data.get("ends_on") and data.get("starts_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end lies before the start."))
        return data
