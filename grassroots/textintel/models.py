"""What the text core suggested for an appeal, kept so the product can measure itself:
how often staff took the suggested category and unit."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Suggestion(models.Model):
    class Kind(models.TextChoices):
        CATEGORY = "category", _("分类")
        UNIT = "unit", _("承办单位")

    appeal = models.ForeignKey("appeals.Appeal", on_delete=models.CASCADE, related_name="suggestions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    value_id = models.BigIntegerField()  # a Category or OrgUnit id
    confidence = models.FloatField()
    words = models.JSONField(default=list)
    model_version = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["appeal", "kind"], name="one_suggestion_per_kind"),
        ]
