"""Every page of every role in Debian's Chromium: axe, help texts, titles, reflow (issue 14).

The demo is loaded (plus a feedback link and an access request, so every kind of detail
page has an object) and each role logs in through the real login form, the Django admin
included for the administrator and the partner's feedback page through its link. The
pages are found, not listed: every parameterless route of the URL configuration, then
every link on the pages reached, at most a few objects per route. On each page:

- axe-core finds no violation of the WCAG 2.1 A and AA rules;
- every id named in an `aria-describedby` exists on the page;
- at 320 CSS pixels wide the page does not scroll sideways as a whole (WCAG 1.4.10);
- the title is its own: two objects of one route never share a title.

Then one failing submit per app with forms: the title starts with "Fout:", the error
summary has the focus, each of its links leads to a field on the page, and what was
typed is still there.
"""

import datetime
import os
import re
import time
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from schakel.core.tests.test_access_matrix import EXPECTED
from schakel.core.tests.test_access_matrix import ROLES as MATRIX_ROLES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-a11y-wachtwoord-1"
ROLES = {"employee": "medewerker", "team_lead": "teamcoordinator",
         "officer": "aandachtsfunctionaris", "policy": "beleid", "admin": "beheer"}
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
        "resultTypes": ["violations"]}
PER_ROUTE = 2  # objects per route: enough to compare titles, few enough to stay fast
# Not pages: leaving, switching language, and what the browser downloads or shows raw.
SKIP_VIEWS = {"logout", "set_language", "admin:logout", "admin:jsi18n", "plan:export",
              "plan:feed", "plan:attachment", "reports:file", "privacy:certificate",
              "signals:attachment", "signals:attachment_thumbnail", "partners:link_attachment",
              "api:schema", "admin:view_on_site", "accounts:oidc_start",
              "accounts:oidc_callback"}
SKIP_PREFIXES = ("/static/", "/api/v1/", "/gezondheid/", "/metrics")

MISSING_DESCRIBEDBY = """() => {
  const missing = [];
  for (const el of document.querySelectorAll('[aria-describedby]')) {
    for (const id of el.getAttribute('aria-describedby').split(/\\s+/)) {
      if (id && !document.getElementById(id)) missing.push(id);
    }
  }
  return missing;
}"""
LINKS = """() => Array.from(document.querySelectorAll('a[href]'))
  .filter(a => !a.hasAttribute('download')).map(a => a.href)"""
SCROLLS_SIDEWAYS = """() => document.documentElement.scrollWidth >
  document.documentElement.clientWidth"""
TOO_WIDE = """() => {
  // The outermost elements that stick out on the right, to say what to fix.
  const width = document.documentElement.clientWidth, found = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.getBoundingClientRect().right > width + 1 &&
        !(el.parentElement && el.parentElement.closest('.table-scroll')) &&
        !(el.parentElement && el.parentElement.getBoundingClientRect().right > width + 1)) {
      found.push(el.tagName.toLowerCase() + (el.className ? '.' + el.className : '') +
                 (el.id ? '#' + el.id : ''));
    }
  }
  return found.slice(0, 5);
}"""


def _axe_source() -> str:
    """axe-core as bundled with axe-playwright-python (no network)."""
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()


def _axe(page) -> list[str]:
    """The WCAG 2.1 A/AA violations on the page; axe is in every page (an init script)."""
    found = page.evaluate("options => axe.run(document, options)", WCAG)["violations"]
    return [f"axe {v['id']} {[n['target'] for n in v['nodes']][:5]}" for v in found]


def _parameterless_routes(patterns=None, prefix=""):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            yield from _parameterless_routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            if "<" not in route and "(?P" not in route and not route.startswith("^"):
                yield "/" + route.replace("^", "").replace("$", "")


def _route_of(path: str):
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name, tuple(sorted(match.kwargs.items()))


@pytest.fixture
def demo(monkeypatch, settings, mailoutbox, django_capture_on_commit_callbacks):
    """The demo with a feedback link and an access request; returns the partner's link."""
    from schakel.accounts.models import User
    from schakel.partners.models import OutboxMessage
    from schakel.privacy.access_requests import access_request_start

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    monkeypatch.setattr("schakel.partners.linkguard.PER_CLIENT", 10_000)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo", "--quiet")
    officer = User.objects.get(username=ROLES["officer"])
    access_request_start(actor=officer, person_name="Inzage Verzoeker", date_of_birth=None,
                         received_on=datetime.date(2026, 11, 2), hits=[])
    bodies = [m.body for m in mailoutbox] + [m.body for m in OutboxMessage.objects.all()]
    links = [m.group(1) for b in bodies
             for m in [re.search(r"(/terugkoppeling/[A-Za-z0-9_\-]+/)", b)] if m]
    assert links, "the demo's referral sent the partner a feedback link"
    return links[-1]


