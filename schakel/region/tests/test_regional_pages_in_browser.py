"""The regional pages in Debian's Chromium, on the region's own installation (issue 17).

The every-page walk of issue 14 runs the demo's roles on a municipality's installation,
where the regional pages answer 404. Here the installation is the region's (two
municipalities), both have a stored, validated share and the region an agenda; the
ketenregisseur and the administrator log in through the real form (with the second step)
and every regional page they reach gets the walk's own checks: axe WCAG 2.1 A/AA, the
`aria-describedby` targets, no sideways scroll at 320 px, a title of its own. The PDF and
CSV answer with their types. Then an officer writes an agenda question with the keyboard
only: the name warning, the confirmation box, and the error summary of a failed submit.
"""

import time
from urllib.parse import urlparse

import pytest

from schakel.core.tests.test_every_page_accessible_in_browser import (
    MISSING_DESCRIBEDBY,
    Walk,
    _axe,
    _axe_source,
    _route_of,
)

from .test_pages import _register_person
from .test_validate_and_combine import a_share, cell, period

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "Johannes Verbeek"


def _partner(code, sent, answered, waiting, days):
    return {"partner": code, "sent": cell(sent), "answered": cell(answered),
            "no_response": cell(0), "waiting": cell(waiting), "median_days": days}


@pytest.fixture
def stored_shares(region_settings):
    """Both municipalities answered: a validated share of two quarters, and an agenda."""
    from django.conf import settings

    from schakel.region import actions, validate
    from schakel.region.models import FetchStatus, Municipality
    from schakel.reports import figures

    actions.municipalities_sync(settings.SCHAKEL["REGION"])
    agenda = {"schema": validate.AGENDA_SCHEMA, "items": [
        {"id": 3, "question": "Hoe gaan jullie om met uitzendbureaus?", "quarter": "2026-Q3"}]}
    for n, municipality in enumerate(Municipality.objects.order_by("name"), start=1):
        share = a_share(
            period("2026-Q2", 10 * n, 0, 10 * n, 6 * n, "x",
                   partners=[_partner("avim", 6 * n, 5 * n, "x", 3.0 + n)]),
            period("2026-Q3", 12 * n, "x", 12 * n, 7 * n, 5 * n,
                   partners=[_partner("avim", 7 * n, 6 * n, "x", 2.0 * n)]))
        actions.fetch_recorded(
            municipality_id=municipality.pk, status=FetchStatus.OK,
            share=validate.share(share, threshold=figures.threshold()),
            agenda=validate.agenda(agenda) if n == 2 else [])


class RegionWalk(Walk):
    """The issue 14 walk, kept to the region's pages."""

    def wanted(self, url) -> bool:
        route = _route_of(urlparse(url).path)
        return route is not None and route[0].startswith("region:") and super().wanted(url)


def _context(browser, axe):
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    context.add_init_script(script=axe)
    return context


def _tab_to(page, selector, limit=60):
    """Press Tab until `selector` has the focus, as someone without a mouse would."""
    for _i in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reaches {selector}")


def _send(page):
    """Enter on the focused submit button, and wait for the answer."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _checked(page, where, problems):
    problems += [f"{where}: {v}" for v in _axe(page)]
    missing = page.evaluate(MISSING_DESCRIBEDBY)
    if missing:
        problems.append(f"{where}: aria-describedby names missing ids {missing}")


def _question_by_keyboard(page, base, problems):
    from schakel.region.models import RegionalQuestion

    page.goto(f"{base}/regio/vragen/")
    _tab_to(page, "textarea[name=text]")
    page.keyboard.type(f"Wat doen jullie als {NAME} weer op een ander adres opduikt?")
    _tab_to(page, ".step-form button[type=submit]")
    _send(page)
    warning = page.get_by_role("alert")
    assert NAME in warning.inner_text(), "the register's name is warned about"
    assert not page.title().startswith("Fout"), "a warning is not an error"
    _checked(page, "officer /regio/vragen/ (warning)", problems)

    # Sent again without ticking the box: the error summary, with the focus on it.
    _tab_to(page, ".step-form button[type=submit]")
    _send(page)
    assert page.title().startswith("Fout: "), page.title()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    _checked(page, "officer /regio/vragen/ (failed submit)", problems)
    links = page.locator("[data-error-summary] a[href^='#']")
    assert links.count() == 1, page.locator("[data-error-summary]").inner_html()
    target = links.first.get_attribute("href")[1:]
    assert page.evaluate("id => !!document.getElementById(id)", target)

    # The summary's link leads to the box; Space ticks it, Enter sends the question.
    _tab_to(page, "[data-error-summary] a[href^='#']")
    page.keyboard.press("Enter")
    _tab_to(page, "input[name=confirm]")
    page.keyboard.press("Space")
    assert page.locator("input[name=confirm]").is_checked()
    _tab_to(page, ".step-form button[type=submit]")
    _send(page)
    assert not page.title().startswith("Fout"), page.title()
    question = RegionalQuestion.objects.get()
    assert question.warnings_overruled == 1 and NAME in question.text
    _checked(page, "officer /regio/vragen/ (sent)", problems)


def _failed_token(page, base, problems):
    """A token that is not one: "Fout:" in the title, one summary, with the focus."""
    from schakel.region.models import Municipality

    path = f"/regio/gemeenten/{Municipality.objects.order_by('pk').first().pk}/token/"
    page.goto(base + path)
    page.locator("input[name=token]").fill("geheim")
    _send(page)
    assert page.title().startswith("Fout: "), page.title()
    assert page.locator("[data-error-summary]").count() == 1
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    _checked(page, f"region-admin {path} (failed submit)", problems)


def test_the_regional_pages_pass_axe_reflow_and_have_their_own_titles(
        browser, live_server, login, make_user, officer, stored_shares, capsys):
    started = time.monotonic()
    base, axe, problems, counted = live_server.url, _axe_source(), [], {}
    ketenregisseur = make_user("region", team=None)
    admin = make_user("admin", team=None, is_staff=True)
    # Not the access matrix's role names: that matrix is a municipality's installation.
    for role, user, starts in (("ketenregisseur", ketenregisseur,
                                ["/regio/", "/regio/?kwartaal=2026-Q2"]),
                               ("region-admin", admin, ["/regio/gemeenten/"])):
        context = _context(browser, axe)
        page = login(context.new_page(), user)
        walk = RegionWalk(page, base, role)
        walk.crawl([base + path for path in starts])
        walk.check_titles()
        problems += walk.problems
        counted[role] = sorted(walk.per_route)
        if role == "ketenregisseur":
            # The report's own stylesheet is let through the page's content policy.
            page.goto(f"{base}/regio/rapport/")
            assert page.evaluate("getComputedStyle(document.body).maxWidth") != "none"
            for path, kind in (("/regio/rapport.pdf", "application/pdf"),
                               ("/regio/rapport.csv", "text/csv")):
                response = page.request.get(f"{base}{path}?kwartaal=2026-Q3")
                assert response.status == 200, path
                assert response.headers["content-type"].startswith(kind), path
        if role == "region-admin":
            _failed_token(page, base, problems)
        context.close()

    context = _context(browser, axe)
    page = login(context.new_page(), officer)
    _register_person(NAME)
    _question_by_keyboard(page, base, problems)
    context.close()

    with capsys.disabled():
        print(f"\nregional walk: {counted}, {time.monotonic() - started:.0f} s")
    assert {"region:overview", "region:document", "region:agenda"} <= set(counted["ketenregisseur"])
    assert {"region:municipalities", "region:municipality_token"} <= set(counted["region-admin"])
    assert problems == [], "\n".join(problems)
