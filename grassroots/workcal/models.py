"""The working calendar and the statutory time-limit rules, as data administrators edit.

The arithmetic lives in `grassroots.lib.workdays` (pure); this app only stores its inputs.
"""

from datetime import date

from django.core.cache import cache
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.lib.workdays import WorkCalendar


class CalendarYear(models.Model):
    """A year whose official holiday schedule (国务院办公厅通知) has been entered."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(_("来源"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("已录入年度")
        verbose_name_plural = _("已录入年度")
        ordering = ["year"]

    def __str__(self):
        return f"{self.year}年"


class CalendarDay(models.Model):
    """An exception to Monday–Friday: a holiday (休) or a 调休 make-up working day (班)."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("调休上班"), default=False)
    name = models.CharField(_("名称"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("节假日/调休")
        verbose_name_plural = _("节假日/调休")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {'班' if self.is_workday else '休'} {self.name}"


class LegalBound(models.TextChoices):
    """How far administrators may depart from the number of days the law sets."""

    AT_MOST = "at_most", _("可缩短，不得超过法定天数")  # a limit on the state: local practice may be stricter
    EXACT = "exact", _("与法定天数一致")  # a right of the petitioner (or the unit): neither cut nor stretched


class DeadlineRule(models.Model):
    """One statutory time limit: how many days, counted as calendar or working days.

    Administrators may edit `days` within the law (`legal_days`, `legal_bound`); the way of
    counting is the law's. A clock copies the rule when it starts (appeals.Clock), so an edit
    applies to clocks that start after it and never shortens a running one.
    """

    key = models.SlugField(unique=True)
    name = models.CharField(_("名称"), max_length=100)
    days = models.PositiveSmallIntegerField(_("天数"))
    working_days = models.BooleanField(_("按工作日计算"), default=False)
    basis = models.CharField(_("依据"), max_length=100, blank=True)
    legal_days = models.PositiveSmallIntegerField(_("法定天数"), null=True, blank=True)
    legal_bound = models.CharField(_("调整范围"), max_length=10, choices=LegalBound.choices, blank=True)
    # Only for the extension (延期) rule: whether the extra days run on from the original limit's
    # expiry (moved past a holiday as every period is), or are added to the original count.
    extends_from_expiry = models.BooleanField(_("延长期限自原期限届满之日起算"), default=True)

    def allowed_days(self) -> tuple[int, int]:
        """The range of days administrators may set."""
        if self.legal_days is None:
            return 1, 365
        if self.legal_bound == LegalBound.EXACT:
            return self.legal_days, self.legal_days
        return 1, self.legal_days

    class Meta:
        verbose_name = _("时限规则")
        verbose_name_plural = _("时限规则")
        ordering = ["id"]

    def __str__(self):
        return f"{self.name}（{self.days}{'个工作日' if self.working_days else '日'}）"


class PauseGround(models.Model):
    """A ground in law for stopping a running clock (听证 in 复核, §36 ¶2), and the clocks it may
    stop. A closed list: a pause names one, and administrators add one only with its article."""

    key = models.SlugField(unique=True)
    name = models.CharField(_("名称"), max_length=50)
    basis = models.CharField(_("法律依据"), max_length=100)
    rules = models.CharField(_("适用的时限"), max_length=200, help_text=_("时限规则的标识，以逗号分隔"))
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("期限中止事由")
        verbose_name_plural = _("期限中止事由")
        ordering = ["id"]

    def __str__(self):
        return f"{self.name}（{self.basis}）"

    def rule_keys(self) -> list[str]:
        return [k.strip() for k in self.rules.split(",") if k.strip()]

    def applies_to(self, rule_key: str) -> bool:
        return self.is_active and rule_key in self.rule_keys()


CACHE_KEY = "workcal:calendar:v1"


def load_calendar() -> WorkCalendar:
    """The calendar as entered by administrators; cached until an edit clears it."""
    cal = cache.get(CACHE_KEY)
    if cal is None:
        years = set(CalendarYear.objects.values_list("year", flat=True))
        last = None
        if years:
            last = min(years)
            while last + 1 in years:
                last += 1
        known_until = date(last, 12, 31) if last else date(1999, 12, 31)
        holidays, makeups = set(), set()
        for d, is_workday in CalendarDay.objects.values_list("date", "is_workday"):
            (makeups if is_workday else holidays).add(d)
        cal = WorkCalendar(frozenset(holidays), frozenset(makeups), known_until)
        cache.set(CACHE_KEY, cal, 3600)
    return cal


def forget_cached_calendar():
    cache.delete(CACHE_KEY)


def rule(key: str) -> DeadlineRule:
    return DeadlineRule.objects.get(key=key)
