"""Demo research work: a handful of research topics per county over the past year, each with
field visits, findings (some put on the problem ledger) and, for most, a questionnaire that
residents answered.

Everything is written through the real actions (research, surveys, ledger), so the demo holds
exactly what users would have made; afterwards the timestamps are moved back to the days the
work happened, since the actions stamp "now".
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from grassroots.accounts.models import Level
from grassroots.ledger.models import Problem, ProblemEvent
from grassroots.research import actions
from grassroots.research.models import Finding, ResearchTopic, TopicEvent
from grassroots.surveys import actions as survey_actions
from grassroots.surveys.models import Kind, Response
from grassroots.surveys.models import Status as SurveyStatus

TOPICS_PER_COUNTY = 3


@dataclass(frozen=True)
class Theme:
    title: str  # "{place}…"
    description: str
    department: str  # orgtree department key that takes the findings at county level
    visits: tuple  # visit titles, "{village}…"
    summaries: tuple
    findings: tuple  # (domain, finding, suggested measures)
    questions: tuple  # (text, kind, options, max_choices)
    comments: tuple  # answers to the long-text question
    setting: str = "any"  # "rural" or "urban" when the theme only fits one kind of county


THEMES = (
    Theme(
        "{place}居家养老服务需求调研",
        "摸清辖区高龄、独居老人的助餐、助医、助浴需求，为完善居家养老服务网络提供依据。",
        "minzheng",
        ("走访{village}老年食堂", "{village}独居老人入户走访", "{village}养老服务站座谈"),
        (
            "与 12 位老人及家属座谈，助餐点离部分居民点较远，有的老人靠邻居帮忙送饭。",
            "入户走访独居老人 8 户，其中 3 户有慢性病，希望家庭医生定期上门。",
            "养老服务站日均接待 20 余人次，护理员仅 2 名，周末无人值守。",
        ),
        (
            (
                "elderly",
                "部分老人居住分散，吃饭难，助餐点覆盖不足。",
                "利用村（社区）活动场所增设助餐点，开通流动送餐。",
            ),
            ("elderly", "养老服务站护理员不足，周末无人值守。", "通过公益性岗位补充护理员，实行轮班。"),
            ("medical", "独居老人慢性病随访不及时。", "家庭医生签约服务每月上门随访一次。"),
        ),
        (
            ("您目前主要由谁照料日常生活？", Kind.SINGLE, ("自己", "配偶", "子女", "保姆或护工"), None),
            ("您最需要哪些养老服务？（最多选两项）", Kind.MULTIPLE, ("助餐", "助医", "助浴", "上门探访"), 2),
            ("您对本地养老服务的满意度", Kind.RATING, (), None),
            ("您对养老服务还有哪些意见和建议？", Kind.LONG_TEXT, (), None),
        ),
        (
            "希望家附近能有个吃饭的地方，中午有口热饭。",
            "家庭医生能多来几次就好了。",
            "养老服务站周末也能开门。",
            "希望助餐价格再便宜一点。",
            "上门探访的志愿者很热心，感谢。",
        ),
    ),
    Theme(
        "{place}农村劳动力就业情况调研",
        "了解返乡人员和脱贫劳动力就业意愿、技能培训需求，推动稳岗就业和技能提升。",
        "renshe",
        ("{village}返乡人员座谈", "走访{village}就业帮扶车间", "{village}脱贫户入户走访"),
        (
            "座谈返乡人员 15 人，多数希望就近就业，电工、焊工培训需求大。",
            "帮扶车间吸纳本村 32 人就业，订单不稳定，淡季工资下降明显。",
            "入户走访 10 户，2 户家庭主要劳动力因病无法外出务工。",
        ),
        (
            (
                "employment",
                "技能培训与群众需求不匹配，电工、焊工等工种培训少。",
                "按需开设电工、焊工等订单式培训班。",
            ),
            (
                "employment",
                "帮扶车间订单不稳定，淡季务工收入下降。",
                "对接县内企业稳定订单，落实吸纳就业补贴。",
            ),
            ("social_security", "部分灵活就业人员未参加养老保险。", "上门宣传城乡居民养老保险参保政策。"),
        ),
        (
            ("您目前的就业状态是？", Kind.SINGLE, ("本地务工", "外出务工", "务农", "暂未就业"), None),
            (
                "您希望参加哪些技能培训？（最多选两项）",
                Kind.MULTIPLE,
                ("电工", "焊工", "家政", "电商", "养殖"),
                2,
            ),
            ("您对本地就业服务的满意度", Kind.RATING, (), None),
            ("您在就业方面还有哪些困难？", Kind.LONG_TEXT, (), None),
        ),
        (
            "希望在家门口找份稳定的工作，能照顾老人孩子。",
            "培训能不能安排在农闲的时候。",
            "车间工资能按月发就好了。",
            "想学电商卖自家的农产品。",
        ),
        setting="rural",
    ),
    Theme(
        "{place}基层医疗服务能力调研",
        "了解村卫生室、社区卫生服务站运行和家庭医生签约情况，提升基层医疗服务能力。",
        "weijian",
        ("走访{village}卫生服务点", "{village}群众看病就医座谈", "{village}家庭医生签约情况调研"),
        (
            "卫生服务点药品品种偏少，常用降压药时有断供，基层医生年龄偏大。",
            "群众反映到乡镇卫生院看病需转两趟车，夜间急诊不便。",
            "家庭医生签约率较高，但履约随访次数不足。",
        ),
        (
            (
                "medical",
                "基层卫生服务点常用药品品种少，时有断供。",
                "建立县域一体化药品配送，保障常用药供应。",
            ),
            ("medical", "基层医生年龄偏大，后继乏人。", "定向培养基层医生，落实待遇保障。"),
            ("transport", "群众到乡镇卫生院就医交通不便。", "优化城乡公交线路，增加卫生院停靠站点。"),
        ),
        (
            (
                "您平时看病首选哪里？",
                Kind.SINGLE,
                ("村卫生室或社区卫生服务站", "乡镇卫生院", "县级医院", "药店"),
                None,
            ),
            (
                "您认为基层医疗最需改进的方面？（最多选两项）",
                Kind.MULTIPLE,
                ("药品种类", "医生水平", "就医交通", "报销比例"),
                2,
            ),
            ("您对基层医疗服务的满意度", Kind.RATING, (), None),
            ("您对看病就医还有哪些意见？", Kind.LONG_TEXT, (), None),
        ),
        (
            "家门口卫生室的降压药经常没有。",
            "希望卫生院晚上也有医生值班。",
            "报销手续再简单一点就好了。",
            "家庭医生服务很好，希望多来几次。",
        ),
    ),
    Theme(
        "{place}农村客运和群众出行调研",
        "了解农村客运班线运行、学生上下学和群众出行情况，解决出行难问题。",
        "jiaotong",
        ("{village}候车点走访", "{village}群众出行座谈", "走访{village}学生上下学路线"),
        (
            "候车点无遮雨棚，班车每天只有两趟，赶集日车上十分拥挤。",
            "群众反映末班车太早，外出务工人员傍晚回村无车可乘。",
            "学生上下学需步行 3 公里，途经无护栏的急弯路段。",
        ),
        (
            ("transport", "农村客运班次少，末班车发车过早。", "赶集日加密班次，末班车延后至 18 时。"),
            ("transport", "候车点缺少遮雨棚和站牌。", "对候车点进行标准化改造。"),
            ("education", "学生上下学途经急弯路段无防护设施。", "增设护栏和警示标志，开通学生专线。"),
        ),
        (
            ("您平时出行主要方式是？", Kind.SINGLE, ("班车", "电动车", "私家车", "步行"), None),
            (
                "您认为出行最大的困难？（最多选两项）",
                Kind.MULTIPLE,
                ("班次少", "末班车早", "候车点条件差", "路况差"),
                2,
            ),
            ("您对农村客运服务的满意度", Kind.RATING, (), None),
            ("您对改善出行还有哪些建议？", Kind.LONG_TEXT, (), None),
        ),
        (
            "末班车能不能晚一点。",
            "赶集那天车太挤了，希望加车。",
            "候车点下雨没地方躲。",
            "孩子上学路上有个急弯，很危险。",
        ),
        setting="rural",
    ),
    Theme(
        "{place}农村人居环境整治调研",
        "了解生活垃圾收运、生活污水治理和村容村貌情况，推进人居环境整治提升。",
        "huanbao",
        ("{village}生活污水治理走访", "{village}垃圾收运情况调研", "{village}村容村貌座谈"),
        (
            "部分农户生活污水直排沟渠，夏季异味明显。",
            "垃圾收运每周两次，集中点容量不足，时有溢出。",
            "村民参与积极，希望建设小游园和健身场地。",
        ),
        (
            ("environment", "部分农户生活污水直排沟渠。", "实施农村生活污水管网延伸工程。"),
            ("environment", "垃圾集中点容量不足，收运频次低。", "增设分类垃圾桶，收运频次提高到每日一次。"),
            ("other", "村内缺少公共活动场地。", "利用闲置地块建设小游园。"),
        ),
        (
            ("您家生活污水如何处理？", Kind.SINGLE, ("接入管网", "化粪池", "直接排放", "不清楚"), None),
            ("您最希望改善的环境问题？（最多选两项）", Kind.MULTIPLE, ("污水", "垃圾", "道路", "绿化"), 2),
            ("您对村里人居环境的满意度", Kind.RATING, (), None),
            ("您对人居环境整治还有哪些建议？", Kind.LONG_TEXT, (), None),
        ),
        (
            "沟里的污水夏天很臭，希望早点接管网。",
            "垃圾桶太少了，经常满出来。",
            "希望村里有个散步的地方。",
            "整治以后村里干净多了。",
        ),
        setting="rural",
    ),
    Theme(
        "{place}老旧小区改造群众意愿调研",
        "了解老旧小区居民对加装电梯、管网改造、停车等改造内容的意愿，科学制定改造方案。",
        "zhujian",
        ("{village}老旧小区入户调查", "{village}居民议事会", "走访{village}物业服务中心"),
        (
            "小区建于 1990 年代，无电梯，高层老人下楼困难，加装电梯意愿较强。",
            "居民对停车位不足、雨污管网老化反映集中。",
            "物业费收缴率低，公共设施维护资金不足。",
        ),
        (
            ("housing", "老旧小区无电梯，高层老人出行困难。", "按程序推进加装电梯，落实财政补助。"),
            ("housing", "雨污管网老化，雨季积水。", "将管网改造纳入年度老旧小区改造计划。"),
            ("transport", "小区停车位严重不足。", "挖潜增设停车位，错时开放周边单位停车场。"),
        ),
        (
            ("您是否支持加装电梯？", Kind.SINGLE, ("支持", "不支持", "无所谓"), None),
            (
                "您最希望改造的内容？（最多选两项）",
                Kind.MULTIPLE,
                ("加装电梯", "管网改造", "停车位", "外墙保温"),
                2,
            ),
            ("您对小区目前居住条件的满意度", Kind.RATING, (), None),
            ("您对小区改造还有哪些意见？", Kind.LONG_TEXT, (), None),
        ),
        (
            "家里老人住六楼，下楼太难了，支持装电梯。",
            "一楼住户担心影响采光。",
            "下雨天楼道口积水严重。",
            "晚上回来没地方停车。",
        ),
        setting="urban",
    ),
)

RATING_WEIGHTS = (1, 2, 5, 9, 6)  # 1 to 5 points: mostly satisfied, some not


def _at(day: date, rng: random.Random, lo=9, hi=17) -> datetime:
    """A moment of office hours on `day`, never later than now."""
    moment = datetime.combine(day, time(rng.randint(lo, hi - 1), rng.randint(0, 59)))
    return min(timezone.make_aware(moment), timezone.now())


def _office(place) -> str:
    """Where a visit to a village or community meets: its committee's office."""
    if place.level != Level.VILLAGE:
        return ""
    return place.name + ("居委会" if place.name.endswith("社区") else "委会")


