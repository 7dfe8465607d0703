import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from grassroots.appeals import actions
from grassroots.appeals.models import Category, DispatchRule, IdentityReveal

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


pytestmark = pytest.mark.usefixtures("travel")  # Monday 2026-03-02


def detail(client, user, appeal):
    client.force_login(user)
    return client.get(reverse("appeals:detail", args=[appeal.pk]))


def test_it_shows_the_appeal_with_masked_identity(client, org, make_appeal):
    appeal = make_appeal(phone="13812345678", id_number="110101199003071233")
    response = detail(client, org.clerk, appeal)
    html = response.content.decode()
    assert response.status_code == 200
    assert appeal.tracking_code in html and "城东村三组路灯坏了两个月" in html
    assert "138****5678" in html and "13812345678" not in html
    assert "110101199003071233" not in html and "王**" in html
    assert "查看完整信息" in html


def test_it_shows_the_due_date_with_its_rule(client, org, make_appeal):
    html = detail(client, org.clerk, make_appeal()).content.decode()
    assert "2026-03-17" in html
    assert "登记后转送、交办：15日（信访工作条例第二十二条）" in html
    assert "期限为暂定" not in html


def test_it_explains_a_provisional_due_date(client, org, make_appeal, travel):
    travel.move_to("2026-12-24 10:00 +0800")
    html = detail(client, org.clerk, make_appeal()).content.decode()
    assert "节假日安排未公布，期限为暂定" in html


def test_it_shows_the_timeline_in_beijing_time(client, org, make_appeal, travel):
    appeal = make_appeal()
    travel.move_to("2026-03-03 16:30 +0800")
    actions.dispatch(appeal, org.clerk, unit=org.chengguan, note="请尽快处理")
    html = detail(client, org.clerk, appeal).content.decode()
    timeline = html.split('class="timeline"')[1]
    assert timeline.index("登记") < timeline.index("交办")
    assert "2026-03-02 10:00 · 登记员爱丽丝 · 东城县信访局" in timeline
    assert "2026-03-03 16:30 · 登记员爱丽丝 · 城关镇" in timeline
    assert "交办至城关镇" in timeline and "请尽快处理" in timeline


def test_it_hides_the_appeal_from_users_outside_its_units(client, org, make_appeal):
    appeal = make_appeal()
    assert detail(client, org.outsider, appeal).status_code == 404
    assert detail(client, org.handler, appeal).status_code == 404  # not dispatched to 城关镇 yet
    actions.dispatch(appeal, org.clerk, unit=org.chengguan)
    assert detail(client, org.handler, appeal).status_code == 200


def test_it_preselects_the_catalogue_unit_in_the_dispatch_form(client, org, make_appeal):
    lamp = Category.objects.create(name="路灯")
    DispatchRule.objects.create(category=lamp, area=org.east, unit=org.chengguan)
    appeal = make_appeal(category=lamp)
    html = detail(client, org.clerk, appeal).content.decode()
    assert f'<option value="{org.chengguan.pk}" selected>东城县 / 城关镇</option>' in html
    assert "目录建议</dt><dd>城关镇" in html


def test_it_offers_only_the_actions_the_user_may_take_now(client, org, make_appeal):
    appeal = make_appeal()
    html = detail(client, org.clerk, appeal).content.decode()
    for action in ("dispatch", "not_accept", "mark_duplicate"):
        assert reverse("appeals:act", args=[appeal.pk, action]) in html
    # no ground in law pauses the 15 days to dispatch (only a 复核 hearing pauses a clock, §36)
    for action in ("inform", "reply", "resolve_objection", "close", "supervise", "record_pause"):
        assert reverse("appeals:act", args=[appeal.pk, action]) not in html

    actions.dispatch(appeal, org.clerk, unit=org.chengguan)
    html = detail(client, org.handler, appeal).content.decode()
    for action in ("inform", "object"):
        assert reverse("appeals:act", args=[appeal.pk, action]) in html
    for action in ("dispatch", "reply", "decide_extension", "supervise"):
        assert reverse("appeals:act", args=[appeal.pk, action]) not in html
    html = detail(client, org.supervisor, appeal).content.decode()
    assert reverse("appeals:act", args=[appeal.pk, "supervise"]) in html


