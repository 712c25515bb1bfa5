"""Chain partners, the rules that propose them, referrals, feedback links and the outbox.

A referral sends chosen parts of one signal to one partner (step 4) and asks for
feedback (step 5). The partner answers through a single-use link whose token is
stored only as a hash. Every e-mail goes through the outbox, so a failed send is
visible, can be resent, and never loses the referral it belongs to.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from schakel.core import clock
from schakel.core.crypto import EncryptedTextField
from schakel.core.display import ChoiceLabels
from schakel.signals.models import Capacity, ExploitationForm, Signal


class Partner(models.Model):
    """A chain partner (ketenpartner): an organisation, reached through a functional mailbox."""

    # Stable key of the seeded partners, so loading the defaults twice changes nothing.
    code = models.SlugField(max_length=40, unique=True, null=True, blank=True, editable=False)
    name = models.CharField(_("name"), max_length=150, unique=True)
    description = models.TextField(_("description"), blank=True)
    email = models.EmailField(
        _("e-mail address for referrals"),
        help_text=_("A functional mailbox of the organisation, not a person's address."))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    forms = models.ManyToManyField(ExploitationForm, verbose_name=_("forms of exploitation"),
                                   blank=True, related_name="partners")
    takes_signals = models.BooleanField(_("takes signals"), default=True)
    takes_advice = models.BooleanField(_("gives advice"), default=False)
    takes_care = models.BooleanField(_("provides care"), default=False)
    # The plan: "Er wordt altijd een melding gedaan bij de Zorgcoördinator mensenhandel."
    is_care_coordinator = models.BooleanField(
        _("care coordinator for human trafficking"), default=False,
        help_text=_("Leaving this partner out of a referral requires a recorded reason."))
    is_demo = models.BooleanField(_("demo data"), default=False,
                                  help_text=_("Placeholder addresses: replace before use."))
    active = models.BooleanField(_("active"), default=True)
    last_verified = models.DateField(_("contacts last verified"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("chain partner")
        verbose_name_plural = _("chain partners")

    def __str__(self) -> str:
        return self.name

    def verification_overdue(self, today) -> bool:
        """The plan asks to check every partner's contacts once a year (§3.3)."""
        return self.last_verified is None or self.last_verified <= today - timedelta(days=365)


