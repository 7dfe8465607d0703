import re
import unicodedata
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from grassroots.accounts.models import Level, OrgUnit, UnitKind
from grassroots.appeals.models import CONTENT_MAX_CHARS, Category, Rating
from grassroots.lib.fields import grouped_by_level
from grassroots.lib.uploads import UploadRejected, check_uploads, upload_help
from grassroots.lib.validators import clean_id_number, clean_mobile

# Bidirectional overrides and isolates: used to make text read differently than it is stored.
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def strip_controls(value: str, multiline: bool = False) -> str:
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    keep = {"\n", "\t"} if multiline else set()
    return "".join(
        ch for ch in value if ch in keep or (unicodedata.category(ch) != "Cc" and ch not in BIDI_CONTROLS)
    )


class CleanTextField(forms.CharField):
    """A CharField without control characters; whitespace only counts as empty."""

    def __init__(self, *, multiline=False, **kwargs):
        self.multiline = multiline
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return strip_controls(value, self.multiline).strip() if value else value


def _required(what):
    return {"required": f"请填写{what}。"}


def _too_long(what):
    return {"max_length": what + "不能超过 %(limit_value)d 字（现有 %(show_value)d 字）。"}


class UnitChoiceField(forms.ModelChoiceField):
    """Org units labelled with their chain of names ("东城县 城关镇 城东村")."""

    labels: dict | None = None  # set by the form: one query for the whole tree

    def label_from_instance(self, obj):
        return (self.labels or {}).get(obj.pk, obj.name)


def unit_labels():
    """{unit id: "东城县 城关镇 城东村"} for the whole tree in one query; a name that already
    starts with its parent's ("东城县信访局") is not prefixed again."""
    units = {u.pk: u for u in OrgUnit.objects.only("pk", "name", "level", "path")}
    labels = {}
    for pk, unit in units.items():
        chain = [units[int(i)] for i in unit.path.strip("/").split("/") if i and int(i) in units]
        names = [u.name for u in chain if u.level >= Level.COUNTY or u.pk == pk]
        names = [n for n, after in zip(names, [*names[1:], ""], strict=True) if not after.startswith(n)]
        labels[pk] = " ".join(names)
    return labels


class PortalForm(forms.Form):
    required_css_class = "required"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        cleaned = []
        for f in files:
            cleaned.append(super().clean(f, initial))
        return cleaned


