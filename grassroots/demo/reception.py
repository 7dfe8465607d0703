"""Demo reception days (领导接访日): a year of them for the city's and the counties' leaders
and the next month's, published, with residents' bookings in every status (waiting lists
too), demo appeals linked to the past sessions where they were registered, and 包案.

`seed(org, rng, today, appeals=())` writes them in bulk with past timestamps. A county head
and its party secretary receive once a month, the mayor once a quarter; a few months are
missed, so the reception-day rule has someone to flag. Past sessions are placed on days the
county's petition desk registered visits, and those visits become the session's appeals.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from grassroots.accounts.models import Role
from grassroots.appeals.models import OPEN_STATUSES, Channel, Status
from grassroots.lib import crypto
from grassroots.reception.actions import CODE_ALPHABET, phone_digest
from grassroots.reception.models import Booking, CaseOwnership, ReceptionAppeal, ReceptionDay
from grassroots.workcal.models import load_calendar

from . import orgtree, texts

MISSED_MONTH = 0.12  # share of months a county leader misses (the rule's report shows them)
TOPICS = [
    "",
    "住房保障与老旧小区改造",
    "征地拆迁与安置补偿",
    "劳动保障与欠薪问题",
    "教育入学与校园周边",
    "医疗保障与看病就医",
    "农村土地承包与宅基地",
    "生态环境与噪声扰民",
    "涉法涉诉与矛盾纠纷化解",
]
BOOKING_MATTERS = [
    "小区加装电梯协调了一年多还没有结果，想当面向领导反映。",
    "承包工程完工两年，工程款至今未结清，工人工资发不出。",
    "征地补偿款一直没有发放到位，村里说在等县里批复。",
    "孩子户口迁入后入学积分有疑问，想咨询政策。",
    "在厂里干了八个月，老板失联，工资一分没拿到。",
    "与邻居的宅基地界址纠纷，村里调解了三次都没成。",
    "家里低保被取消了，想了解原因和申诉渠道。",
    "安置房交房三年还没有办下不动产证。",
    "楼下烧烤店油烟和噪音扰民，投诉多次没有改善。",
    "父亲在镇卫生院治疗后病情加重，对处理结果有意见。",
    "村集体土地流转收益分配不公开，村民有意见。",
    "住房公积金提取被拒，窗口说材料不全但讲不清缺什么。",
]
OWNERSHIP_NOTES = [
    "疑难复杂，亲自协调相关部门。",
    "群体诉求，由本人牵头化解。",
    "久拖未决，亲自督办到底。",
    "",
]


@dataclass
class Session:
    """One reception day being written, with its bookings and the appeals registered at it."""

    day: ReceptionDay
    created_at: datetime
    bookings: list = field(default_factory=list)  # (Booking, created_at, changed_at)
    links: list = field(default_factory=list)  # (appeal, Booking or None, created_at)


def seed(org: orgtree.Org, rng: random.Random, today: date, appeals=()) -> list[ReceptionDay]:
    tz = timezone.get_default_timezone()
    calendar = load_calendar()
    visits = _visits_by_desk_and_day(appeals, tz)
    # nothing is stamped later than this: today's office opening, or now if earlier
    cutoff = min(timezone.now(), timezone.make_aware(datetime.combine(today, time(8)), tz))
    codes = set(Booking.objects.values_list("code", flat=True))
    held = set()  # (desk, day): one session a day per desk
    sessions = []
    for leader, area, county, period in _leaders(org):
        desk = (county.departments if county else org.city_departments)["xinfang"]
        for first, last in _periods(today, period):
            if period == "month" and rng.random() < MISSED_MONTH:
                continue
            session = _past(rng, tz, calendar, leader, area, county, desk, first, last, cutoff, visits, held)
            if session is not None:  # None: no working day left in a period cut short by today
                sessions.append(session)
        sessions.append(_upcoming(rng, tz, calendar, leader, area, county, today, cutoff))
    sessions[-1].day.published = False  # one still being arranged
    full = next(s for s in sessions if s.day.date >= today and s.day.published)
    for s in sessions:
        if s.day.published:  # residents book published days only
            _bookings(rng, tz, s, today, cutoff, codes, force_full=s is full)
    _write(sessions)
    _ownerships(org, rng, tz, sessions, appeals, today)
    return [s.day for s in sessions]


def _leaders(org):
    """(leader, unit, county or None, rule period): the mayor, each county's head and secretary."""
    county_of = {c.unit.pk: c for c in org.counties}
    found = []
    for user, role, unit, _title in org.users:
        if role != Role.LEADER:
            continue
        if unit.pk == org.city.pk:
            found.append((user, unit, None, "quarter"))
        elif unit.pk in county_of:
            found.append((user, unit, county_of[unit.pk], "month"))
    return found


def _periods(today, period):
    """(first day, last day) of each month or quarter of the past year, the current one cut at yesterday."""
    months = 3 if period == "quarter" else 1
    first = date(today.year, today.month - (today.month - 1) % months, 1)
    out = []
    while len(out) < 12 // months:
        last = min(
            (first + timedelta(days=31 * months)).replace(day=1) - timedelta(days=1),
            today - timedelta(days=1),
        )
        if first <= last:
            out.append((first, last))
        first = (first - timedelta(days=1)).replace(day=1)
        first = date(first.year, first.month - (first.month - 1) % months, 1)
    return out


