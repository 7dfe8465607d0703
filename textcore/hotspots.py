"""Hotspots: appeals about the same concrete problem at the same place, grouped over time and ranked
by a heat index.

Grouping
--------
1. Problem similarity: cosine of word TF-IDF vectors (jieba words, sublinear tf) of each message with
   its place names blanked out (what is wrong, not where), the subject (first line) repeated so that
   it weighs as much as a long detail. Words beat character n-grams here: 0.94 vs 0.91 B-cubed F1.
2. Place compatibility: the specific places of each message (village/community level and finer:
   roads, compounds, schools … see `places.py`) are compared; names match when one contains the
   other ("伊景园滨河苑" in "商品房伊景园滨河苑"). Two messages that both name specific places and share
   none get their similarity multiplied by `place_penalty`; those that share one get `place_bonus`
   added. Names of four or more characters also match with one character different (typing slips).
   Pairs that share no place are multiplied by `unplaced_factor` as well, so messages without a
   specific place group only on stronger text evidence. The tuned penalty is 0: different places
   never group, which is what "the same problem at different places stays apart" asks.
3. Average linkage on 1 - similarity, cut at `1 - threshold`. Average (not single) linkage keeps a
   chain of pairwise-similar messages from gluing different problems together.
The defaults were tuned on one half of the gold groups and checked on the other (bench/hotspots.md).
The pairwise matrix is dense (n² floats): run it over a window (e.g. the last months, one district)
of up to ~20,000 appeals at a time.

Heat index (documented in bench/hotspots.md as well)
---------------------------------------------------
    base    = log2(1 + residents) + 0.5·log2(1 + repeats) + 0.5·log2(1 + likes)
    recency = mean over the group's messages of 0.5 ** (days since the message / 60)
    growth  = (messages in the last 30 days + 2) / (messages per 30 days in the 60 days before + 2)
    heat    = base × (0.5 + 0.5·recency) × clamp(growth, 0.5, 2) ** 0.5
Why: logarithms because the 50th complaint says less than the 2nd; distinct residents count fully,
repeats by the same resident half (one persistent writer must not outweigh many residents) and likes
half (a cheap signal); recency is averaged over the messages so that one fresh message does not make
an old group new; an old group keeps half its heat (an unsolved problem stays a problem); a rising or
falling rate moves heat by at most ×1.41 / ×0.71, and the +2 keeps a single new message from counting
as growth. "Now" is the latest message time given.
"""

import logging
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

import jieba
import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse import csr_matrix
from scipy.spatial.distance import squareform
from sklearn.feature_extraction.text import TfidfVectorizer

from textcore.places import Gazetteer, PlaceResult, extract_places
from textcore.progress import progress

SPECIFIC_LEVEL = 4  # village/community and finer
RECENT_DAYS = 30
_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
jieba.setLogLevel(logging.WARNING)
HALF_LIFE_DAYS = 60
TITLE_CHARS = 30


@dataclass
class Message:
    id: str
    text: str
    time: datetime | None = None
    likes: int = 0
    user: str | None = None


@dataclass
class Hotspot:
    ids: list[str]
    title: str
    place: str
    first: datetime | None
    last: datetime | None
    size: int
    residents: int
    likes: int
    growth: float
    recency: float
    heat: float
    places: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class GroupingParams:
    """Tuned on one half of the gold groups (bench/hotspots.md); see the module docstring."""

    threshold: float = 0.28  # average similarity at which two groups merge
    place_penalty: float = 0.0  # × similarity when both name specific places and share none
    place_bonus: float = 0.2  # + similarity when they share a specific place
    unplaced_factor: float = 1.0  # × similarity when they do not share one (stricter without a place)


def find_hotspots(
    messages: Sequence[Message],
    params: GroupingParams = GroupingParams(),  # noqa: B008 - frozen, safe as a default
    *,
    gazetteer: Gazetteer | None = None,
    now: datetime | None = None,
) -> list[Hotspot]:
    """Every message in exactly one group (singletons included), hottest first."""
    if not messages:
        return []
    labels, sim = _group(messages, params, gazetteer)
    times = [m.time for m in messages if m.time is not None]
    now = now or (max(times) if times else None)
    members: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        members.setdefault(label, []).append(index)
    groups = [_describe(messages, idx, sim, now, gazetteer) for idx in members.values()]
    groups.sort(key=lambda g: (-g.heat, -g.size, g.ids[0]))
    return groups


def group_messages(
    messages: Sequence[Message],
    params: GroupingParams = GroupingParams(),  # noqa: B008
    *,
    gazetteer: Gazetteer | None = None,
) -> list[int]:
    """A group label per message (labels are arbitrary integers)."""
    return _group(messages, params, gazetteer)[0]


def _group(messages, params: GroupingParams, gazetteer) -> tuple[list[int], np.ndarray]:
    if len(messages) == 1:
        return [0], np.ones((1, 1), dtype=np.float32)
    sim = similarity_matrix(messages, params, gazetteer=gazetteer)
    return cut_average_linkage(sim, params.threshold), sim


