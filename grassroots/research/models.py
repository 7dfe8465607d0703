"""Research work (调研): topics with an owner and a period, the field visits made under them,
the questionnaires they use, and what was found.

A field visit is a grassroots activity of kind 调研 (`activities.Activity`); the visit row
only ties it to its topic. A finding may be put on the problem ledger once; the problem it
became is kept on the finding. State changes happen only in `actions.py`.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.accounts.models import User
from grassroots.ledger.models import DESCRIPTION_MAX_CHARS, Domain

TITLE_MAX_CHARS = 200
DESCRIPTION_MAX = 5000
FINDING_MAX_CHARS = DESCRIPTION_MAX_CHARS  # a finding becomes a ledger problem's description


class Status(models.TextChoices):
    ACTIVE = "active", _("进行中")
    CONCLUDED = "concluded", _("已结题")


class ResearchTopic(models.Model):
    # A form's one-time token: a double-clicked submit finds the topic the first click made.
    submission_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    title = models.CharField(_("课题名称"), max_length=TITLE_MAX_CHARS)
    description = models.TextField(_("调研内容与目的"), max_length=DESCRIPTION_MAX, blank=True)
    unit = models.ForeignKey(
        "accounts.OrgUnit",
        on_delete=models.PROTECT,
        related_name="research_topics",
        verbose_name=_("牵头单位"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="research_topics",
        verbose_name=_("课题负责人"),
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.ACTIVE)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("调研课题")
        verbose_name_plural = _("调研课题")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="research_period_ordered"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_active(self) -> bool:
        return self.status == Status.ACTIVE


class ResearchVisit(models.Model):
    """A field visit under a topic: the visit itself is the grassroots activity."""

    topic = models.ForeignKey(ResearchTopic, on_delete=models.CASCADE, related_name="visits")
    activity = models.OneToOneField(
        "activities.Activity", on_delete=models.CASCADE, related_name="research_visit"
    )

    class Meta:
        verbose_name = _("调研走访")
        verbose_name_plural = _("调研走访")


def officials_by_name():
    """Prefetch of the visits' officials in a stable order (by name) for pages and the report."""
    return models.Prefetch("activity__officials", queryset=User.objects.order_by("display_name", "username"))


class TopicQuestionnaire(models.Model):
    # The one-time token of the "new questionnaire" form: a double click makes one questionnaire.
    submission_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    topic = models.ForeignKey(ResearchTopic, on_delete=models.CASCADE, related_name="questionnaires")
    questionnaire = models.ForeignKey(
        "surveys.Questionnaire", on_delete=models.PROTECT, related_name="research_links"
    )
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    attached_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("调研问卷")
        verbose_name_plural = _("调研问卷")
        ordering = ["attached_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "questionnaire"], name="questionnaire_once_per_topic"),
        ]


class Finding(models.Model):
    submission_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    topic = models.ForeignKey(ResearchTopic, on_delete=models.CASCADE, related_name="findings")
    text = models.TextField(_("发现的问题"), max_length=FINDING_MAX_CHARS)
    domain = models.CharField(_("领域"), max_length=16, choices=Domain.choices)
    measures = models.TextField(_("建议措施"), max_length=DESCRIPTION_MAX_CHARS, blank=True)
    problem = models.OneToOneField(
        "ledger.Problem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="research_finding",
        verbose_name=_("问题清单中的问题"),
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("调研发现")
        verbose_name_plural = _("调研发现")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.text[:30]


class EventKind(models.TextChoices):
    CREATE = "create", _("立项")
    EDIT = "edit", _("修改课题")
    CONCLUDE = "conclude", _("结题")
    REOPEN = "reopen", _("恢复进行")
    VISIT = "visit", _("记录调研走访")
    QUESTIONNAIRE = "questionnaire", _("关联问卷")
    FINDING = "finding", _("记录调研发现")
    LEDGER = "ledger", _("列入问题清单")


class TopicEvent(models.Model):
    """One line of a topic's timeline; written by every action, never edited."""

    topic = models.ForeignKey(ResearchTopic, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
