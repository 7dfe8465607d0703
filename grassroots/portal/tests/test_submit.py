import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from grassroots.accounts.models import Level, OrgUnit, UnitKind
from grassroots.appeals.models import Appeal, Attachment
from grassroots.portal.lookup import intake_unit

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def submit(client, data, **extra):
    return client.post("/p/submit", data, **extra)


def test_it_registers_an_online_appeal_and_shows_the_code_to_the_submitter_only(
    client,
    org,
    form_data,
    _memory_outbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, form_data(place_unit=org.chengdong.pk))
    appeal = Appeal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/p/submitted/{appeal.tracking_code}"
    assert appeal.channel == "online"
    assert appeal.registered_unit == org.east_petition  # the desk of the county it concerns
    assert appeal.place_unit == org.chengdong
    assert appeal.phone == "13812345678"
    raw = Appeal.objects.values_list("phone_encrypted", flat=True).get()
    assert "13812345678" not in raw

    page = client.get(response["Location"])
    assert re.search(rf'class="big-code">\s*{appeal.tracking_code}\s*<', page.content.decode())
    assert "请抄下或截图保存" in page.content.decode()
    assert Client().get(response["Location"]).status_code == 404
    assert appeal.tracking_code in _memory_outbox[0]["body"]


def test_it_creates_one_appeal_when_the_same_form_is_posted_twice(client, org, form_data):
    first = submit(client, form_data())
    second = submit(client, form_data())
    assert Appeal.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_it_refuses_content_over_5000_characters_naming_the_limit(client, org, form_data):
    response = submit(client, form_data(content="路" * 5001))
    assert response.status_code == 200
    assert "诉求内容不能超过 5000 字（现有 5001 字）" in response.content.decode()
    assert not Appeal.objects.exists()


def test_it_counts_a_line_break_as_one_character(client, org, form_data):
    response = submit(client, form_data(content="路" * 4998 + "\r\n" + "灯"))
    assert response.status_code == 302
    assert len(Appeal.objects.get().content) == 5000


def test_it_refuses_a_bad_mobile_number(client, org, form_data):
    response = submit(client, form_data(phone="12345678901"))
    assert "请填写正确的手机号码" in response.content.decode()
    assert not Appeal.objects.exists()


@pytest.mark.parametrize("autofilled", ["+86 138 1234 5678", "+8613812345678", "１３８１２３４５６７８"])
def test_it_takes_a_mobile_number_as_the_browser_autofills_it(client, org, form_data, autofilled):
    response = submit(client, form_data(phone=autofilled))
    assert response.status_code == 302
    assert Appeal.objects.get().phone == "13812345678"


def test_it_checks_the_id_number_and_stores_it_encrypted(client, org, form_data):
    response = submit(client, form_data(id_number="110105194912310021"))
    assert "校验位不正确" in response.content.decode()
    assert not Appeal.objects.exists()

    submit(client, form_data(id_number="11010519491231002x"))
    appeal = Appeal.objects.get()
    assert appeal.id_number == "11010519491231002X"
    assert "11010519491231002X" not in appeal.id_number_encrypted


def test_it_strips_control_characters_and_rejects_whitespace_only_text(client, org, form_data):
    response = submit(client, form_data(title=" \t\x00\u3000 "))
    assert "请填写标题" in response.content.decode()
    assert not Appeal.objects.exists()

    submit(client, form_data(title="路灯\x00坏了\u202e", content="第一行\x07\r\n第二行"))
    appeal = Appeal.objects.get()
    assert appeal.title == "路灯坏了"
    assert appeal.content == "第一行\n第二行"


def test_it_pretends_to_accept_what_a_bot_fills_into_the_honeypot(client, org, form_data):
    response = submit(client, form_data(website="http://spam.example"))
    assert response.status_code == 200
    assert "提交成功" in response.content.decode()
    assert not Appeal.objects.exists()


def test_it_answers_429_after_the_hourly_limit(client, org, form_data, settings):
    settings.PORTAL_SUBMIT_RATE = 2
    for token in ("1" * 32, "2" * 32):
        assert submit(client, form_data(submission_token=token)).status_code == 302
    response = submit(client, form_data(submission_token="3" * 32))
    assert response.status_code == 429
    assert "过于频繁" in response.content.decode()
    assert Appeal.objects.count() == 2
    other_client = submit(client, form_data(submission_token="4" * 32), REMOTE_ADDR="10.0.0.9")
    assert other_client.status_code == 302


def test_it_asks_for_the_accused_unit_of_a_report_and_keeps_it(client, org, form_data):
    response = submit(client, form_data(is_report="on"))
    assert "请选择被检举单位" in response.content.decode()
    assert not Appeal.objects.exists()

    submit(client, form_data(is_report="on", accused_unit=org.hekou.pk))
    appeal = Appeal.objects.get()
    assert appeal.is_report and appeal.accused_unit == org.hekou


