"""Reply quality: how well a government reply answers a resident's appeal.

Three explainable scores, each with a short Chinese explanation:

* relevance (0-1): the share of the appeal's key terms (jieba words weighted by TF-IDF, the top
  ``top_terms``) that the reply's own text mentions. Text the reply merely copies from the appeal
  (its title in quotes) and boilerplate (您好, 来信收悉, 感谢您对我们工作的支持 …) does not count,
  and a reply that only says it was forwarded (已转…办理) scores near 0.
* completeness (0-1): a weighted check list of five parts found by rules — a concrete measure
  (已/将/立即 … + an action verb such as 整改, 维修, 清理, 约谈, 责令, 查处, 安排), a named
  responsible party (…局, …街道, …公司), a time (dates tied to the handling, N日内, 月底前),
  a legal or policy basis (《…条例》, 第…条, 根据…规定), and a contact (phone, 联系人, 热线).
* timeliness_days: working days from the appeal to the reply on a
  :class:`grassroots.lib.workdays.WorkCalendar` (weekends only when none is given).

``overall`` is the mean of relevance and completeness (timeliness is reported apart because the
two times are often unknown). The IDF comes from jieba's bundled table unless a
:class:`ReplyScorer` is fitted on the product's own texts.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from grassroots.lib.workdays import WorkCalendar, weekends_only, working_days_between

__all__ = [
    "PART_LABELS",
    "PART_WEIGHTS",
    "ReplyScore",
    "ReplyScorer",
    "detect_parts",
    "parse_time",
    "register",
    "score_reply",
    "timeliness_days",
]

ARTIFACT_KIND = "reply-scorer"
ARTIFACT_VERSION = 1

PART_LABELS = {
    "measure": "具体措施",
    "party": "责任单位",
    "time": "办理时限",
    "basis": "政策依据",
    "contact": "联系方式",
}
# A concrete measure matters most; the others are what residents ask for next (who, when, why, whom to call).
PART_WEIGHTS = {"measure": 0.30, "party": 0.20, "time": 0.20, "basis": 0.15, "contact": 0.15}

# ---------------------------------------------------------------- completeness rules (data)

ACTION_VERBS = (
    "整改|维修|修复|修缮|修好|清理|清除|清运|清扫|约谈|责令|责成|查处(?!理)|处罚|罚款|立案|安排|督促|督办|"
    "督查|检查|协调|拆除|关停|关闭|停产|停业|整治|取缔|更换|安装|增设|设置|开通|延伸|调整|搬迁|移栽|恢复|"
    "疏通|补办|退还|退回|拨付|组织|召开|实施|落实|上报|报送|巡查|巡逻|处置|治理|挪移|填埋|硬化|铺设|改造|"
    "启动|开展|检修|抢修|回填|封堵|铺油|补缴|补发|发放|兑现|解决|处理|复查|约见|通报|纳入|列入|监管|执法|"
    "查扣|暂扣|没收|下达|送达|调解|赔偿|补偿|修建|接通|通电|通水|交涉|走访|劝导|复绿|清查|退费"
)
COMMITMENT = r"已经|已于|已|将于|将|正在|立即|马上|尽快|及时|随即|当即|责成|责令|要求|决定|计划|拟|下一步"
# "现将…答复如下" is the standard opening, and a forwarded reply (已转…处理) is not a measure
MEASURE_RE = re.compile(rf"(?<!现)(?:{COMMITMENT})[^，。；！？,;!?\n转]{{0,10}}?(?:{ACTION_VERBS})")
MEASURE_DONE_RE = re.compile(rf"(?:{ACTION_VERBS})(?:到位|完毕|完成|好了)")
# verbs that name no action of their own: only with what was done do they make a measure
VAGUE_VERBS = "处理|解决|落实|办理|处置|跟进|关注|重视|研究"
VAGUE_MEASURE_RE = re.compile(
    rf"(?:{COMMITMENT})?(?:尽快|及时|认真|积极|妥善)?(?:{VAGUE_VERBS})(?:到位|完毕|完成|好了)?"
)
# verbs that are a measure by themselves, whoever does them
STRONG_ACTION_RE = re.compile(
    r"责令|责成|约谈|查处(?!理)|罚款|处罚|立案|取缔|拆除|关停|停产整改|安排[^，。；]{0,6}?(?:专人|人员|队员|车辆)|"
    r"采取了?[^，。；]{0,12}?措施|协调会|座谈会|专题会|现场会|联席会"
)

UNIT_SUFFIX = (
    r"人民政府|政府|街道办事处|办事处|街道|管委会|委员会|居委会|村委会|社区|办公室|有限公司|有限责任公司|"
    r"公司|集团|中心|大队|中队|支队|派出所|医院|学校|指挥部|局|委(?![托屈])|办(?![法理事])|所(?![有在属述以得谓需])|科|股|"
    r"(?:服务|工作|管理|农技|水管|林业|畜牧|文化|卫生|计生|环卫|城管|执法|保障|救助|监测|质监)站"
)
UNIT_RE = re.compile(rf"((?:[A-Z]\d{{0,2}})?[\u4e00-\u9fff]{{2,14}}?)({UNIT_SUFFIX})")
# a one-character suffix (局, 办, 所 …) names a unit only after an administrative level: 市城管局, 县网宣办
SHORT_SUFFIX_HEAD_RE = re.compile(
    r"[省市县区镇乡村州]|^[A-Z]\d|(?:教育|公安|交通运输|交通|城管|住建|环保|生态环境|卫健|卫生|民政|财政|人社|"
    r"医保|水利|林业|国土|规划|自然资源|市场监管|税务|气象|商务|农业|文旅|应急|信访|路灯|物业管理|网宣|同治)$"
)
# a unit named only by these is not a named responsible party
GENERIC_UNIT_HEADS = re.compile(
    r"(相关|有关|职能|主管|各级|各|该|我|本|贵|其他|其它|上级|当地|所在|属地|对应|责任|单位|"
    r"部门|地方|公立|民办|私立|周边|附近)$"
)
# 和 stays inside names (住房和城乡建设局); these characters end the words before a unit's name, and
# so do a date and the verbs that hand work to a unit ("3月5日安排镇村建办", "转交市城管局")
UNIT_STOP_CHARS = re.compile(
    r".*(?:[的向与及由对在经请到将已为被把从给跟同或、并了是据于]|\d日|安排|责成|责令|督促|要求|通知|联系|"
    r"转交|转办|移交|交由)"
)

FULL_DATE = r"\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?"
SIGNATURE_DATE_RE = re.compile(
    rf"(?:{FULL_DATE}|\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}})\s*"
    r"(?=$|[“\"「]|网友|尊敬|您好|你好|[A-Z]{1,2}\d|UU|n>|\s*$)"
)
DEADLINE_RE = re.compile(
    r"\d+\s*(?:个)?(?:工作日|日|天|周|星期|个月|小时)(?:之)?内|"
    r"(?<!\d)(?:月底|年底|年内|月内|周内|本周|下周|本月|下月|节前|春节前|年前|汛期前|开学前|近期内|限期)(?:前|内)?|"
    r"\d{1,2}\s*月\s*(?:底|上旬|中旬|下旬)(?:前)?|(?:今年|明年)(?:上半年|下半年|底)|"
    r"\d{1,2}\s*月\s*\d{1,2}\s*[日号]\s*(?:之|以)?前"
)
# a calendar date counts as the handling time only in a clause that says something was or will be done
DATE_RE = re.compile(
    rf"{FULL_DATE}|\d{{1,2}}\s*月\s*\d{{1,2}}\s*[日号]|\d{{4}}\s*年\s*\d{{1,2}}\s*月|\d{{4}}\s*年(?:上半年|下半年|底)"
)
HANDLING_RE = re.compile(
    rf"(?<!现)(?:{COMMITMENT}|完成|到位|开始|启动)|{STRONG_ACTION_RE.pattern}|(?:{ACTION_VERBS})(?:了|过)"
)

POLICY_DOC_RE = re.compile(
    r"《([^《》]{2,60}?(?:法|条例|规定|办法|意见|通知|规范|标准|细则|决定|方案|规划|纲要|规程|制度|准则|"
    r"公告|通告|批复|决议|解释|目录|工作报告|指南|规则|计划))[》（(]"
)
ARTICLE_RE = re.compile(r"第[一二三四五六七八九十百零〇\d]+条")
BASED_ON_RE = re.compile(
    r"(?:根据|依据|按照|依照|遵照|参照|按)[^，。；！？\n]{0,25}?(?:规定|政策|文件|条例|法律|法规|办法|精神|标准)"
)
VAGUE_BASIS_RE = re.compile(
    r"^(?:根据|依据|按照|依照|遵照|参照|按)(?:有关|相关|上级|国家)?(?:规定|政策|文件|要求)$"
)
DOC_NUMBER_RE = re.compile(r"[〔\[［(（]\s*(?:19|20)\d{2}\s*[〕\]］)）]\s*\d+\s*号|政府发文")

# phones are masked in the data as 0000-00000000; a bare 7-8 digit number counts only after 电话/热线/拨打
PHONE_RE = re.compile(
    r"(?<![\dA-Za-z])0\d{2,3}\s*[-—－]\s*(?:0000[-—－])?\d{7,8}(?![\dA-Za-z.])|"
    r"(?<![\d.])1[3-9]\d{9}(?![\d.])|(?:电话|热线|拨打|致电)[^，。\d]{0,6}\d{5,8}(?![\d.])"
)
CONTACT_WORDS_RE = re.compile(
    r"联系电话|咨询电话|服务热线|投诉热线|热线电话|联系人|联系方式[:：]|办公电话|可致电|请致电|欢迎致电|"
    r"拨打|来电咨询|电话[:：]"
)

# ---------------------------------------------------------------- relevance rules (data)

BOILERPLATE_RE = re.compile(
    r"网友|网民|朋友|您好|你好|尊敬的|来信收悉|留言收悉|已收悉|收悉|来信|留言|帖子|帖文|网帖|"
    r"现(?:将|就)?(?:有关|相关)?(?:情况|问题)?(?:回复|答复|说明|反馈)如下|回复如下|答复如下|"
    r"感谢您?(?:对我们?(?:的)?工作的?)?(?:关心|关注|支持|理解|监督|信任)[、与和及]?(?:关心|关注|支持|理解|监督)?[、与和及]?(?:监督|支持)?|"
    r"谢谢|祝您?事事顺心|高度重视|特此回复|以上是我单位对您的回复|再次感谢|敬请谅解|欢迎[^，。]{0,6}监督|"
    r"如有相关情况将及时反馈|平台|问政西地省|栏目|《|》"
)
FORWARD_RE = re.compile(
    r"(?:已|现)?(?:转|转交|转至|转给|交|交办|转办|移交)[^，。；！？]{0,20}?(?:办理|处理|办复|核查|调查|核实|答复|回复)"
)
QUOTE_RE = re.compile(r"[“\"「『《]([^”\"」』》]{4,80})[”\"」』》]")

STOPWORDS = frozenset(
    """
    请求 希望 要求 问题 反映 投诉 咨询 举报 建议 呼吁 关于 领导 尊敬 书记 市长 县长 政府 相关 部门 有关
    解决 情况 我们 你们 他们 大家 自己 什么 怎么 如何 为什么 是否 能否 可以 没有 不能 现在 目前 已经
    一个 一些 这个 那个 这样 那样 还是 但是 因为 所以 如果 而且 并且 或者 以及 这些 那些 请问 谢谢
    您好 你好 感谢 百忙之中 老百姓 群众 居民 业主 村民 市民 网友 严重 非常 特别 一直 多次 已经 至今
    进行 存在 出现 影响 造成 导致 不是 就是 还有 以来 时候 今年 去年 明年 现在 这里 那里 之后 之前
    每月 每年 每天 每次 一直 多年 以上 以下 左右
    """.split()
)
TOKEN_OK_RE = re.compile(r"^[\u4e00-\u9fff][\u4e00-\u9fffA-Za-z0-9]*$|^[A-Z]\d{1,2}[\u4e00-\u9fff]+$")


@dataclass
class ReplyScore:
    relevance: float
    completeness: float
    overall: float
    timeliness_days: int | None
    explanation: str
    parts: dict[str, str | None] = field(default_factory=dict)  # part -> the text that showed it
    matched_terms: list[str] = field(default_factory=list)
    missing_terms: list[str] = field(default_factory=list)
    relevance_explanation: str = ""
    completeness_explanation: str = ""
    timeliness_explanation: str = ""


# ---------------------------------------------------------------- completeness


def strip_signature_dates(reply: str) -> str:
    """Drop the date under the signature (and before a second, concatenated reply): it says when the
    reply was written, not when anything will be done."""
    return SIGNATURE_DATE_RE.sub(" ", reply)


def _clauses(text: str) -> list[str]:
    return [c for c in re.split(r"[，。；！？,;!?\n]", text) if c.strip()]


def _named_unit(text: str) -> str | None:
    for m in UNIT_RE.finditer(text):
        head = m.group(1)
        cut = UNIT_STOP_CHARS.match(head)
        if cut:
            head = head[cut.end() :]
        if len(head) < 2 or GENERIC_UNIT_HEADS.search(head) or head in {"工作", "办公", "协调", "服务"}:
            continue
        if len(m.group(2)) == 1 and not SHORT_SUFFIX_HEAD_RE.search(head):
            continue
        return head + m.group(2)
    return None


def _time_part(text: str) -> str | None:
    m = DEADLINE_RE.search(text)
    if m:
        return m.group(0)
    for clause in re.split(r"[。；！？;!?\n]", text):
        for d in DATE_RE.finditer(clause):
            rest = clause[: d.start()] + " " + clause[d.end() :]
            if HANDLING_RE.search(rest):
                return d.group(0)
    return None


def _basis_part(text: str) -> str | None:
    m = POLICY_DOC_RE.search(text)
    if m:
        return f"《{m.group(1)}》"
    for rx in (ARTICLE_RE, BASED_ON_RE, DOC_NUMBER_RE):
        for m in rx.finditer(text):
            if not VAGUE_BASIS_RE.match(m.group(0)):
                return m.group(0)
    return None


def _contact_part(text: str) -> str | None:
    m = CONTACT_WORDS_RE.search(text) or PHONE_RE.search(text)
    return m.group(0) if m else None


def _measure(body: str) -> str | None:
    """The first concrete measure: a commitment to an action, an action done, or a strong action.
    "已处理" or "将尽快解决" alone says that something happened, not what: it is no measure."""
    for rx in (MEASURE_RE, MEASURE_DONE_RE, STRONG_ACTION_RE):
        for m in rx.finditer(body):
            if not VAGUE_MEASURE_RE.fullmatch(m.group(0)):
                return m.group(0)
    return None


def detect_parts(reply: str) -> dict[str, str | None]:
    """Each completeness part with the snippet that showed it, or None when absent."""
    body = strip_signature_dates(reply or "")
    return {
        "measure": _measure(body),
        "party": _named_unit(body),
        "time": _time_part(body),
        "basis": _basis_part(body),
        "contact": _contact_part(body),
    }


def completeness_of(parts: dict[str, str | None]) -> float:
    return round(sum(w for name, w in PART_WEIGHTS.items() if parts.get(name)), 4)


def explain_parts(parts: dict[str, str | None]) -> str:
    bits = []
    for name, label in PART_LABELS.items():
        found = parts.get(name)
        if not found:
            bits.append(f"缺少{label}")
        elif name in ("basis", "party"):
            bits.append(f"有{label}（{_short(found)}）")
        else:
            bits.append(f"有{label}")
    return "；".join(bits)


def _short(text: str, limit: int = 20) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------- timeliness


TIME_FORMATS = (
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
)


def parse_time(value) -> date | None:
    """A date from a datetime/date or text such as "2019/4/25 9:32:09", "2019-04-25"; None if unreadable."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    for fmt in TIME_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    m = re.match(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})", text)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    return None


