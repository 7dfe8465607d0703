"""Forms of the activity pages. They validate input and offer only what the user may choose;
the actions check the data again and write the change."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.appeals.access import desk_units
from grassroots.ledger.access import keeping_units
from grassroots.ledger.forms import leader_choices
from grassroots.ledger.models import DESCRIPTION_MAX_CHARS, Domain
from grassroots.lib.fields import InstanceChoiceField, MultipleFileField, TextField, UnitField
from grassroots.lib.uploads import UploadRejected, check_uploads
from grassroots.lib.validators import clean_phone_number

from . import access
from .models import CONCERN_MAX_CHARS, DURATION_MAX_MINUTES, QUESTION_MAX_CHARS, SUMMARY_MAX_CHARS, Kind


class OfficialsField(forms.MultipleChoiceField):
    """A multiple select over a fixed list of people; cleans to the chosen users."""

    def set_people(self, people, labels):
        self._people = {str(p.pk): p for p in people}
        self.choices = [(str(p.pk), labels[p.pk]) for p in people]

    def clean(self, value):
        return [self._people[v] for v in super().clean(value)]


class UploadsMixin:
    def clean_files(self):
        try:
            return check_uploads(self.cleaned_data["files"])
        except UploadRejected as e:
            raise ValidationError(str(e)) from None


def _token_field():
    return forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)


class TokenMixin:
    """A fresh one-time token on every unbound form: a resent submit finds what the first made."""

    def _fresh_token(self):
        if not self.is_bound:
            self.initial.setdefault("submission_token", uuid.uuid4().hex)


class ActivityForm(UploadsMixin, TokenMixin, forms.Form):
    kind = forms.ChoiceField(label=_("活动类型"), choices=Kind.choices)
    title = forms.CharField(label=_("活动名称"), max_length=200)
    unit = UnitField(label=_("组织单位"), help_text=_("决定谁能看到这条记录：本单位及上级单位。"))
    officials = OfficialsField(label=_("参加的领导干部"), help_text=_("可多选（按住 Ctrl 或 ⌘ 点选）。"))
    other_participants = forms.CharField(label=_("其他参加人员"), max_length=300, required=False)
    place = UnitField(label=_("地点（区域）"))
    address = forms.CharField(label=_("详细地址"), max_length=200, required=False)
    latitude = forms.DecimalField(
        label=_("纬度"), required=False, help_text=_("选填；-90 至 90，如 26.6617。")
    )
    longitude = forms.DecimalField(
        label=_("经度"), required=False, help_text=_("选填；-180 至 180，如 119.5475。")
    )
    date = forms.DateField(label=_("活动日期"), widget=forms.DateInput(attrs={"type": "date"}))
    duration_minutes = forms.IntegerField(
        label=_("时长（分钟）"),
        min_value=1,
        max_value=DURATION_MAX_MINUTES,
        error_messages={
            "min_value": _("活动时长应在 1 至 1440 分钟之间。"),
            "max_value": _("活动时长应在 1 至 1440 分钟之间。"),
        },
    )
    summary = TextField(label=_("活动纪要"), max_length=SUMMARY_MAX_CHARS, rows=6, required=False)
    outcome = TextField(label=_("成效与后续"), max_length=SUMMARY_MAX_CHARS, rows=3, required=False)
    outreach_topic = forms.CharField(label=_("宣讲主题"), max_length=200, required=False)
    policies = TextField(label=_("宣讲的政策"), max_length=SUMMARY_MAX_CHARS, rows=3, required=False)
    speaker = forms.CharField(label=_("宣讲人"), max_length=100, required=False)
    audience_count = forms.IntegerField(label=_("听众人数"), min_value=0, max_value=1_000_000, required=False)
    files = MultipleFileField(label=_("照片和材料"), required=False)
    submission_token = _token_field()
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def __init__(self, *args, user, activity=None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.user, self.activity = user, activity
        units = list(access.creating_units(user).order_by("path"))
        places = list(access.place_units(user).order_by("path"))
        people = list(access.eligible_officials(user))
        if activity is not None:  # keep the current values selectable even if outside the user's lists
            if activity.unit not in units:
                units.append(activity.unit)
            if activity.place not in places:
                places.append(activity.place)
            people += [p for p in activity.officials.all() if p not in people]
        self.fields["unit"].set_units(units)
        self.fields["place"].set_units(places)
        self.fields["officials"].set_people(people, access.official_labels(people))
        self.fields["officials"].widget.attrs["size"] = min(10, max(3, len(people)))
        if activity is not None:
            del self.fields["files"], self.fields["submission_token"]
            self.fields["version"].required = True
            if not self.is_bound:
                self.initial.update(
                    {name: getattr(activity, name) for name in self.fields if hasattr(activity, name)}
                )
                self.initial.update(
                    unit=str(activity.unit_id),
                    place=str(activity.place_id),
                    officials=[str(p.pk) for p in activity.officials.all()],
                )
        else:
            del self.fields["version"]
            self._fresh_token()
            if not self.is_bound:
                self.initial.update(date=timezone.localdate(), officials=[str(user.pk)])
                if units:
                    self.initial.setdefault("unit", str(units[0].pk))

    def clean(self):
        data = super().clean()
        if data.get("kind") == Kind.OUTREACH and not (data.get("outreach_topic") or "").strip():
            self.add_error("outreach_topic", _("宣讲活动请填写宣讲主题。"))
        return data

    def action_kwargs(self) -> dict:
        d = dict(self.cleaned_data)
        d.pop("submission_token", None)
        if self.activity is None:
            d["submission_token"] = self.cleaned_data.get("submission_token") or None
        return d


class FilesForm(UploadsMixin, TokenMixin, forms.Form):
    title = _("上传照片或材料")
    files = MultipleFileField(label=_("照片和材料"))
    submission_token = _token_field()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("auto_id", "id_files_%s")
        super().__init__(*args, **kwargs)
        self.fields["files"].error_messages["required"] = _("请选择要上传的照片或材料。")
        self._fresh_token()


class QuestionForm(TokenMixin, forms.Form):
    title = _("记录群众提问")
    question = TextField(label=_("群众提问"), max_length=QUESTION_MAX_CHARS, rows=3)
    answer = TextField(label=_("现场解答"), max_length=QUESTION_MAX_CHARS, rows=3, required=False)
    asker = forms.CharField(
        label=_("提问人"), max_length=100, required=False, help_text=_("选填，如“城东村村民”“退休教师”。")
    )
    submission_token = _token_field()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("auto_id", "id_question_%s")
        super().__init__(*args, **kwargs)
        self._fresh_token()


class ConcernForm(TokenMixin, forms.Form):
    title = _("记录群众诉求")
    content = TextField(label=_("群众反映的问题"), max_length=CONCERN_MAX_CHARS, rows=4)
    resident_name = forms.CharField(label=_("群众姓名"), max_length=50, required=False)
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=30,
        required=False,
        help_text=_("选填；加密保存，列表中只显示部分号码。"),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    submission_token = _token_field()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("auto_id", "id_concern_%s")
        super().__init__(*args, **kwargs)
        self._fresh_token()

    def clean_phone(self):
        return clean_phone_number(self.cleaned_data["phone"])


class ToAppealForm(forms.Form):
    """转为诉求: where to register it, and what the desk needs that the concern may lack."""

    registered_unit = UnitField(label=_("登记单位"))
    title = forms.CharField(label=_("诉求标题"), max_length=100)
    petitioner_name = forms.CharField(label=_("信访人姓名"), max_length=50)

    def __init__(self, *args, user, concern, **kwargs):
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("auto_id", f"id_appeal_{concern.pk}_%s")
        super().__init__(*args, **kwargs)
        self.concern = concern
        desks = desk_units(user)
        self.fields["registered_unit"].set_units(desks, empty_label=None)
        if not self.is_bound:
            self.initial.update(
                registered_unit=str(desks[0].pk) if desks else "",
                title=concern.content.splitlines()[0][:30],
                petitioner_name=concern.resident_name,
            )


class ToProblemForm(forms.Form):
    """列入问题清单: the ledger's fields, with the concern as the description."""

    domain = forms.ChoiceField(label=_("领域"), choices=Domain.choices)
    description = TextField(label=_("问题描述"), max_length=DESCRIPTION_MAX_CHARS - 300, rows=3)
    measures = TextField(label=_("整改措施"), max_length=DESCRIPTION_MAX_CHARS, rows=3, required=False)
    responsible_unit = UnitField(label=_("责任单位"))
    responsible_leader = InstanceChoiceField(label=_("责任领导"), required=False)
    deadline = forms.DateField(label=_("整改时限"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, concern, **kwargs):
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("auto_id", f"id_problem_{concern.pk}_%s")
        super().__init__(*args, **kwargs)
        self.concern = concern
        self.fields["responsible_unit"].set_units(keeping_units(user).order_by("path"))
        leaders = leader_choices(user)
        self.fields["responsible_leader"].set_objects(leaders, {u.pk: str(u) for u in leaders})
        if not self.is_bound:
            self.initial.update(description=concern.content)

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise ValidationError(_("整改时限不能早于今天。"))
        return deadline
