"""The processing log (logboek dataverwerkingen): every read and write of personal data.

Rows are written inside the transaction of the action they describe, so an
action without its log row cannot happen. They are never updated or deleted.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Activity(models.TextChoices):
    """Processing activities, one per step of the route (DESIGN §5)."""

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


class Action(models.TextChoices):
    READ = "read", _("read")
    CREATE = "create", _("create")
    UPDATE = "update", _("update")


class AppendOnlyError(Exception):
    pass


class ProcessingRecord(models.Model):
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The role at the time, kept apart from the user so a later role change does not rewrite history.
    actor_role = models.CharField(max_length=20, blank=True)
    activity = models.CharField(max_length=20, choices=Activity)
    action = models.CharField(max_length=10, choices=Action)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=40)
    purpose = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        # "who saw signal X" walks this index.
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Processing records are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Processing records are append-only.")
