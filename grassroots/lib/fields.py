"""Form fields shared by the staff pages of every app: text areas, selects over units and other
objects, several uploaded files at once."""

from django import forms
from django.utils.translation import gettext_lazy as _

from grassroots.accounts.models import Level, OrgUnit
from grassroots.lib.uploads import upload_help


class TextField(forms.CharField):
    """A textarea whose line breaks count as one character, as the browser's counter does."""

    def __init__(self, *args, rows=4, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(*args, **kwargs)
        if self.max_length:
            self.error_messages["max_length"] = _("不能超过 %(limit_value)d 字（现有 %(show_value)d 字）。")

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if value else value


def unit_labels(units) -> dict[int, str]:
    """Readable names for a select, from the county down: "东城县 / 城关镇 / 城东村"."""
    ancestor_ids = {int(x) for u in units for x in u.path.strip("/").split("/") if x}
    names = {
        pk: (name, level)
        for pk, name, level in OrgUnit.objects.filter(pk__in=ancestor_ids).values_list("id", "name", "level")
    }
    labels = {}
    for u in units:
        chain = [int(x) for x in u.path.strip("/").split("/") if x][:-1]
        parts = [names[i][0] for i in chain if i in names and names[i][1] >= Level.COUNTY]
        labels[u.pk] = " / ".join([*parts, u.name])
    return labels


EMPTY_LABEL = _("（请选择）")


class InstanceChoiceField(forms.ChoiceField):
    """A select over a fixed list of objects; cleans to the chosen object (or None)."""

    def set_objects(self, objects, labels, empty_label=EMPTY_LABEL):
        self._objects = {str(o.pk): o for o in objects}
        choices = [(str(o.pk), labels[o.pk]) for o in objects]
        self.choices = ([("", empty_label)] if empty_label is not None else []) + choices

    def clean(self, value):
        value = super().clean(value)
        return self._objects.get(str(value)) if value else None


class UnitField(InstanceChoiceField):
    """A select over units, searchable as one types (static/js/app.js: select[data-search])."""

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "data-search": _("输入名称筛选单位")}

    def set_units(self, units, empty_label=EMPTY_LABEL):
        units = list(units)
        self.set_objects(units, unit_labels(units), empty_label)

    def set_unit_groups(self, own, others, empty_label=EMPTY_LABEL):
        """`own` (the user's jurisdiction) first, then `others`; each in tree order, grouped by level."""
        own, others = list(own), list(others)
        labels = unit_labels(own + others)
        self._objects = {str(u.pk): u for u in own + others}
        choices = [("", empty_label)] if empty_label is not None else []
        choices += grouped_by_level(own, labels, _("本辖区"))
        choices += grouped_by_level(others, labels, _("其他单位（转送）"))
        self.choices = choices


def grouped_by_level(units, labels, title=None) -> list:
    """Select choices of `units` grouped by level (市级, 县（区）级 …), each group in tree order."""
    ordered = sorted(units, key=lambda u: [int(x) for x in u.path.strip("/").split("/") if x])
    groups = []
    for level in Level:
        members = [(str(u.pk), labels[u.pk]) for u in ordered if u.level == level]
        if members:
            groups.append((f"{title} · {level.label}" if title else f"{level.label}级", members))
    return groups


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}))
        kwargs.setdefault("help_text", upload_help())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in items if f]
