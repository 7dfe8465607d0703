"""Near-duplicate and same-issue detection over many appeals, incremental and fast.

Each text is folded (NFKC, lower case, letters and digits only), cut into character 3-grams and
summarised by a 128-value MinHash signature (one-permutation hashing, 16-bit values). Candidates
come from LSH banding (64 bands of 2 values) kept in flat chained hash tables; each candidate is
scored on the stored signatures by sqrt(Jaccard x containment), both estimated from the
signatures and the 3-gram set sizes; containment (|A∩B| / min(|A|, |B|)) is what survives
truncation and inserted or deleted sentences, and the product with Jaccard keeps a short text
that a long one merely quotes from scoring high.

Two thresholds on that score:
- DUPLICATE_THRESHOLD: the same text edited, re-submitted or truncated ("duplicate");
- SAME_ISSUE_THRESHOLD: a looser one, large shared passages — in practice the same problem at the
  same place told again in other words around the same facts ("same_issue").

`python -m textcore duplicates --input IN.csv --id COL --text COLS --output OUT.csv` indexes every
row in order and writes one row per detected pair: id, duplicate_of (an earlier row), score.
"""

import mmap
from collections.abc import Iterable, Sequence

import numpy as np

from textcore import artifact, csvio
from textcore.progress import progress

DUPLICATE_THRESHOLD = 0.35
SAME_ISSUE_THRESHOLD = 0.20
ARTIFACT_KIND = "dedupe"
ARTIFACT_VERSION = 1
_INITIAL_CAPACITY = 1024
_CHUNK = 50_000
_PARALLEL_FROM = 256
_HUGE_FROM = 1 << 24


def _kernels():
    """The numba kernels, imported on first use: the command line imports this module for every
    command, and numba plus the folding table cost most of a second."""
    from textcore import _dedupe_kernels

    return _dedupe_kernels


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


class DuplicateIndex:
    def __init__(
        self,
        duplicate_threshold: float = DUPLICATE_THRESHOLD,
        same_issue_threshold: float = SAME_ISSUE_THRESHOLD,
    ):
        self.duplicate_threshold = duplicate_threshold
        self.same_issue_threshold = same_issue_threshold
        self._n = 0
        self._ids = np.empty(_INITIAL_CAPACITY, dtype=np.int64)
        self._sigs = np.empty((_INITIAL_CAPACITY, _kernels().NUM_BINS), dtype=np.uint16)
        self._sizes = np.empty(_INITIAL_CAPACITY, dtype=np.int32)
        self._chain = np.empty(_INITIAL_CAPACITY * _kernels().NUM_BANDS, dtype=np.int32)
        self._stamp = np.zeros(_INITIAL_CAPACITY, dtype=np.int32)
        self._stamp_value = 0
        self._heads = np.full(_table_size(_INITIAL_CAPACITY), -1, dtype=np.int32)

    def __len__(self) -> int:
        return self._n

    def add(self, doc_id: int, text: str) -> None:
        self.add_many([doc_id], [text])

    def add_many(self, doc_ids: Sequence[int], texts: Sequence[str]) -> None:
        """Index texts in order (doc_ids[i] is the caller's id of texts[i])."""
        if len(doc_ids) != len(texts):
            raise ValueError("doc_ids and texts differ in length")
        self._reserve(self._n + len(texts))
        for start in range(0, len(texts), _CHUNK):
            self._add_chunk(doc_ids[start : start + _CHUNK], texts[start : start + _CHUNK])

    def _add_chunk(self, doc_ids: Sequence[int], texts: Sequence[str]) -> None:
        count = len(texts)
        if count == 0:
            return
        self._reserve(self._n + count)
        cps = _code_points("".join(texts))
        starts = np.zeros(count + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=count), out=starts[1:])
        first = self._n
        self._ids[first : first + count] = doc_ids
        kernels = _kernels()
        signatures = kernels.signatures_parallel if count >= _PARALLEL_FROM else kernels.signatures_serial
        signatures(cps, starts, kernels.FOLD_TABLE, kernels.DENSIFY, self._sigs, self._sizes, first)
        insert = kernels.insert_parallel if count >= _PARALLEL_FROM else kernels.insert_serial
        insert(self._sigs, self._sizes, self._heads, self._chain, first, first + count)
        self._n += count

    def query(self, text: str, k: int = 5) -> list[tuple[int, float, str]]:
        """The earlier texts most like `text`: (doc_id, score, "duplicate" | "same_issue"), best first."""
        docs, scores = self._query(text, k)
        found = []
        for doc, score in zip(docs.tolist(), scores.tolist(), strict=True):
            if doc < 0:
                break
            kind = "duplicate" if score >= self.duplicate_threshold else "same_issue"
            found.append((int(self._ids[doc]), round(score, 4), kind))
        return found

    def _query(self, text: str, k: int) -> tuple[np.ndarray, np.ndarray]:
        self._stamp_value += 1
        if self._stamp_value >= 2**31 - 1:
            self._stamp[:] = 0
            self._stamp_value = 1
        kernels = _kernels()
        return kernels.query(
            _code_points(text),
            kernels.FOLD_TABLE,
            kernels.DENSIFY,
            self._sigs,
            self._sizes,
            self._heads,
            self._chain,
            self._stamp,
            self._stamp_value,
            self._n,
            self.same_issue_threshold,
            k,
        )

    def _reserve(self, needed: int) -> None:
        capacity = self._ids.shape[0]
        if needed <= capacity:
            return
        while capacity < needed:
            capacity *= 2
        self._ids = _grow(self._ids, capacity)
        self._sigs = _grow(self._sigs, capacity)
        self._sizes = _grow(self._sizes, capacity)
        self._stamp = np.zeros(capacity, dtype=np.int32)
        self._stamp_value = 0
        self._chain = _grow(self._chain, capacity * _kernels().NUM_BANDS)
        table_size = _table_size(capacity)
        if table_size != self._heads.shape[0]:
            self._heads = _empty((table_size,), np.int32)
            self._heads[:] = -1
            _kernels().insert_parallel(self._sigs, self._sizes, self._heads, self._chain, 0, self._n)

    def save(self, path) -> None:
        n = self._n
        payload = {
            "thresholds": (self.duplicate_threshold, self.same_issue_threshold),
            "bins": _kernels().NUM_BINS,
            "ids": self._ids[:n].copy(),
            "sigs": self._sigs[:n].copy(),
            "sizes": self._sizes[:n].copy(),
        }
        artifact.save(path, ARTIFACT_KIND, ARTIFACT_VERSION, payload)

    @classmethod
    def load(cls, path) -> "DuplicateIndex | None":
        """The saved index, or None when the file is missing or incompatible."""
        payload = artifact.load(path, ARTIFACT_KIND, ARTIFACT_VERSION)
        if not isinstance(payload, dict) or payload.get("bins") != _kernels().NUM_BINS:
            return None
        index = cls(*payload["thresholds"])
        n = len(payload["ids"])
        index._reserve(max(n, 1))
        index._ids[:n] = payload["ids"]
        index._sigs[:n] = payload["sigs"]
        index._sizes[:n] = payload["sizes"]
        index._n = n
        index._heads[:] = -1
        _kernels().insert_parallel(index._sigs, index._sizes, index._heads, index._chain, 0, n)
        return index


