"""新建活动 and 修改: the form, its choices, bad input, double submits and concurrent edits."""

from decimal import Decimal

import pytest
from django.urls import reverse

from grassroots.activities.models import Activity, ActivityFile, EventKind
from grassroots.activities.tests.helpers import form_data, make_activity, pdf, png

pytestmark = pytest.mark.usefixtures("travel")  # Monday 2026-03-02


def post_new(client, user, data):
    client.force_login(user)
    return client.post(reverse("activities:new"), data)


def test_it_records_an_outreach_activity_once_with_its_photos(client, org):
    response = post_new(client, org.head, form_data(org, files=[png(), pdf()]))
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("activities:detail", args=[activity.pk])
    assert (activity.kind, activity.unit, activity.place, activity.created_by) == (
        "outreach",
        org.chengguan,
        org.chengdong,
        org.head,
    )
    assert list(activity.officials.all()) == [org.head]
    assert (activity.latitude, activity.longitude) == (Decimal("26.661700"), Decimal("119.547500"))
    assert (activity.outreach_topic, activity.speaker, activity.audience_count) == (
        "城乡居民医保政策",
        "镇长汉克",
        60,
    )
    assert sorted(ActivityFile.objects.values_list("content_type", flat=True)) == [
        "application/pdf",
        "image/png",
    ]
    assert activity.events.get().kind == EventKind.CREATE

    again = post_new(client, org.head, form_data(org))  # a double click: same token
    assert Activity.objects.count() == 1
    assert again["Location"] == reverse("activities:detail", args=[activity.pk])
    page = client.get(again["Location"]).content.decode()
    assert "未重复记录" in page
    assert "城乡居民医保政策" in page
    assert "宣讲现场.png" in page


def test_the_form_offers_the_outreach_fields_and_the_script_that_hides_them(client, org):
    client.force_login(org.head)
    page = client.get(reverse("activities:new")).content.decode()
    assert 'data-kind-only="outreach"' in page
    assert "/static/activities/activity_form.js" in page
    assert 'name="submission_token"' in page
    for label in ("宣讲主题", "宣讲的政策", "宣讲人", "听众人数"):
        assert label in page
    script = client.get("/static/activities/activity_form.js")
    assert script.status_code == 200


