"""转为诉求 / 转为问题清单: a resident's concern becomes one appeal or one ledger problem, linked."""

from datetime import date

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from grassroots.activities import actions
from grassroots.activities.models import ActivityConcern, EventKind, Kind
from grassroots.activities.tests.helpers import make_activity
from grassroots.appeals.models import Appeal, Channel
from grassroots.ledger.models import Problem, Source

pytestmark = pytest.mark.usefixtures("travel")  # Monday 2026-03-02


def concern_at(org, activity=None, **kw):
    activity = activity or make_activity(org)
    fields = {
        "content": "村口路灯坏了两个月，晚上出行不便。",
        "resident_name": "王小明",
        "phone": "13812345678",
    }
    fields.update(kw)
    return actions.add_concern(activity, org.head, **fields)


def to_appeal(client, user, concern, **kw):
    client.force_login(user)
    data = {
        "registered_unit": concern.activity.unit.parent_id,
        "title": "城东村路灯损坏",
        "petitioner_name": "王小明",
    }
    data.update(kw)
    return client.post(reverse("activities:to_appeal", args=[concern.activity_id, concern.pk]), data)


def to_problem(client, user, concern, **kw):
    client.force_login(user)
    data = {
        "domain": "transport",
        "description": concern.content,
        "measures": "更换路灯两盏",
        "responsible_unit": concern.activity.unit_id,
        "deadline": "2026-03-31",
    }
    data.update(kw)
    return client.post(reverse("activities:to_problem", args=[concern.activity_id, concern.pk]), data)


def render_origin(user, item):
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load activities_tags %}{% activity_origin item %}")
    return template.render(Context({"request": request, "item": item}))


def test_a_desk_turns_a_concern_into_a_linked_appeal_once(client, org):
    concern = concern_at(org)
    response = to_appeal(client, org.supervisor, concern)
    appeal = Appeal.objects.get()
    assert response.status_code == 302
    assert (appeal.channel, appeal.registered_unit, appeal.place_unit) == (
        Channel.OUTREACH,
        org.east,
        org.chengdong,
    )
    assert (appeal.title, appeal.petitioner_name, appeal.phone) == ("城东村路灯损坏", "王小明", "13812345678")
    assert "村口路灯坏了两个月" in appeal.content
    assert "2026年2月26日宣讲活动「城东村医保政策宣讲」中群众反映" in appeal.content
    concern.refresh_from_db()
    assert (concern.appeal, concern.converted_by) == (appeal, org.supervisor)
    assert concern.activity.events.filter(kind=EventKind.TO_APPEAL).count() == 1

    again = to_appeal(client, org.supervisor, concern)  # a double click
    assert again.status_code == 302
    assert Appeal.objects.count() == 1
    page = client.get(reverse("activities:detail", args=[concern.activity_id])).content.decode()
    assert f"已转为信访诉求（查询码 {appeal.tracking_code}），未重复登记" in page
    assert reverse("appeals:detail", args=[appeal.pk]) in page
    assert reverse("activities:to_appeal", args=[concern.activity_id, concern.pk]) not in page

    origin = render_origin(org.supervisor, appeal)
    assert "来自下基层活动：" in origin
    assert reverse("activities:detail", args=[concern.activity_id]) in origin
    assert "城东村医保政策宣讲" in origin


def test_who_cannot_register_appeals_sees_no_button_and_is_refused(client, org):
    concern = concern_at(org)
    client.force_login(org.head)  # keeps the activity, but has no desk
    page = client.get(reverse("activities:detail", args=[concern.activity_id])).content.decode()
    assert reverse("activities:to_appeal", args=[concern.activity_id, concern.pk]) not in page
    assert reverse("activities:to_problem", args=[concern.activity_id, concern.pk]) in page
    response = to_appeal(client, org.head, concern)
    assert response.status_code == 403
    assert "只有接待登记员或信访督办员可以将群众诉求登记为信访诉求" in response.content.decode()
    assert not Appeal.objects.exists()
    assert not ActivityConcern.objects.get().is_converted


def test_the_appeal_is_registered_only_at_the_users_own_desk(client, org):
    concern = concern_at(org)
    response = to_appeal(client, org.supervisor, concern, registered_unit=org.east_petition.pk)
    assert response.status_code == 400
    assert not Appeal.objects.exists()
    with pytest.raises(actions.ActionError, match="不是您可以登记诉求的单位"):
        actions.convert_to_appeal(
            concern, org.supervisor, registered_unit=org.east_petition, title="路灯", petitioner_name="王小明"
        )
    assert not ActivityConcern.objects.get().is_converted  # the claim was rolled back


