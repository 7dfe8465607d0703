"""Retrain the suggestion models from the product's own appeals and rebuild the duplicate index.

Run it nightly (cron) or after a large import. The files are written atomically, so running
processes switch to the new models on their next request.
"""

import random
import time

from django.core.management.base import BaseCommand

from grassroots.textintel import engine, training
from textcore.classify import TextClassifier
from textcore.dedupe import DuplicateIndex


class Command(BaseCommand):
    help = "用本系统的诉求（含工作人员的更正）重新训练分类、承办单位建议模型，并重建重复件索引。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-missing", action="store_true", help="只在模型文件不存在或与当前版本不兼容时训练"
        )
        parser.add_argument(
            "--check", action="store_true", help="不训练：模型可用时退出码为 0，需要训练时为 1"
        )
        parser.add_argument("--min-per-class", type=int, default=5, help="每个类别至少需要的样本数")

    def handle(self, *args, if_missing=False, check=False, min_per_class=5, **options):
        if check:
            raise SystemExit(0 if _models_usable() else 1)
        if if_missing and _models_usable():
            self.stdout.write("模型文件已存在，跳过训练。")
            return
        self._train("分类建议", engine.CATEGORY_MODEL, *training.category_examples(min_per_class))
        self._train("承办单位建议", engine.UNIT_MODEL, *training.unit_examples(min_per_class))
        started = time.perf_counter()
        ids, texts = training.all_appeal_texts()
        index = DuplicateIndex()
        index.add_many(ids, texts)
        engine.save_duplicate_index(index, ids[-1] if ids else 0)
        self.stdout.write(f"重复件索引：{len(ids)} 件诉求，用时 {time.perf_counter() - started:.1f} 秒。")

    def _train(self, what, filename, texts, labels):
        classes = len(set(labels))
        if classes < 2:
            self.stdout.write(f"{what}：样本不足（{len(texts)} 件，{classes} 类），未训练。")
            return
        started = time.perf_counter()
        accuracy = self._holdout_accuracy(texts, labels)
        TextClassifier().fit(texts, labels).save(engine.model_path(filename))
        self.stdout.write(
            f"{what}：{len(texts)} 件、{classes} 类，留出集准确率 {accuracy:.1%}，"
            f"用时 {time.perf_counter() - started:.1f} 秒。"
        )

    @staticmethod
    def _holdout_accuracy(texts, labels) -> float:
        """Accuracy on a seeded fifth of the examples, with a model trained on the rest."""
        order = list(range(len(texts)))
        random.Random(2026).shuffle(order)
        cut = max(1, len(order) // 5)
        test, train = order[:cut], order[cut:]
        model = TextClassifier().fit([texts[i] for i in train], [labels[i] for i in train])
        predicted = model.predict([texts[i] for i in test])
        return sum(p == labels[i] for p, i in zip(predicted, test, strict=True)) / len(test)


def _models_usable() -> bool:
    """Every model file is there and loads in this version (a format change means retraining)."""
    return (
        TextClassifier.load(engine.model_path(engine.CATEGORY_MODEL)) is not None
        and TextClassifier.load(engine.model_path(engine.UNIT_MODEL)) is not None
        and engine.load_duplicate_index(engine.model_path(engine.DUPLICATE_INDEX)) is not None
    )
