"""The action plan: pillars, actions with their schedules and planned occurrences,
meetings, controls, trainings and campaigns, and the police's yearly figures."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from schakel.accounts.models import Role
from schakel.core import clock
from schakel.core.crypto import EncryptedTextField

PLAN_ROLES = (Role.OFFICER, Role.POLICY)


class ActionKind(models.TextChoices):
    GENERAL = "general", _("General")
    TRAINING = "training", _("Training or information session")
    CAMPAIGN = "campaign", _("Campaign")
    REGIONAL_MEETING = "regional_meeting", _("Regional meeting")
    PARTNER_MEETING = "partner_meeting", _("Consultation with executing partners")
    POLICE_FIGURES = "police_figures", _("Police figures")
    WEBSITE_CHECK = "website_check", _("Website check")
    CONTROL = "control", _("Extra control")
    INTEGRAL_CONTROL = "integral_control", _("Integral control")
    BIBOB = "bibob", _("Bibob check")
    HORECA = "horeca", _("Horeca supervision")
    COUNCIL_REPORT = "council_report", _("Report to the council")


class Pillar(models.Model):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


def takes_part_in_plan(user) -> bool:
    """An active account of one of the plan's roles: sees all of the plan, or none."""
    return user.is_authenticated and user.is_active and user.role in PLAN_ROLES


class PlanRolesQuerySet(models.QuerySet):
    """The plan's actions, their moments and meetings: all of them for the plan's roles,
    none for others (no subquery: there is nothing in between)."""

    def visible_to(self, user):
        if takes_part_in_plan(user):
            return self
        return self.none()


