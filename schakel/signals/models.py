"""Signals, the people, organisations and addresses they concern, and their history."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from schakel.accounts.models import Role
from schakel.core.crypto import AccountKeyField, EncryptedTextField, account_key, account_keys
from schakel.core.display import ChoiceLabels

from . import history
from .workflow import OPEN_STATES, State


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


def own_signals(user) -> Q:
    """Signals the user reported or filed, found through the keyed account hashes.

    Two indexed lookups on the reporter table, one per keyed column, instead of an OR
    across a join: the join matched every signal with its reporter row (issue 15).
    """
    keys = account_keys(user.pk)
    return (Q(pk__in=ReporterIdentity.objects.filter(user_key__in=keys).values("signal_id"))
            | Q(pk__in=ReporterIdentity.objects.filter(filed_by_key__in=keys)
                .values("signal_id")))


def team_signals_of(team_id) -> Q:
    """Signals reported by a member of the team, through the (team, signal) index."""
    return Q(pk__in=ReporterIdentity.objects.filter(team_id=team_id).values("signal_id"))


def own_signal_ids(user) -> list:
    """The ids of `own_signals` as indexed lookups (queryset, id field), one per keyed
    column, for `union_keyset_page`: each reads a page of its (key, signal) index."""
    keys = account_keys(user.pk)
    return [(ReporterIdentity.objects.filter(user_key__in=keys), "signal_id"),
            (ReporterIdentity.objects.filter(filed_by_key__in=keys), "signal_id")]


def team_signal_ids(team_id) -> list:
    """The ids of the team's submitted signals through the (team, signal) index.

    The drafts are left out by their ids (a handful, from the state index), not by a
    join: PostgreSQL merge-joined every signal above a deep page's key (issue 15)."""
    drafts = Signal.objects.filter(state=State.DRAFT).values("pk")
    return [(ReporterIdentity.objects.filter(team_id=team_id)
             .exclude(signal_id__in=drafts), "signal_id")]


def sees_every_submitted(user) -> bool:
    """An active officer: every submitted signal is theirs to see (`submitted_visible_to`)."""
    return user.is_authenticated and user.is_active and user.role == Role.OFFICER


class SignalQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SignalQuerySet":
        """The one place that decides which signals a user may see at all.

        What of a visible signal they may see is `access.access_level`.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role == Role.OFFICER:
            # Every signal but the drafts of others. The own drafts come from a
            # subquery on the keyed reporter columns, not a join: a join made every
            # list and count match each signal with its reporter row (issue 15).
            keys = account_keys(user.pk)
            own_ids = ReporterIdentity.objects.filter(
                Q(user_key__in=keys) | Q(filed_by_key__in=keys)).values("signal_id")
            return self.filter(~Q(state=State.DRAFT) | Q(state=State.DRAFT, pk__in=own_ids))
        own = own_signals(user)
        if user.role == Role.EMPLOYEE:
            return self.filter(own)
        if user.role == Role.TEAM_LEAD:
            if not user.team_id:
                return self.filter(own)
            return self.filter(own | (team_signals_of(user.team_id) & ~Q(state=State.DRAFT)))
        return self.none()

    def submitted_visible_to(self, user) -> "SignalQuerySet":
        """The submitted signals (no drafts) a user may see: `visible_to` without the
        drafts. For an officer that is every submitted signal, without the subquery for
        their own drafts that the work queue's lists and counts would otherwise carry."""
        if sees_every_submitted(user):
            return self.exclude(state=State.DRAFT)
        return self.visible_to(user).exclude(state=State.DRAFT)

    def open_of(self, officer) -> "SignalQuerySet":
        """The signals an officer handles that are not closed (the work queue's "Mijn").

        The states are written into the statement (`in_constants`): the partial index of
        open signals (`signal_officer_open_idx`) serves only its own condition."""
        return self.filter(officer=officer, state__in_constants=OPEN_STATES)


