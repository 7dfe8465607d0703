import re
import uuid

from django import forms
from django.core.exceptions import ValidationError

from grassroots.accounts.access import units_in_scope
from grassroots.accounts.models import OrgUnit, Role, User
from grassroots.appeals.models import Channel
from grassroots.lib.validators import clean_mobile

from .models import ReceptionDay

TOKEN_RE = re.compile(r"[0-9a-f]{32}")


class TokenMixin:
    def _init_token(self):
        if not self.is_bound:
            self.initial.setdefault("submission_token", uuid.uuid4().hex)

    def clean_submission_token(self):
        token = self.cleaned_data["submission_token"]
        if not TOKEN_RE.fullmatch(token):
            raise ValidationError("表单已失效，请刷新页面后重新提交。")
        return token


class DayForm(forms.ModelForm):
    class Meta:
        model = ReceptionDay
        fields = [
            "leader",
            "unit",
            "date",
            "start_time",
            "end_time",
            "place_unit",
            "address",
            "topic",
            "notes",
            "capacity",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "start_time": forms.TimeInput(attrs={"type": "time"}),
            "end_time": forms.TimeInput(attrs={"type": "time"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = User.objects.filter(memberships__role=Role.LEADER).distinct()
        self.fields["leader"].label_from_instance = lambda u: str(u)
        scope = units_in_scope(user)
        self.fields["unit"].queryset = scope
        self.fields["place_unit"].queryset = OrgUnit.objects.areas()
        self.fields["capacity"].min_value = 1


class BookForm(TokenMixin, forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    phone = forms.CharField(
        label="手机号码", max_length=20, help_text="用于接收预约短信，取消预约需核对后四位。"
    )
    description = forms.CharField(
        label="想反映的事情（简要）",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "请把反映的事情控制在 500 字以内（现有 %(show_value)d 字）。"},
    )
    submission_token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")  # "姓名", not "姓名:"
        super().__init__(*args, **kwargs)
        self._init_token()

    def clean_phone(self):
        return clean_mobile(self.cleaned_data["phone"])

    def fresh_token(self):
        self.data = self.data.copy()
        self.data["submission_token"] = uuid.uuid4().hex


class CancelForm(forms.Form):
    code = forms.CharField(label="预约码", max_length=12)
    last4 = forms.CharField(label="手机号后四位", min_length=4, max_length=4)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class SessionAppealForm(TokenMixin, forms.Form):
    channel = forms.ChoiceField(
        label="渠道",
        choices=[(Channel.OUTREACH, Channel.OUTREACH.label), (Channel.VISIT, Channel.VISIT.label)],
    )
    title = forms.CharField(label="标题", max_length=100)
    content = forms.CharField(label="诉求内容", widget=forms.Textarea(attrs={"rows": 4}))
    petitioner_name = forms.CharField(label="信访人姓名", max_length=50)
    phone = forms.CharField(
        label="手机号码", max_length=20, required=False, help_text="从预约登记时可不填，使用预约时的手机号。"
    )
    place_unit = forms.ModelChoiceField(label="问题发生地", queryset=OrgUnit.objects.areas(), required=False)
    booking = forms.IntegerField(widget=forms.HiddenInput, required=False)
    submission_token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, booking=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_token()
        if booking is not None and not self.is_bound:
            # From a resident's booking: who they are and what they came about are already known.
            self.initial.update(
                channel=Channel.VISIT,
                petitioner_name=booking.name,
                content=booking.description,
                booking=booking.pk,
            )

    def clean_phone(self):
        return clean_mobile(self.cleaned_data["phone"])

    def clean(self):
        data = super().clean()
        if not data.get("phone") and not data.get("booking") and "phone" not in self.errors:
            self.add_error("phone", "请填写手机号码。")
        return data


class OwnershipForm(forms.Form):
    note = forms.CharField(label="包案说明", max_length=200, required=False)
