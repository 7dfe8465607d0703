import pytest
from django.urls import reverse

from grassroots.ledger.models import EventKind, Evidence, Problem
from grassroots.ledger.tests.helpers import make_problem, png

pytestmark = pytest.mark.usefixtures("travel")  # Monday 2026-03-02


def test_it_hides_another_townships_ledger(client, org):
    ours = make_problem(org, description="城关镇的问题")
    theirs = make_problem(org, unit=org.hekou, actor=org.leader, description="河口镇的问题")

    for user in (org.head, org.handler):
        client.force_login(user)
        page = client.get(reverse("ledger:list")).content.decode()
        assert "城关镇的问题" in page
        assert "河口镇的问题" not in page
        assert client.get(reverse("ledger:detail", args=[theirs.pk])).status_code == 404
        assert client.get(reverse("ledger:detail", args=[ours.pk])).status_code == 200

    client.force_login(org.hekou_handler)
    assert client.get(reverse("ledger:detail", args=[ours.pk])).status_code == 404
    client.force_login(org.outsider)
    assert "城关镇的问题" not in client.get(reverse("ledger:list")).content.decode()


def test_it_shows_every_township_to_the_county_above_them(client, org):
    make_problem(org, description="城关镇的问题")
    make_problem(org, unit=org.hekou, actor=org.leader, description="河口镇的问题")
    client.force_login(org.leader)
    page = client.get(reverse("ledger:list")).content.decode()
    assert "城关镇的问题" in page
    assert "河口镇的问题" in page


def _form(org, **kw):
    data = {
        "source": "research",
        "domain": "elderly",
        "place": org.chengdong.pk,
        "address": "城东村三组",
        "description": "村里老人助餐点不足",
        "measures": "新建一处老年食堂",
        "responsible_unit": org.chengguan.pk,
        "responsible_leader": org.head.pk,
        "deadline": "2026-06-30",
        "progress": "10",
        "submission_token": "a" * 32,
    }
    data.update(kw)
    return data


def test_it_puts_a_problem_on_the_ledger_once_with_its_evidence(client, org):
    client.force_login(org.head)
    data = _form(org, evidence=png())
    response = client.post(reverse("ledger:new"), data)
    problem = Problem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("ledger:detail", args=[problem.pk])
    assert problem.responsible_unit == org.chengguan
    assert problem.progress == 10
    assert problem.events.get().kind == EventKind.CREATE
    assert Evidence.objects.get().original_name == "现场照片.png"

    again = client.post(reverse("ledger:new"), _form(org), follow=True)  # a double click
    assert Problem.objects.count() == 1
    assert "未重复创建" in again.content.decode()


def test_it_refuses_a_problem_for_a_unit_outside_the_users_scope(client, org):
    client.force_login(org.head)
    response = client.post(reverse("ledger:new"), _form(org, responsible_unit=org.hekou.pk))
    assert response.status_code == 400
    assert not Problem.objects.exists()


def test_it_refuses_an_evidence_file_that_is_not_an_image_or_pdf(client, org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(org.head)
    bad = SimpleUploadedFile("报告.png", b"MZ not a picture", content_type="image/png")
    response = client.post(reverse("ledger:new"), _form(org, evidence=bad))
    assert response.status_code == 400
    assert "不是允许的类型" in response.content.decode()
    assert not Problem.objects.exists()


def test_it_lets_only_heads_leaders_and_supervisors_create(client, org):
    client.force_login(org.handler)
    assert client.get(reverse("ledger:new")).status_code == 403
    assert client.post(reverse("ledger:new"), _form(org)).status_code == 403
    assert not Problem.objects.exists()
    client.force_login(org.supervisor)
    assert client.get(reverse("ledger:new")).status_code == 200


def test_it_edits_a_problem_and_records_what_changed(client, org):
    problem = make_problem(org)
    client.force_login(org.head)
    data = _form(org, deadline="2026-04-30", version=problem.version)
    response = client.post(reverse("ledger:edit", args=[problem.pk]), data)
    assert response.status_code == 302
    problem.refresh_from_db()
    assert str(problem.deadline) == "2026-04-30"
    event = problem.events.last()
    assert event.kind == EventKind.EDIT
    assert "整改时限" in event.note

    client.force_login(org.handler)  # a handler reports progress but does not rewrite the problem
    assert client.get(reverse("ledger:edit", args=[problem.pk])).status_code == 403
