"""The form renderer: Django's widget templates, written out in Python.

Django renders every widget through a template, and every option of a select, every
checkbox of a list, through another one. The intake form has 36 fields and 33 choices:
half of its page's time went to those small templates. `FormRenderer` writes the same
HTML, byte for byte, for Django's own widget templates (input, textarea, select and its
options, checkbox and radio lists, a file input without a file yet); any other template
(a form's or a field's layout, a widget of a library) is rendered by the templates as
before.

`core/tests/test_form_renderer.py` renders every form of the app and a set of widgets
both ways and compares the HTML.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

WIDGETS = "django/forms/widgets/"


def _text(value) -> str:
    """`{{ value }}` in a template (localized, escaped unless safe)."""
    return conditional_escape(localize(value))


def _as_s(value) -> str:
    """`{{ value|stringformat:'s' }}` in a template."""
    text = str(value)
    return conditional_escape(mark_safe(text) if isinstance(value, SafeData) else text)


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html"""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {_text(name)}" if value is True else f' {_text(name)}="{_as_s(value)}"')
    return "".join(parts)


def _input(w: dict) -> str:
    value = "" if w["value"] is None else f' value="{_as_s(w["value"])}"'
    kind, name = _text(w["type"]), _text(w["name"])
    return f'<input type="{kind}" name="{name}"{value}{_attrs(w["attrs"])}>\n'


def _textarea(w: dict) -> str:
    value = _text(w["value"]) if w["value"] else ""
    return f'<textarea name="{_text(w["name"])}"{_attrs(w["attrs"])}>\n{value}</textarea>\n'


def _option(renderer, option: dict) -> str:
    render = PYTHON.get(option["template_name"])
    if render is None:
        return renderer.template_render(option["template_name"], {"widget": option})
    return render(renderer, option)


def _select_option(renderer, w: dict) -> str:
    return (f'<option value="{_as_s(w["value"])}"{_attrs(w["attrs"])}>'
            f'{_text(w["label"])}</option>\n')


def _input_option(renderer, w: dict) -> str:
    if not w.get("wrap_label"):
        return _input(w) + "\n"
    label_for = f' for="{_text(w["attrs"]["id"])}"' if w["attrs"].get("id") else ""
    return f'<label{label_for}>{_input(w)} {_text(w["label"])}</label>\n'


def _select(renderer, w: dict) -> str:
    parts = [f'<select name="{_text(w["name"])}"{_attrs(w["attrs"])}>']
    for group_name, options, _index in w["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        parts.extend(f"\n  {_option(renderer, option)}" for option in options)
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts)


def _multiple_input(renderer, w: dict) -> str:
    widget_id, css = w["attrs"].get("id"), w["attrs"].get("class")
    parts = ["<div", f' id="{_text(widget_id)}"' if widget_id else "",
             f' class="{_text(css)}"' if css else "", ">"]
    for group, options, _index in w["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{_text(group)}</label>")
        parts.extend(f"<div>\n    {_option(renderer, option)}</div>" for option in options)
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>\n")
    return "".join(parts)


def _file(renderer, w: dict) -> str | None:
    """clearable_file_input.html without a file already there (its value is then None:
    the plain input); with one, the template."""
    return None if w.get("is_initial") else _input(w)


PYTHON = {
    **{f"{WIDGETS}{name}.html": lambda renderer, w: _input(w) for name in (
        "input", "text", "email", "date", "number", "hidden", "password", "url", "time",
        "datetime", "search", "tel", "checkbox", "color")},
    f"{WIDGETS}textarea.html": lambda renderer, w: _textarea(w),
    f"{WIDGETS}select.html": _select,
    f"{WIDGETS}select_option.html": _select_option,
    f"{WIDGETS}input_option.html": _input_option,
    # These two include input_option.html and end with a line break of their own.
    f"{WIDGETS}checkbox_option.html": lambda renderer, w: _input_option(renderer, w) + "\n",
    f"{WIDGETS}radio_option.html": lambda renderer, w: _input_option(renderer, w) + "\n",
    f"{WIDGETS}multiple_input.html": _multiple_input,
    f"{WIDGETS}checkbox_select.html": _multiple_input,
    f"{WIDGETS}radio.html": _multiple_input,
    f"{WIDGETS}clearable_file_input.html": _file,
    f"{WIDGETS}file.html": lambda renderer, w: _input(w),
}


class FormRenderer(DjangoTemplates):
    """Django's template renderer, with its widget templates written out in Python."""

    def render(self, template_name, context, request=None):
        render = PYTHON.get(template_name)
        html = None if render is None or set(context) != {"widget"} else render(
            self, context["widget"])
        if html is None:
            return super().render(template_name, context, request)
        return html.strip()

    def template_render(self, template_name, context) -> str:
        """A template's output as an include gives it (not stripped)."""
        return self.get_template(template_name).render(context)
