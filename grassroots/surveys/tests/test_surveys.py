import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from grassroots.surveys.models import Answer, Response, Status

from .helpers import answers, build, public_url

pytestmark = pytest.mark.usefixtures("travel")  # Monday 2026-03-02 10:00


def test_it_builds_a_questionnaire_and_takes_a_public_answer(client, org):
    q, made = build(client, org)
    assert q.status == Status.OPEN

    page = client.get(public_url(q))
    assert page.status_code == 200
    assert "您是否了解新出台的养老补贴政策？" in page.content.decode()
    r = client.post(public_url(q), answers(made))
    assert r.status_code == 302
    assert "感谢您的参与" in client.get(r["Location"]).content.decode()

    response = Response.objects.get(questionnaire=q)
    assert not response.on_paper
    assert Answer.objects.get(response=response, question=made[1]).choices == ["宣讲会", "微信群"]


def test_it_shows_counts_in_results_and_exports_excel(client, org):
    q, made = build(client, org)
    Client().post(public_url(q), answers(made, token="a"))
    Client().post(
        public_url(q), answers(made, token="b", **{f"q{made[0].pk}": "不了解", f"q{made[2].pk}": "2"})
    )

    client.force_login(org.handler)  # any staff of the owner unit sees results
    page = client.get(reverse("surveys:results", args=[q.pk])).content.decode()
    assert "共 2 份答卷" in page
    assert "1 人（50.0%）" in page
    assert "平均分：<strong>3.0</strong>" in page
    assert "希望补贴按时发放。" in page

    r = client.get(reverse("surveys:export", args=[q.pk]))
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) == 3
    assert rows[0][3] == "1. 您是否了解新出台的养老补贴政策？"
    assert rows[1][2:] == ("网上填写", "了解", "宣讲会；微信群", "4", "希望补贴按时发放。")
    assert rows[2][3:5] == ("不了解", None)


def test_it_locks_questions_after_the_first_answer(client, org):
    q, made = build(client, org)
    Client().post(public_url(q), answers(made))

    client.force_login(org.head)
    page = client.get(reverse("surveys:detail", args=[q.pk])).content.decode()
    assert "题目已锁定" in page
    assert "添加题目" not in page
    r = client.post(
        reverse("surveys:question_edit", args=[q.pk, made[0].pk]),
        {"text": "改过的题目", "kind": "single", "options_text": "是\n否"},
        follow=True,
    )
    assert "题目已锁定" in r.content.decode()
    made[0].refresh_from_db()
    assert made[0].text == "您是否了解新出台的养老补贴政策？"
    client.post(reverse("surveys:question_add", args=[q.pk]), {"text": "新题", "kind": "short_text"})
    client.post(reverse("surveys:question_delete", args=[q.pk, made[3].pk]))
    assert q.questions.count() == 4


def test_it_refuses_a_second_answer_from_the_same_browser(client, org):
    q, made = build(client, org)
    client.post(public_url(q), answers(made, token="first"))
    assert "已经提交过" in client.get(public_url(q)).content.decode()
    r = client.post(public_url(q), answers(made, token="second"))
    assert "已经提交过" in r.content.decode()
    assert q.responses.count() == 1


def test_it_refuses_a_second_answer_from_the_same_phone(client, org):
    q, made = build(client, org, ask_phone=True)
    r = Client().post(public_url(q), answers(made, token="x"))
    assert "请填写手机号码。" in r.content.decode()
    assert Client().post(public_url(q), answers(made, token="a", phone="138 1234 5678")).status_code == 302
    r = Client().post(public_url(q), answers(made, token="b", phone="13812345678"))
    assert "该手机号已经提交过本问卷" in r.content.decode()
    assert q.responses.count() == 1
    stored = q.responses.get()
    assert stored.phone_hash and "13812345678" not in stored.phone_hash
    assert Client().post(public_url(q), answers(made, token="c", phone="13900001111")).status_code == 302


def test_it_creates_one_response_on_a_double_click(org, client):
    q, made = build(client, org)
    browser = Client()
    data = answers(made, token="same")
    assert browser.post(public_url(q), data).status_code == 302
    # the second click left before the first answer's cookie arrived
    assert Client().post(public_url(q), data).status_code == 302
    assert q.responses.count() == 1


