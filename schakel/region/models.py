"""The regional picture: what a municipality shares, and what the region keeps of it.

Two sides live in one app, because every installation runs the same code:

- in a municipality's installation: the switch that lets the region fetch the share
  (`ShareSwitch`), and the anonymous case questions for the regional meeting
  (`RegionalQuestion`);
- in the region's installation (settings.SCHAKEL["REGION"] names the municipalities):
  each municipality with its encrypted token and the last share it answered with
  (`Municipality`), and the questions on the regional meeting's agenda (`AgendaItem`).

Nothing here holds a signal's reference, a name or a date finer than a quarter, except
the question texts, which a person checked for names and which are encrypted at rest.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from schakel.core.crypto import EncryptedTextField


class ShareSwitch(models.Model):
    """One row: does this municipality share its anonymous figures with the region?"""

    enabled = models.BooleanField(_("sharing with the region"), default=False)
    changed_at = models.DateTimeField(null=True, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    last_fetched_at = models.DateTimeField(_("last fetched by the region"), null=True,
                                           blank=True)

    def __str__(self) -> str:
        return "on" if self.enabled else "off"

    @classmethod
    def current(cls) -> "ShareSwitch":
        return cls.objects.get_or_create(pk=1)[0]


class QuestionState(models.TextChoices):
    OPEN = "open", _("On the agenda")
    DISCUSSED = "discussed", _("Discussed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class RegionalQuestion(models.Model):
    """An anonymous case question for the next regional meeting, by an officer.

    It goes to the region only once a person confirmed that the text names nobody
    (`confirmed_by`); the signal it came from stays here and is never shared.
    """

    text = EncryptedTextField(_("question"), max_length=1000)
    signal = models.ForeignKey("signals.Signal", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(_("status"), max_length=20, choices=QuestionState,
                             default=QuestionState.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField()
    # Names or addresses the check found and the person decided were no problem.
    warnings_overruled = models.PositiveSmallIntegerField(default=0)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("regional question")
        verbose_name_plural = _("regional questions")

    def __str__(self) -> str:
        return f"question {self.pk}"


class FetchStatus(models.TextChoices):
    NEVER = "never", _("Not fetched yet")
    OK = "ok", _("Answered")
    NO_TOKEN = "no_token", _("No token entered")
    UNREACHABLE = "unreachable", _("Does not answer")
    REFUSED = "refused", _("Refused the token")
    NOT_SHARING = "not_sharing", _("Does not share")
    INVALID = "invalid", _("Sent something that is not a valid share")


class Municipality(models.Model):
    """A municipality of the region (region's installation), from REGION_MUNICIPALITIES."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    base_url = models.URLField(_("address"), max_length=300)
    active = models.BooleanField(default=True)
    # The system token its administrator made for the region; encrypted at rest.
    token = EncryptedTextField(_("token"), blank=True)
    token_set_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=FetchStatus,
                              default=FetchStatus.NEVER)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    # The last share that passed validation, and when the region received it.
    share = models.JSONField(null=True, blank=True)
    share_at = models.DateTimeField(_("last share"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name


class AgendaItem(models.Model):
    """A municipality's anonymous question on the regional meeting's agenda (region side)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE,
                                     related_name="agenda")
    remote_id = models.PositiveIntegerField()
    text = EncryptedTextField(_("question"))
    quarter = models.CharField(_("quarter"), max_length=7)
    received_at = models.DateTimeField()

    class Meta:
        ordering = ["municipality__name", "remote_id"]
        constraints = [models.UniqueConstraint(fields=["municipality", "remote_id"],
                                               name="agenda_item_once")]

    def __str__(self) -> str:
        return f"{self.municipality_id}/{self.remote_id}"
