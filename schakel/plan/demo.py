"""The shipped plan (Montfoort's) and a little demo history. Safe to run again."""

from datetime import timedelta

from django.db import transaction

from schakel.accounts.models import Role, Team, User
from schakel.core import clock
from schakel.signals.models import ExploitationForm, Signal

from . import actions
from .loader import DEFAULT_PLAN, read_plan
from .models import (
    Action,
    Campaign,
    Control,
    ControlKind,
    Meeting,
    MeetingKind,
    OccurrenceStatus,
    PoliceFigures,
    Training,
    TrainingProvider,
)


def load_default_plan() -> bool:
    """Load the shipped plan when none is there yet; returns whether it loaded."""
    if Action.objects.exists():
        actions.plan_extend_schedules()
        return False
    actions.plan_import(actor=None, rows=read_plan(DEFAULT_PLAN.read_bytes()))
    return True


def _occurrence(code, key_prefix=""):
    action = Action.objects.filter(code=code).first()
    if action is None:
        return None
    qs = action.occurrences.filter(status=OccurrenceStatus.PLANNED)
    if key_prefix:
        qs = qs.filter(key__startswith=key_prefix)
    return qs.order_by("due").first()


@transaction.atomic
def load_demo_history() -> None:
    """A few meetings, a training, a campaign and a control, once."""
    officer = User.objects.filter(role=Role.OFFICER, is_active=True).order_by("pk").first()
    policy = User.objects.filter(role=Role.POLICY, is_active=True).order_by("pk").first()
    if officer is None or policy is None or Meeting.objects.exists():
        return
    today = clock.now().date()
    for code in ("3.2.1", "3.2.2"):
        occ = _occurrence(code)
        if occ is not None:
            actions.occurrence_complete(
                occurrence=occ, actor=officer, done_on=occ.due - timedelta(days=20),
                participants="Aandachtsfunctionaris, teamcoördinatoren",
                notes="Meldroute besproken in het werkoverleg en op intranet gezet.")
    training_occ = _occurrence("3.1.1", "2025")
    training = Training(date=training_occ.due - timedelta(days=14) if training_occ else today,
                        topic="Signalen van arbeidsuitbuiting herkennen",
                        provider=TrainingProvider.RIEC, participant_count=14,
                        occurrence=training_occ, recorded_by=policy,
                        notes="Leerhuis met casuïstiek; signalenkaart VNG uitgedeeld.")
    actions.record_save(actor=policy, record=training, occurrence_date=training.date,
                        participants="14 deelnemers")
    training.forms.set(ExploitationForm.objects.filter(code__in=["labour", "sexual"]))
    training.teams.set(Team.objects.filter(client_contact=True))
    training.trained.set(User.objects.filter(team__client_contact=True, is_active=True)[:3])
    Campaign.objects.create(title="Meld Misdaad Anoniem: mensenhandel herkennen",
                            audience="Inwoners van Montfoort", channel="Social media en website",
                            starts_on=today - timedelta(days=60),
                            ends_on=today - timedelta(days=30),
                            recorded_by=policy)
    regional = Meeting(kind=MeetingKind.REGIONAL, date=today.replace(month=1, day=13),
                       title="Regionale bijeenkomst mensenhandel Copen-gebied",
                       attendees="Aandachtsfunctionarissen Copen-gebied, RIEC, Politie",
                       minutes="Politie deelde de jaarcijfers; RIEC lichtte de campagne toe.",
                       occurrence=_occurrence("3.3.1", str(today.year)), created_by=officer)
    actions.record_save(actor=officer, record=regional, occurrence_date=regional.date,
                        participants=regional.attendees)
    PoliceFigures.objects.get_or_create(year=today.year - 1, defaults={
        "area": "Basisteam De Copen", "meeting": regional, "reports": 9, "victims": 6,
        "suspects": 4, "investigations": 2, "sexual": 3, "labour": 4, "criminal": 2,
        "other": 0, "recorded_by": policy})
    website_occ = _occurrence("3.4.1")
    control = Control(kind=ControlKind.WEBSITE, date=today - timedelta(days=10),
                      sites="kinky.nl, sexjobs.nl (advertenties regio Montfoort)",
                      privacy_agreed=True, privacy_agreed_on=today - timedelta(days=40),
                      findings="Twee advertenties met hetzelfde telefoonnummer en wisselende "
                               "namen; doorgegeven aan de politie.",
                      action=website_occ.action if website_occ else None,
                      occurrence=website_occ, recorded_by=officer)
    actions.record_save(actor=officer, record=control, occurrence_date=control.date)
    case = Meeting.objects.create(
        kind=MeetingKind.CASE, date=today + timedelta(days=7), title="Lokaal ondermijningsoverleg",
        attendees="Wijkagenten Montfoort, ondermijningsspecialist basisteam De Copen, team OOV",
        created_by=officer)
    signal = Signal.objects.filter(state="received").order_by("pk").first()
    if signal is not None:
        actions.agenda_add(meeting=case, signal=signal, actor=officer,
                           question="Gezamenlijke controle op het adres?")


def load() -> None:
    load_default_plan()
    load_demo_history()
