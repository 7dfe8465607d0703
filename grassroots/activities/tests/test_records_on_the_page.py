"""On an activity's page: photos and documents, residents' questions and residents' concerns."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from grassroots.activities.models import ActivityConcern, ActivityFile, EventKind, OutreachQuestion
from grassroots.activities.tests.helpers import make_activity, pdf, png

pytestmark = pytest.mark.usefixtures("travel")  # Monday 2026-03-02


def post(client, user, name, activity, data):
    client.force_login(user)
    return client.post(reverse(name, args=[activity.pk]), data)


def test_it_attaches_photos_and_documents_once(client, org):
    activity = make_activity(org)
    response = post(
        client,
        org.head,
        "activities:attach",
        activity,
        {"files": [png(), pdf()], "submission_token": "f" * 32},
    )
    assert response.status_code == 302
    assert activity.files.count() == 2
    assert activity.events.filter(kind=EventKind.ATTACH).count() == 1
    post(client, org.head, "activities:attach", activity, {"files": [png()], "submission_token": "f" * 32})
    assert activity.files.count() == 2  # the double click stored nothing more
    page = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert "宣讲现场.png" in page and "宣讲材料.pdf" in page
    assert "照片" in page and "材料" in page


def test_it_refuses_an_upload_that_is_not_an_image_or_pdf(client, org):
    activity = make_activity(org)
    doc = SimpleUploadedFile("签到表.docx", b"PK\x03\x04" + b"\x00" * 64)
    response = post(
        client, org.head, "activities:attach", activity, {"files": [doc], "submission_token": "g" * 32}
    )
    assert response.status_code == 400
    assert "不是允许的类型：只接受 JPG、PNG 图片和 PDF 文件" in response.content.decode()
    response = post(client, org.head, "activities:attach", activity, {"submission_token": "h" * 32})
    assert response.status_code == 400
    assert "请选择要上传的照片或材料" in response.content.decode()
    assert not ActivityFile.objects.exists()


def test_it_records_a_residents_question_and_the_answer_once(client, org):
    activity = make_activity(org)
    data = {
        "question": "在外地打工，医保怎么缴费？",
        "answer": "可通过手机“闽政通”缴费。",
        "asker": "城东村村民",
        "submission_token": "q" * 32,
    }
    assert post(client, org.head, "activities:question", activity, data).status_code == 302
    assert post(client, org.head, "activities:question", activity, data).status_code == 302
    question = OutreachQuestion.objects.get()
    assert (question.asker, question.created_by) == ("城东村村民", org.head)
    page = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert "在外地打工，医保怎么缴费？" in page
    assert "可通过手机“闽政通”缴费。" in page


def test_it_refuses_an_empty_or_overlong_question(client, org):
    activity = make_activity(org)
    response = post(client, org.head, "activities:question", activity, {"question": " "})
    assert response.status_code == 400
    response = post(client, org.head, "activities:question", activity, {"question": "问" * 2001})
    assert response.status_code == 400
    assert "不能超过 2000 字（现有 2001 字）" in response.content.decode()
    assert not OutreachQuestion.objects.exists()


def test_it_records_a_concern_with_the_phone_encrypted_and_masked(client, org):
    activity = make_activity(org)
    data = {
        "content": "村口路灯坏了两个月，晚上出行不便。",
        "resident_name": "王小明",
        "phone": "138 1234 5678",
        "submission_token": "c" * 32,
    }
    assert post(client, org.head, "activities:concern", activity, data).status_code == 302
    assert post(client, org.head, "activities:concern", activity, data).status_code == 302
    concern = ActivityConcern.objects.get()
    assert concern.phone == "13812345678"
    assert "13812345678" not in concern.phone_encrypted
    page = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert "村口路灯坏了两个月" in page
    assert "138****5678" in page
    assert "13812345678" not in page
    assert "王小明" not in page and "王**" in page
    assert activity.events.filter(kind=EventKind.CONCERN).count() == 1


def test_it_refuses_a_concern_with_a_wrong_phone(client, org):
    activity = make_activity(org)
    response = post(
        client, org.head, "activities:concern", activity, {"content": "路灯坏了", "phone": "12345"}
    )
    assert response.status_code == 400
    assert "请填写正确的电话号码" in response.content.decode()
    assert not ActivityConcern.objects.exists()


def test_user_text_is_escaped(client, org):
    activity = make_activity(org, title="<script>alert(1)</script>", summary="<b>纪要</b>")
    post(client, org.head, "activities:question", activity, {"question": "<img src=x onerror=alert(1)>"})
    page = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page and "<b>纪要</b>" not in page


@pytest.mark.parametrize("name", ["activities:attach", "activities:question", "activities:concern"])
def test_only_keepers_may_add_to_an_activity(client, org, name):
    activity = make_activity(org, actor=org.head)

    def data():
        return {"files": [png()], "question": "问题", "content": "诉求"}

    assert post(client, org.handler, name, activity, data()).status_code == 403  # same unit, not a keeper
    assert post(client, org.hekou_handler, name, activity, data()).status_code == 404  # beside
    assert post(client, org.outsider, name, activity, data()).status_code == 404  # outside
    assert post(client, org.leader, name, activity, data()).status_code == 302  # above
    client.force_login(org.head)
    assert client.get(reverse(name, args=[activity.pk])).status_code == 405
