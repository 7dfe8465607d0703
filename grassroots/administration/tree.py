"""Tree orderings for the org units and the category tree, as administrators read them."""

from grassroots.accounts.models import UnitKind


def unit_depth(unit) -> int:
    return unit.path.strip("/").count("/")


def unit_tree(units):
    """Units in depth-first order (departments before the areas under the same parent),
    each with a `depth` attribute. Works on any subset: depth is absolute."""

    nodes = list(units)
    by_id = {u.pk: u for u in nodes}
    # Sort by the chain of (kind, id) of each ancestor, so siblings group the same way at every depth.
    chains = {unit.pk: _unit_chain(unit, by_id) for unit in nodes}
    nodes.sort(key=lambda u: chains[u.pk])
    for unit in nodes:
        unit.depth = unit_depth(unit)
    return nodes


def _unit_chain(unit, by_id):
    ids = [int(x) for x in unit.path.strip("/").split("/") if x]
    chain = []
    for pk in ids:
        node = by_id.get(pk)
        # an ancestor outside the subset sorts as an area (the common case)
        is_area = node is None or node.kind != UnitKind.DEPARTMENT
        chain.append((is_area, pk))
    return chain


def category_tree(categories, all_categories=None):
    """Categories in depth-first order by name, each with `depth` (0 for the top level)."""
    nodes = list(categories)
    index = {c.pk: c for c in (all_categories if all_categories is not None else nodes)}
    index.update({c.pk: c for c in nodes})

    def chain(cat):
        parts = []
        node = cat
        while node is not None:
            parts.append((node.name, node.pk))
            node = index.get(node.parent_id)
        return list(reversed(parts))

    keys = {c.pk: chain(c) for c in nodes}
    nodes.sort(key=lambda c: keys[c.pk])
    for cat in nodes:
        cat.depth = cat.level - 1
    return nodes
