"""The limits the 条例 sets cannot be stretched past the law (§22, §23, §34, §35, §36), the
petitioner's windows not changed at all; and a rule edit applies to clocks that start after it,
never shortening one that runs."""

from datetime import date

import pytest
import time_machine

from grassroots.administration import actions as admin_actions
from grassroots.appeals import actions
from grassroots.lib.actions import ActionError
from grassroots.workcal.models import DeadlineRule


def _at(day):
    return time_machine.travel(f"{day} 10:00 +0800", tick=False)


def _rule(key):
    return DeadlineRule.objects.get(key=key)


@pytest.mark.parametrize(
    ("key", "days", "article"),
    [
        ("dispatch", 16, "第二十二条"),
        ("inform", 16, "第二十三条"),
        ("conclude", 61, "第三十四条"),
        ("extension_max", 31, "第三十四条"),
        ("review_decide", 31, "第三十五条"),
        ("recheck_decide", 31, "第三十六条"),
    ],
)
def test_the_state_s_limits_cannot_be_raised_past_the_law(org, key, days, article):
    with pytest.raises(ActionError) as refused:
        admin_actions.edit_deadline_rule(org.admin, _rule(key), days=days)
    assert "不得超过法定" in str(refused.value) and article in str(refused.value)
    assert _rule(key).days == days - 1


@pytest.mark.parametrize(
    ("key", "article"),
    [("review_request", "第三十五条"), ("recheck_request", "第三十六条"), ("objection", "第二十三条")],
)
@pytest.mark.parametrize("change", [-1, +1])
def test_a_party_s_window_stays_as_the_law_sets_it(org, key, article, change):
    rule = _rule(key)
    with pytest.raises(ActionError) as refused:
        admin_actions.edit_deadline_rule(org.admin, rule, days=rule.legal_days + change)
    assert "不能修改" in str(refused.value) and article in str(refused.value)


def test_a_stricter_local_limit_applies_to_clocks_started_afterwards(org, make_appeal):
    with _at("2026-03-02"):
        running = actions.inform(
            actions.dispatch(make_appeal(), org.clerk, unit=org.chengguan), org.handler, note="受理"
        )
        admin_actions.edit_deadline_rule(org.admin, _rule("conclude"), days=45)
        later = actions.inform(
            actions.dispatch(make_appeal(), org.clerk, unit=org.hekou), org.handler, note="受理"
        )
    assert (running.clock.days, running.due_date) == (60, date(2026, 5, 6))
    assert (later.clock.days, later.due_date) == (45, date(2026, 4, 16))
    with _at("2026-03-03"):
        actions.recompute_open_deadlines()  # a calendar edit later recomputes with each clock's own days
    running.refresh_from_db()
    assert running.due_date == date(2026, 5, 6)


def test_raising_a_limit_back_never_lengthens_a_running_clock(org, make_appeal):
    admin_actions.edit_deadline_rule(org.admin, _rule("conclude"), days=45)
    with _at("2026-03-02"):
        running = actions.inform(
            actions.dispatch(make_appeal(), org.clerk, unit=org.chengguan), org.handler, note="受理"
        )
        admin_actions.edit_deadline_rule(org.admin, _rule("conclude"), days=60)
        actions.recompute_open_deadlines()
    running.refresh_from_db()
    assert (running.clock.days, running.due_date) == (45, date(2026, 4, 16))


def test_the_counting_mode_is_the_laws(org):
    rule = _rule("objection")
    assert (rule.working_days, rule.legal_days, rule.legal_bound) == (True, 5, "exact")
    assert _rule("conclude").working_days is False