class Action(models.Model):
    pillar = models.ForeignKey(Pillar, verbose_name=_("pillar"), on_delete=models.PROTECT,
                               related_name="actions")
    code = models.CharField(_("code"), max_length=20, unique=True,
                            help_text=_("For example 3.1.1: paragraph and number in the plan."))
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("action"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    schedule_text = models.CharField(
        _("schedule"), max_length=200,
        help_text=_("As the plan writes it, e.g. '4x per jaar', '3x per jaar januari / mei / "
                    "september op een dinsdag', 'voorjaar 2025' or 'Doorlopend'."))
    who = models.CharField(_("who"), max_length=300, blank=True,
                           help_text=_("The partners and people who take part."))
    responsible_role = models.CharField(
        _("responsible role"), max_length=20,
        choices=[(Role.OFFICER, Role.OFFICER.label), (Role.POLICY, Role.POLICY.label)],
        default=Role.OFFICER)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("responsible person"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="plan_actions",
        help_text=_("Empty: everyone with the responsible role."))
    kind = models.CharField(_("kind"), max_length=20, choices=ActionKind,
                            default=ActionKind.GENERAL)
    active = models.BooleanField(_("active"), default=True)
    # The start of the plan period (1 January of the first year the plan's schedules
    # name, or of the year the plan was loaded): moments are planned from here, so a
    # plan loaded mid-year still shows the moments that went before.
    planned_from = models.DateField(null=True, blank=True, editable=False)

    objects = PlanRolesQuerySet.as_manager()

    class Meta:
        ordering = ["pillar__number", "order", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class OccurrenceStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    SKIPPED = "skipped", _("Skipped")


class OccurrenceState(models.TextChoices):
    """What a moment is, as the plan and the council report show it; one state each.

    `not_recorded` and `overdue` are both past moments nobody marked: overdue ones fell
    due while the plan was in the app (someone should have recorded them), not recorded
    ones fell due before (the app cannot know whether they happened). A moment without
    a due date (the plan gives none) is open, never late."""

    DONE = "done", _("done")
    SKIPPED = "skipped", _("skipped")
    NOT_RECORDED = "not_recorded", _("not recorded")
    OVERDUE = "overdue", _("overdue")
    OPEN = "open", _("planned")
    UNDATED = "undated", _("no date")


# A past, unmarked moment that fell due after it came into the app is late.
_LATE = Q(due__gte=F("known_since")) | Q(known_since__isnull=True)


class OccurrenceQuerySet(PlanRolesQuerySet):
    def unmarked_past(self, today=None):
        today = today or clock.now().date()
        return self.filter(status=OccurrenceStatus.PLANNED, due__lt=today, action__active=True)

    def overdue(self, today=None):
        return self.unmarked_past(today).filter(_LATE)

    def not_recorded(self, today=None):
        return self.unmarked_past(today).exclude(_LATE)

    def of_year(self, year: int):
        """The moments a year's figures count: those due in it; an undated one in the
        year it was recorded, and while still open in every year."""
        return self.filter(Q(due__year=year)
                           | Q(due__isnull=True, status=OccurrenceStatus.PLANNED)
                           | Q(due__isnull=True, recorded_at__year=year))

    def responsible(self, user):
        """Occurrences whose action this user answers for: named, or by role when no one is."""
        return self.responsible_to(user.pk, user.role)

    def responsible_to(self, user_id: int, role: str):
        return self.filter(Q(action__owner_id=user_id)
                           | Q(action__owner__isnull=True, action__responsible_role=role))


class Occurrence(models.Model):
    """One planned moment of an action, done or skipped when it has happened."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="occurrences")
    # Year and slot ("2026-m01"): generating again finds the same row, even after the
    # due date was moved by hand.
    key = models.CharField(max_length=20)
    # Both empty for the one moment of an action the plan gives no date ("geen datum").
    period_start = models.DateField(_("period from"), null=True, blank=True)
    due = models.DateField(_("due date"), null=True, blank=True)
    # The day this moment came into the app: unmarked after its due date, a moment that
    # was known before it fell due is late; one planned afterwards is "not recorded".
    known_since = models.DateField(null=True, blank=True, editable=False)
    check_in = models.BooleanField(
        default=False, help_text="Yearly check-in of an action without a due date of its own.")
    status = models.CharField(_("status"), max_length=10, choices=OccurrenceStatus,
                              default=OccurrenceStatus.PLANNED)
    done_on = models.DateField(_("date"), null=True, blank=True)
    participants = models.TextField(_("participants"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    skip_reason = models.TextField(_("reason"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(null=True, blank=True)

    objects = OccurrenceQuerySet.as_manager()

    class Meta:
        ordering = [F("due").asc(nulls_last=True), "id"]
        constraints = [models.UniqueConstraint(fields=["action", "key"],
                                               name="plan_occurrence_unique_key")]
        # Overdue on the start page: planned ones by due date.
        indexes = [models.Index(fields=["status", "due"], name="plan_occ_status_due_idx")]

    def __str__(self) -> str:
        when = f"{self.due:%d-%m-%Y}" if self.due else _("no date")
        return f"{self.action.code} · {when}"

    def state_on(self, today) -> str:
        """One of OccurrenceState (see there)."""
        if self.status == OccurrenceStatus.DONE:
            return OccurrenceState.DONE
        if self.status == OccurrenceStatus.SKIPPED:
            return OccurrenceState.SKIPPED
        if self.due is None:
            return OccurrenceState.UNDATED
        if self.due >= today:
            return OccurrenceState.OPEN
        if self.known_since is not None and self.due < self.known_since:
            return OccurrenceState.NOT_RECORDED
        return OccurrenceState.OVERDUE

    @property
    def state(self) -> str:
        return self.state_on(clock.now().date())

    @property
    def state_label(self) -> str:
        return OccurrenceState(self.state).label

    @property
    def is_overdue(self) -> bool:
        return self.state == OccurrenceState.OVERDUE


class OccurrenceEvent(models.Model):
    """The history of a moment: who marked it done, skipped, planned again or linked a
    record to it, and when. Append-only; nothing personal (the plan holds no signals)."""

    class What(models.TextChoices):
        DONE = "done", _("marked done")
        SKIPPED = "skipped", _("skipped")
        REOPENED = "reopened", _("planned again")
        LINKED = "linked", _("record linked")
        MOVED = "moved", _("due date moved")

    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                              related_name="+")
    what = models.CharField(max_length=10, choices=What)
    old_status = models.CharField(max_length=10, choices=OccurrenceStatus)
    new_status = models.CharField(max_length=10, choices=OccurrenceStatus)
    remark = models.CharField(max_length=300, blank=True)  # what a person typed (a skip reason)
    # Dates and which kind of record was linked, rendered in the reader's language by
    # `detail`: {"date": "2026-05-12"}, {"from": …, "to": …}, {"record": "training", "date": …}
    params = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.occurrence_id} {self.what}"

    @property
    def detail(self) -> str:
        """What the history shows after the step, in the active language."""
        return occurrence_event_detail(self.params, self.remark)


def _day(value) -> str:
    from datetime import date

    from django.utils.formats import date_format

    try:
        return date_format(date.fromisoformat(value), "j F Y")
    except (TypeError, ValueError):
        return ""


def occurrence_event_detail(params: dict, remark: str) -> str:
    """The bracketed detail of a moment's history line: a date, a move, a linked record."""
    from django.utils.translation import gettext as _

    params = params or {}
    if "to" in params:
        moved = f"{_day(params['from'])} → {_day(params['to'])}" if params.get("from") \
            else f"→ {_day(params['to'])}"
        return moved
    if "record" in params:
        names = {"meeting": _("meeting of %(date)s"), "control": _("control of %(date)s"),
                 "training": _("training of %(date)s"), "campaign": _("campaign of %(date)s")}
        return names.get(params["record"], "%(date)s") % {"date": _day(params.get("date"))}
    if "date" in params:
        return _day(params["date"])
    return remark


class MeetingKind(models.TextChoices):
    CASE = "case", _("Local case meeting")
    REGIONAL = "regional", _("Regional meeting")
    PARTNER = "partner", _("Consultation with executing partners")


class Meeting(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=MeetingKind)
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    occurrence = models.OneToOneField(
        Occurrence, verbose_name=_("planned occurrence"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="meeting")
    attendees = models.TextField(_("attendees"), blank=True,
                                 help_text=_("Organisations and roles present."))
    minutes = EncryptedTextField(_("minutes"), blank=True)  # may discuss signals
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PlanRolesQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d-%m-%Y}"


class AgendaItem(models.Model):
    """A signal on the agenda of a local case meeting: shown by its reference only."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    signal = models.ForeignKey("signals.Signal", on_delete=models.CASCADE,
                               related_name="agenda_items")
    # Free text about the signal, encrypted at rest like the signal's own texts.
    question = EncryptedTextField(_("question for the meeting"), max_length=500, blank=True)
    decision = EncryptedTextField(_("decision"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                 on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "signal"],
                                               name="plan_agenda_signal_once")]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.signal.reference}"


class PoliceFigures(models.Model):
    """The police's yearly figures, shared at the January regional meeting (§3.3)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    area = models.CharField(_("area"), max_length=100, blank=True,
                            help_text=_("For example Basisteam De Copen or the municipality."))
    meeting = models.ForeignKey(Meeting, verbose_name=_("shared at"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="police_figures")
    reports = models.PositiveIntegerField(_("reports of human trafficking"), default=0)
    victims = models.PositiveIntegerField(_("possible victims"), default=0)
    suspects = models.PositiveIntegerField(_("suspects"), default=0)
    investigations = models.PositiveIntegerField(_("investigations"), default=0)
    sexual = models.PositiveIntegerField(_("sexual exploitation"), default=0)
    labour = models.PositiveIntegerField(_("labour exploitation"), default=0)
    criminal = models.PositiveIntegerField(_("criminal exploitation"), default=0)
    other = models.PositiveIntegerField(_("other or unknown"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class ControlKind(models.TextChoices):
    WEBSITE = "website", _("Website check")
    INTEGRAL = "integral", _("Integral control at a risk address")
    BIBOB = "bibob", _("Bibob check")
    HORECA = "horeca", _("Horeca supervision")


class BibobOutcome(models.TextChoices):
    NO_RISK = "no_risk", _("No risk: permit granted")
    CONDITIONS = "conditions", _("Granted with conditions")
    ADVICE = "advice", _("Advice requested from the Bibob Office (LBB)")
    REFUSED = "refused", _("Refused or withdrawn because of a serious risk")
    WITHDRAWN = "withdrawn", _("Application withdrawn by the applicant")


class ControlQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role in PLAN_ROLES:
            return self
        if user.role in (Role.EMPLOYEE, Role.TEAM_LEAD):
            # Employees who took part (e.g. BOA's) see their own controls, Bibob never.
            return self.filter(participants=user).exclude(kind=ControlKind.BIBOB)
        return self.none()


class Control(models.Model):
    """A control of §3.4. A Bibob check keeps the application, permit and outcome only:
    the Wet Bibob allows no further data on the applicant here."""

    kind = models.CharField(_("kind"), max_length=10, choices=ControlKind)
    date = models.DateField(_("date"))
    action = models.ForeignKey(Action, verbose_name=_("action"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="controls")
    occurrence = models.ForeignKey(Occurrence, verbose_name=_("planned occurrence"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="controls")
    # Website check
    sites = models.TextField(_("websites checked"), blank=True)
    privacy_agreed = models.BooleanField(_("agreed with the privacy officer"), default=False)
    privacy_agreed_on = models.DateField(_("date of the privacy officer's agreement"), null=True,
                                         blank=True)
    # Integral control and horeca
    establishment = models.CharField(_("establishment"), max_length=200, blank=True)
    street = models.CharField(_("street"), max_length=200, blank=True)
    house_number = models.CharField(_("house number"), max_length=10, blank=True)
    house_number_addition = models.CharField(_("addition"), max_length=10, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    city = models.CharField(_("place"), max_length=100, blank=True)
    partners_present = models.TextField(_("partners present"), blank=True)
    # Bibob
    application_reference = models.CharField(_("application number"), max_length=50, blank=True)
    permit_type = models.CharField(_("permit"), max_length=100, blank=True)
    bibob_outcome = models.CharField(_("outcome"), max_length=12, choices=BibobOutcome,
                                     blank=True)
    findings = models.TextField(_("findings"), blank=True)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("colleagues who took part"), blank=True,
        related_name="plan_controls")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ControlQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d-%m-%Y}"

    @property
    def address(self) -> str:
        number = f"{self.house_number}{self.house_number_addition}"
        return f"{self.street} {number}, {self.postcode} {self.city}".strip(" ,")


class TrainingProvider(models.TextChoices):
    RIEC = "riec", "RIEC"
    COMENSHA = "comensha", "CoMensha"
    INTERNAL = "internal", _("Own organisation")
    OTHER = "other", _("Other")


class Training(models.Model):
    date = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    forms = models.ManyToManyField("signals.ExploitationForm",
                                   verbose_name=_("forms of exploitation"), blank=True,
                                   related_name="+")
    provider = models.CharField(_("provider"), max_length=10, choices=TrainingProvider)
    provider_other = models.CharField(_("provider (other)"), max_length=100, blank=True)
    teams = models.ManyToManyField("accounts.Team", verbose_name=_("audience teams"),
                                   blank=True, related_name="+")
    trained = models.ManyToManyField(settings.AUTH_USER_MODEL,
                                     verbose_name=_("colleagues who attended"), blank=True,
                                     related_name="trainings")
    participant_count = models.PositiveIntegerField(_("number of participants"), default=0)
    occurrence = models.ForeignKey(Occurrence, verbose_name=_("planned occurrence"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="trainings")
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.topic} ({self.date:%d-%m-%Y})"


class Campaign(models.Model):
    title = models.CharField(_("title"), max_length=200)
    audience = models.CharField(_("audience"), max_length=200)
    channel = models.CharField(_("channel"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    occurrence = models.ForeignKey(Occurrence, verbose_name=_("planned occurrence"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="campaigns")
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.title


def _upload_to(instance, filename):
    # A random name: the original name stays in the database, never in the file system.
    return f"plan/{clock.now():%Y/%m}/{secrets.token_hex(16)}"


class Attachment(models.Model):
    """A file with an occurrence, meeting, control or training. Stored outside the web
    root (default storage: DATA_DIR/uploads) and served only through `attachment_download`."""

    file = models.FileField(upload_to=_upload_to, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    occurrence = models.ForeignKey(Occurrence, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="attachments")
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="attachments")
    control = models.ForeignKey(Control, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="attachments")
    training = models.ForeignKey(Training, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="attachments")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def parent(self):
        return self.occurrence or self.meeting or self.control or self.training


class CalendarFeed(models.Model):
    """A user's secret calendar address; revoking deletes the token, renewing replaces it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="plan_feed")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"feed {self.user_id}"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)
