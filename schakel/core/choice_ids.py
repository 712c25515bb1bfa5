"""Model choice fields refuse ids that no database column can hold.

Django's ModelChoiceField and ModelMultipleChoiceField pass the posted id into
the query; on SQLite an id beyond 64 bits raises OverflowError there, which
would become a server error instead of "Select a valid choice". Every model
choice field in Schakel (hand-written and those ModelForms make for foreign keys
and many-to-many fields) gets the range check below, installed once at start-up
by CoreConfig.ready.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

INT64 = (-(2**63), 2**63 - 1)


def _is_integer_key(field) -> bool:
    key = field.to_field_name or field.queryset.model._meta.pk.name
    model_field = field.queryset.model._meta.get_field(key)
    return isinstance(model_field, (models.IntegerField, models.AutoField))


def _out_of_range(value) -> bool:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return False  # not a number at all: Django's own check says so
    return not INT64[0] <= number <= INT64[1]


def install() -> None:
    single_to_python = forms.ModelChoiceField.to_python
    multiple_check = forms.ModelMultipleChoiceField._check_values

    def to_python(self, value):
        if value not in self.empty_values and _is_integer_key(self) and _out_of_range(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                  params={"value": value})
        return single_to_python(self, value)

    def check_values(self, value):
        if _is_integer_key(self):
            for item in value:
                if _out_of_range(item):
                    raise ValidationError(self.error_messages["invalid_choice"],
                                          code="invalid_choice", params={"value": item})
        return multiple_check(self, value)

    if getattr(forms.ModelChoiceField.to_python, "_schakel", False):
        return
    to_python._schakel = True
    forms.ModelChoiceField.to_python = to_python
    forms.ModelMultipleChoiceField._check_values = check_values
