"""`python -m textcore bench classify`: category classification on messages_labeled.csv.

Trains on split == train (text_raw when present, else text_seg) and reports on split == test:
macro-F1 overall and on the test rows with text_raw, the share of test appeals that can be
auto-dispatched at >= 97% accuracy by a confidence threshold >= 0.90, training seconds and
prediction appeals/s on one thread — for TextClassifier and for the baseline (character 1–3-gram
TF-IDF on the unnormalised text + LinearSVC, Platt-calibrated the same way) in the same run.
"""

import csv
import time

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import accuracy_score, f1_score
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC
from threadpoolctl import threadpool_limits

from textcore.classify import TextClassifier
from textcore.progress import progress

TARGET_ACCURACY = 0.97
MIN_THRESHOLD = 0.90


def add_arguments(parser) -> None:
    parser.add_argument("--repeat", type=int, default=3, help="prediction timing: best of this many passes")


class Baseline:
    """Plain character TF-IDF + linear SVM, calibrated for its confidence."""

    def fit(self, texts, labels):
        svm = CalibratedClassifierCV(LinearSVC(), method="sigmoid", cv=5, ensemble=True)
        vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
        self.pipeline = make_pipeline(vectorizer, svm).fit(texts, labels)
        return self

    def predict_with_confidence(self, texts):
        proba = self.pipeline.predict_proba(texts)
        best = proba.argmax(axis=1)
        return self.pipeline.classes_[best], proba[np.arange(len(best)), best]


def load(data) -> tuple[list[dict], list[dict]]:
    with open(data / "messages_labeled.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    return [r for r in rows if r["split"] == "train"], [r for r in rows if r["split"] == "test"]


def training_text(row: dict) -> str:
    return row["text_raw"] or row["text_seg"]


def auto_dispatch(correct: np.ndarray, confidence: np.ndarray) -> dict:
    """The lowest threshold >= MIN_THRESHOLD whose accepted appeals are >= TARGET_ACCURACY correct
    (most coverage), with its coverage and accuracy."""
    best = {"threshold": None, "coverage": 0.0, "accuracy": None}
    for threshold in sorted(set(confidence[confidence >= MIN_THRESHOLD].tolist())):
        accepted = confidence >= threshold
        accuracy = correct[accepted].mean()
        if accuracy >= TARGET_ACCURACY:
            best = {
                "threshold": round(threshold, 4),
                "coverage": round(float(accepted.mean()), 4),
                "accuracy": round(float(accuracy), 4),
            }
            break
    return best


def evaluate(model, train: list[dict], test: list[dict], repeat: int) -> dict:
    started = time.perf_counter()
    with threadpool_limits(1):
        model.fit([training_text(r) for r in train], [r["label"] for r in train])
    train_seconds = time.perf_counter() - started

    texts = [training_text(r) for r in test]
    truth = np.array([r["label"] for r in test])
    has_raw = np.array([bool(r["text_raw"]) for r in test])
    timings = []
    with threadpool_limits(1):
        for _ in range(repeat):
            started = time.perf_counter()
            predicted, confidence = model.predict_with_confidence(texts)
            timings.append(time.perf_counter() - started)
    correct = predicted == truth
    return {
        "macro_f1": round(f1_score(truth, predicted, average="macro"), 4),
        "accuracy": round(accuracy_score(truth, predicted), 4),
        "macro_f1_text_raw": round(f1_score(truth[has_raw], predicted[has_raw], average="macro"), 4),
        "auto_dispatch": auto_dispatch(correct, confidence),
        "train_seconds": round(train_seconds, 1),
        "predict_per_s": round(len(texts) / min(timings)),
    }


def run(args) -> dict:
    train, test = load(args.data)
    figures = {
        "n_train": len(train),
        "n_test": len(test),
        "n_test_text_raw": sum(bool(r["text_raw"]) for r in test),
    }
    models = {"textcore": TextClassifier(), "baseline": Baseline()}
    for name in progress(models, desc="bench classify"):
        figures[name] = evaluate(models[name], train, test, args.repeat)
    figures["ratio_predict_per_s"] = round(
        figures["textcore"]["predict_per_s"] / figures["baseline"]["predict_per_s"], 2
    )
    figures["ratio_train_seconds"] = round(
        figures["textcore"]["train_seconds"] / figures["baseline"]["train_seconds"], 2
    )
    return figures
