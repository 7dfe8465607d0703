"""`python -m textcore bench replies`: reply quality and sentiment, against hand-made gold sets.

* distribution of relevance / completeness / overall / timeliness (working days, weekends only) over
  every row of messages_with_replies.csv, and the share of replies with each completeness part;
* agreement with bench/replies_gold.csv (110 replies read and annotated by hand; the first 55 rows
  were used while writing the rules, the last 55 were not looked at error by error): accuracy of
  each part against its majority-class baseline, Spearman of relevance and completeness against a
  reply-length baseline;
* agreement with bench/sentiment_gold.csv (comments written by hand; `dev`/`dev2` were used while
  writing the lexicon, `holdout` was written after it was frozen) against the majority class.
"""

from __future__ import annotations

import csv
import time
from collections import Counter
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

from textcore.progress import progress
from textcore.replies import PART_WEIGHTS, ReplyScorer, score_reply
from textcore.sentiment import LABELS, classify_sentiment

BENCH_DIR = Path(__file__).resolve().parents[2] / "bench"
PARTS = list(PART_WEIGHTS)
QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9)


def add_arguments(parser) -> None:
    parser.add_argument("--gold", type=Path, default=BENCH_DIR / "replies_gold.csv")
    parser.add_argument(
        "--sentiment-gold", dest="sentiment_gold", type=Path, default=BENCH_DIR / "sentiment_gold.csv"
    )


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _question(row: dict[str, str]) -> str:
    return f"{row.get('subject', '')}\n{row.get('detail', '')}".strip()


def _quantiles(values) -> dict[str, float]:
    arr = np.asarray([v for v in values if v is not None], dtype=float)
    if not len(arr):
        return {}
    out = {f"p{int(q * 100)}": round(float(np.quantile(arr, q)), 3) for q in QUANTILES}
    out["mean"] = round(float(arr.mean()), 3)
    return out


def _length_baseline(reply: str) -> float:
    """The trivial score: longer replies are better, saturating at 500 characters."""
    return min(1.0, len(reply or "") / 500)


def _spearman(a, b) -> float:
    return round(float(spearmanr(a, b)[0]), 3)


def _relevance_bin(x: float) -> float:
    return 0.0 if x < 0.25 else 0.5 if x < 0.75 else 1.0


def _distribution(messages: list[dict[str, str]]) -> tuple[dict, dict[str, object]]:
    scores = {}
    started = time.perf_counter()
    for row in progress(messages, total=len(messages), desc="score replies"):
        scores[row["message_id"]] = score_reply(_question(row), row["reply"], row["time"], row["reply_time"])
    elapsed = time.perf_counter() - started
    values = list(scores.values())
    figures = {
        "n": len(values),
        "ms_per_reply": round(1000 * elapsed / max(1, len(values)), 2),
        "relevance": _quantiles(s.relevance for s in values),
        "completeness": _quantiles(s.completeness for s in values),
        "overall": _quantiles(s.overall for s in values),
        "timeliness_days": _quantiles(s.timeliness_days for s in values),
        "share_with_part": {p: round(sum(bool(s.parts[p]) for s in values) / len(values), 3) for p in PARTS},
        "share_relevance_below_0.2": round(sum(s.relevance < 0.2 for s in values) / len(values), 3),
        "share_replied_within_15_working_days": round(
            sum(s.timeliness_days is not None and s.timeliness_days <= 15 for s in values) / len(values), 3
        ),
    }
    return figures, scores


