import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from grassroots.appeals.models import Appeal, Attachment, Category, DispatchRule, Representative

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


pytestmark = pytest.mark.usefixtures("travel")  # Monday 2026-03-02


def form_data(org, **overrides):
    data = {
        "submission_token": "0123456789abcdef0123456789abcdef",
        "registered_unit": org.east_petition.pk,
        "channel": "visit",
        "title": "小区路灯损坏",
        "content": "城东村三组路灯坏了两个月。",
        "place_unit": org.chengdong.pk,
        "address": "城东村三组",
        "petitioner_name": "王小明",
        "phone": "138 1234 5678",
        "id_number": "110101199003071233",
        "headcount": 1,
    }
    data.update(overrides)
    return data


def post(client, user, data):
    client.force_login(user)
    return client.post(reverse("appeals:new"), data)


def test_it_shows_the_intake_form_with_a_fresh_token(client, org):
    Category.objects.create(name="路灯", parent=Category.objects.create(name="市政设施"))
    client.force_login(org.clerk)
    first = client.get(reverse("appeals:new")).content.decode()
    second = client.get(reverse("appeals:new")).content.decode()
    assert 'name="submission_token"' in first
    token = first.split('name="submission_token" value="')[1][:32]
    assert token not in second
    assert "市政设施 / 路灯" in first
    assert "东城县 / 城关镇 / 城东村" in first
    assert "西山区 / 山前街道</option>" not in first.split('name="place_unit"')[1].split("</select>")[0]


def test_it_registers_an_appeal_and_opens_its_page(client, org):
    lamp = Category.objects.create(name="路灯")
    DispatchRule.objects.create(category=lamp, area=org.chengguan, unit=org.chengguan)
    response = post(client, org.clerk, form_data(org, category=lamp.pk))
    appeal = Appeal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("appeals:detail", args=[appeal.pk])
    assert appeal.phone == "13812345678"
    assert appeal.id_number == "110101199003071233"
    assert appeal.registered_by == org.clerk and appeal.suggested_unit == org.chengguan
    html = client.get(response["Location"]).content.decode()
    assert f"诉求已登记，查询码 {appeal.tracking_code}" in html


def test_it_registers_once_when_the_same_form_is_posted_twice(client, org):
    first = post(client, org.clerk, form_data(org))
    second = post(client, org.clerk, form_data(org))
    assert Appeal.objects.count() == 1
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert "未重复登记" in client.get(second["Location"]).content.decode()


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("id_number", "110101199003071234", "校验位不正确"),
        ("id_number", "11010119900307123", "应为 18 位"),
        ("content", "字" * 5001, "不能超过 5000 字（现有 5001 字）"),
        ("phone", "12345", "请填写正确的电话号码"),
        ("title", "", "这个字段是必填项"),
    ],
)
def test_it_rejects_bad_input_with_a_chinese_message_and_creates_nothing(client, org, field, value, message):
    response = post(client, org.clerk, form_data(org, **{field: value}))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Appeal.objects.count() == 0


def test_it_counts_a_line_break_as_one_character(client, org):
    content = ("字" * 99 + "\r\n") * 49 + "字" * 100  # 5,000 characters as the browser counts them
    response = post(client, org.clerk, form_data(org, content=content))
    assert response.status_code == 302
    assert len(Appeal.objects.get().content) == 5000


def test_it_accepts_a_landline_with_its_area_code(client, org):
    post(client, org.clerk, form_data(org, phone="（0591）87654321"))
    assert Appeal.objects.get().phone == "059187654321"


def test_it_rejects_a_program_renamed_to_jpg_and_creates_nothing(client, org):
    fake = SimpleUploadedFile("现场照片.jpg", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, "image/jpeg")
    response = post(client, org.clerk, form_data(org, attachments=[fake]))
    assert response.status_code == 400
    assert "不是允许的类型" in response.content.decode()
    assert Appeal.objects.count() == 0 and Attachment.objects.count() == 0


def test_it_keeps_valid_attachments(client, org):
    photo = SimpleUploadedFile("现场.png", PNG, "image/png")
    scan = SimpleUploadedFile("材料.pdf", b"%PDF-1.4\n" + b"0" * 64, "application/pdf")
    post(client, org.clerk, form_data(org, attachments=[photo, scan]))
    appeal = Appeal.objects.get()
    assert sorted(appeal.attachments.values_list("original_name", "content_type")) == [
        ("材料.pdf", "application/pdf"),
        ("现场.png", "image/png"),
    ]


def test_it_registers_a_group_appeal_with_its_representatives(client, org):
    data = form_data(
        org,
        is_group="on",
        headcount=30,
        rep_name_1="张三",
        rep_phone_1="13900000001",
        rep_name_2="李四",
        rep_phone_2="",
    )
    response = post(client, org.clerk, data)
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.is_group and appeal.headcount == 30
    assert sorted(Representative.objects.values_list("name", flat=True)) == ["张三", "李四"]


def test_it_asks_a_group_appeal_for_a_representative(client, org):
    response = post(client, org.clerk, form_data(org, is_group="on", headcount=10))
    assert response.status_code == 400
    assert "集体访请推选 1 至 5 名代表" in response.content.decode()
    assert Appeal.objects.count() == 0


def test_it_asks_a_report_for_the_accused_unit(client, org):
    response = post(client, org.clerk, form_data(org, is_report="on"))
    assert response.status_code == 400
    assert "检举件请选择被检举单位" in response.content.decode()
    post(client, org.clerk, form_data(org, is_report="on", accused_unit=org.chengguan.pk))
    assert Appeal.objects.get().accused_unit == org.chengguan


def test_it_registers_only_at_the_users_own_desk(client, org):
    response = post(client, org.clerk, form_data(org, registered_unit=org.city_petition.pk))
    assert response.status_code == 400
    assert Appeal.objects.count() == 0


def test_it_lets_only_clerks_and_supervisors_register(client, org):
    for user in (org.handler, org.head, org.leader, org.admin):
        client.force_login(user)
        assert client.get(reverse("appeals:new")).status_code == 403
        assert post(client, user, form_data(org, registered_unit=org.east.pk)).status_code == 403
    assert Appeal.objects.count() == 0
    response = post(client, org.supervisor, form_data(org, registered_unit=org.east.pk))
    assert response.status_code == 302
    assert Appeal.objects.get().registered_unit == org.east
