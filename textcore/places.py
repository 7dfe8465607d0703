"""Place names in Chinese appeal text: administrative units (including this data's masked forms such
as A市, A3区, K9县), roads, residential compounds, schools, hospitals, markets and similar.

`extract_places(text, gazetteer)` returns every place found and the most specific one. A
`Gazetteer` built from names the product knows (its org tree's unit names) is matched first, longest
match wins; the patterns below fill in what it does not know.

The patterns read a name backwards from its suffix (路, 小区, 中学 …) until punctuation, another
place, or a function character (在, 的, 位于 …) once the name already has two characters - so
"家住和平路" gives 和平路, not 住和平路.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Higher level = more specific.  The product groups and displays by the most specific place.
LEVELS = {
    "province": 0,
    "city": 1,
    "district": 2,
    "town": 3,
    "unit": 3,  # a gazetteer name whose kind cannot be told from its suffix
    "village": 4,
    "road": 5,
    "compound": 6,
    "school": 6,
    "hospital": 6,
    "market": 6,
    "poi": 6,
}

# Suffix -> kind; longer suffixes are tried first so 街道 wins over 街, 小区 over 区.
SUFFIX_KIND = {
    "省": "province",
    "市": "city",
    "区": "district",
    "县": "district",
    "新区": "district",
    "开发区": "district",
    "高新区": "district",
    "经开区": "district",
    "乡": "town",
    "镇": "town",
    "街道": "town",
    "村": "village",
    "社区": "village",
    "居委会": "village",
    "村委会": "village",
    "组": "village",
    "路": "road",
    "街": "road",
    "大道": "road",
    "大街": "road",
    "巷": "road",
    "小区": "compound",
    "花园": "compound",
    "苑": "compound",
    "公寓": "compound",
    "家园": "compound",
    "新城": "compound",
    "城": "compound",
    "山庄": "compound",
    "公馆": "compound",
    "大厦": "compound",
    "广场": "compound",
    "华府": "compound",
    "嘉园": "compound",
    "佳园": "compound",
    "雅苑": "compound",
    "名苑": "compound",
    "小学": "school",
    "中学": "school",
    "学校": "school",
    "幼儿园": "school",
    "大学": "school",
    "学院": "school",
    "一中": "school",
    "二中": "school",
    "职校": "school",
    "医院": "hospital",
    "卫生院": "hospital",
    "诊所": "hospital",
    "卫生服务中心": "hospital",
    "市场": "market",
    "菜市场": "market",
    "商场": "market",
    "超市": "market",
    "农贸市场": "market",
    "公园": "poi",
    "车站": "poi",
    "地铁站": "poi",
    "火车站": "poi",
    "汽车站": "poi",
    "工业园": "poi",
    "产业园": "poi",
    "园区": "poi",
    "景区": "poi",
    "水库": "poi",
    "大桥": "poi",
    "桥": "poi",
}

# Words that end like a place but are not one ("道路", "县城", "小区" alone …).
NOT_PLACES = set(
    "道路 马路 公路 铁路 线路 思路 出路 门路 走路 上路 一路 网路 电路 水路 套路 路路 进路 来路 去路 "
    "大街 上街 逛街 满街 沿街 临街 当街 "
    "县城 省城 进城 全城 满城 京城 城城 古城 新城 老城 主城 城 "
    "小区 本小区 该小区 我小区 此小区 整个小区 "
    "地区 社区 本社区 该社区 城区 片区 园区 景区 市区 郊区 山区 辖区 本区 该区 全区 老区 新区 各区 小区 "
    "学校 本学校 该学校 小学 中学 大学 学院 医院 市场 商场 超市 公园 广场 府 政府 市政府 区政府 县政府 "
    "乡 镇 乡镇 城乡 村 农村 本村 该村 全村 各村 新村 组 小组 本组 该组 村组 "
    "花园 家园 公寓 大厦 苑 桥 站 车站 "
    "全市 本市 城市 各市 省市 "
    "全县 本县 该县 "
    "全省 本省 该省 外省 "
    "街道 本街道 该街道 "
    "职校 一中 二中".split()
)

# Function characters that end a name when read backwards (only once it has two characters).
# Strong ones end a name at once; weak ones only when the name already has two characters
# (和平路, 向家坡小学 keep theirs).
STRONG_BOUNDARY_CHARS = set("的在是了我你他她们把被给从到请说该此其等并或而但因所就都也还让使已将对于去旁")
WEAK_BOUNDARY_CHARS = set("和与及为这那个有住位系由经至如若")
BOUNDARY_WORDS = tuple(
    "位于 地处 坐落 座落 家住 居住 住在 关于 反映 投诉 举报 咨询 建议 启动 进入 反馈 "
    "开发商 业主 政府 公司 购买 入住 附近 周边 对面 距离 以上 创建 建设 整个 多个 "
    "各个 配套 新建 修建 附属 号线 教师 学生 家长 老师".split()
)
# Suffixes that are a whole name on their own ("A市经开区").
WHOLE_NAMES = {"经开区", "高新区", "开发区", "新区"}

MAX_NAME_CHARS = {"road": 6, "compound": 8, "school": 8, "hospital": 8, "market": 8, "poi": 8}
MAX_NAME_DEFAULT = 5

_MASKED_ADMIN = re.compile(r"[A-Z][0-9]{0,2}(?:省|市|区|县)")
_SUFFIXES = sorted(SUFFIX_KIND, key=len, reverse=True)
_SUFFIX_RE = re.compile("|".join(map(re.escape, _SUFFIXES)))
_NAME_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")


@dataclass(frozen=True)
class Place:
    name: str
    kind: str
    start: int
    end: int

    @property
    def level(self) -> int:
        return LEVELS[self.kind]


@dataclass(frozen=True)
class PlaceResult:
    most_specific: Place | None
    places: list[Place]


def kind_of(name: str) -> str | None:
    """The kind a name's suffix tells (None when no known suffix ends it)."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix):
            return SUFFIX_KIND[suffix]
    return None


