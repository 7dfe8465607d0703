"""Public commitments (承诺): what a unit promised, by when, where, and how it is going.

A commitment may rest on a source whose work it promises (a ledger problem or an on-site
office task; see `sources.py`); its progress then follows the source. The public timeline is
a list of CommitmentUpdate rows written for residents. State changes happen only in
`actions.py`.
"""

import hashlib
import hmac
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.accounts.models import OrgUnit
from grassroots.lib.crypto import decrypt
from grassroots.lib.stored_files import RandomPath, StoredFile

CONTENT_MAX_CHARS = 500
NOTE_MAX_CHARS = 500


class Status(models.TextChoices):
    """Derived, never stored: from fulfilled_at, missed_at and the due date."""

    IN_PROGRESS = "in_progress", _("进行中")
    FULFILLED = "fulfilled", _("已兑现")
    MISSED = "missed", _("逾期未兑现")
    DUE_MOVED = "due_moved", _("时限调整")


DRAFT = "draft"  # a filter value of the staff list: not yet published
DRAFT_LABEL = _("草稿（未公开）")


class CommitmentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def drafts(self):
        return self.filter(published=False)

    def fulfilled(self):
        return self.filter(fulfilled_at__isnull=False)

    def missed(self, today: date | None = None):
        today = today or timezone.localdate()
        return self.filter(Q(missed_at__isnull=False) | Q(due_date__lt=today), fulfilled_at__isnull=True)

    def in_progress(self, today: date | None = None):
        today = today or timezone.localdate()
        return self.filter(fulfilled_at__isnull=True, missed_at__isnull=True, due_date__gte=today)

    def missed_unmarked(self, today: date | None = None):
        """Published, past due, not fulfilled, and not yet found missed: what check_commitments marks."""
        today = today or timezone.localdate()
        return self.published().filter(fulfilled_at__isnull=True, missed_at__isnull=True, due_date__lt=today)

    def at_or_below(self, place):
        return self.filter(place__path__startswith=place.path)

    def with_status(self, value: str, today: date | None = None):
        """Filter by a list filter value: a derived status, or 草稿."""
        if value == DRAFT:
            return self.drafts()
        if value == Status.FULFILLED:
            return self.fulfilled()
        if value == Status.MISSED:
            return self.missed(today)
        if value == Status.IN_PROGRESS:
            return self.in_progress(today)
        return self


class Commitment(models.Model):
    # A form's one-time token: a double-clicked submit finds the commitment the first click made.
    submission_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    content = models.TextField(_("承诺内容"), max_length=CONTENT_MAX_CHARS)
    due_date = models.DateField(_("承诺时限"))
    responsible_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("责任单位")
    )
    responsible_person = models.CharField(_("责任人"), max_length=50)
    place = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("承诺地点"))
    # The sources: at most one is set (see sources.py); none means a standalone commitment.
    problem = models.ForeignKey(
        "ledger.Problem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("来源问题"),
    )
    task = models.ForeignKey(
        "onsite.Task",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("来源现场办公任务"),
    )

    progress = models.PositiveSmallIntegerField(_("进展(%)"), default=0)
    published = models.BooleanField(_("已公开"), default=False)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    fulfilled_at = models.DateTimeField(_("兑现时间"), null=True, blank=True)
    missed_at = models.DateTimeField(_("发现逾期时间"), null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("公开承诺")
        verbose_name_plural = _("公开承诺")
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="commitment_progress_at_most_100"),
            models.CheckConstraint(
                condition=Q(problem__isnull=True) | Q(task__isnull=True), name="commitment_at_most_one_source"
            ),
        ]

    def __str__(self):
        return f"{self.pk} {self.content[:30]}"

    def status_on(self, today: date | None = None) -> str:
        if self.fulfilled_at is not None:
            return Status.FULFILLED
        today = today or timezone.localdate()
        if self.missed_at is not None or self.due_date < today:
            return Status.MISSED
        return Status.IN_PROGRESS

    @property
    def status(self) -> str:
        return self.status_on()

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)

    @property
    def fulfilled_late(self) -> bool:
        return self.fulfilled_at is not None and timezone.localdate(self.fulfilled_at) > self.due_date

    @property
    def days_left(self) -> int:
        return (self.due_date - timezone.localdate()).days


class UpdateKind(models.TextChoices):
    PUBLISH = "publish", _("作出承诺")
    PROGRESS = "progress", _("进展")
    FULFILLED = "fulfilled", _("承诺兑现")
    MISSED = "missed", _("逾期未兑现")
    DUE_MOVED = "due_moved", _("时限调整")


class CommitmentUpdate(models.Model):
    """One entry of the public timeline; its note is written for residents, never an internal note."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(max_length=12, choices=UpdateKind.choices)
    at = models.DateTimeField(default=timezone.now)
    progress = models.PositiveSmallIntegerField()
    note = models.TextField(_("进展说明"), max_length=NOTE_MAX_CHARS)
    # Who posted it; empty when the platform wrote it (the source progressed, the due date passed).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The source event it mirrors ("problem-event:42"), so one event never makes two entries.
    source_ref = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "source_ref"],
                condition=~Q(source_ref=""),
                name="commitment_one_update_per_source_event",
            ),
        ]


class UpdateImage(StoredFile):
    """A public evidence image of an update, re-encoded without its metadata (see images.py)."""

    update = models.ForeignKey(CommitmentUpdate, on_delete=models.CASCADE, related_name="images")
    file = models.FileField(upload_to=RandomPath("commitments"))


def phone_digest(phone: str) -> str:
    """A keyed hash of a phone: equal phones match without the phone being readable."""
    return hmac.new(
        settings.SECRET_KEY.encode(), ("commitments:" + phone).encode(), hashlib.sha256
    ).hexdigest()


class Follower(models.Model):
    """A resident following a commitment by phone. The phone is encrypted; a keyed digest keeps
    one follow per phone per commitment; the unfollow code is sent to the phone by SMS."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="followers")
    phone_encrypted = models.TextField()
    phone_digest = models.CharField(max_length=64)
    unfollow_code = models.CharField(_("退订码"), max_length=12, unique=True)
    submission_token = models.CharField(max_length=32, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "phone_digest"], name="commitment_one_follow_per_phone"
            ),
        ]

    @property
    def phone(self):
        return decrypt(self.phone_encrypted)