class Walk:
    """One role's walk: the pages found, their titles, and what is wrong on them."""

    def __init__(self, page, base, role):
        self.page, self.base, self.role = page, base, role
        self.problems, self.titles, self.per_route = [], {}, {}
        self.pages = 0
        self.spent = {"load": 0.0, "axe": 0.0, "reflow": 0.0}

    def visit(self, url) -> list[str]:
        """Check one page; return the links on it."""
        page = self.page
        t0 = time.monotonic()
        try:
            try:
                response = page.goto(url)
            except Exception as exc:  # the error page of a previous download took over
                if "interrupted by another navigation" not in str(exc):
                    raise
                response = page.goto(url)
        except Exception as exc:
            # A download starts instead of a page, or a POST-only route answers an empty 405.
            if "Download is starting" in str(exc) or "ERR_HTTP_RESPONSE_CODE" in str(exc):
                page.goto("about:blank")
                return []
            raise
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            return []
        path = urlparse(page.url).path
        if response.status >= 400:
            self.problems.append(f"{self.role} {path}: status {response.status}")
            return []
        self.pages += 1
        where = f"{self.role} {urlparse(page.url).path}"
        t1 = time.monotonic()
        self.problems += [f"{where}: {v}" for v in _axe(page)]
        t2 = time.monotonic()
        missing = page.evaluate(MISSING_DESCRIBEDBY)
        if missing:
            self.problems.append(f"{where}: aria-describedby names missing ids {missing}")
        page.set_viewport_size({"width": 320, "height": 800})
        if page.evaluate(SCROLLS_SIDEWAYS):
            width = page.evaluate("document.documentElement.scrollWidth")
            self.problems.append(f"{where}: scrolls sideways at 320 px ({width} px wide): "
                                 f"{page.evaluate(TOO_WIDE)}")
        page.set_viewport_size({"width": 1280, "height": 900})
        t3 = time.monotonic()
        for phase, spent in (("load", t1 - t0), ("axe", t2 - t1), ("reflow", t3 - t2)):
            self.spent[phase] += spent
        route = _route_of(path)
        if route is not None:
            self.titles.setdefault(page.title(), set()).add(route)
        return page.evaluate(LINKS)

    def wanted(self, url) -> bool:
        parsed = urlparse(url)
        if f"{parsed.scheme}://{parsed.netloc}" != self.base or parsed.path.startswith(
                SKIP_PREFIXES):
            return False
        route = _route_of(parsed.path)
        if route is None or route[0] in SKIP_VIEWS or route[0].endswith("_delete"):
            return False
        seen = self.per_route.setdefault(route[0], set())
        key = (route[1], parsed.query)
        if key in seen:
            return False
        if len(seen) >= PER_ROUTE:
            return False
        seen.add(key)
        return True

    def crawl(self, starts):
        queue, done = [], set()
        for url in starts:
            # Only the routes the access matrix lets this role open (not POST-only ones).
            route = _route_of(urlparse(url).path)
            allowed = self.role not in MATRIX_ROLES or (
                route is not None and route[0] in EXPECTED
                and EXPECTED[route[0]][MATRIX_ROLES.index(self.role)] == 200)
            if allowed and self.wanted(url):
                queue.append(url)
        while queue:
            url = queue.pop(0).split("#")[0]
            if url in done:
                continue
            done.add(url)
            for link in self.visit(url):
                link = urljoin(url, link).split("#")[0]
                if link not in done and self.wanted(link):
                    queue.append(link)

    def check_titles(self):
        for title, routes in self.titles.items():
            if title.startswith("Fout"):  # a page opened from a link has failed nothing
                self.problems.append(f"{self.role}: {title!r} on {sorted(routes)[:4]}")
            if len(routes) > 1:
                self.problems.append(f"{self.role}: title {title!r} on {sorted(routes)[:4]}")


def _login(page, base, username):
    from conftest import totp_code
    from schakel.accounts import twofactor
    from schakel.accounts.models import User

    page.goto(f"{base}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()
    device = twofactor.totp_device(User.objects.get(username=username))
    if device is not None:
        page.get_by_label("Code").fill(totp_code(device))
        page.get_by_role("button", name="Bevestigen").click()
        page.wait_for_load_state()


# One failing submit per app with forms: role, page, what to type (label: value; the first
# value must survive the failed submit), and the button.
FAILING_SUBMITS = [
    ("anonymous", "/inloggen/", {"Gebruikersnaam": "Bewaard-7731"}, "Inloggen"),
    ("employee", "/meldingen/nieuw/", {"Waar": "Bewaard-7731"},
     "Signaal versturen naar de aandachtsfunctionaris"),
    ("officer", "/account/tokens/", {"Naam": "Bewaard-7731", "Geldig tot en met": "2020-01-01"},
     "Token maken"),
    ("officer", "/register/bronnen/nieuw/", {"Naam": "Bewaard-7731"}, None),
    ("officer", "/inzageverzoeken/", {"Naam van de persoon": "Bewaard-7731"}, None),
    ("officer", "/overleggen/nieuw/?soort=case", {"Titel": "Bewaard-7731"}, None),
    ("policy", "raadsrapportage", {"Inleiding": "Bewaard-7731 " + "x" * 5000}, None),
    ("policy", "/actieplan/actie/nieuw/", {"Actie": "Bewaard-7731"}, None),
    ("admin", "/ketenpartners/nieuw/", {"E-mailadres voor doorverwijzingen": "Bewaard-7731"}, None),
    ("admin", "/rollen/", {"Reden": "Bewaard-7731"}, None),
]


def _field(page, label):
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \(verplicht\))?$"))


