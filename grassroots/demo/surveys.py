"""Demo questionnaires: research, outreach follow-up and policy satisfaction (with the
"哭还是笑" question), each answered by 20–200 residents, some on paper, plus one draft.

`seed(org, rng, today)` builds them on the demo tree and writes the responses in bulk, as
`actions.submit` would have: answers only to the questions a resident was shown (conditional
display), one response per phone where the questionnaire asks for one (a keyed hash only),
paper responses entered by a staff member of the owning unit during office hours.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from grassroots.surveys.answering import phone_hash
from grassroots.surveys.models import Answer, Kind, Purpose, Question, Questionnaire, Response, Status

from . import orgtree, texts

CRY_OR_SMILE = ["笑（满意）", "不哭不笑（一般）", "哭（不满意）"]


@dataclass
class Q:
    """A question and how the demo residents answer it."""

    text: str
    kind: str
    options: tuple = ()
    weights: tuple = ()  # per option, or per rating 1–5
    required: bool = True
    max_choices: int | None = None
    depends: tuple | None = None  # (index of an earlier question, option)
    answers: tuple = ()  # text answers to pick from
    rate: float = 1.0  # how often an optional question is answered


@dataclass
class Spec:
    title: str
    description: str
    purpose: str
    owner: tuple  # ("county" | "township" | "county_dept" | "city", index, department key)
    opened_days_ago: int
    open_days: int
    responses: tuple  # (least, most)
    questions: list
    paper_share: float = 0.0
    ask_phone: bool = False
    status: str | None = None  # default: open while before closes_at, else closed


SUGGESTIONS_PENSION = (
    "希望养老金每年都能再涨一点。",
    "建议村里多开几次政策宣讲会，老年人看不懂手机上的通知。",
    "到账短信能不能发给子女，老人自己不太会看。",
    "缴费档次的区别讲得不够清楚，希望有人上门解释。",
    "总体满意，感谢党和政府。",
    "希望高龄老人的补贴也能一起提高。",
)
SUGGESTIONS_TOILET = (
    "化粪池满了以后抽粪要自己联系，希望村里统一安排。",
    "冬天水管容易冻，冲水不方便。",
    "改厕以后干净多了，院子里也没有臭味了。",
    "有几户改了以后一直没用，建议回头检查一下。",
    "希望补贴标准提高一点，自己出的钱有点多。",
)
REASONS_NO_LIFT = (
    "住二楼，用不上电梯。",
    "出资比例太高，负担不起。",
    "担心电梯挡住一楼采光。",
    "怕以后维修保养费用说不清。",
)
SUGGESTIONS_ESTATE = (
    "停车位太少，晚上回来车都没地方停。",
    "希望改造期间做好安全围挡，不要影响老人出行。",
    "楼道灯坏了很久，希望一起修好。",
    "雨污分流一定要做，下雨天污水井冒水。",
    "改造方案定下来之前希望先公示、听听居民意见。",
    "小区大门门禁要修，外来人员随便进出。",
)
SUGGESTIONS_SCHOOL = (
    "希望开通到村口的校车，孩子每天走山路太危险。",
    "寄宿费用能不能再减免一些。",
    "下雨天路滑，希望修一下村里到公路的那段路。",
    "周五放学的班车太少，孩子要等很久。",
    "希望学校门口增加护学岗。",
)
WANT_TO_KNOW = (
    "创业担保贷款怎么申请、要什么材料",
    "50 岁以上还能不能参加免费培训",
    "灵活就业社保补贴能补几年",
    "电商直播培训什么时候开班",
    "返乡创业有没有场地租金补贴",
)
FRAUD_ADVICE = (
    "希望多到菜市场、广场宣传，老年人更需要。",
    "冒充客服退款的骗局讲得很清楚，很有用。",
    "建议每个小区群里定期发反诈提醒。",
    "宣传册字太小，老年人看不清。",
)
SORTING_ADVICE = (
    "分类垃圾桶数量不够，厨余桶经常满出来。",
    "定时定点投放时间太早，上班族赶不上。",
    "希望对不分类的行为有督导员现场提醒。",
    "小区环境比以前干净多了。",
    "厨余垃圾收运不及时，夏天有味道。",
)
BUS_ADVICE = (
    "早上 6 点半能有一班车就好了，赶集的人多。",
    "票价希望再便宜一点。",
    "希望班车能开到镇卫生院门口。",
    "下午最后一班车太早，在县城办事来不及回。",
)

SPECS = [
    Spec(
        title="城乡居民基础养老金提标政策满意度调查",
        description="今年起{owner}城乡居民基础养老金标准再次提高。为了解政策落实情况和群众感受，"
        "请您花两分钟填写本问卷。本问卷不记录姓名，手机号仅用于确认每人填写一次。",
        purpose=Purpose.SATISFACTION,
        owner=("county", 1, None),
        opened_days_ago=20,
        open_days=40,
        responses=(120, 180),
        paper_share=0.3,
        ask_phone=True,
        questions=[
            Q(
                "您是否知道今年城乡居民基础养老金提高了？",
                Kind.SINGLE,
                ("知道", "听说过但不清楚", "不知道"),
                (62, 26, 12),
            ),
            Q(
                "提标后，您（或家中老人）每月的养老金是否按时足额到账？",
                Kind.SINGLE,
                ("按时足额到账", "到账但金额没变", "还没到账", "家中暂无领取人"),
                (71, 6, 3, 20),
                depends=(0, "知道"),
            ),
            Q("这项政策实施以来，您是哭还是笑？", Kind.SINGLE, CRY_OR_SMILE, (74, 20, 6)),
            Q("您对政策宣传解读工作的评价", Kind.RATING, weights=(3, 5, 16, 41, 35)),
            Q(
                "您还有哪些意见和建议？",
                Kind.LONG_TEXT,
                required=False,
                answers=SUGGESTIONS_PENSION,
                rate=0.35,
            ),
        ],
    ),
    Spec(
        title="农村户厕改造（厕所革命）满意度回访",
        description="{owner}农村户厕改造已基本完成，现开展满意度回访。纸质问卷由村干部协助填写后录入系统。",
        purpose=Purpose.SATISFACTION,
        owner=("county_dept", 2, "nongye"),
        opened_days_ago=75,
        open_days=45,
        responses=(80, 150),
        paper_share=0.65,
        questions=[
            Q("您家的户厕是否已完成改造？", Kind.SINGLE, ("已完成", "正在改造", "未改造"), (85, 9, 6)),
            Q(
                "改厕后您家的厕所是否正常使用？",
                Kind.SINGLE,
                ("正常使用", "偶尔有问题", "无法使用"),
                (80, 16, 4),
                depends=(0, "已完成"),
            ),
            Q("户厕改造以来，您是哭还是笑？", Kind.SINGLE, CRY_OR_SMILE, (68, 24, 8)),
            Q("您对后期管护（抽粪、维修）服务的满意度", Kind.RATING, weights=(6, 9, 22, 38, 25)),
            Q(
                "您对改厕工作还有什么意见？",
                Kind.LONG_TEXT,
                required=False,
                answers=SUGGESTIONS_TOILET,
                rate=0.3,
            ),
        ],
    ),
    Spec(
        title="{owner}老旧小区改造居民意愿调查",
        description="{owner}拟申报明年老旧小区改造项目。改什么、怎么改，请居民说了算。",
        purpose=Purpose.RESEARCH,
        owner=("township", 0, None),
        opened_days_ago=12,
        open_days=30,
        responses=(90, 200),
        paper_share=0.2,
        ask_phone=True,
        questions=[
            Q(
                "您居住在几楼？",
                Kind.SINGLE,
                ("一楼", "二至三楼", "四至五楼", "六楼及以上"),
                (18, 34, 33, 15),
            ),
            Q(
                "您最希望改造的项目（最多选 3 项）",
                Kind.MULTIPLE,
                (
                    "加装电梯",
                    "屋面防水",
                    "外墙保温",
                    "增加停车位",
                    "雨污分流",
                    "绿化提升",
                    "监控安防",
                    "适老化改造",
                ),
                (48, 42, 25, 55, 36, 20, 28, 30),
                max_choices=3,
            ),
            Q(
                "如加装电梯需要居民分摊部分费用，您是否愿意？",
                Kind.SINGLE,
                ("愿意", "视出资比例而定", "不愿意"),
                (34, 41, 25),
            ),
            Q("不愿意的主要原因是什么？", Kind.SHORT_TEXT, depends=(2, "不愿意"), answers=REASONS_NO_LIFT),
            Q("您对目前小区物业服务的满意度", Kind.RATING, weights=(14, 19, 33, 24, 10)),
            Q(
                "您对小区改造还有什么建议？",
                Kind.LONG_TEXT,
                required=False,
                answers=SUGGESTIONS_ESTATE,
                rate=0.4,
            ),
        ],
    ),
    Spec(
        title="山区学生上学出行情况调研",
        description="为科学规划校车线路和寄宿安排，{owner}开展本次调研，请学生家长如实填写。",
        purpose=Purpose.RESEARCH,
        owner=("county_dept", 2, "jiaoyu"),
        opened_days_ago=130,
        open_days=30,
        responses=(60, 120),
        paper_share=0.6,
        questions=[
            Q("孩子就读学段", Kind.SINGLE, ("小学", "初中", "高中"), (52, 35, 13)),
            Q(
                "孩子平时上学的方式",
                Kind.SINGLE,
                ("步行", "家长接送", "校车", "公交/班车", "寄宿"),
                (30, 28, 12, 10, 20),
            ),
            Q(
                "单程上学大约需要多长时间？",
                Kind.SINGLE,
                ("15 分钟以内", "15–30 分钟", "30 分钟–1 小时", "1 小时以上"),
                (22, 36, 29, 13),
            ),
            Q("您家是否需要开通校车？", Kind.SINGLE, ("需要", "不需要"), (58, 42)),
            Q(
                "您对孩子上学出行还有什么建议？",
                Kind.LONG_TEXT,
                required=False,
                answers=SUGGESTIONS_SCHOOL,
                rate=0.3,
            ),
        ],
    ),
    Spec(
        title="就业创业政策宣讲会回访问卷",
        description="感谢您参加{owner}就业创业政策宣讲会。请告诉我们宣讲效果和您的培训需求。",
        purpose=Purpose.OUTREACH,
        owner=("county_dept", 1, "renshe"),
        opened_days_ago=40,
        open_days=60,
        responses=(40, 90),
        paper_share=0.25,
        questions=[
            Q("宣讲内容您听得懂吗？", Kind.SINGLE, ("听得懂", "大部分听得懂", "听不太懂"), (58, 35, 7)),
            Q(
                "您最关注的政策（最多选 2 项）",
                Kind.MULTIPLE,
                ("创业担保贷款", "技能培训补贴", "灵活就业社保补贴", "公益性岗位", "返乡创业扶持"),
                (40, 45, 30, 22, 28),
                max_choices=2,
            ),
            Q("您近期是否有参加技能培训的意愿？", Kind.SINGLE, ("有", "没有"), (64, 36)),
            Q(
                "您想参加哪类培训？（最多选 2 项）",
                Kind.MULTIPLE,
                ("电工", "焊工", "家政服务", "电商直播", "中式烹调", "特色种养"),
                (20, 12, 30, 34, 18, 26),
                max_choices=2,
                depends=(2, "有"),
            ),
            Q("您对本次宣讲的总体评价", Kind.RATING, weights=(2, 4, 14, 42, 38)),
            Q("您还想了解哪些政策？", Kind.SHORT_TEXT, required=False, answers=WANT_TO_KNOW, rate=0.3),
        ],
    ),
    Spec(
        title="防范电信网络诈骗宣讲回访",
        description="{owner}反诈宣讲进社区活动回访问卷，约需 1 分钟。",
        purpose=Purpose.OUTREACH,
        owner=("county_dept", 0, "gongan"),
        opened_days_ago=25,
        open_days=30,
        responses=(30, 70),
        questions=[
            Q(
                "宣讲后，您是否已安装“国家反诈中心”APP？",
                Kind.SINGLE,
                ("已安装", "准备安装", "不打算安装"),
                (61, 27, 12),
            ),
            Q("近三个月您是否接到过可疑电话或短信？", Kind.SINGLE, ("经常", "偶尔", "没有"), (18, 55, 27)),
            Q("宣讲后您识别常见诈骗手法的信心", Kind.RATING, weights=(2, 4, 18, 44, 32)),
            Q("您对反诈宣传有什么建议？", Kind.SHORT_TEXT, required=False, answers=FRAUD_ADVICE, rate=0.3),
        ],
    ),
    Spec(
        title="生活垃圾分类工作满意度调查",
        description="{owner}生活垃圾分类实施一年，请您评一评。",
        purpose=Purpose.SATISFACTION,
        owner=("county_dept", 0, "chengguan"),
        opened_days_ago=160,
        open_days=30,
        responses=(100, 200),
        paper_share=0.15,
        status=Status.CLOSED,
        questions=[
            Q("您家平时是否进行垃圾分类？", Kind.SINGLE, ("每次都分", "有时分", "基本不分"), (46, 40, 14)),
            Q("垃圾分类实行以来，您是哭还是笑？", Kind.SINGLE, CRY_OR_SMILE, (55, 33, 12)),
            Q("您对垃圾收运及时性的满意度", Kind.RATING, weights=(7, 11, 27, 35, 20)),
            Q("您对垃圾分类工作的意见", Kind.LONG_TEXT, required=False, answers=SORTING_ADVICE, rate=0.35),
        ],
    ),
    Spec(
        title="乡村客运班线需求调研",
        description="{owner}拟优化乡村客运班线，请沿线群众填写出行需求。",
        purpose=Purpose.RESEARCH,
        owner=("county_dept", 1, "jiaotong"),
        opened_days_ago=210,
        open_days=25,
        responses=(20, 60),
        paper_share=0.7,
        status=Status.CLOSED,
        questions=[
            Q(
                "您每周乘坐客运班车的次数",
                Kind.SINGLE,
                ("基本不坐", "1–2 次", "3–5 次", "每天"),
                (20, 45, 25, 10),
            ),
            Q(
                "您乘车主要去做什么？（最多选 2 项）",
                Kind.MULTIPLE,
                ("赶集购物", "看病", "上学", "上班", "走亲访友"),
                (50, 30, 22, 18, 25),
                max_choices=2,
            ),
            Q(
                "您最希望增加哪个时段的班次？",
                Kind.SINGLE,
                ("早上 7 点前", "上午", "下午", "傍晚 5 点后"),
                (38, 17, 15, 30),
            ),
            Q("您对现在班车服务的满意度", Kind.RATING, weights=(10, 16, 35, 27, 12)),
            Q("其他意见", Kind.SHORT_TEXT, required=False, answers=BUS_ADVICE, rate=0.25),
        ],
    ),
]
DRAFT = Spec(
    title="2026 年度群众安全感和满意度调查（草稿）",
    description="年度群众安全感调查，题目尚在征求意见，暂未发布。",
    purpose=Purpose.SATISFACTION,
    owner=("city", 0, None),
    opened_days_ago=-20,
    open_days=30,
    responses=(0, 0),
    status=Status.DRAFT,
    questions=[
        Q(
            "您觉得您所在的村（社区）治安状况怎么样？",
            Kind.SINGLE,
            ("很安全", "比较安全", "不太安全", "不安全"),
        ),
        Q("过去一年，您对当地政法机关工作的满意度", Kind.RATING),
    ],
)


def seed(org: orgtree.Org, rng: random.Random, today: date) -> list[Questionnaire]:
    tz = timezone.get_default_timezone()
    now = timezone.now()
    made = []
    for spec in [*SPECS, DRAFT]:
        q, questions = _build(org, spec, today, tz)
        if spec.responses[1]:
            _answer(org, rng, spec, q, questions, now, tz)
        made.append(q)
    return made


def _owner(org, owner):
    kind, index, department = owner
    if kind == "city":
        return org.city
    county = org.counties[index % len(org.counties)]
    if kind == "county":
        return county.unit
    if kind == "county_dept":
        return county.departments[department]
    return county.townships[index % len(county.townships)]


def _build(org, spec, today, tz):
    unit = _owner(org, spec.owner)
    opens = timezone.make_aware(datetime.combine(today - timedelta(days=spec.opened_days_ago), time(8)), tz)
    closes = timezone.make_aware(
        datetime.combine(today - timedelta(days=spec.opened_days_ago - spec.open_days), time(18)), tz
    )
    status = spec.status or (Status.OPEN if closes > timezone.now() else Status.CLOSED)
    creator = org.heads.get(unit.pk) or org.leaders[unit.pk]
    q = Questionnaire.objects.create(
        title=spec.title.format(owner=unit.name),
        description=spec.description.format(owner=unit.name),
        owner_unit=unit,
        purpose=spec.purpose,
        opens_at=opens,
        closes_at=closes,
        status=status,
        ask_phone=spec.ask_phone,
        created_by=creator,
        created_at=opens - timedelta(days=3),
    )
    questions = []
    for position, item in enumerate(spec.questions, 1):
        parent, option = (questions[item.depends[0]], item.depends[1]) if item.depends else (None, "")
        questions.append(
            Question.objects.create(
                questionnaire=q,
                position=position,
                text=item.text,
                kind=item.kind,
                required=item.required,
                options=list(item.options),
                max_choices=item.max_choices,
                depends_on=parent,
                depends_option=option,
            )
        )
    return q, questions


def _answer(org, rng, spec, q, questions, now, tz):
    unit = q.owner_unit
    clerk = org.handlers.get(unit.pk) or org.heads.get(unit.pk) or org.supervisors.get(unit.pk)
    last = min(q.closes_at, now)
    seconds = int((last - q.opens_at).total_seconds())
    phones = set()
    responses, answer_sets = [], []
    for _ in range(rng.randint(*spec.responses)):
        on_paper = rng.random() < spec.paper_share
        at = q.opens_at + timedelta(seconds=rng.randrange(seconds))
        if on_paper:  # entered at the office, during office hours
            local = timezone.localtime(at, tz)
            at = timezone.make_aware(datetime.combine(local.date(), time(9)), tz)
            at += timedelta(minutes=rng.randint(0, 8 * 60))
            at = min(max(at, q.opens_at), last)
        digest = ""
        if q.ask_phone and not on_paper:  # residents leave their phone online; paper forms seldom carry one
            phone = texts.mobile(rng)
            while phone in phones:
                phone = texts.mobile(rng)
            phones.add(phone)
            digest = phone_hash(q, phone)
        responses.append(
            Response(
                questionnaire=q,
                submitted_at=at,
                on_paper=on_paper,
                entered_by=clerk if on_paper else None,
                phone_hash=digest,
            )
        )
        answer_sets.append(_fill(rng, spec, questions))
    Response.objects.bulk_create(responses, batch_size=500)
    Answer.objects.bulk_create(
        [
            Answer(response=r, question=question, **values)
            for r, answers in zip(responses, answer_sets, strict=True)
            for question, values in answers
        ],
        batch_size=1000,
    )


def _fill(rng, spec, questions):
    """One resident's answers, shown questions only (as answering.read keeps them)."""
    picked, out = {}, []
    for index, (item, question) in enumerate(zip(spec.questions, questions, strict=True)):
        if item.depends and item.depends[1] not in picked.get(item.depends[0], []):
            continue
        if not item.required and rng.random() > item.rate:
            continue
        if item.kind == Kind.SINGLE:
            choice = rng.choices(item.options, weights=item.weights)[0]
            picked[index] = [choice]
            out.append((question, {"choices": [choice]}))
        elif item.kind == Kind.MULTIPLE:
            n = rng.randint(1, item.max_choices or len(item.options))
            chosen = set()
            while len(chosen) < n:
                chosen.add(rng.choices(item.options, weights=item.weights)[0])
            ordered = [o for o in item.options if o in chosen]
            picked[index] = ordered
            out.append((question, {"choices": ordered}))
        elif item.kind == Kind.RATING:
            out.append((question, {"rating": rng.choices(range(1, 6), weights=item.weights)[0]}))
        else:
            out.append((question, {"text": rng.choice(item.answers)}))
    return out
