import re
import uuid
from datetime import date

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from grassroots.accounts.models import OrgUnit, Role, UnitKind, User
from grassroots.appeals.models import Category
from grassroots.workcal.models import DeadlineRule

from .tree import category_tree, unit_tree

WEEKDAYS = "一二三四五六日"


class OnceForm(forms.Form):
    """A create form: its one-time token lets a double-clicked submit land where the first went."""

    submission_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission_token"].initial = uuid.uuid4().hex

    def cleaned_data_without_token(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "submission_token"}


# --- tree-shaped choices -----------------------------------------------------------


class _TreeIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.in_tree_order(self.queryset):
            yield self.choice(obj)


class UnitField(forms.ModelChoiceField):
    iterator = _TreeIterator

    def __init__(self, queryset=None, **kwargs):
        super().__init__(queryset if queryset is not None else OrgUnit.objects.all(), **kwargs)

    def in_tree_order(self, queryset):
        return unit_tree(queryset)

    def label_from_instance(self, obj):
        depth = getattr(obj, "depth", 0)
        suffix = "（部门）" if obj.kind == UnitKind.DEPARTMENT else ""
        return f"{'　' * depth}{obj.name}{suffix}"


class CategoryField(forms.ModelChoiceField):
    iterator = _TreeIterator

    def __init__(self, queryset=None, **kwargs):
        super().__init__(queryset if queryset is not None else Category.objects.all(), **kwargs)

    def in_tree_order(self, queryset):
        return category_tree(queryset, Category.objects.all())

    def label_from_instance(self, obj):
        return f"{'　' * (obj.level - 1)}{obj.name}{'' if obj.is_active else '（已停用）'}"


# --- 组织机构 -------------------------------------------------------------------------


class UnitRenameForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)


class UnitChildForm(OnceForm):
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=UnitKind.choices,
        initial=UnitKind.AREA,
        help_text=_("行政区域的层级为上级加一；职能部门与所服务的区域同级。"),
    )


class UnitMoveForm(forms.Form):
    parent = UnitField(
        OrgUnit.objects.areas(),
        label=_("新的上级单位"),
        help_text=_("区划调整时使用：本单位及其下级单位一并移动，人员的可见范围随之改变。"),
    )

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = OrgUnit.objects.areas().exclude(path__startswith=unit.path)


class ReviewOrganForm(forms.Form):
    organ = UnitField(
        label=_("复查（复核）机关"),
        required=False,
        empty_label=_("上一级单位（默认）"),
        help_text=_("没有上级单位的单位必须配置：信访人对其书面意见不服时，向该机关申请复查、复核。"),
    )

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organ"].queryset = OrgUnit.objects.exclude(path__startswith=unit.path)


# --- 用户与角色 -----------------------------------------------------------------------


class UserCreateForm(OnceForm):
    username = forms.CharField(
        label=_("登录名"),
        max_length=150,
        help_text=_("字母、数字和 @ . + - _，登录时使用。"),
        validators=[User.username_validator],
    )
    display_name = forms.CharField(label=_("姓名"), max_length=50)
    email = forms.EmailField(label=_("电子邮箱"), required=False, help_text=_("用于接收交办、临期等通知。"))
    phone = forms.CharField(label=_("办公电话"), max_length=30, required=False)
    password = forms.CharField(
        label=_("初始密码"),
        widget=forms.PasswordInput(render_value=False),
        min_length=8,
        help_text=_("至少 8 位，请告知本人登录后修改。"),
    )


class PostForm(forms.Form):
    post = forms.CharField(label=_("职务"), max_length=30, required=False)


class MembershipForm(forms.Form):
    unit = UnitField(label=_("单位"))
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    post = forms.CharField(
        label=_("职务"),
        max_length=30,
        required=False,
        help_text=_("如 市委书记、市长、县委书记、县长、副县长、镇长；领导干部的接访日要求按职务确定。"),
    )


# --- 诉求分类 -------------------------------------------------------------------------


class CategoryNameForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=50)


class CategoryCreateForm(OnceForm, CategoryNameForm):
    pass


# --- 派单目录 -------------------------------------------------------------------------


class DispatchFilterForm(forms.Form):
    category = CategoryField(label=_("分类"), required=False, empty_label=_("全部分类"))
    area = UnitField(OrgUnit.objects.areas(), label=_("区域"), required=False, empty_label=_("全部区域"))
    unit = UnitField(label=_("承办单位"), required=False, empty_label=_("全部单位"))

    def filter(self, rules):
        if not self.is_valid():
            return rules
        for field in ("category", "area", "unit"):
            if self.cleaned_data.get(field):
                rules = rules.filter(**{field: self.cleaned_data[field]})
        return rules


class DispatchRuleForm(OnceForm):
    category = CategoryField(
        Category.objects.filter(is_active=True),
        label=_("分类"),
        help_text=_("上级分类的条目也适用于其下级分类，最具体的条目优先。"),
    )
    area = UnitField(
        OrgUnit.objects.areas(),
        label=_("区域"),
        help_text=_("问题属地在该区域或其下级区域时适用，最近的区域优先。"),
    )
    unit = UnitField(label=_("承办单位"))


class DispatchUnitForm(forms.Form):
    unit = UnitField(label=_("承办单位"))


# --- 工作日历与时限 ---------------------------------------------------------------------

DAY_KINDS = [("off", _("休")), ("work", _("班"))]