def _visits_by_desk_and_day(appeals, tz):
    """Visits (来访, 下访接待) by (desk, local date): the appeals a session there could have registered."""
    found = {}
    for a in appeals:
        if a.channel in (Channel.VISIT, Channel.OUTREACH) and not a.is_report:
            key = (a.registered_unit_id, timezone.localtime(a.registered_at, tz).date())
            found.setdefault(key, []).append(a)
    return found


def _working_day(rng, calendar, first, last, taken=()):
    """A working day first..last not taken yet, or None."""
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    working = [d for d in days if calendar.is_working_day(d) and d not in taken]
    return rng.choice(working) if working else None


def _new_day(rng, tz, leader, area, county, on, start, end, cutoff):
    township = rng.choice(county.townships) if county and rng.random() < 0.4 else None
    if township is not None:  # 下访: the leader goes to the township
        place, address = township, f"{township.name}便民服务中心二楼会议室"
    else:
        place, address = area, f"{area.name}人民来访接待中心一楼接待室"
    day = ReceptionDay(
        leader=leader,
        unit=area,
        date=on,
        start_time=start,
        end_time=end,
        place_unit=place,
        address=address,
        topic=rng.choice(TOPICS),
        notes="请携带身份证及相关材料原件、复印件。" if rng.random() < 0.5 else "",
        capacity=rng.randint(4, 8),
        published=True,
        created_by=leader,
    )
    created = timezone.make_aware(datetime.combine(on - timedelta(days=rng.randint(10, 20)), time(10)), tz)
    published_lately = cutoff - timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 8))
    return Session(day, min(created, published_lately))


def _past(rng, tz, calendar, leader, area, county, desk, first, last, cutoff, visits, held):
    """A held session: on a day the desk registered visits, when there was one, and those linked.
    One session a day per petition desk (`held`)."""
    candidates = [
        d
        for (unit_id, d), found in visits.items()
        if unit_id == desk.pk and first <= d <= last and found and (desk.pk, d) not in held
    ]
    if candidates:
        on = rng.choice(sorted(candidates))
    else:
        on = _working_day(rng, calendar, first, last, {d for unit_id, d in held if unit_id == desk.pk})
        if on is None:
            return None
    held.add((desk.pk, on))
    taken = visits.get((desk.pk, on), [])
    linked = [taken.pop() for _ in range(min(len(taken), rng.randint(1, 3)))]
    start, end = (time(9), time(11, 30)) if rng.random() < 0.6 else (time(14, 30), time(17))
    if linked:  # the session's hours hold its registrations
        hours = [timezone.localtime(a.registered_at, tz).hour for a in linked]
        if max(hours) < 12:
            start, end = time(8, 30), time(12)
        elif min(hours) >= 12:
            start, end = time(min(min(hours), 14)), time(17, 30)
        else:
            start, end = time(8, 30), time(17, 30)
    session = _new_day(rng, tz, leader, area, county, on, start, end, cutoff)
    for appeal in linked:
        session.links.append((appeal, None, appeal.registered_at))
    return session


def _upcoming(rng, tz, calendar, leader, area, county, today, cutoff):
    on = _working_day(rng, calendar, today + timedelta(days=3), today + timedelta(days=30))
    return _new_day(rng, tz, leader, area, county, on, time(9), time(11, 30), cutoff)


def _code(rng, codes):
    while True:
        code = "JF" + "".join(rng.choice(CODE_ALPHABET) for _ in range(8))
        if code not in codes:
            codes.add(code)
            return code


def _booking(rng, day, codes, status, name=None, phone=None, description=None):
    name = name or texts.person_name(rng)
    phone = phone or texts.mobile(rng)
    return Booking(
        day=day,
        name=name,
        phone_encrypted=crypto.encrypt(phone),
        phone_digest=phone_digest(phone),
        phone_last4=phone[-4:],
        description=description or rng.choice(BOOKING_MATTERS),
        code=_code(rng, codes),
        status=status,
    )


