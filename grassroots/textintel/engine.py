"""The product's side of the text core: loads model files, keeps the duplicate index up to date,
and turns textcore results into product objects. Everything here degrades to "no suggestion":
a missing or incompatible model file never breaks a page.

Model files live in settings.TEXTCORE_MODEL_DIR and are written by `manage.py retrain_textcore`.
Each process loads them lazily and reloads a file when its modification time changes. The
duplicate index is built from the database when no file exists, and every process catches up
with appeals registered after the file was written (adding one appeal takes well under 1 ms).
"""

import hashlib
import logging
import threading
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from grassroots.accounts.models import OrgUnit
from grassroots.appeals.models import Appeal, Category
from textcore import artifact, dedupe
from textcore import hotspots as hotspot_core
from textcore.classify import TextClassifier
from textcore.dedupe import DuplicateIndex
from textcore.places import Gazetteer
from textcore.replies import score_reply
from textcore.sentiment import classify_sentiment

log = logging.getLogger(__name__)

CATEGORY_MODEL = "category.model"
UNIT_MODEL = "unit.model"
DUPLICATE_INDEX = "duplicates.index"


def model_path(name: str) -> Path:
    return Path(settings.TEXTCORE_MODEL_DIR) / name


def appeal_text(title: str, content: str) -> str:
    return f"{title}\n{content}"


# --- model files -----------------------------------------------------------------------


class _FileCache:
    """One loaded model per file, reloaded when the file changes; None when absent or unusable."""

    def __init__(self, loader):
        self.loader = loader
        self.lock = threading.Lock()
        self.entries: dict[Path, tuple[float, object]] = {}

    def get(self, path: Path):
        try:
            mtime = path.stat().st_mtime
        except OSError:
            return None
        with self.lock:
            cached = self.entries.get(path)
            if cached is None or cached[0] != mtime:
                try:
                    model = self.loader(path)
                except Exception:  # a broken file must not break the page
                    log.exception("could not load %s", path)
                    model = None
                cached = (mtime, model)
                self.entries[path] = cached
            return cached[1]


_classifiers = _FileCache(TextClassifier.load)


@dataclass
class Suggested:
    value: object  # a Category or an OrgUnit
    confidence: float
    words: list[str]
    model_version: str


def _suggest(model_name: str, text: str, resolve, allowed=None):
    classifier = _classifiers.get(model_path(model_name))
    if classifier is None or not text.strip():
        return None
    try:
        return _predict(classifier, model_name, text, resolve, allowed)
    except Exception:  # a model file from another code version: no suggestion, never a broken page
        log.exception("suggestion from %s failed", model_name)
        return None


def _predict(classifier, model_name: str, text: str, resolve, allowed=None):
    """The most probable label (of those in `allowed`, a set of labels, when given), with the
    model's own probability for it: a label the user may not choose is never suggested, and the
    next one keeps the confidence the model gives it rather than the one of the label passed over."""
    proba = classifier.predict_proba([text])[0]
    best = next(
        (i for i in proba.argsort()[::-1] if allowed is None or str(classifier.classes_[i]) in allowed), None
    )
    if best is None:
        return None
    label = str(classifier.classes_[best])
    value = resolve(label)
    if value is None:
        return None
    words = [phrase for phrase, _weight in classifier.explain(text, k=5, label=label)]
    version = str(model_path(model_name).stat().st_mtime_ns)
    return Suggested(value, float(proba[best]), words, version)


def suggest_category(text: str) -> Suggested | None:
    return _suggest(
        CATEGORY_MODEL, text, lambda label: Category.objects.filter(pk=label, is_active=True).first()
    )


def suggest_unit(text: str, within) -> Suggested | None:
    """The unit to dispatch to, among the units `within` (a queryset: the desk's jurisdiction)."""
    allowed = {str(pk) for pk in within.values_list("pk", flat=True)}
    return _suggest(UNIT_MODEL, text, lambda label: within.filter(pk=label).first(), allowed)


# --- duplicates --------------------------------------------------------------------------


