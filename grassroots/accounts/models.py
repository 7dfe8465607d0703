"""Org units (the administrative tree), people and their roles in units."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    PROVINCE = 1, _("省")
    CITY = 2, _("市")
    COUNTY = 3, _("县（区）")
    TOWNSHIP = 4, _("乡镇（街道）")
    VILLAGE = 5, _("村（社区）")


class UnitKind(models.TextChoices):
    AREA = "area", _("行政区域")
    DEPARTMENT = "department", _("职能部门")


class OrgUnitQuerySet(models.QuerySet):
    def areas(self):
        return self.filter(kind=UnitKind.AREA)

    def departments(self):
        return self.filter(kind=UnitKind.DEPARTMENT)

    def subtree_of(self, unit):
        return self.filter(path__startswith=unit.path)


class OrgUnit(models.Model):
    """A node of the tree 省 → 市 → 县 → 乡 → 村; departments hang under the area they serve.

    `path` is the materialised chain of ids ("/1/4/17/") so that a subtree is one
    indexed prefix query; it is maintained by save() and never edited by hand.
    """

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=12, choices=UnitKind.choices, default=UnitKind.AREA)
    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    # Who reviews (复查/复核, §35–36) this unit's written answers, when not the unit above: set for
    # a unit with no parent in the tree. Never the unit itself or one below it.
    review_organ = models.ForeignKey(
        "self",
        verbose_name=_("复查（复核）机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("组织单位")
        verbose_name_plural = _("组织单位")
        ordering = ["path"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        expected = f"{self.parent.path if self.parent else '/'}{self.pk}/"
        if self.path != expected:
            self.path = expected
            OrgUnit.objects.filter(pk=self.pk).update(path=expected)

    def contains(self, other) -> bool:
        """True when `other` is this unit or below it."""
        return other is not None and other.path.startswith(self.path)

    def reviewing_organ(self):
        """The organ a petitioner asks for 复查/复核 of this unit's answer; None if not configured."""
        return self.review_organ or self.parent

    def ancestors(self):
        ids = [int(x) for x in self.path.strip("/").split("/")[:-1]]
        by_id = OrgUnit.objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]

    @property
    def full_name(self):
        chain = [u.name for u in self.ancestors() if u.level >= Level.COUNTY] + [self.name]
        return "".join(chain)


class Role(models.TextChoices):
    CLERK = "clerk", _("接待登记员")
    HANDLER = "handler", _("承办人")
    UNIT_HEAD = "unit_head", _("单位负责人")
    LEADER = "leader", _("领导干部")
    SUPERVISOR = "supervisor", _("信访督办员")
    ADMIN = "admin", _("系统管理员")


class User(AbstractUser):
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("办公电话"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.display_name or self.username


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("角色"), max_length=12, choices=Role.choices)
    # The post (职务) within the role: the reception-day rule depends on it (a 县长 receives
    # residents monthly, a 副县长 has no fixed rule), see settings.RECEPTION_RULES.
    post = models.CharField(
        _("职务"), max_length=30, blank=True, help_text=_("如 市委书记、市长、县委书记、县长、副县长、镇长")
    )

    class Meta:
        verbose_name = _("任职")
        verbose_name_plural = _("任职")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="unique_membership"),
        ]

    def __str__(self):
        return f"{self.user} · {self.unit} · {self.get_role_display()}"