def cut_average_linkage(sim: np.ndarray, threshold: float) -> list[int]:
    distance = np.clip(1.0 - sim, 0.0, None)
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(distance, checks=False), method="average")
    return [int(x) for x in fcluster(tree, t=1.0 - threshold, criterion="distance")]


def similarity_matrix(
    messages: Sequence[Message],
    params: GroupingParams = GroupingParams(),  # noqa: B008
    *,
    gazetteer: Gazetteer | None = None,
) -> np.ndarray:
    """Text similarity adjusted by place compatibility (dense, float32, symmetric)."""
    text_sim = text_similarity([m.text for m in messages], gazetteer)
    has_place, share_place = place_relations([place_keys(m.text, gazetteer) for m in messages])
    return adjust_for_places(text_sim, has_place, share_place, params)


def adjust_for_places(
    text_sim: np.ndarray, has_place: np.ndarray, share_place: np.ndarray, params: GroupingParams
) -> np.ndarray:
    sim = text_sim * np.where(share_place, 1.0, params.unplaced_factor).astype(np.float32)
    sim[np.outer(has_place, has_place) & ~share_place] *= params.place_penalty
    sim[share_place] += params.place_bonus
    return np.minimum(sim, 1.0, out=sim)


@lru_cache(maxsize=50_000)
def _places(text: str, gazetteer: Gazetteer | None) -> PlaceResult:
    """Places are needed three times per message (blanking, compatibility, the group's place)."""
    return extract_places(text, gazetteer)


def text_similarity(texts: Sequence[str], gazetteer: Gazetteer | None = None) -> np.ndarray:
    """Cosine of word TF-IDF vectors (jieba words, sublinear tf) of the place-blanked texts."""
    docs = [_words(_weighted_text(t, gazetteer)) for t in progress(texts, desc="hotspots: words")]
    vectors = TfidfVectorizer(analyzer=str.split, sublinear_tf=True, dtype=np.float32)
    x = vectors.fit_transform(docs)
    return (x @ x.T).toarray()


def _words(text: str) -> str:
    return " ".join(w for w in jieba.lcut(text) if _WORD.search(w))


def _weighted_text(text: str, gazetteer: Gazetteer | None = None) -> str:
    subject, _, detail = problem_text(text, gazetteer).partition("\n")
    return f"{subject}\n{subject}\n{detail}" if detail else subject


def problem_text(text: str, gazetteer: Gazetteer | None = None) -> str:
    """The text with its place names blanked out: what is wrong, not where (place is compared apart)."""
    chars = list(text)
    for place in _places(text, gazetteer).places:
        for k in range(place.start, place.end):
            chars[k] = " "
    return "".join(chars)


def place_keys(text: str, gazetteer: Gazetteer | None = None) -> set[str]:
    """The specific place names of a text (before key expansion, see place_relations)."""
    result = _places(text, gazetteer)
    return {p.name for p in result.places if p.level >= SPECIFIC_LEVEL and len(p.name) >= 3}


def place_relations(keys: Sequence[set[str]]) -> tuple[np.ndarray, np.ndarray]:
    """(has a specific place, pair shares a place) where names match when one contains the other."""
    vocab = sorted({name for names in keys for name in names})
    contained = {name: _contained_names(name, set(vocab)) for name in vocab}
    column: dict[str, int] = {}
    rows, cols = [], []
    for i, names in enumerate(keys):
        for name in names:
            for key in contained[name]:
                rows.append(i)
                cols.append(column.setdefault(key, len(column)))
    n = len(keys)
    if not rows:
        return np.zeros(n, dtype=bool), np.zeros((n, n), dtype=bool)
    incidence = csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(n, len(column)))
    shared = (incidence @ incidence.T).toarray() > 0
    has = np.asarray(incidence.sum(axis=1)).ravel() > 0
    return has, shared


def _contained_names(name: str, vocab: set[str]) -> set[str]:
    """The name, the known names inside it, and for names of 4+ characters the name with one character
    masked - so a one-character slip (星沙中茂城 / 星沙中贸城, 金麓小区 / 金路小区) still matches."""
    found = {name}
    for length in range(3, len(name)):
        for start in range(len(name) - length + 1):
            part = name[start : start + length]
            if part in vocab:
                found.add(part)
    if len(name) >= 4:
        found.update(name[:k] + "\0" + name[k + 1 :] for k in range(len(name)))
    return found


