"""Forms of the staff pages: intake, and one small form per action on an appeal.

Forms only validate input and turn it into the keyword arguments of an action;
the action itself (actions.py) checks the law and writes the change.
"""

import uuid
from functools import reduce
from operator import or_

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.accounts.models import OrgUnit
from grassroots.lib import panel
from grassroots.lib.fields import EMPTY_LABEL, InstanceChoiceField, MultipleFileField, TextField, UnitField
from grassroots.lib.uploads import UploadRejected, check_uploads
from grassroots.lib.validators import clean_id_number, clean_phone_number
from grassroots.workcal.models import DeadlineRule

from . import actions, deadlines
from .access import desk_units, jurisdiction_units, served_area, visible_appeals
from .models import (
    CONTENT_MAX_CHARS,
    MAX_REPRESENTATIVES,
    Category,
    Channel,
    Delivery,
    Pause,
    RedirectRoute,
    ReviewDecision,
    Status,
)

# --- fields ---------------------------------------------------------------------------


def active_categories():
    """Active categories whose ancestors are active too, labelled with their full path."""
    categories = {c.pk: c for c in Category.objects.all()}
    result, labels = [], {}
    for c in categories.values():
        chain, node = [], c
        while node is not None:
            chain.append(node)
            node = categories.get(node.parent_id)
        if all(n.is_active for n in chain):
            labels[c.pk] = " / ".join(n.name for n in reversed(chain))
            result.append(c)
    result.sort(key=lambda c: labels[c.pk])
    return result, labels


def place_units(user):
    """Areas a desk serves: its own subtree, or for a department the area it hangs under."""
    roots = {served_area(unit).path for unit in desk_units(user)}
    if not roots:
        return []
    return list(
        OrgUnit.objects.areas()
        .filter(reduce(or_, (Q(path__startswith=p) for p in sorted(roots))))
        .order_by("path")
    )


# --- intake ------------------------------------------------------------------------------


