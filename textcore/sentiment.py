"""Sentiment of residents' rating comments (回访评价): satisfied / neutral / dissatisfied.

There is no labelled sentiment data for this domain, so this is a documented lexicon with rules,
not a trained model:

* the comment is cut into clauses at punctuation; in each clause the lexicon is matched longest
  entry first (so 不满意 is one negative cue, 不错 one positive cue, 没想到 no cue at all);
* a negator (不, 没, 没有, 未, 无, 并不, 从未 …) just before a cue flips a positive cue to negative
  (没有解决, 不认可) and turns a negative cue into a weak positive (不敷衍);
* a degree word just before a cue or its negator scales it: 很/非常/特别/根本 ×1.5,
  有点/比较/基本/还 ×0.6;
* wishes, questions and promises (希望, 请, 建议, 能否, 什么时候, 说好, 答应 …) mute the positive
  cues of their clause: "希望尽快解决" and "说好月底修好" are not satisfaction;
* after a contrast (但, 但是, 可是, 不过, 然而, 却) the clause counts 1.5× and the clauses before it
  0.5×: "态度还可以，但问题没解决" is dissatisfied.

The label is satisfied when the total is ≥ +1, dissatisfied when ≤ −1, neutral otherwise. The
confidence grows with the size of the total (0.5 … 0.97) and is lower for a neutral comment that
carries mixed cues; it is a monotone score, not a calibrated probability.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

__all__ = ["LABELS", "LABELS_ZH", "SentimentResult", "analyze_sentiment", "classify_sentiment", "register"]

LABELS = ("satisfied", "neutral", "dissatisfied")
LABELS_ZH = {"satisfied": "满意", "neutral": "中性", "dissatisfied": "不满意"}

# The lexicon as data: "cue:weight", one or more a line; "#" starts a comment. Entries that start
# with a negator are whole phrases (their meaning is not the negation of the rest: 不错, 没问题), and
# weight 0 entries only stop a shorter cue from matching (没想到, 好像).
LEXICON_TEXT = """
# satisfaction and thanks
满意:2 很满意:2.5 非常满意:3 表示满意:2 认可:1.5 好评:2 点赞:2
点个赞:2 赞:1 给力:1.5 感谢:1.5 谢谢:1.5 多谢:1.5 感激:1.5
辛苦了:1 表扬:1.5 不错:1.5 挺好:1.5 很好:1.5 好的:0.5 没问题:1
没有问题:1 不用谢:1 没想到:0 放心:1 理解了:1 明白了:1
# the problem was handled
解决:1.5 解决了:2 已解决:2 得到解决:2 妥善解决:2 部分解决:0.3
修好:1.5 处理好:1.5 办好:1.5 办妥:1.5 落实了:1.5 整改到位:1.5
处理到位:1.5 清走:1 清理干净:1.5 恢复正常:1.5 顺利:1
# how it was handled
及时:1 很快:1 高效:1 效率高:1.5 热情:1 耐心:1 周到:1
详细:1 负责:1 用心:1 专业:0.5
# neutral markers (weight 0: evidence of a neutral comment, and they block shorter cues)
一般:0 一般般:0 还行:0.5 还可以:0.5 凑合:0 没什么意见:0.3 没意见:0.3
无所谓:0 说不好:0 不好说:0 不清楚:0 不知道:0
# dissatisfaction
不满:-2 不满意:-2 失望:-2 敷衍:-2 敷衍了事:-2.5 推诿:-2
推脱:-2 踢皮球:-2 推来推去:-2 扯皮:-2 答非所问:-2 不了了之:-2
套话:-1.5 官话:-1.5 空话:-1.5 走过场:-2 走个过场:-2 形式主义:-2
没人管:-2 没有人管:-2 无人管:-2 没人理:-2 不管:-1.5 不作为:-2
乱作为:-2 不负责:-2 不负责任:-2 不处理:-1.5 不理:-1.5 拖着:-1.5
拖延:-1.5 一拖再拖:-2 慢:-1 太慢:-1.5 态度差:-2 态度很差:-2.5
差:-1 差劲:-2 糊弄:-2 忽悠:-2 骗:-1.5 欺骗:-2 投诉:-0.5
还没:-1.5 还未:-1.5 仍未:-1.5 仍然没:-1.5 至今没:-1.5 至今未:-1.5
迟迟:-1.5 没动静:-1.5 没有动静:-1.5 没反应:-1.5 老样子:-1.5 还是一样:-1.5
依旧:-1 没有改变:-1.5 没有任何改变:-2 没改:-1.5 没变:-1.5 白跑:-1.5
无语:-1.5 气愤:-2 生气:-1.5 寒心:-2 不认可:-1.5 不合理:-1.5 不公平:-1.5
不及时:-1.5 不到位:-1.5 不彻底:-1.5 没用:-1.5 没有用:-1.5 不行:-1
# added after the first hold-out round (see bench/replies.md): outcomes said in plain words
接受:1 感动:1.5 清楚:1 明白:1 漂亮:1.5 好:0.5 好几:0 好像:0
好不容易:0 不好:-1.5 消失:1 没有疑问:1 没疑问:1 办成:1.5 终于:0.5
改善:0.5 好多了:1.5 方便多了:1.5 依然存在:-2 仍然存在:-2 依然:-1
仍然:-1 还在:-1 还在等:0 又来了:-1.5 又开始:-1.5 又出现:-1.5
没办:-1.5 没处理:-1.5 没修:-1.5 没人来:-1.5 没人联系:-1.5 没回复:-1.5
没回音:-1.5 没结果:-1.5 不接受:-2 不归:-1.5 不是一回事:-2 只会说:-1.5
才有人:-1.5 拖了:-1.5 研究研究:-1.5 踢来踢去:-2 干什么:-1 有什么用:-2
"""
NEGATORS = "并没有 从来没 从没有 从未 并不 并未 没有 不是 不太 不够 没 不 未 无 别".split()  # longest first
DEGREE_TEXT = """
非常:1.5 特别:1.5 十分:1.5 很:1.5 太:1.5 极其:1.5 超级:1.5 相当:1.5 真:1.3 真的:1.3
根本:1.5 完全:1.5 一点:1.5 一点也:1.5 一直:1.2
有点:0.6 有些:0.6 比较:0.6 稍微:0.6 基本:0.6 基本上:0.6 还算:0.6 还:0.8
"""


def _parse_cues(text: str) -> dict[str, float]:
    cues = {}
    for line in text.splitlines():
        for item in line.split("#", 1)[0].split():
            word, _, weight = item.partition(":")
            cues[word] = float(weight)
    return cues


LEXICON = _parse_cues(LEXICON_TEXT)
DEGREE = _parse_cues(DEGREE_TEXT)
# wishes, questions and promises are not outcomes: "希望尽快解决", "说好月底修好"
IRREALIS_RE = re.compile(
    r"希望|盼望|期望|请问|请|建议|能否|能不能|可否|是否|什么时候|何时|如果|要是|等到|争取|说好|说是|说要|答应|承诺|保证"
)
CONTRAST_RE = re.compile(r"^(?:但是|但|可是|不过|然而|只是|就是|实际上|其实|结果)|却")
CLAUSE_SPLIT_RE = re.compile(r"[，。；！？!?,;.\n…~～、 ]+")

NEGATION_REACH = 3  # characters a negator or degree word reaches forward
SATISFIED_AT = 1.0


def _sorted_keys(d) -> list[str]:
    return sorted(d, key=len, reverse=True)


_LEXICON_KEYS = _sorted_keys(LEXICON)
_DEGREE_KEYS = _sorted_keys(DEGREE)


@dataclass
class SentimentResult:
    label: str
    confidence: float
    score: float
    cues: list[str] = field(default_factory=list)  # the phrases behind the score, as matched (否定 marked)

    @property
    def label_zh(self) -> str:
        return LABELS_ZH[self.label]


def _match(text: str, i: int, keys: list[str]) -> str | None:
    for k in keys:
        if text.startswith(k, i):
            return k
    return None


def _clause_score(clause: str) -> tuple[float, list[str]]:
    score = 0.0
    cues: list[str] = []
    negated_until = -1
    degree, degree_until = 1.0, -1
    muted = bool(IRREALIS_RE.search(clause))
    i = 0
    while i < len(clause):
        cue = _match(clause, i, _LEXICON_KEYS)
        if cue is not None:
            weight = LEXICON[cue]
            if i <= degree_until:
                weight *= degree
            if i <= negated_until:
                weight = -weight if weight > 0 else -0.3 * weight
                cues.append("否定+" + cue)
            elif weight:
                cues.append(cue)
            if muted and weight > 0:
                weight = 0.0
            score += weight
            negated_until = degree_until = -1
            i += len(cue)
            continue
        word = _match(clause, i, _DEGREE_KEYS)
        if word is not None:
            degree, degree_until = DEGREE[word], i + len(word) + NEGATION_REACH
            i += len(word)
            continue
        negator = next((n for n in NEGATORS if clause.startswith(n, i)), None)
        if negator is not None:
            negated_until = i + len(negator) + NEGATION_REACH
            if degree_until >= i:
                degree_until = negated_until
            i += len(negator)
            continue
        i += 1
    return score, cues


def analyze_sentiment(text: str) -> SentimentResult:
    """The label, confidence, signed score and the cues behind them."""
    clauses = [c for c in CLAUSE_SPLIT_RE.split(text or "") if c]
    if not clauses:
        return SentimentResult("neutral", 0.5, 0.0, [])
    contrast_at = max((k for k, c in enumerate(clauses) if k and CONTRAST_RE.search(c)), default=None)
    total = 0.0
    cues: list[str] = []
    for k, clause in enumerate(clauses):
        score, found = _clause_score(clause)
        if contrast_at is not None:
            score *= 1.5 if k >= contrast_at else 0.5
        total += score
        cues.extend(found)
    if total >= SATISFIED_AT:
        label = "satisfied"
    elif total <= -SATISFIED_AT:
        label = "dissatisfied"
    else:
        label = "neutral"
    if label == "neutral":
        # no cue at all: a plain neutral comment (收到, 已阅); mixed weak cues: less sure
        confidence = 0.75 - 0.25 * abs(total) if cues else 0.7
    else:
        confidence = 0.5 + 0.47 * (1 - math.exp(-abs(total) / 1.5))
    return SentimentResult(label, round(confidence, 3), round(total, 3), cues)


def classify_sentiment(text: str) -> tuple[str, float]:
    """("satisfied" | "neutral" | "dissatisfied", confidence) for one rating comment."""
    result = analyze_sentiment(text)
    return result.label, result.confidence


# ---------------------------------------------------------------- command line


def register(subparsers) -> None:
    parser = subparsers.add_parser("sentiment", help="sentiment of rating comments")
    parser.add_argument("--input", required=True)
    parser.add_argument("--text", required=True, help="the comment column(s), comma-separated")
    parser.add_argument("--output", required=True)
    parser.set_defaults(run=run_cli)


def run_cli(args) -> int:
    from textcore.csvio import join_text, parse_columns, read_rows, require_columns, write_rows

    cols = parse_columns(args.text)
    fieldnames, rows = read_rows(args.input)
    require_columns(fieldnames, cols, args.input)
    out = []
    for row in rows:
        r = analyze_sentiment(join_text(row, cols))
        out.append({**row, "sentiment": r.label, "confidence": r.confidence, "cues": "、".join(r.cues)})
    extra = [c for c in ("sentiment", "confidence", "cues") if c not in fieldnames]
    write_rows(args.output, [*fieldnames, *extra], out)
    return 0