def _describe(messages, idx, sim, now, gazetteer) -> Hotspot:
    group = [messages[i] for i in idx]
    central = idx[int(np.argmax(sim[np.ix_(idx, idx)].sum(axis=1)))]
    times = sorted(m.time for m in group if m.time is not None)
    users = {m.user or f"#{m.id}" for m in group}
    likes = sum(max(0, int(m.likes or 0)) for m in group)
    # The group's place: the specific place named in most subjects, then in most texts, then the finer
    # one; a message's single most specific place is often a neighbouring compound said in passing.
    in_subject: Counter[str] = Counter()
    in_text: Counter[str] = Counter()
    levels: dict[str, int] = {}
    for m in group:
        found = _places(m.text, gazetteer).places
        subject_end = len(m.text.split("\n", 1)[0])
        for place in found:
            levels[place.name] = max(levels.get(place.name, 0), place.level)
        in_text.update(list(dict.fromkeys(p.name for p in found)))
        in_subject.update(list(dict.fromkeys(p.name for p in found if p.end <= subject_end)))
    first_seen = {name: k for k, name in enumerate(in_text)}
    ranked = sorted(
        in_text,
        key=lambda n: (min(levels[n], SPECIFIC_LEVEL), in_subject[n], in_text[n], levels[n], -first_seen[n]),
    )
    heat, recency, growth = heat_index(len(group), len(users), likes, times, now)
    return Hotspot(
        ids=[m.id for m in group],
        title=short_title(messages[central].text),
        place=ranked[-1] if ranked else "",
        first=times[0] if times else None,
        last=times[-1] if times else None,
        size=len(group),
        residents=len(users),
        likes=likes,
        growth=round(growth, 3),
        recency=round(recency, 3),
        heat=round(heat, 4),
        places=ranked[::-1],
    )


def heat_index(
    size: int, residents: int, likes: int, times: Sequence[datetime], now: datetime | None
) -> tuple[float, float, float]:
    """(heat, recency, growth) of a group - the formula and its reasons are in the module docstring."""
    base = (
        math.log2(1 + residents) + 0.5 * math.log2(1 + max(0, size - residents)) + 0.5 * math.log2(1 + likes)
    )
    recency, growth = _recency_and_growth(sorted(times), now)
    heat = base * (0.5 + 0.5 * recency) * min(max(growth, 0.5), 2.0) ** 0.5
    return heat, recency, growth


def _recency_and_growth(times: list[datetime], now: datetime | None) -> tuple[float, float]:
    if not times or now is None:
        return 1.0, 1.0
    ages = [max(0.0, (now - t).total_seconds() / 86400) for t in times]
    recency = sum(0.5 ** (age / HALF_LIFE_DAYS) for age in ages) / len(ages)
    recent = sum(1 for age in ages if age <= RECENT_DAYS)
    earlier = sum(1 for age in ages if RECENT_DAYS < age <= 3 * RECENT_DAYS)
    return recency, (recent + 2) / (earlier / 2 + 2)


def short_title(text: str) -> str:
    """The subject line (or first sentence) of a message, at most TITLE_CHARS characters."""
    first = text.strip().split("\n", 1)[0]
    first = re.split(r"[。！？!?]", first, maxsplit=1)[0].strip() or first.strip()
    return first if len(first) <= TITLE_CHARS else first[: TITLE_CHARS - 1] + "…"


def parse_time(value: str) -> datetime | None:
    """The time formats seen in appeal exports ("2019/7/26 11:25:05", ISO); None when unreadable."""
    value = (value or "").strip()
    for fmt in ("%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y/%m/%d", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def register(subparsers) -> None:
    parser = subparsers.add_parser("hotspots", help="group messages into hotspots and rank them by heat")
    parser.add_argument("--input", required=True)
    parser.add_argument("--id", required=True, help="id column")
    parser.add_argument("--text", required=True, help="text column(s), comma-separated (subject first)")
    parser.add_argument("--time", help="time column")
    parser.add_argument("--likes", help="likes column")
    parser.add_argument("--user", help="resident column (distinct residents in the heat index)")
    parser.add_argument("--output", required=True)
    parser.set_defaults(run=run_command)


def run_command(args) -> int:
    from textcore import csvio

    fieldnames, rows = csvio.read_rows(args.input)
    text_cols = csvio.parse_columns(args.text)
    optional = [c for c in (args.time, args.likes, args.user) if c]
    csvio.require_columns(fieldnames, [args.id, *text_cols, *optional], args.input)
    messages = [
        Message(
            id=row[args.id],
            text=csvio.join_text(row, text_cols),
            time=parse_time(row[args.time]) if args.time else None,
            likes=_int(row[args.likes]) if args.likes else 0,
            user=(row[args.user] or None) if args.user else None,
        )
        for row in rows
    ]
    out = []
    for number, group in enumerate(find_hotspots(messages), start=1):
        for message_id in group.ids:
            out.append(
                {
                    "id": message_id,
                    "group": number,
                    "title": group.title,
                    "place": group.place,
                    "heat": group.heat,
                }
            )
    order = {m.id: i for i, m in enumerate(messages)}
    out.sort(key=lambda r: order[r["id"]])
    csvio.write_rows(args.output, ["id", "group", "title", "place", "heat"], out)
    return 0


def _int(value: str) -> int:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return 0