class Signal(ChoiceLabels, models.Model):
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
    observed_where = EncryptedTextField(_("where"), max_length=200, blank=True)
    observed_on = models.DateField(_("when"), null=True, blank=True)
    team_lead_consulted = models.BooleanField(_("discussed with team lead"), default=False)

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("officer"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="signals_handled",
    )
    # The free texts below are about the signal (and may name people): encrypted.
    dismiss_reason = EncryptedTextField(_("reason for dismissal"), blank=True)
    message_for_reporter = EncryptedTextField(_("message for the reporter"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome, blank=True)
    outcome_other = EncryptedTextField(_("outcome (other)"), max_length=200, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    referred_at = models.DateTimeField(null=True, blank=True)
    reporter_informed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # When the officers were told it came in (notifications.announce_new_signals).
    announced_at = models.DateTimeField(null=True, blank=True)
    # When the reporter last opened the signal after a message: "new message" until then.
    reporter_read_at = models.DateTimeField(null=True, blank=True)
    # The reporter may ask not to be e-mailed about this signal (a shared mailbox, say).
    mail_reporter = models.BooleanField(_("e-mail the reporter about messages"), default=True)
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
            # The work queue's "all" tab in its default order, the state along so a deep
            # page is found in the index alone.
            models.Index(fields=["-urgent", "-submitted_at", "-id", "state"],
                         name="signal_all_idx"),
            # The figures of a year (dashboard, council report) and "team" lists by date.
            models.Index(fields=["submitted_at"], name="signal_submitted_idx"),
            # The "all" tab oldest first (urgent still on top): a mixed-direction order
            # that `signal_all_idx` cannot serve read backwards.
            models.Index(fields=["-urgent", "submitted_at", "id", "state"],
                         name="signal_oldest_idx"),
            # The "mine" tab: an officer's open signals in the queue's order, the state
            # along. Partial: an officer of five years has most of their signals closed,
            # which a full index made the tab step over (its first 1,000 rows: 3.5 ms on
            # SQLite at 100,000 signals, 1.5 ms with this one).
            models.Index(fields=["officer", "-urgent", "-submitted_at", "-id", "state"],
                         condition=Q(state__in=OPEN_STATES),
                         name="signal_officer_open_idx"),
            # The signals submitted that the officers have not been told of yet: a few
            # rows at most, whatever the table's size.
            models.Index(fields=["id"], name="signal_unannounced_idx",
                         condition=Q(announced_at__isnull=True, submitted_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return self.reference or str(_("Draft signal"))

    @property
    def has_unread_message(self) -> bool:
        """A message for the reporter that the reporter has not opened yet."""
        return bool(self.reporter_informed_at and self.message_for_reporter) and (
            self.reporter_read_at is None or self.reporter_read_at < self.reporter_informed_at)

    def data_subject_ids(self, subjects=None) -> list[str]:
        """Pseudonymous ids of everyone this signal is about, the reporter included.

        `subjects`: the signal's subjects when the caller has read them already (in their
        model order); a reporter read with the signal is not read again.
        """
        if subjects is None:
            ids = [str(p) for p in self.subjects.values_list("pseudonym", flat=True)]
        else:
            ids = [str(subject.pseudonym) for subject in subjects]
        if type(self).reporter.is_cached(self):
            reporter = self.reporter.pseudonym
        else:
            reporter = ReporterIdentity.objects.filter(signal=self).values_list(
                "pseudonym", flat=True).first()
        return ids + ([str(reporter)] if reporter else [])


class ReporterIdentity(models.Model):
    """Who reported the signal: kept apart, shown to officers only (plan, step 2).

    The reporter's account (and the account that filed, a team lead on a team
    member's behalf or the reporter themselves) is stored twice, never plainly:
    as a keyed hash (HMAC with REPORTER_LINK_KEYS, which live outside the database)
    that finds "Mijn meldingen" with an indexed equality lookup, and as the account
    id encrypted (ENCRYPTION_KEYS) for the draft form and for rotating the hash key.
    The database alone leads from no signal to an account.
    """

    signal = models.OneToOneField(Signal, on_delete=models.CASCADE, related_name="reporter")
    user_key = AccountKeyField(source="user_ref")
    user_ref = EncryptedTextField(blank=True)
    filed_by_key = AccountKeyField(source="filed_by_ref")
    filed_by_ref = EncryptedTextField(blank=True)
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    # The reporter's id in the processing log, which must not hold names.
    pseudonym = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    name = EncryptedTextField(_("name"))
    email = EncryptedTextField(_("e-mail"), blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    team_lead_consulted_with = EncryptedTextField(_("discussed with"), blank=True)


    class Meta:
        indexes = [
            models.Index(fields=["team"]),
            # "Mijn meldingen" and the team lead's list a page at a time, newest first,
            # read from these indexes alone (`own_signal_ids`, `team_signal_ids`).
            models.Index(fields=["team", "signal"], name="reporter_team_signal_idx"),
            models.Index(fields=["user_key", "signal"], name="reporter_user_signal_idx"),
            models.Index(fields=["filed_by_key", "signal"], name="reporter_filer_signal_idx"),
        ]

    def __str__(self) -> str:
        return f"reporter of signal {self.signal_id}"  # never the name: __str__ ends up in logs

    @staticmethod
    def account_fields(*, user, filed_by) -> dict:
        """The stored form of the two accounts (either may be None)."""
        def pair(account):
            return (account_key(account.pk), str(account.pk)) if account else ("", "")
        (user_key, user_ref), (filed_key, filed_ref) = pair(user), pair(filed_by)
        return {"user_key": user_key, "user_ref": user_ref,
                "filed_by_key": filed_key, "filed_by_ref": filed_ref}

    def link_accounts(self, *, user, filed_by) -> None:
        for name, value in self.account_fields(user=user, filed_by=filed_by).items():
            setattr(self, name, value)

    def is_reporter(self, user) -> bool:
        return bool(self.user_key) and self.user_key in account_keys(user.pk)

    def is_filed_by(self, user) -> bool:
        return bool(self.filed_by_key) and self.filed_by_key in account_keys(user.pk)

    @property
    def user_id(self) -> int | None:
        return int(self.user_ref) if self.user_ref else None

    @property
    def filed_by_id(self) -> int | None:
        return int(self.filed_by_ref) if self.filed_by_ref else None

    @property
    def user(self):
        from django.contrib.auth import get_user_model

        return get_user_model().objects.filter(pk=self.user_id).first() if self.user_id else None

    @property
    def filed_by(self):
        from django.contrib.auth import get_user_model

        return (get_user_model().objects.filter(pk=self.filed_by_id).first()
                if self.filed_by_id else None)


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


class Subject(ChoiceLabels, models.Model):
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


class SignalEvent(ChoiceLabels, models.Model):
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
    remark = EncryptedTextField(blank=True)  # notes, step remarks, decisions: free text
    # A line Schakel writes itself ("Referred to …"), rendered in the reader's language by
    # `history.line`; params hold partner names or a date, never personal data.
    code = models.CharField(max_length=40, blank=True)
    params = models.JSONField(default=dict, blank=True)

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

    @property
    def text(self) -> str:
        """What the history shows: the line in the active language, then the remark."""
        return history.text(self.code, self.params, self.remark)


def new_submission_token() -> uuid.UUID:
    return uuid.uuid4()


def _attachment_path(instance, filename):
    # A random name: the original name is stored encrypted, never in the file system.
    import secrets

    return f"signals/{secrets.token_hex(20)}"


class SignalAttachment(models.Model):
    """A photo, scanned letter or screenshot with a signal.

    The contents are encrypted (Fernet, ENCRYPTION_KEYS) into a file with a random
    name outside the web root (default storage: DATA_DIR/uploads/signals); the
    original name is an encrypted field. Who added it is a keyed account hash, like
    the reporter's link: the database alone ties no account to a signal. Served only
    through `signals:attachment` to the officer and to whoever added it.
    """

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_attachment_path, max_length=200)
    # A small PNG made server-side from an image (re-encoded, no metadata), encrypted too.
    thumbnail = models.FileField(upload_to=_attachment_path, max_length=200, blank=True)
    name = EncryptedTextField(_("file name"))
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()  # of the plain file, as the user knows it
    added_by_key = AccountKeyField(source="added_by_ref")
    added_by_ref = EncryptedTextField(blank=True)
    added_by_role = models.CharField(max_length=20)
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return f"attachment {self.pk} of signal {self.signal_id}"  # never the file name

    def is_added_by(self, user) -> bool:
        return bool(self.added_by_key) and self.added_by_key in account_keys(user.pk)
