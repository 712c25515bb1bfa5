"""Retention, destruction and access requests: the privacy features over the processing log.

The tables were created by the audit app and keep their names (`db_table`), so an
installation that ran the older migrations keeps its destruction list, certificates
and access requests: migration 0001 only moves the models' state to this app.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from schakel.core.crypto import EncryptedTextField


class DestructionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    POSTPONED = "postponed", _("Postponed")
    DESTROYED = "destroyed", _("Destroyed")


class DestructionItem(models.Model):
    """One signal on the destruction list (Selectielijst gemeenten), awaiting an officer."""

    signal = models.ForeignKey("signals.Signal", null=True, on_delete=models.SET_NULL,
                               related_name="destruction_items")
    reference = models.CharField(_("reference"), max_length=30)
    closed_at = models.DateTimeField(_("closed"))
    due_on = models.DateField(_("due for destruction on"))
    rule = models.CharField(_("retention rule"), max_length=100)
    status = models.CharField(_("status"), max_length=20, choices=DestructionStatus,
                              default=DestructionStatus.PROPOSED)
    postponed_until = models.DateField(_("postponed until"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    certificate = models.ForeignKey("DestructionCertificate", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="items")
    created_at = models.DateTimeField()

    class Meta:
        db_table = "audit_destructionitem"
        ordering = ["due_on", "id"]
        constraints = [
            # A signal is on the list at most once until it is destroyed or postponed.
            models.UniqueConstraint(fields=["signal"], condition=models.Q(status="proposed"),
                                    name="one_open_destruction_item"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.status})"


class DestructionCertificate(models.Model):
    """Vernietigingsverklaring: which signals were destroyed, when, by whose decision.

    Holds references only, no personal data, and is kept permanently.
    """

    number = models.CharField(max_length=30, unique=True)
    created_at = models.DateTimeField()
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    approved_by_name = models.CharField(max_length=200)
    reason = models.TextField(blank=True)
    pdf = models.BinaryField()
    # Set once the database files hold no old copy of what was destroyed: on SQLite
    # when the write-ahead log has been folded in and truncated (a reader that is
    # still open keeps old pages alive until it ends). Until then: pending.
    completed_at = models.DateTimeField(_("destruction completed"), null=True, blank=True)
    checkpoint_attempts = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "audit_destructioncertificate"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.number

    @property
    def complete(self) -> bool:
        return self.completed_at is not None


class AccessRequest(models.Model):
    """An inzageverzoek (AVG art. 15): a person asks what Schakel holds about them.

    The person's name and date of birth are encrypted; the answer (a PDF) is made
    on demand from the decisions, never stored, so it cannot leak from here.
    """

    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    person_name = EncryptedTextField(_("name of the person"))
    date_of_birth = EncryptedTextField(_("date of birth"), blank=True)
    received_on = models.DateField(_("request received on"))
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "audit_accessrequest"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"AV-{self.created_at.year}-{self.pk:04d}"


class AccessItemKind(models.TextChoices):
    SIGNAL = "signal", _("The signal and what it says about the person")
    REPORTER = "reporter", _("The identity of the reporter")
    TEXT = "text", _("A text about the signal")
    RECORD = "record", _("A record in the register")
    LOG = "log", _("Who processed the person's data (processing log)")
    # A file with the signal (photo, scanned letter): the officer decides per file;
    # a file cannot be redacted, so it is given whole or not at all.
    ATTACHMENT = "attachment", _("An attachment of the signal")
    # Kinds of requests recorded before the review step; answered as restricted.
    NOTES = "notes", _("The officer's notes and history")
    FEEDBACK = "feedback", _("Feedback from chain partners")


class AccessRequestItem(models.Model):
    """One part of the answer, with the officer's decision to give it or restrict it."""

    request = models.ForeignKey(AccessRequest, on_delete=models.CASCADE, related_name="items")
    signal = models.ForeignKey("signals.Signal", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    # The pseudonyms of the matching subjects on this signal (for the log part).
    subject_ids = models.JSONField(default=list)
    kind = models.CharField(max_length=20, choices=AccessItemKind)
    restricted = models.BooleanField(_("restricted"), default=False)
    reason = models.TextField(_("reason for the restriction"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    # Where the item is: a text's place (`signals.texts`) and the row holding it (for an
    # attachment: the SignalAttachment's id).
    place = models.CharField(max_length=40, blank=True)
    object_id = models.BigIntegerField(null=True, blank=True)
    # The band of the match the officer confirmed ("" for items that follow from others).
    band = models.CharField(max_length=20, blank=True)
    # Holds other people's data: restricted until the officer has reviewed it.
    others = models.BooleanField(default=False)
    # Giving it needs a reason (another person's reporter identity, a partner's feedback).
    needs_reason = models.BooleanField(default=False)
    give_reason = models.TextField(_("reason for giving it"), blank=True)
    # The redaction step of a text: when, which spans the officer added for removal
    # (offsets, never the words), and a keyed digest of the text then, so that a text
    # changed afterwards counts as not reviewed.
    reviewed_at = models.DateTimeField(null=True, blank=True)
    redactions = models.JSONField(default=list, blank=True)
    text_digest = models.CharField(max_length=64, blank=True)

    class Meta:
        db_table = "audit_accessrequestitem"
        ordering = ["signal_id", "id"]

    def __str__(self) -> str:
        return f"{self.request} · {self.kind}"
