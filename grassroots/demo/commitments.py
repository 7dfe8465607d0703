"""Demo public commitments: about 60 over the demo tree, in every status (草稿, 进行中, 已兑现 on time
and late, 逾期未兑现), each with the public timeline its actions would have written and a few
followers. Some rest on ledger problems and on-site office tasks when the caller passes them
(so the on-site demo runs first); the rest stand alone.

`seed(org, rng, today, problems=(), tasks=())` writes rows with past timestamps (the actions
stamp the present and would text residents); nothing is sent. A commitment on a problem or a
task mirrors the source's events through the same adapter the live hook uses.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from grassroots.commitments.access import served_area
from grassroots.commitments.actions import new_unfollow_code
from grassroots.commitments.models import (
    DRAFT,
    Commitment,
    CommitmentUpdate,
    Follower,
    Status,
    UpdateKind,
    phone_digest,
)
from grassroots.commitments.sources import ProblemSource, TaskSource
from grassroots.lib import crypto

from . import orgtree
from .texts import mobile

COUNT = 60
MAX_FROM_PROBLEMS = 15
MAX_FROM_TASKS = 8
# share of the standalone commitments in each planned state
STATE_SHARES = [
    (DRAFT, 0.1),
    (Status.IN_PROGRESS, 0.4),
    (Status.FULFILLED, 0.3),
    ("late", 0.05),
    (Status.MISSED, 0.15),
]

# (promise, where: "village" / "township" / "county", county department key or None for the township)
PROMISES = [
    ("更换{place}主干道损坏路灯{n}盏，保障群众夜间出行", "village", None),
    ("疏通{place}排水沟渠，解决雨天道路积水问题", "village", None),
    ("在{place}新建一处老年助餐点，为辖区老人提供午餐", "village", None),
    ("硬化{place}通组道路{n}公里", "village", None),
    ("整治{place}垃圾乱堆乱放，增设分类垃圾桶{n}组", "village", None),
    ("完成{place}饮用水管网改造，保障稳定供水", "village", None),
    ("在{place}建成便民快递收发点", "village", None),
    ("修缮{place}卫生室，配齐常用药品", "village", None),
    ("{place}农贸市场提升改造，规范占道经营", "township", None),
    ("在{place}中心小学开设课后托管服务", "township", None),
    ("为{place}新增公交站点{n}处", "township", "jiaotong"),
    ("{place}卫生院开设夜间门诊", "township", "weijian"),
    ("{place}老旧小区加装电梯{n}部", "county", "zhujian"),
    ("新增{place}公办幼儿园学位{n}个", "county", "jiaoyu"),
    ("建成{place}零工市场，免费发布用工信息", "county", "renshe"),
    ("{place}政务服务中心开设“一窗通办”窗口", "county", "zhengwu"),
]
PROGRESS_NOTES = [
    "已征求群众意见，实施方案定稿。",
    "已完成招标，确定施工单位。",
    "所需材料已采购到位。",
    "施工队已进场，正在施工。",
    "主体工程已完成过半。",
    "正在进行设备安装调试。",
]
FULFILLED_NOTE = "已全部完成，经群众代表现场查看确认。"


def seed(org: orgtree.Org, rng: random.Random, today: date, problems=(), tasks=()) -> Counter:
    """Write the demo commitments; returns how many there are of each status label."""
    titles = {user.pk: title for user, _role, _unit, title in org.users}
    written = [_from_problem(org, p, rng, today, titles) for p in list(problems)[:MAX_FROM_PROBLEMS]]
    tasks = list(tasks)
    chosen = rng.sample(tasks, min(MAX_FROM_TASKS, len(tasks)))
    written += [_from_task(org, t, rng, today, titles) for t in sorted(chosen, key=lambda t: t.pk)]
    written = [c for c in written if c is not None]
    states = _plan(COUNT - len(written), rng)
    written += [_standalone(org, state, rng, today, titles) for state in states]
    return Counter("草稿" if not c.published else c.status_label for c in written)


def _plan(count, rng) -> list[str]:
    states = [state for state, share in STATE_SHARES for _ in range(max(1, round(count * share)))]
    rng.shuffle(states)
    return (states + [Status.IN_PROGRESS] * count)[:count]


def _at(day, rng, lo=8, hi=18) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(rng.randrange(lo, hi), rng.randrange(60))))


def _person(org, unit, titles) -> str:
    head = org.heads.get(unit.pk) or org.leaders.get(unit.pk)
    if head is None:
        return f"{unit.name}负责人"
    return f"{unit.name}{titles.get(head.pk) or '负责人'} {head.display_name}"


def _where(org, rng, level, department):
    """(responsible unit, place) for a promise made at that level."""
    village, township, county = rng.choice(org.villages)
    place = {"village": village, "township": township, "county": county.unit}[level]
    unit = county.departments[department] if department else township
    return unit, place


def _follow(commitment, rng, since, today):
    for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
        phone = mobile(rng)
        Follower.objects.get_or_create(
            commitment=commitment,
            phone_digest=phone_digest(phone),
            defaults={
                "phone_encrypted": crypto.encrypt(phone),
                "unfollow_code": new_unfollow_code(),
                "created_at": _at(since + timedelta(days=rng.randrange(max(1, (today - since).days))), rng),
            },
        )


def _update(commitment, kind, at, progress, note, author=None, ref=""):
    return CommitmentUpdate.objects.create(
        commitment=commitment, kind=kind, at=at, progress=progress, note=note, author=author, source_ref=ref
    )


def _missed_moment(due) -> datetime:
    """When the daily check_commitments run finds a commitment due on `due` missed."""
    return timezone.make_aware(datetime.combine(due + timedelta(days=1), time(8, 30)))


def _missed(commitment, due, progress) -> datetime:
    at = _missed_moment(due)
    _update(
        commitment, UpdateKind.MISSED, at, progress, f"已超过承诺时限（{due:%Y年%m月%d日}），承诺尚未兑现。"
    )
    return at


def _standalone(org, state, rng, today, titles) -> Commitment:
    template, level, department = rng.choice(PROMISES)
    unit, place = _where(org, rng, level, department)
    author = org.heads.get(unit.pk)
    published = today - timedelta(days=rng.randrange(20, 150))
    if state == DRAFT:
        due = today + timedelta(days=rng.randrange(20, 120))
    elif state == Status.IN_PROGRESS:
        due = today + timedelta(days=rng.randrange(3, 150))
    elif state == Status.MISSED:
        due = today - timedelta(days=rng.randrange(1, 40))
        published = min(published, due - timedelta(days=15))
    elif state == Status.FULFILLED:
        due = today + timedelta(days=rng.randrange(-40, 60))
        published = min(published, due - timedelta(days=20), today - timedelta(days=15))
    else:  # fulfilled some days after the due date
        due = today - timedelta(days=rng.randrange(25, 60))
        published = min(published, due - timedelta(days=20))
    commitment = Commitment.objects.create(
        content=template.format(place=place.name, n=rng.randrange(2, 12)),
        due_date=due,
        responsible_unit=unit,
        responsible_person=_person(org, unit, titles),
        place=place,
        created_by=author,
        created_at=_at(published - timedelta(days=rng.randrange(1, 6)), rng),
    )
    if state == DRAFT:
        return commitment
    start = _at(published, rng)
    _update(commitment, UpdateKind.PUBLISH, start, 0, f"作出公开承诺，{due:%Y年%m月%d日}前兑现。", author)
    end = {
        Status.IN_PROGRESS: today,
        Status.MISSED: today,
        Status.FULFILLED: min(due, today),
        "late": due + timedelta(days=rng.randrange(3, 20)),
    }[state]
    # a missed promise stalled: its reported progress stops before the due date
    span = max(2, (min(end, due) - published).days)
    progress = 0
    steps = min(span - 1, rng.randrange(1, 5))
    notes = sorted(rng.sample(range(len(PROGRESS_NOTES)), steps))  # the work's stages, in order
    for step_day, note in zip(sorted(rng.sample(range(1, span), steps)), notes, strict=True):
        progress = min(95, progress + rng.randrange(10, 35))
        at = _at(published + timedelta(days=step_day), rng)
        _update(commitment, UpdateKind.PROGRESS, at, progress, PROGRESS_NOTES[note], author)
    fields = {"published": True, "published_at": start, "published_by": author, "progress": progress}
    if state in (Status.FULFILLED, "late"):
        fields.update(progress=100, fulfilled_at=_at(end, rng))
        _update(commitment, UpdateKind.FULFILLED, fields["fulfilled_at"], 100, FULFILLED_NOTE, author)
    if state in (Status.MISSED, "late"):
        fields["missed_at"] = _missed(commitment, due, progress)
    Commitment.objects.filter(pk=commitment.pk).update(**fields)
    commitment.refresh_from_db()
    if commitment.fulfilled_at is None:
        _follow(commitment, rng, published, today)
    return commitment


def _from_problem(org, problem, rng, today, titles) -> Commitment | None:
    """A published commitment on a ledger problem, its timeline mirrored from the problem's events."""
    unit = problem.responsible_unit
    area = served_area(unit)
    return _mirrored(
        org,
        ProblemSource(problem),
        problem.events.all(),
        rng,
        today,
        created=timezone.localdate(problem.created_at),
        content=problem.measures or problem.description,
        place=problem.place if problem.place and area.contains(problem.place) else area,
        person=_person(org, unit, titles),
        creator=problem.created_by,
    )


