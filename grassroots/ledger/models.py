"""The problem ledger (问题清单 / 整改台账): problems, their evidence and their timeline.

State changes happen only in `actions.py`; views read through `access.py`.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.accounts.models import OrgUnit
from grassroots.lib.stored_files import RandomPath, StoredFile

DESCRIPTION_MAX_CHARS = 2000


class Source(models.TextChoices):
    APPEAL = "appeal", _("信访诉求/热点")
    RESEARCH = "research", _("调研发现")
    ONSITE = "onsite", _("现场办公")
    SELF_CHECK = "self_check", _("自查查摆")


class Domain(models.TextChoices):
    EMPLOYMENT = "employment", _("就业")
    EDUCATION = "education", _("教育")
    MEDICAL = "medical", _("医疗")
    ELDERLY = "elderly", _("养老")
    SOCIAL_SECURITY = "social_security", _("社保")
    HOUSING = "housing", _("住房")
    TRANSPORT = "transport", _("交通")
    ENVIRONMENT = "environment", _("环境")
    OTHER = "other", _("其他")


class Status(models.TextChoices):
    IN_PROGRESS = "in_progress", _("整改中")
    DONE = "done", _("已完成待验收")
    ACCEPTED = "accepted", _("已验收待销号")
    CLOSED = "closed", _("已销号")


OVERDUE = "overdue"  # not stored: a problem still being worked on past its deadline
OVERDUE_LABEL = _("逾期")
# filter values for the list: the stored statuses plus the derived one
STATUS_FILTERS = [*Status.choices, (OVERDUE, OVERDUE_LABEL)]


class ProblemQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=Status.CLOSED)

    def overdue(self, today: date | None = None):
        today = today or timezone.localdate()
        return self.filter(status=Status.IN_PROGRESS, deadline__lt=today)

    def not_overdue(self, today: date | None = None):
        today = today or timezone.localdate()
        return self.exclude(Q(status=Status.IN_PROGRESS, deadline__lt=today))

    def awaiting_acceptance(self):
        return self.filter(status=Status.DONE)

    def with_status(self, value: str, today: date | None = None):
        """Filter by a list filter value: a stored status, or 逾期."""
        if value == OVERDUE:
            return self.overdue(today)
        if value == Status.IN_PROGRESS:
            return self.filter(status=value).not_overdue(today)
        if value in Status.values:
            return self.filter(status=value)
        return self


class Problem(models.Model):
    # A form's one-time token: a double-clicked submit finds the problem the first click made.
    submission_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    source = models.CharField(_("问题来源"), max_length=12, choices=Source.choices)
    appeal = models.ForeignKey(
        "appeals.Appeal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ledger_problems",
        verbose_name=_("关联诉求"),
    )
    domain = models.CharField(_("领域"), max_length=16, choices=Domain.choices)
    place = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("属地"),
    )
    address = models.CharField(_("详细地址"), max_length=200, blank=True)
    description = models.TextField(_("问题描述"), max_length=DESCRIPTION_MAX_CHARS)
    measures = models.TextField(_("整改措施"), max_length=DESCRIPTION_MAX_CHARS, blank=True)
    responsible_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="ledger_problems",
        verbose_name=_("责任单位"),
    )
    responsible_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("责任领导"),
    )
    deadline = models.DateField(_("整改时限"))
    progress = models.PositiveSmallIntegerField(_("进展(%)"), default=0)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    done_at = models.DateTimeField(null=True, blank=True)

    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    acceptance_comment = models.TextField(_("验收意见"), blank=True)

    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    close_comment = models.TextField(_("销号意见"), blank=True)

    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("问题")
        verbose_name_plural = _("问题清单")
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="ledger_progress_at_most_100"),
        ]

    def __str__(self):
        return f"{self.pk} {self.description[:30]}"

    def is_overdue(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status == Status.IN_PROGRESS and self.deadline < today

    @property
    def status_label(self) -> str:
        return str(OVERDUE_LABEL) if self.is_overdue() else self.get_status_display()

    @property
    def acceptance_summary(self) -> str:
        """验收情况 as the ledger shows it."""
        if self.accepted_at:
            at = timezone.localtime(self.accepted_at).strftime("%Y-%m-%d")
            text = f"{at} {self.accepted_by or ''}验收通过"
            return f"{text}：{self.acceptance_comment}" if self.acceptance_comment else text
        if self.status == Status.DONE:
            return str(_("待验收"))
        return ""


class EventKind(models.TextChoices):
    CREATE = "create", _("列入清单")
    IMPORT = "import", _("导入清单")
    EDIT = "edit", _("修改")
    PROGRESS = "progress", _("更新进展")
    DONE = "done", _("整改完成，提请验收")
    ACCEPT = "accept", _("验收通过")
    RETURN = "return", _("验收不通过，退回整改")
    CLOSE = "close", _("销号")


class ProblemEvent(models.Model):
    """One line of a problem's timeline; written by every action, never edited."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=EventKind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)
    progress = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]


class Evidence(StoredFile):
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="evidence")
    event = models.ForeignKey(
        ProblemEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence"
    )
    file = models.FileField(upload_to=RandomPath("ledger"))
