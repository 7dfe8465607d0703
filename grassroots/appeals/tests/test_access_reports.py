"""§30: a report of wrongdoing (检举) never reaches the accused unit or anyone inside it."""

import pytest
from django.http import Http404

from grassroots.accounts.models import Membership, Role
from grassroots.appeals import actions
from grassroots.appeals.access import ACTION_RULES, access_appeal_by_id, allowed_actions, can, visible_appeals
from grassroots.appeals.models import Appeal, Status

SECTION_30 = "检举件不得交由被检举单位或其下属单位办理（信访工作条例第三十条）。"


@pytest.fixture
def report(make_appeal, org):
    return make_appeal(
        title="举报镇干部", content="城关镇某干部吃拿卡要。", is_report=True, accused_unit=org.chengguan
    )


@pytest.mark.parametrize("person", ["clerk", "supervisor", "leader"])
def test_it_shows_a_report_to_the_county_above_the_accused_township(org, report, person):
    user = getattr(org, person)
    assert visible_appeals(user).filter(pk=report.pk).exists()
    assert access_appeal_by_id(user, report.pk) == report


@pytest.mark.parametrize("person", ["handler", "head", "village_handler"])
def test_it_hides_a_report_from_the_accused_township_and_its_villages(org, report, person):
    user = getattr(org, person)
    # even with a county post as well, and even if someone put it in their tray by hand
    Membership.objects.create(user=user, unit=org.east, role=Role.SUPERVISOR)
    Appeal.objects.filter(pk=report.pk).update(handling_unit=org.chengdong, review_unit=org.chengguan)
    report.refresh_from_db()

    assert not visible_appeals(user).filter(pk=report.pk).exists()
    with pytest.raises(Http404):
        access_appeal_by_id(user, report.pk)
    assert allowed_actions(user, report) == set()


@pytest.mark.parametrize("action", ACTION_RULES)
def test_it_refuses_every_action_on_a_report_to_someone_in_the_accused_unit(org, report, action):
    user = org.head
    for role in [Role.CLERK, Role.HANDLER, Role.UNIT_HEAD, Role.LEADER, Role.SUPERVISOR]:
        Membership.objects.get_or_create(user=user, unit=org.east, role=role)
    Appeal.objects.filter(pk=report.pk).update(handling_unit=org.east, review_unit=org.east)
    report.refresh_from_db()

    assert not can(user, action, report)


@pytest.mark.parametrize("unit", ["chengguan", "chengdong"])
def test_it_refuses_to_dispatch_a_report_to_the_accused_or_below(org, report, unit):
    with pytest.raises(actions.ActionError) as refused:
        actions.dispatch(report, org.clerk, unit=getattr(org, unit))

    assert str(refused.value) == SECTION_30
    fresh = Appeal.objects.get(pk=report.pk)
    assert (fresh.status, fresh.handling_unit, fresh.version) == (Status.REGISTERED, None, report.version)
    assert fresh.events.count() == 1


@pytest.mark.parametrize("unit", ["hekou", "east_housing", "east"])
def test_it_dispatches_a_report_to_units_outside_the_accused(org, report, unit):
    appeal = actions.dispatch(report, org.clerk, unit=getattr(org, unit))
    assert appeal.status == Status.DISPATCHED
    assert appeal.handling_unit == getattr(org, unit)


def test_it_hides_a_report_against_a_department_only_from_that_department(org, make_appeal):
    report = make_appeal(is_report=True, accused_unit=org.east_housing)
    report = actions.dispatch(report, org.clerk, unit=org.chengguan)

    assert access_appeal_by_id(org.handler, report.pk) == report
    Appeal.objects.filter(pk=report.pk).update(review_unit=org.east_housing)
    assert not visible_appeals(org.housing_handler).filter(pk=report.pk).exists()


def test_it_does_not_hide_an_ordinary_appeal_about_the_same_township(org, make_appeal):
    appeal = actions.dispatch(make_appeal(), org.clerk, unit=org.chengguan)
    assert access_appeal_by_id(org.handler, appeal.pk) == appeal
    assert "reply" in allowed_actions(org.handler, appeal)


def test_it_asks_for_the_accused_unit_when_registering_a_report(org, make_appeal):
    with pytest.raises(actions.ActionError, match="检举件请选择被检举单位"):
        make_appeal(is_report=True, accused_unit=None)
    assert not Appeal.objects.exists()
