"""Forms of the on-site office pages: a new session, the additions to it, and the task actions.

Forms validate input and turn it into an action's keyword arguments; the action itself
(actions.py) checks the state and the remit.
"""

import re
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.accounts.access import units_in_scope
from grassroots.activities.models import DURATION_MAX_MINUTES
from grassroots.appeals.access import visible_appeals
from grassroots.ledger.access import visible_problems
from grassroots.ledger.forms import EvidenceMixin
from grassroots.lib import panel
from grassroots.lib.fields import InstanceChoiceField, MultipleFileField, TextField, UnitField, unit_labels

from . import access
from .actions import MAX_WORKING_DAYS
from .models import NOTE_MAX_CHARS, TEXT_MAX_CHARS

ATTENDEE_SPLIT = re.compile(r"[\s,，:：、]+")


def _token():
    return uuid.uuid4().hex


class TokenMixin:
    """A one-time token in the form, so a double-clicked submit is done once."""

    def _init_token(self):
        if not self.is_bound:
            self.initial.setdefault("submission_token", _token())

    def action_kwargs(self) -> dict:
        d = dict(self.cleaned_data)
        d["submission_token"] = d.get("submission_token") or None
        return d


class UnitsField(forms.MultipleChoiceField):
    """A multiple select over units; cleans to the chosen units."""

    def set_units(self, units):
        units = list(units)
        labels = unit_labels(units)
        self._units = {str(u.pk): u for u in units}
        self.choices = [(str(u.pk), labels[u.pk]) for u in units]

    def clean(self, value):
        return [self._units[v] for v in super().clean(value)]


class PeopleField(forms.MultipleChoiceField):
    def set_people(self, people):
        self._people = {str(p.pk): p for p in people}
        self.choices = [(str(p.pk), str(p)) for p in people]

    def clean(self, value):
        return [self._people[v] for v in super().clean(value)]


def parse_attendees(text) -> list[tuple[str, str]]:
    """One person a line, "单位 姓名" (or just 姓名); returns (unit, name) pairs."""
    people = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        parts = [p for p in ATTENDEE_SPLIT.split(line.strip()) if p]
        if not parts:
            continue
        unit, name = (" ".join(parts[:-1]), parts[-1])
        if len(name) > 50 or len(unit) > 100:
            raise ValidationError(_("第 %(n)d 行过长：单位不超过 100 字，姓名不超过 50 字。") % {"n": n})
        people.append((unit, name))
    return people