class Gazetteer:
    """Known place names (e.g. the org tree's units), matched longest-first with a character trie."""

    def __init__(self, names: Iterable[str], kinds: dict[str, str] | None = None):
        self.kinds = dict(kinds or {})
        self._trie: dict = {}
        for name in names:
            name = name.strip()
            if len(name) < 2:
                continue
            node = self._trie
            for ch in name:
                node = node.setdefault(ch, {})
            node[""] = name

    def find(self, text: str) -> list[Place]:
        found, i = [], 0
        while i < len(text):
            node, longest = self._trie, None
            for j in range(i, len(text)):
                node = node.get(text[j])
                if node is None:
                    break
                if "" in node:
                    longest = (node[""], j + 1)
            if longest:
                name, end = longest
                found.append(Place(name, self.kinds.get(name) or kind_of(name) or "unit", i, end))
                i = end
            else:
                i += 1
        return found


def _free(taken: list[bool], start: int, end: int) -> bool:
    return not any(taken[start:end])


def _read_name_back(text: str, suffix_start: int, taken: list[bool], max_chars: int) -> int:
    """Where a name that ends with the suffix at suffix_start begins (== suffix_start if none)."""
    start = suffix_start
    while start > 0 and suffix_start - start < max_chars:
        ch = text[start - 1]
        if taken[start - 1] or not _NAME_CHAR.match(ch):
            break
        if ch in STRONG_BOUNDARY_CHARS or any(text.endswith(w, 0, start) for w in BOUNDARY_WORDS):
            break
        if suffix_start - start >= 2 and ch in WEAK_BOUNDARY_CHARS:
            break
        start -= 1
    # A boundary word may sit inside a short name read so far ("位于芙蓉路" read as 于芙蓉): cut it.
    for word in BOUNDARY_WORDS:
        k = text.find(word, start, suffix_start)
        if k >= 0:
            start = k + len(word)
    return start


# What follows an organisation's name, not a place's: "江澄城房地产开发有限公司" names a developer, and
# 江澄城 there is no place. (物业 is left out: "丽发新城物业" is the compound's own property company.)
ORGANISATION_RE = re.compile(r"房地产|地产|置业|实业|投资|集团|有限|股份|公司")


def _names_an_organisation(text: str, end: int) -> bool:
    return ORGANISATION_RE.match(text, end) is not None


def _is_phrase(name: str) -> bool:
    """ "这条路", "临街建筑与道路", "公交线路": a demonstrative or a common noun, not a name."""
    return name[0] in "这那该此本各每某" or name.endswith(("道路", "线路", "马路", "公路", "铁路"))


def extract_places(text: str, gazetteer: Gazetteer | None = None) -> PlaceResult:
    """Every place in text (in reading order) and the most specific one: the highest level, then the
    most often mentioned (a name said twice is rarely a mis-read), then the first."""
    taken = [False] * len(text)
    places: list[Place] = []

    def take(place: Place) -> None:
        places.append(place)
        for k in range(place.start, place.end):
            taken[k] = True

    if gazetteer is not None:
        for place in gazetteer.find(text):
            take(place)
    for m in _MASKED_ADMIN.finditer(text):
        if _free(taken, m.start(), m.end()):
            take(Place(m.group(), SUFFIX_KIND[m.group()[-1]], m.start(), m.end()))
    for m in _SUFFIX_RE.finditer(text):
        s, e = m.start(), m.end()
        if not _free(taken, s, e):
            continue
        kind = SUFFIX_KIND[m.group()]
        if m.group() == "城" and text[e : e + 1] in ("市", "区", "管", "乡", "镇"):
            continue  # 城市, 城区, 城管 …
        follower = _SUFFIX_RE.match(text, e)
        if (
            follower
            and LEVELS[SUFFIX_KIND[follower.group()]] >= LEVELS[kind]
            and _free(taken, e, follower.end())
        ):
            e, kind = follower.end(), SUFFIX_KIND[follower.group()]  # 丽发新城 + 小区
        start = _read_name_back(text, s, taken, MAX_NAME_CHARS.get(kind, MAX_NAME_DEFAULT))
        name = text[start:e]
        if s - start < 2 and m.group() in WHOLE_NAMES:
            take(Place(m.group(), kind, s, e))
            continue
        if s - start < 2 or name in NOT_PLACES or text[start:s] in NOT_PLACES or _is_phrase(name):
            continue
        if kind == "compound" and _names_an_organisation(text, e):
            continue
        if (
            kind in ("province", "city", "district")
            and not _MASKED_ADMIN.search(name)
            and not 2 <= s - start <= 3
        ):
            continue  # "去县", long "…区" runs are phrases; real names are short (雨花区) or masked (A3区)
        take(Place(name, kind, start, e))
    places.sort(key=lambda p: p.start)
    mentions: dict[str, int] = {}
    for place in places:
        mentions[place.name] = mentions.get(place.name, 0) + 1
    best = max(places, key=lambda p: (p.level, mentions[p.name], -p.start), default=None)
    return PlaceResult(best, places)