def _restamp_last_event(topic, when):
    last = TopicEvent.objects.filter(topic=topic).order_by("-id").first()
    TopicEvent.objects.filter(pk=last.pk).update(at=when)


@dataclass
class _Plan:
    """Where a topic is run, by whom, when."""

    county: object
    unit: object
    owner: object
    places: list
    starts_on: date
    ends_on: date
    theme: Theme


def _plans(org, rng, today):
    plans = []
    for county in org.counties:
        leader = org.leaders[county.unit.pk]
        villages = [v for v, _township, c in org.villages if c is county]
        setting = "urban" if county.unit.name.endswith("区") else "rural"
        themes = [t for t in THEMES if t.setting in ("any", setting)]
        for n, theme in enumerate(rng.sample(themes, TOPICS_PER_COUNTY)):
            township = rng.choice(county.townships) if n and county.townships else None
            if township is not None:
                unit, owner = township, org.heads.get(township.pk, leader)
                places = [v for v, t, _c in org.villages if t == township] or [township]
            else:
                unit, owner, places = county.unit, leader, villages or county.townships or [county.unit]
            # the first topic of a county is recent and still running; the others may be concluded
            starts_on = today - timedelta(days=rng.randint(20, 45) if n == 0 else rng.randint(60, 330))
            ends_on = starts_on + timedelta(days=rng.randint(60, 150))
            plans.append(_Plan(county, unit, owner, places, starts_on, ends_on, theme))
    return plans


