"""The demo commitments: about 60 over the demo tree, every status, timelines and followers,
some resting on ledger problems or on-site tasks whose events they mirror."""

import random
from datetime import date

import time_machine
from django.test import Client
from django.urls import reverse

from grassroots.commitments.models import Commitment, Follower, UpdateKind
from grassroots.demo import commitments as demo
from grassroots.demo import onsite as onsite_demo
from grassroots.demo import orgtree
from grassroots.demo.taxonomy import default_paths, load_paths
from grassroots.ledger import actions as ledger_actions
from grassroots.ledger.models import Domain, Source
from grassroots.ledger.tests.helpers import png
from grassroots.lib import crypto
from grassroots.notify.models import Notification
from grassroots.onsite.models import Task, TaskStatus

TODAY = date(2026, 6, 15)


def _problems(org):
    """Three ledger problems made in January: one accepted, one going on, one past its deadline."""
    village, township, _county = org.villages[0]
    head, handler = org.heads[township.pk], org.handlers[township.pk]
    problems = []
    with time_machine.travel("2026-01-05 09:00 +0800", tick=False) as t:
        for i, deadline in enumerate((date(2026, 3, 31), date(2026, 9, 30), date(2026, 5, 31))):
            problems.append(
                ledger_actions.create(
                    actor=head,
                    source=Source.SELF_CHECK,
                    domain=Domain.TRANSPORT,
                    place=village,
                    description=f"{village.name}第{i + 1}组道路破损",
                    measures=f"修复{village.name}第{i + 1}组道路",
                    responsible_unit=township,
                    deadline=deadline,
                )
            )
        t.move_to("2026-02-10 10:00 +0800")
        problems = [
            ledger_actions.update_progress(p, handler, progress=50, note="施工过半") for p in problems
        ]
        t.move_to("2026-03-10 10:00 +0800")
        problems[0] = ledger_actions.mark_done(
            problems[0], handler, note="完成", evidence=[(png(), "image/png")]
        )
        leader = org.leaders[township.parent_id]
        problems[0] = ledger_actions.accept(problems[0], leader)
    return problems


def test_it_seeds_sixty_commitments_in_every_status_with_timelines_and_followers(db):
    org = orgtree.build(random.Random(1), load_paths(default_paths())[0])
    problems = _problems(org)
    with time_machine.travel("2026-06-15 10:00 +0800", tick=False):
        counts = demo.seed(org, random.Random(2), TODAY, problems=problems)

        assert Commitment.objects.count() == sum(counts.values()) == 60
        assert set(counts) == {"草稿", "进行中", "已兑现", "逾期未兑现"}
        published = Commitment.objects.published()
        assert all(c.updates.filter(kind=UpdateKind.PUBLISH).count() == 1 for c in published)
        assert not Commitment.objects.drafts().filter(updates__isnull=False).exists()
        assert published.filter(updates__kind=UpdateKind.PROGRESS).distinct().count() > 20
        assert any(c.fulfilled_late for c in published.fulfilled())
        for c in published.missed():
            assert c.updates.filter(kind=UpdateKind.MISSED).count() == 1
            assert c.missed_at is not None and c.missed_at.date() > c.due_date
        assert not published.filter(fulfilled_at__isnull=True, progress=100).exists()

        accepted, going, late = (Commitment.objects.get(problem=p) for p in problems)
        assert accepted.status == "fulfilled" and accepted.updates.last().note == "整改已通过验收，承诺兑现。"
        assert going.status == "in_progress" and going.progress == 50
        assert late.status == "missed"

        follower = Follower.objects.first()
        assert Follower.objects.count() >= 5
        assert follower.phone.startswith("1") and follower.phone not in follower.phone_encrypted
        assert crypto.decrypt(follower.phone_encrypted) == follower.phone
        assert not Notification.objects.exists()  # the demo texts nobody

        village = accepted.place
        page = Client().get(reverse("commitments_public:place", args=[village.pk])).content.decode()
        assert accepted.content in page


def test_a_few_demo_commitments_rest_on_onsite_tasks_and_mirror_their_updates(db):
    org = orgtree.build(random.Random(1), load_paths(default_paths())[0])
    with time_machine.travel("2026-06-15 10:00 +0800", tick=False):
        onsite_demo.seed(org, random.Random(3), TODAY)
        tasks = Task.objects.select_related("session__owner", "session__activity", "responsible_unit")
        counts = demo.seed(org, random.Random(2), TODAY, tasks=tasks.order_by("pk"))

        assert Commitment.objects.count() == sum(counts.values()) == 60
        on_tasks = Commitment.objects.filter(task__isnull=False).select_related("task__session__owner")
        assert on_tasks.count() == demo.MAX_FROM_TASKS
        for c in on_tasks:
            task = c.task
            assert (c.published, c.due_date, c.responsible_unit) == (
                True,
                task.deadline,
                task.responsible_unit,
            )
            assert task.session.owner.display_name in c.responsible_person
            assert (c.fulfilled_at is not None) == (task.status == TaskStatus.ACCEPTED)
            mirrored = c.updates.exclude(source_ref="").order_by("at", "pk")
            after = task.updates.filter(
                at__gt=c.published_at, kind__in=["progress", "submit", "accept", "return"]
            )
            assert [u.source_ref for u in mirrored] == [
                f"onsite-update:{u.pk}" for u in after.order_by("at", "pk")
            ]
        assert on_tasks.filter(updates__note="办理结果已通过验收，承诺兑现。").exists()
        assert not Notification.objects.exists()
