"""The reporter's name stays with the officer (plan, step 2).

Log in as every other role, crawl every page the role can reach (following links
from the start page, plus every signal's page tried directly), and check that the
unique markers planted in the reporter's identity never appear: not in a page,
not in a title, not in a URL, not in a log line, not in an e-mail.
"""

import re
from urllib.parse import urljoin, urlparse

import pytest
from django.core import mail
from django.urls import reverse

from schakel.signals.models import Signal

NAME = "Zwaantje Lekvrij-q8kwz"
EMAIL = "lekvrij-q8kwz@example.invalid"
PHONE = "06-q8kwz-0000"
WITH_WHOM = "Overleg-q8kwz"
# The bare marker holds letters that are not hexadecimal: a hash, trace id or cursor on a
# processing-log page could otherwise carry it by chance (it once did, "8c1d", in CI).
MARKERS = (NAME, EMAIL, PHONE, "q8kwz")

HREF = re.compile(r'href="([^"#]+)"')
SKIP = ("/static/", "/uitloggen/", "/beheer/logout", "/taal/")


def crawl(client, start="/", limit=400):
    seen, queue, pages = set(), [start], {}
    while queue and len(seen) < limit:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, follow=True)
        body = response.content.decode(errors="replace")
        pages[url] = (response.status_code, body)
        for href in HREF.findall(body):
            href = urljoin(url, href.replace("&amp;", "&"))
            parsed = urlparse(href)
            if parsed.netloc not in ("", "testserver") or href.startswith(SKIP):
                continue
            target = parsed.path + (f"?{parsed.query}" if parsed.query else "")
            if not target.startswith(SKIP) and target not in seen:
                queue.append(target)
    return pages


@pytest.fixture
def signals_in_every_state(employee, officer, make_signal):
    from schakel.signals import actions

    routes = [[], ["receive"], ["receive", "dismiss"], ["receive", "dismiss", "close"],
              ["receive", "refer"], ["receive", "refer", "settle", "inform_reporter"]]
    made = []
    for steps in routes:
        signal = make_signal(employee, steps=steps, officer=officer, reporter_name=NAME)
        reporter = signal.reporter
        reporter.email, reporter.phone = EMAIL, PHONE
        reporter.team_lead_consulted_with = WITH_WHOM
        reporter.save()
        actions.signal_add_note(signal=signal, actor=officer, text="Notitie van de AF")
        made.append(signal)
    return made


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["employee_reporter", "colleague", "team_lead", "policy",
                                  "admin_user"])
def test_no_page_any_other_role_can_reach_shows_the_reporter(
        client, request, role, signals_in_every_state, caplog, employee):
    user = employee if role == "employee_reporter" else request.getfixturevalue(role)
    client.force_login(user)
    pages = crawl(client)
    for signal in Signal.objects.all():
        url = reverse("signals:detail", args=[signal.pk])
        pages.setdefault(url, (None, client.get(url).content.decode()))
    assert len(pages) > 3
    for url, (_, body) in pages.items():
        for marker in MARKERS:
            assert marker not in url
            assert marker not in body, f"{marker} leaked to {role} on {url}"
    for record in caplog.records:
        assert not any(m in record.getMessage() for m in MARKERS)
    for message in mail.outbox:
        assert not any(m in message.subject + message.body for m in MARKERS)


@pytest.mark.django_db
def test_the_officer_does_see_the_reporter(client, officer, signals_in_every_state):
    client.force_login(officer)
    body = client.get(reverse("signals:detail", args=[signals_in_every_state[1].pk]))
    html = body.content.decode()
    assert NAME in html and EMAIL in html and PHONE in html and WITH_WHOM in html


@pytest.mark.django_db
def test_the_officer_pages_keep_the_reporter_out_of_titles_and_lists(
        client, officer, signals_in_every_state):
    client.force_login(officer)
    for url in (reverse("signals:queue") + "?tab=all", reverse("home")):
        html = client.get(url, follow=True).content.decode()
        assert NAME not in html
    detail = client.get(reverse("signals:detail", args=[signals_in_every_state[0].pk]))
    title = re.search(r"<title>(.*?)</title>", detail.content.decode(), re.S).group(1)
    assert NAME not in title