def _reply_agreement(gold: list[dict[str, str]], messages: dict, scores: dict, fitted: ReplyScorer) -> dict:
    def block(rows):
        ids = [g["message_id"] for g in rows]
        gold_rel = [float(g["relevance"]) for g in rows]
        ours = [scores[i] for i in ids]
        base = [_length_baseline(messages[i]["reply"]) for i in ids]
        gold_comp = [sum(w * int(g[p]) for p, w in PART_WEIGHTS.items()) for g in rows]
        fitted_rel = [fitted.relevance(_question(messages[i]), messages[i]["reply"])[0] for i in ids]
        parts = {}
        for p in PARTS:
            truth = [g[p] == "1" for g in rows]
            pred = [bool(s.parts[p]) for s in ours]
            majority = Counter(truth).most_common(1)[0][0]
            tp = sum(t and q for t, q in zip(truth, pred, strict=True))
            parts[p] = {
                "accuracy": round(sum(t == q for t, q in zip(truth, pred, strict=True)) / len(rows), 3),
                "majority_baseline": round(sum(t == majority for t in truth) / len(rows), 3),
                "precision": round(tp / max(1, sum(pred)), 3),
                "recall": round(tp / max(1, sum(truth)), 3),
            }
        return {
            "n": len(rows),
            "relevance_spearman": _spearman(gold_rel, [s.relevance for s in ours]),
            "relevance_spearman_fitted_idf": _spearman(gold_rel, fitted_rel),
            "relevance_spearman_length_baseline": _spearman(gold_rel, base),
            "relevance_accuracy_3_bins": round(
                sum(_relevance_bin(s.relevance) == r for s, r in zip(ours, gold_rel, strict=True))
                / len(rows),
                3,
            ),
            "relevance_accuracy_majority_baseline": round(max(Counter(gold_rel).values()) / len(rows), 3),
            "completeness_spearman": _spearman(gold_comp, [s.completeness for s in ours]),
            "completeness_spearman_length_baseline": _spearman(gold_comp, base),
            "completeness_mae": round(
                float(np.mean([abs(s.completeness - c) for s, c in zip(ours, gold_comp, strict=True)])), 3
            ),
            "parts": parts,
        }

    half = len(gold) // 2
    return {"all": block(gold), "rules_written_on": block(gold[:half]), "held_out": block(gold[half:])}


def _macro_f1(truth: list[str], pred: list[str]) -> float:
    f1s = []
    for label in LABELS:
        tp = sum(t == label and p == label for t, p in zip(truth, pred, strict=True))
        fp = sum(t != label and p == label for t, p in zip(truth, pred, strict=True))
        fn = sum(t == label and p != label for t, p in zip(truth, pred, strict=True))
        f1s.append(2 * tp / max(1, 2 * tp + fp + fn))
    return round(sum(f1s) / len(f1s), 3)


def _sentiment_agreement(gold: list[dict[str, str]]) -> dict:
    majority = Counter(g["label"] for g in gold if g.get("set", "dev") == "dev").most_common(1)[0][0]
    out = {"majority_class": majority}
    for name in sorted({g.get("set", "dev") for g in gold}):
        rows = [g for g in gold if g.get("set", "dev") == name]
        truth = [g["label"] for g in rows]
        pred = [classify_sentiment(g["comment"])[0] for g in rows]
        polar = [(t, p) for t, p in zip(truth, pred, strict=True) if p != "neutral"]
        out[name] = {
            "n": len(rows),
            "accuracy": round(sum(t == p for t, p in zip(truth, pred, strict=True)) / len(rows), 3),
            "macro_f1": _macro_f1(truth, pred),
            "precision_of_polar_labels": round(sum(t == p for t, p in polar) / max(1, len(polar)), 3),
            "majority_accuracy": round(sum(t == majority for t in truth) / len(rows), 3),
            "majority_macro_f1": _macro_f1(truth, [majority] * len(rows)),
        }
    return out


def run(args) -> dict:
    messages = _read(args.data / "messages_with_replies.csv")
    by_id = {m["message_id"]: m for m in messages}
    distribution, scores = _distribution(messages)
    # the same scorer with its IDF learned from the appeals themselves (unsupervised: no labels used)
    fitted = ReplyScorer().fit(_question(m) for m in progress(messages, desc="fit idf"))
    gold = [g for g in _read(args.gold) if g["message_id"] in by_id]
    return {
        "benchmark": "replies",
        "distribution": distribution,
        "length_baseline_distribution": _quantiles(_length_baseline(m["reply"]) for m in messages),
        "reply_gold": _reply_agreement(gold, by_id, scores, fitted),
        "sentiment_gold": _sentiment_agreement(_read(args.sentiment_gold)),
    }
