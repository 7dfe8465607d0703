"""Leaders' reception days (领导接访日), residents' bookings, appeals registered at a session,
and 包案 (a leader's personal ownership of a hard case)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.lib.crypto import decrypt, mask_name, mask_phone


class ReceptionDayQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def upcoming(self, today):
        return self.filter(date__gte=today)


class ReceptionDay(models.Model):
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reception_days",
        verbose_name=_("接访领导"),
    )
    unit = models.ForeignKey(
        "accounts.OrgUnit",
        on_delete=models.PROTECT,
        related_name="reception_days",
        verbose_name=_("所属单位"),
    )
    date = models.DateField(_("日期"))
    start_time = models.TimeField(_("开始时间"))
    end_time = models.TimeField(_("结束时间"))
    place_unit = models.ForeignKey(
        "accounts.OrgUnit",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("接访地点（区域）"),
    )
    address = models.CharField(_("详细地址"), max_length=200)
    topic = models.CharField(_("接访主题"), max_length=100, blank=True)
    notes = models.TextField(_("说明"), blank=True)
    capacity = models.PositiveSmallIntegerField(_("可预约名额"), default=10)
    published = models.BooleanField(_("已发布"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReceptionDayQuerySet.as_manager()

    class Meta:
        ordering = ["date", "start_time"]
        verbose_name = _("领导接访日")
        verbose_name_plural = _("领导接访日")
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="reception_capacity_positive"),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.leader} 接访"

    def booked_count(self):
        return self.bookings.filter(status__in=Booking.HOLDING).count()

    def free_slots(self):
        return max(0, self.capacity - self.booked_count())


class Booking(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", _("已预约")
        WAITING = "waiting", _("候补")
        CANCELLED = "cancelled", _("已取消")
        ATTENDED = "attended", _("已到场")
        NO_SHOW = "no_show", _("未到场")

    HOLDING = (Status.BOOKED, Status.ATTENDED, Status.NO_SHOW)  # statuses that take a slot

    day = models.ForeignKey(ReceptionDay, on_delete=models.CASCADE, related_name="bookings")
    name = models.CharField(_("姓名"), max_length=50)
    phone_encrypted = models.TextField()
    phone_digest = models.CharField(max_length=64)  # keyed hash: one booking per phone per day
    phone_last4 = models.CharField(max_length=4)
    description = models.CharField(_("反映事项"), max_length=500)
    code = models.CharField(_("预约码"), max_length=12, unique=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices)
    submission_token = models.CharField(max_length=32, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("接访预约")
        verbose_name_plural = _("接访预约")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "phone_digest"],
                condition=~Q(status="cancelled"),
                name="reception_one_booking_per_phone",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.get_status_display()}"

    @property
    def phone(self):
        return decrypt(self.phone_encrypted)

    @property
    def masked_phone(self):
        return mask_phone(self.phone)

    @property
    def masked_name(self):
        return mask_name(self.name)


class ReceptionAppeal(models.Model):
    """An appeal registered at a reception session, linked to the day (and so to its leader)."""

    day = models.ForeignKey(ReceptionDay, on_delete=models.CASCADE, related_name="appeal_links")
    appeal = models.OneToOneField("appeals.Appeal", on_delete=models.CASCADE, related_name="reception_link")
    booking = models.ForeignKey(Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]


class CaseOwnership(models.Model):
    """包案: a leader answers personally for one hard case. One current owner per appeal."""

    appeal = models.ForeignKey("appeals.Appeal", on_delete=models.CASCADE, related_name="ownerships")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_cases")
    since = models.DateField(_("包案日期"))
    note = models.CharField(_("包案说明"), max_length=200, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-since", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["appeal"], condition=Q(ended_at__isnull=True), name="reception_one_current_owner"
            ),
        ]
