"""The duplicate-detection benchmark corpus, built deterministically from the real messages.

- real: every message of the data folder (all files; subject + detail, or text_raw, or text_seg
  where nothing else survived), de-duplicated on folded text;
- synthetic: messages recombined from short clauses of different real messages, with the masked
  place names (A市, A3区, K9县 …) redrawn, so that they are near-duplicates of nothing;
- 5,000 planted variants of real messages (1–3 of: punctuation changes, a sentence inserted,
  deleted or swapped, 5–15% of the characters replaced, truncation to 70%, a changed subject
  line) — each should find its source, or a real message that near-duplicates the source;
- 5,000 non-duplicate queries, none in the corpus: 2,500 real messages held out of it (ones with
  no near-duplicate among the real messages) and 2,500 more synthetic messages.

Texts are kept compactly (one UTF-8 buffer + offsets) and cached under var/ outside the repo.
"""

import csv
import re
import sys
import tempfile
import unicodedata
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from textcore.progress import progress

SEED = 20260301
NUM_VARIANTS = 5_000
NUM_NON_DUPLICATES = 5_000
SYNTHETIC_POOL = 1_000_000
CACHE_DIR = Path(tempfile.gettempdir()) / "textcore-dedupe-corpus"  # outside the repo; rebuilt if missing
CACHE_VERSION = 4

_CLAUSE_SPLIT = re.compile(r"[，。！？；：,.!?;:\n]+")
_SENTENCE_SPLIT = re.compile(r"(?<=[。！？!?\n])")
_PLACE = re.compile(r"[A-Z][0-9]{0,2}(?=[市区县镇乡])")
_PUNCT_SWAPS = {"，": "。", "。": "，", "！": "。", "？": "。", "、": "，", "：": "，"}
_LETTERS = "ABCDEFGHIJKLMN"


def fold(text: str) -> str:
    return "".join(
        ch for ch in unicodedata.normalize("NFKC", text).lower() if unicodedata.category(ch)[0] in "LN"
    )