class Contact(models.Model):
    """Someone to call at a partner. Shown to officers and administrators only."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=150)
    function = models.CharField(_("function"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("contact")

    def __str__(self) -> str:
        return self.name


class Condition(models.TextChoices):
    ALWAYS = "always", _("Always")
    URGENT = "urgent", _("The signal is urgent")
    FORM = "form", _("Form of exploitation")
    MINOR = "minor", _("A minor is involved")
    CAPACITY = "capacity", _("Someone involved has a capacity")


class Priority(models.TextChoices):
    IMMEDIATE = "immediate", _("At once")
    NORMAL = "normal", _("Normal")


class RoutingRule(models.Model):
    """If the condition holds for a signal, propose the partner (step 4). Edited by the admin."""

    condition = models.CharField(_("condition"), max_length=20, choices=Condition)
    form = models.ForeignKey(ExploitationForm, verbose_name=_("form of exploitation"),
                             null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    capacity = models.CharField(_("capacity"), max_length=20, choices=Capacity, blank=True)
    partner = models.ForeignKey(Partner, verbose_name=_("partner"), on_delete=models.CASCADE,
                                related_name="rules")
    priority = models.CharField(_("priority"), max_length=20, choices=Priority,
                                default=Priority.NORMAL)
    advice = models.CharField(_("advice for the officer"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)
    code = models.SlugField(max_length=40, unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")

    def __str__(self) -> str:
        return f"{self.describe()} → {self.partner}"

    def describe(self) -> str:
        from django.utils.translation import gettext as _g

        if self.condition == Condition.FORM and self.form_id:
            return str(self.form)
        if self.condition == Condition.CAPACITY and self.capacity:
            return _g("Involved as: %(capacity)s") % {"capacity": self.get_capacity_display()}
        return str(self.get_condition_display())


class ReferralSettings(models.Model):
    """The few numbers of step 5, kept as data so the administrator can change them."""

    link_valid_days = models.PositiveSmallIntegerField(
        _("link valid for (days)"), default=14)
    feedback_due_days = models.PositiveSmallIntegerField(
        _("feedback expected within (days)"), default=14)
    reminder_interval_days = models.PositiveSmallIntegerField(
        _("days between reminders"), default=7)
    max_reminders = models.PositiveSmallIntegerField(
        _("reminders before 'no response'"), default=2)

    class Meta:
        verbose_name = _("referral settings")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "ReferralSettings":
        return cls.objects.get_or_create(pk=1)[0]


class Part(models.TextChoices):
    """What of a signal can be shared with a partner. The reporter is never among these."""

    URGENCY = "urgency", _("Urgency")
    FORMS = "forms", _("Form(s) of exploitation")
    WHERE_WHEN = "where_when", _("Where and when")
    BACKGROUND = "background", _("Background and what was seen")
    INDICATORS = "indicators", _("Signs noticed")


class ReferralState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    RECEIVED = "received", _("Receipt confirmed")
    FEEDBACK_RECEIVED = "feedback_received", _("Feedback received")
    NO_RESPONSE = "no_response", _("No response")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Waiting for the partner; the others are settled (or not yet sent).
WAITING = (ReferralState.SENT, ReferralState.RECEIVED)
SETTLED = (ReferralState.FEEDBACK_RECEIVED, ReferralState.NO_RESPONSE, ReferralState.WITHDRAWN)


class FeedbackOutcome(models.TextChoices):
    TAKEN_UP = "taken_up", _("Taken up")
    INVESTIGATION = "investigation", _("Investigation started")
    CARE = "care", _("Care started")
    NO_ACTION = "no_action", _("No action")
    PASSED_ON = "passed_on", _("Passed on to another partner")


class FeedbackChannel(models.TextChoices):
    LINK = "link", _("Through the feedback link")
    PHONE = "phone", _("By phone")
    LETTER = "letter", _("By letter")
    EMAIL = "email", _("By e-mail")
    MEETING = "meeting", _("In a meeting")


def failed_requests():
    """The requests with a link (referral or reminder) that failed to arrive."""
    return OutboxMessage.objects.filter(kind__in=LINK_KINDS, status=MessageStatus.FAILED)


def undelivered_among(referrals) -> set[int]:
    """The ids of those of `referrals` (read already) that are not delivered: waiting,
    with a failed request left (as `Referral.objects.undelivered()`), found through the
    outbox's referral index for just these."""
    waiting = [r.pk for r in referrals if r.state in WAITING]
    if not waiting:
        return set()
    return set(failed_requests().filter(referral_id__in=waiting)
               .values_list("referral_id", flat=True))


class ReferralQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ReferralQuerySet":
        """Referrals are part of a signal's handling: the officers only."""
        if not user.is_authenticated or not user.is_active or user.role != "officer":
            return self.none()
        # An officer sees every signal but others' drafts, and a draft is never
        # referred: the state of the referral's own signal says enough. (An IN over
        # `Signal.objects.visible_to` cost 50 ms per count at 100,000 signals.) The
        # drafts are read through the state index, a handful: a join read each
        # referral's signal row for its state (41 ms for 3,700 open referrals).
        drafts = Signal.objects.filter(state="draft").values("pk")
        return self.exclude(signal_id__in=drafts)

    def overdue(self, now) -> "ReferralQuerySet":
        """Waiting past the due date. A referral never delivered has no due date yet."""
        return self.filter(state__in=WAITING, due_at__lt=now)

    def undelivered(self) -> "ReferralQuerySet":
        """Waiting, but the partner's latest request (referral or reminder) failed to arrive.

        A delivered request cancels the older undelivered ones of its referral, so any
        failed request left means the partner lacks a working link ("niet bezorgd").
        Found from the failed requests (few), not by probing the outbox for every waiting
        referral: 0.2 against 3.8 ms at 3,700 waiting referrals on PostgreSQL.
        """
        return self.filter(state__in=WAITING).filter(
            pk__in=failed_requests().values("referral_id"))


