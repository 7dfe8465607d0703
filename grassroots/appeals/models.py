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


class ReviewDecision(models.TextChoices):
    """What a 复查/复核 opinion decides about the answer under review (§35, §36)."""

    UPHELD = "upheld", _("维持原处理意见")
    REVOKED = "revoked", _("撤销原处理意见")
    VARIED = "varied", _("变更原处理意见")
    REDO = "redo", _("责令重新办理")


class RedirectRoute(models.TextChoices):
    """Where a matter that is not accepted belongs (信访工作条例 §19, §22, §23, §31, §36)."""

    ORGAN = "organ", _("向有权处理的机关、单位提出（第二十三条）")
    HANDLED = "handled", _("已由其他机关、单位受理或正在办理（第十九条）")
    LITIGATION = "litigation", _("通过诉讼程序解决（第三十一条第一项）")
    ARBITRATION = "arbitration", _("通过仲裁解决（第三十一条第二项）")
    PARTY = "party", _("通过党员申诉、申请复审等解决（第三十一条第三项）")
    ADMINISTRATIVE = "administrative", _("通过行政复议、行政裁决等行政程序解决（第三十一条第四项）")
    DISCIPLINE = "discipline", _("向纪检监察机关检举控告（第二十二条）")
    FINAL = "final", _("已复核终结，不再受理（第三十六条）")


# routes that must name the organ the petitioner should turn to
ROUTES_NAMING_AN_ORGAN = {RedirectRoute.ORGAN, RedirectRoute.HANDLED}

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
    # Keyed digests of the phone and ID number: the same petitioner is found without decrypting.
    phone_digest = models.CharField(max_length=64, blank=True, db_index=True)
    id_digest = models.CharField(max_length=64, blank=True, db_index=True)
    # Why a matter that looks like one closed by 复核 (§36) is registered again as a new matter.
    new_matter_reason = models.TextField(_("新的事实和理由"), blank=True)
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
    # The running clock (see Clock); its due date is copied here for the queues' indexes.
    clock = models.ForeignKey(
        "Clock",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("当前时限"),
    )
    due_date = models.DateField(_("办理期限"), null=True, blank=True, db_index=True)
    due_provisional = models.BooleanField(_("期限待定"), default=False)

    registered_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    reply_text = models.TextField(_("答复意见"), blank=True)
    review_text = models.TextField(_("复查意见"), blank=True)
    review_decision = models.CharField(
        _("复查结论"), max_length=8, choices=ReviewDecision.choices, blank=True
    )
    recheck_text = models.TextField(_("复核意见"), blank=True)
    recheck_decision = models.CharField(
        _("复核结论"), max_length=8, choices=ReviewDecision.choices, blank=True
    )
    # who the reviewing organ's desk gave the 复查/复核 to prepare the opinion (never the answering unit)
    review_handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("复查（复核）承办人"),
    )
    reason = models.TextField(_("不予受理/异议理由"), blank=True)
    # 不予受理: where the petitioner should turn instead (§23, §31), told on the portal.
    redirect_route = models.CharField(_("处理途径"), max_length=16, choices=RedirectRoute.choices, blank=True)
    redirect_organ = models.CharField(_("有权处理的机关"), max_length=100, blank=True)

    extension_pending_days = models.PositiveSmallIntegerField(default=0)
    extension_reason = models.CharField(max_length=500, blank=True)
    extended = models.BooleanField(default=False)
    unsatisfied = models.BooleanField(_("不满意"), default=False)
    # the petitioner has rated the latest written answer (the desk's 待办结 when not unsatisfied)
    rated = models.BooleanField(_("已评价"), default=False)
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

    def redirect_text(self) -> str:
        """Where a petitioner whose matter was not accepted should turn, in words for them."""
        if self.redirect_route == RedirectRoute.FINAL:
            return "该事项已复核终结，依照《信访工作条例》第三十六条不再受理。"
        if not self.redirect_route:
            return ""
        route = self.get_redirect_route_display()
        return f"请向{self.redirect_organ}提出：{route}。" if self.redirect_organ else f"处理途径：{route}。"

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.is_open and self.due_date is not None and self.due_date < today


class Representative(models.Model):
    """One of at most five representatives of a group appeal (§20)."""

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
    PAUSE_REQUEST = "pause_request", _("申请补记期限中止")
    PAUSE_REJECTED = "pause_rejected", _("不同意补记期限中止")
    OVERDUE = "overdue", _("超过期限")
    DELIVERY = "delivery", _("送达")
    REQUEST_REFUSED = "request_refused", _("申请未受理")
    REQUEST_REOPENED = "request_reopened", _("重新受理申请")
    REPLY = "reply", _("书面答复")
    RATE = "rate", _("群众评价")
    REVIEW_REQUEST = "review_request", _("申请复查")
    REVIEW_ASSIGN = "review_assign", _("复查（复核）分办")
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


