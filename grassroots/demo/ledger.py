"""Demo problems for the ledger (整改台账): about 150 across every domain, source and status
(overdue ones too), each with the timeline its actions would have written and photos on the
finished ones; some are taken from demo appeals.

`seed(org, rng, today, appeals=())` writes them in bulk with past timestamps (the actions
stamp the present), leaving exactly the fields and events `ledger/actions.py` leaves:
版本号 counts the actions, 完成 sets progress 100 and done_at, 验收 and 销号 are signed by a
role over the unit above (the city's own leader for the city's problems).
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from grassroots.ledger.models import Domain, EventKind, Evidence, Problem, ProblemEvent, Source, Status

from . import orgtree

OVERDUE = "overdue"  # planned as in_progress with its deadline passed
# share of each planned state
STATE_SHARES = [
    (Status.CLOSED, 0.32),
    (Status.ACCEPTED, 0.09),
    (Status.DONE, 0.13),
    (OVERDUE, 0.15),
    (Status.IN_PROGRESS, 0.31),
]
SOURCE_WEIGHTS = [(Source.APPEAL, 30), (Source.RESEARCH, 22), (Source.ONSITE, 20), (Source.SELF_CHECK, 28)]
# Which county departments take a domain's problems; a township takes the rest (属地).
DOMAIN_DEPARTMENTS = {
    Domain.EMPLOYMENT: ["renshe"],
    Domain.EDUCATION: ["jiaoyu"],
    Domain.MEDICAL: ["weijian", "yibao"],
    Domain.ELDERLY: ["minzheng"],
    Domain.SOCIAL_SECURITY: ["renshe", "yibao", "minzheng"],
    Domain.HOUSING: ["zhujian", "ziran"],
    Domain.TRANSPORT: ["jiaotong"],
    Domain.ENVIRONMENT: ["huanbao", "chengguan"],
    Domain.OTHER: ["shichang", "nongye", "zhengwu"],
}
CITY_DOMAINS = {
    Domain.EMPLOYMENT: "renshe",
    Domain.EDUCATION: "jiaoyu",
    Domain.MEDICAL: "weijian",
    Domain.HOUSING: "zhujian",
    Domain.ENVIRONMENT: "huanbao",
    Domain.OTHER: "shichang",
}

# (description, measures, progress notes in order); {village} {township} {county} {unit} are filled in.
PROBLEMS = {
    Domain.EMPLOYMENT: [
        (
            "{township}返乡务工人员较多，本地岗位信息发布零散，群众反映“有活没人知道、有人找不到活”。",
            "在{township}便民服务中心设就业服务窗口，每周更新岗位信息；每季度联合县人社局举办一次专场招聘会。",
            [
                "已设立就业服务窗口，安排专人值守",
                "已通过村务微信群发布岗位信息 3 期，共 86 个岗位",
                "春季专场招聘会已举办，现场达成就业意向 42 人",
            ],
        ),
        (
            "{village}脱贫户中有劳动能力但未就业的 17 人，技能单一，外出务工意愿不强。",
            "逐户摸清就业意愿，组织电工、家政、电商等技能培训，开发乡村公益性岗位兜底安置。",
            [
                "已逐户走访，建立就业意愿台账",
                "首期家政培训班开班，参训 12 人",
                "已开发护林、保洁公益性岗位 6 个并上岗",
            ],
        ),
        (
            "{county}部分小微企业反映稳岗补贴申领材料繁多、到账慢。",
            "梳理申领流程，实行“免申即享”，对符合条件企业直接拨付；每月通报办理进度。",
            ["已完成流程梳理，材料由 9 项精简为 3 项", "第一批 64 家企业补贴已直接拨付"],
        ),
        (
            "{township}扶贫车间订单不稳定，部分时段工人停工待料，群众收入不稳定。",
            "对接县内龙头企业稳定订单，争取产业扶持资金更新设备，建立用工与订单双台账。",
            ["已与 2 家企业签订长期供货协议", "设备更新资金已申报", "车间已恢复满负荷生产"],
        ),
    ],
    Domain.EDUCATION: [
        (
            "{village}至{township}中心小学的上学路段无人行道，学生上下学与车辆混行，存在安全隐患。",
            "增设护栏和减速带，在校门口设置护学岗；协调公交公司调整放学时段班次。",
            [
                "护栏和减速带施工方案已确定",
                "减速带、警示标志已安装完成",
                "护学岗已设立，每日由教师和志愿者值守",
            ],
        ),
        (
            "{township}中心幼儿园学位紧张，今年秋季约 40 名适龄幼儿无法就近入园。",
            "利用闲置村小校舍改建幼儿园分园，增加 3 个班 90 个学位；优先保障留守儿童入园。",
            ["分园改建方案已通过评审", "主体改造工程完成 60%", "分园已完成验收并招生"],
        ),
        (
            "{county}部分学校课后服务内容单一，家长反映“只是看作业”，参与意愿不高。",
            "每校至少开设 5 类兴趣课程，引入退休教师、非遗传承人等校外资源，每学期开展家长满意度调查。",
            ["已完成全县课后服务课程清单", "引入校外师资 38 人", "家长满意度调查显示满意率 92%"],
        ),
        (
            "{village}留守儿童较多，周末和假期缺少看护和学习辅导。",
            "依托村综合服务中心建设“童伴之家”，配备专职儿童主任，组织大学生志愿者假期支教。",
            ["“童伴之家”选址和设施采购已完成", "儿童主任已到岗", "暑期支教活动已开展，服务儿童 56 人次"],
        ),
    ],
    Domain.MEDICAL: [
        (
            "{village}卫生室长期只有一名村医，年事已高，常用药品不全，群众看小病也要跑到镇上。",
            "由{township}卫生院派驻医生每周坐诊两天，补齐基本药物目录药品，开通远程会诊。",
            ["卫生院已排定坐诊表，每周二、周五坐诊", "基本药物已配齐 86 种", "远程会诊设备已安装调试"],
        ),
        (
            "{township}卫生院缺少 B 超等常规检查设备，群众做检查需到县城，往返费时费钱。",
            "争取县级医共体设备下沉，配备彩超和 DR 各一台，县医院定期派技师培训。",
            ["设备采购已纳入医共体年度计划", "彩超已到位并投入使用", "技师培训已完成，可独立出具报告"],
        ),
        (
            "{county}县医院挂号排队时间长，老年人不会使用手机预约。",
            "保留人工窗口并增设老年人绿色通道，安排志愿者现场帮办，推行电话预约。",
            ["老年人绿色通道已开通", "导诊志愿者每日 4 人上岗", "电话预约已开通，日均预约 120 人次"],
        ),
        (
            "{village}慢性病患者多，家庭医生签约后随访不到位，部分签约“签而不约”。",
            "细化家庭医生团队包片责任，高血压、糖尿病患者每季度至少面对面随访一次，随访记录公开可查。",
            ["已重新划分包片责任区", "第一季度面对面随访完成率 78%", "随访完成率已达 96%"],
        ),
    ],
    Domain.ELDERLY: [
        (
            "{village}独居和高龄老人 60 余人，吃饭难问题突出，村里没有助餐点。",
            "利用村委会闲置用房建设老年食堂，按“政府补一点、集体出一点、个人付一点”运营，"
            "为 80 岁以上老人送餐上门。",
            ["选址和改造方案已确定", "厨房设备已安装，食品经营许可已办理", "老年食堂已开餐，日均就餐 45 人"],
        ),
        (
            "{township}敬老院床位紧张，失能半失能老人护理人员不足。",
            "新增护理型床位 30 张，公开招聘护理员 6 名并开展岗前培训，引入专业机构托管运营。",
            ["护理型床位改造完成 50%", "护理员招聘已完成", "专业机构托管协议已签订"],
        ),
        (
            "{county}部分高龄津贴发放不及时，老人反映要多次跑腿提交材料。",
            "与公安户籍数据比对实现高龄津贴自动认定，按月发放到社保卡，不再让老人跑腿。",
            ["数据比对规则已确定", "首批 1,240 名老人已自动认定", "已按月发放到社保卡"],
        ),
        (
            "{village}老年活动室设施陈旧，冬天没有取暖设备，老人无处活动。",
            "翻新老年活动室，添置取暖设备和文体器材，由村老年协会负责日常管理。",
            ["活动室翻新工程已开工", "取暖设备和器材已到位", "活动室已重新开放"],
        ),
    ],
    Domain.SOCIAL_SECURITY: [
        (
            "{township}部分低保对象动态调整不及时，有群众反映家庭条件好转后仍在享受低保。",
            "开展低保专项排查，入户核对家庭收入和财产，对不再符合条件的依规退出，评议结果张榜公示。",
            ["已完成入户核查 326 户", "对 11 户不符合条件的依规停保", "评议结果已在各村张榜公示"],
        ),
        (
            "{county}灵活就业人员参保缴费要到窗口办理，群众反映不方便。",
            "开通手机和银行网点缴费渠道，在各乡镇便民服务中心设自助终端，制作缴费操作指南。",
            ["手机缴费渠道已开通", "自助终端已在 8 个乡镇投入使用"],
        ),
        (
            "{village}部分群众不清楚城乡居民养老保险缴费档次，多数按最低档缴费，待遇偏低。",
            "组织社保政策进村宣讲，为 45 岁以上村民测算不同档次待遇，引导按能力提高缴费档次。",
            ["已开展政策宣讲 3 场", "已为 132 户测算待遇", "提高缴费档次 48 人"],
        ),
        (
            "{county}困难群众临时救助审批时间长，急难情况得不到及时救助。",
            "对急难型救助实行“先行救助、后补手续”，乡镇审批额度提高到 3000 元，5 个工作日内办结。",
            ["已修订临时救助办法", "乡镇审批权限已下放", "办理时限已压缩至 5 个工作日"],
        ),
    ],
    Domain.HOUSING: [
        (
            "{village}3 户农户房屋经鉴定为 C 级危房，雨季存在安全隐患。",
            "纳入农村危房改造计划，雨季前完成加固改造，改造期间安排过渡住房。",
            ["已完成危房鉴定和改造方案", "2 户加固工程已完工", "3 户全部完成改造并入住"],
        ),
        (
            "{township}老旧小区楼顶防水层老化，顶楼住户屋内漏水，雨天更严重。",
            "纳入老旧小区改造项目，更换楼顶防水层，同步整修外墙和雨落管。",
            ["已完成勘察设计", "防水层施工完成 70%", "防水工程完工，经淋水试验无渗漏"],
        ),
        (
            "{county}某安置小区交房三年仍未办理不动产证，群众多次反映。",
            "由{unit}牵头成立专班，逐项解决土地、规划、测绘手续问题，分批为群众办证。",
            ["专班已成立，梳理出 4 项遗留问题", "规划核实和测绘已完成", "首批 216 户已领证"],
        ),
        (
            "{township}公租房申请条件和轮候情况不公开，群众不知道排到第几位。",
            "在政务网站和便民服务中心公开公租房申请条件、轮候名单和分配结果，每月更新。",
            ["轮候名单已公开", "分配结果实行每月公示"],
        ),
    ],
    Domain.TRANSPORT: [
        (
            "{village}通组公路路面破损严重，坑洼多，雨天积水，村民出行和农产品运输困难。",
            "纳入农村公路提质改造计划，对破损路段修补并加宽，增设排水沟和错车道。",
            ["已完成路况勘察和预算", "路面修补完成 2.1 公里", "全线完工并通过交工验收"],
        ),
        (
            "{village}到{township}的客运班线一天只有两班，学生和老人出行不便。",
            "优化客运班线，增加早晚班次，推行预约响应式“村村通”公交。",
            ["已完成出行需求调查", "早晚各增加一个班次", "预约响应式公交已开通"],
        ),
        (
            "{township}集镇中心路段赶集日拥堵，车辆乱停乱放。",
            "划设临时停车区和限时停车位，赶集日安排交警和协管员疏导，增设交通指示标志。",
            ["临时停车区已划设", "赶集日疏导机制已建立", "拥堵情况明显缓解"],
        ),
        (
            "{village}村口国道交叉路口无信号灯，近一年发生多起交通事故。",
            "增设信号灯和电子抓拍设备，设置减速带和警示标志，对路口视线进行改善。",
            ["信号灯安装方案已报批", "信号灯和抓拍设备已安装"],
        ),
    ],
    Domain.ENVIRONMENT: [
        (
            "{village}生活污水直排河沟，夏季异味明显，群众反映强烈。",
            "建设村级污水处理设施，完善户用污水收集管网，建立运维管护机制。",
            ["污水处理设施选址已确定", "收集管网铺设完成 65%", "污水处理设施已投入运行，出水达标"],
        ),
        (
            "{township}垃圾中转站建在居民区附近，清运不及时，蚊蝇滋生。",
            "调整清运频次为每日两次，对中转站进行密闭化改造并定期消杀，研究中转站迁建选址。",
            ["清运频次已调整为每日两次", "密闭化改造已完成", "迁建选址已纳入规划"],
        ),
        (
            "{county}城区部分餐饮店油烟直排，周边居民投诉较多。",
            "开展餐饮油烟专项整治，督促安装油烟净化设备并定期清洗，建立清洗台账。",
            ["已排查餐饮店 214 家", "未安装净化设备的 37 家已全部安装", "建立清洗台账，每月抽查"],
        ),
        (
            "{village}河道岸边有多处建筑垃圾和生活垃圾堆放点。",
            "集中清理垃圾堆放点，设置监控和警示牌，落实河长巡河制度。",
            ["已清理垃圾 56 车", "监控和警示牌已设置", "巡河记录已纳入村级考核"],
        ),
    ],
    Domain.OTHER: [
        (
            "{township}农贸市场排水不畅、摊位划分混乱，群众反映“脏乱差”。",
            "对农贸市场进行提升改造，疏通排水沟，重新规划摊位，落实市场管理方日常保洁责任。",
            ["改造方案已确定", "排水沟疏通和地面硬化已完成", "摊位重新划分，市场已恢复营业"],
        ),
        (
            "{county}部分企业反映开办企业、办理施工许可要跑多个部门。",
            "推行“一件事一次办”，在政务服务中心设综合窗口，施工许可审批时限压缩至 30 个工作日内。",
            ["综合窗口已设立", "审批流程已再造，时限压缩至 28 个工作日"],
        ),
        (
            "{village}集体经济收入来源单一，村级集体经济薄弱。",
            "盘活闲置村集体资产，发展光伏发电和乡村民宿项目，建立收益分配机制。",
            ["已完成集体资产清查", "光伏项目已并网发电", "首笔收益已入账并公示"],
        ),
        (
            "{township}村务公开栏内容更新不及时，部分财务收支未公开。",
            "规范村务公开内容和时限，财务收支每季度公开，开通线上村务公开平台。",
            ["已制定村务公开目录", "各村第一季度财务已公开", "线上村务公开平台已开通"],
        ),
    ],
}
APPEAL_MEASURES = [
    "由{unit}牵头，会同{township}现场核实，制定整改方案并限期整改，整改结果向反映人答复。",
    "对反映问题逐项核查，能立即解决的立即解决；需要时间的明确时限，每月向群众通报进展。",
    "举一反三，在{county}范围内排查同类问题，建立台账逐项销号，防止问题反弹。",
]
HOTSPOTS = [  # (domain, description): a 热点 in the hotline data rather than one appeal
    (Domain.OTHER, "近期{township}多名群众集中反映{village}一带自来水水压低、高峰时段停水。"),
    (Domain.HOUSING, "热线数据显示{township}本季度关于物业服务的诉求明显增多，集中在小区保洁和维修不及时。"),
    (Domain.TRANSPORT, "{county}近期多件诉求反映外卖电动车乱停乱放、闯红灯，存在安全隐患。"),
]
DONE_NOTES = [
    "各项整改措施已落实到位，附整改后现场照片，现提请验收。",
    "整改工作已完成，已回访反映群众，群众表示认可，提请验收。",
    "已按整改方案全部完成，相关台账资料已归档，请予验收。",
]
ACCEPT_COMMENTS = [
    "经现场查看，整改措施落实到位，同意验收。",
    "已随机电话回访群众 5 户，均表示满意，验收通过。",
    "资料齐全，现场整改效果明显，验收通过。",
    "",
]
RETURN_REASONS = [
    "佐证材料不全，缺少整改后现场照片，请补充后再提请验收。",
    "现场查看发现仍有部分问题未整改到位，请继续整改。",
    "回访中部分群众仍不满意，请进一步做好解释和整改工作。",
]
REWORK_NOTES = ["已按验收意见补充整改，相关佐证材料已补齐。", "退回问题已整改到位，并再次回访群众。"]
CLOSE_COMMENTS = ["整改到位，群众满意，同意销号。", "经复核未反弹，予以销号。", "同意销号。", ""]
DEADLINE_SPANS = [30, 45, 60, 90, 90, 120, 150]

# appeals' category names (level 2, then level 1) → ledger domain
CATEGORY_DOMAINS = {
    "就业创业": Domain.EMPLOYMENT,
    "劳动关系": Domain.EMPLOYMENT,
    "人事人才": Domain.EMPLOYMENT,
    "社会保险": Domain.SOCIAL_SECURITY,
    "医疗保障": Domain.SOCIAL_SECURITY,
    "社会救助": Domain.SOCIAL_SECURITY,
    "养老服务": Domain.ELDERLY,
    "市政设施": Domain.TRANSPORT,
    "城市管理": Domain.ENVIRONMENT,
    "文化体育": Domain.OTHER,
    "城乡建设": Domain.HOUSING,
    "劳动和社会保障": Domain.EMPLOYMENT,
    "教育文体": Domain.EDUCATION,
    "卫生计生": Domain.MEDICAL,
    "交通运输": Domain.TRANSPORT,
    "环境保护": Domain.ENVIRONMENT,
    "民政": Domain.ELDERLY,
}


@dataclass
class Draft:
    """One problem being written: the row, its timeline and the photos on its events."""

    problem: Problem
    events: list = field(default_factory=list)  # (ProblemEvent, photo count)


def seed(org: orgtree.Org, rng: random.Random, today: date, appeals=(), count: int = 150) -> list[Problem]:
    """Write `count` problems on the demo tree; `appeals` (demo appeals) feed the 信访诉求 ones."""
    tz = timezone.get_default_timezone()
    units = _units_by_pk(org)
    # 检举 stay with the discipline bodies, not on a public rectification ledger
    appeals = sorted(
        (a for a in appeals if a.place_unit_id in units and not a.is_report), key=lambda a: a.registered_at
    )
    photos = _photos(rng)
    used = set()  # (description, place) already on the ledger: a ledger lists a problem once
    drafts = [_draft(org, rng, today, tz, state, units, appeals, used) for state in _plan(count, rng)]
    _write(drafts, photos, rng)
    return [d.problem for d in drafts]


def _plan(count, rng):
    """The planned state of each problem: the shares above, at least one of each."""
    counts = {state: max(1, round(count * share)) for state, share in STATE_SHARES}
    counts[Status.IN_PROGRESS] = max(1, count - sum(n for s, n in counts.items() if s != Status.IN_PROGRESS))
    states = [state for state, n in counts.items() for _ in range(n)]
    rng.shuffle(states)
    return states


def _units_by_pk(org):
    units = {org.city.pk: org.city, **{u.pk: u for u in org.city_departments.values()}}
    for county in org.counties:
        units[county.unit.pk] = county.unit
        units.update({u.pk: u for u in county.departments.values()})
        units.update({t.pk: t for t in county.townships})
    for village, _township, _county in org.villages:
        units[village.pk] = village
    return units


def _at(day, rng, tz):
    minutes = rng.randint(8 * 60 + 30, 17 * 60 + 30)
    return timezone.make_aware(datetime.combine(day, time()) + timedelta(minutes=minutes), tz)


def _month_end(day):
    first_next = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
    return first_next - timedelta(days=1)


def _signer(org, unit, rng):
    """A role over the unit above signs off; the city, with nobody above, signs through its own leader."""
    above = unit.parent
    if above is None:
        return org.leaders[unit.pk]
    return rng.choice(
        [p for p in (org.leaders.get(above.pk), org.supervisors.get(above.pk)) if p is not None]
    )


def _responsible(org, rng, domain, county, township, county_wide):
    """A county-wide problem goes to a department (now and then the city's); a local one may stay
    with its township (属地)."""
    roll = rng.random()
    if roll < 0.1 and domain in CITY_DOMAINS:
        return org.city_departments[CITY_DOMAINS[domain]]
    if county_wide or roll < 0.55:
        return county.departments[rng.choice(DOMAIN_DEPARTMENTS[domain])]
    return township


def _timeline(state, rng, today):
    """(start day, deadline, [(kind, day, progress)]) for the planned state; every day before today."""
    if state in (Status.IN_PROGRESS, OVERDUE):
        if state == OVERDUE:
            start = today - timedelta(days=rng.randint(70, 320))
            deadline = _month_end(start + timedelta(days=rng.choice(DEADLINE_SPANS[:4])))
            if deadline >= today:
                deadline = today - timedelta(days=rng.randint(1, 30))
        else:
            start = today - timedelta(days=rng.randint(3, 110))
            deadline = _month_end(max(start + timedelta(days=rng.choice(DEADLINE_SPANS)), today))
        span = (today - start).days - 1
        k = min(rng.randint(0, 3), max(0, span // 7))
        days = sorted(rng.sample(range(2, span + 1), k)) if k else []
        levels = sorted(rng.sample(range(10, 95, 5), k)) if k else []
        steps = [
            (EventKind.PROGRESS, start + timedelta(days=d), p) for d, p in zip(days, levels, strict=True)
        ]
        return start, deadline, steps
    offsets, day = [], 0
    k = rng.randint(1, 3)
    for p in sorted(rng.sample(range(20, 95, 5), k)):
        day += rng.randint(6, 25)
        offsets.append((EventKind.PROGRESS, day, p))
    day += rng.randint(4, 20)
    offsets.append((EventKind.DONE, day, 100))
    if rng.random() < 0.15:  # sent back once, then finished again
        day += rng.randint(2, 8)
        offsets.append((EventKind.RETURN, day, None))
        day += rng.randint(5, 15)
        offsets.append((EventKind.PROGRESS, day, 100))
        day += rng.randint(2, 8)
        offsets.append((EventKind.DONE, day, 100))
    done_day = day
    if state in (Status.ACCEPTED, Status.CLOSED):
        day += rng.randint(3, 15)
        offsets.append((EventKind.ACCEPT, day, None))
    if state == Status.CLOSED:
        day += rng.randint(5, 30)
        offsets.append((EventKind.CLOSE, day, None))
    start = today - timedelta(days=day + rng.randint(1, max(1, 330 - day)))
    deadline = _month_end(start + timedelta(days=done_day + rng.randint(-10, 45)))
    return start, deadline, [(kind, start + timedelta(days=d), p) for kind, d, p in offsets]


def _draft(org, rng, today, tz, state, units, appeals, used) -> Draft:
    source = rng.choices([s for s, _w in SOURCE_WEIGHTS], weights=[w for _s, w in SOURCE_WEIGHTS])[0]
    start, deadline, steps = _timeline(state, rng, today)
    appeal = _appeal_before(appeals, start, rng) if source == Source.APPEAL else None
    if appeal is not None:
        village = units[appeal.place_unit_id]
        township = village.parent if village.level == 5 else village
        county = next(c for c in org.counties if township in c.townships or township == c.unit)
        domain = _domain_of(appeal)
        unit = units.get(appeal.handling_unit_id) if appeal.handling_unit_id else None
        if unit is None or unit.pk not in org.heads:
            unit = township
        description = f"群众反映：{appeal.title}（诉求 {appeal.tracking_code}）。"
        measures = rng.choice(APPEAL_MEASURES)
        progress_notes = []
    else:
        for _try in range(20):
            village, township, county = rng.choice(org.villages)
            if source == Source.APPEAL:
                domain, description = rng.choice(HOTSPOTS)
                measures, progress_notes = rng.choice(APPEAL_MEASURES), []
            else:
                domain = rng.choice(list(Domain))
                description, measures, progress_notes = rng.choice(PROBLEMS[domain])
            key = (description, county.key, township.pk if "{township}" in description else None)
            key += (village.pk if "{village}" in description else None,)
            if key not in used:
                break
        used.add(key)
        unit = _responsible(org, rng, domain, county, township, description.startswith("{county}"))
    fill = {"village": village.name, "township": township.name, "county": county.unit.name, "unit": unit.name}
    keeper = org.heads[unit.pk] if unit.pk in org.heads else org.leaders[unit.pk]
    reporter = org.handlers.get(unit.pk, keeper)
    imported = source == Source.SELF_CHECK and rng.random() < 0.35
    created = _at(start, rng, tz)
    progress = 0 if imported or rng.random() < 0.7 else 10
    problem = Problem(
        source=source,
        appeal=appeal,
        domain=domain,
        place=village if rng.random() < 0.8 else township,
        description=description.format(**fill),
        measures=measures.format(**fill),
        responsible_unit=unit,
        responsible_leader=keeper,
        deadline=deadline,
        progress=progress,
        status=Status.IN_PROGRESS,
        created_by=keeper,
        created_at=created,
    )
    draft = Draft(problem)
    first = (EventKind.IMPORT, "从 Excel 台账导入") if imported else (EventKind.CREATE, problem.measures)
    draft.events.append(
        (ProblemEvent(kind=first[0], at=created, actor=keeper, note=first[1], progress=progress), 0)
    )
    notes = iter(progress_notes)
    for kind, day, level in steps:
        _step(draft, org, rng, tz, kind, _at(day, rng, tz), level, notes, reporter, unit)
    return draft


def _step(draft, org, rng, tz, kind, at, level, notes, reporter, unit):
    p = draft.problem
    p.version += 1
    photos = 0
    if kind == EventKind.PROGRESS and level == 100:  # after a return: the missing part made good
        note, actor = rng.choice(REWORK_NOTES), reporter
    elif kind == EventKind.PROGRESS:
        p.progress = level
        note = next(notes, None) or f"整改正在推进，已完成约 {level}%。"
        photos = 1 if rng.random() < 0.3 else 0
        actor = reporter
    elif kind == EventKind.DONE:
        p.status, p.progress, p.done_at = Status.DONE, 100, at
        note, photos, actor = rng.choice(DONE_NOTES), rng.randint(1, 2), reporter
    elif kind == EventKind.RETURN:
        p.status, p.done_at = Status.IN_PROGRESS, None
        note, actor = rng.choice(RETURN_REASONS), _signer(org, unit, rng)
    elif kind == EventKind.ACCEPT:
        actor = _signer(org, unit, rng)
        note = rng.choice(ACCEPT_COMMENTS)
        p.status, p.accepted_by, p.accepted_at, p.acceptance_comment = Status.ACCEPTED, actor, at, note
    else:
        actor = _signer(org, unit, rng)
        note = rng.choice(CLOSE_COMMENTS)
        p.status, p.closed_by, p.closed_at, p.close_comment = Status.CLOSED, actor, at, note
    progress = level if kind == EventKind.PROGRESS else (100 if kind == EventKind.DONE else None)
    draft.events.append((ProblemEvent(kind=kind, at=at, actor=actor, note=note, progress=progress), photos))


def _appeal_before(appeals, start, rng):
    """A demo appeal registered in the two months before the problem was put on the ledger."""
    candidates = [
        a
        for a in appeals
        if start - timedelta(days=60)
        <= timezone.localtime(a.registered_at).date()
        <= start - timedelta(days=2)
    ]
    return rng.choice(candidates) if candidates else None


def _domain_of(appeal):
    names = []
    node = appeal.category
    while node is not None:
        names.append(node.name)
        node = node.parent
    return next((CATEGORY_DOMAINS[n] for n in names if n in CATEGORY_DOMAINS), Domain.OTHER)


def _photos(rng, count=4) -> list[bytes]:
    """A few JPEG 'site photos' (sky, ground, a building) for the evidence; no font needed."""
    from PIL import Image, ImageDraw

    out = []
    for _ in range(count):
        image = Image.new("RGB", (640, 480), (rng.randint(150, 200), rng.randint(190, 220), 235))
        draw = ImageDraw.Draw(image)
        ground = rng.randint(280, 340)
        draw.rectangle([0, ground, 640, 480], fill=(rng.randint(90, 140), rng.randint(100, 130), 90))
        x = rng.randint(40, 300)
        draw.rectangle(
            [x, ground - rng.randint(120, 220), x + rng.randint(160, 280), ground], fill=(200, 196, 186)
        )
        for wx in range(x + 20, x + 150, 40):
            draw.rectangle([wx, ground - 90, wx + 20, ground - 60], fill=(90, 120, 150))
        buf = io.BytesIO()
        image.save(buf, "JPEG", quality=70)
        out.append(buf.getvalue())
    return out


def _write(drafts, photos, rng):
    Problem.objects.bulk_create([d.problem for d in drafts], batch_size=500)
    events = []
    for d in drafts:
        for event, _n in d.events:
            event.problem = d.problem
            events.append(event)
    ProblemEvent.objects.bulk_create(events, batch_size=1000)
    evidence = []
    for d in drafts:
        for event, n in d.events:
            for i in range(n):
                name = "整改后现场照片" if event.kind == EventKind.DONE else "整改进展照片"
                item = Evidence(
                    problem=d.problem,
                    event=event,
                    original_name=f"{name}{i + 1}.jpg",
                    content_type="image/jpeg",
                    uploaded_by=event.actor,
                    uploaded_at=event.at,
                )
                data = rng.choice(photos)
                item.file.save(item.original_name, ContentFile(data), save=False)
                item.size = len(data)
                evidence.append(item)
    Evidence.objects.bulk_create(evidence, batch_size=500)