class Referral(ChoiceLabels, models.Model):
    """One signal to one partner, with the parts chosen for that partner and its own state."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="referrals")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="referrals")
    state = models.CharField(_("status"), max_length=20, choices=ReferralState,
                             default=ReferralState.DRAFT)
    parts = models.JSONField(_("parts shared"), default=list)
    # Ids of the signal's Subjects shared with this partner.
    subject_ids = models.JSONField(default=list)
    # The signal's attachments the officer ticked for this partner (downloaded via the link).
    attachment_ids = models.JSONField(default=list, blank=True)
    message = EncryptedTextField(_("message for the partner"), blank=True)
    reason = EncryptedTextField(_("why this partner"), blank=True)
    priority = models.CharField(max_length=20, choices=Priority, default=Priority.NORMAL)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField()
    # When the officer sent it; the e-mail may arrive later (or not at all).
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # When the mail server first accepted a request with a link for the partner: the
    # feedback deadline (due_at) and the reminders count from here, never from sent_at.
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    due_at = models.DateTimeField(_("feedback due"), null=True, blank=True)
    received_at = models.DateTimeField(_("receipt confirmed"), null=True, blank=True)
    # Reminders the mail server accepted; a queued or failed one does not count.
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminder_at = models.DateTimeField(null=True, blank=True)
    feedback_at = models.DateTimeField(_("feedback received"), null=True, blank=True)
    feedback_outcome = models.CharField(_("outcome"), max_length=20, choices=FeedbackOutcome,
                                        blank=True)
    feedback_text = EncryptedTextField(_("feedback"), blank=True)
    feedback_channel = models.CharField(_("received"), max_length=20, choices=FeedbackChannel,
                                        blank=True)
    feedback_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    settled_at = models.DateTimeField(null=True, blank=True)
    withdraw_reason = EncryptedTextField(_("reason for withdrawal"), blank=True)
    version = models.PositiveIntegerField(default=0)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["signal_id", "priority", "id"]  # "immediate" sorts before "normal"
        constraints = [
            # One referral per partner per signal; a withdrawn one may be redone.
            models.UniqueConstraint(fields=["signal", "partner"],
                                    condition=~Q(state="withdrawn"),
                                    name="one_open_referral_per_partner"),
        ]
        indexes = [
            # The daily job and the overview: waiting referrals by due date; the signal
            # along, so the open ones are counted against the drafts in the index alone.
            models.Index(fields=["state", "due_at", "signal"], name="referral_due_signal_idx"),
            # The open ones in due order (the referrals list's first tab): a walk of this
            # index that stops at the page, not a sort of every open referral. The state
            # along, so the tabs' counts (open, overdue) read the index alone: 1.3 ms
            # against 4.3 for visiting the rows, at 3,700 open referrals.
            models.Index(fields=["due_at", "id", "signal", "state"],
                         condition=Q(state__in=(ReferralState.DRAFT, *WAITING)),
                         name="referral_open_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.signal} → {self.partner}"

    @property
    def is_waiting(self) -> bool:
        return self.state in WAITING

    @property
    def is_settled(self) -> bool:
        return self.state in SETTLED

    def is_overdue(self, now=None) -> bool:
        return self.is_waiting and self.due_at is not None and self.due_at < (now or clock.now())

    def shares(self, part: str) -> bool:
        return part in self.parts


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class LinkQuerySet(models.QuerySet):
    def usable(self, now):
        return self.filter(used_at=None, revoked_at=None, expires_at__gt=now)


class FeedbackLink(models.Model):
    """A single-use, expiring link for the partner. Only the token's SHA-256 is stored."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = LinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"link {self.pk} of referral {self.referral_id}"

    @classmethod
    def issue(cls, referral: Referral, days: int) -> tuple["FeedbackLink", str]:
        """A new link; the plain token is returned once and never stored."""
        token = secrets.token_urlsafe(32)
        now = clock.now()
        link = cls.objects.create(referral=referral, token_hash=hash_token(token), created_at=now,
                                  expires_at=now + timedelta(days=days))
        return link, token

    def status(self, now) -> str:
        if self.revoked_at:
            return "revoked"
        if self.used_at:
            return "used"
        if self.expires_at <= now:
            return "expired"
        return "valid"