def read_real_messages(data: Path) -> tuple[list[str], list[bool]]:
    """Unique real messages and whether each is raw text (with its punctuation)."""
    csv.field_size_limit(sys.maxsize)
    found: list[tuple[str, bool]] = []
    with open(data / "messages_labeled.csv", encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            if row["text_raw"].strip():
                found.append((row["text_raw"].strip(), True))
            else:
                found.append((row["text_seg"].strip(), False))
    for name in ("messages_with_votes.csv", "messages_with_replies.csv", "messages_unlabeled.csv"):
        with open(data / name, encoding="utf-8-sig", newline="") as f:
            for row in csv.DictReader(f):
                found.append((f"{row['subject'].strip()}\n{row['detail'].strip()}", True))
    texts, raw, seen = [], [], set()
    for text, is_raw in sorted(found, key=lambda item: not item[1]):  # raw copies win
        key = fold(text)
        if len(key) < 5 or key in seen:
            continue
        seen.add(key)
        texts.append(text)
        raw.append(is_raw)
    copies = _segmented_copies_of_raw(texts, raw)
    keep = [i for i in range(len(texts)) if i not in copies]
    return [texts[i] for i in keep], [raw[i] for i in keep]


def _segmented_copies_of_raw(texts: list[str], raw: list[bool]) -> set[int]:
    """The segmented-only messages (text_seg: words, stop words removed) whose raw text is also
    present: nearly all their in-word character pairs occur in one raw message."""

    def in_word_pairs(text: str) -> set[str]:
        return {w[i : i + 2] for w in fold_words(text) for i in range(len(w) - 1)}

    def all_pairs(text: str) -> set[str]:
        folded = fold(text)
        return {folded[i : i + 2] for i in range(len(folded) - 1)}

    seg_ids = [i for i, r in enumerate(raw) if not r]
    raw_ids = [i for i, r in enumerate(raw) if r]
    vocab: dict[str, int] = {}

    def matrix(sets):
        indptr, indices = [0], []
        for pairs in sets:
            indices.extend(vocab.setdefault(p, len(vocab)) for p in pairs)
            indptr.append(len(indices))
        return indptr, indices

    seg_sets = [in_word_pairs(texts[i]) for i in seg_ids]
    raw_sets = [all_pairs(texts[i]) for i in raw_ids]
    a_ptr, a_idx = matrix(seg_sets)
    b_ptr, b_idx = matrix(raw_sets)
    a = sp.csr_matrix((np.ones(len(a_idx), np.float32), a_idx, a_ptr), shape=(len(seg_ids), len(vocab)))
    b = sp.csr_matrix((np.ones(len(b_idx), np.float32), b_idx, b_ptr), shape=(len(raw_ids), len(vocab)))
    sizes = np.maximum(np.asarray(a.sum(1)).ravel(), 1)
    copies = set()
    bt = b.T.tocsr()
    for start in range(0, len(seg_ids), 500):
        inter = (a[start : start + 500] @ bt).toarray()
        contained = inter.max(axis=1) / sizes[start : start + 500]
        for k in np.nonzero((contained >= 0.9) & (sizes[start : start + 500] >= 10))[0]:
            copies.add(seg_ids[start + k])
    return copies


def fold_words(text: str) -> list[str]:
    return [fold(w) for w in text.split()]


class _Synthesiser:
    def __init__(self, real: list[str], raw: list[bool], rng: np.random.Generator):
        clauses, owners = [], []
        for i, text in enumerate(real):
            if not raw[i]:
                continue
            for clause in _CLAUSE_SPLIT.split(text):
                clause = clause.strip()
                if 4 <= len(clause) <= 30:
                    clauses.append(clause)
                    owners.append(i)
        self.clauses = clauses
        self.owners = np.array(owners)
        self.rng = rng

    def _redraw(self, clause: str) -> str:
        if not _PLACE.search(clause):
            return clause
        return _PLACE.sub(lambda m: _LETTERS[self.rng.integers(14)] + str(self.rng.integers(1, 40)), clause)

    def make(self, count: int, desc: str) -> list[str]:
        rng = self.rng
        pool = len(self.clauses)
        lengths = rng.integers(5, 13, size=count)
        picks = rng.integers(0, pool, size=int(lengths.sum()) + count)
        marks = rng.choice(np.array(["，", "，", "。", "！"]), size=picks.shape[0])
        out, pos = [], 0
        for m in progress(lengths.tolist(), desc=desc):
            chosen = picks[pos : pos + m + 1]
            marks_here = marks[pos : pos + m + 1]
            pos += m + 1
            subject = self._redraw(self.clauses[chosen[0]])
            body = "".join(self._redraw(self.clauses[c]) + marks_here[j] for j, c in enumerate(chosen[1:]))
            out.append(subject + "\n" + body)
        return out


def _replace_chars(text: str, share: float, rng, alphabet: str) -> str:
    chars = list(text)
    positions = [i for i, ch in enumerate(chars) if ch.strip() and unicodedata.category(ch)[0] in "LN"]
    for i in rng.choice(
        positions, size=min(len(positions), int(round(share * len(positions)))), replace=False
    ):
        chars[i] = alphabet[rng.integers(len(alphabet))]
    return "".join(chars)


def make_variant(text: str, rng, donor_sentences: list[str], donor_subjects: list[str], alphabet: str) -> str:
    ops = rng.choice(7, size=rng.integers(1, 4), replace=False)
    subject, _, body = text.partition("\n")  # sources always have a subject line and a body
    for op in sorted(ops.tolist()):
        sentences = [s for s in _SENTENCE_SPLIT.split(body) if s]
        if op == 0:  # punctuation changes
            body = "".join(_PUNCT_SWAPS.get(ch, ch) if rng.random() < 0.5 else ch for ch in body)
            body = body.replace("，", "", int(rng.integers(0, 3)))
        elif op == 1:  # a sentence inserted
            sentences.insert(
                int(rng.integers(0, len(sentences) + 1)), donor_sentences[rng.integers(len(donor_sentences))]
            )
        elif op == 2 and len(sentences) > 1:  # a sentence deleted
            del sentences[int(rng.integers(len(sentences)))]
        elif op == 3 and len(sentences) > 1:  # two sentences swapped
            i, j = rng.choice(len(sentences), size=2, replace=False)
            sentences[i], sentences[j] = sentences[j], sentences[i]
        elif op == 4:  # 5-15% of the characters replaced
            body = _replace_chars(body, rng.uniform(0.05, 0.15), rng, alphabet)
            subject = _replace_chars(subject, rng.uniform(0.05, 0.15), rng, alphabet)
        elif op == 5:  # truncated to 70%
            whole = subject + "\n" + body
            whole = whole[: int(len(whole) * 0.7)]
            subject, _, body = whole.partition("\n")
        elif op == 6:  # another subject line
            subject = donor_subjects[rng.integers(len(donor_subjects))]
        if op in (1, 2, 3):
            body = "".join(sentences)
    return subject + "\n" + body if body else subject


def _shingle_matrix(texts: list[str], buckets: int = 1 << 22) -> sp.csr_matrix:
    """Binary document x hashed-character-3-gram matrix (exact 3-gram sets up to rare collisions)."""
    indptr, indices = [0], []
    for text in texts:
        folded = fold(text)
        grams = {folded[i : i + 3] for i in range(max(len(folded) - 2, 1))}
        indices.extend(sorted({hash(g) % buckets for g in grams}))
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float32)
    return sp.csr_matrix((data, np.array(indices), np.array(indptr)), shape=(len(texts), buckets))


