"""The form renderer writes Django's widget templates in Python: the same HTML, byte for byte."""

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

import schakel
from schakel.core.renderer import PYTHON, FormRenderer

DJANGO, OURS = DjangoTemplates(), FormRenderer()
CHOICES = [("", "—"), ("a", 'A "quoted" <b>'), ("b", gettext_lazy("all")), (3, 3),
           ("Groep", [("g1", "G één"), ("g2", mark_safe("<i>safe</i>"))])]


class _MultipleFiles(forms.FileInput):
    allow_multiple_selected = True


class Everything(forms.Form):
    text = forms.CharField(max_length=5, help_text="h", widget=forms.TextInput(
        attrs={"class": "x", "autofocus": True, "disabled": False, "data-n": 3}))
    email = forms.EmailField(required=False)
    number = forms.IntegerField(min_value=0)
    decimal = forms.DecimalField(required=False)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    hidden = forms.CharField(widget=forms.HiddenInput)
    password = forms.CharField(widget=forms.PasswordInput)
    area = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    check = forms.BooleanField(required=False)
    select = forms.ChoiceField(choices=CHOICES, required=False)
    multi = forms.MultipleChoiceField(choices=CHOICES, required=False)
    boxes = forms.MultipleChoiceField(choices=CHOICES, widget=forms.CheckboxSelectMultiple,
                                      required=False)
    radio = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect(attrs={"class": "r"}))
    upload = forms.FileField(required=False)
    stored = forms.FileField(required=False)  # with a file already there: the template
    plain_file = forms.FileField(widget=_MultipleFiles(attrs={"accept": "image/*"}),
                                 required=False)


class _StoredFile:
    url = "/bestand/1"

    def __str__(self):
        return "foto & <1>.jpg"


def both(form) -> list[tuple[str, str, str]]:
    out = []
    for name in form.fields:
        form.renderer = DJANGO
        theirs = str(form[name])
        form.renderer = OURS
        out.append((name, theirs, str(form[name])))
    return out


@pytest.mark.parametrize("data", [
    None,
    {"text": 'x"<y>&', "number": "12", "decimal": "1.5", "date": "2026-03-01", "hidden": "h",
     "password": "p", "area": "line\n<two>", "check": "on", "select": "g2",
     "multi": ["a", "3"], "boxes": ["b", "g1"], "radio": "3"},
    {"text": "too long", "number": "-1", "date": "x", "select": "zz", "radio": ""},
])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_kind_of_widget_renders_as_djangos_own_templates(data, language):
    from django.utils import translation

    with translation.override(language):
        form = Everything(data, initial={"text": mark_safe("<s>"), "check": True,
                                         "boxes": ["a"], "stored": _StoredFile()})
        form.is_valid()
        for name, theirs, ours in both(form):
            assert ours == theirs, name


def test_the_renderer_is_the_apps_and_knows_djangos_templates():
    from django.conf import settings

    assert settings.FORM_RENDERER == "schakel.core.renderer.FormRenderer"
    for template_name in PYTHON:  # each one a template Django has (a renamed one would fail)
        assert DJANGO.get_template(template_name) is not None


def _forms_of_the_app():
    """Each form class of the app, with an unbound instance; a form that needs arguments
    the page gives is left out (its widgets are of the kinds tested apart)."""
    for module_info in pkgutil.walk_packages(schakel.__path__, "schakel."):
        if not module_info.name.endswith(".forms"):
            continue
        module = importlib.import_module(module_info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                try:
                    form = cls()
                except TypeError:
                    continue
                yield cls, form


@pytest.mark.django_db
def test_every_form_of_the_app_renders_as_with_djangos_templates(make_user):
    rendered = 0
    for cls, form in _forms_of_the_app():
        for name, theirs, ours in both(form):
            assert ours == theirs, f"{cls.__name__}.{name}"
            rendered += 1
    assert rendered > 100


@pytest.mark.django_db
def test_the_log_searchs_user_choice_lists_every_user_and_keeps_the_one_chosen(make_user):
    import re

    from schakel.audit.forms import LogSearchForm

    users = [make_user("officer"), make_user("employee")]
    html = str(LogSearchForm({"user": users[1].pk})["user"])
    found = re.findall(r'<option value="([^"]*)"( selected)?>', html)
    assert {value for value, _ in found} >= {str(u.pk) for u in users}
    assert [value for value, selected in found if selected] == [str(users[1].pk)]