class LinkAttempt(models.Model):
    """A failed look-up of a feedback link, to slow down guessing. Kept a day at most."""

    client = models.CharField(max_length=64, db_index=True)  # hash of the address, not the address
    at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"failed look-up at {self.at:%Y-%m-%d %H:%M}"


class CareCoordinatorSkip(models.Model):
    """The recorded reason for not referring a signal to the care coordinator."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="care_skips")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    reason = EncryptedTextField(_("reason"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                           related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"care coordinator left out of signal {self.signal_id}"


class MessageKind(models.TextChoices):
    REFERRAL = "referral", _("Referral")
    REMINDER = "reminder", _("Reminder")
    FEEDBACK_NOTICE = "feedback_notice", _("Feedback received")
    DIGEST = "digest", _("Daily overview")


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Not sent: no longer needed")


# The messages that carry a feedback link for the partner.
LINK_KINDS = (MessageKind.REFERRAL, MessageKind.REMINDER)


class OutboxMessage(ChoiceLabels, models.Model):
    """Every e-mail Schakel sends about referrals. Bodies hold no personal data.

    A referral or reminder needs a fresh feedback link; its body keeps the
    placeholder LINK_PLACEHOLDER, and each delivery attempt issues a new link
    (revoking the older ones), because the plain token is never stored.
    """

    LINK_PLACEHOLDER = "{feedback_link}"

    kind = models.CharField(_("kind"), max_length=20, choices=MessageKind)
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField()
    referral = models.ForeignKey(Referral, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="messages")
    status = models.CharField(_("status"), max_length=20, choices=MessageStatus,
                              default=MessageStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # The kind of error only (e.g. SMTPRecipientsRefused): never a message text with data.
    error = models.CharField(_("error"), max_length=100, blank=True)
    # Makes a job idempotent: the same reminder or digest is never queued twice.
    dedup_key = models.CharField(max_length=100, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("created"))
    # Automatic retries run until OUTBOX_RETRY_HOURS after this (queued, or resent by hand).
    trying_since = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    # The next automatic attempt of a failed message; None when none is planned.
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    # Failed for the whole retry period: flagged to the administrator and the officers.
    gave_up_at = models.DateTimeField(_("retries stopped"), null=True, blank=True)
    sent_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="outbox_status_idx"),
            # The retry job: failed messages whose next attempt is due.
            models.Index(fields=["status", "next_attempt_at"], name="outbox_retry_idx"),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def needs_link(self) -> bool:
        return self.LINK_PLACEHOLDER in self.body


class DeliveryAttempt(models.Model):
    """One try to hand a message to the mail server: when, and the kind of error if any."""

    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE,
                                related_name="attempt_log")
    at = models.DateTimeField(_("time"))
    delivered = models.BooleanField(_("delivered"))
    # The class of the exception only (e.g. SMTPServerDisconnected): no address, no text.
    error = models.CharField(_("error"), max_length=100, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"attempt {self.pk} of message {self.message_id}"


class DailyRun(models.Model):
    """One row per day the daily job ran, so a second run that day does nothing."""

    day = models.DateField(unique=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"daily job {self.day}"
