"""`python -m textcore bench dedupe`: near-duplicate detection at n messages against datasketch's
MinHashLSH, and the F1 ceiling of exact character-3-gram Jaccard, in the same run.

Each index is built and queried in its own child process so that its peak RSS (which includes
the corpus texts it holds) is its own. A planted variant counts as found when the best
"duplicate" answer is its source or a real message that near-duplicates the source; any
"duplicate" answer to a non-duplicate query is a false positive.
"""

import argparse
import json
import resource
import subprocess
import sys
import time

import numpy as np

from textcore.bench import dedupe_corpus
from textcore.progress import progress

BUILD_CHUNK = 50_000
INCREMENTAL_ADDS = 2_000


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--n", type=int, default=1_000_000, help="corpus size (messages indexed)")
    parser.add_argument("--datasketch-n", type=int, default=200_000, help="corpus size for datasketch")


def run(args) -> dict:
    corpus = dedupe_corpus.build_or_load(args.data)
    ceiling = jaccard_ceiling(corpus)
    ours = _child("ours", args)
    ours["jaccard_ceiling_f1"] = ceiling["f1"]
    baseline = _child("datasketch", args)
    baseline["jaccard_ceiling_f1"] = ceiling["f1"]
    figures = {
        key: ours[key]
        for key in ("n", "build_per_s", "query_p50_ms", "query_p99_ms", "recall", "precision", "f1")
    }
    figures["peak_rss_mb"] = ours["peak_rss_mb"]
    figures["jaccard_ceiling_f1"] = ceiling["f1"]
    figures["datasketch"] = {key: baseline[key] for key in figures if key in baseline}
    figures["details"] = {"ours": ours, "datasketch": baseline, "jaccard_ceiling": ceiling}
    return figures


def _child(kind: str, args) -> dict:
    n = args.n if kind == "ours" else args.datasketch_n
    cmd = [sys.executable, "-m", "textcore.bench.dedupe", kind, str(args.data), str(n)]
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True)  # noqa: S603
    return json.loads(out.stdout.strip().splitlines()[-1])


def evaluate(corpus, layout: np.ndarray, answers: list[int]) -> dict:
    """answers[q]: the corpus position the index calls a duplicate of query q, or -1."""
    tp = fp = 0
    for q, position in enumerate(answers):
        if position < 0:
            continue
        source = corpus.query_source[q]
        item = layout[position]
        if source >= 0 and item >= 0 and corpus.groups[item] == corpus.groups[source]:
            tp += 1
        else:
            fp += 1
    planted = int((corpus.query_source >= 0).sum())
    recall = tp / planted
    precision = tp / max(tp + fp, 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-12)
    return {"recall": round(recall, 4), "precision": round(precision, 4), "f1": round(f1, 4)}


def jaccard_ceiling(corpus) -> dict:
    """Best F1 of "the real message with the highest exact 3-gram Jaccard, when above t" over t;
    the same for exact sqrt(Jaccard x containment), the similarity the index estimates.
    Computed against the real messages only (they hold every source): synthetic distractors are
    left out, which can only flatter these ceilings."""
    size = len(corpus.queries)
    best = {"jaccard": np.zeros(size), "score": np.zeros(size)}
    correct = {"jaccard": np.zeros(size, dtype=bool), "score": np.zeros(size, dtype=bool)}
    for start, jac, cont, _ in progress(
        dedupe_corpus.exact_similarities(corpus.queries, corpus.real), desc="exact jaccard"
    ):
        rows = np.arange(jac.shape[0])
        src = corpus.query_source[start : start + jac.shape[0]]
        for name, sim in (("jaccard", jac), ("score", np.sqrt(jac * cont))):
            top = sim.argmax(axis=1)
            best[name][start : start + jac.shape[0]] = sim[rows, top]
            correct[name][start : start + jac.shape[0]] = (src >= 0) & (
                corpus.groups[top] == corpus.groups[np.maximum(src, 0)]
            )
    figures = _best_threshold(best["jaccard"], correct["jaccard"], corpus.query_source >= 0)
    planted_j = best["jaccard"][corpus.query_source >= 0]
    figures["planted_below_0.4"] = round(float((planted_j < 0.4).mean()), 4)
    figures["exact_score"] = _best_threshold(best["score"], correct["score"], corpus.query_source >= 0)
    return figures