def check_day(day: date, is_workday: bool, year: int) -> str:
    """Why this entry cannot be saved, or ""."""
    if day.year != year:
        return f"{day:%Y-%m-%d} 不在 {year} 年内"
    if is_workday and day.weekday() < 5:
        weekday = WEEKDAYS[day.weekday()]
        return f"{day:%Y-%m-%d} 是星期{weekday}，本来就是工作日；「班」只用于周六、周日的调休上班"
    return ""


class CalendarDayForm(OnceForm):
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    kind = forms.ChoiceField(label=_("类型"), choices=DAY_KINDS, widget=forms.RadioSelect, initial="off")
    name = forms.CharField(
        label=_("名称"), max_length=50, required=False, help_text=_("如：春节、国庆节调休")
    )

    def __init__(self, *args, year, **kwargs):
        self.year = year
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        day, kind = data.get("date"), data.get("kind")
        if day and kind:
            problem = check_day(day, kind == "work", self.year)
            if problem:
                raise forms.ValidationError(problem)
        return data


class CalendarYearForm(forms.Form):
    source = forms.CharField(
        label=_("来源"), max_length=200, required=False, initial="国务院办公厅关于部分节假日安排的通知"
    )


_DATE = re.compile(r"^(\d{4})(?:[-/.](\d{1,2})[-/.](\d{1,2})|年(\d{1,2})月(\d{1,2})日?)$")
_SPLIT = re.compile(r"[\s\u3000,，、]+")


def parse_schedule(text: str, year: int):
    """Lines like "2027-01-01 休 元旦" → ([(date, is_workday, name)], [error messages])."""
    days, errors, seen = [], [], {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue

        def bad(why, number=number, line=line):
            errors.append(f"第 {number} 行「{line}」：{why}")

        parts = _SPLIT.split(line, maxsplit=2)
        if len(parts) < 2:
            bad("格式应为「日期 休/班 名称」，例如 2027-01-01 休 元旦")
            continue
        match = _DATE.match(parts[0])
        try:
            if not match:
                raise ValueError
            y, m1, d1, m2, d2 = match.groups()
            day = date(int(y), int(m1 or m2), int(d1 or d2))
        except ValueError:
            bad(f"日期「{parts[0]}」无效，应写作 {year}-01-01")
            continue
        if parts[1] not in ("休", "班"):
            bad(f"第二项应为「休」或「班」，而不是「{parts[1]}」")
            continue
        is_workday = parts[1] == "班"
        name = parts[2].strip() if len(parts) > 2 else ""
        problem = check_day(day, is_workday, year)
        if problem:
            bad(problem)
            continue
        if len(name) > 50:
            bad("名称不能超过 50 字")
            continue
        if day in seen:
            bad(f"日期与第 {seen[day]} 行重复")
            continue
        seen[day] = number
        days.append((day, is_workday, name))
    return days, errors


class CalendarPasteForm(forms.Form):
    text = forms.CharField(
        label=_("节假日安排"),
        strip=False,  # keep leading blank lines: errors cite line numbers
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}),
        help_text=_(
            "每行一个日期：日期、休或班、名称，以空格分隔。例如「2027-01-01 休 元旦」"
            "「2027-02-07 班 春节调休」。以 # 开头的行忽略。"
        ),
    )
    replace = forms.BooleanField(
        label=_("替换该年已有的全部日期（未列出的日期将被删除）"), required=False, initial=True
    )
    mark_entered = forms.BooleanField(
        label=_("保存后标记为「已录入国务院公布的安排」"), required=False, initial=True
    )
    source = forms.CharField(
        label=_("来源"), max_length=200, required=False, initial="国务院办公厅关于部分节假日安排的通知"
    )

    def __init__(self, *args, year, **kwargs):
        self.year = year
        super().__init__(*args, **kwargs)

    def clean_text(self):
        days, errors = parse_schedule(self.cleaned_data["text"], self.year)
        if errors:
            raise forms.ValidationError([*errors, "以上各行有误，本次未保存任何日期，请改正后重新提交。"])
        if not days:
            raise forms.ValidationError(_("没有可保存的日期。"))
        self.days = days
        return self.cleaned_data["text"]


class DeadlineRuleForm(forms.Form):
    """The days of one rule, within the law (workcal.DeadlineRule.allowed_days); for the extension
    rule also how the extra days are counted."""

    days = forms.IntegerField(label=_("天数"))
    extends_from_expiry = forms.TypedChoiceField(
        label=_("延长期限的起算"),
        choices=[("1", _("自原期限届满之日起算")), ("0", _("与原期限合并计算天数"))],
        coerce=lambda v: v == "1",
    )

    def __init__(self, *args, rule, **kwargs):
        super().__init__(*args, **kwargs)
        low, high = rule.allowed_days()  # the action says why a number outside is refused
        self.fields["days"].widget.attrs.update(min=low, max=high)
        self.initial.setdefault("days", rule.days)
        if low == high:
            self.fields["days"].disabled = True
        if rule.key == "extension_max":
            self.initial.setdefault("extends_from_expiry", "1" if rule.extends_from_expiry else "0")
        else:
            del self.fields["extends_from_expiry"]


class PauseGroundForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=50, help_text=_("如：复核听证"))
    basis = forms.CharField(label=_("法律依据（条款）"), max_length=100, help_text=_("如：第三十六条第二款"))
    rules = forms.MultipleChoiceField(label=_("可中止的时限"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rules"].choices = list(DeadlineRule.objects.values_list("key", "name"))


class AssistedAddressForm(forms.Form):
    network = forms.CharField(label=_("地址或网段"), max_length=43, help_text=_("如 10.2.3.4 或 10.2.3.0/24"))
    name = forms.CharField(label=_("服务点名称"), max_length=100, help_text=_("如：城关镇便民服务中心"))
