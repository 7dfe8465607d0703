import pytest
from django.test import Client
from django.urls import reverse

from .helpers import answers, build, public_url

pytestmark = pytest.mark.usefixtures("travel")  # Monday 2026-03-02 10:00


def move(client, q, question, direction):
    return client.post(
        reverse("surveys:question_move", args=[q.pk, question.pk]), {"direction": direction}, follow=True
    )


def order(q):
    return list(q.questions.values_list("text", flat=True))


def test_it_moves_a_question_up_and_down_before_any_answer(client, org):
    q, made = build(client, org, open_it=False)
    client.force_login(org.head)
    page = client.get(reverse("surveys:detail", args=[q.pk])).content.decode()
    assert "上移" in page and "下移" in page

    assert "题目顺序已调整" in move(client, q, made[3], "up").content.decode()
    assert order(q) == [made[0].text, made[1].text, made[3].text, made[2].text]
    move(client, q, made[3], "down")
    assert order(q) == [m.text for m in made]

    move(client, q, made[2], "down")
    page = client.get(reverse("surveys:detail", args=[q.pk])).content.decode()
    assert page.index(made[3].text) < page.index(made[2].text)


def test_it_keeps_a_conditional_question_after_the_one_it_depends_on(client, org):
    q, made = build(client, org, open_it=False)  # made[1] is shown only when made[0] is 了解
    client.force_login(org.head)
    page = move(client, q, made[1], "up").content.decode()
    assert "以“您是否了解新出台的养老补贴政策？”为显示条件，须排在它之后" in page
    page = move(client, q, made[0], "down").content.decode()
    assert "须排在它之后" in page
    assert order(q) == [m.text for m in made]

    move(client, q, made[2], "up")  # an unrelated question may pass the conditional one
    assert order(q) == [made[0].text, made[2].text, made[1].text, made[3].text]


def test_it_refuses_moving_past_the_ends(client, org):
    q, made = build(client, org, open_it=False)
    client.force_login(org.head)
    assert "已是第一题" in move(client, q, made[0], "up").content.decode()
    assert "已是最后一题" in move(client, q, made[3], "down").content.decode()
    assert "无效的操作" in move(client, q, made[1], "sideways").content.decode()
    assert order(q) == [m.text for m in made]


def test_it_refuses_reordering_once_answers_exist(client, org):
    q, made = build(client, org)
    Client().post(public_url(q), answers(made))
    client.force_login(org.head)
    page = move(client, q, made[3], "up").content.decode()
    assert "题目已锁定，不能再修改、增加、删除题目或调整顺序" in page
    assert order(q) == [m.text for m in made]
    detail = client.get(reverse("surveys:detail", args=[q.pk])).content.decode()
    assert "上移" not in detail


def test_it_lets_only_managers_reorder(client, org):
    q, made = build(client, org, open_it=False)
    client.force_login(org.handler)  # sees the questionnaire, does not manage it
    response = client.post(reverse("surveys:question_move", args=[q.pk, made[3].pk]), {"direction": "up"})
    assert response.status_code == 403
    client.force_login(org.outsider)
    response = client.post(reverse("surveys:question_move", args=[q.pk, made[3].pk]), {"direction": "up"})
    assert response.status_code == 404
    assert order(q) == [m.text for m in made]