def _visits(org, rng, topic, plan, today):
    last_day = min(plan.ends_on, today)
    span = (last_day - plan.starts_on).days
    days = sorted({plan.starts_on + timedelta(days=rng.randint(0, span)) for _ in range(rng.randint(2, 4))})
    leader = org.leaders[plan.county.unit.pk]
    for i, day in enumerate(days):
        place = rng.choice(plan.places)
        officials = {plan.owner} | ({leader} if rng.random() < 0.3 else set())
        actions.add_visit(
            topic,
            plan.owner,
            title=plan.theme.visits[i % len(plan.theme.visits)].format(village=place.name),
            place=place,
            address=_office(place),
            date=day,
            duration_minutes=rng.choice((90, 120, 150, 180, 240)),
            officials=sorted(officials, key=lambda u: u.pk),
            summary=plan.theme.summaries[i % len(plan.theme.summaries)],
        )
        _restamp_last_event(topic, _at(day, rng, 17, 20))
    return len(days)


def _answers(rng, questions, theme):
    values = {}
    for q in questions:
        if q.kind == Kind.SINGLE:
            values[q.pk] = {"choices": [rng.choices(q.options, weights=range(len(q.options), 0, -1))[0]]}
        elif q.kind == Kind.MULTIPLE:
            picked = set(rng.sample(q.options, rng.randint(1, q.max_choices or 1)))
            values[q.pk] = {"choices": [o for o in q.options if o in picked]}
        elif q.kind == Kind.RATING:
            values[q.pk] = {"rating": rng.choices(range(1, 6), weights=RATING_WEIGHTS)[0]}
        elif rng.random() < 0.5:  # the comment question is optional: about half write one
            values[q.pk] = {"text": rng.choice(theme.comments)}
    return values


