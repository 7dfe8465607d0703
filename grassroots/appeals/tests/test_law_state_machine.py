"""The lifecycle's edges: §36 ¶3 (a matter closed by 复核 is not accepted again), §23 (不予受理 tells
the petitioner where to turn), §35–36 (复查/复核 by the organ above, never by the unit itself),
and the article numbers the pages show (§20 representatives, §23 不予受理)."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from grassroots.accounts.models import Level, Membership, OrgUnit, Role, User
from grassroots.administration import actions as admin_actions
from grassroots.appeals import actions
from grassroots.appeals.models import Appeal, DoubtfulRequest, EventKind, Status
from grassroots.lib.actions import ActionError

MATTER = {"title": "小区路灯损坏", "content": "城东村三组路灯坏了两个月，晚上出行不便。"}


def _at(day):
    return time_machine.travel(f"{day} 10:00 +0800", tick=False)


def _deliver(appeal, org):
    return actions.record_delivery(appeal, org.clerk, method="in_person", delivered_on=date(2026, 3, 2))


@pytest.fixture
def final(org, make_appeal):
    """The matter went through reply, 复查 and 复核 on Mon 2 Mar 2026 and is final."""
    with _at("2026-03-02"):
        appeal = actions.dispatch(make_appeal(**MATTER), org.clerk, unit=org.chengguan)
        appeal = actions.inform(appeal, org.handler, note="已受理")
        appeal = _deliver(actions.reply(appeal, org.handler, text="已修复"), org)
        appeal = actions.request_review(appeal, None, reason="没修好")
        appeal = _deliver(actions.decide_review(appeal, org.leader, decision="upheld", text="维持"), org)
        appeal = actions.request_review(appeal, None, reason="仍不服")
        return actions.decide_review(appeal, org.admin, decision="upheld", text="复核维持")


# --- §36 ¶3 ------------------------------------------------------------------------------------


def test_section_36_the_same_petitioners_same_matter_is_refused_at_intake(org, make_appeal, final):
    assert final.final
    with _at("2026-04-01"), pytest.raises(actions.FinalMatter) as refused:
        make_appeal(**{**MATTER, "content": "我再次反映：" + MATTER["content"]})
    assert final.tracking_code in str(refused.value) and "第三十六条" in str(refused.value)
    assert Appeal.objects.count() == 1


def test_section_36_staff_may_register_it_as_a_new_matter_saying_why(org, make_appeal, final):
    with _at("2026-04-01"):
        appeal = make_appeal(**MATTER, new_matter_reason="路灯去年修好后今年再次损坏，属新的事实")
    assert appeal.new_matter_reason == "路灯去年修好后今年再次损坏，属新的事实"
    assert "新的事实和理由" in appeal.events.get(kind=EventKind.REGISTER).internal_note


@pytest.mark.parametrize(
    "who",
    [
        {"phone": "13900000000", "id_number": "", "petitioner_name": "邻居"},  # another petitioner
        {"title": "低保申请", "content": "家中老人生病，申请办理最低生活保障，请求审核。"},  # another matter
    ],
)
def test_section_36_only_the_same_matter_of_the_same_petitioner_is_refused(org, make_appeal, final, who):
    with _at("2026-04-01"):
        assert make_appeal(**{**MATTER, **who}).status == Status.REGISTERED


def test_section_36_the_intake_page_asks_for_the_new_facts(client, org, final):
    client.force_login(org.clerk)
    data = {
        "registered_unit": org.east_petition.pk,
        "channel": "visit",
        **MATTER,
        "petitioner_name": "王小明",
        "phone": "13812345678",
        "id_number": "",
        "headcount": 1,
        "submission_token": "b" * 32,
    }
    with _at("2026-04-01"):
        response = client.post(reverse("appeals:new"), data)
        assert response.status_code == 400
        page = response.content.decode()
        assert "已复核终结" in page and 'name="new_matter_reason"' in page
        response = client.post(
            reverse("appeals:new"),
            {**data, "new_matter_reason": "损坏的是另一处路灯", "submission_token": "c" * 32},
        )
    assert response.status_code == 302
    assert Appeal.objects.filter(new_matter_reason="损坏的是另一处路灯").exists()


def test_section_36_the_portal_refuses_it_and_says_where_to_go(client, org, final, form_data):
    with _at("2026-04-01"):
        page = client.post("/p/submit", form_data(**MATTER)).content.decode()
    assert "已经复核终结" in page and "第三十六条" in page and "由工作人员登记" in page
    assert Appeal.objects.count() == 1


# --- §23: 不予受理 names the route ----------------------------------------------------------------


def test_section_23_not_accepting_tells_the_petitioner_where_to_turn(
    client, org, make_appeal, _memory_outbox
):
    with _at("2026-03-02"):
        appeal = make_appeal()
        with pytest.raises(ActionError, match="有权处理的机关"):
            actions.not_accept(appeal, org.clerk, reason="不属于本机关职权", route="organ", organ="")
        appeal = actions.not_accept(
            appeal, org.clerk, reason="不属于本机关职权", route="organ", organ="东城县市场监督管理局"
        )
    text = "请向东城县市场监督管理局提出：向有权处理的机关、单位提出（第二十三条）。"
    assert appeal.redirect_text() == text
    assert text in appeal.events.get(kind=EventKind.NOT_ACCEPT).note
    client.post("/p/track", {"code": appeal.tracking_code, "last4": "5678"})
    assert text in client.get(f"/p/track/{appeal.tracking_code}").content.decode()


def test_section_23_not_accepting_needs_a_route(org, make_appeal):
    with pytest.raises(ActionError, match="途径"):
        actions.not_accept(make_appeal(), org.clerk, reason="不属于信访事项", route="")


# --- §35–36: the organ above, never the unit itself ------------------------------------------------


@pytest.fixture
def city_replied(org, make_appeal):
    """A matter the city itself (the root of the tree) answered."""
    head = User.objects.create(username="mayor_office", display_name="市政府办")
    Membership.objects.create(user=head, unit=org.city, role=Role.HANDLER)
    with _at("2026-03-02"):
        appeal = actions.dispatch(make_appeal(), org.clerk, unit=org.city)
        appeal = actions.inform(appeal, head, note="已受理")
        return _deliver(actions.reply(appeal, head, text="已协调解决"), org)


def test_section_35_a_root_units_answer_is_never_reviewed_by_itself(org, city_replied):
    with _at("2026-03-10"), pytest.raises(ActionError, match="没有上级机关"):
        actions.request_review(city_replied, None, reason="不服")
    kept = DoubtfulRequest.objects.get()
    assert (kept.outcome, kept.reason) == ("no_organ", "不服")
    assert Appeal.objects.get(pk=city_replied.pk).review_unit is None


def test_section_35_the_configured_organ_reviews_and_the_kept_request_is_reopened(org, city_replied):
    province = OrgUnit.objects.create(name="示范省人民政府", level=Level.PROVINCE)
    with _at("2026-03-10"), pytest.raises(ActionError):
        actions.request_review(city_replied, None, reason="不服")
    with _at("2026-03-11"):
        admin_actions.set_review_organ(org.admin, org.city, organ=province)
        kept = DoubtfulRequest.objects.get()
        assert kept.needs_attention and "示范省人民政府" in kept.attention_note
        appeal = actions.reopen_request(kept, org.clerk)
    assert (appeal.status, appeal.review_unit, appeal.clock.start) == (
        Status.REVIEWING,
        province,
        date(2026, 3, 10),
    )


def test_section_35_a_unit_cannot_be_its_own_reviewing_organ(org):
    with pytest.raises(ActionError, match="不能是本单位或其下级单位"):
        admin_actions.set_review_organ(org.admin, org.east, organ=org.chengguan)


# --- the article numbers shown ----------------------------------------------------------------------


def test_the_pages_cite_section_20_for_representatives_and_section_23_for_not_accepting(
    client, org, make_appeal
):
    client.force_login(org.clerk)
    intake = client.get(reverse("appeals:new")).content.decode()
    assert "集体访推选代表不超过 5 人（信访工作条例第二十条）" in intake
    assert "第十八条" not in intake
    page = client.get(reverse("appeals:detail", args=[make_appeal().pk])).content.decode()
    assert "理由将告知信访人（信访工作条例第二十三条）" in page and "第二十一条" not in page
    with pytest.raises(ActionError, match="第二十条"):
        make_appeal(is_group=True, representatives=[("甲", "13800000001")] * 6)
