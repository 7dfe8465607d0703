"""An official's activity at the grassroots (下基层): 宣讲, 调研, 接访/下访 or 现场办公.

One record per activity, whatever its kind; what only one kind has lives beside it
(outreach fields here, research topics in `grassroots.research`, on-site agendas and
tasks in `grassroots.onsite`). The activity's unit decides who sees it (the access layer).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SUMMARY_MAX_CHARS = 5000
DURATION_MAX_MINUTES = 24 * 60


class Kind(models.TextChoices):
    OUTREACH = "outreach", _("宣讲")
    RESEARCH = "research", _("调研")
    RECEPTION = "reception", _("接访/下访")
    ONSITE = "onsite", _("现场办公")


class Activity(models.Model):
    # A form's one-time token: a double-clicked submit finds the activity the first click made.
    submission_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    kind = models.CharField(_("活动类型"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("活动名称"), max_length=200)
    unit = models.ForeignKey(
        "accounts.OrgUnit",
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("组织单位"),
    )
    officials = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="grassroots_activities", verbose_name=_("参加领导干部")
    )
    other_participants = models.CharField(_("其他参加人员"), max_length=300, blank=True)

    place = models.ForeignKey(
        "accounts.OrgUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("地点（区域）"),
    )
    address = models.CharField(_("详细地址"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("纬度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("经度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )

    date = models.DateField(_("日期"))
    duration_minutes = models.PositiveIntegerField(
        _("时长（分钟）"), validators=[MinValueValidator(1), MaxValueValidator(DURATION_MAX_MINUTES)]
    )
    summary = models.TextField(_("活动纪要"), max_length=SUMMARY_MAX_CHARS, blank=True)
    outcome = models.TextField(_("成效与后续"), max_length=SUMMARY_MAX_CHARS, blank=True)

    # 宣讲 only
    outreach_topic = models.CharField(_("宣讲主题"), max_length=200, blank=True)
    policies = models.TextField(_("宣讲的政策"), max_length=SUMMARY_MAX_CHARS, blank=True)
    speaker = models.CharField(_("宣讲人"), max_length=100, blank=True)
    audience_count = models.PositiveIntegerField(_("听众人数"), null=True, blank=True)

    # 接访: the published reception day this activity records, if any
    reception_day = models.OneToOneField(
        "reception.ReceptionDay",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activity",
        verbose_name=_("领导接访日"),
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("下基层活动")
        verbose_name_plural = _("下基层活动")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["kind", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1) & Q(duration_minutes__lte=DURATION_MAX_MINUTES),
                name="activity_duration_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}：{self.title}"
