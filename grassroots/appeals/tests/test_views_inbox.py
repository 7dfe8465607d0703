import re

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grassroots.appeals import actions
from grassroots.appeals.models import Category


def page(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("appeals:inbox"), params)
    assert response.status_code == 200
    return response.content.decode()


def replied(org, appeal):
    """Dispatched to 城关镇, accepted and answered in writing."""
    appeal = actions.dispatch(appeal, org.clerk, unit=org.chengguan)
    appeal = actions.inform(appeal, org.handler, note="已受理")
    return actions.reply(appeal, org.handler, text="已更换路灯两盏。")


def counts(html):
    return dict(re.findall(r'\?q=(\w+)"[^>]*>[^<]*<span class="count">(\d+)</span>', html))


def test_it_requires_login_for_every_staff_page(client, org, make_appeal):
    appeal = make_appeal()
    urls = [
        reverse("appeals:inbox"),
        reverse("appeals:new"),
        reverse("appeals:supervisions"),
        reverse("appeals:detail", args=[appeal.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url
    posts = [
        reverse("appeals:reveal", args=[appeal.pk]),
        reverse("appeals:act", args=[appeal.pk, "dispatch"]),
    ]
    for url in posts:
        response = client.post(url, {"version": 0, "unit": org.chengguan.pk})
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url
    appeal.refresh_from_db()
    assert appeal.handling_unit is None and appeal.reveals.count() == 0


def test_it_puts_new_appeals_in_the_desk_queue_and_dispatched_ones_in_the_unit_queue(
    client, org, make_appeal, travel
):
    appeal = make_appeal(title="路灯不亮")
    assert "路灯不亮" in page(client, org.clerk)
    assert "路灯不亮" not in page(client, org.handler)  # not yet dispatched to 城关镇

    actions.dispatch(appeal, org.clerk, unit=org.chengguan)
    assert "路灯不亮" not in page(client, org.clerk)
    assert "路灯不亮" in page(client, org.clerk, q="all")
    assert "路灯不亮" in page(client, org.handler)
    assert "路灯不亮" in page(client, org.head)
    assert "路灯不亮" not in page(client, org.hekou_handler)
    assert "路灯不亮" not in page(client, org.hekou_handler, q="all")


def test_it_shows_the_outsider_nothing_of_east_county(client, org, make_appeal, travel):
    appeal = make_appeal(title="东城县的事")
    actions.dispatch(appeal, org.clerk, unit=org.chengguan)
    travel.move_to("2026-04-30 10:00 +0800")  # overdue by now
    for queue in ["mine", "due", "overdue", "approval", "objections", "all"]:
        html = page(client, org.outsider, q=queue)
        assert "东城县的事" not in html and appeal.tracking_code not in html
        assert set(counts(html).values()) == {"0"}
    html = page(client, org.outsider, q="all", search=appeal.tracking_code)
    assert reverse("appeals:detail", args=[appeal.pk]) not in html and "没有符合条件的诉求" in html


def test_it_lists_overdue_and_soon_due_appeals_with_coloured_badges(client, org, make_appeal, travel):
    make_appeal(title="会超期的")  # due 2026-03-17
    travel.move_to("2026-03-15 10:00 +0800")
    html = page(client, org.clerk, q="due")
    assert "会超期的" in html and 'badge badge-warn">2026-03-17' in html
    assert "会超期的" not in page(client, org.clerk, q="overdue")

    travel.move_to("2026-03-18 10:00 +0800")
    html = page(client, org.clerk, q="overdue")
    assert "会超期的" in html and 'badge badge-bad">2026-03-17 已超期' in html
    assert "会超期的" not in page(client, org.clerk, q="due")
    assert counts(html)["overdue"] == "1"


def test_it_marks_a_provisional_due_date(client, org, make_appeal):
    with time_machine.travel("2026-12-24 10:00 +0800", tick=False):  # 15 days reach into 2027
        make_appeal(title="跨年的")
        html = page(client, org.clerk)
    assert "跨年的" in html and "待定" in html


def test_it_lists_extension_requests_for_the_unit_head_only(client, org, make_appeal, travel):
    appeal = make_appeal(title="要延期的")
    appeal = actions.dispatch(appeal, org.clerk, unit=org.chengguan)
    appeal = actions.inform(appeal, org.handler, note="已受理")
    actions.request_extension(appeal, org.handler, days=10, reason="需要协调供电公司")
    assert "要延期的" in page(client, org.head, q="approval")
    assert counts(page(client, org.head))["approval"] == "1"
    assert "要延期的" not in page(client, org.handler, q="approval")
    assert "要延期的" not in page(client, org.clerk, q="approval")


def test_it_lists_objections_at_the_desk(client, org, make_appeal, travel):
    appeal = make_appeal(title="交错了")
    appeal = actions.dispatch(appeal, org.clerk, unit=org.hekou)
    actions.object_to_dispatch(appeal, org.hekou_handler, reason="不属于河口镇")
    assert "交错了" in page(client, org.clerk, q="objections")
    assert "交错了" in page(client, org.clerk, q="mine")
    assert "交错了" not in page(client, org.hekou_handler, q="objections")
    assert "交错了" not in page(client, org.hekou_handler, q="mine")


def test_a_review_goes_to_the_reviewing_organs_desk_then_to_whom_it_assigns(client, org, make_appeal, travel):
    appeal = replied(org, make_appeal(title="要复查的"))
    appeal = actions.request_review(appeal, None, reason="没修好")
    assert appeal.review_unit == org.east
    assert "要复查的" in page(client, org.clerk)  # 东城县信访局, the desk of 东城县
    assert "要复查的" in page(client, org.supervisor)
    assert "要复查的" not in page(client, org.leader)  # not to the county leaders in person
    assert "要复查的" not in page(client, org.handler)
    actions.assign_review(appeal, org.clerk, handler=org.housing_handler)
    assert "要复查的" in page(client, org.housing_handler)
    assert "要复查的" not in page(client, org.clerk)


def test_a_content_rating_puts_the_answered_appeal_in_the_desks_queue_to_close(
    client, org, make_appeal, travel
):
    appeal = replied(org, make_appeal(title="评价满意的"))
    assert "评价满意的" in page(client, org.clerk, q="closing")
    assert "评价满意的" not in page(client, org.clerk, q="mine")  # not rated yet: the window runs
    actions.rate(appeal, score="satisfied")
    desk = page(client, org.clerk, q="mine")
    assert "评价满意的" in desk
    assert counts(desk)["closing"] == "1"
    assert "群众评价满意或基本满意的，由登记单位办结" in page(client, org.clerk, q="closing")
    assert "评价满意的" not in page(client, org.handler, q="mine")
    assert "评价满意的" not in page(client, org.handler, q="closing")


def test_an_unsatisfied_rating_leaves_the_appeal_out_of_the_desks_own_queue(client, org, make_appeal, travel):
    appeal = replied(org, make_appeal(title="评价不满意的"))
    actions.rate(appeal, score="unsatisfied")
    assert "评价不满意的" not in page(client, org.clerk, q="mine")
    assert "评价不满意的" in page(client, org.clerk, q="closing")


def test_every_queue_says_what_is_expected_of_whom(client, org):
    for key in ("mine", "due", "overdue", "approval", "objections", "closing", "all"):
        html = page(client, org.clerk, q=key)
        assert re.search(r'class="muted queue-help">[^<]{10,}<', html), key


def test_it_searches_all_appeals_by_title_code_and_status(client, org, make_appeal, travel):
    lamp = make_appeal(title="路灯损坏")
    road = make_appeal(title="道路积水")
    actions.dispatch(road, org.clerk, unit=org.chengguan)
    html = page(client, org.clerk, q="all", search="路灯")
    assert "路灯损坏" in html and "道路积水" not in html
    html = page(client, org.clerk, q="all", search=road.tracking_code.lower())
    assert "道路积水" in html and "路灯损坏" not in html
    html = page(client, org.clerk, q="all", status="dispatched")
    assert "道路积水" in html and "路灯损坏" not in html
    assert lamp.tracking_code in page(client, org.clerk, q="all")


def test_it_hides_a_report_from_the_accused_unit(client, org, make_appeal, travel):
    report = make_appeal(title="检举城关镇", is_report=True, accused_unit=org.chengguan)
    actions.dispatch(report, org.clerk, unit=org.east_housing)
    assert "检举城关镇" in page(client, org.clerk, q="all")
    assert "检举城关镇" in page(client, org.housing_handler)
    for user in (org.handler, org.head, org.village_handler):
        assert "检举城关镇" not in page(client, user, q="all")


def test_it_never_shows_full_personal_data_in_the_list(client, org, make_appeal, travel):
    make_appeal(petitioner_name="王小明", phone="13812345678", id_number="110101199003071233")
    html = page(client, org.clerk, q="all")
    assert "王**" in html
    assert "王小明" not in html and "13812345678" not in html and "110101199003071233" not in html


def test_it_pages_fifty_at_a_time(client, org, make_appeal, travel):
    for i in range(51):
        make_appeal(title=f"第{i:02d}件")
    first = page(client, org.clerk, q="all")
    second = page(client, org.clerk, q="all", page=2)
    assert first.count("<tr>") - 1 == 50  # minus the header row
    assert second.count("<tr>") - 1 == 1
    assert "第 2 / 2 页" in second and "共 51 条" in second


def test_it_lists_without_a_query_per_row(client, org, make_appeal, travel):
    top = Category.objects.create(name="城乡建设")
    mid = Category.objects.create(name="市政设施", parent=top)
    leaf = Category.objects.create(name="路灯", parent=mid)
    client.force_login(org.clerk)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("appeals:inbox"), {"q": "all"})
        assert "城乡建设 / 市政设施 / 路灯" in response.content.decode()
        return len(ctx)

    for _ in range(2):
        actions.dispatch(make_appeal(category=leaf), org.clerk, unit=org.chengguan)
    few = queries()
    for _ in range(8):
        actions.dispatch(make_appeal(category=leaf), org.clerk, unit=org.chengguan)
    assert queries() == few
