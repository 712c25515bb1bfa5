"""The error summary of every form page, found by base.html itself.

A failed submit re-renders its page with the bound forms in the context. base.html
asks `page_error_summary` for their errors: with any, the title starts with "Fout:"
and the summary at the top of the page links to each field. A view whose errors are
not (only) in its forms passes its own items as `error_summary` (see
core/error_summary.py), which then wins; a refusal after valid forms is `error`.
"""

from django import template
from django.forms import BaseForm, BaseFormSet

from schakel.core.error_summary import error_summary

register = template.Library()


def _forms_in(value, depth=0):
    """Bound forms and formsets in a context value: itself, or one level into a dict/list."""
    if isinstance(value, (BaseForm, BaseFormSet)):
        if value.is_bound:
            yield value
    elif depth == 0 and isinstance(value, dict):
        for item in value.values():
            yield from _forms_in(item, 1)
    elif depth == 0 and isinstance(value, (list, tuple)):
        for item in value:
            yield from _forms_in(item, 1)


@register.simple_tag(takes_context=True)
def page_error_summary(context) -> list[dict]:
    """One {label, text, anchor} per error of the page's bound forms, in page order."""
    explicit = context.get("error_summary")
    if explicit is not None:
        return list(explicit)
    seen, forms = set(), []
    for value in context.flatten().values():
        for form in _forms_in(value):
            if id(form) not in seen:
                seen.add(id(form))
                forms.append(form)
    items = error_summary(*forms)
    # An action refused after its form was valid (a referral that may not be sent now).
    error = context.get("error")
    if isinstance(error, str) and error:
        items.append({"label": "", "text": error, "anchor": ""})
    return items
