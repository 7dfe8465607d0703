"""Appeals (信访/诉求), their categories and dispatch catalogue, and their timeline.

State changes happen only in `actions.py`; views read through `access.py`.
"""

import secrets
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.accounts.models import OrgUnit
from grassroots.lib import crypto

CONTENT_MAX_CHARS = 5000
MAX_REPRESENTATIVES = 5


class Category(models.Model):
    """A node of the category tree (at most three levels)."""

    name = models.CharField(_("名称"), max_length=50)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("上级分类"),
    )
    level = models.PositiveSmallIntegerField(_("层级"), default=1, editable=False)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("诉求分类")
        verbose_name_plural = _("诉求分类")
        ordering = ["level", "parent_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="unique_category_name"),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.level = self.parent.level + 1 if self.parent else 1
        super().save(*args, **kwargs)

    @property
    def full_name(self):
        parts, node = [], self
        while node is not None:
            parts.append(node.name)
            node = node.parent
        return " / ".join(reversed(parts))

    def lineage(self):
        """This category and its ancestors, most specific first."""
        node = self
        while node is not None:
            yield node
            node = node.parent


class DispatchRule(models.Model):
    """派单目录: appeals of `category` in `area` go to `unit` by default."""

    category = models.ForeignKey(Category, on_delete=models.PROTECT, verbose_name=_("分类"))
    area = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("区域"),
    )
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="dispatch_rules",
        verbose_name=_("承办单位"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("派单目录")
        verbose_name_plural = _("派单目录")
        constraints = [
            models.UniqueConstraint(fields=["category", "area"], name="unique_dispatch_rule"),
        ]

    def __str__(self):
        return f"{self.category} @ {self.area} → {self.unit}"

    @classmethod
    def suggest(cls, category, place):
        """The catalogue's unit for this category and place: the most specific match wins,
        first by place (village before township before county), then by category depth."""
        if category is None or place is None:
            return None
        categories = list(category.lineage())
        areas = [place, *reversed(place.ancestors())]
        rules = {
            (r.category_id, r.area_id): r.unit
            for r in cls.objects.filter(category__in=categories, area__in=areas).select_related("unit")
        }
        for area in areas:
            for cat in categories:
                if (cat.id, area.id) in rules:
                    return rules[(cat.id, area.id)]
        return None


class Channel(models.TextChoices):
    VISIT = "visit", _("来访")
    LETTER = "letter", _("来信")
    PHONE = "phone", _("电话")
    ONLINE = "online", _("网上")
    OUTREACH = "outreach", _("下访接待")


class Status(models.TextChoices):
    REGISTERED = "registered", _("待交办")
    NOT_ACCEPTED = "not_accepted", _("不予受理")
    DISPATCHED = "dispatched", _("已交办待受理")
    OBJECTED = "objected", _("交办异议")
    HANDLING = "handling", _("办理中")
    REPLIED = "replied", _("已答复")
    REVIEWING = "reviewing", _("复查中")
    REVIEWED = "reviewed", _("已复查")
    RECHECKING = "rechecking", _("复核中")
    CLOSED = "closed", _("已办结")
    DUPLICATE = "duplicate", _("重复件")


OPEN_STATUSES = [
    Status.REGISTERED,
    Status.DISPATCHED,
    Status.OBJECTED,
    Status.HANDLING,
    Status.REVIEWING,
    Status.RECHECKING,
]


class AppealQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: date | None = None):
        today = today or timezone.localdate()
        return self.open().filter(due_date__lt=today)

    def due_within(self, days: int, today: date | None = None):
        today = today or timezone.localdate()
        return self.open().filter(due_date__gte=today, due_date__lte=today + timedelta(days=days))

    def provisional(self):
        return self.open().filter(due_provisional=True)


def new_tracking_code() -> str:
    # No 0/O/1/I: the code is read out over the phone and typed from paper.
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(10))


