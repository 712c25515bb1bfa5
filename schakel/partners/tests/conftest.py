from datetime import UTC, datetime, timedelta

import pytest


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    """Deliveries run inside the test; the database worker has its own test."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


class Clock:
    def __init__(self, moment):
        self.moment = moment

    def __call__(self):
        return self.moment

    def advance(self, **kwargs):
        self.moment += timedelta(**kwargs)


@pytest.fixture
def clock(monkeypatch):
    c = Clock(datetime(2026, 6, 15, 10, 0, tzinfo=UTC))
    monkeypatch.setattr("schakel.core.clock.now", c)
    return c


@pytest.fixture
def seeded(db):
    from schakel.partners.seed import load_defaults

    load_defaults()
    from schakel.partners.models import Partner

    return {p.code: p for p in Partner.objects.all()}


@pytest.fixture
def received(make_signal, employee, officer, clock):
    """A received labour signal with one person, reported under a unique marker name."""
    return make_signal(employee, steps=["receive"], officer=officer,
                       reporter_name="MELDER-GEHEIM-7731", forms=("labour",))


@pytest.fixture
def send_to(officer, seeded, django_capture_on_commit_callbacks):
    """Refer a signal to partners (by code) and return the referrals; e-mails go out.

    The referrals are read again after delivery, which sets their feedback due date.
    """
    from schakel.partners import actions
    from schakel.partners.models import Referral

    def send(signal, *codes, parts=("urgency", "forms"), subject_ids=(), skip=""):
        choices = [actions.Choice(partner=seeded[c], parts=list(parts),
                                  subject_ids=list(subject_ids)) for c in codes]
        with django_capture_on_commit_callbacks(execute=True):
            made = actions.signal_referrals_create(signal=signal, actor=officer, choices=choices,
                                                   care_skip_reason=skip)
        return [Referral.objects.get(pk=r.pk) for r in made]

    return send


@pytest.fixture
def token_of(mailoutbox):
    """The token in the last e-mail to a partner."""
    import re

    def find(index=-1):
        match = re.search(r"/terugkoppeling/([A-Za-z0-9_\-]+)/", mailoutbox[index].body)
        return match.group(1)

    return find


@pytest.fixture
def flaky_mail(settings):
    """The mail server refuses until `flaky_mail.down = False` (see flaky_mail.py)."""
    from .flaky_mail import FlakyBackend

    settings.MAILERS = {"default": {"BACKEND": "schakel.partners.tests.flaky_mail.FlakyBackend"}}
    FlakyBackend.down = True
    FlakyBackend.gate = None
    yield FlakyBackend
    FlakyBackend.down = True
    FlakyBackend.gate = None
