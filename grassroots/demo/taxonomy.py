"""The platform's default category tree of government work, and loading a tree into Category.

TAXONOMY is (level-1, [(level-2, [level-3, …]), …]); `load_paths` writes any list of
(level1, level2, level3) paths idempotently — the demo and `import_categories` share it.
"""

from grassroots.appeals.models import Category

TAXONOMY = [
    (
        "城乡建设",
        [
            ("住房保障", ["公租房", "棚户区改造", "住房公积金"]),
            ("物业管理", ["物业服务", "维修资金", "业主委员会"]),
            ("房地产开发", ["延期交房", "房屋质量", "办证难"]),
            ("市政设施", ["道路破损", "路灯", "排水防涝"]),
            ("城市管理", ["违章建筑", "占道经营", "停车管理"]),
            ("村镇建设", ["农村危房改造", "人居环境整治"]),
        ],
    ),
    (
        "劳动和社会保障",
        [
            ("劳动关系", ["拖欠工资", "劳动合同", "工伤认定"]),
            ("社会保险", ["养老保险", "失业保险"]),
            ("就业创业", ["就业补贴", "职业技能培训"]),
            ("人事人才", []),
        ],
    ),
    (
        "教育文体",
        [
            ("学前教育", ["入园难", "幼儿园收费"]),
            ("义务教育", ["学位与招生", "校车安全", "课后服务"]),
            ("教师队伍", []),
            ("文化体育", ["文体设施", "广场舞噪音"]),
        ],
    ),
    (
        "商贸旅游",
        [
            ("市场监管", ["食品安全", "价格欺诈", "虚假宣传"]),
            ("消费维权", ["预付卡退费", "商品质量"]),
            ("旅游服务", []),
        ],
    ),
    (
        "环境保护",
        [
            ("大气污染", ["工业废气", "餐饮油烟", "扬尘"]),
            ("水污染", []),
            ("噪声污染", ["施工噪音", "商业噪音", "交通噪音"]),
            ("固体废物", ["垃圾清运", "建筑垃圾"]),
        ],
    ),
    (
        "卫生计生",
        [
            ("医疗服务", ["看病难", "医疗纠纷"]),
            ("医疗保障", ["医保报销", "异地就医"]),
            ("公共卫生", ["疫苗接种", "病媒防治"]),
            ("计划生育", ["生育登记", "独生子女奖励"]),
        ],
    ),
    (
        "交通运输",
        [
            ("道路交通", ["道路建设", "交通拥堵"]),
            ("公共交通", ["公交线路", "出租车", "网约车"]),
            ("农村公路", []),
        ],
    ),
    (
        "农村农业",
        [
            ("土地承包", ["承包经营权", "流转纠纷"]),
            ("惠农补贴", ["种粮补贴", "农机补贴"]),
            ("村务管理", ["村务公开", "集体资产"]),
            ("农田水利", []),
        ],
    ),
    (
        "民政",
        [
            ("社会救助", ["最低生活保障", "临时救助", "特困供养"]),
            ("养老服务", ["养老机构", "高龄津贴"]),
            ("残疾人服务", []),
            ("殡葬管理", []),
            ("社区治理", []),
        ],
    ),
    (
        "政法",
        [
            ("治安管理", ["邻里纠纷", "电信诈骗"]),
            ("户籍管理", ["落户", "身份证办理"]),
            ("司法服务", ["法律援助", "诉讼事项"]),
        ],
    ),
    (
        "国土资源",
        [
            ("土地征收", ["征地补偿", "安置房"]),
            ("不动产登记", []),
            ("矿产资源", []),
        ],
    ),
    (
        "经济管理",
        [
            ("企业服务", ["营商环境", "惠企政策"]),
            ("财政金融", ["非法集资", "拖欠工程款"]),
            ("供水供电供气", ["停水", "停电", "燃气"]),
        ],
    ),
    (
        "科技与信息产业",
        [
            ("通信服务", ["信号覆盖", "宽带安装"]),
            ("政务信息化", ["网上办事"]),
        ],
    ),
    (
        "党务政务",
        [
            ("干部作风", ["工作作风", "廉洁问题"]),
            ("政务服务", ["办事效率", "政务公开"]),
        ],
    ),
    (
        "其他",
        [
            ("咨询建议", []),
            ("表扬感谢", []),
        ],
    ),
]


def default_paths():
    """Every node of TAXONOMY as a path tuple, parents before children."""
    for level1, children in TAXONOMY:
        yield (level1,)
        for level2, leaves in children:
            yield (level1, level2)
            for level3 in leaves:
                yield (level1, level2, level3)


def load_paths(paths) -> tuple[dict, int]:
    """Create the categories on `paths` that do not exist yet.

    Returns ({path tuple: Category} for every node on the paths, number created).
    """
    by_path = {}
    stored = {cat.pk: cat for cat in Category.objects.all()}
    existing = {}
    for cat in stored.values():
        if cat.parent_id is not None:
            cat.parent = stored[cat.parent_id]  # walk lineages without a query per step
        existing[(cat.parent_id, cat.name)] = cat
    created = 0
    for path in paths:
        parent = None
        for depth in range(1, len(path) + 1):
            key = tuple(path[:depth])
            node = by_path.get(key)
            if node is None:
                node = existing.get((parent.pk if parent else None, key[-1]))
                if node is None:
                    node = Category(name=key[-1], parent=parent)
                    node.save()
                    existing[(node.parent_id, node.name)] = node
                    created += 1
                by_path[key] = node
            parent = node
    return by_path, created