def _questionnaire(rng, topic, plan, today) -> int:
    """A questionnaire for the topic, answered on the public link and on paper; returns responses."""
    opens = _at(plan.starts_on, rng)
    closes = _at(min(plan.starts_on + timedelta(days=30), today), rng, 17, 18) + timedelta(days=1)
    link = actions.create_questionnaire(
        topic,
        plan.owner,
        title=f"{topic.title}调查问卷",
        description="为了解群众的实际需求，请您如实填写，谢谢支持！",
        owner_unit=plan.unit,
        purpose="research",
        opens_at=opens,
        closes_at=closes,
        ask_phone=False,
    )
    _restamp_last_event(topic, opens)
    q = link.questionnaire
    for text, kind, options, max_choices in plan.theme.questions:
        survey_actions.save_question(
            q,
            text=text,
            kind=kind,
            required=kind != Kind.LONG_TEXT,
            options=list(options),
            max_choices=max_choices,
        )
    survey_actions.set_status(q, SurveyStatus.OPEN)
    questions = list(q.questions.all())
    count = rng.randint(15, 40)
    window = max(int((min(closes, timezone.now()) - opens).total_seconds()), 3600)
    for _ in range(count):
        on_paper = rng.random() < 0.3
        response = survey_actions.submit(
            q,
            _answers(rng, questions, plan.theme),
            on_paper=on_paper,
            entered_by=plan.owner if on_paper else None,
        )
        submitted = opens + timedelta(seconds=rng.randint(0, window - 1))
        Response.objects.filter(pk=response.pk).update(submitted_at=submitted)
    if closes < timezone.now():
        survey_actions.set_status(q, SurveyStatus.CLOSED)
    return count


