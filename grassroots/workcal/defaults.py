"""Default statutory time limits (信访工作条例 2022) and the official holiday schedule.

Used by the seeding migration (with historical models) and by tests that flush the database.
Holidays come from the chinesecalendar package, which carries the State Council's schedule
up to the year it was released for; later years are entered by administrators.
"""

RULES = [
    ("dispatch", "登记后转送、交办", 15, False, "第二十二条"),
    ("inform", "收到交办后告知信访人", 15, False, "第二十三条"),
    ("objection", "对交办提出异议", 5, True, "第二十三条"),
    ("conclude", "受理后办结", 60, False, "第三十四条"),
    ("extension_max", "延长办理期限（最多）", 30, False, "第三十四条"),
    ("review_request", "申请复查", 30, False, "第三十五条"),
    ("review_decide", "复查意见", 30, False, "第三十五条"),
    ("recheck_request", "申请复核", 30, False, "第三十六条"),
    ("recheck_decide", "复核意见", 30, False, "第三十六条"),
]

# How far each limit may be changed locally: the state's limits may be made stricter, never
# longer; the windows that are a party's right stay as the law sets them.
BOUNDS = {
    "dispatch": "at_most",
    "inform": "at_most",
    "objection": "exact",
    "conclude": "at_most",
    "extension_max": "at_most",
    "review_request": "exact",
    "review_decide": "at_most",
    "recheck_request": "exact",
    "recheck_decide": "at_most",
}
PAUSE_GROUNDS = [
    ("recheck_hearing", "复核听证", "第三十六条第二款", "recheck_decide"),
]

FIRST_YEAR = 2020


def seed_law(DeadlineRule, PauseGround):
    """The law's bounds on each rule, and the grounds for a pause (a later migration's data)."""
    for key, _name, days, working, _basis in RULES:
        for rule in DeadlineRule.objects.filter(key=key):  # an earlier edit past the law is undone
            rule.legal_days, rule.legal_bound, rule.working_days = days, BOUNDS[key], working
            rule.days = days if BOUNDS[key] == "exact" else min(rule.days, days)
            rule.save()
    for key, name, basis, rules in PAUSE_GROUNDS:
        PauseGround.objects.get_or_create(key=key, defaults={"name": name, "basis": basis, "rules": rules})


def seed(DeadlineRule, CalendarDay, CalendarYear):
    import chinese_calendar

    for key, name, days, working, basis in RULES:
        DeadlineRule.objects.update_or_create(
            key=key,
            defaults={"name": name, "days": days, "working_days": working, "basis": basis},
        )
    names = {h.value: h.chinese for h in chinese_calendar.Holiday}
    years = set()
    days = []
    for d, holiday in chinese_calendar.holidays.items():
        if d.year >= FIRST_YEAR:
            years.add(d.year)
            days.append(CalendarDay(date=d, is_workday=False, name=names.get(holiday, holiday)))
    for d, holiday in chinese_calendar.workdays.items():
        # only weekend working days are 调休 make-up days
        if d.year >= FIRST_YEAR and d.weekday() >= 5:
            days.append(CalendarDay(date=d, is_workday=True, name=f"{names.get(holiday, holiday)}调休"))
    CalendarDay.objects.bulk_create(days, ignore_conflicts=True)
    for year in sorted(years):
        CalendarYear.objects.get_or_create(year=year, defaults={"source": "chinesecalendar 软件包"})