class Appeal(models.Model):
    tracking_code = models.CharField(_("查询码"), max_length=12, unique=True, default=new_tracking_code)
    # A form's one-time token: a double-clicked submit finds the appeal the first click made.
    submission_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    channel = models.CharField(_("来源渠道"), max_length=10, choices=Channel.choices)
    title = models.CharField(_("标题"), max_length=100)
    content = models.TextField(_("诉求内容"), max_length=CONTENT_MAX_CHARS)
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("分类"),
    )
    place_unit = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("问题属地"),
    )
    address = models.CharField(_("详细地址"), max_length=200, blank=True)

    petitioner_name = models.CharField(_("信访人姓名"), max_length=50)
    phone_encrypted = models.TextField(blank=True)
    id_number_encrypted = models.TextField(blank=True)
    is_group = models.BooleanField(_("集体访"), default=False)
    headcount = models.PositiveIntegerField(_("人数"), default=1)

    is_report = models.BooleanField(_("检举揭发"), default=False)
    accused_unit = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("被检举单位"),
    )

    registered_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("登记单位"),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    suggested_unit = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("目录建议承办单位"),
    )
    handling_unit = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("承办单位"),
    )
    review_unit = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("复查/复核机关"),
    )
    original = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="repeats",
        verbose_name=_("原件"),
    )

    status = models.CharField(_("状态"), max_length=14, choices=Status.choices, default=Status.REGISTERED)
    # The running clock: due = workdays.due_date(clock_start, rule.days + clock_extra_days, …).
    clock_rule = models.CharField(max_length=30, blank=True)
    clock_start = models.DateField(null=True, blank=True)
    clock_extra_days = models.PositiveSmallIntegerField(default=0)
    due_date = models.DateField(_("办理期限"), null=True, blank=True, db_index=True)
    due_provisional = models.BooleanField(_("期限待定"), default=False)

    registered_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    reply_text = models.TextField(_("答复意见"), blank=True)
    review_text = models.TextField(_("复查意见"), blank=True)
    recheck_text = models.TextField(_("复核意见"), blank=True)
    reason = models.TextField(_("不予受理/异议理由"), blank=True)

    extension_pending_days = models.PositiveSmallIntegerField(default=0)
    extension_reason = models.CharField(max_length=500, blank=True)
    extended = models.BooleanField(default=False)
    unsatisfied = models.BooleanField(_("不满意"), default=False)
    final = models.BooleanField(_("复核终结"), default=False)

    objects = AppealQuerySet.as_manager()

    class Meta:
        verbose_name = _("信访诉求")
        verbose_name_plural = _("信访诉求")
        ordering = ["-registered_at"]
        indexes = [models.Index(fields=["status", "due_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(headcount__gte=1),
                name="appeal_headcount_positive",
            ),
        ]

    def __str__(self):
        return f"{self.tracking_code} {self.title}"

    @property
    def phone(self):
        return crypto.decrypt(self.phone_encrypted)

    @property
    def id_number(self):
        return crypto.decrypt(self.id_number_encrypted)

    @property
    def masked_name(self):
        return crypto.mask_name(self.petitioner_name)

    @property
    def masked_phone(self):
        return crypto.mask_phone(self.phone)

    @property
    def masked_id_number(self):
        return crypto.mask_id_number(self.id_number)

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.is_open and self.due_date is not None and self.due_date < today


class Representative(models.Model):
    """One of at most five representatives of a group appeal (§18)."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="representatives")
    name = models.CharField(_("姓名"), max_length=50)
    phone_encrypted = models.TextField(blank=True)

    @property
    def masked_phone(self):
        return crypto.mask_phone(crypto.decrypt(self.phone_encrypted))


def attachment_path(instance, filename):
    ext = filename.rsplit(".", 1)[-1].lower()
    return f"attachments/{instance.appeal.registered_at:%Y/%m}/{secrets.token_hex(12)}.{ext}"


class Attachment(models.Model):
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)


class EventKind(models.TextChoices):
    REGISTER = "register", _("登记")
    NOT_ACCEPT = "not_accept", _("不予受理")
    DISPATCH = "dispatch", _("交办")
    OBJECT = "object", _("提出交办异议")
    OBJECTION_UPHELD = "objection_upheld", _("异议成立，退回")
    OBJECTION_REJECTED = "objection_rejected", _("异议不成立，维持交办")
    INFORM = "inform", _("受理告知")
    HANDLE = "handle", _("办理记录")
    EXTENSION_REQUEST = "extension_request", _("申请延期")
    EXTENSION_APPROVED = "extension_approved", _("批准延期")
    EXTENSION_REJECTED = "extension_rejected", _("不批准延期")
    PAUSE = "pause", _("期限中止")
    REPLY = "reply", _("书面答复")
    RATE = "rate", _("群众评价")
    REVIEW_REQUEST = "review_request", _("申请复查")
    REVIEW_DECISION = "review_decision", _("复查意见")
    RECHECK_REQUEST = "recheck_request", _("申请复核")
    RECHECK_DECISION = "recheck_decision", _("复核意见")
    CLOSE = "close", _("办结")
    DUPLICATE = "duplicate", _("认定重复件")
    SUPERVISE = "supervise", _("督办")
    DEADLINE_RECOMPUTED = "deadline_recomputed", _("期限重算")
    CATEGORIZE = "categorize", _("确定分类")


class Event(models.Model):
    """One line of an appeal's timeline; written by every action, never edited."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    public = models.BooleanField(default=True)  # shown to the petitioner on the tracking page
    # Staff's instructions that ride on a public event (交办意见, 办结说明): never shown to the petitioner.
    internal_note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    @property
    def actor_label(self):
        return str(self.actor) if self.actor else "群众"


class Rating(models.Model):
    class Score(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASIC = "basic", _("基本满意")
        UNSATISFIED = "unsatisfied", _("不满意")

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="ratings")
    stage = models.CharField(max_length=14)  # the status that was rated (replied/reviewed/…)
    score = models.CharField(_("评价"), max_length=12, choices=Score.choices)
    comment = models.CharField(_("意见"), max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["appeal", "stage"], name="one_rating_per_stage"),
        ]


class Pause(models.Model):
    """Days that do not count towards the running limit (e.g. a hearing, §36)."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="pauses")
    # A pause stops the clock that was running when it was recorded, and no later one.
    clock_rule = models.CharField(max_length=30)
    clock_start = models.DateField()
    first_day = models.DateField()
    last_day = models.DateField()
    reason = models.CharField(max_length=200)


class Supervision(models.Model):
    """督办 notice sent by a supervisor to the handling unit of an appeal."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="supervisions")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="supervisions")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(_("督办意见"))
    acknowledged_at = models.DateTimeField(null=True, blank=True)


class IdentityReveal(models.Model):
    """Audit log: who saw a petitioner's full phone / ID number, and when."""

    appeal = models.ForeignKey(Appeal, on_delete=models.PROTECT, related_name="reveals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)
