"""Retention and destruction (Selectielijst gemeenten; DESIGN §5).

`retention_scan` puts signals whose retention period has ended on the
destruction list; an officer approves (`destruction_approve`) or postpones
(`destruction_postpone`) each item with a reason. Destruction removes the
personal data everywhere and leaves an anonymous stub (state, dates, forms of
exploitation, urgency, source team) so that yearly figures still add up.
Processing records stay: they hold pseudonyms, not names.

Other apps that keep personal data about a signal register a function in
DESTROY_HOOKS (from their AppConfig.ready); each receives the signal inside the
destruction's transaction.
"""

import logging
from collections.abc import Callable
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from schakel.audit.log import log_processing
from schakel.audit.models import Action, Activity
from schakel.core import clock

from .completion import destruction_finish, render_certificate
from .models import (
    DestructionCertificate,
    DestructionItem,
    DestructionStatus,
)

logger = logging.getLogger(__name__)

DESTROY_HOOKS: list[Callable] = []


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def retention_rule(signal) -> tuple[int, str]:
    """Years to keep a closed signal, and the rule's name."""
    conf = settings.SCHAKEL
    if signal.dismiss_reason or signal.events.filter(to_state="dismissed").exists():
        return conf["RETENTION_DISMISSED_YEARS"], _("dismissed signal: %(n)s year(s) after "
                                                    "closing") % {
            "n": conf["RETENTION_DISMISSED_YEARS"]}
    return conf["RETENTION_CLOSED_YEARS"], _("closed signal: %(n)s year(s) after closing") % {
        "n": conf["RETENTION_CLOSED_YEARS"]}


@transaction.atomic
def retention_scan() -> int:
    """Put every signal past its retention period on the list. Idempotent; returns items added."""
    from schakel.signals.models import Signal
    from schakel.signals.workflow import State

    now = clock.now()
    today = now.date()
    shortest = min(settings.SCHAKEL["RETENTION_DISMISSED_YEARS"],
                   settings.SCHAKEL["RETENTION_CLOSED_YEARS"])
    candidates = (Signal.objects.filter(state=State.CLOSED, destroyed_at__isnull=True,
                                        closed_at__date__lte=_years_before(today, shortest))
                  .exclude(destruction_items__status=DestructionStatus.PROPOSED)
                  .exclude(destruction_items__status=DestructionStatus.POSTPONED,
                           destruction_items__postponed_until__gt=today))
    added = 0
    for signal in candidates:
        years, rule = retention_rule(signal)
        due = _add_years(signal.closed_at.date(), years)
        if due > today:
            continue
        DestructionItem.objects.create(signal=signal, reference=signal.reference,
                                       closed_at=signal.closed_at, due_on=due, rule=rule,
                                       created_at=now)
        added += 1
    purge_login_records()
    return added


def purge_login_records() -> int:
    """Login records (lockout attempts, expired sessions) older than the setting."""
    from datetime import timedelta

    from django.apps import apps
    from django.contrib.sessions.models import Session

    cutoff = clock.now() - timedelta(days=30 * settings.SCHAKEL["RETENTION_LOGIN_MONTHS"])
    removed = Session.objects.filter(expire_date__lt=clock.now()).delete()[0]
    if apps.is_installed("axes"):
        for name, field in (("AccessAttempt", "attempt_time"), ("AccessLog", "attempt_time"),
                            ("AccessFailureLog", "attempt_time")):
            try:
                model = apps.get_model("axes", name)
            except LookupError:
                continue
            removed += model.objects.filter(**{f"{field}__lt": cutoff}).delete()[0]
    return removed


def signal_destroy(*, signal, actor) -> None:
    """Remove a signal's personal data everywhere; keep the anonymous stub.

    1. Log the destruction first, with the pseudonyms of everyone concerned.
    2. Delete the persons, organisations and addresses (their register records and
       links go with them), blank the reporter's identity but keep the team.
    3. Blank every free text about the signal (the registry `signals.texts`: the
       signal's, its history's, its referrals', its agenda items'); the history keeps
       its states and dates for the figures.
    4. Let other apps remove what else they hold (referral shares, feedback links,
       attachments).
    """
    from schakel.signals.models import ReporterIdentity, SignalEvent
    from schakel.signals.texts import signal_texts

    log_processing(actor=actor, activity=Activity.DESTROY, action=Action.DELETE, obj=signal)
    for text in signal_texts():
        text.of_signal(signal).update(**{text.field: ""})
    signal.subjects.all().delete()
    ReporterIdentity.objects.filter(signal=signal).update(
        name="", email="", phone="", team_lead_consulted_with="", user_key="", user_ref="",
        filed_by_key="", filed_by_ref="")
    SignalEvent.objects.filter(signal=signal).update(actor=None)
    signal.indicators.clear()
    type(signal).objects.filter(pk=signal.pk).update(
        observed_on=None, submission_token=None, destroyed_at=clock.now())
    for hook in DESTROY_HOOKS:
        hook(signal)


def destruction_approve(*, items, actor, reason: str) -> DestructionCertificate:
    """Destroy the approved items and issue one certificate for them."""
    from schakel.accounts.models import Role

    if actor.role != Role.OFFICER:
        raise PermissionError("Only the officer approves destruction.")
    now = clock.now()
    with transaction.atomic():
        items = list(DestructionItem.objects.select_for_update(of=("self",))
                     .filter(pk__in=[i.pk for i in items], status=DestructionStatus.PROPOSED)
                     .select_related("signal"))
        if not items:
            raise ValueError("nothing to destroy")
        for item in items:
            if item.signal is not None:
                signal_destroy(signal=item.signal, actor=actor)
        number = f"VV-{now.year}-{DestructionCertificate.objects.count() + 1:04d}"
        certificate = DestructionCertificate.objects.create(
            number=number, created_at=now, approved_by=actor,
            approved_by_name=actor.display_name, reason=reason.strip(), pdf=b"")
        DestructionItem.objects.filter(pk__in=[i.pk for i in items]).update(
            status=DestructionStatus.DESTROYED, decided_by=actor, decided_at=now,
            reason=reason.strip(), certificate=certificate)
        certificate.pdf = render_certificate(certificate)
        certificate.save(update_fields=["pdf"])
        # Complete only when no old copy is left in the database files (completion.py).
        transaction.on_commit(destruction_finish)
    return certificate


@transaction.atomic
def destruction_postpone(*, item, actor, until: date, reason: str) -> DestructionItem:
    from schakel.accounts.models import Role

    if actor.role != Role.OFFICER:
        raise PermissionError("Only the officer postpones destruction.")
    DestructionItem.objects.filter(pk=item.pk, status=DestructionStatus.PROPOSED).update(
        status=DestructionStatus.POSTPONED, postponed_until=until, reason=reason.strip(),
        decided_by=actor, decided_at=clock.now())
    item.refresh_from_db()
    return item
