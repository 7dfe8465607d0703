"""Forms of the staff pages: the questionnaire and its questions."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from .access import managing_units
from .models import CHOICE_KINDS, Kind, Question, Questionnaire

DT_FORMAT = "%Y-%m-%dT%H:%M"


def _dt_widget():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DT_FORMAT)


class QuestionnaireForm(forms.ModelForm):
    class Meta:
        model = Questionnaire
        fields = ["title", "description", "owner_unit", "purpose", "opens_at", "closes_at", "ask_phone"]
        widgets = {
            "opens_at": _dt_widget(),
            "closes_at": _dt_widget(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = managing_units(user).order_by("path")
        self.fields["opens_at"].input_formats = [DT_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        self.fields["closes_at"].input_formats = [DT_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", _("截止时间须晚于开始时间。"))
        return data


class QuestionForm(forms.ModelForm):
    options_text = forms.CharField(
        label=_("选项（每行一个）"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    class Meta:
        model = Question
        fields = ["text", "kind", "required", "max_choices", "depends_on", "depends_option"]

    def __init__(self, *args, questionnaire, **kwargs):
        super().__init__(*args, **kwargs)
        earlier = questionnaire.questions.filter(kind__in=CHOICE_KINDS)
        if self.instance.pk:
            earlier = earlier.filter(position__lt=self.instance.position)
            self.initial.setdefault("options_text", "\n".join(self.instance.options))
        self.fields["depends_on"].queryset = earlier
        self.fields["depends_on"].required = False
        self.fields["max_choices"].min_value = 1

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        options = [o.strip() for o in (data.get("options_text") or "").splitlines() if o.strip()]
        if kind in CHOICE_KINDS:
            if len(options) < 2:
                self.add_error("options_text", _("选择题至少需要两个选项。"))
            if len(set(options)) != len(options):
                self.add_error("options_text", _("选项不能重复。"))
            if any(len(o) > 200 for o in options):
                self.add_error("options_text", _("每个选项不超过 200 字。"))
        else:
            options = []
        data["options"] = options
        if kind == Kind.MULTIPLE:
            if data.get("max_choices") and data["max_choices"] > len(options):
                self.add_error("max_choices", _("最多可选项数不能超过选项个数。"))
        else:
            data["max_choices"] = None
        parent = data.get("depends_on")
        if parent is not None:
            if data.get("depends_option") not in parent.options:
                self.add_error("depends_option", _("请填写所依赖题目中的一个选项（须完全一致）。"))
        else:
            data["depends_option"] = ""
        return data

    def values(self):
        d = self.cleaned_data
        return {
            "text": d["text"],
            "kind": d["kind"],
            "required": d["required"],
            "options": d["options"],
            "max_choices": d["max_choices"],
            "depends_on": d["depends_on"],
            "depends_option": d["depends_option"],
        }


def new_token() -> str:
    return uuid.uuid4().hex
