"""Text classification with a calibrated confidence and the phrases behind each decision.

One learner for every labelling task: the category of an appeal, and the unit to route it to
(labels are then unit ids as strings). Texts may be raw (subject\\ndetail) or jieba-segmented
(space-separated words); both are normalised to one character form (textcore.textprep) and
described by sublinear character 1–3-gram TF-IDF, plus the n-grams of the first 30 characters
(the subject line) as features of their own. One linear SVM per class on all the data, each on the
features scaled by the square root of their naive-Bayes log-count ratio for that class (NB-SVM),
with a temperature (one multinomial scaling) fitted on its 5-fold out-of-fold decision values:
per-class Platt scaling came out under-confident (ECE 0.054 vs 0.02 in grouped CV on train;
bench/classify.md).

Command line:
  python -m textcore classify train --input TRAIN.csv --text COLS --label COL --model MODEL [--fallback]
  python -m textcore classify predict --model MODEL --input IN.csv --text COLS --output OUT.csv [--fallback]
"""

import re
from collections import Counter
from collections.abc import Sequence

import numba
import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.svm import LinearSVC
from sklearn.utils.multiclass import unique_labels
from sklearn.utils.validation import check_is_fitted

from textcore import artifact
from textcore.progress import progress
from textcore.textprep import normalise, normalise_with_offsets

ARTIFACT_KIND = "classifier"
FORMAT_VERSION = 3  # 2: own n-gram vectorizer (CharNgramTfidf), head features, temperature scaling
# 3: NBLinearSVC (per-class NB log-count-ratio scaled features) instead of LinearSVC
PREDICT_CHUNK = 2000
FIT_CHUNK = 5000