def _bookings(rng, tz, s, today, cutoff, codes, force_full=False):
    """Slots taken up to capacity (attended or not after the day, booked before it), a few
    cancellations, and, where the day filled up, a waiting list of those who came after the
    last cancellation (earlier ones would have moved up)."""
    day = s.day
    past = day.date < today
    opened = s.created_at
    the_evening_before = timezone.make_aware(datetime.combine(day.date - timedelta(days=1), time(21)), tz)
    closes = max(opened, min(the_evening_before, cutoff))
    span = int((closes - opened).total_seconds())
    phones = set()

    def when():
        return opened + timedelta(seconds=rng.randint(0, span))

    def add(status, created, changed, **person):
        booking = _booking(rng, day, codes, status, **person)
        if booking.phone_digest in phones:  # one booking per phone per day
            return None
        phones.add(booking.phone_digest)
        s.bookings.append((booking, created, changed))
        return booking

    holding = day.capacity if force_full else rng.randint(1, day.capacity)
    links = []
    for appeal, _none, at in s.links:  # most who were received had booked ahead
        booking = None
        if len(links) < holding and rng.random() < 0.7:
            person = {"name": appeal.petitioner_name, "phone": appeal.phone, "description": appeal.title}
            booking = add(Booking.Status.ATTENDED, min(when(), at - timedelta(days=1)), at, **person)
        links.append((appeal, booking, at))
    s.links = links
    while sum(1 for b, _c, _x in s.bookings if b.status != Booking.Status.CANCELLED) < holding:
        created = when()
        if past:
            status = Booking.Status.ATTENDED if rng.random() < 0.8 else Booking.Status.NO_SHOW
            add(status, created, timezone.make_aware(datetime.combine(day.date, day.end_time), tz))
        else:
            add(Booking.Status.BOOKED, created, created)
    for _ in range(rng.randint(0, 2)):
        created = when()
        add(Booking.Status.CANCELLED, created, min(created + timedelta(hours=rng.randint(2, 72)), closes))
    if holding == day.capacity and (force_full or rng.random() < 0.5):
        cancelled = [x for b, _c, x in s.bookings if b.status == Booking.Status.CANCELLED]
        latest = max([c for _b, c, _x in s.bookings] + cancelled)
        for _ in range(rng.randint(1, 3)):
            created = min(latest + timedelta(minutes=rng.randint(10, 600)), closes)
            add(Booking.Status.WAITING, created, created)


def _write(sessions):
    days = [s.day for s in sessions]
    ReceptionDay.objects.bulk_create(days, batch_size=500)
    for s in sessions:
        s.day.created_at = s.created_at  # auto_now_add: put the arranging time back
    ReceptionDay.objects.bulk_update(days, ["created_at"], batch_size=500)

    bookings = [(b, c, x) for s in sessions for b, c, x in s.bookings]
    Booking.objects.bulk_create([b for b, _c, _x in bookings], batch_size=500)
    for b, created, changed in bookings:
        b.created_at, b.changed_at = created, changed
    Booking.objects.bulk_update([b for b, _c, _x in bookings], ["created_at", "changed_at"], batch_size=500)

    links = []
    for s in sessions:
        for appeal, booking, at in s.links:
            links.append(
                (ReceptionAppeal(day=s.day, appeal=appeal, booking=booking, created_by=s.day.leader), at)
            )
    ReceptionAppeal.objects.bulk_create([link for link, _at in links], batch_size=500)
    for link, at in links:
        link.created_at = at
    ReceptionAppeal.objects.bulk_update([link for link, _at in links], ["created_at"], batch_size=500)


def _ownerships(org, rng, tz, sessions, appeals, today):
    """包案: leaders take on open cases from their own sessions, and a few hard cases of their
    county; two older ones ended when the case closed."""
    owned = []
    taken = set()
    for s in sessions:
        for appeal, _booking, at in s.links:
            if appeal.status in OPEN_STATUSES and appeal.pk not in taken and rng.random() < 0.5:
                since = timezone.localtime(at, tz).date()
                owned.append(
                    CaseOwnership(
                        appeal=appeal, leader=s.day.leader, since=since, note=rng.choice(OWNERSHIP_NOTES)
                    )
                )
                taken.add(appeal.pk)
    leaders = {c.unit.pk: org.leaders[c.unit.pk] for c in org.counties}
    county_of_desk = {c.departments["xinfang"].pk: c for c in org.counties}
    hard = [a for a in appeals if a.pk not in taken and a.status in OPEN_STATUSES and a.is_group]
    hard += [a for a in appeals if a.pk not in taken and a.status in OPEN_STATUSES and not a.is_group]
    closed = [a for a in appeals if a.status == Status.CLOSED and a.registered_unit_id in county_of_desk]
    for a in hard[: max(0, 6 - len(owned))]:
        county = county_of_desk.get(a.registered_unit_id)
        leader = leaders[county.unit.pk] if county else org.leaders[org.city.pk]
        since = timezone.localtime(a.registered_at, tz).date() + timedelta(days=rng.randint(3, 20))
        owned.append(
            CaseOwnership(appeal=a, leader=leader, since=min(since, today), note=rng.choice(OWNERSHIP_NOTES))
        )
        taken.add(a.pk)
    ended = []
    for a in closed[:2]:
        county = county_of_desk[a.registered_unit_id]
        since = timezone.localtime(a.registered_at, tz).date() + timedelta(days=rng.randint(2, 10))
        since = min(since, timezone.localtime(a.closed_at, tz).date())
        ended.append(
            CaseOwnership(
                appeal=a,
                leader=leaders[county.unit.pk],
                since=since,
                note="亲自协调化解",
                ended_at=a.closed_at,
            )
        )
    made = owned + ended
    CaseOwnership.objects.bulk_create(made)
    for c in made:
        c.created_at = timezone.make_aware(datetime.combine(c.since, time(16)), tz)
    CaseOwnership.objects.bulk_update(made, ["created_at"])
