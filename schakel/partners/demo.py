"""Demo data: the plan's partners and rules, and one demo signal referred. Idempotent."""

import uuid

from django.db import transaction

from schakel.signals.models import Signal
from schakel.signals.workflow import State

from . import actions
from .models import Part, Partner
from .seed import load_defaults

DEMO_SIGNAL = uuid.UUID("00000000-0000-4000-8000-000000000002")


@transaction.atomic
def load() -> None:
    load_defaults()
    signal = Signal.objects.filter(submission_token=DEMO_SIGNAL).select_related("officer").first()
    if signal is None or signal.state != State.RECEIVED or signal.referrals.exists() \
            or signal.officer is None:
        return
    care = Partner.objects.filter(code="zorgcoordinator").first()
    if care is None:
        return
    actions.signal_referrals_create(signal=signal, actor=signal.officer, choices=[
        actions.Choice(partner=care, parts=[Part.URGENCY, Part.FORMS, Part.WHERE_WHEN],
                       reason="altijd")])