def _best_threshold(best: np.ndarray, correct: np.ndarray, is_planted: np.ndarray) -> dict:
    planted = int(is_planted.sum())
    figures = {"f1": 0.0}
    for t in np.arange(0.05, 0.95, 0.01):
        tp = int((correct & (best >= t)).sum())
        fp = int((~correct & (best >= t)).sum())
        precision, recall = tp / max(tp + fp, 1), tp / planted
        f1 = 2 * precision * recall / max(precision + recall, 1e-12)
        if f1 > figures["f1"]:
            figures = {"f1": round(f1, 4), "threshold": round(float(t), 2), "recall": round(recall, 4)}
            figures["precision"] = round(precision, 4)
    return figures


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _ms(values_ns: list[int], q: float) -> float:
    return round(float(np.percentile(values_ns, q)) / 1e6, 4)


def _run_ours(corpus, n: int) -> dict:
    from textcore.dedupe import DuplicateIndex

    started = time.perf_counter()
    warm = DuplicateIndex()
    warm.add_many([0, 1], corpus.queries[:2])
    warm.query(corpus.queries[2])
    jit_warmup_s = time.perf_counter() - started

    layout = corpus.layout(n)
    index = DuplicateIndex()
    index._reserve(n)  # the product would size its index once too; growth is measured below
    build_s = 0.0
    for first, texts in progress(
        corpus.texts_in_chunks(layout, BUILD_CHUNK), total=-(-n // BUILD_CHUNK), desc="ours: build"
    ):
        ids = list(range(first, first + len(texts)))
        t0 = time.perf_counter()
        index.add_many(ids, texts)
        build_s += time.perf_counter() - t0
    answers, times = [], []
    for text in progress(corpus.queries, desc="ours: query"):
        t0 = time.perf_counter_ns()
        found = index.query(text, k=5)
        times.append(time.perf_counter_ns() - t0)
        answers.append(found[0][0] if found and found[0][2] == "duplicate" else -1)
    add_times = []
    for i, text in enumerate(corpus.queries[:INCREMENTAL_ADDS]):
        t0 = time.perf_counter_ns()
        index.add(n + i, text)
        add_times.append(time.perf_counter_ns() - t0)
    figures = {"n": n, "build_per_s": round(n / build_s), "build_s": round(build_s, 2)}
    figures.update({"query_p50_ms": _ms(times, 50), "query_p99_ms": _ms(times, 99)})
    figures.update(evaluate(corpus, layout, answers))
    figures["peak_rss_mb"] = _peak_rss_mb()
    figures.update(
        {
            "add_p50_ms": _ms(add_times, 50),
            "add_p99_ms": _ms(add_times, 99),
            "jit_warmup_s": round(jit_warmup_s, 2),
        }
    )
    return figures


def _datasketch_shingles(text: str) -> list[bytes]:
    folded = dedupe_corpus.fold(text)
    return [g.encode("utf-8") for g in {folded[i : i + 3] for i in range(max(len(folded) - 2, 1))}]


def _run_datasketch(corpus, n: int, threshold: float = 0.4, num_perm: int = 128) -> dict:
    from datasketch import MinHash, MinHashLSH

    layout = corpus.layout(n)
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    signatures = {}
    build_s = 0.0
    for first, texts in progress(
        corpus.texts_in_chunks(layout, BUILD_CHUNK), total=-(-n // BUILD_CHUNK), desc="datasketch: build"
    ):
        t0 = time.perf_counter()
        for position, text in enumerate(texts, start=first):
            m = MinHash(num_perm=num_perm)
            m.update_batch(_datasketch_shingles(text))
            lsh.insert(position, m, check_duplication=False)
            signatures[position] = m
        build_s += time.perf_counter() - t0
    answers, times = [], []
    for text in progress(corpus.queries, desc="datasketch: query"):
        t0 = time.perf_counter_ns()
        m = MinHash(num_perm=num_perm)
        m.update_batch(_datasketch_shingles(text))
        scored = [(signatures[c].jaccard(m), c) for c in lsh.query(m)]
        best = max(scored, default=(0.0, -1))
        times.append(time.perf_counter_ns() - t0)
        answers.append(best[1] if best[0] >= threshold else -1)
    figures = {"n": n, "build_per_s": round(n / build_s), "build_s": round(build_s, 2)}
    figures.update({"query_p50_ms": _ms(times, 50), "query_p99_ms": _ms(times, 99)})
    figures.update(evaluate(corpus, layout, answers))
    figures["peak_rss_mb"] = _peak_rss_mb()
    figures["threshold"] = threshold
    return figures


def _child_main(argv: list[str]) -> None:
    from pathlib import Path

    kind, data, n = argv[0], Path(argv[1]), int(argv[2])
    corpus = dedupe_corpus.build_or_load(data)
    figures = _run_ours(corpus, n) if kind == "ours" else _run_datasketch(corpus, n)
    print(json.dumps(figures))


if __name__ == "__main__":
    _child_main(sys.argv[1:])
