"""The processing log (logboek dataverwerkingen), after the Dutch government standard.

Three parts:
- `register.py`: the register of processing activities, each with its purpose
  and legal basis (shown to officers on a page).
- `AuditEvent`: who did it (user and role at the time) and, for changes, the old
  and new values of fields that are not personal (references, states).
- `ProcessingRecord`: one row per data subject per processing, linked to its audit
  event, hash-chained so that a changed, removed or inserted row is detected by
  `manage.py audit_verify`.

Rows are written inside the transaction of the action they describe, never
updated and never deleted; they outlive the destruction of what they describe
because they hold pseudonymous ids, not names.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from schakel.core.display import ChoiceLabels

from .chain import event_digest, record_hash


class Activity(models.TextChoices):
    """Processing activities, one per step of the route (DESIGN §5) and around it."""

    REGISTER = "register", _("Register a signal")
    RECEIVE = "receive", _("Receive a signal")
    VIEW = "view", _("View a signal")
    ENRICH = "enrich", _("Enrich: search the register")
    DISCUSS = "discuss", _("Discuss in the case meeting")
    REFER = "refer", _("Refer to a partner")
    INFORM = "inform", _("Inform the reporter")
    CLOSE = "close", _("Close a signal")
    DISMISS = "dismiss", _("Dismiss a signal")
    NOTE = "note", _("Add a note")
    EXPORT = "export", _("Export")
    REPORT = "report", _("Report")
    ACCESS_REQUEST = "access_request", _("Access request")
    DESTROY = "destroy", _("Destruction")
    LOG_SEARCH = "log_search", _("Search the processing log")
    ROLE = "role", _("Change a role")


class Action(models.TextChoices):
    READ = "read", _("read")
    CREATE = "create", _("create")
    UPDATE = "update", _("update")
    DELETE = "delete", _("delete")


class AppendOnlyError(Exception):
    pass


class AppendOnly(ChoiceLabels, models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} rows are append-only.")


class AuditEvent(AppendOnly):
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                              related_name="+")
    # Kept apart from the user so a later change of role or a deleted account
    # does not rewrite history.
    actor_username = models.CharField(max_length=150, blank=True)
    actor_role = models.CharField(max_length=20, blank=True)
    action = models.CharField(max_length=10, choices=Action)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    # Old and new values of non-personal fields, e.g. {"state": ["submitted", "received"]}.
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"]),
                   models.Index(fields=["actor", "at"])]

    def __str__(self) -> str:
        return f"{self.actor_username or '-'} {self.action} {self.object_type} {self.object_id}"

    def digest(self) -> str:
        """What the chain protects of this event (not `actor_id`: see chain.py)."""
        return event_digest(at=self.at, actor_username=self.actor_username,
                            actor_role=self.actor_role, action=self.action,
                            object_type=self.object_type, object_id=self.object_id,
                            changes=self.changes)


class ProcessingRecord(AppendOnly):
    # The record's place in the chain; NULL until the sequencer chains it (sequencer.py).
    seq = models.PositiveBigIntegerField(unique=True, null=True, blank=True)
    # The request's id (all records of one request share it). Never searched on: no
    # index, which every insert and every chaining of a record would have to maintain.
    trace_id = models.CharField(max_length=32)
    activity = models.CharField(max_length=20, choices=Activity)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(db_index=True)
    status = models.CharField(max_length=10, default="ok")
    # Pseudonymous id of the one data subject this record is about ("" when none is known).
    data_subject = models.CharField(max_length=40, blank=True)
    purpose = models.CharField(max_length=200, blank=True)
    audit = models.ForeignKey(AuditEvent, on_delete=models.PROTECT, related_name="records")
    # A copy of the audit event's actor id, so "what did this user process" reads one
    # index in the log's order instead of joining every record to its event. Not
    # hashed, like the event's own actor id (see chain.py): the name is.
    actor_pk = models.BigIntegerField(null=True, blank=True)
    # Likewise a copy of the event's object ("signals.signal", "123"): "who processed
    # this signal" reads one index in the log's order, however often it was opened.
    object_type = models.CharField(max_length=40, blank=True, db_default="")
    object_id = models.CharField(max_length=40, blank=True, db_default="")
    # Unchained: prev_hash "" and hash the entry signature; chained: the link and the
    # signature over content, audit event and link.
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-seq"]
        indexes = [
            # The log's searches, newest first: by user, by data subject, by object.
            models.Index(fields=["actor_pk", "-seq"], name="record_actor_idx"),
            models.Index(fields=["data_subject", "-seq"], name="record_subject_idx"),
            models.Index(fields=["object_type", "object_id", "-seq"], name="record_object_idx"),
            # The sequencer's queue: only the few records not chained yet.
            models.Index(fields=["id"], condition=models.Q(seq__isnull=True),
                         name="record_unchained_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.activity} {self.data_subject or '-'}"

    def compute_hash(self, audit_digest: str, key: str) -> str:
        return record_hash(key, trace_id=self.trace_id, activity=self.activity,
                           started_at=self.started_at, ended_at=self.ended_at,
                           status=self.status, data_subject=self.data_subject,
                           purpose=self.purpose, audit_digest=audit_digest,
                           prev_hash=self.prev_hash)


class ChainHead(models.Model):
    """The last link of the chain; locked while a record is added, so links never fork."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"chain head at #{self.seq}"


class ChainAnchor(models.Model):
    """The chain head of one day, also written where the database cannot reach it.

    Every anchor goes to the application log and the officers' digest as well;
    this copy only spares the verifier a search. Whoever rewrites the database can
    rewrite these rows too: the copies outside are what `audit_verify --anchors-from`
    trusts.
    """

    day = models.DateField(unique=True)
    at = models.DateTimeField()
    seq = models.PositiveBigIntegerField()
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"anchor {self.day}: #{self.seq}"

    def line(self) -> str:
        """The form written outside; `audit_verify --anchors-from` reads it back."""
        return f"processing log head {self.day.isoformat()}: record {self.seq} hash {self.hash}"



class ChainCheck(models.Model):
    """One run of `audit_verify`: when, how many records, and whether the chain held.

    The health page reports the last one, so a chain nobody verifies, or one that
    failed its last check, shows up without anyone reading the command's output.
    """

    at = models.DateTimeField()
    records = models.PositiveBigIntegerField()
    findings = models.PositiveIntegerField()

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"chain check {self.at:%Y-%m-%d %H:%M}: {self.findings} finding(s)"