def _responsible(org, plan):
    """Who takes a finding: the county department for a county topic, else the township."""
    if plan.unit == plan.county.unit:
        return plan.county.departments.get(plan.theme.department, plan.unit)
    return plan.unit


def _findings(org, rng, topic, plan, today) -> tuple[int, int]:
    chosen = rng.sample(plan.theme.findings, rng.randint(2, len(plan.theme.findings)))
    day = min(plan.ends_on, today)
    listed = 0
    for domain, text, measures in chosen:
        finding = actions.add_finding(topic, plan.owner, text=text, domain=domain, measures=measures)
        when = _at(day - timedelta(days=rng.randint(0, 10)), rng)
        Finding.objects.filter(pk=finding.pk).update(created_at=when)
        _restamp_last_event(topic, when)
        if rng.random() < 0.6:
            unit = _responsible(org, plan)
            problem = actions.put_on_ledger(
                finding,
                plan.owner,
                version=finding.version,
                responsible_unit=unit,
                responsible_leader=org.heads.get(unit.pk),
                deadline=day + timedelta(days=rng.randint(30, 120)),
                place=rng.choice(plan.places),
                measures=measures,
            )
            listed_at = min(when + timedelta(minutes=rng.randint(10, 120)), timezone.now())
            Problem.objects.filter(pk=problem.pk).update(created_at=listed_at)
            ProblemEvent.objects.filter(problem=problem).update(at=listed_at)
            _restamp_last_event(topic, listed_at)
            listed += 1
    return len(chosen), listed


def seed(org, rng: random.Random, today: date) -> dict:
    """Write the demo research work for the demo tree `org` (grassroots.demo.orgtree.Org);
    returns how many of each thing were made."""
    counts = dict.fromkeys(("topics", "visits", "questionnaires", "responses", "findings", "on_ledger"), 0)
    for plan in _plans(org, rng, today):
        topic = actions.create_topic(
            actor=plan.owner,
            title=plan.theme.title.format(place=plan.unit.name),
            description=plan.theme.description,
            unit=plan.unit,
            owner=plan.owner,
            starts_on=plan.starts_on,
            ends_on=plan.ends_on,
        )
        ResearchTopic.objects.filter(pk=topic.pk).update(created_at=_at(plan.starts_on, rng))
        _restamp_last_event(topic, _at(plan.starts_on, rng))
        counts["topics"] += 1
        counts["visits"] += _visits(org, rng, topic, plan, today)
        if rng.random() < 0.75:
            counts["questionnaires"] += 1
            counts["responses"] += _questionnaire(rng, topic, plan, today)
        found, listed = _findings(org, rng, topic, plan, today)
        counts["findings"] += found
        counts["on_ledger"] += listed
        if plan.ends_on < today:
            topic.refresh_from_db()
            actions.conclude(topic, plan.owner, version=topic.version)
            _restamp_last_event(topic, _at(plan.ends_on, rng, 20, 22))  # after the day's other work
    return counts
