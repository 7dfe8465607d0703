"""A year of demo on-site sessions (现场办公) in the demo tree, with tasks in every state.

Rows are written directly, dated in the past as the actions would have left them (a task
is submitted with evidence before it is accepted; a returned task's earlier report no
longer counts). Some tasks are accepted on time, some late, some still overdue. The rule
that a session orders only units in its owner's remit holds by construction: a county
leader orders the county's departments and townships, a township head the township and
its villages, the city leader the city's departments and the counties.
"""

import struct
import zlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from grassroots.activities.models import Activity, Kind
from grassroots.lib.workdays import due_date
from grassroots.onsite.models import (
    AgendaItem,
    Attendee,
    Decision,
    OnsiteSession,
    SessionStatus,
    Task,
    TaskEvidence,
    TaskStatus,
    TaskUpdate,
    UpdateKind,
)
from grassroots.workcal.models import load_calendar

from . import texts

SESSIONS = 40
UPCOMING = 3  # sessions still being prepared (筹备)

# (agenda item, decision, who is ordered: department keys, "township" or "village")
PROBLEMS = [
    ("{place}三组排水沟堵塞，雨天积水倒灌入户", "清淤排水沟并加装盖板，汛期前完成", ["zhujian", "township"]),
    ("{place}通村公路塌方路段未修复，群众出行不便", "抢修塌方路段，完工前设置警示标志", ["jiaotong"]),
    ("{place}幼儿园学位不足，适龄儿童入园难", "摸清学位缺口，秋季学期前增设两个班", ["jiaoyu"]),
    (
        "{place}卫生室缺少全科医生，老人看病要跑镇上",
        "安排卫生院医生每周两次驻村坐诊",
        ["weijian", "township"],
    ),
    ("{place}养殖场异味扰民，群众反映强烈", "开展环境监测，督促养殖场完成粪污治理设施改造", ["huanbao"]),
    ("{place}老年人助餐点不足", "利用闲置村部改建老年食堂，年内投入使用", ["minzheng", "township"]),
    ("{place}二十余名务工人员工资被拖欠", "督促施工企业限期足额支付拖欠工资", ["renshe"]),
    ("{place}饮用水水质不稳定，雨后浑浊", "检测供水管网，更换老化管段", ["zhujian"]),
    ("{place}垃圾清运不及时，集中点堆积", "清运频次增至每日一次，增设分类垃圾桶", ["chengguan", "township"]),
    ("{place}村道路灯损坏较多，夜间出行不安全", "排查并更换损坏路灯", ["village"]),
    ("{place}农田灌溉渠道年久失修", "纳入高标准农田建设项目，春耕前完成修复", ["nongye"]),
    ("{place}集贸市场占道经营，交通拥堵", "规划临时摊位区，早晚高峰安排人员疏导", ["shichang", "township"]),
    ("{place}群众反映医保报销手续繁琐", "在便民服务中心设立医保帮办窗口", ["yibao"]),
    ("{place}宅基地审批进度慢，积压件多", "集中办理积压的宅基地审批件", ["ziran", "township"]),
    ("{place}危房改造补助未发放到位", "核实补助名单，一个月内发放到户", ["zhujian"]),
    ("{place}土地流转合同纠纷，村民多次上访", "组织调解，依法理顺流转合同", ["township", "sifa"]),
]
THEMES = ["民生实事", "人居环境整治", "基础设施建设", "乡村振兴", "基层治理", "群众急难愁盼问题"]
WORKING_DAYS = [5, 10, 15, 20, 30]
CALENDAR_DAYS = [14, 30, 45, 60, 90]
PROGRESS_NOTES = [
    "已组织人员现场勘查，制定整改方案。",
    "方案已报批，施工队伍进场。",
    "已完成约一半工程量，正在加紧推进。",
    "主体工作基本完成，正在收尾。",
    "已召开协调会，明确分工和时间节点。",
]
SUBMIT_NOTES = ["已按要求整改完毕，附现场照片。", "任务已完成，群众表示满意，附佐证材料。"]
ACCEPT_NOTES = ["经现场核查，整改到位，同意验收。", "已抽查回访群众，同意验收。", ""]
RETURN_NOTES = ["现场核查发现仍有部分未整改到位，请补齐后再报。", "佐证材料不完整，请补充整改前后对比照片。"]


