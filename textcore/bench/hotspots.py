"""`python -m textcore bench hotspots`: B-cubed precision/recall/F1 of the hotspot grouping on the
gold set (bench/hotspots_gold.csv), the grouping run over all messages of messages_with_votes.csv and
then restricted to the gold messages; the single-link character TF-IDF baseline at its best threshold
in the same run; the parameters tuned on one half of the gold groups and scored on the other half;
and the top 10 hot issues.
"""

import csv
import random
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sklearn.feature_extraction.text import TfidfVectorizer

from textcore import hotspots
from textcore.progress import progress

GOLD = Path(__file__).resolve().parents[2] / "bench" / "hotspots_gold.csv"
THRESHOLDS = [round(x, 2) for x in np.arange(0.04, 0.71, 0.02)]
PENALTIES = [0.0, 0.3, 0.6]
BONUSES = [0.0, 0.1, 0.2]
UNPLACED = [1.0, 0.85, 0.7]


def add_arguments(parser) -> None:
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--seed", type=int, default=0, help="seed of the tune/held-out split of gold groups")


def load_messages(path: Path) -> list[hotspots.Message]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return [
            hotspots.Message(
                id=row["message_id"],
                text=f"{row['subject'].strip()}\n{row['detail'].strip()}",
                time=hotspots.parse_time(row["time"]),
                likes=int(row["likes"] or 0),
                user=row["user"] or None,
            )
            for row in csv.DictReader(f)
        ]


def load_gold(path: Path) -> dict[str, str]:
    with open(path, encoding="utf-8", newline="") as f:
        return {row["message_id"]: row["group"] for row in csv.DictReader(f)}


def bcubed(predicted: dict[str, int], gold: dict[str, str]) -> dict[str, float]:
    """B-cubed precision, recall, F1 over the gold messages (predicted clusters restricted to them)."""
    by_pred, by_gold = defaultdict(set), defaultdict(set)
    for item, label in gold.items():
        by_pred[predicted[item]].add(item)
        by_gold[label].add(item)
    precision = recall = 0.0
    for item, label in gold.items():
        same = len(by_pred[predicted[item]] & by_gold[label])
        precision += same / len(by_pred[predicted[item]])
        recall += same / len(by_gold[label])
    precision, recall = precision / len(gold), recall / len(gold)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def _cuts(sim: np.ndarray, method: str):
    distance = np.clip(1.0 - sim, 0.0, None)
    np.fill_diagonal(distance, 0.0)
    return linkage(squareform(distance, checks=False), method=method)


def _labels(tree, ids: list[str], threshold: float) -> dict[str, int]:
    return dict(zip(ids, fcluster(tree, t=1.0 - threshold, criterion="distance").tolist(), strict=True))


def _split_gold(gold: dict[str, str], seed: int) -> tuple[dict[str, str], dict[str, str]]:
    groups = sorted(set(gold.values()))
    random.Random(seed).shuffle(groups)
    tune_groups = set(groups[: len(groups) // 2])
    tune = {k: v for k, v in gold.items() if v in tune_groups}
    held = {k: v for k, v in gold.items() if v not in tune_groups}
    return tune, held


def _tune(trees, ids, gold_part) -> tuple[float, float, float, float]:
    """(penalty, bonus, unplaced factor, threshold) with the best B-cubed F1 on gold_part."""
    best = None
    for key, tree in trees.items():
        for t in THRESHOLDS:
            f1 = bcubed(_labels(tree, ids, t), gold_part)["f1"]
            if best is None or f1 > best[0]:
                best = (f1, *key, t)
    return best[1:]


def _params(found) -> dict:
    return dict(zip(("place_penalty", "place_bonus", "unplaced_factor", "threshold"), found, strict=True))


def run(args) -> dict:
    messages = load_messages(args.data / "messages_with_votes.csv")
    gold = load_gold(args.gold)
    ids = [m.id for m in messages]
    tune, held = _split_gold(gold, args.seed)

    # Baseline: single link on plain character TF-IDF cosine of the whole text.
    docs = [m.text for m in messages]
    x = TfidfVectorizer(
        analyzer="char", ngram_range=(2, 3), sublinear_tf=True, dtype=np.float32
    ).fit_transform(docs)
    base_tree = _cuts((x @ x.T).toarray(), "single")
    base_scores = {t: bcubed(_labels(base_tree, ids, t), gold) for t in THRESHOLDS}
    base_best = max(base_scores, key=lambda t: base_scores[t]["f1"])
    base_tuned = max(THRESHOLDS, key=lambda t: bcubed(_labels(base_tree, ids, t), tune)["f1"])

    # Ours: one average-linkage tree per (penalty, bonus, unplaced factor); thresholds are cuts of it.
    text_sim = hotspots.text_similarity(docs)
    has, share = hotspots.place_relations([hotspots.place_keys(m.text) for m in messages])
    trees = {}
    grid = [(p, b, u) for p in PENALTIES for b in BONUSES for u in UNPLACED]
    for key in progress(grid, desc="linkage trees"):
        params = hotspots.GroupingParams(place_penalty=key[0], place_bonus=key[1], unplaced_factor=key[2])
        trees[key] = _cuts(hotspots.adjust_for_places(text_sim, has, share, params), "average")
    tuned = _tune(trees, ids, tune)  # on the tune half only
    other = _tune(trees, ids, held)  # the other fold of the two-fold cross-validation
    ours = _labels(trees[tuned[:3]], ids, tuned[3])
    cv = [bcubed(ours, held)["f1"], bcubed(_labels(trees[other[:3]], ids, other[3]), tune)["f1"]]
    defaults = hotspots.group_messages(messages)

    groups = hotspots.find_hotspots(messages)
    top = [
        {
            "size": g.size,
            "residents": g.residents,
            "likes": g.likes,
            "heat": g.heat,
            "title": g.title,
            "place": g.place,
            "span": f"{g.first:%Y-%m-%d}..{g.last:%Y-%m-%d}" if g.first and g.last else "",
        }
        for g in groups[:10]
    ]
    return {
        "n_messages": len(messages),
        "gold_messages": len(gold),
        "gold_groups": len(set(gold.values())),
        "gold_groups_multi": sum(1 for n in Counter(gold.values()).values() if n > 1),
        "tuned_on_half": _params(tuned),
        "other_fold_params": _params(other),
        "defaults": {**bcubed(dict(zip(ids, defaults, strict=True)), gold), "linkage": "average"},
        **bcubed(ours, gold),
        "held_out": bcubed(ours, held),
        "cv_f1_two_fold": round(sum(cv) / 2, 4),
        "baseline": {
            "linkage": "single",
            "best_threshold": base_best,
            **base_scores[base_best],
            "threshold_tuned_on_half": base_tuned,
            "held_out": bcubed(_labels(base_tree, ids, base_tuned), held),
        },
        "top10": top,
    }
