from django import forms
from django.utils.translation import gettext_lazy as _

from schakel.core import clock


class DraftForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = clock.now().year
        self.fields["year"].choices = [(y, y) for y in range(this_year, this_year - 6, -1)]
        self.fields["year"].initial = this_year - 1 if clock.now().month < 7 else this_year


class TextsForm(forms.Form):
    """The policy role's texts: an introduction, one short text per pillar, a conclusion."""

    introduction = forms.CharField(label=_("Introduction"), required=False, max_length=5000,
                                   widget=forms.Textarea(attrs={"rows": 4}))
    conclusion = forms.CharField(label=_("In conclusion"), required=False, max_length=5000,
                                 widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, pillars=(), report=None, **kwargs):
        super().__init__(*args, **kwargs)
        texts = (report.pillar_texts if report else None) or {}
        for number, title in pillars:
            self.fields[f"pillar_{number}"] = forms.CharField(
                label=_("Pillar %(n)s: %(title)s") % {"n": number, "title": title},
                required=False, max_length=3000, initial=texts.get(str(number), ""),
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("A short text for the council on what was done under this pillar."))
        # The conclusion last, after the pillars.
        self.order_fields(["introduction"] + [f for f in self.fields if f.startswith("pillar_")]
                          + ["conclusion"])
        if report is not None:
            self.fields["introduction"].initial = report.introduction
            self.fields["conclusion"].initial = report.conclusion

    def pillar_texts(self) -> dict:
        return {name.removeprefix("pillar_"): value for name, value in self.cleaned_data.items()
                if name.startswith("pillar_")}
