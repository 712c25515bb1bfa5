"""Signals, the people, organisations and addresses they concern, and their history."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from schakel.accounts.models import Role
from schakel.core.crypto import EncryptedTextField

from .workflow import State


class ExploitationForm(models.Model):
    """Vorm van uitbuiting. Fixed codes, translatable names; seeded by migration."""

    code = models.CharField(max_length=20, unique=True)
    name_nl = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name_en if get_language() == "en" else self.name_nl


class Indicator(models.Model):
    """One item of a signal card (signalenkaart) for one form of exploitation."""

    form = models.ForeignKey(ExploitationForm, on_delete=models.PROTECT, related_name="indicators")
    text_nl = models.CharField(max_length=300)
    text_en = models.CharField(max_length=300)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["form__order", "order"]

    def __str__(self) -> str:
        return self.text_en if get_language() == "en" else self.text_nl


class Outcome(models.TextChoices):
    REFERRED = "referred", _("Referred to chain partners")
    NO_INDICATION = "no_indication", _("No indication of human trafficking")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    OTHER = "other", _("Other")


class SignalQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SignalQuerySet":
        """The one place that decides which signals a user may see at all.

        What of a visible signal they may see is `access.access_level`.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        own = Q(reporter__user=user) | Q(reporter__filed_by=user)
        if user.role == Role.OFFICER:
            return self.filter(~Q(state=State.DRAFT) | own)
        if user.role == Role.EMPLOYEE:
            return self.filter(own)
        if user.role == Role.TEAM_LEAD:
            team = Q(reporter__team=user.team) & ~Q(state=State.DRAFT) if user.team_id else Q()
            return self.filter(own | team) if user.team_id else self.filter(own)
        return self.none()


class Signal(models.Model):
    # NULL until submitted: drafts have no reference yet, and NULLs don't clash on unique.
    reference = models.CharField(_("reference"), max_length=30, unique=True,  # noqa: DJ001
                                 null=True)
    state = models.CharField(_("status"), max_length=20, choices=State, default=State.DRAFT)
    # Raised by every state change; a page posts the version it showed, so a stale
    # page cannot overwrite what another officer just did.
    version = models.PositiveIntegerField(default=0)

    urgent = models.BooleanField(_("urgent"), default=False)
    forms = models.ManyToManyField(ExploitationForm, verbose_name=_("forms of exploitation"),
                                   blank=True, related_name="signals")
    indicators = models.ManyToManyField(Indicator, verbose_name=_("indicators"), blank=True,
                                        related_name="signals")
    # Free text about a possible crime: criminal data (AVG art. 10), so encrypted.
    background = EncryptedTextField(_("background and what was seen"))
    observed_where = models.CharField(_("where"), max_length=200, blank=True)
    observed_on = models.DateField(_("when"), null=True, blank=True)
    team_lead_consulted = models.BooleanField(_("discussed with team lead"), default=False)

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("officer"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="signals_handled",
    )
    dismiss_reason = models.TextField(_("reason for dismissal"), blank=True)
    message_for_reporter = models.TextField(_("message for the reporter"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome, blank=True)
    outcome_other = models.CharField(_("outcome (other)"), max_length=200, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    referred_at = models.DateTimeField(null=True, blank=True)
    reporter_informed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Set when the personal data was destroyed; what remains is an anonymous stub.
    destroyed_at = models.DateTimeField(null=True, blank=True)
    # One per intake form shown: a double submit finds the signal the first one made.
    submission_token = models.UUIDField(unique=True, null=True, editable=False)

    objects = SignalQuerySet.as_manager()

    class Meta:
        ordering = ["-urgent", "-submitted_at", "-id"]
        indexes = [
            # The work queue: open signals, urgent first, newest first.
            models.Index(fields=["state", "-urgent", "-submitted_at"], name="signal_queue_idx"),
            models.Index(fields=["officer", "state"], name="signal_officer_idx"),
        ]

    def __str__(self) -> str:
        return self.reference or str(_("Draft signal"))

    def data_subject_ids(self) -> list[str]:
        """Pseudonymous ids of everyone this signal is about, the reporter included."""
        ids = [str(p) for p in self.subjects.values_list("pseudonym", flat=True)]
        reporter = ReporterIdentity.objects.filter(signal=self).values_list(
            "pseudonym", flat=True).first()
        return ids + ([str(reporter)] if reporter else [])


class ReporterIdentity(models.Model):
    """Who reported the signal: kept apart, shown to officers only (plan, step 2)."""

    signal = models.OneToOneField(Signal, on_delete=models.CASCADE, related_name="reporter")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    # The team lead who filed on a team member's behalf, or the reporter themselves.
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    # The reporter's id in the processing log, which must not hold names.
    pseudonym = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    name = EncryptedTextField(_("name"))
    email = EncryptedTextField(_("e-mail"), blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    team_lead_consulted_with = EncryptedTextField(_("discussed with"), blank=True)

    class Meta:
        indexes = [models.Index(fields=["user"]), models.Index(fields=["team"])]

    def __str__(self) -> str:
        return f"reporter of signal {self.signal_id}"  # never the name: __str__ ends up in logs


class Capacity(models.TextChoices):
    VICTIM = "victim", _("Presumed victim")
    PERPETRATOR = "perpetrator", _("Presumed perpetrator")
    EMPLOYER = "employer", _("Employer")
    LANDLORD = "landlord", _("Landlord")
    OTHER = "other", _("Other")


class SubjectKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")
    ADDRESS = "address", _("Address")


class Subject(models.Model):
    """A person, organisation or address involved in a signal (betrokkene)."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="subjects")
    # This person's (organisation's, address's) id in the processing log.
    pseudonym = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    kind = models.CharField(max_length=20, choices=SubjectKind)
    capacity = models.CharField(_("capacity"), max_length=20, choices=Capacity, blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    nationality = EncryptedTextField(_("nationality"), blank=True)  # special category
    kvk_number = models.CharField(_("Chamber of Commerce number"), max_length=8, blank=True)
    street = models.CharField(_("street"), max_length=200, blank=True)
    house_number = models.CharField(_("house number"), max_length=10, blank=True)
    house_number_addition = models.CharField(_("addition"), max_length=10, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    city = models.CharField(_("place"), max_length=100, blank=True)
    description = EncryptedTextField(_("description"), blank=True)

    class Meta:
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        if self.kind == SubjectKind.ADDRESS:
            number = f"{self.house_number}{self.house_number_addition}"
            return f"{self.street} {number}, {self.postcode} {self.city}".strip(" ,")
        return self.name


class EventKind(models.TextChoices):
    TRANSITION = "transition", _("Status change")
    NOTE = "note", _("Note")
    DECISION = "decision", _("Decision of the case meeting")


class SignalEvent(models.Model):
    """Append-only history of a signal: every state change and every note."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_role = models.CharField(max_length=20)
    kind = models.CharField(max_length=20, choices=EventKind)
    transition = models.CharField(max_length=30, blank=True)
    from_state = models.CharField(max_length=20, choices=State, blank=True)
    to_state = models.CharField(max_length=20, choices=State, blank=True)
    remark = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.transition} on signal {self.signal_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Signal events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Signal events are append-only.")


def new_submission_token() -> uuid.UUID:
    return uuid.uuid4()
