"""The shipped plan (Montfoort's) and a little demo history. Safe to run again."""

from datetime import date, timedelta

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
    Occurrence,
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


def _moment(code, day):
    """The moment of an action whose period holds `day` (the first after it otherwise)."""
    action = Action.objects.filter(code=code).first()
    if action is None:
        return None
    qs = action.occurrences.filter(due__isnull=False)
    return (qs.filter(period_start__lte=day, due__gte=day).order_by("due").first()
            or qs.filter(due__gte=day).order_by("due").first())


def _days(today):
    """Dates of this year's demo history that have passed (nothing is recorded ahead)."""
    def day(month, dom):
        d = date(today.year, month, dom)
        return d if d <= today else None
    return day


@transaction.atomic
def load_demo_history() -> None:
    """A year of the plan as it ran, once: each meeting, control and training linked to the
    moment it held, a few moments marked by hand, one skipped with its reason, and the
    rest left as they are (not recorded, open), so every state shows."""
    officer = User.objects.filter(role=Role.OFFICER, is_active=True).order_by("pk").first()
    policy = User.objects.filter(role=Role.POLICY, is_active=True).order_by("pk").first()
    if officer is None or policy is None or Meeting.objects.exists():
        return
    today = clock.now().date()
    day = _days(today)
    last_year = today.year - 1
    # Spring of last year: the internal route worked out and made known (§3.2).
    for code in ("3.2.1", "3.2.2"):
        occ = _moment(code, date(last_year, 4, 1))
        if occ is not None and occ.status == OccurrenceStatus.PLANNED:
            actions.occurrence_complete(
                occurrence=occ, actor=officer, done_on=occ.due - timedelta(days=20),
                participants="Aandachtsfunctionaris, teamcoördinatoren",
                notes="Meldroute besproken in het werkoverleg en op intranet gezet.")
    # The training of 3.1.1 (every two years, March/April of the year the plan names).
    training_occ = Occurrence.objects.filter(action__code="3.1.1").order_by("due").first()
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
    campaign_start = today - timedelta(days=60)
    campaign = Campaign(title="Meld Misdaad Anoniem: mensenhandel herkennen",
                        audience="Inwoners van Montfoort", channel="Social media en website",
                        starts_on=campaign_start, ends_on=today - timedelta(days=30),
                        occurrence=_moment("3.1.3", campaign_start), recorded_by=policy)
    actions.record_save(actor=policy, record=campaign, occurrence_date=campaign_start)
    # Regional meetings (3.3.1): January and May held, September's moment left unrecorded.
    regional = None
    for held in (day(1, 13), day(5, 12)):
        if held is None:
            continue
        meeting = Meeting(kind=MeetingKind.REGIONAL, date=held,
                          title="Regionale bijeenkomst mensenhandel Copen-gebied",
                          attendees="Aandachtsfunctionarissen Copen-gebied, RIEC, Politie",
                          minutes="Stand van zaken per gemeente; RIEC lichtte de campagne toe.",
                          occurrence=_moment("3.3.1", held), created_by=officer)
        actions.record_save(actor=officer, record=meeting, occurrence_date=held,
                            participants=meeting.attendees)
        regional = regional or meeting
    if regional is not None:
        regional.minutes = "Politie deelde de jaarcijfers; RIEC lichtte de campagne toe."
        regional.save(update_fields=["minutes"])
        PoliceFigures.objects.get_or_create(year=last_year, defaults={
            "area": "Basisteam De Copen", "meeting": regional, "reports": 9, "victims": 6,
            "suspects": 4, "investigations": 2, "sexual": 3, "labour": 4, "criminal": 2,
            "other": 0, "recorded_by": policy})
        figures_occ = _moment("3.3.4", regional.date)
        if figures_occ is not None:
            actions.occurrence_complete(occurrence=figures_occ, actor=policy,
                                        done_on=regional.date, participants=regional.attendees,
                                        notes="Cijfers gedeeld op de regionale bijeenkomst.")
    # Consultations with the executing partners (3.3.2): the first two quarters held,
    # the third skipped with its reason.
    for held in (day(3, 10), day(6, 16)):
        if held is None:
            continue
        meeting = Meeting(kind=MeetingKind.PARTNER, date=held,
                          title="Overleg uitvoerende ketenpartners",
                          attendees="SWOM, Jeugdteam, jongerenwerk, wijkagenten, BOA's",
                          occurrence=_moment("3.3.2", held), created_by=officer)
        actions.record_save(actor=officer, record=meeting, occurrence_date=held,
                            participants=meeting.attendees)
    q3 = _moment("3.3.2", date(today.year, 8, 1))
    if q3 is not None and q3.due < today:
        actions.occurrence_skip(occurrence=q3, actor=officer,
                                reason="Samengevoegd met de regionale bijeenkomst van september.")
    # Website checks (3.4.1), agreed with the privacy officer: one each half year.
    for held in (day(4, 8), today - timedelta(days=10)):
        if held is None or held.year != today.year:
            continue
        control = Control(kind=ControlKind.WEBSITE, date=held,
                          sites="kinky.nl, sexjobs.nl (advertenties regio Montfoort)",
                          privacy_agreed=True, privacy_agreed_on=date(today.year, 1, 20),
                          findings=("Twee advertenties met hetzelfde telefoonnummer en "
                                    "wisselende namen; doorgegeven aan de politie."
                                    if held.month > 6 else ""),
                          occurrence=_moment("3.4.1", held), recorded_by=officer)
        control.action = control.occurrence.action if control.occurrence else None
        actions.record_save(actor=officer, record=control, occurrence_date=held)
    # Integral controls at risk addresses (3.4.3), with the police and the Belastingdienst.
    for held, street in ((day(2, 19), "Demostraat"), (day(5, 21), "Voorbeeldweg"),
                         (day(9, 17), "Proefstraat")):
        if held is None:
            continue
        control = Control(kind=ControlKind.INTEGRAL, date=held, street=street, house_number="1",
                          postcode="3417 ZZ", city="Montfoort",
                          partners_present="Politie, Belastingdienst, BOA's",
                          occurrence=_moment("3.4.3", held), recorded_by=officer)
        control.action = control.occurrence.action if control.occurrence else None
        actions.record_save(actor=officer, record=control, occurrence_date=held)
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
