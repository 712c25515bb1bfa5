"""Demo data for the regional picture (`manage.py region_demo`): never in production.

A municipality gets fictitious signals spread over the last four quarters, referrals
with answers, the system token the region uses (made by the administrator, approved
by the officer), sharing switched on, and one anonymous question for the regional
meeting. The region gets its ketenregisseur and the municipalities' tokens.

The signals are filed and received through the real actions; their submission dates
are then moved back into earlier quarters and their referrals written directly, which
only demo data may do.
"""

import datetime as dt
import random
import uuid

from django.db import transaction

from schakel.accounts.models import Role, User
from schakel.api import tokens
from schakel.api.models import ApiToken, Scope, hash_secret
from schakel.core import clock
from schakel.partners.models import Partner, Referral, ReferralState
from schakel.signals import actions as signal_actions
from schakel.signals.models import ExploitationForm, Outcome, Signal
from schakel.signals.workflow import State

from . import actions

SERVICE_ACCOUNT = "regio-koppeling"
FORMS = ["labour", "sexual", "criminal", "other"]
PARTNERS = ["zorgcoordinator", "avim", "nla"]


def _user(username, first, last, role, password) -> User:
    user, created = User.objects.get_or_create(username=username, defaults={
        "first_name": first, "last_name": last, "role": role,
        "email": f"{username}@demo.schakel.invalid", "is_staff": role == Role.ADMIN})
    if created:
        user.set_password(password)
        user.save()
    return user


def staff(password: str) -> dict[str, User]:
    """The demo's accounts when `demo` did not run (the integration test)."""
    return {
        "medewerker": _user("medewerker", "Mila", "de Vries", Role.EMPLOYEE, password),
        "aandachtsfunctionaris": _user("aandachtsfunctionaris", "Anouk", "Smit", Role.OFFICER,
                                       password),
        "beleid": _user("beleid", "Bram", "Visser", Role.POLICY, password),
        "beheer": _user("beheer", "Bea", "Mulder", Role.ADMIN, password),
    }


def shipped_defaults() -> None:
    """The shipped partners (with their codes) and the shipped action plan, once."""
    from schakel.partners.seed import load_defaults
    from schakel.plan.demo import load_default_plan

    load_defaults()
    load_default_plan()


def _file(rng, index, seed, users):
    employee, officer = users["medewerker"], users["aandachtsfunctionaris"]
    token = uuid.UUID(int=(seed << 64) + index + 1)
    if Signal.objects.filter(submission_token=token).exists():
        return None
    forms = list(ExploitationForm.objects.filter(code__in=rng.sample(FORMS, rng.choice([1, 1, 2]))))
    signal = signal_actions.signal_file(
        actor=employee, reporter_user=employee,
        values={"urgent": rng.random() < 0.25, "observed_where": "Demo-locatie",
                "background": f"Fictief demosignaal {index + 1}: niets hiervan is echt.",
                "team_lead_consulted": True},
        form_codes=forms, indicator_ids=[],
        subjects=[signal_actions.SubjectData(kind="person", values={
            "name": f"Demo Persoon{index + 1}", "capacity": "victim"})],
        reporter={"name": employee.display_name, "email": employee.email, "phone": "",
                  "team_lead_consulted_with": "Teamcoördinator"},
        submission_token=token)
    return signal_actions.signal_receive(signal=signal, actor=officer,
                                         expected_version=signal.version)