class _Duplicates:
    """The process's duplicate index: loaded from file or built from the database, then kept
    current by adding the appeals registered since (ids only grow)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.index: DuplicateIndex | None = None
        self.last_id = 0
        self.file_mtime: float | None = None

    def current(self) -> DuplicateIndex:
        with self.lock:
            path = model_path(DUPLICATE_INDEX)
            mtime = path.stat().st_mtime if path.exists() else None
            if self.index is None or mtime != self.file_mtime:
                self._load(path, mtime)
            self._catch_up()
            return self.index

    def _load(self, path: Path, mtime):
        saved = load_duplicate_index(path) if mtime is not None else None
        self.index, self.last_id = saved or (DuplicateIndex(), 0)
        self.file_mtime = mtime

    def _catch_up(self):
        rows = Appeal.objects.filter(pk__gt=self.last_id).order_by("pk").values_list("pk", "title", "content")
        batch_ids, batch_texts = [], []
        for pk, title, content in rows.iterator(chunk_size=5000):
            batch_ids.append(pk)
            batch_texts.append(appeal_text(title, content))
        if batch_ids:
            self.index.add_many(batch_ids, batch_texts)
            self.last_id = batch_ids[-1]

    def forget(self):
        with self.lock:
            self.index, self.last_id, self.file_mtime = None, 0, None


_duplicates = _Duplicates()

# The index file also records the last appeal id it holds, so that a process can catch up.
INDEX_KIND = "appeal-duplicates"
INDEX_VERSION = 1


def save_duplicate_index(index: DuplicateIndex, last_id: int, path: Path | None = None) -> None:
    payload = {"index": index, "last_id": last_id, "dedupe_version": dedupe.ARTIFACT_VERSION}
    artifact.save(path or model_path(DUPLICATE_INDEX), INDEX_KIND, INDEX_VERSION, payload)


def load_duplicate_index(path: Path) -> tuple[DuplicateIndex, int] | None:
    payload = artifact.load(path, INDEX_KIND, INDEX_VERSION)
    if not isinstance(payload, dict) or payload.get("dedupe_version") != dedupe.ARTIFACT_VERSION:
        return None
    return payload["index"], payload["last_id"]


@dataclass
class Similar:
    appeal: Appeal
    score: float
    kind: str  # "duplicate" | "same_issue"

    @property
    def kind_label(self) -> str:
        return "疑似重复件" if self.kind == "duplicate" else "同一问题"


def similar_appeals(visible, text: str, *, exclude_pk=None, k: int = 5) -> list[Similar]:
    """Earlier appeals like `text` among `visible` (the user's visible_appeals queryset)."""
    if not text.strip():
        return []
    found = _duplicates.current().query(text, k=k + 1)
    scores = {doc_id: (score, kind) for doc_id, score, kind in found if doc_id != exclude_pk}
    appeals = visible.filter(pk__in=scores).select_related("handling_unit")
    result = [Similar(a, *scores[a.pk]) for a in appeals]
    result.sort(key=lambda s: -s.score)
    return result[:k]


# --- hotspots ----------------------------------------------------------------------------


def gazetteer() -> Gazetteer:
    return Gazetteer(OrgUnit.objects.values_list("name", flat=True))


def _resident_key(appeal: Appeal) -> str:
    phone = appeal.phone
    return hashlib.sha256(phone.encode()).hexdigest()[:16] if phone else f"#{appeal.pk}"


def hotspots(visible, *, days: int = 90, limit: int = 20):
    """The hottest same-issue groups among the most recent appeals of `visible` (a queryset),
    as (Hotspot, [appeals]) pairs; singletons are left out."""
    since = timezone.now() - timedelta(days=days)
    appeals = list(
        visible.filter(registered_at__gte=since)
        .exclude(status="duplicate")
        .select_related("place_unit")
        .order_by("-registered_at")[: settings.HOTSPOT_MAX_APPEALS]
    )
    by_id = {str(a.pk): a for a in appeals}
    messages = [
        hotspot_core.Message(
            id=str(a.pk),
            text=appeal_text(a.title, f"{a.place_unit.name if a.place_unit else ''}{a.address}\n{a.content}"),
            time=a.registered_at,
            likes=a.headcount - 1,
            user=_resident_key(a),
        )
        for a in appeals
    ]
    groups = hotspot_core.find_hotspots(messages, gazetteer=gazetteer(), now=timezone.now())
    return [(g, [by_id[i] for i in g.ids]) for g in groups if g.size > 1][:limit]


# --- replies and comments ------------------------------------------------------------------


def reply_hints(appeal: Appeal, draft: str):
    from grassroots.workcal.models import load_calendar

    return score_reply(
        appeal_text(appeal.title, appeal.content),
        draft,
        asked_at=timezone.localtime(appeal.registered_at),
        replied_at=timezone.localtime(),
        calendar=load_calendar(),
    )


def comment_sentiment(text: str) -> tuple[str, float] | None:
    return classify_sentiment(text) if text and text.strip() else None
