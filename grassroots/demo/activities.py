"""A year of demo grassroots activities (下基层) for the leaders and heads of the demo tree.

Every official gets activities of the kinds their post does (county leaders all four, township
heads mostly 宣讲/下访/现场办公, department heads mostly 调研 and 宣讲), with residents' questions
and concerns. A few concerns became appeals (the demo's own 下访接待 appeals, when there are any)
or ledger problems. A few officials are deliberately idle: their last activity is 60–120 days
old, so the accountability pages have someone to list. Rows are written in bulk, as the actions
would have left them; research visits and on-site sessions are plain activities here (their own
apps add topics and agendas).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from grassroots.accounts.models import Role, UnitKind
from grassroots.activities.models import (
    Activity,
    ActivityConcern,
    ActivityEvent,
    EventKind,
    Kind,
    OutreachQuestion,
)
from grassroots.appeals.models import Appeal, Channel
from grassroots.appeals.models import Status as AppealStatus
from grassroots.ledger.models import Domain, Problem, ProblemEvent, Source
from grassroots.ledger.models import EventKind as ProblemEventKind
from grassroots.lib import crypto

from . import texts

OFFICIAL_ROLES = (Role.LEADER, Role.UNIT_HEAD)
IDLE_OFFICIALS = 4
RECENT_DAYS = 45  # every official who is not idle has an activity this recent

# --- what the activities are about ---------------------------------------------------------------

# topic, the policies explained, residents' questions with the answers given on the spot
OUTREACH = [
    (
        "城乡居民医保缴费与报销政策",
        "2026 年度城乡居民医保个人缴费标准\n门诊统筹和住院报销比例\n异地就医备案办理流程",
        [
            ("在外地打工，医保怎么缴费？", "可以在手机上通过“闽政通”或银行 App 缴费，也可委托村里代缴。"),
            ("去省城看病能报销吗？", "先在线办理异地就医备案，备案后在省内定点医院可直接结算。"),
        ],
    ),
    (
        "城乡居民养老保险政策",
        "城乡居民基本养老保险缴费档次与政府补贴\n领取条件与待遇调整",
        [
            (
                "交高档次以后能多领多少？",
                "缴费档次越高、年限越长，个人账户养老金越多，现场按您的情况算了一笔账。",
            ),
            ("六十岁以后还能补缴吗？", "符合条件的可按规定补缴，具体到镇社保所核定。"),
        ],
    ),
    (
        "防范电信网络诈骗",
        "常见诈骗手法：刷单返利、冒充客服、虚假投资理财\n国家反诈中心 App 的使用",
        [
            ("接到说是公安局的电话让转账怎么办？", "公安机关不会电话要求转账，立即挂断并拨打 110 核实。"),
        ],
    ),
    (
        "耕地保护和粮食安全",
        "耕地“非农化”“非粮化”整治要求\n耕地地力保护补贴发放",
        [
            ("承包地种果树还能领补贴吗？", "补贴面向实际种粮的耕地，已改种果树的地块按政策不再享受。"),
            ("撂荒地有人流转吗？", "村里统一登记后由合作社流转耕种，流转费按年支付。"),
        ],
    ),
    (
        "就业创业扶持政策",
        "创业担保贷款与贴息\n职业技能培训补贴\n公益性岗位安置",
        [
            ("创业贷款要什么条件？", "个人最高可贷 30 万元，符合条件的给予贴息，需到人社部门提交申请。"),
            ("参加培训有补贴吗？", "取得职业技能等级证书的可申领培训补贴。"),
        ],
    ),
    (
        "《信访工作条例》",
        "信访事项的受理、办理时限和复查复核\n依法逐级反映诉求",
        [
            (
                "反映的问题多久能有答复？",
                "一般应当自受理之日起 60 日内办结，情况复杂的可延长，但会告知您理由。",
            )
        ],
    ),
    (
        "惠民惠农财政补贴",
        "惠民惠农补贴“一卡通”发放\n补贴资金查询渠道",
        [("补贴到没到账怎么查？", "可在“一卡通”查询平台或到村便民服务点查询。")],
    ),
    (
        "防汛防台和安全生产",
        "汛期地质灾害隐患点避险转移\n农村自建房安全",
        [("家后面的山坡有裂缝要找谁？", "马上告诉村里的地质灾害群测群防员，镇里会派人现场查看。")],
    ),
    (
        "农村人居环境整治",
        "垃圾分类与“门前三包”\n农村厕所改造补助",
        [("改厕补助怎么申请？", "向村委会报名，验收合格后按户发放补助。")],
    ),
    (
        "义务教育招生政策",
        "小学、初中招生划片和报名时间\n随迁子女入学所需材料",
        [("孩子户口不在这里能上学吗？", "随迁子女凭居住证等材料可在居住地申请入学。")],
    ),
]

RESEARCH = [
    "农村养老服务现状",
    "村级集体经济发展",
    "中小学课后服务开展情况",
    "城区停车难问题",
    "农村饮水安全",
    "基层医疗服务能力",
    "老旧小区改造",
    "农民工工资支付情况",
    "高标准农田建设",
    "背街小巷环境整治",
    "营商环境与企业诉求",
    "农村客运班线运行",
]

ONSITE = [
    ("排水沟堵塞、雨天积水", "城管、住建"),
    ("通组公路破损", "交通运输、农业农村"),
    ("小区电梯故障频发", "住建、市场监管"),
    ("集贸市场占道经营", "市场监管、城管"),
    ("学校周边交通拥堵", "公安交警、教育"),
    ("自来水管网老化漏水", "住建、水务公司"),
    ("垃圾中转站异味扰民", "生态环境、城管"),
    ("农田灌溉渠年久失修", "农业农村、水利"),
]

RECEPTION_ISSUES = [
    "征地补偿",
    "宅基地审批",
    "低保评定",
    "物业纠纷",
    "房屋漏水",
    "农民工工资",
    "邻里纠纷",
    "医保报销",
]

# concerns residents raise, with the ledger domain they belong to
CONCERNS = [
    ("村里到镇上的班车一天只有两趟，老人去镇卫生院看病很不方便。", Domain.TRANSPORT),
    ("村口路灯坏了两个多月，晚上出行不安全。", Domain.OTHER),
    ("小区旁边的垃圾点夏天气味很大，希望能挪远一点或者多清运几次。", Domain.ENVIRONMENT),
    ("孩子上学路上没有人行道，车开得很快，家长很担心。", Domain.TRANSPORT),
    ("村里老人多，希望能办一个老年食堂，解决吃饭问题。", Domain.ELDERLY),
    ("卫生院晚上没有医生值班，孩子半夜发烧只能去县城。", Domain.MEDICAL),
    ("工地拖欠我们几个人三个月的工资，一直找不到负责人。", Domain.EMPLOYMENT),
    ("老房子墙体开裂，想申请危房改造不知道找谁。", Domain.HOUSING),
    ("灌溉渠堵了，下游十几亩田放不进水。", Domain.OTHER),
    ("幼儿园学位紧张，今年报名没有排上。", Domain.EDUCATION),
    ("医保报销材料要跑好几个地方，能不能一个窗口办完？", Domain.SOCIAL_SECURITY),
    ("河道里有人倒建筑垃圾，下雨天水都是浑的。", Domain.ENVIRONMENT),
]

MEASURES = [
    "已由责任单位现场核实，制定整改方案，分步实施。",
    "协调相关部门联合处置，明确专人跟踪，按期销号。",
    "列入今年民生实事项目，落实资金，限期完成。",
]


# --- who does what, where -------------------------------------------------------------------------


@dataclass
class Official:
    user: object
    role: str
    unit: object
    weight: int  # how often they go down
    kinds: tuple  # the kinds their post does, most frequent first
    places: list  # area units where their activities happen
    handler: object = None  # who records for them, when someone does
    idle: bool = False

    def __post_init__(self):
        self.place_ids = {p.pk for p in self.places}


def _areas(org):
    areas = [org.city]
    for county in org.counties:
        areas.append(county.unit)
        areas.extend(county.townships)
    areas.extend(v for v, _t, _c in org.villages)
    return areas


def _officials(org) -> list[Official]:
    areas = _areas(org)
    grassroots = [a for a in areas if a.level >= 4]  # townships and villages
    result = []
    for user, role, unit, _title in org.users:
        if role not in OFFICIAL_ROLES:
            continue
        root = unit if unit.kind == UnitKind.AREA or unit.parent is None else unit.parent
        places = [a for a in grassroots if a.path.startswith(root.path)] or [root]
        if role == Role.LEADER:
            weight, kinds = (3, (Kind.RESEARCH, Kind.RECEPTION, Kind.OUTREACH, Kind.ONSITE))
        elif unit.kind == UnitKind.AREA:
            weight, kinds = (3, (Kind.OUTREACH, Kind.RECEPTION, Kind.ONSITE, Kind.RESEARCH))
        else:
            weight, kinds = (1, (Kind.RESEARCH, Kind.OUTREACH, Kind.ONSITE))
        result.append(Official(user, role, unit, weight, kinds, places, org.handlers.get(unit.pk)))
    return result


# --- writing ----------------------------------------------------------------------------------------


class _Rows:
    """Everything to insert, kept in memory and written in a few bulk inserts."""

    def __init__(self):
        self.activities, self.officials, self.events = [], [], []
        self.questions, self.concerns = [], []


def _at(day: date, rng, lo=9, hi=17) -> datetime:
    return timezone.make_aware(
        datetime.combine(day, time(rng.randint(lo, hi - 1), rng.choice((0, 15, 30, 45))))
    )


def _coordinates(place, rng):
    base = random.Random(f"place:{place.pk}")  # the same place always sits at the same spot
    lat = Decimal("26.3") + Decimal(base.randint(0, 800_000)) / Decimal(1_000_000)
    lng = Decimal("119.0") + Decimal(base.randint(0, 1_000_000)) / Decimal(1_000_000)
    if rng.random() < 0.5:
        return None, None
    return lat, lng


def _content(kind, official, place, rng):
    """Title, summary, outcome, duration and the outreach fields of one activity."""
    who = official.user
    extra = {}
    if kind == Kind.OUTREACH:
        topic, policies, qa = rng.choice(OUTREACH)
        audience = rng.randint(20, 260)
        title = rng.choice([f"走进{place.name}宣讲{topic}", f"{place.name}{topic}宣讲会"])
        summary = (
            f"{who}到{place.name}开展{topic}宣讲，结合群众身边事逐条解读政策，"
            f"现场发放宣传资料 {audience + rng.randint(10, 80)} 份，并留出时间回答群众提问。"
        )
        outcome = rng.choice(
            [
                "群众对政策有了更清楚的了解，现场登记需要上门办理的 {n} 户。",
                "会后建立政策咨询群，由驻村干部持续答疑。",
            ]
        )
        extra = {
            "outreach_topic": topic,
            "policies": policies,
            "speaker": str(who) if rng.random() < 0.7 else f"{official.unit.name}宣讲团成员",
            "audience_count": audience,
            "_questions": qa,
        }
        minutes = rng.choice((60, 90, 90, 120))
    elif kind == Kind.RESEARCH:
        topic = rng.choice(RESEARCH)
        title = f"{place.name}{topic}调研"
        summary = (
            f"{who}带队到{place.name}调研{topic}，实地走访群众 {rng.randint(8, 40)} 户、"
            f"经营主体 {rng.randint(1, 8)} 家，召开座谈会听取村（社区）干部和群众意见。"
        )
        outcome = rng.choice(["形成调研报告，梳理问题清单 {n} 条。", "问题已交相关部门研究，下月回头看。"])
        minutes = rng.choice((150, 180, 240, 300))
    elif kind == Kind.RECEPTION:
        issues = "、".join(rng.sample(RECEPTION_ISSUES, 3))
        batches = rng.randint(3, 12)
        title = f"{who}到{place.name}下访接待群众"
        summary = (
            f"{who}到{place.name}下访，接待来访群众 {batches} 批 {batches * rng.randint(1, 3)} 人次，"
            f"涉及{issues}等问题，能当场答复的当场答复，其余登记转办。"
        )
        outcome = "现场答复 {n} 件，其余已登记转办并明确办理时限。"
        minutes = rng.choice((120, 150, 180, 240))
    else:
        issue, departments = rng.choice(ONSITE)
        title = f"{place.name}{issue}现场办公"
        summary = (
            f"{who}到{place.name}现场查看{issue}情况，召集{departments}等部门现场研究解决办法，"
            "明确责任单位和完成时限。"
        )
        outcome = "现场议定事项 {n} 项，已分解到责任单位限期办结。"
        minutes = rng.choice((90, 120, 150, 180))
    return title[:200], summary, outcome.format(n=rng.randint(2, 9)), minutes, extra


def _add_activity(rows, rng, official, day, kind=None, place=None, partners=()):
    kind = kind or rng.choices(official.kinds, weights=[5, 3, 2, 1][: len(official.kinds)])[0]
    place = place or rng.choice(official.places)
    title, summary, outcome, minutes, extra = _content(kind, official, place, rng)
    questions = extra.pop("_questions", ())
    recorder = official.handler if official.handler is not None and rng.random() < 0.5 else official.user
    lat, lng = _coordinates(place, rng)
    at = min(_at(day, rng, 17, 21), timezone.now())  # recorded that evening (or by now, for today)
    activity = Activity(
        kind=kind,
        title=title,
        unit=official.unit,
        place=place,
        address=rng.choice(["村委会会议室", "文化礼堂", "便民服务中心", "村民广场", "党群服务中心", ""]),
        latitude=lat,
        longitude=lng,
        date=day,
        duration_minutes=minutes,
        summary=summary,
        outcome=outcome,
        other_participants=rng.choice(["", "驻村第一书记", "镇村干部 3 人", "相关部门负责人"]),
        created_by=recorder,
        created_at=at,
        **extra,
    )
    rows.activities.append(activity)
    rows.officials.append((activity, official.user))
    for partner in partners:
        rows.officials.append((activity, partner.user))
    rows.events.append(ActivityEvent(activity=activity, kind=EventKind.CREATE, at=at, actor=recorder))
    for question, answer in rng.sample(list(questions), k=min(len(questions), rng.randint(0, 2))):
        rows.questions.append(
            OutreachQuestion(
                activity=activity,
                question=question,
                answer=answer,
                asker=rng.choice(["村民", "退休教师", "外出务工人员", "个体户", ""]),
                created_by=recorder,
                created_at=at,
            )
        )
        rows.events.append(
            ActivityEvent(activity=activity, kind=EventKind.QUESTION, at=at, actor=recorder, note=question)
        )
    if rng.random() < 0.25:
        content, _domain = rng.choice(CONCERNS)
        rows.concerns.append(_concern(activity, content, recorder, at, rng))
        rows.events.append(
            ActivityEvent(
                activity=activity, kind=EventKind.CONCERN, at=at, actor=recorder, note=content[:100]
            )
        )
    return activity


def _concern(activity, content, recorder, at, rng, name=None, phone_encrypted=None):
    return ActivityConcern(
        activity=activity,
        content=content,
        resident_name=name if name is not None else texts.person_name(rng),
        phone_encrypted=phone_encrypted if phone_encrypted is not None else crypto.encrypt(texts.mobile(rng)),
        created_by=recorder,
        created_at=at,
    )


def _plan(rows, officials, rng, today, count):
    """The activities of the year: one recent one for everyone who is not idle, then the rest by weight."""
    days = 365
    heads = [o for o in officials if o.role == Role.UNIT_HEAD]
    for o in rng.sample(heads, k=min(IDLE_OFFICIALS, len(heads), max(1, len(officials) // 10))):
        o.idle = True
    busy = [o for o in officials if not o.idle]
    for o in officials:
        if o.idle:  # their last activity is 60–120 days ago, a few before it
            last = today - timedelta(days=rng.randint(60, 120))
            _add_activity(rows, rng, o, last)
            for _ in range(rng.randint(0, 2)):
                _add_activity(rows, rng, o, last - timedelta(days=rng.randint(10, days - 125)))
        else:
            _add_activity(rows, rng, o, today - timedelta(days=rng.randint(0, RECENT_DAYS)))
    weights = [o.weight for o in busy]
    while busy and len(rows.activities) < count:
        o = rng.choices(busy, weights=weights)[0]
        place = rng.choice(o.places)
        partners = []
        if rng.random() < 0.3:  # a leader goes down with the township head there, or the reverse
            around = [p for p in busy if p is not o and p.weight == 3 and place.pk in p.place_ids]
            partners = rng.sample(around, k=min(1, len(around)))
        day = today - timedelta(days=rng.randint(0, days - 1))
        _add_activity(rows, rng, o, day, place=place, partners=partners)


def _from_appeals(rows, officials, rng, today, limit=4):
    """Concerns that became the demo's 下访接待 appeals: the activity is the day the appeal was registered."""
    appeals = list(
        Appeal.objects.filter(
            channel=Channel.OUTREACH,
            is_report=False,
            place_unit__isnull=False,
            registered_at__date__gte=today - timedelta(days=300),
            registered_at__date__lte=today,
        )
        .exclude(status=AppealStatus.DUPLICATE)
        .select_related("place_unit", "registered_by")
        .order_by("registered_at")[:200]
    )
    rng.shuffle(appeals)
    linked = 0
    for appeal in appeals:
        if linked >= limit:
            break
        place = appeal.place_unit
        who = [o for o in officials if not o.idle and o.weight == 3 and place.pk in o.place_ids]
        if not who:
            continue
        official = rng.choice(who)
        day = timezone.localdate(appeal.registered_at)
        activity = _add_activity(rows, rng, official, day, kind=Kind.RECEPTION, place=place)
        start = appeal.registered_at - timedelta(
            hours=1
        )  # recorded on the spot, before the desk registered it
        activity.created_at = start
        for event in rows.events:
            if event.activity is activity:
                event.at = start
        at = appeal.registered_at - timedelta(minutes=30)
        concern = _concern(
            activity,
            appeal.content[:1500],
            official.user,
            at,
            rng,
            appeal.petitioner_name,
            appeal.phone_encrypted,
        )
        concern.appeal = appeal
        concern.converted_by = appeal.registered_by
        concern.converted_at = appeal.registered_at
        rows.concerns.append(concern)
        rows.events.append(
            ActivityEvent(
                activity=activity,
                kind=EventKind.CONCERN,
                at=at,
                actor=official.user,
                note=concern.content[:100],
            )
        )
        note = f"{concern.content[:60]} → 诉求 {appeal.tracking_code}"
        rows.events.append(
            ActivityEvent(
                activity=activity,
                kind=EventKind.TO_APPEAL,
                at=appeal.registered_at,
                actor=appeal.registered_by,
                note=note,
            )
        )
        linked += 1
    return linked


