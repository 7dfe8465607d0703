"""Reception days held against the rule: 市级 leaders one a quarter, 县委书记/县长 one a month.

The rule is data, settings.RECEPTION_RULES, a list tried in order; each entry names an org
level, optionally the unit kind and the posts (Membership.post) it applies to, and the
period and number of days required:

    RECEPTION_RULES = [
        {"level": 2, "kind": "area", "period": "quarter", "days": 1},  # 市级领导：每季度 1 天
        {"level": 3, "kind": "area", "posts": ["县委书记", "县长"], "period": "month", "days": 1},
    ]

Only LEADER memberships count; the leader's highest post (lowest level) that matches a rule
decides. A leader no rule matches (a 副县长, a 镇长) has no required number of days.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from grassroots.accounts.access import memberships
from grassroots.accounts.models import Level, Membership, Role, UnitKind

from .models import ReceptionDay

COUNTY_HEADS = ["县委书记", "县长", "区委书记", "区长", "市委书记", "市长"]  # 县级市 and 区 count as counties
DEFAULT_RULES = [
    {"level": Level.CITY, "kind": UnitKind.AREA, "period": "quarter", "days": 1},
    {"level": Level.COUNTY, "kind": UnitKind.AREA, "posts": COUNTY_HEADS, "period": "month", "days": 1},
]
PERIOD_LABELS = {"month": "每月", "quarter": "每季度"}


@dataclass(frozen=True)
class Rule:
    level: int
    period: str
    days: int
    kind: str | None = None
    posts: frozenset | None = None  # None: any post

    def matches(self, membership) -> bool:
        unit = membership.unit
        return (
            unit.level == self.level
            and (self.kind is None or unit.kind == self.kind)
            and (self.posts is None or membership.post in self.posts)
        )

    @property
    def label(self) -> str:
        return f"{PERIOD_LABELS[self.period]}至少 {self.days} 次"


def rules() -> list[Rule]:
    configured = getattr(settings, "RECEPTION_RULES", DEFAULT_RULES)
    parsed = []
    for entry in configured:
        try:
            rule = Rule(
                level=int(entry["level"]),
                period=entry["period"],
                days=int(entry["days"]),
                kind=entry.get("kind"),
                posts=frozenset(entry["posts"]) if entry.get("posts") is not None else None,
            )
        except (KeyError, TypeError, ValueError) as e:
            raise ImproperlyConfigured(f"RECEPTION_RULES entry {entry!r} is malformed: {e}") from None
        if rule.period not in PERIOD_LABELS or rule.days < 1:
            raise ImproperlyConfigured(f"RECEPTION_RULES entry {entry!r}: period month|quarter, days >= 1")
        parsed.append(rule)
    return parsed


def rule_of_memberships(leader_memberships, rule_list=None) -> Rule | None:
    """The rule for a person holding these memberships (LEADER ones count), or None."""
    rule_list = rules() if rule_list is None else rule_list
    leading = sorted((m for m in leader_memberships if m.role == Role.LEADER), key=lambda m: m.unit.level)
    for m in leading:  # the highest post decides
        for rule in rule_list:
            if rule.matches(m):
                return rule
    return None


def rule_for(leader) -> Rule | None:
    return rule_of_memberships(memberships(leader))


def rules_for_users(user_ids) -> dict[int, Rule]:
    """Each user's rule, for many users in one query; users without a rule are left out."""
    rule_list = rules()
    by_user: dict[int, list] = {}
    for m in Membership.objects.filter(user_id__in=user_ids, role=Role.LEADER).select_related("unit"):
        by_user.setdefault(m.user_id, []).append(m)
    found = {uid: rule_of_memberships(ms, rule_list) for uid, ms in by_user.items()}
    return {uid: rule for uid, rule in found.items() if rule is not None}


def _period_key(d: date, period: str) -> tuple[int, int]:
    return (d.year, d.month) if period == "month" else (d.year, (d.month - 1) // 3 + 1)


def _period_start(key, period) -> date:
    year, n = key
    return date(year, n if period == "month" else 3 * n - 2, 1)


def _next_key(key, period):
    year, n = key
    last = 12 if period == "month" else 4
    return (year + 1, 1) if n == last else (year, n + 1)


def _label(key, period) -> str:
    return f"{key[0]}年{key[1]}月" if period == "month" else f"{key[0]}年第{key[1]}季度"


def period_keys(start: date, end: date, period: str):
    """The rule's periods overlapping start..end, oldest first."""
    key, last = _period_key(start, period), _period_key(end, period)
    keys = []
    while key <= last:
        keys.append(key)
        key = _next_key(key, period)
    return keys


def span(rule: Rule, start: date, end: date) -> tuple[date, date]:
    """From the first day of the rule period holding `start` to the last day of the one holding `end`."""
    keys = period_keys(start, end, rule.period)
    after = _period_start(_next_key(keys[-1], rule.period), rule.period)
    return _period_start(keys[0], rule.period), after - timedelta(days=1)


def held_dates(leader_ids, start: date, end: date) -> dict[int, list[date]]:
    """Published reception days per leader between start and end, in one query."""
    held: dict[int, list[date]] = {}
    days = ReceptionDay.objects.published().filter(leader_id__in=leader_ids, date__gte=start, date__lte=end)
    for leader_id, d in days.values_list("leader_id", "date"):
        held.setdefault(leader_id, []).append(d)
    return held


def compliance(rule: Rule | None, dates, start: date, end: date, today: date) -> dict:
    """Rows per rule period overlapping start..end (none after today): days held vs required.

    `dates` are the leader's published reception days; only those on or before today count.
    `status` sums it up: "short" when a finished period fell short, "pending" when only the
    current one has not been met yet, "ok" otherwise, None when no rule applies.
    """
    held = [d for d in dates if d <= today]
    if rule is None:
        return {"rule": None, "rows": [], "total": sum(1 for d in held if start <= d <= end), "status": None}
    counts: dict = {}
    for d in held:
        key = _period_key(d, rule.period)
        counts[key] = counts.get(key, 0) + 1
    current = _period_key(today, rule.period)
    rows = []
    for key in period_keys(start, min(end, today), rule.period):
        n = counts.get(key, 0)
        rows.append(
            {
                "label": _label(key, rule.period),
                "held": n,
                "required": rule.days,
                "ok": n >= rule.days,
                "current": key == current,
            }
        )
    short = sum(1 for r in rows if not r["ok"] and not r["current"])
    pending = any(not r["ok"] and r["current"] for r in rows)
    return {
        "rule": rule.label,
        "rows": rows,
        "total": sum(r["held"] for r in rows),
        "short": short,
        "status": "short" if short else ("pending" if pending else "ok"),
    }


def figure(leader, today: date) -> dict:
    """Per period of this year so far: days held (published, dated today or earlier) vs required."""
    rule = rule_for(leader)
    start = date(today.year, 1, 1)
    dates = held_dates([leader.pk], start, today).get(leader.pk, [])
    return compliance(rule, dates, start, today, today)
