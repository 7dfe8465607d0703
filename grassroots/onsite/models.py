"""On-site office (现场办公): a session, its agenda and the people present, its decisions,
and the tasks each decision dispatches to a responsible unit.

A session IS a grassroots activity of kind "onsite" (`activities.Activity` holds its title,
unit, place, date, officials and summary); what only an on-site session has lives here.
State changes happen only in `actions.py`; views read through `access.py`.

`Task` is also read by the accountability pages (tasks on time or late per official and
unit): keep its field names, statuses, `finished_on_time()` and the queryset's `open()` and
`overdue(today)` stable.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.accounts.models import OrgUnit
from grassroots.lib.stored_files import RandomPath, StoredFile

TEXT_MAX_CHARS = 2000
NOTE_MAX_CHARS = 2000


class SessionStatus(models.TextChoices):
    PREPARING = "preparing", _("筹备")
    HELD = "held", _("已召开")


class OnsiteSession(models.Model):
    activity = models.OneToOneField(
        "activities.Activity",
        on_delete=models.CASCADE,
        related_name="onsite_session",
        verbose_name=_("下基层活动"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="onsite_sessions",
        verbose_name=_("现场办公负责人"),
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=SessionStatus.choices, default=SessionStatus.PREPARING
    )
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("现场办公")
        verbose_name_plural = _("现场办公")
        ordering = ["-activity__date", "-id"]

    def __str__(self):
        return str(self.activity.title)


class Attendee(models.Model):
    """Someone present besides the officials of the activity: free text, as the sign-in sheet has it."""

    submission_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    session = models.ForeignKey(OnsiteSession, on_delete=models.CASCADE, related_name="attendees")
    unit_name = models.CharField(_("单位"), max_length=100, blank=True)
    name = models.CharField(_("姓名"), max_length=50)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.unit_name} {self.name}".strip()


class AgendaItem(models.Model):
    """One problem put before the session; it may point to an appeal or a ledger problem."""

    submission_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    session = models.ForeignKey(OnsiteSession, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(_("序号"))
    problem = models.TextField(_("议题（问题）"), max_length=TEXT_MAX_CHARS)
    appeal = models.ForeignKey(
        "appeals.Appeal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("关联诉求"),
    )
    ledger_problem = models.ForeignKey(
        "ledger.Problem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("关联台账问题"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "order"], name="onsite_agenda_order_unique"),
        ]

    def __str__(self):
        return f"{self.order}. {self.problem[:30]}"


class Decision(models.Model):
    submission_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    session = models.ForeignKey(OnsiteSession, on_delete=models.CASCADE, related_name="decisions")
    agenda_item = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
        verbose_name=_("对应议题"),
    )
    text = models.TextField(_("决定事项"), max_length=TEXT_MAX_CHARS)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.text[:30]


class TaskStatus(models.TextChoices):
    ASSIGNED = "assigned", _("已交办")
    IN_PROGRESS = "in_progress", _("办理中")
    SUBMITTED = "submitted", _("已办结待验收")
    ACCEPTED = "accepted", _("已验收")


# a task still in the responsible unit's hands (returned tasks go back to IN_PROGRESS)
WITH_UNIT = (TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS)
OVERDUE_LABEL = _("逾期")


class TaskQuerySet(models.QuerySet):
    def open(self):
        """Not yet accepted by the session's owner."""
        return self.exclude(status=TaskStatus.ACCEPTED)

    def overdue(self, today: date | None = None):
        """Still with the responsible unit (not submitted) after its deadline."""
        today = today or timezone.localdate()
        return self.filter(status__in=WITH_UNIT, deadline__lt=today)


class Task(models.Model):
    """What one decision orders one responsible unit to do, by a deadline."""

    version = models.PositiveIntegerField(default=0)
    session = models.ForeignKey(OnsiteSession, on_delete=models.CASCADE, related_name="tasks")
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="tasks")
    description = models.TextField(_("任务内容"), max_length=TEXT_MAX_CHARS)
    responsible_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="onsite_tasks", verbose_name=_("责任单位")
    )
    deadline = models.DateField(_("办理时限"))
    # the deadline ran past the official holiday schedule entered so far (shown as 暂定)
    deadline_provisional = models.BooleanField(_("时限暂定"), default=False)
    # set when the deadline is N working days after the session: a calendar edit recomputes it
    deadline_working_days = models.PositiveSmallIntegerField(_("工作日天数"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.ASSIGNED
    )
    progress = models.PositiveSmallIntegerField(_("进展(%)"), default=0)
    submitted_at = models.DateTimeField(_("报结时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("验收时间"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("现场办公任务")
        verbose_name_plural = _("现场办公任务")
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="onsite_task_progress_at_most_100"),
        ]

    def __str__(self):
        return f"{self.responsible_unit}：{self.description[:30]}"

    def is_overdue(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status in WITH_UNIT and self.deadline < today

    def finished_on_time(self) -> bool | None:
        """None until accepted; then whether the unit reported completion by the deadline."""
        if self.status != TaskStatus.ACCEPTED or self.submitted_at is None:
            return None
        return timezone.localtime(self.submitted_at).date() <= self.deadline

    @property
    def status_label(self) -> str:
        return str(OVERDUE_LABEL) if self.is_overdue() else self.get_status_display()


class UpdateKind(models.TextChoices):
    ASSIGN = "assign", _("交办")
    PROGRESS = "progress", _("报送进展")
    SUBMIT = "submit", _("办结，提请验收")
    ACCEPT = "accept", _("验收通过")
    RETURN = "return", _("退回重办")
    DEADLINE = "deadline", _("时限调整")


class TaskUpdate(models.Model):
    """One line of a task's timeline; written by every action, never edited."""

    # the action form's one-time token: a double-clicked submit records one update
    submission_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(max_length=12, choices=UpdateKind.choices)
    note = models.TextField(blank=True)
    progress = models.PositiveSmallIntegerField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]


class TaskEvidence(StoredFile):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="evidence")
    update = models.ForeignKey(
        TaskUpdate, null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence"
    )
    file = models.FileField(upload_to=RandomPath("onsite"))
