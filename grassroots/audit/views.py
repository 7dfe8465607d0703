"""操作日志: the audit log of administrative changes, read-only."""

from datetime import datetime, time

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from . import access

PAGE_SIZE = 50
TARGET_TYPES = [
    ("", _("全部")),
    ("unit", _("组织机构")),
    ("user", _("用户")),
    ("membership", _("任职与角色")),
    ("category", _("诉求分类")),
    ("dispatch_rule", _("派单目录")),
    ("calendar_day", _("节假日/调休")),
    ("calendar_year", _("年度安排")),
    ("deadline_rule", _("时限规则")),
    ("pause_ground", _("期限中止事由")),
    ("assisted_address", _("便民服务点地址")),
]


class FilterForm(forms.Form):
    target_type = forms.ChoiceField(label=_("对象"), choices=TARGET_TYPES, required=False)
    who = forms.CharField(label=_("操作人"), max_length=50, required=False)
    since = forms.DateField(label=_("自"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("至"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def filter(self, entries):
        if not self.is_valid():
            return entries
        data = self.cleaned_data
        if data["target_type"]:
            entries = entries.filter(target_type=data["target_type"])
        if data["who"]:
            entries = entries.filter(actor_name__icontains=data["who"].strip())
        tz = timezone.get_current_timezone()
        if data["since"]:
            entries = entries.filter(at__gte=datetime.combine(data["since"], time.min, tz))
        if data["until"]:
            entries = entries.filter(at__lte=datetime.combine(data["until"], time.max, tz))
        return entries


@require_GET
@login_required
def entries(request):
    if not access.can_read(request.user):
        raise PermissionDenied(_("只有系统管理员和信访督办员可以查看操作日志。"))
    filters = FilterForm(request.GET or None)
    page = Paginator(filters.filter(access.readable_entries(request.user)), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "audit/entries.html", {"page_obj": page, "filters": filters, "query": query.urlencode()}
    )