@transaction.atomic
def fill_signals(*, users, count: int, seed: int) -> int:
    """`count` fictitious signals over the last four quarters; returns how many were new."""
    rng = random.Random(seed)
    now = clock.now()
    partners = {p.code: p for p in Partner.objects.filter(code__in=PARTNERS)}
    made = 0
    for index in range(count):
        signal = _file(rng, index, seed, users)
        if signal is None:
            continue
        made += 1
        submitted = now - dt.timedelta(days=rng.randrange(0, 270), hours=rng.randrange(0, 8))
        fate = rng.random()
        if fate < 0.3:
            signal = signal_actions.signal_dismiss(
                signal=signal, actor=users["aandachtsfunctionaris"],
                expected_version=signal.version, dismiss_reason="Demo: geen aanwijzingen.")
            signal = signal_actions.signal_close(
                signal=signal, actor=users["aandachtsfunctionaris"],
                expected_version=signal.version, outcome=Outcome.NO_INDICATION,
                message_for_reporter="Demo: afgehandeld.")
        elif fate < 0.85 and partners:
            for code in rng.sample(sorted(partners), rng.choice([1, 2])):
                sent = submitted + dt.timedelta(days=rng.randrange(1, 5))
                answer = rng.random()
                feedback = sent + dt.timedelta(days=rng.randrange(2, 30)) if answer < 0.7 else None
                if feedback is not None and feedback > now:
                    feedback = None
                state = (ReferralState.FEEDBACK_RECEIVED if feedback else
                         ReferralState.NO_RESPONSE if answer > 0.9 else ReferralState.SENT)
                Referral.objects.create(signal=signal, partner=partners[code], state=state,
                                        created_at=sent, sent_at=sent, feedback_at=feedback,
                                        due_at=sent + dt.timedelta(days=14))
            closed = rng.random() < 0.5
            Signal.objects.filter(pk=signal.pk).update(
                state=State.CLOSED if closed else State.REFERRED,
                outcome=Outcome.REFERRED if closed else "")
        Signal.objects.filter(pk=signal.pk).update(submitted_at=submitted)
    return made


@transaction.atomic
def municipality(*, password: str, count: int, seed: int, secret: str = "") -> str:
    """Everything a municipality needs to share; returns the region's token (shown once).

    `secret`: use this token secret instead of a new one (so the demo can set up the
    region at the same time); only demo data may choose its own secret."""
    users = staff(password)
    shipped_defaults()
    made = fill_signals(users=users, count=count, seed=seed)
    service, _created = User.objects.get_or_create(
        username=SERVICE_ACCOUNT, defaults={"first_name": "Regio", "last_name": "koppeling",
                                            "role": Role.EMPLOYEE})
    token, new = tokens.system_token_request(
        actor=users["beheer"], user=service, name="Regionaal beeld (RIEC)", scope=Scope.REGION,
        expires_at=clock.now() + dt.timedelta(days=365),
        reason="De ketenregisseur haalt de anonieme cijfers op.")
    if secret:
        ApiToken.objects.filter(pk=token.pk).update(key_hash=hash_secret(secret),
                                                    hint=secret[:12])
    tokens.system_token_approve(actor=users["aandachtsfunctionaris"], token=token)
    actions.share_switch(actor=users["beleid"], enabled=True)
    if made:
        actions.question_submit(
            actor=users["aandachtsfunctionaris"], confirmed=True,
            text="Hoe gaan andere gemeenten om met uitzendkrachten die via één "
                 "bemiddelaar op wisselende adressen staan ingeschreven?")
    return secret or new


@transaction.atomic
def region(*, password: str, configured, token_files: dict[str, str]) -> list[User]:
    """The region's ketenregisseur and administrator (enrolled for the second step, as the
    demo's accounts are), and the municipalities' tokens."""
    shipped_defaults()  # the names of the partners' and actions' codes
    director = _user("ketenregisseur", "Kees", "Regie", Role.REGION, password)
    admin = _user("beheer", "Bea", "Mulder", Role.ADMIN, password)
    actions.municipalities_sync(configured)
    from .models import Municipality

    for name, path in token_files.items():
        municipality = Municipality.objects.get(name=name)
        with open(path) as handle:
            actions.municipality_token_set(actor=admin, municipality=municipality,
                                           token=handle.read().strip())
    from schakel.accounts import twofactor

    for user in (director, admin):
        if not twofactor.has_totp(user):
            twofactor.TOTPDevice.objects.create(user=user, name="Demo-app", confirmed=True)
        if not twofactor.recovery_codes_left(user):
            twofactor.new_recovery_codes(user)
    return [director, admin]