def test_it_empties_the_outreach_fields_for_other_kinds(client, org):
    post_new(client, org.head, form_data(org, kind="research", title="城东村养老服务调研"))
    activity = Activity.objects.get()
    assert activity.kind == "research"
    assert (activity.outreach_topic, activity.policies, activity.speaker, activity.audience_count) == (
        "",
        "",
        "",
        None,
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"summary": "纪" * 50_000}, "不能超过 5000 字（现有 50000 字）"),
        ({"duration_minutes": "0"}, "活动时长应在 1 至 1440 分钟之间"),
        ({"duration_minutes": "1441"}, "活动时长应在 1 至 1440 分钟之间"),
        ({"latitude": "200"}, "纬度应在 -90 至 90 之间"),
        ({"longitude": "-181"}, "经度应在 -180 至 180 之间"),
        ({"longitude": ""}, "请同时填写纬度和经度"),
        ({"date": "2026-03-03"}, "活动日期不能晚于今天"),
        ({"outreach_topic": ""}, "宣讲活动请填写宣讲主题"),
        ({"officials": []}, "这个字段是必填项"),
        ({"title": ""}, "这个字段是必填项"),
        ({"files": [png("照片.gif")]}, "扩展名与文件内容不符"),
    ],
)
def test_it_refuses_bad_input_with_a_chinese_message(client, org, changes, message):
    response = post_new(client, org.head, form_data(org, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Activity.objects.exists()


def test_it_refuses_a_file_that_is_not_an_image_or_pdf(client, org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    exe = SimpleUploadedFile("照片.jpg", b"MZ\x90\x00" + b"\x00" * 64, content_type="image/jpeg")
    response = post_new(client, org.head, form_data(org, files=[exe]))
    assert response.status_code == 400
    assert "不是允许的类型：只接受 JPG、PNG 图片和 PDF 文件" in response.content.decode()
    assert not Activity.objects.exists()
    assert not ActivityFile.objects.exists()


def test_it_offers_only_units_places_and_officials_in_reach(client, org):
    client.force_login(org.head)
    form = client.get(reverse("activities:new")).context["form"]
    units = {c[0] for c in form.fields["unit"].choices}
    assert {str(org.chengguan.pk), str(org.chengdong.pk)} <= units
    assert str(org.hekou.pk) not in units and str(org.east.pk) not in units
    places = {c[0] for c in form.fields["place"].choices}
    assert str(org.chengdong.pk) in places and str(org.hekou.pk) not in places
    officials = dict(form.fields["officials"].choices)
    assert str(org.head.pk) in officials
    assert str(org.leader.pk) in officials  # the county leader above may visit
    assert "东城县领导干部" in officials[str(org.leader.pk)]
    assert str(org.handler.pk) not in officials  # a handler is not an official
    assert str(org.outsider.pk) not in officials


def test_it_refuses_a_unit_or_place_outside_the_users_reach(client, org):
    response = post_new(client, org.head, form_data(org, unit=org.hekou.pk))
    assert response.status_code == 400
    response = post_new(client, org.head, form_data(org, place=org.shanqian.pk, submission_token="u" * 32))
    assert response.status_code == 400
    response = post_new(
        client, org.head, form_data(org, officials=[org.outsider.pk], submission_token="v" * 32)
    )
    assert response.status_code == 400
    assert not Activity.objects.exists()


def test_a_county_department_records_a_visit_to_a_village_of_its_county(client, org):
    client.force_login(org.housing_handler)
    form = client.get(reverse("activities:new")).context["form"]
    assert str(org.chengdong.pk) in {c[0] for c in form.fields["place"].choices}
    data = form_data(org, unit=org.east_housing.pk, officials=[org.leader.pk], kind="research")
    assert post_new(client, org.housing_handler, data).status_code == 302
    assert Activity.objects.get().unit == org.east_housing


def test_a_user_without_a_staff_role_cannot_record(client, org):
    client.force_login(org.admin)
    assert client.get(reverse("activities:new")).status_code == 403
    page = client.get(reverse("activities:list")).content.decode()
    assert reverse("activities:new") not in page


def edit_data(activity, **kw):
    data = {
        "kind": activity.kind,
        "title": activity.title,
        "unit": activity.unit_id,
        "officials": [o.pk for o in activity.officials.all()],
        "place": activity.place_id,
        "address": activity.address,
        "date": activity.date.isoformat(),
        "duration_minutes": activity.duration_minutes,
        "summary": activity.summary,
        "outreach_topic": activity.outreach_topic,
        "policies": activity.policies,
        "speaker": activity.speaker,
        "audience_count": activity.audience_count,
        "version": activity.version,
    }
    data.update(kw)
    return data


def test_it_saves_an_edit_and_writes_what_changed(client, org):
    activity = make_activity(org)
    client.force_login(org.head)
    assert client.get(reverse("activities:edit", args=[activity.pk])).status_code == 200
    data = edit_data(activity, summary="补充：现场答疑 8 个问题。", officials=[org.head.pk, org.leader.pk])
    response = client.post(reverse("activities:edit", args=[activity.pk]), data)
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.summary == "补充：现场答疑 8 个问题。"
    assert set(activity.officials.all()) == {org.head, org.leader}
    assert activity.version == 1
    event = activity.events.last()
    assert event.kind == EventKind.EDIT
    assert "活动纪要" in event.note and "参加领导干部" in event.note


def test_two_people_editing_at_once_one_wins_and_the_other_is_told(client, org):
    activity = make_activity(org)
    url = reverse("activities:edit", args=[activity.pk])
    client.force_login(org.head)
    first = edit_data(activity, summary="镇长的修改")
    second = edit_data(activity, summary="县长的修改")  # loaded the same version
    assert client.post(url, first).status_code == 302
    client.force_login(org.leader)
    response = client.post(url, second, follow=True)
    page = response.content.decode()
    assert "这次活动已被他人修改（镇长汉克" in page
    assert "您的修改未保存" in page
    activity.refresh_from_db()
    assert activity.summary == "镇长的修改"


def test_an_edit_is_checked_like_a_new_record(client, org):
    activity = make_activity(org)
    client.force_login(org.head)
    response = client.post(
        reverse("activities:edit", args=[activity.pk]), edit_data(activity, latitude="200")
    )
    assert response.status_code == 400
    assert "纬度应在 -90 至 90 之间" in response.content.decode()
    response = client.post(reverse("activities:edit", args=[activity.pk]), edit_data(activity))
    assert response.status_code == 400
    assert "没有修改任何内容" in response.content.decode()
    activity.refresh_from_db()
    assert activity.latitude is None and activity.version == 0