def exact_similarities(queries: list[str], corpus: list[str], chunk: int = 500):
    """For each query, per corpus text: exact 3-gram Jaccard and containment of the smaller set."""
    q, c = _shingle_matrix(queries), _shingle_matrix(corpus)
    qn, cn = np.asarray(q.sum(1)).ravel(), np.asarray(c.sum(1)).ravel()
    ct = c.T.tocsr()
    for start in range(0, len(queries), chunk):
        inter = (q[start : start + chunk] @ ct).toarray()
        a = qn[start : start + chunk, None]
        jac = inter / np.maximum(a + cn[None, :] - inter, 1)
        cont = inter / np.maximum(np.minimum(a, cn[None, :]), 1)
        ratio = np.minimum(a, cn[None, :]) / np.maximum(np.maximum(a, cn[None, :]), 1)
        yield start, jac, cont, ratio


def near_duplicate_groups(real: list[str]) -> np.ndarray:
    """A group label per real message: messages joined by exact 3-gram Jaccard >= 0.5, or
    containment >= 0.8 with the shorter at least half as long (the real data has such copies)."""
    parent = np.arange(len(real))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for start, jac, cont, ratio in progress(exact_similarities(real, real), desc="real near-dups"):
        linked = (jac >= 0.5) | ((cont >= 0.8) & (ratio >= 0.5))
        for a, b in zip(*np.nonzero(linked), strict=True):
            ra, rb = root(start + a), root(b)
            if ra != rb:
                parent[ra] = rb
    return np.array([root(i) for i in range(len(real))])


def _pack(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """One UTF-8 buffer and per-text code-point offsets into its decoded form."""
    joined = "".join(texts)
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)), out=offsets[1:])
    return np.frombuffer(joined.encode("utf-8"), dtype=np.uint8), offsets


def _byte_offsets(texts: list[str]) -> np.ndarray:
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    sizes = np.fromiter((len(t.encode("utf-8")) for t in texts), dtype=np.int64, count=len(texts))
    np.cumsum(sizes, out=offsets[1:])
    return offsets


def _unpack(buffer: np.ndarray, offsets: np.ndarray) -> list[str]:
    joined = buffer.tobytes().decode("utf-8")
    return [joined[offsets[i] : offsets[i + 1]] for i in range(offsets.shape[0] - 1)]


