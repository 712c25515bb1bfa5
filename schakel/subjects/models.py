"""The register: persons, organisations and addresses from signals and imported data sets.

- `Source`: where records come from (the signals themselves, or an imported data set
  with a name, an owner and a confidentiality level).
- `Record`: one person, organisation or address as the source gives it, plus `norm`,
  its normalised form for re-ranking (see `normalize.py`).
- `RecordKey`: the blocking keys a record is filed under; the candidate search is an
  indexed equality lookup on these (see `engine.py` and the README).
- `Link`: the officer's decision that a subject of a signal is (or is not) a record.
- `ImportRun`: one upload of a file into a source, with its mapping, progress and errors.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from schakel.core.crypto import EncryptedTextField
from schakel.signals.models import SubjectKind


class Confidentiality(models.TextChoices):
    INTERNAL = "internal", _("Internal")
    CONFIDENTIAL = "confidential", _("Confidential")
    SECRET = "secret", _("Secret")


class Source(models.Model):
    SIGNALS = "signals"  # `code` of the source that holds the subjects of signals

    code = models.CharField(max_length=30, unique=True, null=True, blank=True, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)
    owner = models.CharField(
        _("owner"), max_length=200,
        help_text=_("The department or person responsible for this data set."))
    confidentiality = models.CharField(_("confidentiality"), max_length=20,
                                       choices=Confidentiality,
                                       default=Confidentiality.CONFIDENTIAL)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(_("last import"), null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RecordQuerySet(models.QuerySet):
    def visible_to(self, user) -> "RecordQuerySet":
        """Only officers search the register."""
        if user.is_authenticated and user.is_active and user.role == "officer":
            return self
        return self.none()


class Record(models.Model):
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="records")
    # The source's own id of the row (e.g. permit number); re-import updates by it.
    external_id = models.CharField(max_length=100)
    # Set for records that are a subject of a signal.
    subject = models.OneToOneField("signals.Subject", null=True, blank=True,
                                   on_delete=models.CASCADE, related_name="register_record")
    kind = models.CharField(max_length=20, choices=SubjectKind)
    name = models.CharField(_("name"), max_length=200, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    kvk_number = models.CharField(_("Chamber of Commerce number"), max_length=8,
                                  blank=True)
    street = models.CharField(_("street"), max_length=200, blank=True)
    house_number = models.CharField(_("house number"), max_length=20, blank=True)
    house_number_addition = models.CharField(_("addition"), max_length=10, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    city = models.CharField(_("place"), max_length=100, blank=True)
    remark = models.CharField(_("remark"), max_length=300, blank=True)
    # Normalised fields for re-ranking, "|"-separated; written with the record.
    norm = models.CharField(max_length=400, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"],
                                    name="record_source_ext_uniq"),
        ]

    def __str__(self) -> str:
        return self.name or self.address_line

    @property
    def address_line(self) -> str:
        number = f"{self.house_number}{self.house_number_addition}"
        return f"{self.street} {number}, {self.postcode} {self.city}".strip(" ,")


class RecordKey(models.Model):
    """One blocking key of a record. Lookups are `key = %s`, served by the index below.

    No foreign-key constraint and no index on `record`: a second index would double the
    time to build a million records' keys. Keys are replaced by (key, record) pairs
    (`engine.reindex`), and a key left behind by a deleted record points nowhere, so
    the candidate fetch drops it; `rebuild_index` clears such leftovers.
    """

    key = models.CharField(max_length=80)
    record = models.ForeignKey(Record, on_delete=models.DO_NOTHING, related_name="+",
                               db_index=False, db_constraint=False)

    class Meta:
        indexes = [
            # Covering: the candidate lookup reads record ids from the index alone.
            models.Index(fields=["key", "record"], name="recordkey_key_idx"),
        ]

    def __str__(self) -> str:
        return self.key


class Decision(models.TextChoices):
    LINKED = "linked", _("Linked")
    REJECTED = "rejected", _("Rejected")


class Link(models.Model):
    """An officer's decision on one candidate for one subject of a signal."""

    subject = models.ForeignKey("signals.Subject", on_delete=models.CASCADE, related_name="links")
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="links")
    decision = models.CharField(max_length=20, choices=Decision)
    score = models.PositiveSmallIntegerField(default=0)
    reason = EncryptedTextField(max_length=300, blank=True)  # free text about a signal
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                              related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["subject_id", "-at"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "record"], name="link_subject_record_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.record}"


class ImportState(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    CHECKING = "checking", _("Checking rows")
    CHECKED = "checked", _("Checked")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Not imported")


class ImportRun(models.Model):
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="imports")
    file_name = models.CharField(max_length=200)
    stored_as = models.CharField(max_length=200)
    kind = models.CharField(_("kind of records"), max_length=20, choices=SubjectKind,
                            default=SubjectKind.PERSON)
    columns = models.JSONField(default=list)
    mapping = models.JSONField(default=dict)
    state = models.CharField(max_length=20, choices=ImportState, default=ImportState.UPLOADED)
    total_rows = models.PositiveIntegerField(default=0)
    checked_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)  # [[line, message], …], first 200
    error_count = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.file_name
