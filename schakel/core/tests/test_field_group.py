"""`includes/field.html` is written out in Python (`field_group`): the same HTML as the
template it replaced, byte for byte, for every field of every form of the app."""

import pytest
from django import forms
from django.template import Context, Engine, Template
from django.template.loader import get_template
from django.utils import translation

from schakel.core.tests.test_form_renderer import Everything, _forms_of_the_app

# The template as it was, kept here to compare with.
OLD = Template((
    '{% load i18n %}{% with id=field.auto_id %}\n'
    '<div class="field{% if show_errors and field.errors %} field-error{% endif %}{% '
    'if field.widget_type == \'checkbox\' %} field-checkbox{% endif %}">\n'
    '  {% if field.widget_type == "checkboxselectmultiple" or field.widget_type == "r'
    'adioselect" %}\n'
    '  <fieldset{% if field.help_text or show_errors and field.errors %} aria-describ'
    'edby="{% if field.help_text %}{{ id }}_helptext{% endif %}{% if show_errors and '
    'field.errors %} {{ id }}_error{% endif %}"{% endif %}>\n'
    '    <legend>{{ field.label }}{% if field.field.required and not optional_row %} '
    '<span class="required">({% translate "required" %})</span>{% endif %}</legend>\n'
    '    {% if field.help_text %}<p class="help" id="{{ id }}_helptext">{{ field.help'
    '_text }}</p>{% endif %}\n'
    '    {% if show_errors and field.errors %}<p class="error-text" id="{{ id }}_erro'
    'r">{{ field.errors|join:" " }}</p>{% endif %}\n'
    '    <div class="{{ field.widget_type }}">{% for choice in field %}<div class="ch'
    'oice">{{ choice.tag }} <label for="{{ choice.id_for_label }}">{{ choice.choice_l'
    'abel }}</label></div>{% endfor %}</div>\n'
    '  </fieldset>\n'
    '  {% elif field.widget_type == "checkbox" %}\n'
    '    {{ field }} <label for="{{ id }}">{{ field.label }}</label>\n'
    '    {% if field.help_text %}<p class="help" id="{{ id }}_helptext">{{ field.help'
    '_text }}</p>{% endif %}\n'
    '  {% else %}\n'
    '    <label for="{{ id }}">{{ field.label }}{% if field.field.required and not op'
    'tional_row %} <span class="required">({% translate "required" %})</span>{% endif'
    ' %}</label>\n'
    '    {% if field.help_text %}<p class="help" id="{{ id }}_helptext">{{ field.help'
    '_text }}</p>{% endif %}\n'
    '    {% if show_errors and field.errors %}<p class="error-text" id="{{ id }}_erro'
    'r">{{ field.errors|join:" " }}</p>{% endif %}\n'
    '    {{ field }}\n'
    '  {% endif %}\n'
    '</div>{% endwith %}\n'
), engine=Engine.get_default())
NEW = get_template("includes/field.html")


class Help(forms.Form):
    choice = forms.MultipleChoiceField(
        choices=[("a", "A & <b>"), ("b", "B")], widget=forms.CheckboxSelectMultiple,
        help_text="Kies <één>", label="Keuze \"x\"")
    radio = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect,
                              help_text="Een")
    flag = forms.BooleanField(help_text="Vink <aan>", label="Vlag & co")
    name = forms.CharField(help_text="Naam", label="Naam <x>")


def _both(form, **extra):
    for bound in form:
        context = {"field": bound, **extra}
        yield bound.name, OLD.render(Context(context)), NEW.render(context)


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("extra", [{}, {"show_errors": True}, {"show_errors": True,
                                                                "optional_row": True}])
def test_every_kind_of_field_is_written_as_the_template_wrote_it(language, extra):
    with translation.override(language):
        for form in (Help(), Help({"name": ""}), Help({"choice": ["a"], "flag": "on"}),
                     Everything(), Everything({"text": "too long", "radio": ""})):
            form.is_valid() if form.is_bound else None
            for name, old, new in _both(form, **extra):
                assert new == old, name


@pytest.mark.django_db
def test_every_field_of_every_form_of_the_app_is_written_as_before(make_user):
    compared = 0
    for cls, form in _forms_of_the_app():
        for extra in ({}, {"show_errors": True}):
            for name, old, new in _both(form, **extra):
                assert new == old, f"{cls.__name__}.{name}"
                compared += 1
    assert compared > 200