def test_it_reveals_the_full_identity_by_htmx_and_logs_it(client, org, make_appeal):
    appeal = make_appeal(
        phone="13812345678",
        id_number="110101199003071233",
        is_group=True,
        representatives=[("张三", "13900000001")],
    )
    client.force_login(org.clerk)
    response = client.post(
        reverse("appeals:reveal", args=[appeal.pk]), HTTP_HX_REQUEST="true", REMOTE_ADDR="10.1.2.3"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="identity"')
    assert "13812345678" in html and "110101199003071233" in html and "张三 13900000001" in html
    reveal = IdentityReveal.objects.get()
    assert (reveal.appeal, reveal.user, reveal.ip) == (appeal, org.clerk, "10.1.2.3")
    list_page = client.get(reverse("appeals:inbox"), {"q": "all"}).content.decode()
    assert "13812345678" not in list_page


def test_it_reveals_on_a_plain_post_too(client, org, make_appeal):
    appeal = make_appeal(phone="13812345678")
    client.force_login(org.clerk)
    response = client.post(reverse("appeals:reveal", args=[appeal.pk]))
    assert response.status_code == 200
    assert "13812345678" in response.content.decode() and "<h1>" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert IdentityReveal.objects.count() == 1


def test_it_refuses_to_reveal_to_users_who_cannot_see_the_appeal(client, org, make_appeal):
    appeal = make_appeal()
    client.force_login(org.outsider)
    assert client.post(reverse("appeals:reveal", args=[appeal.pk])).status_code == 404
    assert client.get(reverse("appeals:reveal", args=[appeal.pk])).status_code == 405
    assert IdentityReveal.objects.count() == 0


def test_it_shows_who_viewed_the_identity_to_supervisors_and_the_unit_head_only(client, org, make_appeal):
    appeal = actions.dispatch(make_appeal(), org.clerk, unit=org.chengguan)
    client.force_login(org.handler)
    client.post(reverse("appeals:reveal", args=[appeal.pk]), REMOTE_ADDR="10.1.2.3")

    for auditor in (org.supervisor, org.head):
        page = detail(client, auditor, appeal).content.decode()
        assert "个人信息查看记录" in page
        assert "2026-03-02 10:00" in page and org.handler.display_name in page and "10.1.2.3" in page
    for staff in (org.clerk, org.handler):
        assert "个人信息查看记录" not in detail(client, staff, appeal).content.decode()


def test_it_serves_attachments_as_downloads_to_those_who_may_see_the_appeal(client, org, make_appeal):
    photo = SimpleUploadedFile("现场.png", PNG, "image/png")
    appeal = make_appeal(attachments=[(photo, "image/png")])
    item = appeal.attachments.get()
    url = reverse("appeals:attachment", args=[appeal.pk, item.pk])
    assert url in detail(client, org.clerk, appeal).content.decode()

    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"

    client.force_login(org.outsider)
    assert client.get(url).status_code == 404


def test_it_does_not_serve_an_attachment_through_another_appeal(client, org, make_appeal):
    photo = SimpleUploadedFile("现场.png", PNG, "image/png")
    hidden = make_appeal(attachments=[(photo, "image/png")], is_report=True, accused_unit=org.chengguan)
    visible = make_appeal()
    actions.dispatch(visible, org.clerk, unit=org.chengguan)
    client.force_login(org.handler)
    url = reverse("appeals:attachment", args=[visible.pk, hidden.attachments.get().pk])
    assert client.get(url).status_code == 404


def test_it_links_a_duplicate_to_its_original(client, org, make_appeal):
    original = make_appeal(title="第一次反映")
    repeat = make_appeal(title="再次反映")
    actions.mark_duplicate(repeat, org.clerk, original=original)
    html = detail(client, org.clerk, repeat).content.decode()
    assert reverse("appeals:detail", args=[original.pk]) in html
    html = detail(client, org.clerk, original).content.decode()
    assert reverse("appeals:detail", args=[repeat.pk]) in html and "并入本件的重复件" in html