def _failing_submit(page, base, path, fills, button, problems, who):
    if path == "raadsrapportage":  # the texts of the demo's draft report
        from schakel.reports.models import Report

        path = f"/raadsrapportages/{Report.objects.order_by('pk').first().pk}/"
    try:
        _submit_and_check(page, base, path, fills, button, problems, who)
    except Exception as exc:  # a label not found: report it with the others
        problems.append(f"{who} {path} (failed submit): {str(exc).splitlines()[0]}")


def _submit_and_check(page, base, path, fills, button, problems, who):
    page.goto(base + path)
    # Only the server's check can fail a text that is too long: take away the browser's.
    page.evaluate("document.querySelectorAll('[maxlength]').forEach("
                  "e => e.removeAttribute('maxlength'))")
    first = None
    for label, value in fills.items():
        field = _field(page, label)
        field.fill(value)
        first = first or (field, value)
    if button:
        page.get_by_role("button", name=button, exact=True).click()
    else:
        first[0].locator("xpath=ancestor::form").locator(
            "button[type=submit]:not(.visually-hidden)").first.click()
    page.wait_for_load_state()
    where = f"{who} {path} (failed submit)"
    title = page.title()
    if not title.startswith("Fout: "):
        problems.append(f"{where}: title {title!r}")
        return
    focused = page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    if not focused:
        problems.append(f"{where}: the error summary has no focus")
    anchors = page.eval_on_selector_all("[data-error-summary] a[href^='#']",
                                        "els => els.map(a => a.getAttribute('href').slice(1))")
    for anchor in anchors:
        if not page.evaluate("id => !!document.getElementById(id)", anchor):
            problems.append(f"{where}: the summary links to #{anchor}, which is not there")
    if _field(page, next(iter(fills))).input_value() != first[1]:
        problems.append(f"{where}: what was typed is lost")
    problems += [f"{where}: {v}" for v in _axe(page)]
    missing = page.evaluate(MISSING_DESCRIBEDBY)
    if missing:
        problems.append(f"{where}: aria-describedby names missing ids {missing}")


def test_every_page_of_every_role_passes_axe_reflows_and_has_its_own_title(
        browser, live_server, demo, capsys):
    started = time.monotonic()
    base = live_server.url
    starts = [base + p for p in _parameterless_routes()]
    axe = _axe_source()
    problems, counted = [], {}
    for role, username in ROLES.items():
        context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(10_000)
        context.add_init_script(script=axe)
        page = context.new_page()
        _login(page, base, username)
        for who, path, fills, button in FAILING_SUBMITS:
            if who == role:
                _failing_submit(page, base, path, fills, button, problems, who)
        walk = Walk(page, base, role)
        if not os.environ.get("A11Y_SUBMITS_ONLY"):  # while fixing forms
            walk.crawl(starts + ([f"{base}/beheer/"] if role == "admin" else []))
        walk.check_titles()
        problems += walk.problems
        counted[role] = walk.pages
        with capsys.disabled():
            print(f"\n{role}: {walk.pages} pages, {time.monotonic() - started:.0f} s "
                  f"({', '.join(f'{k} {v:.0f} s' for k, v in walk.spent.items())})")
        context.close()

    context = browser.new_context(locale="nl-NL")
    context.add_init_script(script=axe)
    page = context.new_page()
    walk = Walk(page, base, "partner")
    walk.crawl([base + demo])
    problems += walk.problems
    counted["partner"] = walk.pages
    for who, path, fills, button in FAILING_SUBMITS:
        if who == "anonymous":
            _failing_submit(page, base, path, fills, button, problems, who)
    context.close()

    # axe really runs: a page with a known violation has it.
    page = browser.new_page()
    page.set_content('<html lang="nl"><body><main><img src="x.png"></main></body></html>')
    page.add_script_tag(content=axe)
    assert any(v.startswith("axe image-alt") for v in _axe(page))
    page.close()

    with capsys.disabled():
        print(f"\naccessibility walk: {counted} pages, {sum(counted.values())} in all, "
              f"{time.monotonic() - started:.0f} s")
    assert os.environ.get("A11Y_SUBMITS_ONLY") or (
        counted["admin"] > 10 and counted["officer"] > 40 and counted["partner"] >= 1)
    assert problems == [], "\n".join(problems)