def _to_problems(rows, rng, today, limit=5):
    """A few concerns put on the ledger by the activity's official a day or two later."""
    source = {Kind.RESEARCH: Source.RESEARCH, Kind.ONSITE: Source.ONSITE}
    candidates = [
        c for c in rows.concerns if c.appeal is None and c.activity.date < today - timedelta(days=2)
    ]
    problems = []
    for concern in rng.sample(candidates, k=min(limit, len(candidates))):
        activity = concern.activity
        official = next(u for a, u in rows.officials if a is activity)
        domain = dict(CONCERNS).get(concern.content, Domain.OTHER)
        at = _at(activity.date + timedelta(days=rng.randint(1, 2)), rng)
        deadline = activity.date + timedelta(days=rng.choice((30, 45, 60, 90)))
        elapsed = (today - activity.date).days / max(1, (deadline - activity.date).days)
        d = activity.date
        problem = Problem(
            source=source.get(activity.kind, Source.APPEAL),
            domain=domain,
            place=activity.place,
            address=activity.address,
            description=f"{concern.content}\n（{d.year}年{d.month}月{d.day}日{activity.get_kind_display()}活动「{activity.title}」中群众反映）",
            measures=rng.choice(MEASURES),
            responsible_unit=activity.unit,
            responsible_leader=official,
            deadline=deadline,
            progress=min(90, int(elapsed * 80) // 10 * 10),
            created_by=official,
            created_at=at,
        )
        problems.append((problem, concern, official, at))
    Problem.objects.bulk_create([p for p, _c, _o, _at in problems])
    ProblemEvent.objects.bulk_create(
        [
            ProblemEvent(
                problem=p, kind=ProblemEventKind.CREATE, at=at, actor=o, note=p.measures, progress=p.progress
            )
            for p, _c, o, at in problems
        ]
    )
    for problem, concern, official, at in problems:
        concern.problem, concern.converted_by, concern.converted_at = problem, official, at
        note = f"{concern.content[:60]} → 问题 {problem.pk}"
        rows.events.append(
            ActivityEvent(
                activity=concern.activity, kind=EventKind.TO_PROBLEM, at=at, actor=official, note=note
            )
        )
    return len(problems)


def seed(org, rng: random.Random, today: date, count: int = 300) -> dict:
    """Write about `count` activities of the last 12 months for `org` (a demo.orgtree.Org); returns counts."""
    officials = _officials(org)
    rows = _Rows()
    _plan(rows, officials, rng, today, count)
    to_appeals = _from_appeals(rows, officials, rng, today)
    Activity.objects.bulk_create(rows.activities, batch_size=500)
    Activity.officials.through.objects.bulk_create(
        [Activity.officials.through(activity_id=a.pk, user_id=u.pk) for a, u in rows.officials],
        batch_size=1000,
        ignore_conflicts=True,
    )
    OutreachQuestion.objects.bulk_create(rows.questions, batch_size=500)
    to_problems = _to_problems(rows, rng, today)
    ActivityConcern.objects.bulk_create(rows.concerns, batch_size=500)
    ActivityEvent.objects.bulk_create(sorted(rows.events, key=lambda e: e.at), batch_size=1000)
    return {
        "activities": len(rows.activities),
        "questions": len(rows.questions),
        "concerns": len(rows.concerns),
        "to_appeals": to_appeals,
        "to_problems": to_problems,
        "idle": [o.user for o in officials if o.idle],
    }
