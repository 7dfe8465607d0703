"""Forms of the commitment pages: staff's commitment and progress forms, residents' follow forms."""

import re
import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from grassroots.lib.fields import MultipleFileField, TextField, UnitField
from grassroots.lib.uploads import UploadRejected
from grassroots.lib.validators import clean_mobile

from . import access
from .images import check_public_image
from .models import CONTENT_MAX_CHARS, NOTE_MAX_CHARS

TOKEN_RE = re.compile(r"[0-9a-f]{32}")


class CommitmentForm(forms.Form):
    content = TextField(
        label=_("承诺内容"),
        max_length=CONTENT_MAX_CHARS,
        rows=4,
        help_text=_("向群众公开。写明要办成什么事，不要写群众姓名、电话等个人信息。"),
    )
    due_date = forms.DateField(
        label=_("承诺时限"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    responsible_unit = UnitField(label=_("责任单位"))
    responsible_person = forms.CharField(
        label=_("责任人"), max_length=50, help_text=_("公开显示，例如“城关镇镇长 张三”。")
    )
    place = UnitField(label=_("承诺地点"), help_text=_("承诺显示在该地及其上级地方的公开承诺栏。"))
    submission_token = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def __init__(self, *args, user, commitment=None, defaults=None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.commitment = commitment
        units = list(access.drafting_units(user).order_by("path"))
        places = list(access.place_choices(user).order_by("path"))
        current = commitment or _Defaults(defaults or {})
        # keep the current values selectable even if outside the user's lists
        if current.responsible_unit is not None and current.responsible_unit not in units:
            units.append(current.responsible_unit)
        if current.place is not None and current.place not in places:
            places.append(current.place)
        self.fields["responsible_unit"].set_units(units)
        self.fields["place"].set_units(places)
        if commitment is not None:
            del self.fields["submission_token"]
            self.fields["version"].required = True
            if not self.is_bound:
                self.initial.update(_initial(commitment), version=commitment.version)
        else:
            del self.fields["version"]
            if not self.is_bound:
                self.initial.update(_initial(current))
                self.initial.setdefault("submission_token", uuid.uuid4().hex)

    def action_kwargs(self) -> dict:
        d = dict(self.cleaned_data)
        d.pop("submission_token", None)
        if self.commitment is None:
            d["submission_token"] = self.cleaned_data.get("submission_token") or None
        return d


class _Defaults:
    """Initial values of a new commitment (from its source), read like a commitment's attributes."""

    def __init__(self, values):
        self.content = values.get("content", "")
        self.due_date = values.get("due_date")
        self.responsible_unit = values.get("responsible_unit")
        self.responsible_person = values.get("responsible_person", "")
        self.place = values.get("place")


def _initial(c) -> dict:
    return {
        "content": c.content,
        "due_date": c.due_date,
        "responsible_unit": str(c.responsible_unit.pk) if c.responsible_unit else "",
        "responsible_person": c.responsible_person,
        "place": str(c.place.pk) if c.place else "",
    }


class PublishForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


def images_help():
    limits = {"n": settings.ATTACHMENT_MAX_COUNT, "mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)}
    return _("JPG、PNG 图片，最多 %(n)d 张，每张不超过 %(mb)d MB；公开前会去除照片中的位置等信息。") % limits


class UpdateForm(forms.Form):
    """发布进展. Progress is typed only for a standalone commitment; a sourced one follows its source."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    progress = forms.IntegerField(label=_("进展(%)"), min_value=0, max_value=100)
    note = TextField(
        label=_("进展说明"),
        max_length=NOTE_MAX_CHARS,
        rows=3,
        help_text=_("向群众公开，请用平实的话说明办到了哪一步；不要写内部意见或个人信息。"),
    )
    images = MultipleFileField(label=_("佐证图片"), required=False)
    source_images = forms.TypedMultipleChoiceField(
        label=_("从来源材料中选择公开的图片"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, commitment, source, **kwargs):
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("auto_id", "id_update_%s")
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", commitment.version)
        if source.manual_progress and commitment.fulfilled_at is None:
            self.initial.setdefault("progress", commitment.progress)
            self.fields["progress"].help_text = _("填 100 表示承诺已兑现。")
        else:
            del self.fields["progress"]
        self.fields["images"].widget.attrs["accept"] = ".jpg,.jpeg,.png"
        self.fields["images"].help_text = images_help()
        candidates = list(source.evidence_images())
        if candidates:
            self.fields["source_images"].choices = [(e.pk, e.original_name) for e in candidates]
        else:
            del self.fields["source_images"]

    def clean_images(self):
        """(file, content type) of each upload; the action re-encodes them without their metadata."""
        files = self.cleaned_data["images"]
        if len(files) > settings.ATTACHMENT_MAX_COUNT:
            raise ValidationError(_("图片最多 %(n)d 张。") % {"n": settings.ATTACHMENT_MAX_COUNT})
        try:
            return [(f, check_public_image(f)) for f in files]
        except UploadRejected as e:
            raise ValidationError(str(e)) from None

    def action_kwargs(self) -> dict:
        return dict(self.cleaned_data)


# --- residents -------------------------------------------------------------------------------


class FollowForm(forms.Form):
    phone = forms.CharField(
        label=_("手机号码"),
        max_length=20,
        help_text=_("有进展或逾期时短信通知您；号码加密保存，不公开。"),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "numeric"}),
    )
    submission_token = forms.CharField(
        widget=forms.HiddenInput, error_messages={"required": _("表单已失效，请刷新页面后重新提交。")}
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_token", uuid.uuid4().hex)

    def clean_phone(self):
        return clean_mobile(self.cleaned_data["phone"])

    def clean_submission_token(self):
        token = self.cleaned_data["submission_token"]
        if not TOKEN_RE.fullmatch(token):
            raise ValidationError(_("表单已失效，请刷新页面后重新提交。"))
        return token

    def fresh_token(self):
        self.data = self.data.copy()
        self.data["submission_token"] = uuid.uuid4().hex


class UnfollowForm(forms.Form):
    code = forms.CharField(label=_("退订码"), max_length=12, help_text=_("关注时收到的短信中的退订码。"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