def _from_task(org, task, rng, today, titles) -> Commitment | None:
    """A published commitment on an on-site task, answered for by the session's owner, its timeline
    mirrored from the task's updates."""
    defaults = TaskSource(task).draft_defaults()
    owner, host = task.session.owner, task.session.activity.unit
    return _mirrored(
        org,
        TaskSource(task),
        task.updates.all(),
        rng,
        today,
        created=timezone.localdate(task.created_at),
        content=defaults["content"],
        place=defaults["place"],
        person=f"{host.name}{titles.get(owner.pk) or '负责人'} {owner.display_name}",
        creator=owner,
    )


def _mirrored(org, source, events, rng, today, *, created, content, place, person, creator):
    """A commitment published a few days after its source began; the source's events after that
    become its public entries through the adapter the live hook uses. None when the source began
    today or its deadline came before it began."""
    obj = source.obj
    deadline, unit = obj.deadline, obj.responsible_unit
    if deadline < created or created >= today:
        return None
    published = _at(min(created + timedelta(days=rng.randrange(1, 6)), today), rng)
    author = org.heads.get(unit.pk) or creator
    commitment = Commitment.objects.create(
        content=content[:500],
        due_date=deadline,
        responsible_unit=unit,
        responsible_person=person,
        place=place,
        created_by=creator,
        created_at=published - timedelta(hours=2),
        **{source.field: obj},
    )
    # published with the source's progress at that moment, as actions.publish does
    before = [source.entry_for(e) for e in events.filter(at__lte=published).order_by("at", "pk")]
    progress = next((e.progress for e in reversed(before) if e is not None), 0)
    start, progress_by_time = progress, []
    fields = {"published": True, "published_at": published, "published_by": author}
    note = f"作出公开承诺，{deadline:%Y年%m月%d日}前兑现。"
    _update(commitment, UpdateKind.PUBLISH, published, progress, note, author)
    for event in events.filter(at__gt=published).order_by("at", "pk"):
        entry = source.entry_for(event)
        if entry is None:
            continue
        progress = entry.progress
        progress_by_time.append((event.at, progress))
        kind = UpdateKind.PROGRESS
        if entry.fulfils:
            kind, fields["fulfilled_at"] = UpdateKind.FULFILLED, event.at
        _update(commitment, kind, event.at, progress, entry.note, ref=entry.ref)
    if "fulfilled_at" not in fields and source.is_done():  # accepted before it was published
        fields["fulfilled_at"] = published
    fields["progress"] = 100 if "fulfilled_at" in fields else progress
    due_passed = deadline < today
    fulfilled_late = "fulfilled_at" in fields and timezone.localdate(fields["fulfilled_at"]) > deadline
    if due_passed and ("fulfilled_at" not in fields or fulfilled_late):
        missed_at = _missed_moment(deadline)
        then = [p for at, p in progress_by_time if at <= missed_at]
        fields["missed_at"] = _missed(commitment, deadline, then[-1] if then else start)
    Commitment.objects.filter(pk=commitment.pk).update(**fields)
    commitment.refresh_from_db()
    if commitment.fulfilled_at is None:
        _follow(commitment, rng, created, today)
    return commitment