class SessionForm(TokenMixin, forms.Form):
    title = forms.CharField(label=_("现场办公名称"), max_length=200)
    unit = UnitField(label=_("组织单位"))
    owner = InstanceChoiceField(label=_("负责人（验收任务）"))
    place = UnitField(label=_("地点（区域）"))
    address = forms.CharField(label=_("详细地址"), max_length=200, required=False)
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    duration_minutes = forms.IntegerField(
        label=_("时长（分钟）"), min_value=1, max_value=DURATION_MAX_MINUTES, initial=120
    )
    officials = PeopleField(
        label=_("参加领导干部"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("负责人自动列入；按住 Ctrl 可多选。"),
    )
    attendees = TextField(
        label=_("其他参加人员"),
        rows=4,
        required=False,
        max_length=3000,
        help_text=_("每行一人：单位 姓名，例如「县住建局 王建国」；只有姓名也可以。"),
    )
    agenda = TextField(
        label=_("议题"),
        rows=4,
        required=False,
        max_length=TEXT_MAX_CHARS * 5,
        help_text=_("每行一个要现场研究解决的问题；之后也可以在现场办公页面添加。"),
    )
    submission_token = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"].set_units(access.organising_units(user).order_by("path"))
        self.fields["place"].set_units(units_in_scope(user).areas().order_by("path"))
        people = access.owner_choices(user)
        self.fields["owner"].set_objects(people, {p.pk: str(p) for p in people})
        self.fields["officials"].set_people(people)
        if not self.is_bound:
            self.initial.setdefault("owner", str(user.pk))
            self.initial.setdefault("date", timezone.localdate())
        self._init_token()

    def clean_attendees(self):
        return parse_attendees(self.cleaned_data["attendees"])

    def clean_agenda(self):
        lines = [line.strip() for line in self.cleaned_data["agenda"].splitlines()]
        for line in lines:
            if len(line) > TEXT_MAX_CHARS:
                raise ValidationError(_("每个议题不能超过 %(n)d 字。") % {"n": TEXT_MAX_CHARS})
        return [line for line in lines if line]


class AttendeeForm(TokenMixin, forms.Form):
    title = _("添加参加人员")
    submit_label = _("添加")
    unit_name = forms.CharField(label=_("单位"), max_length=100, required=False)
    name = forms.CharField(label=_("姓名"), max_length=50)
    submission_token = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("auto_id", "id_attendee_%s")
        super().__init__(*args, **kwargs)
        self._init_token()


class AgendaForm(TokenMixin, forms.Form):
    title = _("添加议题")
    submit_label = _("添加")
    problem = TextField(label=_("议题（问题）"), max_length=TEXT_MAX_CHARS, rows=3)
    appeal_code = forms.CharField(
        label=_("关联诉求查询码"), max_length=12, required=False, help_text=_("选填。")
    )
    ledger_problem = forms.IntegerField(
        label=_("关联台账问题编号"), min_value=1, required=False, help_text=_("选填。")
    )
    submission_token = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("auto_id", "id_agenda_%s")
        super().__init__(*args, **kwargs)
        self.user = user
        self._init_token()

    def clean_appeal_code(self):
        code = self.cleaned_data["appeal_code"].strip().upper()
        if not code:
            return None
        appeal = visible_appeals(self.user).filter(tracking_code=code).first()
        if appeal is None:
            raise ValidationError(_("没有查询码为 %(code)s 的诉求，或您无权查看。") % {"code": code})
        return appeal

    def clean_ledger_problem(self):
        number = self.cleaned_data["ledger_problem"]
        if number is None:
            return None
        problem = visible_problems(self.user).filter(pk=number).first()
        if problem is None:
            raise ValidationError(_("没有编号为 %(n)d 的台账问题，或您无权查看。") % {"n": number})
        return problem

    def action_kwargs(self) -> dict:
        d = super().action_kwargs()
        d["appeal"] = d.pop("appeal_code")
        return d


class DecisionForm(TokenMixin, forms.Form):
    title = _("记录决定事项并交办")
    submit_label = _("记录并交办")
    agenda_item = InstanceChoiceField(label=_("对应议题"), required=False)
    text = TextField(label=_("决定事项"), max_length=TEXT_MAX_CHARS, rows=3)
    units = UnitsField(
        label=_("责任单位"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("可多选：每个责任单位生成一项交办任务。"),
    )
    deadline = forms.DateField(
        label=_("办理时限（指定日期）"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    working_days = forms.IntegerField(
        label=_("或：现场办公后 N 个工作日内"),
        min_value=1,
        max_value=MAX_WORKING_DAYS,
        required=False,
        help_text=_("按工作日历计算，节假日不计；超出已公布节假日安排的时限标注「暂定」。"),
    )
    submission_token = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args, session, **kwargs):
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("auto_id", "id_decision_%s")
        super().__init__(*args, **kwargs)
        items = list(session.agenda_items.all())
        self.fields["agenda_item"].set_objects(
            items, {i.pk: f"{i.order}. {i.problem[:40]}" for i in items}, empty_label=_("（不对应议题）")
        )
        self.fields["units"].set_units(access.remit_units(session.owner).order_by("path"))
        self._init_token()

    def clean(self):
        data = super().clean()
        if (data.get("deadline") is None) == (data.get("working_days") is None) and not self.errors:
            raise ValidationError(_("请填写办理时限：指定日期或工作日天数，二选一。"))
        return data


class HoldForm(forms.Form):
    title = _("标记为已召开")
    submit_label = _("保存")
    summary = TextField(label=_("会议纪要"), max_length=5000, rows=5, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, session, **kwargs):
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("auto_id", "id_hold_%s")
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", session.version)
        self.initial.setdefault("summary", session.activity.summary)


# --- task actions ----------------------------------------------------------------------------


class TaskActionForm(TokenMixin, panel.ActionForm):
    """Base of the task action forms: with the version, a one-time token."""

    submission_token = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_token()

    @property
    def task(self):
        return self.target


class ProgressForm(EvidenceMixin, TaskActionForm):
    title = _("报送进展")
    progress = forms.IntegerField(label=_("进展(%)"), min_value=0, max_value=100)
    note = TextField(label=_("进展情况"), max_length=NOTE_MAX_CHARS, rows=3)
    evidence = MultipleFileField(label=_("佐证材料"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("progress", self.task.progress)


class SubmitForm(EvidenceMixin, TaskActionForm):
    title = _("办结，提请验收")
    note = TextField(label=_("办结情况"), max_length=NOTE_MAX_CHARS, rows=3)
    evidence = MultipleFileField(label=_("佐证材料"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].help_text = _("报送办结须有佐证材料；已上传过的可不再上传。")


class AcceptForm(TaskActionForm):
    title = _("验收通过")
    comment = TextField(label=_("验收意见"), max_length=NOTE_MAX_CHARS, rows=3, required=False)


class ReturnForm(TaskActionForm):
    title = _("退回重办")
    reason = TextField(label=_("退回理由"), max_length=NOTE_MAX_CHARS, rows=3)
