"""Labels of choice fields, looked up in a table made once per field.

Django's `get_FOO_display` rebuilds a dictionary of all the field's choices on every
call (making each choice hashable first). A list page shows a label per row and per
column: the processing log's 50 rows with an activity of 60 choices built 3,000 tuples
per page. With `ChoiceLabels` first among a model's bases, `get_FOO_display` looks the
value up in a table built at its first use; the labels stay lazy, so each page still
shows them in the reader's language.

Only for fields whose choices are fixed when the model is defined (all of Schakel's):
choices changed at run time would not be seen.
"""

from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

_labels: dict = {}


def choice_labels(field) -> dict:
    """{value: label} of a model field's choices, built once."""
    labels = _labels.get(field)
    if labels is None:
        labels = _labels[field] = {make_hashable(value): label
                                   for value, label in field.flatchoices}
    return labels


class ChoiceLabels:
    """Mix into a model (before models.Model) for a fast `get_FOO_display`."""

    def _get_FIELD_display(self, field):  # noqa: N802  (Django's name)
        value = getattr(self, field.attname)
        label = choice_labels(field).get(make_hashable(value), value)
        return force_str(label, strings_only=True)
