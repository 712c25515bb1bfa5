"""After a failed submit every form page says so in its title and sums up its errors.

base.html finds the page's bound forms itself (core/templatetags/error_summary_tags.py);
these are form pages of apps whose views know nothing of the summary.
"""

import re

import pytest
from django.forms import Form, IntegerField
from django.template import Context

from schakel.core.templatetags.error_summary_tags import page_error_summary


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def _summary_anchors(html: str) -> list[str]:
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert summary, "no error summary on the page"
    return re.findall(r'href="#([^"]+)"', summary.group(0))


@pytest.mark.django_db
@pytest.mark.parametrize("role, url, data, kept", [
    ("policy", "/actieplan/actie/nieuw/", {"title": "Bewaard-7731"}, "Bewaard-7731"),
    ("officer", "/register/bronnen/nieuw/", {"name": "Bewaard-7731"}, "Bewaard-7731"),
    ("officer", "/inzageverzoeken/", {"person_name": "Bewaard-7731"}, "Bewaard-7731"),
    ("admin", "/ketenpartners/nieuw/", {"email": "Bewaard-7731"}, "Bewaard-7731"),
    ("admin", "/rollen/", {"reason": "Bewaard-7731"}, "Bewaard-7731"),
    ("officer", "/account/tokens/", {"name": "Bewaard-7731", "expires_on": "2020-01-01"},
     "Bewaard-7731"),
])
def test_a_failed_submit_gives_fout_in_the_title_a_linked_summary_and_keeps_the_input(
        client, make_user, role, url, data, kept):
    user = make_user(role, **({"is_staff": True} if role == "admin" else {}))
    client.force_login(user)
    html = client.post(url, data).content.decode()
    assert _title(html).startswith("Fout: ")
    anchors = _summary_anchors(html)
    assert anchors and all(f'id="{a}"' in html for a in anchors)
    assert 'data-error-summary' in html and kept in html


@pytest.mark.django_db
def test_a_page_read_without_a_submit_has_no_summary_and_a_plain_title(client, make_user):
    client.force_login(make_user("policy"))
    html = client.get("/actieplan/actie/nieuw/").content.decode()
    assert not _title(html).startswith("Fout") and "data-error-summary" not in html


def test_the_summary_finds_forms_in_lists_and_dicts_and_prefers_explicit_items():
    class Numbers(Form):
        n = IntegerField(label="Aantal")

    bad, unbound = Numbers({"n": "x"}), Numbers()
    items = page_error_summary(Context({"forms": {"a": bad, "b": unbound}}))
    assert [(i["label"], i["anchor"]) for i in items] == [("Aantal", "id_n")]
    assert page_error_summary(Context({"form": bad, "error_summary": []})) == []
    refused = page_error_summary(Context({"form": unbound, "error": "Niet nu."}))
    assert refused == [{"label": "", "text": "Niet nu.", "anchor": ""}]


@pytest.mark.django_db
def test_in_english_the_title_starts_with_error(client, make_user, settings):
    client.force_login(make_user("policy"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.post("/actieplan/actie/nieuw/", {"title": "Kept"}).content.decode()
    assert _title(html).startswith("Error: ") and "There is a problem" in html
