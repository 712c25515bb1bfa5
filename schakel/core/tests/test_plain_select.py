"""PlainSelect writes the same select as Django's widget, without a template per option."""

import re

import pytest
from django import forms

from schakel.core.widgets import PlainSelect


def options(html: str) -> list[tuple[str, bool, str]]:
    return [(value, bool(selected), label) for value, selected, label in re.findall(
        r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html)]


CHOICES = [("", "anyone"), ("1", "Anna & Bo"), ("2", '<b>"x"</b>'),
           ("Team", [("3", "Ceder"), ("4", "Den")])]


@pytest.mark.parametrize("value", [None, "", "2", "4", "9"])
def test_the_options_their_escaping_and_the_chosen_one_are_djangos(value):
    class Form(forms.Form):
        plain = forms.ChoiceField(choices=CHOICES, required=False, widget=PlainSelect)
        django = forms.ChoiceField(choices=CHOICES, required=False)

    form = Form(initial={"plain": value, "django": value})
    plain, django = str(form["plain"]), str(form["django"])
    assert options(plain) == options(django)
    assert options(plain)  # the regular expression found them
    assert plain.count("<optgroup") == django.count("<optgroup") == 1
    assert 'name="plain"' in plain and 'id="id_plain"' in plain
    assert "&lt;b&gt;&quot;x&quot;&lt;/b&gt;" in plain and "Anna &amp; Bo" in plain


def test_the_attributes_a_page_gives_reach_the_select():
    widget = PlainSelect(attrs={"class": "wide"}, choices=[("a", "A")])
    html = widget.render("who", "a", attrs={"id": "id_who", "aria-describedby": "help"})
    opening = html[:html.index(">") + 1]
    for attribute in ('class="wide"', 'id="id_who"', 'aria-describedby="help"', 'name="who"'):
        assert attribute in opening
    assert '<option value="a" selected>A</option>' in html


@pytest.mark.django_db
def test_the_log_searchs_user_choice_lists_every_user_and_keeps_the_one_chosen(make_user):
    from schakel.audit.forms import LogSearchForm

    users = [make_user("officer"), make_user("employee")]
    html = str(LogSearchForm({"user": users[1].pk})["user"])
    found = options(html)
    assert {value for value, _, _ in found} >= {str(u.pk) for u in users}
    assert [value for value, selected, _ in found if selected] == [str(users[1].pk)]