class Corpus:
    """Real messages, synthetic pool, queries and truth, as loaded from the cache."""

    def __init__(self, arrays: dict):
        self.real = _unpack(arrays["real_buffer"], arrays["real_offsets"])
        self.groups = arrays["groups"]
        self.queries = _unpack(arrays["query_buffer"], arrays["query_offsets"])
        self.query_source = arrays["query_source"]  # index into real, -1 for non-duplicates
        self.synthetic_buffer = arrays["synthetic_buffer"]
        self.synthetic_offsets = arrays["synthetic_offsets"]
        self.synthetic_byte_offsets = arrays["synthetic_byte_offsets"]

    def layout(self, n: int) -> np.ndarray:
        """For corpus size n: per position, the real index (>= 0) or -1 - synthetic index."""
        rng = np.random.default_rng(SEED + n)
        real_positions = np.sort(rng.choice(n, size=len(self.real), replace=False))
        layout = np.empty(n, dtype=np.int64)
        is_real = np.zeros(n, dtype=bool)
        is_real[real_positions] = True
        layout[is_real] = np.arange(len(self.real))
        layout[~is_real] = -1 - np.arange(n - len(self.real))
        return layout

    def texts_in_chunks(self, layout: np.ndarray, chunk: int):
        """(first position, texts) chunks of the corpus in order, decoding the buffer a chunk at a time."""
        offsets, byte_offsets = self.synthetic_offsets, self.synthetic_byte_offsets
        for start in range(0, layout.shape[0], chunk):
            items = layout[start : start + chunk]
            synthetic_ids = -1 - items[items < 0]
            texts = []
            if synthetic_ids.shape[0]:
                lo, hi = int(synthetic_ids[0]), int(synthetic_ids[-1]) + 1  # synthetic ones come in order
                decoded = self.synthetic_buffer[byte_offsets[lo] : byte_offsets[hi]].tobytes().decode("utf-8")
                base = offsets[lo]
            for item in items.tolist():
                if item >= 0:
                    texts.append(self.real[item])
                else:
                    s = -1 - item
                    texts.append(decoded[offsets[s] - base : offsets[s + 1] - base])
            yield start, texts


def build_or_load(data: Path) -> Corpus:
    path = CACHE_DIR / f"corpus-v{CACHE_VERSION}.npz"
    if path.exists():
        with np.load(path, allow_pickle=False) as f:
            return Corpus({k: f[k] for k in f.files})
    rng = np.random.default_rng(SEED)
    everything, raw = read_real_messages(data)
    all_groups = near_duplicate_groups(everything)
    synth = _Synthesiser(everything, raw, rng)
    pool = synth.make(SYNTHETIC_POOL, "synthetic corpus")
    # Half the non-duplicate queries are real messages held out of the corpus (ones with no
    # near-duplicate among the real messages): the hard negatives, same topics and phrasing.
    singletons = np.nonzero(np.bincount(all_groups, minlength=len(everything))[all_groups] == 1)[0]
    held_out = np.sort(rng.choice(singletons, size=NUM_NON_DUPLICATES // 2, replace=False))
    kept = np.setdiff1d(np.arange(len(everything)), held_out)
    real = [everything[i] for i in kept]
    raw = [raw[i] for i in kept]
    groups = all_groups[kept]
    non_duplicates = [everything[i] for i in held_out]
    non_duplicates += synth.make(NUM_NON_DUPLICATES - len(non_duplicates), "non-duplicate queries")
    raw_ids = [i for i, text in enumerate(real) if raw[i] and len(fold(text.partition("\n")[2])) >= 20]
    sources = rng.choice(raw_ids, size=NUM_VARIANTS, replace=False)
    donor_sentences = [
        s
        for i in raw_ids[:3000]
        for s in _SENTENCE_SPLIT.split(real[i].partition("\n")[2])
        if 8 <= len(s) <= 60
    ]
    donor_subjects = [real[i].partition("\n")[0] for i in raw_ids]
    alphabet = "".join(sorted({ch for i in raw_ids[:2000] for ch in real[i] if "\u4e00" <= ch <= "\u9fff"}))
    variants = [make_variant(real[s], rng, donor_sentences, donor_subjects, alphabet) for s in sources]
    buffer, offsets = _pack(pool)
    byte_offsets = _byte_offsets(pool)
    real_buffer, real_offsets = _pack(real)
    query_buffer, query_offsets = _pack(variants + non_duplicates)
    del pool
    arrays = {
        "real_buffer": real_buffer,
        "real_offsets": real_offsets,
        "groups": groups,
        "query_buffer": query_buffer,
        "query_offsets": query_offsets,
        "query_source": np.concatenate([sources, np.full(NUM_NON_DUPLICATES, -1)]),
        "synthetic_buffer": buffer,
        "synthetic_offsets": offsets,
        "synthetic_byte_offsets": byte_offsets,
    }
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npz")
    np.savez(tmp, **arrays)
    tmp.replace(path)
    return Corpus(arrays)
