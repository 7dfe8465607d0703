"""The administrators' reminder that the holiday schedule needs entering."""

from datetime import date

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from grassroots.accounts.access import is_admin

NOTICE_CACHE_KEY = "administration:calendar_notice:v1"
NOTICE_SECONDS = 5 * 60


def calendar_problem(today: date | None = None) -> tuple[str, int]:
    """(text, year to enter), or ("", 0) when the calendar is in order."""
    from grassroots.appeals.models import Appeal
    from grassroots.workcal.models import CalendarYear, load_calendar

    today = today or timezone.localdate()
    provisional = Appeal.objects.provisional().count()
    if provisional:
        year = load_calendar().known_until.year + 1
        return (
            f"有 {provisional} 件诉求的期限跨入尚未录入节假日安排的年份，期限为暂定，"
            f"请录入 {year} 年节假日安排",
            year,
        )
    next_year = today.year + 1
    if today >= date(today.year, 11, 1) and not CalendarYear.objects.filter(year=next_year).exists():
        return (
            f"{next_year} 年节假日安排尚未录入。国务院办公厅公布后请及时录入，"
            f"否则跨入 {next_year} 年的期限只能暂定",
            next_year,
        )
    return "", 0


def forget_calendar_notice() -> None:
    cache.delete(NOTICE_CACHE_KEY)


def calendar_notice(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not is_admin(user):
        return {}
    notice = cache.get(NOTICE_CACHE_KEY)
    if notice is None:
        notice = calendar_problem()
        cache.set(NOTICE_CACHE_KEY, notice, NOTICE_SECONDS)
    text, year = notice
    if not text:
        return {}
    return {
        "calendar_notice": text,
        "calendar_notice_url": reverse("administration:calendar_year", args=[year]),
    }