def tiny_png(rgb=(46, 125, 50), size=16) -> bytes:
    """A small solid-colour PNG, a stand-in for a site photo."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    row = b"\x00" + bytes(rgb) * size
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * size))
        + chunk(b"IEND", b"")
    )


@dataclass
class Host:
    """Who holds sessions where, and which units they may order."""

    owner: object
    unit: object
    places: list  # (place, township or None)
    units: dict  # department key / "township" / "village" -> how to find the unit


def _hosts(org) -> list[tuple[Host, int]]:
    """(host, weight): county leaders most often, township heads, now and then the city's leader."""
    hosts = []
    for county in org.counties:
        leader = org.leaders.get(county.unit.pk)
        places = [(v, t) for v, t, c in org.villages if c is county] or [(t, t) for t in county.townships]
        if leader is not None and places:
            hosts.append((Host(leader, county.unit, places, county.departments), 6))
        for township in county.townships:
            head = org.heads.get(township.pk)
            villages = [(v, t) for v, t, _c in org.villages if t is township]
            if head is not None and villages:
                hosts.append((Host(head, township, villages, {}), 1))
    city_leader = org.leaders.get(org.city.pk)
    if city_leader is not None and org.counties:
        places = [(t, t) for c in org.counties for t in c.townships]
        if places:
            hosts.append((Host(city_leader, org.city, places, org.city_departments), 1))
    return hosts


def _county_of(org, township):
    return next((c.unit for c in org.counties if township in c.townships), None)


def _ordered_units(org, host, keys, place, township) -> list:
    """The units a decision orders, always inside the host's remit."""
    units = []
    for key in keys:
        if host.unit.level == org.city.level and key in ("township", "village"):
            unit = _county_of(org, township)  # the city orders the county, which passes it down
        elif key == "village":
            unit = place
        elif key == "township" or key not in host.units:
            unit = township if host.unit.contains(township) else host.unit
        else:
            unit = host.units[key]
        if unit is not None and host.unit.contains(unit) and unit not in units:
            units.append(unit)
    return units or [host.unit]


