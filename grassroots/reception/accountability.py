"""Reception days held against the rule: 市级 leaders one a quarter, 县委书记/县长 one a month.

The rule is data: settings.RECEPTION_RULES (if set) maps an org level to (period, days required).
"""

from datetime import date

from django.conf import settings

from grassroots.accounts.access import memberships
from grassroots.accounts.models import Level, Role

from .models import ReceptionDay

DEFAULT_RULES = {Level.CITY: ("quarter", 1), Level.COUNTY: ("month", 1)}
PERIOD_LABELS = {"month": "每月", "quarter": "每季度"}


def rule_for(leader):
    rules = getattr(settings, "RECEPTION_RULES", DEFAULT_RULES)
    levels = sorted(m.unit.level for m in memberships(leader) if m.role == Role.LEADER)
    for level in levels:  # the highest post decides
        if level in rules:
            return rules[level]
    return None


def _period_key(d: date, period: str) -> tuple[int, int]:
    return (d.year, d.month) if period == "month" else (d.year, (d.month - 1) // 3 + 1)


def _label(key, period) -> str:
    return f"{key[0]}年{key[1]}月" if period == "month" else f"{key[0]}年第{key[1]}季度"


def periods_of_year(today: date, period: str):
    last = _period_key(today, period)[1]
    return [(today.year, n) for n in range(1, last + 1)]


def figure(leader, today: date) -> dict:
    """Per period of this year so far: days held (published, dated today or earlier) vs required."""
    rule = rule_for(leader)
    held = ReceptionDay.objects.published().filter(leader=leader, date__year=today.year, date__lte=today)
    if rule is None:
        return {"rule": None, "rows": [], "total": held.count()}
    period, required = rule
    counts: dict = {}
    for d in held.values_list("date", flat=True):
        key = _period_key(d, period)
        counts[key] = counts.get(key, 0) + 1
    rows = []
    current = _period_key(today, period)
    for key in periods_of_year(today, period):
        n = counts.get(key, 0)
        rows.append(
            {
                "label": _label(key, period),
                "held": n,
                "required": required,
                "ok": n >= required,
                "current": key == current,
            }
        )
    return {
        "rule": f"{PERIOD_LABELS[period]}至少 {required} 次",
        "rows": rows,
        "total": sum(counts.values()),
        "short": sum(1 for r in rows if not r["ok"] and not r["current"]),
    }