class Clock(models.Model):
    """One statutory time limit as it ran on an appeal, kept for good: the record of whether the
    limit was met.

    The rule's days and way of counting are copied when the clock starts, so an administrator's
    later edit of the rule applies to clocks that start after it and never shortens this one.
    `start` is the day after which counting begins; it is empty while a petitioner's window waits
    for the written answer to be delivered (§35–36 count from receipt). The due date is always
    derivable from the stored inputs and the calendar (deadlines.compute), so a calendar edit
    recomputes it; `latest_due` is, for a petitioner's window past the entered schedule, the
    latest day the law could let it end.
    """

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="clocks")
    rule = models.CharField(_("时限"), max_length=30)
    days = models.PositiveSmallIntegerField(_("天数"))
    working = models.BooleanField(_("按工作日计算"))
    basis = models.CharField(_("依据"), max_length=100, blank=True)
    start = models.DateField(_("起算日"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("延长天数"), default=0)
    extension_from_expiry = models.BooleanField(default=True)
    due = models.DateField(_("届满日"), null=True, blank=True)
    provisional = models.BooleanField(_("暂定"), default=False)
    latest_due = models.DateField(_("最迟可能届满日"), null=True, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at", "id"]
        indexes = [models.Index(fields=["stopped_at", "due"], name="appeals_clock_running_due")]

    def __str__(self):
        return f"{self.rule} {self.start}–{self.due}"

    @property
    def running(self) -> bool:
        return self.stopped_at is None


class Overdue(models.Model):
    """A limit that ran out before its step was taken: kept whatever happens next (an extension,
    a late reply, a calendar edit). Measured against the limit in force when it was recorded."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="overdue_periods")
    clock = models.ForeignKey(Clock, on_delete=models.CASCADE, related_name="overdue_periods")
    due = models.DateField(_("届满日"))
    provisional = models.BooleanField(_("按暂定期限"), default=False)
    ended_on = models.DateField(_("结束日"), null=True, blank=True)  # None: still overdue
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due", "id"]
        constraints = [models.UniqueConstraint(fields=["clock", "due"], name="one_overdue_per_limit")]

    def days(self, today: date | None = None) -> int:
        """Calendar days past the limit: to the day the step was taken, or to today."""
        end = self.ended_on or today or timezone.localdate()
        return (end - self.due).days


class Pause(models.Model):
    """Days that do not count towards a running limit, on a ground the law gives (§36 ¶2)."""

    class State(models.TextChoices):
        APPROVED = "approved", _("生效")
        PENDING = "pending", _("待督办员同意")
        REJECTED = "rejected", _("未同意")

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="pauses")
    clock = models.ForeignKey(Clock, on_delete=models.CASCADE, related_name="pauses")
    ground = models.ForeignKey(
        "workcal.PauseGround", on_delete=models.PROTECT, related_name="+", verbose_name=_("中止事由")
    )
    first_day = models.DateField(_("中止开始日"))
    last_day = models.DateField(_("中止结束日"))
    reason = models.CharField(_("说明"), max_length=200)
    state = models.CharField(max_length=10, choices=State.choices, default=State.APPROVED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["first_day", "id"]


class Document(models.TextChoices):
    """The written answers a petitioner receives, each starting (or ending) a window."""

    REPLY = "reply", _("书面答复意见")
    REVIEW = "review", _("复查意见")
    RECHECK = "recheck", _("复核意见")


class Delivery(models.Model):
    """How and when a written answer reached the petitioner (送达): the 30 days to ask for
    复查/复核 run from receipt (§35, §36), the earliest delivery recorded."""

    class Method(models.TextChoices):
        PORTAL = "portal", _("网上查阅")
        SMS = "sms", _("短信送达")
        POST = "post", _("邮寄送达")
        IN_PERSON = "in_person", _("当面送达")

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="deliveries")
    document = models.CharField(_("文书"), max_length=10, choices=Document.choices)
    method = models.CharField(_("送达方式"), max_length=10, choices=Method.choices)
    delivered_on = models.DateField(_("送达日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)  # the post's tracking number …
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["delivered_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["appeal", "document"],
                condition=Q(method="portal"),
                name="one_portal_view_per_document",
            ),
        ]


class DoubtfulRequest(models.Model):
    """A 复查/复核 request whose fate may have to be looked at again: refused as out of time, taken
    while its window's end was only provisional, or refused for want of a reviewing organ. When
    the calendar or the configuration changes, the ones the change contradicts are listed for
    the desk (`needs_attention`), which reopens or confirms them."""

    class Outcome(models.TextChoices):
        REFUSED_LATE = "refused_late", _("以超过期限为由未受理")
        PROVISIONAL = "provisional", _("按暂定期限受理")
        NO_ORGAN = "no_organ", _("未配置复查（复核）机关，未受理")

    class Resolution(models.TextChoices):
        REOPENED = "reopened", _("已重新受理")
        CONFIRMED = "confirmed", _("维持原处理")

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="doubtful_requests")
    window = models.ForeignKey(Clock, null=True, on_delete=models.SET_NULL, related_name="+")
    stage = models.CharField(max_length=8)  # "review" | "recheck"
    outcome = models.CharField(_("处理"), max_length=14, choices=Outcome.choices)
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    window_due = models.DateField(_("当时计算的届满日"), null=True, blank=True)
    reason = models.TextField(_("申请理由"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    needs_attention = models.BooleanField(_("待重新审查"), default=False, db_index=True)
    attention_note = models.CharField(max_length=300, blank=True)
    resolution = models.CharField(max_length=10, choices=Resolution.choices, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]

    @property
    def requested_on(self) -> date:
        return timezone.localdate(self.requested_at)


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
