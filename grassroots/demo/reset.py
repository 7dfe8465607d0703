"""Removing the demo data again, children before parents."""

from collections import defaultdict

from django.db.models import ProtectedError, RestrictedError

from grassroots.accounts.models import Membership, OrgUnit, User
from grassroots.appeals.models import Appeal, Category, DispatchRule


def purge(queryset, depth=0):
    """Delete the rows; rows elsewhere that still point at them with PROTECT (records other
    parts of the platform keep about demo units, people or appeals) are deleted first."""
    while True:
        try:
            return queryset.delete()
        except (ProtectedError, RestrictedError) as exc:
            if depth > 10:
                raise
            blockers = getattr(exc, "protected_objects", None) or exc.restricted_objects
            by_model = defaultdict(set)
            for obj in blockers:
                by_model[type(obj)].add(obj.pk)
            for model, pks in by_model.items():
                purge(model._base_manager.filter(pk__in=pks), depth + 1)


def reset_demo_data():
    """Appeals and everything hanging on them, the catalogue, categories, memberships,
    users other than superusers, and the org tree."""
    Appeal.objects.exclude(original=None).update(original=None)
    purge(Appeal.objects.all())
    purge(DispatchRule.objects.all())
    for level in (3, 2, 1):
        purge(Category.objects.filter(level=level))
    purge(Category.objects.all())
    purge(Membership.objects.all())
    purge(User.objects.filter(is_superuser=False))
    for level in (5, 4, 3, 2, 1):
        purge(OrgUnit.objects.filter(level=level))
    purge(OrgUnit.objects.all())