def test_a_concern_without_a_name_needs_one_for_the_appeal(client, org):
    concern = concern_at(org, resident_name="", phone="")
    response = to_appeal(client, org.supervisor, concern, petitioner_name="")
    assert response.status_code == 400
    assert "这个字段是必填项" in response.content.decode()
    assert not Appeal.objects.exists()


def test_outsiders_and_the_unit_beside_cannot_convert(client, org):
    concern = concern_at(org)
    assert (
        to_appeal(client, org.clerk, concern).status_code == 404
    )  # a county desk below the county: not in scope
    assert to_problem(client, org.hekou_handler, concern).status_code == 404
    assert to_problem(client, org.outsider, concern).status_code == 404
    assert not Problem.objects.exists() and not Appeal.objects.exists()


@pytest.mark.parametrize(
    ("kind", "source"),
    [(Kind.OUTREACH, Source.APPEAL), (Kind.RESEARCH, Source.RESEARCH), (Kind.ONSITE, Source.ONSITE)],
)
def test_a_head_puts_a_concern_on_the_ledger_once(client, org, kind, source):
    concern = concern_at(org, make_activity(org, kind=kind))
    response = to_problem(client, org.head, concern)
    problem = Problem.objects.get()
    assert response.status_code == 302
    assert problem.source == source
    assert (problem.responsible_unit, problem.place, problem.deadline) == (
        org.chengguan,
        org.chengdong,
        date(2026, 3, 31),
    )
    assert problem.description.startswith("村口路灯坏了两个月")
    assert problem.measures == "更换路灯两盏"
    concern.refresh_from_db()
    assert concern.problem == problem

    assert to_problem(client, org.head, concern).status_code == 302  # a double click
    assert to_appeal(client, org.supervisor, concern).status_code == 302  # and then the other way
    assert Problem.objects.count() == 1 and not Appeal.objects.exists()
    page = client.get(reverse("activities:detail", args=[concern.activity_id])).content.decode()
    assert "已列入问题清单" in page and reverse("ledger:detail", args=[problem.pk]) in page

    origin = render_origin(org.head, problem)
    assert "来自下基层活动：" in origin and reverse("activities:detail", args=[concern.activity_id]) in origin


def test_the_ledger_needs_a_unit_the_user_keeps_and_a_deadline_ahead(client, org):
    concern = concern_at(org)
    response = to_problem(client, org.head, concern, responsible_unit=org.hekou.pk)
    assert response.status_code == 400
    response = to_problem(client, org.head, concern, deadline="2026-03-01")
    assert response.status_code == 400
    assert "整改时限不能早于今天" in response.content.decode()
    with pytest.raises(actions.ActionError, match="不在您可以列入问题清单的范围内"):
        actions.convert_to_problem(
            concern,
            org.head,
            domain="transport",
            description="路灯",
            responsible_unit=org.hekou,
            deadline=date(2026, 3, 31),
        )
    assert not Problem.objects.exists()
    assert not ActivityConcern.objects.get().is_converted


def test_a_handler_who_recorded_the_concern_cannot_put_it_on_the_ledger(client, org):
    activity = make_activity(org, actor=org.handler)
    concern = concern_at(org, activity)
    client.force_login(org.handler)
    page = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert reverse("activities:to_problem", args=[activity.pk, concern.pk]) not in page
    response = to_problem(client, org.handler, concern)
    assert response.status_code == 403
    assert "只有单位负责人、领导干部或信访督办员可以将问题列入问题清单" in response.content.decode()


def test_the_origin_is_plain_text_for_who_cannot_see_the_activity_and_absent_otherwise(client, org):
    concern = concern_at(org)
    to_problem(client, org.head, concern)
    problem = Problem.objects.get()
    origin = render_origin(org.hekou_handler, problem)
    assert "来自下基层活动：" in origin and "城东村医保政策宣讲" in origin
    assert reverse("activities:detail", args=[concern.activity_id]) not in origin
    other = Problem.objects.create(
        source=Source.SELF_CHECK,
        domain="other",
        description="自查问题",
        responsible_unit=org.chengguan,
        deadline=date(2026, 4, 1),
    )
    assert "来自下基层活动" not in render_origin(org.head, other)
