"""系统管理: org tree, people and roles, categories, dispatch catalogue, working calendar.

Every change goes through `actions` (which keeps the audit log); views only read and show.
"""

import uuid
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from grassroots.accounts.access import is_admin
from grassroots.accounts.models import Membership, OrgUnit, User
from grassroots.appeals.models import Appeal, Category, DispatchRule
from grassroots.lib.actions import ActionError
from grassroots.portal.models import AssistedAddress
from grassroots.workcal.models import CalendarDay, CalendarYear, DeadlineRule, PauseGround, load_calendar

from . import actions, forms
from .context_processors import calendar_problem, forget_calendar_notice
from .tree import category_tree, unit_tree

FIRST_YEAR, LAST_YEAR = 2000, 2100


def admin_required(view):
    """Every page here: a signed-in user holding the 系统管理员 role, else 403."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not is_admin(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _page(request, template, section, status=200, **context):
    return render(request, f"administration/{template}", {"section": section, **context}, status=status)


def _replayed(request):
    """The URL the first submit of this form went to, when this is a double click."""
    token = request.POST.get("submission_token", "")
    return cache.get(f"administration:submitted:{token}") if token else None


def _remember(request, url):
    token = request.POST.get("submission_token", "")
    if token:
        cache.set(f"administration:submitted:{token}", url, 3600)
    return redirect(url)


@admin_required
def home(request):
    return _page(
        request,
        "home.html",
        "home",
        counts={
            "units": OrgUnit.objects.count(),
            "users": User.objects.filter(is_active=True).count(),
            "categories": Category.objects.filter(is_active=True).count(),
            "rules": DispatchRule.objects.count(),
            "years": CalendarYear.objects.count(),
        },
    )


# --- 组织机构 -------------------------------------------------------------------------


@admin_required
def units(request):
    nodes = unit_tree(
        OrgUnit.objects.annotate(
            n_members=Count("memberships", distinct=True),
            n_children=Count("children", distinct=True),
        )
    )
    return _page(request, "units.html", "units", units=nodes)


def _unit_page(request, unit, rename_form=None, child_form=None, move_form=None, organ_form=None):
    return _page(
        request,
        "unit.html",
        "units",
        unit=unit,
        ancestors=unit.ancestors(),
        children=unit_tree(unit.children.all()),
        members=unit.memberships.select_related("user").order_by("role", "user__username"),
        blockers=actions.unit_delete_blockers(unit),
        rename_form=rename_form or forms.UnitRenameForm(initial={"name": unit.name}),
        child_form=child_form or forms.UnitChildForm(),
        move_form=move_form or forms.UnitMoveForm(unit=unit),
        organ_form=organ_form or forms.ReviewOrganForm(unit=unit, initial={"organ": unit.review_organ}),
    )


@admin_required
def unit_detail(request, pk):
    return _unit_page(request, get_object_or_404(OrgUnit, pk=pk))


@admin_required
@require_POST
def unit_add_child(request, pk):
    parent = get_object_or_404(OrgUnit, pk=pk)
    if url := _replayed(request):
        return redirect(url)
    form = forms.UnitChildForm(request.POST)
    if not form.is_valid():
        return _unit_page(request, parent, child_form=form)
    try:
        child = actions.add_unit(request.user, parent=parent, **form.cleaned_data_without_token())
    except ActionError as e:
        form.add_error(None, str(e))
        return _unit_page(request, parent, child_form=form)
    messages.success(request, f"已在「{parent.name}」下添加「{child.name}」（{child.get_level_display()}）。")
    return _remember(request, reverse("administration:unit", args=[parent.pk]))


@admin_required
@require_POST
def unit_rename(request, pk):
    unit = get_object_or_404(OrgUnit, pk=pk)
    form = forms.UnitRenameForm(request.POST)
    old = unit.name
    if form.is_valid():
        try:
            actions.rename_unit(request.user, unit, name=form.cleaned_data["name"])
        except ActionError as e:
            form.add_error("name", str(e))
        else:
            messages.success(request, f"已将「{old}」更名为「{unit.name}」。")
            return redirect("administration:unit", pk=unit.pk)
    unit.refresh_from_db()
    return _unit_page(request, unit, rename_form=form)


@admin_required
@require_POST
def unit_move(request, pk):
    unit = get_object_or_404(OrgUnit, pk=pk)
    form = forms.UnitMoveForm(request.POST, unit=unit)
    if form.is_valid():
        old = unit.parent
        try:
            actions.move_unit(request.user, unit, parent=form.cleaned_data["parent"])
        except ActionError as e:
            form.add_error("parent", str(e))
        else:
            messages.success(
                request,
                f"已将「{unit.name}」由「{old.name}」移至「{unit.parent.name}」，其下级单位一并移动。",
            )
            return redirect("administration:unit", pk=unit.pk)
    return _unit_page(request, unit, move_form=form)


@admin_required
@require_POST
def unit_review_organ(request, pk):
    unit = get_object_or_404(OrgUnit, pk=pk)
    form = forms.ReviewOrganForm(request.POST, unit=unit)
    if form.is_valid():
        try:
            actions.set_review_organ(request.user, unit, organ=form.cleaned_data["organ"])
        except ActionError as e:
            form.add_error("organ", str(e))
        else:
            organ = unit.reviewing_organ()
            messages.success(
                request, f"「{unit.name}」的复查（复核）机关：{organ.name if organ else '未配置'}。"
            )
            return redirect("administration:unit", pk=unit.pk)
    return _unit_page(request, unit, organ_form=form)


@admin_required
@require_POST
def unit_delete(request, pk):
    unit = get_object_or_404(OrgUnit, pk=pk)
    try:
        actions.delete_unit(request.user, unit)
    except ActionError as e:
        messages.error(request, str(e))
        return redirect("administration:unit", pk=unit.pk)
    messages.success(request, f"已删除「{unit.name}」。")
    return (
        redirect("administration:unit", pk=unit.parent_id)
        if unit.parent_id
        else redirect("administration:units")
    )


# --- 用户与角色 -----------------------------------------------------------------------


@admin_required
def users(request):
    q = request.GET.get("q", "").strip()
    people = User.objects.order_by("-is_active", "username").prefetch_related(
        Prefetch("memberships", Membership.objects.select_related("unit").order_by("unit__path", "role")),
    )
    if q:
        people = people.filter(
            Q(username__icontains=q) | Q(display_name__icontains=q) | Q(memberships__unit__name__icontains=q)
        ).distinct()
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    return _page(request, "users.html", "users", page=page, q=q)


@admin_required
def user_new(request):
    if request.method == "POST":
        if url := _replayed(request):
            return redirect(url)
        form = forms.UserCreateForm(request.POST)
        if form.is_valid():
            try:
                person = actions.create_user(request.user, **form.cleaned_data_without_token())
            except ActionError as e:
                form.add_error(None, str(e))
            else:
                messages.success(
                    request,
                    f"已创建用户 {person.username}（{person.display_name}），请为其添加任职。",
                )
                return _remember(request, reverse("administration:user", args=[person.pk]))
    else:
        form = forms.UserCreateForm()
    return _page(request, "user_new.html", "users", form=form)


def _user_page(request, person, membership_form=None):
    return _page(
        request,
        "user.html",
        "users",
        person=person,
        memberships=person.memberships.select_related("unit").order_by("unit__path", "role"),
        membership_form=membership_form or forms.MembershipForm(),
    )


@admin_required
def user_detail(request, pk):
    return _user_page(request, get_object_or_404(User, pk=pk))


@admin_required
@require_POST
def membership_add(request, pk):
    person = get_object_or_404(User, pk=pk)
    form = forms.MembershipForm(request.POST)
    if form.is_valid():
        try:
            m = actions.grant_role(request.user, person, **form.cleaned_data)
        except ActionError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, f"已添加任职：{m.unit.name} · {m.get_role_display()}。")
            return redirect("administration:user", pk=person.pk)
    return _user_page(request, person, membership_form=form)


@admin_required
@require_POST
def membership_post(request, pk, membership_pk):
    """Change the post (职务) of a membership: the reception-day rule follows it."""
    person = get_object_or_404(User, pk=pk)
    m = get_object_or_404(Membership.objects.select_related("unit"), pk=membership_pk, user=person)
    form = forms.PostForm(request.POST)
    if not form.is_valid():
        messages.error(request, "职务不能超过 30 个字。")
        return redirect("administration:user", pk=person.pk)
    try:
        actions.change_post(request.user, m, post=form.cleaned_data["post"])
    except ActionError as e:
        messages.error(request, str(e))
    else:
        post = m.post or "无"
        messages.success(request, f"已将 {m.unit.name} · {m.get_role_display()} 的职务改为：{post}。")
    return redirect("administration:user", pk=person.pk)


@admin_required
@require_POST
def membership_remove(request, pk, membership_pk):
    person = get_object_or_404(User, pk=pk)
    m = get_object_or_404(Membership.objects.select_related("unit"), pk=membership_pk, user=person)
    try:
        actions.revoke_role(request.user, m)
    except ActionError as e:
        messages.error(request, str(e))
        return redirect("administration:user", pk=person.pk)
    messages.success(request, f"已移除任职：{m.unit.name} · {m.get_role_display()}。")
    return redirect("administration:user", pk=person.pk)


@admin_required
@require_POST
def user_deactivate(request, pk):
    person = get_object_or_404(User, pk=pk)
    try:
        actions.set_user_active(request.user, person, active=False)
    except ActionError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, f"已停用 {person}，该账号不能再登录；历史记录保留。")
    return redirect("administration:user", pk=person.pk)


@admin_required
@require_POST
def user_activate(request, pk):
    person = get_object_or_404(User, pk=pk)
    try:
        actions.set_user_active(request.user, person, active=True)
    except ActionError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, f"已重新启用 {person}。")
    return redirect("administration:user", pk=person.pk)


# --- 诉求分类 -------------------------------------------------------------------------


def _categories_page(request, form=None):
    nodes = category_tree(Category.objects.annotate(n_appeals=Count("appeal")))
    return _page(
        request, "categories.html", "categories", categories=nodes, form=form or forms.CategoryCreateForm()
    )


@admin_required
def categories(request):
    return _categories_page(request)


def _category_page(request, category, rename_form=None, child_form=None):
    return _page(
        request,
        "category.html",
        "categories",
        category=category,
        children=category_tree(category.children.all()),
        n_appeals=Appeal.objects.filter(category=category).count(),
        n_rules=DispatchRule.objects.filter(category=category).count(),
        can_have_children=category.level < actions.MAX_CATEGORY_LEVEL,
        rename_form=rename_form or forms.CategoryNameForm(initial={"name": category.name}),
        child_form=child_form or forms.CategoryCreateForm(),
    )


@admin_required
def category_detail(request, pk):
    return _category_page(request, get_object_or_404(Category, pk=pk))


@admin_required
@require_POST
def category_add(request, pk=None):
    parent = get_object_or_404(Category, pk=pk) if pk else None
    if url := _replayed(request):
        return redirect(url)
    form = forms.CategoryCreateForm(request.POST)
    if form.is_valid():
        try:
            category = actions.add_category(request.user, name=form.cleaned_data["name"], parent=parent)
        except ActionError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, f"已添加分类「{category.full_name}」。")
            back = (
                reverse("administration:category", args=[parent.pk])
                if parent
                else reverse("administration:categories")
            )
            return _remember(request, back)
    if parent:
        return _category_page(request, parent, child_form=form)
    return _categories_page(request, form=form)


@admin_required
@require_POST
def category_rename(request, pk):
    category = get_object_or_404(Category, pk=pk)
    form = forms.CategoryNameForm(request.POST)
    old = category.name
    if form.is_valid():
        try:
            actions.rename_category(request.user, category, name=form.cleaned_data["name"])
        except ActionError as e:
            form.add_error("name", str(e))
        else:
            messages.success(request, f"已将分类「{old}」更名为「{category.name}」。")
            return redirect("administration:category", pk=category.pk)
    category.refresh_from_db()
    return _category_page(request, category, rename_form=form)


@admin_required
@require_POST
def category_deactivate(request, pk):
    category = get_object_or_404(Category, pk=pk)
    n = actions.set_category_active(request.user, category, active=False)
    extra = f"及其 {n - 1} 个下级分类" if n > 1 else ""
    messages.success(request, f"已停用「{category.full_name}」{extra}：登记时不再可选，已有诉求不受影响。")
    return redirect("administration:category", pk=category.pk)


@admin_required
@require_POST
def category_activate(request, pk):
    category = get_object_or_404(Category.objects.select_related("parent"), pk=pk)
    try:
        actions.set_category_active(request.user, category, active=True)
    except ActionError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, f"已启用「{category.full_name}」。")
    return redirect("administration:category", pk=category.pk)


@admin_required
@require_POST
def category_delete(request, pk):
    category = get_object_or_404(Category, pk=pk)
    label = category.full_name
    try:
        actions.delete_category(request.user, category)
    except ActionError as e:
        messages.error(request, str(e))
        return redirect("administration:category", pk=pk)
    messages.success(request, f"已删除分类「{label}」。")
    return redirect("administration:categories")


# --- 派单目录 -------------------------------------------------------------------------


def _rule_label(rule):
    return f"{rule.category.full_name} @ {rule.area.name} → {rule.unit.name}"


def _dispatch_page(request, form=None):
    filters = forms.DispatchFilterForm(request.GET or None)
    rules = filters.filter(
        DispatchRule.objects.select_related("category__parent__parent", "area", "unit").order_by(
            "category__level", "category__name", "area__path"
        )
    )
    page = Paginator(rules, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return _page(
        request,
        "dispatch.html",
        "dispatch",
        page=page,
        filters=filters,
        query=query.urlencode(),
        form=form or forms.DispatchRuleForm(),
    )


@admin_required
def dispatch(request):
    return _dispatch_page(request)


@admin_required
@require_POST
def dispatch_add(request):
    if url := _replayed(request):
        return redirect(url)
    form = forms.DispatchRuleForm(request.POST)
    if form.is_valid():
        try:
            rule = actions.add_dispatch_rule(request.user, **form.cleaned_data_without_token())
        except ActionError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, f"已添加派单目录：{_rule_label(rule)}。")
            return _remember(request, reverse("administration:dispatch"))
    return _dispatch_page(request, form=form)


@admin_required
def dispatch_rule(request, pk):
    rule = get_object_or_404(DispatchRule.objects.select_related("category", "area", "unit"), pk=pk)
    if request.method == "POST":
        form = forms.DispatchUnitForm(request.POST)
        if form.is_valid():
            old = rule.unit
            try:
                actions.change_dispatch_rule(request.user, rule, unit=form.cleaned_data["unit"])
            except ActionError as e:
                form.add_error("unit", str(e))
            else:
                messages.success(
                    request,
                    f"已将「{rule.category.full_name} @ {rule.area.name}」的承办单位由"
                    f"「{old.name}」改为「{rule.unit.name}」，此后登记的诉求生效。",
                )
                return redirect("administration:dispatch")
    else:
        form = forms.DispatchUnitForm(initial={"unit": rule.unit})
    return _page(request, "dispatch_rule.html", "dispatch", rule=rule, form=form)


@admin_required
@require_POST
def dispatch_delete(request, pk):
    rule = get_object_or_404(DispatchRule.objects.select_related("category", "area", "unit"), pk=pk)
    label = _rule_label(rule)
    actions.delete_dispatch_rule(request.user, rule)
    messages.success(request, f"已删除派单目录：{label}。")
    return redirect("administration:dispatch")


# --- 工作日历与时限 ---------------------------------------------------------------------


def _recalculated(request, recomputed: list[str]):
    """Tell the administrator what the calendar edit moved in every app."""
    forget_calendar_notice()
    if recomputed:
        messages.info(request, "已按新的工作日历重新计算：" + "、".join(recomputed) + "。")
    else:
        messages.info(request, "没有期限因此改变。")


def _check_year(year):
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404


@admin_required
def calendar(request):
    return _calendar_page(request)


def _calendar_page(request, ground_form=None):
    names = dict(DeadlineRule.objects.values_list("key", "name"))
    entered = {y.year: y for y in CalendarYear.objects.all()}
    day_counts = {}
    for day in CalendarDay.objects.values("date__year", "is_workday").annotate(n=Count("id")):
        day_counts.setdefault(day["date__year"], {True: 0, False: 0})[day["is_workday"]] = day["n"]
    cal = load_calendar()
    years = sorted(set(entered) | set(day_counts) | {cal.known_until.year + 1}, reverse=True)
    rows = [
        {
            "year": y,
            "entered": entered.get(y),
            "off": day_counts.get(y, {}).get(False, 0),
            "work": day_counts.get(y, {}).get(True, 0),
        }
        for y in years
    ]
    return _page(
        request,
        "calendar.html",
        "calendar",
        years=rows,
        known_until=cal.known_until,
        provisional=Appeal.objects.provisional().count(),
        problem=calendar_problem()[0],
        rules=[
            (r, forms.DeadlineRuleForm(rule=r, auto_id=f"rule{r.pk}_%s")) for r in DeadlineRule.objects.all()
        ],
        grounds=[(g, [names.get(k, k) for k in g.rule_keys()]) for g in PauseGround.objects.all()],
        ground_form=ground_form or forms.PauseGroundForm(),
        grace=settings.PAUSE_BACKDATE_GRACE_DAYS,
    )


@admin_required
def calendar_open(request):
    try:
        year = int(request.GET.get("year", ""))
        _check_year(year)
    except (ValueError, Http404):
        messages.error(request, f"请输入 {FIRST_YEAR}–{LAST_YEAR} 之间的年份。")
        return redirect("administration:calendar")
    return redirect("administration:calendar_year", year=year)


def _year_page(request, year, day_form=None, paste_form=None):
    entered = CalendarYear.objects.filter(year=year).first()
    return _page(
        request,
        "calendar_year.html",
        "calendar",
        year=year,
        entered=entered,
        days=CalendarDay.objects.filter(date__year=year),
        known_until=load_calendar().known_until,
        day_form=day_form or forms.CalendarDayForm(year=year),
        year_form=forms.CalendarYearForm(initial={"source": entered.source} if entered else None),
        paste_form=paste_form or forms.CalendarPasteForm(year=year),
    )


@admin_required
def calendar_year(request, year):
    _check_year(year)
    return _year_page(request, year)


@admin_required
@require_POST
def calendar_day_add(request, year):
    _check_year(year)
    if url := _replayed(request):
        return redirect(url)
    form = forms.CalendarDayForm(request.POST, year=year)
    if not form.is_valid():
        return _year_page(request, year, day_form=form)
    data = form.cleaned_data
    try:
        recomputed = actions.add_calendar_day(
            request.user, day=data["date"], is_workday=data["kind"] == "work", name=data["name"]
        )
    except ActionError as e:
        form.add_error(None, str(e))
        return _year_page(request, year, day_form=form)
    messages.success(request, f"已添加 {data['date']:%Y-%m-%d} {'班' if data['kind'] == 'work' else '休'}。")
    _recalculated(request, recomputed)
    return _remember(request, reverse("administration:calendar_year", args=[year]))


@admin_required
@require_POST
def calendar_day_delete(request, pk):
    day = get_object_or_404(CalendarDay, pk=pk)
    year, label = day.date.year, str(day)
    recomputed = actions.delete_calendar_day(request.user, day)
    messages.success(request, f"已删除 {label}。")
    _recalculated(request, recomputed)
    return redirect("administration:calendar_year", year=year)


@admin_required
@require_POST
def calendar_year_mark(request, year):
    _check_year(year)
    form = forms.CalendarYearForm(request.POST)
    source = form.cleaned_data["source"] if form.is_valid() else ""
    recomputed = actions.mark_year(request.user, year, source=source)
    messages.success(request, f"{year} 年已标记为「已录入国务院公布的安排」。")
    _recalculated(request, recomputed)
    return redirect("administration:calendar_year", year=year)


@admin_required
@require_POST
def calendar_year_unmark(request, year):
    _check_year(year)
    try:
        recomputed = actions.unmark_year(request.user, year)
    except ActionError as e:
        messages.error(request, str(e))
        return redirect("administration:calendar_year", year=year)
    messages.success(request, f"已取消 {year} 年的「已录入」标记，跨入该年的期限将标为暂定。")
    _recalculated(request, recomputed)
    return redirect("administration:calendar_year", year=year)


@admin_required
@require_POST
def calendar_paste(request, year):
    _check_year(year)
    form = forms.CalendarPasteForm(request.POST, year=year)
    if not form.is_valid():
        return _year_page(request, year, paste_form=form)
    data = form.cleaned_data
    removed, recomputed = actions.replace_year(
        request.user,
        year,
        days=form.days,
        replace=data["replace"],
        mark_entered=data["mark_entered"],
        source=data["source"],
    )
    text = f"已保存 {year} 年的 {len(form.days)} 个日期"
    if removed:
        text += f"，删除 {removed} 个未列出的日期"
    if data["mark_entered"]:
        text += "，并标记为已录入"
    messages.success(request, text + "。")
    _recalculated(request, recomputed)
    return redirect("administration:calendar_year", year=year)


@admin_required
@require_POST
def deadline_rule(request, pk):
    rule = get_object_or_404(DeadlineRule, pk=pk)
    form = forms.DeadlineRuleForm(request.POST, rule=rule)
    if form.is_valid():
        try:
            actions.edit_deadline_rule(request.user, rule, **form.cleaned_data)
        except ActionError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, f"已保存时限规则：{rule}。此后开始计算的期限适用，正在计算的期限不变。")
            return redirect("administration:calendar")
    problems = "；".join(e for errors in form.errors.values() for e in errors)
    messages.error(request, f"「{rule.name}」未保存：{problems}")
    return redirect("administration:calendar")


@admin_required
@require_POST
def pause_ground_add(request):
    form = forms.PauseGroundForm(request.POST)
    if form.is_valid():
        try:
            ground = actions.add_pause_ground(
                request.user, key=f"g{uuid.uuid4().hex[:10]}", **form.cleaned_data
            )
        except ActionError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, f"已添加期限中止事由：{ground}。")
            return redirect("administration:calendar")
    return _calendar_page(request, ground_form=form)


def _toggle(request, obj, set_active, page):
    """启用/停用 through `set_active(actor, obj, active=…)`, then back to `page`."""
    try:
        set_active(request.user, obj, active=not obj.is_active)
    except ActionError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, f"已{'启用' if obj.is_active else '停用'}：{obj}。")
    return redirect(page)


@admin_required
@require_POST
def pause_ground_toggle(request, pk):
    ground = get_object_or_404(PauseGround, pk=pk)
    return _toggle(request, ground, actions.set_pause_ground_active, "administration:calendar")


# --- the portal's assisted-service addresses ------------------------------------------------


@admin_required
def assisted_addresses(request, form=None, status=200):
    return _page(
        request,
        "assisted_addresses.html",
        "portal",
        addresses=AssistedAddress.objects.all(),
        form=form or forms.AssistedAddressForm(),
        limits={
            "address": settings.PORTAL_SUBMIT_RATE,
            "assisted": settings.PORTAL_ASSISTED_SUBMIT_RATE,
            "phone": settings.PORTAL_SUBMIT_RATE_PER_PHONE,
        },
        status=status,
    )


@admin_required
@require_POST
def assisted_address_add(request):
    form = forms.AssistedAddressForm(request.POST)
    if form.is_valid():
        try:
            address = actions.add_assisted_address(request.user, **form.cleaned_data)
        except ActionError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, f"已登记：{address}。")
            return redirect("administration:assisted_addresses")
    return assisted_addresses(request, form=form, status=400)


@admin_required
@require_POST
def assisted_address_toggle(request, pk):
    address = get_object_or_404(AssistedAddress, pk=pk)
    return _toggle(request, address, actions.set_assisted_address_active, "administration:assisted_addresses")
