"""The error summary at the top of a form page (the NL Design System / GOV.UK pattern).

After a failed submit the page title starts with "Fout:", and a summary at the top
gets the focus: a heading, then one link per error to the field it is about, so a
keyboard or screen-reader user hears what went wrong and jumps to it.
"""

from django.forms import BaseFormSet
from django.forms.forms import NON_FIELD_ERRORS


def _anchor(bound_field) -> str:
    # Radio buttons and checkbox lists have no single id: link to the first choice.
    return bound_field.id_for_label or f"{bound_field.auto_id}_0"


def _first_field_anchor(form) -> str:
    for bound in form.visible_fields():
        return _anchor(bound)
    return ""


def error_summary(*forms, extra=()) -> list[dict]:
    """One {label, text, anchor} per error of the forms and formsets, in page order.

    `extra` adds errors the forms do not hold, as (text, anchor) pairs.
    """
    items = []
    for form in forms:
        if form is None or not form.is_bound:
            continue
        if isinstance(form, BaseFormSet):
            for row in form.forms:
                items.extend(error_summary(row))
            for text in form.non_form_errors():
                anchor = _first_field_anchor(form.forms[0]) if form.forms else ""
                items.append({"label": "", "text": text, "anchor": anchor})
            continue
        for name, errors in form.errors.items():
            if name == NON_FIELD_ERRORS or name not in form.fields:
                label, anchor = "", _first_field_anchor(form)
            else:
                bound = form[name]
                label, anchor = bound.label, _anchor(bound)
            items.extend({"label": label, "text": text, "anchor": anchor} for text in errors)
    items.extend({"label": "", "text": text, "anchor": anchor} for text, anchor in extra)
    return items
