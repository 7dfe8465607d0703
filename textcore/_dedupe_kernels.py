"""Numba kernels behind textcore.dedupe: text folding, character-3-gram MinHash signatures
(one-permutation hashing with optimal densification, 16-bit values), LSH banding in flat chained
hash tables, and candidate scoring on the stored signatures.

Layout of the index (all flat numpy arrays, no Python object per document or per band item):
- `sigs[doc, NUM_BINS]` uint16 signature, `sizes[doc]` shingle count;
- band entry `e = doc * NUM_BANDS + band`; `heads[slot]` is the newest entry whose band key hashes
  to `slot` (-1 when empty) and `chain[e]` the next older entry in the same slot.
"""

import unicodedata

import numpy as np
from numba import njit, prange

NUM_BINS = 128
ROWS_PER_BAND = 2
NUM_BANDS = NUM_BINS // ROWS_PER_BAND
MAX_CHAIN = 16  # entries read per band: a longer chain is a common phrase and says little
DENSIFY_TRIES = 64
_EMPTY = np.uint64(0xFFFFFFFFFFFFFFFF)


def _build_fold_table() -> np.ndarray:
    """For every BMP code point, the up-to-3 code points it folds to (NFKC, lower case), keeping
    letters and digits only; zeros mean nothing. Folding one character at a time equals string
    NFKC except for combining sequences, which do not occur in these texts."""
    table = np.zeros((0x10000, 3), dtype=np.uint32)
    for cp in range(0x10000):
        if 0xD800 <= cp < 0xE000:
            continue
        kept = [
            ch for ch in unicodedata.normalize("NFKC", chr(cp)).lower() if unicodedata.category(ch)[0] in "LN"
        ]
        for i, ch in enumerate(kept[:3]):
            table[cp, i] = ord(ch)
    return table


def _densify_sequence() -> np.ndarray:
    rng = np.random.default_rng(20260301)
    return rng.integers(0, NUM_BINS, size=(NUM_BINS, DENSIFY_TRIES)).astype(np.int32)


FOLD_TABLE = _build_fold_table()
DENSIFY = _densify_sequence()


@njit(cache=True, inline="always")
def _mix64(x):
    x ^= x >> np.uint64(33)
    x *= np.uint64(0xFF51AFD7ED558CCD)
    x ^= x >> np.uint64(33)
    x *= np.uint64(0xC4CEB9FE1A85EC53)
    x ^= x >> np.uint64(33)
    return x


@njit(cache=True)
def _fold(cps, start, end, table, out):
    """Folded code points of cps[start:end] into out; returns how many."""
    n = 0
    for i in range(start, end):
        c = cps[i]
        if c < 0x10000:
            for j in range(3):
                m = table[c, j]
                if m == 0:
                    break
                out[n] = m
                n += 1
        else:
            out[n] = c
            n += 1
    return n


@njit(cache=True)
def _signature(folded, n, densify, sig):
    """OPH signature of the 3-gram set of folded[:n] into sig; returns the shingle count."""
    mins = np.full(NUM_BINS, _EMPTY, dtype=np.uint64)
    if n == 0:
        sig[:] = 0
        return 0
    count = max(n - 2, 1)
    for i in range(count):
        key = np.uint64(folded[i]) << np.uint64(42)
        if i + 1 < n:
            key |= np.uint64(folded[i + 1]) << np.uint64(21)
        if i + 2 < n:
            key |= np.uint64(folded[i + 2])
        h = _mix64(key ^ np.uint64(0x9E3779B97F4A7C15))
        b = h >> np.uint64(57)
        rank = h & np.uint64(0x01FFFFFFFFFFFFFF)
        if rank < mins[b]:
            mins[b] = rank
    for b in range(NUM_BINS):
        value = mins[b]
        if value == _EMPTY:
            for t in range(DENSIFY_TRIES):
                other = mins[densify[b, t]]
                if other != _EMPTY:
                    value = other
                    break
            if value == _EMPTY:  # a very short text: fall back to the first non-empty bin
                for j in range(NUM_BINS):
                    if mins[j] != _EMPTY:
                        value = mins[j]
                        break
        sig[b] = np.uint16(_mix64(value) & np.uint64(0xFFFF))
    return count


@njit(cache=True, inline="always")
def _band_hash(sig, band):
    key = np.uint64(band)
    for r in range(ROWS_PER_BAND):
        key = (key << np.uint64(16)) | np.uint64(sig[band * ROWS_PER_BAND + r])
    return _mix64(key + np.uint64(0x632BE59BD9B4E019))


def _signatures(cps, starts, table, densify, sigs, sizes, first):
    """Signatures of the texts cps[starts[i]:starts[i+1]] into sigs[first + i], sizes[first + i]."""
    count = starts.shape[0] - 1
    for i in prange(count):
        s, e = starts[i], starts[i + 1]
        folded = np.empty(3 * (e - s) + 1, dtype=np.uint32)
        n = _fold(cps, s, e, table, folded)
        sizes[first + i] = _signature(folded, n, densify, sigs[first + i])