def test_it_accepts_pictures_and_refuses_other_files_in_chinese(client, org, form_data):
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not a picture")
    response = submit(client, form_data(attachments=[fake]))
    assert "只接受 JPG、PNG 图片和 PDF 文件" in response.content.decode()

    too_many = [SimpleUploadedFile(f"p{i}.png", PNG) for i in range(6)]
    response = submit(client, form_data(attachments=too_many))
    assert "附件最多 5 个" in response.content.decode()
    assert not Appeal.objects.exists()

    submit(client, form_data(attachments=[SimpleUploadedFile("photo.png", PNG)]))
    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/png" and attachment.appeal == Appeal.objects.get()


def test_it_offers_townships_and_villages_as_places_only(client, org, form_data):
    page = client.get("/p/submit").content.decode()
    assert "东城县 城关镇 城东村" in page
    response = submit(client, form_data(place_unit=org.east.pk))
    assert "选择一个有效的选项" in response.content.decode()
    assert not Appeal.objects.exists()


def test_it_gives_a_fresh_form_token_when_the_token_is_bad(client, org, form_data):
    response = submit(client, form_data(submission_token="not-a-token"))
    page = response.content.decode()
    assert "表单已失效" in page
    token = re.search(r'name="submission_token" value="([0-9a-f]{32})"', page).group(1)
    assert submit(client, form_data(submission_token=token)).status_code == 302


def test_it_requires_the_csrf_token(org, form_data):
    response = Client(enforce_csrf_checks=True).post("/p/submit", form_data())
    assert response.status_code == 403
    assert not Appeal.objects.exists()


def test_it_registers_online_appeals_at_the_top_petition_office(org):
    assert intake_unit() == org.city_petition


def test_it_registers_an_appeal_at_the_petition_office_of_the_county_it_concerns(org):
    assert intake_unit(org.chengdong) == org.east_petition
    assert intake_unit(org.east) == org.east_petition
    assert intake_unit(org.shanqian) == org.city_petition  # 西山区 has no 信访局 of its own


@pytest.mark.django_db
def test_it_falls_back_to_the_root_area_without_a_petition_office():
    root = OrgUnit.objects.create(name="示范市", level=Level.CITY)
    OrgUnit.objects.create(name="示范市住建局", level=Level.CITY, parent=root, kind=UnitKind.DEPARTMENT)
    assert intake_unit() == root


def test_it_limits_each_phone_number_as_well_as_each_address(client, org, form_data, settings):
    settings.PORTAL_SUBMIT_RATE_PER_PHONE = 2
    for token in ("1" * 32, "2" * 32):
        assert submit(client, form_data(submission_token=token)).status_code == 302
    response = submit(client, form_data(submission_token="3" * 32))
    assert response.status_code == 429
    assert "这个手机号码这一小时内提交的次数太多了" in response.content.decode()
    assert "12345" in response.content.decode()  # the petition office's phone, from settings
    other = form_data(submission_token="4" * 32, phone="13912345678", content="另一位村民反映的问题。")
    assert submit(client, other).status_code == 302  # the next villager at the same address


def test_a_listed_service_centre_submits_for_many_villagers(client, org, form_data, settings):
    from grassroots.portal.models import AssistedAddress

    settings.PORTAL_SUBMIT_RATE, settings.PORTAL_ASSISTED_SUBMIT_RATE = 2, 5
    AssistedAddress.objects.create(network="10.2.3.0/24", name="城关镇便民服务中心")
    for n in range(5):
        data = form_data(submission_token=f"{n}" * 32, phone=f"1391234567{n}", content=f"第{n}位村民的诉求。")
        assert submit(client, data, REMOTE_ADDR="10.2.3.7").status_code == 302, n
    assert submit(client, form_data(submission_token="9" * 32), REMOTE_ADDR="10.2.3.7").status_code == 429
    for n in range(2):
        data = form_data(submission_token=f"{n}" * 31 + "a", phone=f"1381234567{n}", content=f"别处{n}")
        assert submit(client, data, REMOTE_ADDR="192.0.2.8").status_code == 302
    assert submit(client, form_data(submission_token="b" * 32), REMOTE_ADDR="192.0.2.8").status_code == 429


def test_it_says_the_upload_limits_before_anything_is_picked(client, org):
    page = client.get("/p/submit").content.decode()
    assert "JPG、PNG 图片或 PDF 文件，最多 5 个，每个不超过 10 MB。" in page


def test_every_staff_upload_field_says_its_limits(client, org, make_appeal):
    client.force_login(org.clerk)
    page = client.get("/work/new").content.decode()
    assert "每个不超过 10 MB" in page


def test_it_lists_the_units_a_resident_may_report_by_level_in_tree_order_and_searchable(client, org):
    page = client.get("/p/submit").content.decode()
    select = page[
        page.index('name="accused_unit"') : page.index("</select>", page.index('name="accused_unit"'))
    ]
    assert 'data-search="输入名称筛选单位"' in select
    groups = re.findall(r'<optgroup label="([^"]+)"', select)
    assert groups == ["市级", "县（区）级", "乡镇（街道）级", "村（社区）级"]
    county = select[select.index('label="县（区）级"') : select.index('label="乡镇（街道）级"')]
    assert county.index("东城县") < county.index("东城县信访局") < county.index("西山区")
