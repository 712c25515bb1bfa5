"""One form field with its label, help and errors: `includes/field.html`, written out here.

Every form of the app puts its fields through that include (the intake form 36 times);
its body was a dozen template tags per field, about 0.3 ms a field. This tag writes the
same HTML, byte for byte (`core/tests/test_field_group.py` compares it with the old
template for every form of the app). The include stays the place to call it, with the
context it always read: `field`, `show_errors` and `optional_row`.
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()

CHOICES = ("checkboxselectmultiple", "radioselect")


def _e(value) -> str:
    return conditional_escape(value)


@register.simple_tag(takes_context=True)
def field_group(context) -> str:
    field = context.get("field")
    show_errors = context.get("show_errors")
    optional_row = context.get("optional_row")
    id_ = _e(field.auto_id)
    kind = field.widget_type
    errors = field.errors if show_errors else None
    help_text = field.help_text
    required = (f' <span class="required">({_e(gettext("required"))})</span>'
                if field.field.required and not optional_row else "")
    help_html = (f'<p class="help" id="{id_}_helptext">{_e(help_text)}</p>'
                 if help_text else "")
    error_html = (f'<p class="error-text" id="{id_}_error">'
                  f'{" ".join(_e(e) for e in errors)}</p>' if errors else "")
    css = "field" + (" field-error" if errors else "") + (
        " field-checkbox" if kind == "checkbox" else "")
    out = [f'\n<div class="{css}">\n  ']
    if kind in CHOICES:
        described = ""
        if help_text or errors:
            described = (f' aria-describedby="{f"{id_}_helptext" if help_text else ""}'
                         f'{f" {id_}_error" if errors else ""}"')
        choices = "".join(
            f'<div class="choice">{choice.tag()} <label for="{_e(choice.id_for_label)}">'
            f'{_e(choice.choice_label)}</label></div>' for choice in field)
        out.append(
            f"\n  <fieldset{described}>\n"
            f"    <legend>{_e(field.label)}{required}</legend>\n"
            f"    {help_html}\n    {error_html}\n"
            f'    <div class="{_e(kind)}">{choices}</div>\n  </fieldset>\n  ')
    elif kind == "checkbox":
        out.append(f'\n    {field} <label for="{id_}">{_e(field.label)}</label>\n'
                   f"    {help_html}\n  ")
    else:
        out.append(f'\n    <label for="{id_}">{_e(field.label)}{required}</label>\n'
                   f"    {help_html}\n    {error_html}\n    {field}\n  ")
    out.append("\n</div>")
    return mark_safe("".join(out))
