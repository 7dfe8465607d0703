"""Who sees and who may act on an appeal, for every role and every place in the tree.

The person under test always sits in 城关镇 (a township). The appeal's relevant unit is
their own unit, a village below it (城东村), the county above it (东城县), a sibling
township (河口镇) or a township of another county (山前街道).
"""

import pytest
from django.http import Http404

from grassroots.accounts.models import Membership, Role, User
from grassroots.appeals.access import (
    ACTION_RULES,
    DESK,
    REVIEW_DESK,
    REVIEW_HANDLER,
    access_appeal_by_id,
    allowed_actions,
    can,
    visible_appeals,
)
from grassroots.appeals.models import Appeal

ROLES = [Role.CLERK, Role.HANDLER, Role.UNIT_HEAD, Role.LEADER, Role.SUPERVISOR, Role.ADMIN]
CASEWORK = {Role.CLERK, Role.HANDLER, Role.UNIT_HEAD, Role.LEADER, Role.SUPERVISOR}
POSITIONS = {  # position -> attribute of the `org` fixture
    "own": "chengguan",
    "below": "chengdong",
    "above": "east",
    "sibling": "hekou",
    "outside": "shanqian",
}
INSIDE = {"own", "below"}
FIELDS = ["registered_unit", "handling_unit", "review_unit"]


def _person(unit, *roles):
    user = User.objects.create(username="p-" + "-".join(roles), display_name="测试人员")
    for role in roles:
        Membership.objects.create(user=user, unit=unit, role=role)
    return user


def _appeal(org, **units):
    fields = {"registered_unit": org.west, **units}  # 西山区: nobody in 城关镇 covers it
    return Appeal.objects.create(
        channel="visit", title="路灯损坏", content="路灯坏了", petitioner_name="王小明", **fields
    )


@pytest.mark.parametrize("position", POSITIONS)
@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("role", ROLES)
def test_it_shows_an_appeal_only_to_casework_roles_above_its_unit(org, role, field, position):
    person = _person(org.chengguan, role)
    appeal = _appeal(org, **{field: getattr(org, POSITIONS[position])})

    expected = role in CASEWORK and position in INSIDE
    assert visible_appeals(person).filter(pk=appeal.pk).exists() is expected
    if expected:
        assert access_appeal_by_id(person, appeal.pk) == appeal
    else:
        with pytest.raises(Http404):
            access_appeal_by_id(person, appeal.pk)


@pytest.mark.parametrize("position", POSITIONS)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTION_RULES)
def test_it_allows_an_action_only_to_its_roles_over_the_appeal(org, action, role, position):
    person = _person(org.chengguan, role)
    unit = getattr(org, POSITIONS[position])
    appeal = Appeal(registered_unit=unit, handling_unit=unit, review_unit=unit)

    rules = ACTION_RULES[action]
    over_a_unit = {r for roles, field in rules if field not in (REVIEW_DESK, REVIEW_HANDLER) for r in roles}
    # the desk of an organ reviews the organ's own answers' reviews: 城关镇's desk routes what 城关镇 reviews
    reviewing_desk = (
        any(field == REVIEW_DESK for _roles, field in rules) and role in DESK and position == "own"
    )
    assert can(person, action, appeal) is ((role in over_a_unit and position in INSIDE) or reviewing_desk)


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("action", ACTION_RULES)
def test_it_checks_the_unit_the_action_belongs_to(org, action, field):
    person = _person(org.chengguan, *CASEWORK)
    appeal = Appeal(registered_unit=org.shanqian, handling_unit=org.shanqian, review_unit=org.shanqian)
    setattr(appeal, field, org.chengdong)

    assert can(person, action, appeal) is (
        field in {rule_field for _roles, rule_field in ACTION_RULES[action]}
    )


@pytest.mark.parametrize("action", ["inform", "handle", "reply", "supervise", "decide_extension"])
def test_it_allows_no_handling_action_before_dispatch(org, action):
    person = _person(org.east, *CASEWORK)
    appeal = Appeal(registered_unit=org.east_petition, handling_unit=None)
    assert not can(person, action, appeal)


def test_it_lists_the_actions_of_each_fixture_person(org):
    appeal = Appeal(registered_unit=org.east_petition, handling_unit=org.chengguan, review_unit=org.east)
    desk = {
        "not_accept",
        "dispatch",
        "resolve_objection",
        "mark_duplicate",
        "categorize",
        "close",
        "record_pause",
        "request_review",
        "reassess_request",
        "record_delivery",
        "assign_review",  # 东城县信访局 is the desk of 东城县, the reviewing organ
    }
    handling = {"inform", "handle", "object", "request_extension", "reply", "record_delivery"}
    assert allowed_actions(org.clerk, appeal) == desk
    assert allowed_actions(org.supervisor, appeal) == desk | {"supervise", "decide_pause"}
    assert allowed_actions(org.leader, appeal) == {"decide_review", "record_pause", "record_delivery"}
    assert allowed_actions(org.handler, appeal) == handling
    assert allowed_actions(org.head, appeal) == handling | {"decide_extension"}
    assert allowed_actions(org.village_handler, appeal) == set()
    assert allowed_actions(org.housing_handler, appeal) == set()
    assert allowed_actions(org.hekou_handler, appeal) == set()
    assert allowed_actions(org.outsider, appeal) == set()
    assert allowed_actions(org.admin, appeal) == set()


def test_it_shows_each_appeal_once_to_someone_covering_all_its_units(org):
    appeal = _appeal(
        org, registered_unit=org.east_petition, handling_unit=org.chengguan, review_unit=org.east
    )
    person = _person(org.east, Role.SUPERVISOR, Role.LEADER)
    Membership.objects.create(user=person, unit=org.chengguan, role=Role.HANDLER)

    assert list(visible_appeals(person)) == [appeal]


def test_it_answers_404_for_ids_that_are_not_appeals(org):
    for bad in ["abc", None, 10**9, ""]:
        with pytest.raises(Http404):
            access_appeal_by_id(org.clerk, bad)


def test_it_shows_nothing_to_anonymous_visitors(org):
    from django.contrib.auth.models import AnonymousUser

    _appeal(org, registered_unit=org.east_petition)
    assert not visible_appeals(AnonymousUser()).exists()
    assert allowed_actions(AnonymousUser(), Appeal(registered_unit=org.east_petition)) == set()
