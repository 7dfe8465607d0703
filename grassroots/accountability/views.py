"""Pages for 有多长时间没有到田间地头: units in the viewer's scope over a month or a quarter,
one official's record over the last twelve months, the officials past the absence limit, and
the overview as an Excel workbook. Everything is read through `access`; nothing is changed here.
"""

from collections import Counter
from datetime import date
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from grassroots.accounts.models import Membership, User

from . import access, excel, figures
from .periods import KINDS, Period, recent

PAGE_SIZE = 50
MONTHS_SHOWN = 12
QUARTERS_SHOWN = 4


def _period(request, today: date) -> Period:
    """The period asked for, or the current month; a period not yet begun is the current one too."""
    period = Period.parse(request.GET.get("period", ""))
    if period is None or period.start > today:
        kind = request.GET.get("kind", "month")
        period = Period.containing(today, kind if kind in KINDS else "month")
    return period


def _period_choices(today: date):
    return [
        ("按月", recent(today, "month", MONTHS_SHOWN)),
        ("按季度", recent(today, "quarter", QUARTERS_SHOWN)),
    ]


def _selection(request):
    """The unit asked for (its total and its children as rows), or the viewer's own units."""
    user = request.user
    tops = access.top_units(user)
    unit_id = request.GET.get("unit", "")
    if unit_id:
        unit = access.access_unit_by_id(user, unit_id)
    elif len(tops) == 1:
        unit = tops[0]
    else:
        return None, tops, []
    children = list(unit.children.order_by("kind", "path"))
    trail = [a for a in unit.ancestors() if any(t.contains(a) for t in tops)]
    return unit, [unit, *children], trail


def _figures(request):
    user = request.user
    access.require_viewer(user)
    today = timezone.localdate()
    period = _period(request, today)
    end = min(period.end, today)
    limit = figures.absence_limit_days()
    unit, units, trail = _selection(request)
    rows = figures.unit_rows(units, period.start, end, today, limit, total_unit=unit)
    return {
        "today": today,
        "period": period,
        "end": end,
        "limit": limit,
        "unit": unit,
        "units": units,
        "trail": trail,
        "rows": rows,
        "kinds": figures.KINDS,
    }


@never_cache
@login_required
def overview(request):
    context = _figures(request)
    unit, period = context["unit"], context["period"]
    officials = []
    if unit is not None:
        officials = figures.official_rows(
            figures.officials_at(unit), period.start, context["end"], context["today"], context["limit"]
        )
    context.update(
        officials=officials,
        period_choices=_period_choices(context["today"]),
        query=request.GET.urlencode(),
    )
    return render(request, "accountability/overview.html", context)


@never_cache
@login_required
def export(request):
    context = _figures(request)
    officials = figures.official_rows(
        figures.officials_in(context["units"]),
        context["period"].start,
        context["end"],
        context["today"],
        context["limit"],
    )
    data = excel.export_xlsx(context["period"], context["end"], context["rows"], officials, context["limit"])
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    scope = context["unit"].name if context["unit"] else "全部"
    name = f"下基层情况-{scope}-{context['period'].label}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@never_cache
@login_required
def official(request, user_id):
    user = request.user
    access.require_viewer(user)
    person = access.access_official_by_id(user, user_id)
    today = timezone.localdate()
    limit = figures.absence_limit_days()
    months = list(reversed(recent(today, "month", MONTHS_SHOWN)))
    quarters = list(reversed(recent(today, "quarter", QUARTERS_SHOWN)))
    start = min(months[0].start, quarters[0].start)
    just_them = User.objects.filter(pk=person.pk)
    monthly = figures.monthly_activity_counts(just_them, start, today).get(person.pk, {})
    by_quarter = figures.quarterly(monthly)
    last = figures.last_activity_dates(just_them, today).get(person.pk)
    days = figures.days_since(last, today)
    cases = figures.owned_cases(just_them, months[0].start, today)
    readable = access.visible_appeal_ids(user, [c.appeal_id for c in cases])
    for c in cases:
        c.visible = c.appeal_id in readable
    tasks = figures.tasks_of_officials(just_them, months[0].start, date.max, today)
    visible = access.visible_task_ids(user, [t.pk for t in tasks])
    for t in tasks:
        t.visible = t.pk in visible
    return render(
        request,
        "accountability/official.html",
        {
            "person": person,
            "posts": Membership.objects.filter(user=person, role__in=figures.OFFICIAL_ROLES)
            .select_related("unit")
            .order_by("unit__path"),
            "kinds": figures.KINDS,
            "month_rows": _table(months, monthly, today),
            "quarter_rows": _table(quarters, by_quarter, today),
            "last": last,
            "days": days,
            "limit": limit,
            "past_limit": figures.past_limit(days, limit),
            "reception": figures.reception_figure(person, months[0].start, today, today),
            "since": months[0].start,
            "cases": cases,
            "case_summary": figures.CaseSummary.of(cases),
            "tasks": tasks,
            "task_summary": figures.TaskSummary.of(tasks),
        },
    )


def _table(periods, counts, today):
    rows = []
    for p in periods:
        kinds = figures.kind_counts(counts.get(p, Counter()))
        rows.append(
            {
                "period": p,
                "kind_cells": figures.kind_cells(kinds),
                "total": sum(kinds),
                "current": p.end >= today,
            }
        )
    return rows


@never_cache
@login_required
def absent(request):
    user = request.user
    access.require_viewer(user)
    today = timezone.localdate()
    limit = figures.absence_limit_days()
    unit = access.access_unit_by_id(user, request.GET["unit"]) if request.GET.get("unit") else None
    officials = figures.officials_in([unit]) if unit else access.visible_officials(user)
    page = Paginator(figures.absent_officials(officials, today, limit), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    posts: dict[int, list] = {}
    for m in (
        Membership.objects.filter(user__in=[p.pk for p in page], role__in=figures.OFFICIAL_ROLES)
        .select_related("unit")
        .order_by("unit__path")
    ):
        posts.setdefault(m.user_id, []).append(m)
    for p in page:
        p.posts = posts.get(p.pk, [])
        p.days = figures.days_since(p.last_activity, today)
    return render(
        request,
        "accountability/absent.html",
        {"page_obj": page, "limit": limit, "unit": unit, "today": today},
    )