def test_it_refuses_closed_and_out_of_date_questionnaires(client, org, travel):
    q, made = build(client, org)
    client.force_login(org.head)
    client.post(reverse("surveys:status", args=[q.pk]), {"status": "closed"})
    client.logout()
    assert "该问卷已关闭" in client.get(public_url(q)).content.decode()
    client.post(public_url(q), answers(made))
    assert q.responses.count() == 0

    q.status = Status.OPEN
    q.save()
    travel.move_to("2026-04-01 09:00 +0800")
    r = Client().post(public_url(q), answers(made))
    assert "该问卷已于 2026-03-31 18:00 截止" in r.content.decode()
    travel.move_to("2026-02-01 09:00 +0800")
    assert "该问卷将于 2026-03-01 08:00 开始填写" in Client().get(public_url(q)).content.decode()
    assert q.responses.count() == 0


def test_it_hides_a_conditional_question_and_discards_its_answer(client, org):
    q, made = build(client, org)
    # 不了解: the channel question (required) is hidden, so it is not required and its answer is dropped
    r = Client().post(public_url(q), answers(made, **{f"q{made[0].pk}": "不了解"}))
    assert r.status_code == 302
    response = q.responses.get()
    assert not response.answers.filter(question=made[1]).exists()
    assert response.answers.count() == 3

    # shown, it is required
    data = answers(made, token="t2")
    del data[f"q{made[1].pk}"]
    r = Client().post(public_url(q), data)
    assert "此题为必答题。" in r.content.decode()


def test_it_validates_answers_in_chinese(client, org):
    q, made = build(client, org)
    data = answers(
        made,
        **{
            f"q{made[1].pk}": ["宣讲会", "广播", "微信群"],
            f"q{made[2].pk}": "9",
            f"q{made[3].pk}": "长" * 2001,
        },
    )
    del data[f"q{made[0].pk}"]
    page = Client().post(public_url(q), data).content.decode()
    assert "此题为必答题。" in page
    assert "评分须为 1 到 5 之间的整数。" in page
    assert "回答不能超过 2000 字" in page
    assert q.responses.count() == 0

    data = answers(made, **{f"q{made[1].pk}": ["宣讲会", "广播", "微信群"]})
    assert "此题最多可选 2 项。" in Client().post(public_url(q), data).content.decode()


def test_it_lets_staff_enter_paper_answers(client, org):
    q, made = build(client, org)
    client.force_login(org.village_handler)  # 城东村 lies below the owner unit 城关镇: no access
    assert client.get(reverse("surveys:paper", args=[q.pk])).status_code == 404
    client.force_login(org.handler)
    r = client.post(reverse("surveys:paper", args=[q.pk]), answers(made, token="p1"))
    assert r.status_code == 302
    response = q.responses.get()
    assert response.on_paper
    assert response.entered_by == org.handler
    page = client.get(reverse("surveys:results", args=[q.pk])).content.decode()
    assert "纸质问卷代录 1 份" in page
    ws = load_workbook(io.BytesIO(client.get(reverse("surveys:export", args=[q.pk])).content)).active
    assert ws.cell(row=2, column=3).value == "纸质问卷代录"


def test_it_hides_questionnaires_from_outsiders(client, org):
    q, made = build(client, org)
    client.force_login(org.outsider)
    assert "养老补贴政策满意度调查" not in client.get(reverse("surveys:list")).content.decode()
    for name in ("detail", "results", "export", "print", "paper"):
        assert client.get(reverse(f"surveys:{name}", args=[q.pk])).status_code == 404
    client.force_login(org.hekou_handler)
    assert client.get(reverse("surveys:detail", args=[q.pk])).status_code == 404
    client.force_login(org.leader)  # the county above sees it
    assert client.get(reverse("surveys:results", args=[q.pk])).status_code == 200


def test_it_lets_only_heads_leaders_and_supervisors_build(client, org):
    client.force_login(org.handler)
    r = client.post(reverse("surveys:new"), {"title": "x"}, follow=True)
    assert "您没有创建问卷的权限" in r.content.decode()
    q, made = build(client, org)
    client.force_login(org.handler)
    assert client.post(reverse("surveys:status", args=[q.pk]), {"status": "closed"}).status_code == 403
    q.refresh_from_db()
    assert q.status == Status.OPEN


def test_it_prints_the_public_link_with_a_qr_code(client, org):
    q, made = build(client, org, open_it=False)
    assert Client().get(public_url(q)).status_code == 404  # a draft is not public
    client.force_login(org.head)
    page = client.get(reverse("surveys:print", args=[q.pk])).content.decode()
    assert "<svg" in page
    assert f"http://testserver/p/s/{q.public_key}" in page