class CharNgramTfidf(BaseEstimator):
    """Sublinear TF-IDF of character 1..max_n-grams (max_n <= 3), L2-normalised rows.

    The same features as sklearn's TfidfVectorizer(analyzer="char", sublinear_tf=True, smooth idf),
    computed with numpy on whole batches: each n-gram is an exact 63-bit key of its code points,
    which is about ten times faster than building the n-gram strings in Python.
    """

    def __init__(self, max_n: int = 3, min_df: int = 2, head_chars: int = 0):
        self.max_n = max_n
        self.head_chars = head_chars
        self.min_df = min_df

    def fit(self, texts: Sequence[str]) -> "CharNgramTfidf":
        if not 1 <= self.max_n <= 3:
            raise ValueError("max_n must be 1, 2 or 3 (three 21-bit code points fill a 64-bit key)")
        seen_keys, seen_counts = [], []
        for start in range(0, len(texts), FIT_CHUNK):
            keys, docs, _ = self.ngram_keys(texts[start : start + FIT_CHUNK])
            order = np.lexsort((docs, keys))
            keys, docs = keys[order], docs[order]
            first = np.ones(len(keys), dtype=bool)
            first[1:] = (keys[1:] != keys[:-1]) | (docs[1:] != docs[:-1])
            unique_keys, counts = np.unique(keys[first], return_counts=True)
            seen_keys.append(unique_keys)
            seen_counts.append(counts)
        all_keys = np.concatenate(seen_keys) if seen_keys else np.array([], dtype=np.uint64)
        vocabulary, inverse = np.unique(all_keys, return_inverse=True)
        df = np.bincount(inverse, weights=np.concatenate(seen_counts) if seen_counts else None)
        kept = df >= self.min_df
        self.vocabulary_ = vocabulary[kept]
        self.idf_ = (np.log((1 + len(texts)) / (1 + df[kept])) + 1).astype(np.float32)
        self.table_ = _build_table(self.vocabulary_)
        return self

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        keys, docs, _ = self.ngram_keys(texts)
        return self._matrix(keys, docs, len(texts))

    def ngram_keys(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every n-gram of every text: (key, text index, start position), with n = 1..max_n."""
        lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
        codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        docs = np.repeat(np.arange(len(texts)), lengths)
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]) if len(texts) else lengths
        positions = np.arange(len(codes)) - starts[docs]
        remaining = lengths[docs] - positions  # characters from here to the end of its text
        all_keys, all_docs, all_positions = [], [], []
        for n in range(1, self.max_n + 1):
            where = np.flatnonzero(remaining >= n)
            key = codes[where]
            for offset in range(1, n):
                key = (key << np.uint64(21)) | codes[where + offset]
            all_keys.append(key)
            all_docs.append(docs[where])
            all_positions.append(positions[where])
            if self.head_chars:  # the opening (subject line) counted again as features of their own
                head = positions[where] < self.head_chars
                all_keys.append(key[head] | HEAD_BIT)
                all_docs.append(docs[where][head])
                all_positions.append(positions[where][head])
        return np.concatenate(all_keys), np.concatenate(all_docs), np.concatenate(all_positions)

    def __getstate__(self) -> dict:
        state = super().__getstate__()
        state.pop("table_", None)  # rebuilt on first use; keeps model files small
        return state

    def lookup(self, keys: np.ndarray) -> np.ndarray:
        """Feature index of each key, -1 for n-grams outside the vocabulary."""
        if not hasattr(self, "table_"):
            self.table_ = _build_table(self.vocabulary_)
        return _probe(self.table_, keys)

    def _matrix(self, keys: np.ndarray, docs: np.ndarray, n_texts: int) -> sparse.csr_matrix:
        indptr, indices, counts = _count_rows(docs, self.lookup(keys), n_texts, len(self.vocabulary_))
        data = (np.log(counts) + 1) * self.idf_[indices]
        rows = np.repeat(np.arange(n_texts), np.diff(indptr))
        norms = np.sqrt(np.bincount(rows, weights=data * data, minlength=n_texts))
        norms[norms == 0] = 1
        data /= norms[rows].astype(np.float32)
        return sparse.csr_matrix((data, indices, indptr), shape=(n_texts, len(self.vocabulary_)))


HEAD_BIT = np.uint64(1 << 63)
EMPTY = np.uint64(0)  # no n-gram has key 0: code point 0 never occurs in text


def _build_table(vocabulary: np.ndarray) -> np.ndarray:
    """An open-addressing hash table (keys, feature index) at most 1/4 full; searchsorted on
    the sorted vocabulary was the slowest step of prediction."""
    size = 1 << max(4, int(len(vocabulary) * 4 - 1).bit_length())
    table = np.zeros((2, size), dtype=np.uint64)
    _fill(table, vocabulary)
    return table


@numba.njit(cache=True)
def _slot(key, mask):
    return ((key * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(29)) & mask


@numba.njit(cache=True)
def _fill(table, vocabulary):
    mask = np.uint64(table.shape[1] - 1)
    for index in range(len(vocabulary)):
        slot = _slot(vocabulary[index], mask)
        while table[0, slot] != 0:
            slot = (slot + np.uint64(1)) & mask
        table[0, slot] = vocabulary[index]
        table[1, slot] = index


@numba.njit(cache=True)
def _probe(table, keys):
    mask = np.uint64(table.shape[1] - 1)
    found = np.full(len(keys), -1, dtype=np.int64)
    for i in range(len(keys)):
        slot = _slot(keys[i], mask)
        while table[0, slot] != 0:
            if table[0, slot] == keys[i]:
                found[i] = table[1, slot]
                break
            slot = (slot + np.uint64(1)) & mask
    return found


@numba.njit(cache=True)
def _count_rows(docs, features, n_docs, n_features):
    """CSR (indptr, indices, counts) of the known n-grams (feature >= 0) of each text."""
    indptr = np.zeros(n_docs + 1, dtype=np.int64)
    for i in range(len(docs)):
        if features[i] >= 0:
            indptr[docs[i] + 1] += 1
    for d in range(n_docs):
        indptr[d + 1] += indptr[d]
    fill = indptr[:-1].copy()
    order = np.empty(indptr[-1], dtype=np.int64)
    for i in range(len(docs)):
        if features[i] >= 0:
            order[fill[docs[i]]] = features[i]
            fill[docs[i]] += 1
    slot_of = np.full(n_features, -1, dtype=np.int64)
    indices = np.empty(len(order), dtype=np.int32)
    counts = np.empty(len(order), dtype=np.float32)
    out = np.zeros(n_docs + 1, dtype=np.int64)
    n = 0
    for d in range(n_docs):
        for j in range(indptr[d], indptr[d + 1]):
            feature = order[j]
            if slot_of[feature] >= out[d] and slot_of[feature] < n:  # seen in this text
                counts[slot_of[feature]] += 1
            else:
                slot_of[feature] = n
                indices[n] = feature
                counts[n] = 1
                n += 1
        out[d + 1] = n
    return out, indices[:n], counts[:n]


class NBLinearSVC(ClassifierMixin, BaseEstimator):
    """One-vs-rest linear SVMs, each on the features scaled by |r_c| ** nb_power, where r_c is the
    naive-Bayes log-count ratio of feature weight in class c against the rest (Wang & Manning's
    NB-SVM, damped). The scaling is folded into coef_, so prediction is one sparse product.
    tol 1e-3 (liblinear's default is 1e-4): a third fewer iterations, the same grouped-CV figures."""

    def __init__(
        self, C: float = 2.0, alpha: float = 0.1, nb_power: float = 0.5, tol: float = 1e-3, class_weight=None
    ):
        self.C = C
        self.tol = tol
        self.alpha = alpha
        self.nb_power = nb_power
        self.class_weight = class_weight

    def fit(self, X, y) -> "NBLinearSVC":
        X = sparse.csr_matrix(X)
        y = np.asarray(y)
        self.classes_ = unique_labels(y)
        targets = self.classes_[1:] if len(self.classes_) == 2 else self.classes_  # binary: one model
        total = np.asarray(X.sum(axis=0), dtype=np.float64).ravel()
        coefs, intercepts = [], []
        for label in targets:
            positive = y == label
            in_class = np.asarray(X[positive].sum(axis=0), dtype=np.float64).ravel()
            pos, neg = in_class + self.alpha, total - in_class + self.alpha
            ratio = np.log(pos / pos.sum()) - np.log(neg / neg.sum())
            scale = (np.abs(ratio) ** self.nb_power).astype(X.dtype)
            svm = LinearSVC(C=self.C, tol=self.tol, class_weight=self.class_weight, random_state=0)
            svm.fit(X @ sparse.diags(scale), positive.astype(int))
            coefs.append(svm.coef_[0] * scale)
            intercepts.append(svm.intercept_[0])
        self.coef_ = np.vstack(coefs)
        self.intercept_ = np.asarray(intercepts)
        return self

    def decision_function(self, X) -> np.ndarray:
        scores = np.asarray(X @ self.coef_.T) + self.intercept_
        return scores.ravel() if len(self.classes_) == 2 else scores

    def predict(self, X) -> np.ndarray:
        scores = self.decision_function(X)
        best = (scores > 0).astype(int) if scores.ndim == 1 else scores.argmax(axis=1)
        return self.classes_[best]


class TextClassifier(ClassifierMixin, BaseEstimator):
    def __init__(
        self,
        max_n: int = 3,
        head_chars: int = 30,
        min_df: int = 2,
        C: float = 2.0,
        nb_power: float = 0.5,
        class_weight: str | None = None,
        calibration: str = "temperature",
        cv: int = 5,
        ensemble: bool = False,
    ):
        self.max_n = max_n
        self.head_chars = head_chars
        self.min_df = min_df
        self.C = C
        self.nb_power = nb_power
        self.class_weight = class_weight
        self.calibration = calibration
        self.cv = cv
        self.ensemble = ensemble

    def fit(self, X: Sequence[str], y: Sequence) -> "TextClassifier":
        texts = [normalise(t) for t in X]
        labels = np.asarray([str(label) for label in y])
        counts = Counter(labels)
        if len(counts) < 2:
            raise ValueError("need at least two different labels to learn from")
        texts, labels = _repeat_singletons(texts, labels, counts)
        folds = max(2, min(self.cv, min(Counter(labels).values())))
        self.vectorizer_ = CharNgramTfidf(
            max_n=self.max_n,
            head_chars=self.head_chars,
            min_df=self.min_df if len(texts) >= 50 else 1,  # tiny corpora keep every n-gram
        )
        features = self.vectorizer_.fit(texts).transform(texts)
        svm = NBLinearSVC(C=self.C, nb_power=self.nb_power, class_weight=self.class_weight)
        self.model_ = CalibratedClassifierCV(svm, method=self.calibration, cv=folds, ensemble=self.ensemble)
        self.model_.fit(features, labels)
        for calibrated in self.model_.calibrated_classifiers_:  # halves the model file, same decisions
            calibrated.estimator.coef_ = calibrated.estimator.coef_.astype(np.float32)
        self.classes_ = self.model_.classes_
        return self

    @property
    def class_weights(self) -> np.ndarray:
        """The SVM weight of every feature for every class (rows follow classes_), for explanations."""
        if getattr(self, "_class_weights", None) is None:
            self._class_weights = _class_weights(self.model_, len(self.classes_))
        return self._class_weights

    def __getstate__(self) -> dict:
        state = super().__getstate__()
        state.pop("_class_weights", None)  # derived from model_; not stored twice
        return state

    def predict_proba(self, X: Sequence[str]) -> np.ndarray:
        check_is_fitted(self, "model_")
        return self.model_.predict_proba(self.vectorizer_.transform([normalise(t) for t in X]))

    def predict_with_confidence(self, X: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """The predicted labels and their calibrated probabilities (0–1)."""
        proba = self.predict_proba(X)
        best = proba.argmax(axis=1)
        return self.classes_[best], proba[np.arange(len(best)), best]

    def predict(self, X: Sequence[str]) -> np.ndarray:
        return self.predict_with_confidence(X)[0]

    def explain(self, text: str, k: int = 5, label: str | None = None) -> list[tuple[str, float]]:
        """The k phrases of `text` that pushed hardest towards `label` (default: the predicted one),
        as (substring of the original text, weight), strongest first."""
        check_is_fitted(self, "model_")
        if label is None:
            label = self.predict([text])[0]
        row = int(np.flatnonzero(self.classes_ == str(label))[0])
        normalised, spans = normalise_with_offsets(text)
        keys, _, starts = self.vectorizer_.ngram_keys([normalised])
        features = self.vectorizer_.lookup(keys)
        values = self.vectorizer_.transform([normalised])
        value_of = dict(zip(values.indices.tolist(), values.data.tolist(), strict=True))
        evidence: dict[int, tuple[int, int, float]] = {}  # feature -> (start, end, weight), first occurrence
        for key, feature, start in zip(keys.tolist(), features.tolist(), starts.tolist(), strict=True):
            if feature >= 0 and feature not in evidence:
                weight = value_of[feature] * float(self.class_weights[row, feature])
                evidence[feature] = (start, start + _ngram_length(key), weight)
        strongest = sorted((e for e in evidence.values() if e[2] > 0), key=lambda e: -e[2])[: 6 * k]
        return _phrases(text, spans, strongest, k)

    def save(self, path) -> None:
        check_is_fitted(self, "model_")
        artifact.save(path, ARTIFACT_KIND, FORMAT_VERSION, self)

    @classmethod
    def load(cls, path) -> "TextClassifier | None":
        """The saved classifier, or None when the file is missing, unreadable or of another version."""
        model = artifact.load(path, ARTIFACT_KIND, FORMAT_VERSION)
        return model if isinstance(model, cls) else None


def _repeat_singletons(texts: list[str], labels: np.ndarray, counts: Counter) -> tuple[list[str], np.ndarray]:
    """Calibration needs two examples of every label; a label seen once is repeated rather than lost
    (the product's rarely used units must stay suggestible)."""
    singles = [i for i, label in enumerate(labels) if counts[label] == 1]
    if not singles:
        return texts, labels
    return texts + [texts[i] for i in singles], np.concatenate([labels, labels[singles]])


def _class_weights(model: CalibratedClassifierCV, n_classes: int) -> np.ndarray:
    """The folds' SVM weights averaged, one row per class (for explanations)."""
    coefs = []
    for calibrated in model.calibrated_classifiers_:
        coef = calibrated.estimator.coef_
        if n_classes == 2:  # one weight vector, positive towards classes_[1]
            coef = np.vstack([-coef[0], coef[0]])
        coefs.append(coef)
    return np.mean(coefs, axis=0)


def _ngram_length(key: int) -> int:
    key &= (1 << 63) - 1
    return 1 if key < 1 << 21 else 2 if key < 1 << 42 else 3


def _phrases(text, spans, evidence, k) -> list[tuple[str, float]]:
    """The strongest n-grams as phrases of the original text; overlapping ones merge into one."""
    chosen: list[list] = []  # [start, end, score] in normalised positions
    for start, end, weight in evidence:
        overlapping = next((p for p in chosen if start < p[1] and p[0] < end), None)
        if overlapping:
            overlapping[0], overlapping[1] = min(start, overlapping[0]), max(end, overlapping[1])
            overlapping[2] += weight
        elif len(chosen) < k and end - start > 1:
            chosen.append([start, end, weight])
    best: dict[str, float] = {}
    for start, end, score in chosen:
        for phrase in _word_runs(_readable(text[spans[start][0] : spans[end - 1][1]])):
            best[phrase] = max(best.get(phrase, 0.0), score)
    return sorted(best.items(), key=lambda item: -item[1])[:k]


WORD_RUN = re.compile(r"[^\W_]+")  # letters and digits of any script: no punctuation, symbols or markup


def _word_runs(phrase: str) -> list[str]:
    """A phrase as the runs of words it holds: an n-gram may span "。" or "</script><", a phrase
    shown as evidence never does. Runs of one character say nothing and are dropped."""
    return [run for run in WORD_RUN.findall(phrase) if len(run) > 1]


def _readable(phrase: str) -> str:
    """Segmented text has spaces between words; Chinese reads without them."""
    return "".join(phrase.split()) if not any(c.isascii() and c.isalpha() for c in phrase) else phrase.strip()


def predict_in_chunks(model: TextClassifier, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    labels, confidences = [], []
    for start in progress(range(0, len(texts), PREDICT_CHUNK), desc="classify"):
        chunk_labels, chunk_conf = model.predict_with_confidence(texts[start : start + PREDICT_CHUNK])
        labels.append(chunk_labels)
        confidences.append(chunk_conf)
    if not labels:
        return np.array([], dtype=str), np.array([], dtype=float)
    return np.concatenate(labels), np.concatenate(confidences)


# --- command line -------------------------------------------------------------------------------


def register(subparsers) -> None:
    parser = subparsers.add_parser("classify", help="train or apply a text classifier")
    inner = parser.add_subparsers(dest="action", required=True)

    train = inner.add_parser("train", help="learn labels from a CSV")
    train.add_argument("--input", required=True)
    train.add_argument("--text", required=True, help="text column(s), comma-separated")
    train.add_argument("--label", required=True, help="label column")
    train.add_argument("--model", required=True, help="where to write the model file")
    _add_fallback(train)
    train.set_defaults(run=run_train)

    predict = inner.add_parser("predict", help="label every row of a CSV")
    predict.add_argument("--model", required=True)
    predict.add_argument("--input", required=True)
    predict.add_argument("--text", required=True, help="text column(s), comma-separated")
    predict.add_argument("--output", required=True)
    _add_fallback(predict)
    predict.set_defaults(run=run_predict)


def _add_fallback(parser) -> None:
    parser.add_argument(
        "--fallback",
        action="store_true",
        help="use the first non-empty of the --text columns instead of joining them (e.g. text_raw,text_seg)",
    )


def _texts(
    path: str, spec: str, fallback: bool, extra: Sequence[str] = ()
) -> tuple[list[str], list[str], list[dict]]:
    from textcore.csvio import join_text, parse_columns, read_rows, require_columns

    cols = parse_columns(spec)
    try:
        fieldnames, rows = read_rows(path)
    except OSError as exc:
        raise SystemExit(f"{path}: cannot read ({exc.strerror})") from exc
    require_columns(fieldnames, [*cols, *extra], path)
    if fallback:
        texts = [next((row[c].strip() for c in cols if (row[c] or "").strip()), "") for row in rows]
    else:
        texts = [join_text(row, cols) for row in rows]
    return texts, fieldnames, rows


def run_train(args) -> int:
    texts, _, rows = _texts(args.input, args.text, args.fallback, extra=[args.label])
    pairs = [
        (t, row[args.label].strip())
        for t, row in zip(texts, rows, strict=True)
        if t and row[args.label].strip()
    ]
    if not pairs:
        raise SystemExit(f"{args.input}: no row has both text and a label")
    try:
        model = TextClassifier().fit([t for t, _ in pairs], [label for _, label in pairs])
    except ValueError as exc:
        raise SystemExit(f"{args.input}: {exc}") from exc
    model.save(args.model)
    return 0


def run_predict(args) -> int:
    from textcore.csvio import write_rows

    model = TextClassifier.load(args.model)
    if model is None:
        raise SystemExit(
            f"{args.model}: not a classifier model of format version {FORMAT_VERSION} (retrain it)"
        )
    texts, fieldnames, rows = _texts(args.input, args.text, args.fallback)
    labels, confidences = predict_in_chunks(model, texts)
    for row, label, confidence in zip(rows, labels, confidences, strict=True):
        row["predicted"] = label
        row["confidence"] = f"{confidence:.4f}"
    extra = [c for c in ("predicted", "confidence") if c not in fieldnames]
    write_rows(args.output, [*fieldnames, *extra], rows)
    return 0
