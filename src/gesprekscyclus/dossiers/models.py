"""The personnel file (personeelsdossier): append-only, hash-chained entries.

Each entry stores the sealed PDF, the JSON of the same content and their SHA-256s, and
``entry_hash``: the SHA-256 of its header (employee, sequence, document, date, the two
content hashes, the retention rule and the previous entry's ``entry_hash``). So every
entry vouches for all before it, and ``DossierHead`` records the length and last hash so
that removing the newest entry shows too. Only the retention purge touches an entry: it
empties the content and leaves the hashes as a tombstone, so the chain still verifies.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gesprekscyclus.conversations.models import Conversation
from gesprekscyclus.organisations.models import Employee, Organisation

GENESIS = "0" * 64


class DossierEntry(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="dossier_entries")
    sequence = models.PositiveIntegerField()
    document = models.CharField(_("document"), max_length=30)  # the regulation's document kinds
    title = models.CharField(_("title"), max_length=300)
    document_date = models.DateField(_("date"))
    conversation = models.ForeignKey(
        Conversation, on_delete=models.SET_NULL, null=True, blank=True, related_name="dossier_entries"
    )
    content_json = models.TextField(blank=True)
    content_hash = models.CharField(max_length=64)
    pdf = models.BinaryField(blank=True)
    pdf_hash = models.CharField(max_length=64)
    retention_after = models.CharField(max_length=20)  # employment_end or completion
    retention_months = models.PositiveIntegerField()
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    purged_at = models.DateTimeField(null=True, blank=True)
    purge_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("personnel file entry")
        verbose_name_plural = _("personnel file entries")
        ordering = ["employee", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "sequence"], name="dossier_sequence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} #{self.sequence} {self.title}"

    @property
    def is_purged(self) -> bool:
        return self.purged_at is not None


class DossierHead(models.Model):
    """The length and newest hash of one employee's chain, updated with every append."""

    employee = models.OneToOneField(Employee, on_delete=models.PROTECT, related_name="dossier_head")
    length = models.PositiveIntegerField(default=0)
    head_hash = models.CharField(max_length=64, default=GENESIS)

    def __str__(self) -> str:
        return f"{self.employee_id}: {self.length}"


class ReadAction(models.TextChoices):
    VIEW = "view", _("viewed")
    DOWNLOAD = "download", _("downloaded")
    EXPORT = "export", _("downloaded the whole file")


class DossierRead(models.Model):
    """Who read what in someone's personnel file, and when; the employee can see this."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="dossier_reads")
    entry = models.ForeignKey(
        DossierEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reader_name = models.CharField(max_length=300)
    action = models.CharField(max_length=20, choices=ReadAction.choices)
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-read_at"]
        indexes = [models.Index(fields=["employee", "read_at"])]

    def __str__(self) -> str:
        return f"{self.reader_name} {self.action} {self.read_at:%Y-%m-%d}"
