"""Shared fixtures: the people of every test, and signals made through the real actions."""

import itertools
import os
import uuid

import pytest
from hypothesis import settings as hypothesis_settings

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop beside live_server

# No property test is timed: on a loaded CI machine a first example that takes longer
# than Hypothesis's 200 ms deadline is not a failure (it once failed CI as "flaky").
hypothesis_settings.register_profile("schakel", deadline=None)
hypothesis_settings.load_profile("schakel")

_counter = itertools.count(1)


def pytest_collection_modifyitems(items):
    """Transactional tests restore the rows that migrations seed.

    A transactional test empties every table when it ends, also the forms of
    exploitation, indicators and other data that migrations put in. With
    serialized_rollback the next such test starts from the migrated state again,
    so no test depends on the order in which the tests run.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        kwargs = dict(marker.kwargs) if marker is not None else {}
        transactional = kwargs.get("transaction") or (
            marker is None and "live_server" in getattr(item, "fixturenames", ()))
        if transactional and not kwargs.get("serialized_rollback"):
            # Prepended, so it is the closest marker pytest-django reads.
            item.add_marker(pytest.mark.django_db(**{**kwargs, "transaction": True,
                                                     "serialized_rollback": True}),
                            append=False)


@pytest.fixture(autouse=True)
def _seeded_after_flush(request):
    """Belt and braces for transactional tests: put the migration-seeded forms of
    exploitation and indicators back if an earlier test's flush emptied them."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    import importlib

    from django.apps import apps

    from schakel.signals.models import ExploitationForm

    if not ExploitationForm.objects.exists():
        importlib.import_module(
            "schakel.signals.migrations.0002_seed_forms_and_indicators").seed(apps, None)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Figures cached for the day (the dashboard's) and the catalogues a process keeps
    never leak from one test to the next."""
    from django.core.cache import cache

    from schakel.signals import catalog

    cache.clear()
    catalog.forget()


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _force_login_passes_two_factor(monkeypatch):
    """`client.force_login(officer)` stands for a finished login, second factor included.

    Tests of the second factor itself log in through the login form instead.
    """
    from django.test.client import ClientMixin

    original = ClientMixin.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        from schakel.accounts import twofactor

        session = self.session
        twofactor.mark_session_verified(session)
        session.save()

    monkeypatch.setattr(ClientMixin, "force_login", force_login)


@pytest.fixture
def make_user(db):
    from schakel.accounts.models import Team, User

    def make(role, team="Burgerzaken", **extra):
        n = next(_counter)
        team_obj = Team.objects.get_or_create(name=team)[0] if team else None
        user = User.objects.create_user(
            username=extra.pop("username", f"{role}{n}"), password="test-password-123",
            role=role, team=team_obj, email=extra.pop("email", f"{role}{n}@example.invalid"),
            first_name=extra.pop("first_name", role.title()), last_name=f"Nr{n}", **extra,
        )
        return user

    return make


@pytest.fixture
def employee(make_user):
    return make_user("employee")


@pytest.fixture
def colleague(make_user):
    """Same team as `employee`, not the reporter."""
    return make_user("employee")


@pytest.fixture
def team_lead(make_user):
    return make_user("team_lead")


@pytest.fixture
def other_team_lead(make_user):
    return make_user("team_lead", team="Sociaal Team")


@pytest.fixture
def officer(make_user):
    return make_user("officer", team="Openbare Orde en Veiligheid")


@pytest.fixture
def officer2(make_user):
    return make_user("officer", team="Openbare Orde en Veiligheid")


@pytest.fixture
def policy(make_user):
    return make_user("policy", team="Beleid")


@pytest.fixture
def admin_user(make_user):
    return make_user("admin", team=None, is_staff=True)


@pytest.fixture
def make_signal(db):
    """File a signal through the real intake action; `steps` then walks the route."""
    from schakel.signals import actions
    from schakel.signals.models import ExploitationForm

    def make(reporter, *, steps=(), officer=None, urgent=False, forms=("labour",),
             reporter_name=None, background="Vier mannen op één adres.", subjects=None, **kw):
        signal = actions.signal_file(
            actor=kw.pop("actor", reporter), reporter_user=reporter,
            values={"urgent": urgent, "background": background, "observed_where": "Balie",
                    "team_lead_consulted": True},
            form_codes=list(ExploitationForm.objects.filter(code__in=forms)),
            indicator_ids=[],
            subjects=subjects if subjects is not None else [
                actions.SubjectData(kind="person", values={"name": "Piet Test",
                                                           "capacity": "victim"})],
            reporter={"name": reporter_name or reporter.display_name,
                      "email": reporter.email, "phone": "0612345678",
                      "team_lead_consulted_with": "Teamcoördinator"},
            submission_token=uuid.uuid4(), submit=kw.pop("submit", True),
        )
        extra = {
            "dismiss": {"dismiss_reason": "Geen aanwijzingen."},
            "inform_reporter": {"message_for_reporter": "Doorgezet, dank u."},
            "close": {"outcome": "no_indication", "message_for_reporter": "Afgehandeld."},
        }
        for step in steps:
            fields = dict(extra.get(step, {}))
            if step == "close" and signal.state != "dismissed":
                fields.pop("message_for_reporter")
            signal = getattr(actions, f"signal_{step}")(
                signal=signal, actor=officer, expected_version=signal.version, **fields)
        return signal

    return make


# ---------------------------------------------------------------- browser tests

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, never a browser that Playwright downloads."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def login(live_server):
    """Log a Playwright page in through the real login form."""

    def do_login(page, user, password="test-password-123"):
        from schakel.accounts import twofactor

        device = None
        if user.needs_two_factor or twofactor.has_totp(user):
            device = twofactor.totp_device(user) or twofactor.TOTPDevice.objects.create(
                user=user, name="Test", confirmed=True)
        page.goto(f"{live_server.url}/inloggen/")
        page.get_by_label("Gebruikersnaam").fill(user.username)
        page.get_by_label("Wachtwoord").fill(password)
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_load_state()
        if device is not None:  # the second step: the code the user's app would show
            page.get_by_label("Code").fill(totp_code(device))
            page.get_by_role("button", name="Bevestigen").click()
            page.wait_for_load_state()
        return page

    return do_login


def totp_code(device) -> str:
    """The code an authenticator app shows now for `device`; lets the same user log in twice."""
    import time

    from django_otp.oath import TOTP

    type(device).objects.filter(pk=device.pk).update(last_t=-1)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"