# Many texts at once use both cores; a single add stays on one thread, as waking the other
# costs more than it saves (and waits on a busy core).
signatures_parallel = njit(cache=True, parallel=True)(_signatures)
signatures_serial = njit(cache=True)(_signatures)


@njit(cache=True)
def _insert_part(sigs, sizes, heads, chain, first, last, part, parts):
    mask = np.uint64(heads.shape[0] - 1)
    for doc in range(first, last):
        for band in range(NUM_BANDS):
            e = doc * NUM_BANDS + band
            if sizes[doc] == 0:
                chain[e] = -1
                continue
            slot = _band_hash(sigs[doc], band) & mask
            if (slot % np.uint64(parts)) != part:
                continue
            chain[e] = heads[slot]
            heads[slot] = e


@njit(cache=True, parallel=True)
def insert_parallel(sigs, sizes, heads, chain, first, last):
    """Link the band entries of docs first..last-1 into the chained tables. Two threads, each
    owning half of the slots, so that no slot is written by both and chains keep doc order."""
    for part in prange(2):
        _insert_part(sigs, sizes, heads, chain, first, last, part, 2)


@njit(cache=True)
def insert_serial(sigs, sizes, heads, chain, first, last):
    _insert_part(sigs, sizes, heads, chain, first, last, 0, 1)


@njit(cache=True)
def _score(sig_a, size_a, sig_b, size_b):
    """(score, jaccard, containment) in [0, 1], estimated from the signatures and set sizes.
    containment = |A∩B| / min(|A|, |B|) is what survives truncation and inserted or deleted
    sentences; the score, sqrt(jaccard * containment), rises with it yet stays low for a short
    text that a long one merely quotes (there jaccard is small)."""
    same = 0
    for b in range(NUM_BINS):
        if sig_a[b] == sig_b[b]:
            same += 1
    j = same / NUM_BINS
    small = min(size_a, size_b)
    if small == 0:
        return 0.0, j, 0.0
    inter = j * (size_a + size_b) / (1.0 + j)
    containment = min(inter / small, 1.0)
    return np.sqrt(j * containment), j, containment


@njit(cache=True)
def query(cps, table, densify, sigs, sizes, heads, chain, stamp, stamp_value, n_docs, min_score, k):
    """Best k (doc, score) of the indexed docs for the text cps, with score >= min_score."""
    folded = np.empty(3 * cps.shape[0] + 1, dtype=np.uint32)
    n = _fold(cps, 0, cps.shape[0], table, folded)
    qsig = np.empty(NUM_BINS, dtype=np.uint16)
    qsize = _signature(folded, n, densify, qsig)
    best_docs = np.full(k, -1, dtype=np.int64)
    best_scores = np.zeros(k, dtype=np.float64)
    if qsize == 0 or n_docs == 0:
        return best_docs, best_scores
    mask = np.uint64(heads.shape[0] - 1)
    for band in range(NUM_BANDS):
        slot = _band_hash(qsig, band) & mask
        e = heads[slot]
        seen = 0
        while e >= 0 and seen < MAX_CHAIN:
            seen += 1
            doc = e // NUM_BANDS
            if e % NUM_BANDS == band and doc < n_docs and stamp[doc] != stamp_value:
                row = band * ROWS_PER_BAND
                if sigs[doc, row] == qsig[row] and sigs[doc, row + 1] == qsig[row + 1]:
                    stamp[doc] = stamp_value
                    score = _score(qsig, qsize, sigs[doc], sizes[doc])[0]
                    if score >= min_score and score > best_scores[k - 1]:
                        pos = k - 1
                        while pos > 0 and best_scores[pos - 1] < score:
                            best_scores[pos] = best_scores[pos - 1]
                            best_docs[pos] = best_docs[pos - 1]
                            pos -= 1
                        best_scores[pos] = score
                        best_docs[pos] = doc
            e = chain[e]
    return best_docs, best_scores


@njit(cache=True)
def candidate_features(cps, table, densify, sigs, sizes, heads, chain, stamp, stamp_value, n_docs):
    """Every candidate of a query with (jaccard, containment, size ratio): for tuning."""
    folded = np.empty(3 * cps.shape[0] + 1, dtype=np.uint32)
    n = _fold(cps, 0, cps.shape[0], table, folded)
    qsig = np.empty(NUM_BINS, dtype=np.uint16)
    qsize = _signature(folded, n, densify, qsig)
    docs = []
    feats = []
    mask = np.uint64(heads.shape[0] - 1)
    for band in range(NUM_BANDS):
        slot = _band_hash(qsig, band) & mask
        e = heads[slot]
        seen = 0
        while e >= 0 and seen < MAX_CHAIN:
            seen += 1
            doc = e // NUM_BANDS
            if e % NUM_BANDS == band and doc < n_docs and stamp[doc] != stamp_value:
                row = band * ROWS_PER_BAND
                if sigs[doc, row] == qsig[row] and sigs[doc, row + 1] == qsig[row + 1]:
                    stamp[doc] = stamp_value
                    s, j, c = _score(qsig, qsize, sigs[doc], sizes[doc])
                    docs.append(doc)
                    feats.append((s, j, c, min(qsize, sizes[doc]) / max(qsize, sizes[doc], 1)))
            e = chain[e]
    return docs, feats