def timeliness_days(asked_at, replied_at, calendar: WorkCalendar | None = None) -> int | None:
    """Working days from the appeal to the reply (the appeal's day not counted); None without both."""
    asked, replied = parse_time(asked_at), parse_time(replied_at)
    if asked is None or replied is None:
        return None
    calendar = calendar or weekends_only(date.max)
    return working_days_between(asked, replied, calendar)[0]


# ---------------------------------------------------------------- relevance


@lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


@lru_cache(maxsize=1)
def _bundled_idf() -> tuple[dict[str, float], float]:
    """jieba's own IDF table (shipped with the package, learned from a large general corpus)."""
    from importlib import resources

    idf: dict[str, float] = {}
    with resources.files("jieba.analyse").joinpath("idf.txt").open(encoding="utf-8") as f:
        for line in f:
            word, _, value = line.strip().partition(" ")
            if value:
                idf[word] = float(value)
    median = sorted(idf.values())[len(idf) // 2]
    return idf, median


def key_terms(text: str) -> Counter:
    """Content words of a text (jieba), without stop words, single characters or bare numbers."""
    words = _jieba().lcut(text or "")
    return Counter(w for w in words if len(w) >= 2 and w not in STOPWORDS and TOKEN_OK_RE.match(w))


def substantive_text(question: str, reply: str) -> str:
    """The reply without what it copies from the appeal (quoted title) and without boilerplate."""
    q = question or ""

    def drop_copied(m: re.Match) -> str:
        inner = m.group(1)
        grams = {inner[i : i + 2] for i in range(len(inner) - 1)}
        copied = sum(1 for g in grams if g in q) / max(1, len(grams))
        return " " if copied >= 0.6 else m.group(0)

    body = QUOTE_RE.sub(drop_copied, reply or "")
    body = strip_signature_dates(body)
    return BOILERPLATE_RE.sub(" ", body)


def _term_credit(term: str, body: str) -> float:
    """1 when the reply uses the term; half the share of its character pairs when it uses a variant
    (养殖场 / 养殖户), since jieba cuts masked names and compounds inconsistently."""
    if term in body:
        return 1.0
    if len(term) < 3:
        return 0.0
    pairs = [term[i : i + 2] for i in range(len(term) - 1)]
    return 0.5 * sum(p in body for p in pairs) / len(pairs)


class ReplyScorer:
    """Scores replies; ``fit`` learns the IDF of key terms from a corpus of appeals (and replies).

    Unfitted, it uses jieba's bundled IDF table, so it works with no training data at all.
    """

    def __init__(
        self,
        top_terms: int = 12,
        full_coverage: float = 0.15,
        min_substance: int = 20,
        full_substance: int = 80,
    ):
        self.top_terms = top_terms
        # replies answer in their own words: mentioning this weighted share of the key terms counts as 1.0
        self.full_coverage = full_coverage
        self.min_substance = min_substance  # fewer characters of its own: boilerplate only, relevance 0
        self.full_substance = full_substance  # fewer characters of its own scale relevance down

    def fit(self, texts: Iterable[str]) -> ReplyScorer:
        df: Counter = Counter()
        n = 0
        for text in texts:
            n += 1
            df.update(set(key_terms(text)))
        self.idf_ = {w: math.log((1 + n) / (1 + c)) + 1.0 for w, c in df.items()}
        self.default_idf_ = math.log(1 + n) + 1.0
        self.n_docs_ = n
        return self

    def _idf(self, word: str) -> float:
        if hasattr(self, "idf_"):
            return self.idf_.get(word, self.default_idf_)
        idf, median = _bundled_idf()
        return idf.get(word, median)

    def weighted_terms(self, question: str) -> list[tuple[str, float]]:
        tf = key_terms(question)
        weighted = sorted(((w, (1 + math.log(c)) * self._idf(w)) for w, c in tf.items()), key=lambda x: -x[1])
        return weighted[: self.top_terms]

    def relevance(self, question: str, reply: str) -> tuple[float, list[str], list[str], str]:
        terms = self.weighted_terms(question)
        body = substantive_text(question, reply)
        own_chars = len(re.sub(r"[\s\W\d_A-Za-z]+", "", body))
        forwarded_only = bool(FORWARD_RE.search(reply or "")) and own_chars < 60
        if not terms:
            return 0.5, [], [], "诉求中未提取到关键问题，相关性按中等计"
        total = sum(w for _, w in terms)
        credit = {t: _term_credit(t, body) for t, _ in terms}
        matched = [t for t, _ in terms if credit[t] == 1.0]
        missing = [t for t, _ in terms if credit[t] < 1.0]
        coverage = sum(w * credit[t] for t, w in terms) / total
        score = min(1.0, coverage / self.full_coverage) * min(1.0, own_chars / self.full_substance)
        if own_chars < self.min_substance:
            return 0.0, matched, missing, "答复仅有客套话，未回应诉求"
        if forwarded_only:
            return round(min(score, 0.1), 4), matched, missing, "答复仅告知已转办，未回应诉求"
        if matched:
            text = "答复与诉求的关键问题相关：" + "、".join(matched[:5])
        else:
            text = "答复未提及诉求的关键问题"
        if missing and score < 1.0:
            text += "；未涉及：" + "、".join(missing[:3])
        if own_chars < self.full_substance:
            text += f"；答复实质内容较短（{own_chars}字）"
        return round(score, 4), matched, missing, text

    def score(self, question: str, reply: str, asked_at=None, replied_at=None, calendar=None) -> ReplyScore:
        relevance, matched, missing, rel_text = self.relevance(question, reply)
        parts = detect_parts(reply)
        completeness = completeness_of(parts)
        comp_text = explain_parts(parts)
        days = timeliness_days(asked_at, replied_at, calendar)
        if days is None:
            time_text = "缺少留言或答复时间，无法计算用时"
        else:
            time_text = f"答复用时{days}个工作日" + ("" if calendar else "（仅扣除周末）")
        overall = round((relevance + completeness) / 2, 4)
        return ReplyScore(
            relevance=relevance,
            completeness=completeness,
            overall=overall,
            timeliness_days=days,
            explanation=f"相关性：{rel_text}。完整性：{comp_text}。及时性：{time_text}。",
            parts=parts,
            matched_terms=matched,
            missing_terms=missing,
            relevance_explanation=rel_text,
            completeness_explanation=comp_text,
            timeliness_explanation=time_text,
        )

    def save(self, path) -> None:
        from textcore import artifact

        artifact.save(path, ARTIFACT_KIND, ARTIFACT_VERSION, self)

    @staticmethod
    def load(path) -> ReplyScorer | None:
        from textcore import artifact

        scorer = artifact.load(path, ARTIFACT_KIND, ARTIFACT_VERSION)
        return scorer if isinstance(scorer, ReplyScorer) else None


_DEFAULT = ReplyScorer()


def score_reply(
    question: str, reply: str, asked_at=None, replied_at=None, calendar: WorkCalendar | None = None
) -> ReplyScore:
    """Score one reply to one appeal with the default (unfitted, jieba IDF) scorer."""
    return _DEFAULT.score(question, reply, asked_at, replied_at, calendar)


# ---------------------------------------------------------------- command line


def register(subparsers) -> None:
    parser = subparsers.add_parser("replies", help="score replies: relevance, completeness, timeliness")
    parser.add_argument("--input", required=True)
    parser.add_argument("--text", required=True, help="the appeal's column(s), comma-separated")
    parser.add_argument("--reply", required=True, help="the reply's column")
    parser.add_argument("--time", help="the appeal's time column")
    parser.add_argument("--reply-time", dest="reply_time", help="the reply's time column")
    parser.add_argument("--output", required=True)
    parser.set_defaults(run=run_cli)


OUTPUT_COLUMNS = ["relevance", "completeness", "overall", "timeliness_days", "explanation"]


def run_cli(args) -> int:
    from textcore.csvio import join_text, parse_columns, read_rows, require_columns, write_rows
    from textcore.progress import progress

    if bool(args.time) != bool(args.reply_time):
        raise SystemExit("--time and --reply-time go together")
    text_cols = parse_columns(args.text)
    fieldnames, rows = read_rows(args.input)
    wanted = [*text_cols, args.reply] + ([args.time, args.reply_time] if args.time else [])
    require_columns(fieldnames, wanted, args.input)
    out = []
    for row in progress(rows, total=len(rows), desc="replies"):
        s = score_reply(
            join_text(row, text_cols),
            row.get(args.reply) or "",
            row.get(args.time) if args.time else None,
            row.get(args.reply_time) if args.time else None,
        )
        out.append(
            {
                **row,
                "relevance": s.relevance,
                "completeness": s.completeness,
                "overall": s.overall,
                "timeliness_days": "" if s.timeliness_days is None else s.timeliness_days,
                "explanation": s.explanation,
            }
        )
    extra = [c for c in OUTPUT_COLUMNS if c not in fieldnames]
    write_rows(args.output, [*fieldnames, *extra], out)
    return 0