class IntakeForm(forms.Form):
    channel = forms.ChoiceField(label=_("来源渠道"), choices=Channel.choices, initial=Channel.VISIT)
    title = forms.CharField(label=_("标题"), max_length=100)
    content = TextField(label=_("诉求内容"), max_length=CONTENT_MAX_CHARS, rows=8)
    category = InstanceChoiceField(label=_("诉求分类"), required=False)
    place_unit = UnitField(label=_("问题属地"), required=False)
    address = forms.CharField(label=_("详细地址"), max_length=200, required=False)
    petitioner_name = forms.CharField(label=_("信访人姓名"), max_length=50)
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    id_number = forms.CharField(
        label=_("身份证号码"),
        max_length=30,
        required=False,
        help_text=_("选填；18 位，末位可为 X。"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    is_group = forms.BooleanField(label=_("集体访"), required=False)
    headcount = forms.IntegerField(label=_("来访人数"), min_value=1, max_value=100000, initial=1)
    is_report = forms.BooleanField(
        label=_("检举揭发"), required=False, help_text=_("检举件不会交由被检举单位办理，被检举单位也看不到。")
    )
    accused_unit = UnitField(label=_("被检举单位"), required=False)
    attachments = MultipleFileField(label=_("附件"), required=False)
    registered_unit = UnitField(label=_("登记单位"))
    new_matter_reason = TextField(
        label=_("新的事实和理由"),
        max_length=2000,
        rows=3,
        required=False,
        help_text=_("该信访人的同一事项已复核终结时填写：说明为何属于新的事项（第三十六条）。"),
    )
    submission_token = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.user = user
        categories, labels = active_categories()
        self.fields["category"].set_objects(categories, labels)
        self.fields["place_unit"].set_units(place_units(user))
        self.fields["accused_unit"].set_units(OrgUnit.objects.order_by("path"))
        desks = desk_units(user)
        self.fields["registered_unit"].set_units(desks, empty_label=None)
        if desks:
            self.fields["registered_unit"].initial = str(desks[0].pk)
        if not self.is_bound:
            self.initial.setdefault("submission_token", uuid.uuid4().hex)
        limits = {"n": settings.ATTACHMENT_MAX_COUNT, "mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)}
        self.fields["attachments"].help_text = (
            _("JPG、PNG 图片或 PDF，最多 %(n)d 个，每个不超过 %(mb)d MB。") % limits
        )
        for i in range(1, MAX_REPRESENTATIVES + 1):
            name_label = _("代表 %(n)d 姓名") % {"n": i}
            phone_label = _("代表 %(n)d 电话") % {"n": i}
            self.fields[f"rep_name_{i}"] = forms.CharField(
                label=name_label,
                max_length=50,
                required=False,
                widget=forms.TextInput(attrs={"aria-label": name_label}),
            )
            self.fields[f"rep_phone_{i}"] = forms.CharField(
                label=phone_label,
                max_length=30,
                required=False,
                widget=forms.TextInput(
                    attrs={"type": "tel", "autocomplete": "off", "aria-label": phone_label},
                ),
            )

    def representative_rows(self):
        return [(self[f"rep_name_{i}"], self[f"rep_phone_{i}"]) for i in range(1, MAX_REPRESENTATIVES + 1)]

    def clean_phone(self):
        return clean_phone_number(self.cleaned_data["phone"])

    def clean_id_number(self):
        return clean_id_number(self.cleaned_data["id_number"])

    def clean_attachments(self):
        try:
            return check_uploads(self.cleaned_data["attachments"])
        except UploadRejected as e:
            raise ValidationError(str(e)) from None

    def clean(self):
        data = super().clean()
        representatives = []
        for i in range(1, MAX_REPRESENTATIVES + 1):
            name = (data.get(f"rep_name_{i}") or "").strip()
            phone = data.get(f"rep_phone_{i}") or ""
            try:
                phone = clean_phone_number(phone)
            except ValidationError as e:
                self.add_error(f"rep_phone_{i}", e)
                continue
            if phone and not name:
                self.add_error(f"rep_name_{i}", _("请填写代表姓名。"))
            elif name:
                representatives.append((name, phone))
        if data.get("is_group") and not representatives:
            self.add_error("rep_name_1", _("集体访请推选 1 至 5 名代表，并填写姓名。"))
        if not data.get("is_group") and representatives:
            self.add_error("is_group", _("填写了代表的，请勾选「集体访」；个人来访无需填写代表。"))
        data["representatives"] = representatives
        if data.get("is_report") and not data.get("accused_unit"):
            self.add_error("accused_unit", _("检举件请选择被检举单位，以便回避。"))
        if not data.get("is_report"):
            data["accused_unit"] = None
        return data

    def register_kwargs(self) -> dict:
        d = self.cleaned_data
        fields = (
            "registered_unit",
            "channel",
            "title",
            "content",
            "petitioner_name",
            "phone",
            "id_number",
            "category",
            "place_unit",
            "address",
            "is_group",
            "headcount",
            "representatives",
            "is_report",
            "accused_unit",
            "attachments",
            "new_matter_reason",
        )
        return {**{f: d[f] for f in fields}, "submission_token": d["submission_token"] or None}


# --- actions on an appeal -------------------------------------------------------------------


class ActionForm(panel.ActionForm):
    """Base of the action forms on an appeal."""

    @property
    def appeal(self):
        return self.target

    @staticmethod
    def applies(appeal) -> bool:
        return appeal.is_open


def _decision(yes, no):
    return forms.TypedChoiceField(
        label=_("决定"),
        choices=[("1", yes), ("0", no)],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )


def _at_desk(appeal):
    return appeal.status in (Status.REGISTERED, Status.OBJECTED)


class NotAcceptForm(ActionForm):
    title = _("不予受理")
    reason = TextField(
        label=_("不予受理的理由"),
        max_length=2000,
        rows=3,
        help_text=_("理由将告知信访人（信访工作条例第二十三条）。"),
    )
    route = forms.ChoiceField(
        label=_("告知信访人的处理途径"), choices=[("", EMPTY_LABEL), *RedirectRoute.choices]
    )
    organ = forms.CharField(
        label=_("有权处理的机关、单位"),
        max_length=100,
        required=False,
        help_text=_("告知信访人向哪个机关、单位提出，如“东城县人民法院”“东城县人力资源和社会保障局”。"),
    )
    applies = staticmethod(_at_desk)


class DispatchForm(ActionForm):
    title = _("交办")
    submit_label = _("交办")
    unit = UnitField(label=_("承办单位"))
    note = forms.CharField(label=_("交办意见"), max_length=500, required=False)
    applies = staticmethod(_at_desk)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        own = list(jurisdiction_units(self.appeal).order_by("path"))
        self.fields["unit"].set_unit_groups(own, OrgUnit.objects.exclude(pk__in=[u.pk for u in own]))
        if self.appeal.suggested_unit_id:
            self.initial.setdefault("unit", str(self.appeal.suggested_unit_id))


class CategorizeForm(ActionForm):
    title = _("确定分类")
    category = InstanceChoiceField(label=_("诉求分类"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        categories, labels = active_categories()
        self.fields["category"].set_objects(categories, labels)
        if self.appeal.category_id:
            self.initial.setdefault("category", str(self.appeal.category_id))

    @staticmethod
    def applies(appeal):
        return appeal.status not in (Status.NOT_ACCEPTED, Status.DUPLICATE)


class MarkDuplicateForm(ActionForm):
    title = _("认定重复件")
    original = forms.CharField(label=_("原件查询码"), max_length=20)
    applies = staticmethod(_at_desk)

    def clean_original(self):
        code = self.cleaned_data["original"].strip().upper()
        original = visible_appeals(self.user).filter(tracking_code=code).first()
        if original is None:
            raise ValidationError(_("找不到查询码为 %(code)s 的诉求，或您无权查看。") % {"code": code})
        return original


class ResolveObjectionForm(ActionForm):
    title = _("处理交办异议")
    upheld = _decision(_("异议成立，退回重新交办"), _("异议不成立，维持交办"))
    note = forms.CharField(label=_("说明"), max_length=500, required=False)

    @staticmethod
    def applies(appeal):
        return appeal.status == Status.OBJECTED


class InformForm(ActionForm):
    title = _("受理告知")
    note = TextField(
        label=_("告知信访人的内容"),
        max_length=2000,
        rows=3,
        help_text=_("收到交办后 15 日内告知信访人如何办理（第二十三条）。"),
    )

    @staticmethod
    def applies(appeal):
        return appeal.status == Status.DISPATCHED


class ObjectForm(ActionForm):
    title = _("提出交办异议")
    reason = TextField(
        label=_("异议理由"),
        max_length=2000,
        rows=3,
        help_text=_("收到交办后 5 个工作日内提出（第二十三条）。"),
    )

    @staticmethod
    def applies(appeal):
        return appeal.status == Status.DISPATCHED


class HandleForm(ActionForm):
    title = _("记录办理情况")
    note = TextField(label=_("办理情况"), max_length=2000, rows=3, help_text=_("仅内部可见。"))

    @staticmethod
    def applies(appeal):
        return appeal.status == Status.HANDLING


class RequestExtensionForm(ActionForm):
    title = _("申请延期")
    days = forms.IntegerField(label=_("延长天数"), min_value=1)
    reason = TextField(
        label=_("延期理由"),
        max_length=500,
        rows=2,
        help_text=_(
            "应在期限届满前申请；经单位负责人批准可以适当延长，"
            "延长期限不得超过 30 日（第三十四条）；理由将告知信访人。"
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rule = DeadlineRule.objects.filter(key=deadlines.EXTENSION_MAX).first()
        if rule:
            self.fields["days"].max_value = rule.days
            self.fields["days"].widget.attrs["max"] = rule.days
            self.fields["days"].validators.append(MaxValueValidator(rule.days))
            self.fields["days"].help_text = _("最多 %(n)d 日。") % {"n": rule.days}

    @staticmethod
    def applies(appeal):
        return appeal.status == Status.HANDLING and not appeal.extended and not appeal.extension_pending_days


class DecideExtensionForm(ActionForm):
    title = _("审批延期")
    approve = _decision(_("批准延期"), _("不批准"))
    note = forms.CharField(label=_("审批意见"), max_length=500, required=False)

    @staticmethod
    def applies(appeal):
        return appeal.status == Status.HANDLING and bool(appeal.extension_pending_days)


class RecordPauseForm(ActionForm):
    title = _("期限中止")
    ground = InstanceChoiceField(label=_("中止事由"))
    first_day = forms.DateField(
        label=_("中止开始日"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("自登记之日起中止；补记此前的日期须经信访督办员同意。"),
    )
    last_day = forms.DateField(label=_("中止结束日"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("说明"), max_length=200, help_text=_("如听证的时间、地点。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        grounds = actions.pause_grounds(self.appeal)
        self.fields["ground"].set_objects(grounds, {g.pk: str(g) for g in grounds})
        self.initial.setdefault("first_day", timezone.localdate())

    @staticmethod
    def applies(appeal):
        return appeal.is_open and bool(actions.pause_grounds(appeal))

    def clean(self):
        data = super().clean()
        if data.get("first_day") and data.get("last_day") and data["last_day"] < data["first_day"]:
            self.add_error("last_day", _("结束日期不能早于开始日期。"))
        return data


class DecidePauseForm(ActionForm):
    title = _("审核补记的期限中止")
    pause = InstanceChoiceField(label=_("待同意的中止"))
    approve = _decision(_("同意补记"), _("不同意"))
    note = forms.CharField(label=_("意见"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        pending = list(self.appeal.pauses.filter(state=Pause.State.PENDING).select_related("ground"))
        labels = {
            p.pk: f"{p.first_day:%Y-%m-%d} 至 {p.last_day:%Y-%m-%d}：{p.ground}，{p.reason}" for p in pending
        }
        self.fields["pause"].set_objects(pending, labels, empty_label=None)

    @staticmethod
    def applies(appeal):
        return appeal.pauses.filter(state=Pause.State.PENDING).exists()


class RecordDeliveryForm(ActionForm):
    title = _("登记送达")
    method = forms.ChoiceField(
        label=_("送达方式"), choices=[c for c in Delivery.Method.choices if c[0] != Delivery.Method.PORTAL]
    )
    delivered_on = forms.DateField(
        label=_("送达日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("信访人收到书面意见的日期（邮寄以回执为准）；申请复查、复核的 30 日自此起算。"),
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False, help_text=_("如邮件单号。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("delivered_on", timezone.localdate())

    @staticmethod
    def applies(appeal):
        return actions.latest_document(appeal) is not None


class ReplyForm(ActionForm):
    title = _("书面答复")
    extra_template = "appeals/_reply_hints.html"
    text = TextField(
        label=_("答复意见"),
        max_length=CONTENT_MAX_CHARS,
        rows=6,
        help_text=_("答复后信访人可评价，并可在 30 日内申请复查。"),
    )

    @staticmethod
    def applies(appeal):
        return appeal.status == Status.HANDLING


class CloseForm(ActionForm):
    title = _("办结")
    note = forms.CharField(label=_("办结说明"), max_length=500, required=False)

    @staticmethod
    def applies(appeal):
        return appeal.status in (Status.REPLIED, Status.REVIEWED)


class RequestReviewForm(ActionForm):
    title = _("登记复查/复核申请")
    reason = TextField(
        label=_("申请理由"),
        max_length=2000,
        rows=3,
        help_text=_("信访人书面提出复查（复核）请求的，由工作人员代为登记。"),
    )

    @staticmethod
    def applies(appeal):
        return actions.review_stage_open(appeal) is not None


class AssignReviewForm(ActionForm):
    title = _("分办复查/复核")
    submit_label = _("分办")
    handler = InstanceChoiceField(label=_("承办人"))
    note = forms.CharField(label=_("分办意见"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = list(actions.review_handlers(self.appeal))
        self.fields["handler"].set_objects(people, {p.pk: str(p) for p in people})
        self.fields["handler"].help_text = _(
            "复查（复核）机关的工作人员；作出原答复的单位不能复查自己的答复。"
        )

    @staticmethod
    def applies(appeal):
        return appeal.status in (Status.REVIEWING, Status.RECHECKING) and appeal.review_unit_id is not None


class DecideReviewForm(ActionForm):
    title = _("出具复查/复核意见")
    decision = forms.ChoiceField(label=_("结论"), choices=ReviewDecision.choices, widget=forms.RadioSelect)
    text = TextField(label=_("意见与理由"), max_length=CONTENT_MAX_CHARS, rows=6)

    @staticmethod
    def applies(appeal):
        return appeal.status in (Status.REVIEWING, Status.RECHECKING)


class SuperviseForm(ActionForm):
    title = _("督办")
    submit_label = _("发送督办通知")
    note = TextField(label=_("督办意见"), max_length=1000, rows=3)

    @staticmethod
    def applies(appeal):
        return appeal.is_open and appeal.handling_unit_id is not None

    def action_kwargs(self):
        # a 督办 notice is valid on any version of the appeal: actions.supervise takes no version
        return {"note": self.cleaned_data["note"]}
