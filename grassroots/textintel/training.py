"""Training sets from the product's own appeals: the category and the handling unit staff
finally chose (their corrections included), and the duplicate index over every appeal."""

from collections import Counter

from grassroots.appeals.models import Appeal, Category

from .engine import appeal_text


def rollup_categories(category_ids: list[int], min_per_class: int) -> list[int]:
    """Map each category to itself or the nearest ancestor with at least `min_per_class`
    examples (counting everything rolled up into it), so thin leaves still teach their parent."""
    parents = dict(Category.objects.values_list("pk", "parent_id"))
    depth = {}

    def level(pk):
        if pk not in depth:
            depth[pk] = 0 if parents.get(pk) is None else level(parents[pk]) + 1
        return depth[pk]

    mapping = {pk: pk for pk in set(category_ids)}
    while True:
        counts = Counter(mapping[pk] for pk in category_ids)
        thin = [c for c, n in counts.items() if n < min_per_class and parents.get(c) is not None]
        if not thin:
            return [mapping[pk] for pk in category_ids]
        deepest = max(level(c) for c in thin)
        for pk, target in mapping.items():
            if target in thin and level(target) == deepest:
                mapping[pk] = parents[target]


def category_examples(min_per_class: int) -> tuple[list[str], list[str]]:
    rows = list(Appeal.objects.exclude(category=None).values_list("title", "content", "category_id"))
    labels = rollup_categories([r[2] for r in rows], min_per_class)
    return [appeal_text(t, c) for t, c, _ in rows], [str(label) for label in labels]


def unit_examples(min_per_class: int) -> tuple[list[str], list[str]]:
    rows = list(
        Appeal.objects.exclude(handling_unit=None).values_list("title", "content", "handling_unit_id")
    )
    counts = Counter(r[2] for r in rows)
    kept = [r for r in rows if counts[r[2]] >= min_per_class]
    return [appeal_text(t, c) for t, c, _ in kept], [str(u) for _, _, u in kept]


def all_appeal_texts():
    rows = Appeal.objects.order_by("pk").values_list("pk", "title", "content")
    ids, texts = [], []
    for pk, title, content in rows.iterator(chunk_size=5000):
        ids.append(pk)
        texts.append(appeal_text(title, content))
    return ids, texts