def _table_size(capacity: int) -> int:
    """A power of two at least twice the number of band entries, so chains stay short."""
    return 1 << int(np.ceil(np.log2(max(capacity * _kernels().NUM_BANDS * 2, 1024))))


def _empty(shape: tuple[int, ...], dtype) -> np.ndarray:
    """np.empty, on transparent huge pages when large: the band tables are read and written at
    random, and 4 KiB pages would make nearly every access a TLB miss as well as a cache miss."""
    nbytes = int(np.prod(shape)) * np.dtype(dtype).itemsize
    if nbytes < _HUGE_FROM or not hasattr(mmap, "MADV_HUGEPAGE"):
        return np.empty(shape, dtype=dtype)
    region = mmap.mmap(-1, nbytes, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    region.madvise(mmap.MADV_HUGEPAGE)
    return np.frombuffer(region, dtype=dtype).reshape(shape)


def _grow(array: np.ndarray, capacity: int) -> np.ndarray:
    grown = _empty((capacity,) + array.shape[1:], array.dtype)
    grown[: array.shape[0]] = array
    return grown


def find_duplicates(rows: Iterable[tuple[str, str]]) -> list[dict]:
    """(id, text) rows in order -> one dict per row that duplicates an earlier one."""
    index = DuplicateIndex()
    pairs = []
    for position, (row_id, text) in enumerate(rows):
        best = index.query(text, k=1)
        if best and best[0][2] == "duplicate":
            pairs.append({"id": row_id, "duplicate_of": best[0][0], "score": best[0][1]})
        index.add(position, text)
    return pairs


def register(subparsers) -> None:
    parser = subparsers.add_parser("duplicates", help="find rows that near-duplicate an earlier row")
    parser.add_argument("--input", required=True)
    parser.add_argument("--id", required=True, help="id column")
    parser.add_argument("--text", required=True, help="text column(s), comma-separated")
    parser.add_argument("--output", required=True)
    parser.set_defaults(run=_run)


def _run(args) -> int:
    fieldnames, rows = csvio.read_rows(args.input)
    cols = csvio.parse_columns(args.text)
    csvio.require_columns(fieldnames, [args.id, *cols], args.input)
    ids = [row[args.id] for row in rows]
    texts = (csvio.join_text(row, cols) for row in rows)
    pairs = find_duplicates(progress(zip(ids, texts, strict=True), total=len(rows), desc="duplicates"))
    for pair in pairs:
        pair["duplicate_of"] = ids[pair["duplicate_of"]]
    csvio.write_rows(args.output, ["id", "duplicate_of", "score"], pairs)
    return 0