class SubmitForm(PortalForm):
    title = CleanTextField(
        label="标题", max_length=100, error_messages={**_required("标题"), **_too_long("标题")}
    )
    content = CleanTextField(
        label="诉求内容",
        multiline=True,
        max_length=CONTENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 8, "data-count-limit": CONTENT_MAX_CHARS}),
        help_text=f"请写清楚时间、地点、事情经过和您的诉求，不超过 {CONTENT_MAX_CHARS} 字。",
        error_messages={**_required("诉求内容"), **_too_long("诉求内容")},
    )
    category = forms.ModelChoiceField(
        label="问题类别",
        required=False,
        queryset=Category.objects.none(),
        empty_label="（不确定可不选）",
    )
    place_unit = UnitChoiceField(
        label="问题发生地（乡镇/村）",
        required=False,
        queryset=OrgUnit.objects.none(),
        empty_label="（请选择，可不选）",
    )
    address = CleanTextField(
        label="详细地址", required=False, max_length=200, error_messages=_too_long("详细地址")
    )
    petitioner_name = CleanTextField(
        label="您的姓名", max_length=50, error_messages={**_required("姓名"), **_too_long("姓名")}
    )
    phone = forms.CharField(
        label="手机号码",
        max_length=20,
        error_messages=_required("手机号码"),
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "tel"}),
        help_text="用于接收查询码和办理结果短信，查询进度时需要后四位。",
    )
    id_number = forms.CharField(label="身份证号码（可不填）", required=False, max_length=30)
    is_report = forms.BooleanField(label="这是检举（反映单位或工作人员的问题）", required=False)
    accused_unit = UnitChoiceField(
        label="被检举单位",
        required=False,
        queryset=OrgUnit.objects.none(),
        empty_label="（请选择）",
        help_text="检举件不会交给被检举单位办理。",
    )
    attachments = AttachmentsField(
        label="附件（可不传）",
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
        help_text=upload_help(),
    )
    submission_token = forms.CharField(widget=forms.HiddenInput)
    # A honeypot: hidden from people by CSS, filled in by bots that fill every field.
    website = forms.CharField(
        label="请勿填写此项",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No maxlength on the textarea: browsers cut pasted text silently; the server says how much.
        self.fields["content"].widget.attrs.pop("maxlength", None)
        self.fields["category"].queryset = (
            Category.objects.filter(is_active=True, level__lte=2)
            .filter(Q(level=1) | Q(parent__is_active=True))
            .select_related("parent")
        )
        self.fields["category"].label_from_instance = lambda c: c.full_name
        labels = unit_labels()
        place = self.fields["place_unit"]
        place.queryset = OrgUnit.objects.filter(
            kind=UnitKind.AREA,
            level__in=[Level.TOWNSHIP, Level.VILLAGE],
        ).order_by("path")
        accused = self.fields["accused_unit"]
        accused.queryset = OrgUnit.objects.order_by("path")
        place.labels = accused.labels = labels
        # residents find the unit by typing its name, among units grouped by level in tree order
        accused.choices = [("", accused.empty_label), *grouped_by_level(accused.queryset, labels)]
        accused.widget.attrs["data-search"] = "输入名称筛选单位"
        if not self.is_bound:
            self.initial.setdefault("submission_token", uuid.uuid4().hex)

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def clean_submission_token(self):
        token = self.cleaned_data["submission_token"]
        if not re.fullmatch(r"[0-9a-f]{32}", token):
            raise ValidationError("表单已失效，请刷新页面后重新提交。")
        return token

    def clean_phone(self):
        return clean_mobile(self.cleaned_data["phone"])

    def clean_id_number(self):
        return clean_id_number(self.cleaned_data["id_number"])

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        try:
            return check_uploads(files)
        except UploadRejected as e:
            raise ValidationError(str(e)) from None

    def clean(self):
        data = super().clean()
        if data.get("is_report") and not data.get("accused_unit"):
            self.add_error("accused_unit", "检举件请选择被检举单位，以便回避。")
        if not data.get("is_report"):
            data["accused_unit"] = None
        return data

    def fresh_token(self):
        """After a rejected token, give the re-rendered form a new one."""
        self.data = self.data.copy()
        self.data["submission_token"] = uuid.uuid4().hex


class TrackForm(PortalForm):
    code = forms.CharField(
        label="查询码",
        max_length=20,
        error_messages=_required("查询码"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    last4 = forms.CharField(
        label="手机号后四位",
        max_length=4,
        min_length=4,
        error_messages={
            **_required("手机号后四位"),
            "min_length": "请填写手机号码的后四位数字。",
            "max_length": "请填写手机号码的后四位数字。",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


ANSWER_NAMES = {
    "reply": "答复意见",
    "review": "复查意见",
    "recheck": "复核意见",
    "redo": "重新办理后的答复意见",
}


class RateForm(PortalForm):
    """The rating of the written answer the petitioner has now (`stage`, see actions.rated_stage)."""

    score = forms.ChoiceField(
        label="您对答复意见是否满意",
        choices=Rating.Score.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "请选择满意、基本满意或不满意。",
            "invalid_choice": "请选择满意、基本满意或不满意。",
        },
    )

    def __init__(self, *args, stage="reply", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["score"].label = f"您对{ANSWER_NAMES.get(stage, '答复意见')}是否满意"

    comment = CleanTextField(
        label="意见（可不填）",
        multiline=True,
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_too_long("评价意见"),
    )


class ReviewForm(PortalForm):
    reason = CleanTextField(
        label="申请理由",
        multiline=True,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={**_required("申请理由"), **_too_long("申请理由")},
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={
            "required": "页面已过期，请刷新后重试。",
            "invalid": "页面已过期，请刷新后重试。",
            "min_value": "页面已过期，请刷新后重试。",
        },
    )
