"""The demo's invented administrative tree (宁川市), its people and its dispatch catalogue."""

from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from grassroots.accounts.models import Level, Membership, OrgUnit, Role, UnitKind, User
from grassroots.appeals.models import DispatchRule

from . import texts

DEMO_PASSWORD = "demo12345"  # noqa: S105 - the published password of the demo accounts
EMAIL_DOMAIN = "demo.gov.cn"
CITY = "宁川市"
PROVINCE = "省人民政府"

# key, county-level name, city-level name (the city uses 委 for a few of them).
DEPARTMENTS = [
    ("xinfang", "信访局", "信访局"),
    ("zhujian", "住建局", "住建局"),
    ("jiaoyu", "教育局", "教育局"),
    ("renshe", "人社局", "人社局"),
    ("weijian", "卫健局", "卫健委"),
    ("yibao", "医保局", "医保局"),
    ("jiaotong", "交通运输局", "交通运输局"),
    ("huanbao", "生态环境分局", "生态环境局"),
    ("shichang", "市场监管局", "市场监管局"),
    ("ziran", "自然资源局", "自然资源局"),
    ("chengguan", "城管局", "城管局"),
    ("minzheng", "民政局", "民政局"),
    ("nongye", "农业农村局", "农业农村局"),
    ("gongan", "公安局", "公安局"),
    ("sifa", "司法局", "司法局"),
    ("wenlv", "文旅局", "文旅局"),
    ("fagai", "发改局", "发改委"),
    ("gongxin", "工信局", "工信局"),
    ("zhengwu", "政务服务中心", "政务服务中心"),
    ("jiwei", "纪委监委", "纪委监委"),
]
# City departments whose staff handle cases the city desk keeps for itself.
CITY_HANDLING = ("zhujian", "jiaoyu", "renshe", "weijian", "huanbao", "shichang")

# (key, name, county head's title, party secretary's title, townships: (key, name, [villages]))
COUNTIES = [
    (
        "jc",
        "江澄区",
        "区长",
        "区委书记",
        [
            ("binjiang", "滨江街道", ["望江社区", "锦江社区", "滨河社区", "沿江社区"]),
            ("nanmen", "南门街道", ["南门社区", "文昌社区", "古井社区"]),
            ("wanghu", "望湖街道", ["湖滨社区", "翠湖社区", "东湖社区", "新月社区"]),
            ("xinqiao", "新桥街道", ["新桥社区", "桥西社区", "光明社区"]),
        ],
    ),
    (
        "qh",
        "青禾县",
        "县长",
        "县委书记",
        [
            ("hefeng", "禾丰镇", ["禾丰社区", "柳溪村", "丰收村", "上坪村"]),
            ("liutang", "柳塘镇", ["柳塘村", "荷叶村", "塘背村"]),
            ("shimen", "石门乡", ["石门村", "岩下村", "坳头村", "高山村"]),
            ("qinghe", "青禾镇", ["城关社区", "青禾村", "新塘村", "下洋村"]),
        ],
    ),
    (
        "yl",
        "云岭县",
        "县长",
        "县委书记",
        [
            ("yunling", "云岭镇", ["云岭社区", "茶园村", "枫树村"]),
            ("baisha", "白沙镇", ["白沙村", "沙洲村", "河口村", "长岭村"]),
            ("songping", "松坪乡", ["松坪村", "竹林村", "双溪村"]),
            ("longquan", "龙泉镇", ["龙泉社区", "泉水村", "杨梅村", "石桥村"]),
        ],
    ),
]

# 派单目录: category path -> department key, for every county; the most specific path wins.
CATALOGUE = [
    (("城乡建设",), "zhujian"),
    (("城乡建设", "城市管理"), "chengguan"),
    (("劳动和社会保障",), "renshe"),
    (("教育文体",), "jiaoyu"),
    (("教育文体", "文化体育"), "wenlv"),
    (("商贸旅游",), "shichang"),
    (("商贸旅游", "旅游服务"), "wenlv"),
    (("环境保护",), "huanbao"),
    (("环境保护", "固体废物"), "chengguan"),
    (("卫生计生",), "weijian"),
    (("卫生计生", "医疗保障"), "yibao"),
    (("交通运输",), "jiaotong"),
    (("农村农业",), "nongye"),
    (("民政",), "minzheng"),
    (("政法",), "gongan"),
    (("政法", "司法服务"), "sifa"),
    (("国土资源",), "ziran"),
    (("经济管理",), "fagai"),
    (("经济管理", "供水供电供气"), "zhujian"),
    (("科技与信息产业",), "gongxin"),
    (("党务政务", "干部作风"), "jiwei"),
    (("党务政务", "政务服务"), "zhengwu"),
]
# Matters the township settles itself (属地管理): category path -> the township where it happens.
TOWNSHIP_CATALOGUE = [
    ("城乡建设", "物业管理"),
    ("城乡建设", "村镇建设"),
    ("城乡建设", "城市管理", "违章建筑"),
    ("环境保护", "固体废物", "垃圾清运"),
    ("农村农业", "村务管理"),
    ("农村农业", "土地承包"),
    ("民政", "社区治理"),
    ("政法", "治安管理", "邻里纠纷"),
]


@dataclass
class County:
    key: str
    unit: OrgUnit
    departments: dict  # key -> OrgUnit
    townships: list = field(default_factory=list)