class _Writer:
    def __init__(self, org, rng, today):
        self.org, self.rng, self.today = org, rng, today
        self.calendar = load_calendar()
        self.tz = timezone.get_current_timezone()
        self.counts = {"sessions": 0, "tasks": 0}

    def at(self, day, lo=9, hi=17) -> datetime:
        minute = self.rng.randint(lo * 60, hi * 60)
        return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=self.tz)

    def working_day(self, day) -> date:
        while not self.calendar.is_working_day(day):
            day += timedelta(days=1)
        return day

    def day_between(self, first, last):
        if first > last:
            return None
        return first + timedelta(days=self.rng.randint(0, (last - first).days))

    # --- a session -----------------------------------------------------------------------

    def session(self, host, day):
        rng = self.rng
        place, township = rng.choice(host.places)
        title = f"{place.name}{rng.choice(THEMES)}现场办公会"
        held = day <= self.today
        problems = rng.sample(PROBLEMS, k=rng.randint(2, 4))
        activity = Activity.objects.create(
            kind=Kind.ONSITE,
            title=title,
            unit=host.unit,
            place=place,
            address=f"{place.name}便民服务中心会议室",
            date=day,
            duration_minutes=rng.choice([90, 120, 150, 180]),
            created_by=host.owner,
            created_at=self.at(day - timedelta(days=rng.randint(3, 10))),
        )
        officials = {host.owner}
        head = self.org.heads.get(township.pk)
        if head is not None and head != host.owner:
            officials.add(head)
        activity.officials.set(officials)
        session = OnsiteSession.objects.create(
            activity=activity,
            owner=host.owner,
            status=SessionStatus.HELD if held else SessionStatus.PREPARING,
            created_at=activity.created_at,
        )
        decided = []
        for order, (agenda, decision, keys) in enumerate(problems, start=1):
            item = AgendaItem.objects.create(
                session=session,
                order=order,
                problem=agenda.format(place=place.name),
                created_by=host.owner,
                created_at=activity.created_at,
            )
            units = _ordered_units(self.org, host, keys, place, township)
            decided.append((item, decision, units))
        people = sorted({u.name for _i, _d, units in decided for u in units})[:4]
        attendees = [
            Attendee(session=session, unit_name=name, name=texts.person_name(rng)) for name in people
        ]
        attendees.append(
            Attendee(session=session, unit_name=place.name, name=f"{texts.person_name(rng)}（群众代表）")
        )
        Attendee.objects.bulk_create(attendees)
        activity.other_participants = "、".join(f"{a.unit_name} {a.name}" for a in attendees)[:300]
        if held:
            activity.summary = (
                f"{host.owner}带领相关部门负责人到{place.name}现场办公，逐一研究{len(problems)}个群众反映的问题，"
                "明确责任单位和办理时限。"
            )
            for item, text, units in decided:
                self.decision(session, item, text, units, day)
        activity.save(update_fields=["other_participants", "summary"])
        self.counts["sessions"] += 1

    def decision(self, session, item, text, units, day):
        rng = self.rng
        decided_at = self.at(day, 15, 18)
        decision = Decision.objects.create(
            session=session, agenda_item=item, text=text, created_by=session.owner, created_at=decided_at
        )
        if rng.random() < 0.5:
            due = due_date(day, rng.choice(WORKING_DAYS), working=True, calendar=self.calendar)
            deadline, provisional = due.due, due.provisional
        else:
            deadline, provisional = self.working_day(day + timedelta(days=rng.choice(CALENDAR_DAYS))), False
        for unit in units:
            task = Task.objects.create(
                session=session,
                decision=decision,
                description=text,
                responsible_unit=unit,
                deadline=deadline,
                deadline_provisional=provisional,
                created_at=decided_at,
            )
            note = f"交办{unit.name}，办理时限 {deadline:%Y年%m月%d日}" + ("（暂定）" if provisional else "")
            self.update(task, UpdateKind.ASSIGN, session.owner, decided_at, note=note, progress=0)
            self.play(task, day)
            self.counts["tasks"] += 1

    # --- a task's life --------------------------------------------------------------------

    def update(self, task, kind, actor, at, note="", progress=None, photo=False):
        update = TaskUpdate.objects.create(
            task=task, kind=kind, actor=actor, at=at, note=note, progress=progress
        )
        if photo:
            colour = (self.rng.randint(40, 200), self.rng.randint(90, 200), self.rng.randint(40, 120))
            data = tiny_png(colour)
            TaskEvidence.objects.create(
                task=task,
                update=update,
                file=ContentFile(data, name="photo.png"),
                original_name=f"整改现场照片{task.pk}-{update.pk}.png",
                content_type="image/png",
                size=len(data),
                uploaded_by=actor,
                uploaded_at=at,
            )
        return update

    def outcome(self, task, day):
        """What became of the task by today, and the day the unit reported completion (if it did)."""
        rng, yesterday = self.rng, self.today - timedelta(days=1)
        first = day + timedelta(days=1)
        roll = rng.random()
        if task.deadline < self.today:
            choices = [(0.62, "on_time"), (0.77, "late"), (0.86, "waiting"), (1, "overdue")]
        else:
            choices = [(0.2, "assigned"), (0.65, "working"), (0.85, "waiting"), (1, "on_time")]
        outcome = next(name for limit, name in choices if roll < limit)
        after_deadline = task.deadline + timedelta(days=1)
        submit_day = {
            "on_time": lambda: self.day_between(first, min(task.deadline, yesterday)),
            "late": lambda: self.day_between(
                after_deadline, min(after_deadline + timedelta(days=20), yesterday)
            ),
            "waiting": lambda: self.day_between(max(first, yesterday - timedelta(days=6)), yesterday),
        }.get(outcome, lambda: None)()
        if outcome in ("on_time", "late", "waiting") and submit_day is None:
            outcome = "working"
        return outcome, submit_day

    def play(self, task, day):
        """Take the task to an outcome that fits its dates: on time, late, waiting, overdue or open."""
        rng, yesterday = self.rng, self.today - timedelta(days=1)
        if day >= yesterday:
            return
        worker = self.org.heads.get(task.responsible_unit_id) or self.org.handlers.get(
            task.responsible_unit_id
        )
        worker = worker or task.session.owner
        owner = task.session.owner
        outcome, submit_day = self.outcome(task, day)
        first = day + timedelta(days=1)
        returned_on = None
        if outcome in ("on_time", "late") and submit_day - first >= timedelta(days=6) and rng.random() < 0.25:
            returned_on = submit_day - timedelta(days=rng.randint(3, 5))
        work_until = (returned_on or submit_day or self.today) - timedelta(days=1)
        if outcome != "assigned":
            progress = 0
            for n in range(rng.randint(1, 3)):
                when = self.day_between(first, work_until)
                if when is None:
                    break
                progress = min(90, progress + rng.randint(15, 40))
                note = rng.choice(PROGRESS_NOTES)
                self.update(task, UpdateKind.PROGRESS, worker, self.at(when), note, progress, photo=n == 0)
                task.progress, task.status = progress, TaskStatus.IN_PROGRESS
        if returned_on is not None:  # a first report the owner sent back the same afternoon
            self.update(
                task, UpdateKind.SUBMIT, worker, self.at(returned_on, 9, 11), SUBMIT_NOTES[0], 100, True
            )
            self.update(
                task, UpdateKind.RETURN, owner, self.at(returned_on, 14, 17), rng.choice(RETURN_NOTES)
            )
            task.status = TaskStatus.IN_PROGRESS
        if submit_day is not None:
            submitted_at = self.at(submit_day)
            self.update(
                task, UpdateKind.SUBMIT, worker, submitted_at, rng.choice(SUBMIT_NOTES), 100, photo=True
            )
            task.status, task.progress, task.submitted_at = TaskStatus.SUBMITTED, 100, submitted_at
            accept_day = self.day_between(
                submit_day + timedelta(days=1), min(submit_day + timedelta(days=5), yesterday)
            )
            if outcome in ("on_time", "late") and accept_day is not None:
                accepted_at = self.at(accept_day)
                self.update(task, UpdateKind.ACCEPT, owner, accepted_at, rng.choice(ACCEPT_NOTES))
                task.status, task.accepted_at, task.accepted_by = TaskStatus.ACCEPTED, accepted_at, owner
        task.save()


def seed(org, rng, today) -> dict:
    """About 40 on-site sessions over the year before `today`, a few still ahead; returns counts."""
    hosts = _hosts(org)
    if not hosts:
        return {"sessions": 0, "tasks": 0}
    writer = _Writer(org, rng, today)
    choices, weights = zip(*hosts, strict=True)
    for n in range(SESSIONS):
        host = rng.choices(choices, weights=weights)[0]
        if n < UPCOMING:
            day = writer.working_day(today + timedelta(days=rng.randint(3, 14)))
        else:
            day = writer.working_day(today - timedelta(days=rng.randint(0, 360)))
            if day > today:
                day = today
        writer.session(host, day)
    return writer.counts
