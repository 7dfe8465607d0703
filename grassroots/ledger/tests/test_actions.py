from datetime import date

import pytest
import time_machine
from django.urls import reverse

from grassroots.ledger.models import EventKind, Problem, Status
from grassroots.ledger.tests.helpers import make_problem, png

pytestmark = pytest.mark.usefixtures("travel")  # Monday 2026-03-02


def act(client, user, problem, action, **data):
    client.force_login(user)
    data.setdefault("version", Problem.objects.get(pk=problem.pk).version)
    return client.post(reverse("ledger:act", args=[problem.pk, action]), data)


def done(client, org, problem):
    return act(client, org.handler, problem, "done", note="已清淤，盖板已装", evidence=png())


def test_it_records_progress_with_a_note_and_evidence(client, org):
    problem = make_problem(org)
    response = act(client, org.handler, problem, "progress", progress=40, note="清淤完成一半", evidence=png())
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.progress == 40
    event = problem.events.last()
    assert (event.kind, event.progress, event.note) == (EventKind.PROGRESS, 40, "清淤完成一半")
    assert event.evidence.count() == 1
    page = client.get(reverse("ledger:detail", args=[problem.pk])).content.decode()
    assert "清淤完成一半" in page


def test_it_refuses_progress_over_100(client, org):
    problem = make_problem(org)
    response = act(client, org.handler, problem, "progress", progress=120, note="超额完成")
    assert response.status_code == 400
    problem.refresh_from_db()
    assert problem.progress == 0
    assert problem.events.count() == 1


def test_it_asks_for_evidence_before_acceptance(client, org):
    problem = make_problem(org)
    response = act(client, org.handler, problem, "done", note="已完成")
    assert response.status_code == 400
    assert "佐证材料" in response.content.decode()
    assert Problem.objects.get(pk=problem.pk).status == Status.IN_PROGRESS

    assert done(client, org, problem).status_code == 302
    problem.refresh_from_db()
    assert (problem.status, problem.progress) == (Status.DONE, 100)


def test_it_never_lets_the_responsible_unit_accept_or_close_its_own_problem(client, org):
    problem = make_problem(org)
    done(client, org, problem)
    assert act(client, org.head, problem, "accept", comment="自己验收").status_code == 403
    page = client.get(reverse("ledger:detail", args=[problem.pk])).content.decode()
    assert "验收通过" not in page
    client.force_login(org.leader)
    assert "验收通过" in client.get(reverse("ledger:detail", args=[problem.pk])).content.decode()

    act(client, org.leader, problem, "accept", comment="现场查看，已整改到位")
    assert act(client, org.head, problem, "close", comment="自己销号").status_code == 403
    assert Problem.objects.get(pk=problem.pk).status == Status.ACCEPTED


def test_it_accepts_and_closes_out_from_the_unit_above(client, org):
    problem = make_problem(org)
    done(client, org, problem)
    assert act(client, org.leader, problem, "accept", comment="现场查看，已整改到位").status_code == 302
    assert act(client, org.supervisor, problem, "close", comment="同意销号").status_code == 302
    problem.refresh_from_db()
    assert problem.status == Status.CLOSED
    assert (problem.accepted_by, problem.acceptance_comment) == (org.leader, "现场查看，已整改到位")
    assert (problem.closed_by, problem.close_comment) == (org.supervisor, "同意销号")
    assert problem.closed_at is not None
    kinds = list(problem.events.values_list("kind", flat=True))
    assert kinds == [EventKind.CREATE, EventKind.DONE, EventKind.ACCEPT, EventKind.CLOSE]


def test_it_returns_a_problem_for_rework_with_a_reason(client, org):
    problem = make_problem(org)
    done(client, org, problem)
    assert act(client, org.supervisor, problem, "return", comment="").status_code == 400
    assert act(client, org.supervisor, problem, "return", comment="盖板未固定").status_code == 302
    problem.refresh_from_db()
    assert problem.status == Status.IN_PROGRESS
    assert problem.events.last().note == "盖板未固定"


def test_it_refuses_close_out_before_acceptance(client, org):
    problem = make_problem(org)
    done(client, org, problem)
    response = act(client, org.leader, problem, "close", comment="直接销号")
    assert response.status_code == 400
    assert "不能执行此操作" in response.content.decode()
    assert Problem.objects.get(pk=problem.pk).status == Status.DONE


def test_it_refuses_a_stale_form(client, org):
    problem = make_problem(org)
    stale = problem.version
    act(client, org.handler, problem, "progress", progress=30, note="第一次")
    response = act(client, org.head, problem, "progress", progress=50, note="第二次", version=stale)
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.progress == 30
    page = client.get(response["Location"]).content.decode()
    assert "已被他人更新" in page


def test_it_marks_problems_past_their_deadline_overdue(client, org):
    make_problem(org, description="按期的问题")
    make_problem(org, description="过期的问题", deadline=date(2026, 3, 1))
    client.force_login(org.head)
    page = client.get(reverse("ledger:list"), {"overdue": "1"}).content.decode()
    assert "过期的问题" in page
    assert "按期的问题" not in page
    with time_machine.travel("2026-04-02 10:00 +0800", tick=False):
        client.force_login(org.head)  # the session of a month ago has expired
        page = client.get(reverse("ledger:list"), {"status": "overdue"}).content.decode()
    assert "按期的问题" in page


def test_it_lets_the_root_units_own_leader_or_an_admin_sign_off_its_problems(client, org):
    from grassroots.accounts.models import Membership, Role, User

    mayor = User.objects.create_user("mayor", password="pw-12345678", display_name="市长马")
    Membership.objects.create(user=mayor, unit=org.city, role=Role.LEADER)
    city_supervisor = User.objects.create_user("cs", password="pw-12345678", display_name="市督办员")
    Membership.objects.create(user=city_supervisor, unit=org.city, role=Role.SUPERVISOR)
    problem = make_problem(org, unit=org.city, actor=mayor, description="全市养老助餐点布局不均")
    assert act(client, mayor, problem, "done", note="新增助餐点12处", evidence=png()).status_code == 302

    assert act(client, city_supervisor, problem, "accept").status_code == 403  # keeps it, may not sign
    assert act(client, org.leader, problem, "accept").status_code == 404  # below the city: cannot see it
    assert act(client, org.admin, problem, "accept", comment="抽查属实").status_code == 302
    assert act(client, mayor, problem, "close", comment="同意销号").status_code == 302
    problem.refresh_from_db()
    assert problem.status == Status.CLOSED
    assert (problem.accepted_by, problem.closed_by) == (org.admin, mayor)


def test_it_offers_sign_off_of_a_root_problem_on_its_page(client, org):
    from grassroots.accounts.models import Membership, Role, User

    mayor = User.objects.create_user("mayor", password="pw-12345678", display_name="市长马")
    Membership.objects.create(user=mayor, unit=org.city, role=Role.LEADER)
    problem = make_problem(org, unit=org.city, actor=mayor, description="全市养老助餐点布局不均")
    act(client, mayor, problem, "done", note="新增助餐点12处", evidence=png())
    client.force_login(org.admin)
    page = client.get(reverse("ledger:detail", args=[problem.pk])).content.decode()
    assert "验收通过" in page and "退回整改" in page
