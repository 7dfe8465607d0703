"""Files staff upload (evidence, photos, documents): one abstract model and one way to store them.

A file is stored as <folder>/<yyyy>/<mm>/<random>.<ext>; its original name lives in the row only,
so a path on disk says nothing about the resident or the matter. Types and sizes are checked
before this point by `grassroots.lib.uploads`.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.deconstruct import deconstructible


@deconstructible
class RandomPath:
    """upload_to for a FileField: a random name under `folder`, by month."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        ext = filename.rsplit(".", 1)[-1].lower()
        return f"{self.folder}/{timezone.now():%Y/%m}/{secrets.token_hex(12)}.{ext}"

    def __eq__(self, other):
        return isinstance(other, RandomPath) and other.folder == self.folder

    def __hash__(self):
        return hash(self.folder)


class StoredFile(models.Model):
    """A subclass adds `file = models.FileField(upload_to=RandomPath(...))` and what it belongs to."""

    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]

    @property
    def is_photo(self) -> bool:
        return self.content_type.startswith("image/")

    @classmethod
    def store(cls, files, actor, *, name=None, **owner) -> list:
        """Save checked uploads, given as (file, content type) pairs, as rows that belong to `owner`."""
        return [
            cls.objects.create(
                file=f,
                original_name=(name or f.name)[:200],
                content_type=content_type,
                size=f.size,
                uploaded_by=actor,
                **owner,
            )
            for f, content_type in files
        ]
