from django import forms
from django.utils.translation import gettext_lazy as _

from schakel.signals.models import SubjectKind

from .importer import FIELDS
from .models import Decision, Source

PURPOSE_HELP = _("Why you search, e.g. the signal you are enriching. Recorded in the "
                 "processing log; what you search for is not.")


class ParticularsForm(forms.Form):
    """The particulars a register search takes: at least one of them must be given."""

    name = forms.CharField(label=_("Name"), max_length=200, required=False,
                           help_text=_("Person or organisation, in any notation."))
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"},
                                                           format="%Y-%m-%d"))
    kvk_number = forms.CharField(label=_("Chamber of Commerce number"), max_length=20,
                                 required=False)
    street = forms.CharField(label=_("Address"), max_length=200, required=False,
                             help_text=_("Street and house number, or the whole address on "
                                         "one line: Molenweg 5, 3441 SN Woerden."))
    postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    city = forms.CharField(label=_("Place"), max_length=100, required=False)

    def clean(self):
        data = super().clean()
        if not self.errors and not any(data.get(f) for f in (
                "name", "date_of_birth", "kvk_number", "street", "postcode")):
            raise forms.ValidationError(
                _("Fill in a name, date of birth, Chamber of Commerce number, street or "
                  "postcode."))
        return data


class SearchForm(ParticularsForm):
    kind = forms.ChoiceField(label=_("Search for"), choices=SubjectKind.choices,
                             widget=forms.RadioSelect, initial=SubjectKind.PERSON)
    purpose = forms.CharField(label=_("Purpose"), max_length=200, help_text=PURPOSE_HELP)

    field_order = ["kind", "name", "date_of_birth", "kvk_number", "street", "postcode",
                   "city", "purpose"]


class EnrichmentSearchForm(ParticularsForm):
    """Search the register again for one subject of the signal, with other particulars."""

    subject = forms.IntegerField(widget=forms.HiddenInput)

    field_order = ["subject", "name", "date_of_birth", "kvk_number", "street", "postcode",
                   "city"]

    def __init__(self, *args, prefix_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        # One form per subject on the page: unique field ids. The id comes from the
        # request when the form is posted, so anything but digits is ignored.
        if prefix_id is not None and str(prefix_id).isdigit():
            self.auto_id = f"id_s{int(prefix_id)}_%s"

    @classmethod
    def for_subject(cls, subject) -> "EnrichmentSearchForm":
        number = f"{subject.house_number}{subject.house_number_addition}".strip()
        street = f"{subject.street} {number}".strip()
        return cls(prefix_id=subject.pk, initial={
            "subject": subject.pk, "name": subject.name, "date_of_birth": subject.date_of_birth,
            "kvk_number": subject.kvk_number, "street": street, "postcode": subject.postcode,
            "city": subject.city})


class LinkForm(forms.Form):
    subject = forms.IntegerField(widget=forms.HiddenInput)
    record = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=Decision.choices)
    score = forms.IntegerField(min_value=0, max_value=100, required=False,
                               widget=forms.HiddenInput)
    reason = forms.CharField(max_length=300, required=False, widget=forms.HiddenInput)


class SourceForm(forms.ModelForm):
    class Meta:
        model = Source
        fields = ["name", "owner", "confidentiality", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("CSV (comma or semicolon) or XLSX; "
                                                        "the first row holds the column names."))
    kind = forms.ChoiceField(label=_("Each row is a"), choices=SubjectKind.choices)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not (name.endswith(".csv") or name.endswith(".xlsx")):
            raise forms.ValidationError(_("Choose a .csv or .xlsx file."))
        return upload


class MappingForm(forms.Form):
    """One choice per register field: which column of the file holds it."""

    def __init__(self, *args, columns, initial_mapping, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("(not in the file)"))] + [(str(i), c) for i, c in enumerate(columns)]
        for field, label in FIELDS.items():
            self.fields[field] = forms.ChoiceField(
                label=label, choices=choices, required=False,
                initial=str(initial_mapping[field]) if field in initial_mapping else "")

    def mapping(self) -> dict[str, int]:
        return {f: int(v) for f, v in self.cleaned_data.items() if v != ""}

    def clean(self):
        data = super().clean()
        used = [v for v in data.values() if v]
        if len(used) != len(set(used)):
            raise forms.ValidationError(_("Each column can be used for one field only."))
        if not used:
            raise forms.ValidationError(_("Choose at least one column."))
        return data
