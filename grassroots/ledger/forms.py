"""Forms of the ledger pages: a problem, the actions on it, and the Excel import."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from grassroots.accounts.access import units_in_scope
from grassroots.accounts.models import Role, User
from grassroots.appeals.access import visible_appeals
from grassroots.lib import panel
from grassroots.lib.fields import EMPTY_LABEL, InstanceChoiceField, MultipleFileField, TextField, UnitField
from grassroots.lib.uploads import UploadRejected, check_uploads

from .access import keeping_units
from .models import DESCRIPTION_MAX_CHARS, Domain, Source

LEADER_ROLES = {Role.LEADER, Role.UNIT_HEAD}


def leader_choices(user):
    """People who may be named responsible leader: heads and leaders within the user's scope."""
    return list(
        User.objects.filter(memberships__unit__in=units_in_scope(user), memberships__role__in=LEADER_ROLES)
        .distinct()
        .order_by("display_name", "username")
    )


class EvidenceMixin:
    def clean_evidence(self):
        try:
            return check_uploads(self.cleaned_data["evidence"])
        except UploadRejected as e:
            raise ValidationError(str(e)) from None


class ProblemForm(EvidenceMixin, forms.Form):
    source = forms.ChoiceField(label=_("问题来源"), choices=Source.choices)
    appeal_code = forms.CharField(
        label=_("关联诉求查询码"),
        max_length=12,
        required=False,
        help_text=_("选填；来自诉求或热点的问题可填写。"),
    )
    # no default: a problem opened from an appeal or a task must not quietly become 就业
    domain = forms.ChoiceField(label=_("领域"), choices=[("", EMPTY_LABEL), *Domain.choices])
    place = UnitField(label=_("属地"), required=False)
    address = forms.CharField(label=_("详细地址"), max_length=200, required=False)
    description = TextField(label=_("问题描述"), max_length=DESCRIPTION_MAX_CHARS, rows=5)
    measures = TextField(label=_("整改措施"), max_length=DESCRIPTION_MAX_CHARS, rows=5, required=False)
    responsible_unit = UnitField(label=_("责任单位"))
    responsible_leader = InstanceChoiceField(label=_("责任领导"), required=False)
    deadline = forms.DateField(label=_("整改时限"), widget=forms.DateInput(attrs={"type": "date"}))
    progress = forms.IntegerField(label=_("进展(%)"), min_value=0, max_value=100, initial=0)
    evidence = MultipleFileField(label=_("佐证材料"), required=False)
    submission_token = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def __init__(self, *args, user, problem=None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.user, self.problem = user, problem
        self.fields["place"].set_units(units_in_scope(user).areas().order_by("path"))
        units = list(keeping_units(user).order_by("path"))
        leaders = leader_choices(user)
        if problem is not None:  # keep the current values selectable even if outside the user's lists
            if problem.responsible_unit not in units:
                units.append(problem.responsible_unit)
            if problem.responsible_leader and problem.responsible_leader not in leaders:
                leaders.append(problem.responsible_leader)
        self.fields["responsible_unit"].set_units(units)
        self.fields["responsible_leader"].set_objects(leaders, {u.pk: str(u) for u in leaders})
        if problem is not None:
            del self.fields["progress"], self.fields["evidence"], self.fields["submission_token"]
            self.fields["version"].required = True
            if not self.is_bound:
                self.initial.update(
                    source=problem.source,
                    appeal_code=problem.appeal.tracking_code if problem.appeal else "",
                    domain=problem.domain,
                    place=str(problem.place_id or ""),
                    address=problem.address,
                    description=problem.description,
                    measures=problem.measures,
                    responsible_unit=str(problem.responsible_unit_id),
                    responsible_leader=str(problem.responsible_leader_id or ""),
                    deadline=problem.deadline,
                    version=problem.version,
                )
        else:
            del self.fields["version"]
            if not self.is_bound:
                self.initial.setdefault("submission_token", uuid.uuid4().hex)

    def clean_appeal_code(self):
        code = self.cleaned_data["appeal_code"].strip().upper()
        if not code:
            return None
        appeal = visible_appeals(self.user).filter(tracking_code=code).first()
        if appeal is None:
            raise ValidationError(_("没有查询码为 %(code)s 的诉求，或您无权查看。") % {"code": code})
        if appeal.is_report:  # the ledger is read by the responsible unit, maybe the one complained about
            raise ValidationError(_("检举类诉求不能关联到问题清单。"))
        return appeal

    def action_kwargs(self) -> dict:
        d = dict(self.cleaned_data)
        d["appeal"] = d.pop("appeal_code")
        d.pop("submission_token", None)
        if self.problem is None:
            d["submission_token"] = self.cleaned_data.get("submission_token") or None
        return d


class ActionForm(panel.ActionForm):
    """Base of the action forms on a problem."""

    @property
    def problem(self):
        return self.target


class ProgressForm(EvidenceMixin, ActionForm):
    title = _("更新进展")
    progress = forms.IntegerField(label=_("进展(%)"), min_value=0, max_value=100)
    note = TextField(label=_("进展情况"), max_length=DESCRIPTION_MAX_CHARS, rows=3)
    evidence = MultipleFileField(label=_("佐证材料"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("progress", self.problem.progress)


class DoneForm(EvidenceMixin, ActionForm):
    title = _("整改完成，提请验收")
    note = TextField(label=_("完成情况"), max_length=DESCRIPTION_MAX_CHARS, rows=3)
    evidence = MultipleFileField(label=_("佐证材料"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].help_text = _("提请验收须有佐证材料；已上传过的可不再上传。")


class AcceptForm(ActionForm):
    title = _("验收通过")
    comment = TextField(label=_("验收意见"), max_length=DESCRIPTION_MAX_CHARS, rows=3, required=False)


class ReturnForm(ActionForm):
    title = _("验收不通过，退回整改")
    comment = TextField(label=_("退回理由"), max_length=DESCRIPTION_MAX_CHARS, rows=3)


class CloseForm(ActionForm):
    title = _("销号")
    comment = TextField(label=_("销号意见"), max_length=DESCRIPTION_MAX_CHARS, rows=3, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("台账文件（.xlsx）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        help_text=_("格式与导出的台账相同（表头在前 3 行内）；不超过 5 MB。"),
    )
    only_good = forms.BooleanField(label=_("只导入无误的行"), required=False)
    # sent by the 预览 button: read and check the file, show what an import would do, write nothing
    dry_run = forms.BooleanField(required=False)
    # One-time token: a double-clicked 导入 imports the file once (see views.import_view).
    submission_token = forms.RegexField(
        regex=r"^[0-9a-f]{32}$",
        widget=forms.HiddenInput,
        error_messages={
            "required": _("表单已失效，请刷新页面后重新导入。"),
            "invalid": _("表单已失效，请刷新页面后重新导入。"),
        },
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_token", uuid.uuid4().hex)