@dataclass
class Org:
    """What the generator needs to know about the tree and its people."""

    city: OrgUnit
    city_departments: dict
    counties: list
    villages: list = field(default_factory=list)  # (village, township, county)
    handlers: dict = field(default_factory=dict)  # unit id -> User
    heads: dict = field(default_factory=dict)
    clerks: dict = field(default_factory=dict)  # desk unit id -> User
    supervisors: dict = field(default_factory=dict)  # area unit id -> User
    leaders: dict = field(default_factory=dict)  # area unit id -> User deciding reviews there
    users: list = field(default_factory=list)  # (User, role, unit, title) in display order
    rules: dict = field(default_factory=dict)  # (category id, area id) -> OrgUnit


def _unit(name, level, parent, kind=UnitKind.AREA):
    unit = OrgUnit(name=name, level=level, parent=parent, kind=kind)
    unit.save()
    return unit


class _People:
    def __init__(self, rng, org):
        self.rng, self.org = rng, org
        self.password = make_password(DEMO_PASSWORD)  # hashed once: the demo users share it
        self.pending = []
        self.names = set()

    def add(self, username, role, unit, title=""):
        name = texts.person_name(self.rng)
        while name in self.names:
            name = texts.person_name(self.rng)
        self.names.add(name)
        user = User(
            username=username,
            display_name=name,
            email=f"{username}@{EMAIL_DOMAIN}",
            password=self.password,
            phone=texts.office_phone(self.rng),
        )
        self.pending.append((user, role, unit, title))
        self.org.users.append((user, role, unit, title))
        return user

    def save(self):
        User.objects.bulk_create([u for u, _r, _u, _t in self.pending])
        Membership.objects.bulk_create(
            [Membership(user=u, unit=unit, role=role, post=title) for u, role, unit, title in self.pending]
        )


def build(rng, categories) -> Org:
    """Create the tree, the demo users and the dispatch catalogue; `categories` maps paths to Category."""
    city = _unit(CITY, Level.CITY, None)
    # The city heads the demo's tree; a petitioner contesting the city's own 复查 opinion turns to
    # the province (§36), which the tree holds as its own root, the city's reviewing organ.
    province = _unit(PROVINCE, Level.PROVINCE, None)
    city.review_organ = province
    city.save(update_fields=["review_organ"])
    city_departments = {
        key: _unit(f"{CITY}{city_name}", Level.CITY, city, UnitKind.DEPARTMENT)
        for key, _county_name, city_name in DEPARTMENTS
    }
    org = Org(city=city, city_departments=city_departments, counties=[])
    people = _People(rng, org)
    people.add("admin_city", Role.ADMIN, city)
    org.leaders[province.pk] = people.add("leader_province", Role.LEADER, province, "省信访局局长")
    people.add("leader_city", Role.LEADER, city, "市长")
    org.leaders[city.pk] = org.users[-1][0]
    org.supervisors[city.pk] = people.add("supervisor_city", Role.SUPERVISOR, city)
    org.clerks[city_departments["xinfang"].pk] = people.add(
        "clerk_city", Role.CLERK, city_departments["xinfang"]
    )
    for key in CITY_HANDLING:
        unit = city_departments[key]
        org.handlers[unit.pk] = people.add(f"handler_city_{key}", Role.HANDLER, unit)
        org.heads[unit.pk] = people.add(f"head_city_{key}", Role.UNIT_HEAD, unit)

    for key, name, head_title, secretary_title, townships in COUNTIES:
        area = _unit(name, Level.COUNTY, city)
        departments = {
            dkey: _unit(f"{name}{county_name}", Level.COUNTY, area, UnitKind.DEPARTMENT)
            for dkey, county_name, _city_name in DEPARTMENTS
        }
        county = County(key=key, unit=area, departments=departments)
        org.counties.append(county)
        people.add(f"leader_{key}_shuji", Role.LEADER, area, secretary_title)
        org.leaders[area.pk] = people.add(f"leader_{key}", Role.LEADER, area, head_title)
        org.supervisors[area.pk] = people.add(f"supervisor_{key}", Role.SUPERVISOR, area)
        desk = departments["xinfang"]
        org.clerks[desk.pk] = people.add(f"clerk_{key}", Role.CLERK, desk)
        for dkey, unit in departments.items():
            if dkey != "xinfang":
                org.handlers[unit.pk] = people.add(f"handler_{key}_{dkey}", Role.HANDLER, unit)
                org.heads[unit.pk] = people.add(f"head_{key}_{dkey}", Role.UNIT_HEAD, unit)
        for tkey, tname, villages in townships:
            township = _unit(tname, Level.TOWNSHIP, area)
            county.townships.append(township)
            title = "街道办主任" if tname.endswith("街道") else ("乡长" if tname.endswith("乡") else "镇长")
            org.handlers[township.pk] = people.add(f"handler_{tkey}", Role.HANDLER, township)
            org.heads[township.pk] = people.add(f"head_{tkey}", Role.UNIT_HEAD, township, title)
            for vname in villages:
                org.villages.append((_unit(vname, Level.VILLAGE, township), township, county))
    people.save()
    _catalogue(org, categories)
    return org


def _catalogue(org, categories):
    rules = []
    for county in org.counties:
        for path, dkey in CATALOGUE:
            rules.append(
                DispatchRule(category=categories[path], area=county.unit, unit=county.departments[dkey])
            )
        for township in county.townships:
            for path in TOWNSHIP_CATALOGUE:
                rules.append(DispatchRule(category=categories[path], area=township, unit=township))
    DispatchRule.objects.bulk_create(rules)
    org.rules = {(r.category_id, r.area_id): r.unit for r in rules}


def suggest(org, category, place, place_chain):
    """DispatchRule.suggest without a query per appeal: `place_chain` is place then its ancestors."""
    lineage = []
    node = category
    while node is not None:
        lineage.append(node)
        node = node.parent
    for area in place_chain:
        for cat in lineage:
            unit = org.rules.get((cat.pk, area.pk))
            if unit is not None:
                return unit
    return None
