"""The reception-day rule follows the leader's level and post (县委书记/县长 monthly, 副县长 none)."""

from datetime import date, time

import pytest

from grassroots.accounts.models import Membership, Role
from grassroots.reception import accountability
from grassroots.reception.models import ReceptionDay


def _post(user, post):
    Membership.objects.filter(user=user, role=Role.LEADER).update(post=post)
    user._memberships_cache = None


def _held(leader, unit, d):
    return ReceptionDay.objects.create(
        leader=leader,
        unit=unit,
        date=d,
        start_time=time(9),
        end_time=time(11),
        address="县信访局",
        capacity=3,
        published=True,
    )


@pytest.mark.parametrize("post", ["县长", "县委书记"])
def test_it_holds_the_county_head_and_secretary_to_one_day_a_month(org, post):
    _post(org.leader, post)
    assert accountability.rule_for(org.leader).label == "每月至少 1 次"


@pytest.mark.parametrize("post", ["副县长", ""])
def test_it_holds_a_deputy_or_unnamed_county_leader_to_no_rule(org, post):
    _post(org.leader, post)
    assert accountability.rule_for(org.leader) is None


def test_it_holds_any_city_leader_to_one_day_a_quarter(org):
    Membership.objects.create(user=org.admin, unit=org.city, role=Role.LEADER, post="副市长")
    assert accountability.rule_for(org.admin).label == "每季度至少 1 次"


def test_it_lets_the_highest_post_decide(org):
    _post(org.leader, "县长")
    Membership.objects.create(user=org.leader, unit=org.city, role=Role.LEADER, post="市委常委")
    org.leader._memberships_cache = None
    assert accountability.rule_for(org.leader).period == "quarter"


def test_it_does_not_count_a_city_department_leader_as_a_city_leader(org):
    Membership.objects.create(user=org.admin, unit=org.city_petition, role=Role.LEADER, post="局长")
    assert accountability.rule_for(org.admin) is None


def test_it_reads_the_rules_from_settings(org, settings):
    settings.RECEPTION_RULES = [{"level": 3, "posts": ["副县长"], "period": "quarter", "days": 2}]
    _post(org.leader, "副县长")
    assert accountability.rule_for(org.leader).label == "每季度至少 2 次"
    _post(org.leader, "县长")
    assert accountability.rule_for(org.leader) is None


def test_it_refuses_a_malformed_rule(org, settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.RECEPTION_RULES = [{"level": 3, "period": "week", "days": 1}]
    with pytest.raises(ImproperlyConfigured):
        accountability.rule_for(org.leader)


def test_it_marks_finished_periods_short_and_the_current_one_pending(org):
    _post(org.leader, "县长")
    _held(org.leader, org.east, date(2026, 1, 15))
    _held(org.leader, org.east, date(2026, 3, 20))  # after "today": not held yet
    figure = accountability.figure(org.leader, date(2026, 3, 2))
    assert [(r["label"], r["held"], r["ok"]) for r in figure["rows"]] == [
        ("2026年1月", 1, True),
        ("2026年2月", 0, False),
        ("2026年3月", 0, False),
    ]
    assert (figure["short"], figure["status"], figure["total"]) == (1, "short", 1)


def test_it_shows_a_deputy_page_without_a_rule(client, org, travel):
    _post(org.leader, "副县长")
    _held(org.leader, org.east, date(2026, 2, 10))
    client.force_login(org.supervisor)
    page = client.get(f"/reception/leader/{org.leader.pk}/").content.decode()
    assert "每月至少" not in page
    assert "今年已接访 1 次（该岗位没有接访次数要求）" in page
