"""系统管理: org tree, people and roles, categories, dispatch catalogue, working calendar."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch, ProtectedError, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from grassroots.accounts.access import is_admin
from grassroots.accounts.models import Membership, OrgUnit, Role, User
from grassroots.appeals import actions
from grassroots.appeals.models import Appeal, Category, DispatchRule
from grassroots.workcal.models import CalendarDay, CalendarYear, DeadlineRule, calendar_changed, load_calendar

from . import forms
from .context_processors import calendar_problem, forget_calendar_notice
from .tree import category_tree, unit_tree

FIRST_YEAR, LAST_YEAR = 2000, 2100
APPEAL_UNIT_FIELDS = (
    "place_unit",
    "registered_unit",
    "suggested_unit",
    "handling_unit",
    "review_unit",
    "accused_unit",
)


def admin_required(view):
    """Every page here: a signed-in user holding the 系统管理员 role, else 403."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not is_admin(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _page(request, template, section, **context):
    return render(request, f"administration/{template}", {"section": section, **context})


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


def unit_delete_blockers(unit) -> list[str]:
    reasons = []
    if n := unit.children.count():
        reasons.append(f"有 {n} 个下级单位")
    if n := unit.memberships.count():
        reasons.append(f"有 {n} 名人员在此任职")
    q = Q()
    for field in APPEAL_UNIT_FIELDS:
        q |= Q(**{field: unit})
    if n := Appeal.objects.filter(q).count():
        reasons.append(f"有 {n} 件诉求与其相关")
    if n := DispatchRule.objects.filter(Q(area=unit) | Q(unit=unit)).count():
        reasons.append(f"派单目录中有 {n} 个条目引用它")
    return reasons


def _unit_page(request, unit, rename_form=None, child_form=None):
    return _page(
        request,
        "unit.html",
        "units",
        unit=unit,
        ancestors=unit.ancestors(),
        children=unit_tree(unit.children.all()),
        members=unit.memberships.select_related("user").order_by("role", "user__username"),
        blockers=unit_delete_blockers(unit),
        rename_form=rename_form or forms.UnitRenameForm(unit=unit, initial={"name": unit.name}),
        child_form=child_form or forms.UnitChildForm(parent=unit),
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
    form = forms.UnitChildForm(request.POST, parent=parent)
    if not form.is_valid():
        return _unit_page(request, parent, child_form=form)
    child = OrgUnit.objects.create(
        name=form.cleaned_data["name"],
        kind=form.cleaned_data["kind"],
        level=form.cleaned_data["level"],
        parent=parent,
    )
    messages.success(request, f"已在「{parent.name}」下添加「{child.name}」（{child.get_level_display()}）。")
    return _remember(request, reverse("administration:unit", args=[parent.pk]))


@admin_required
@require_POST
def unit_rename(request, pk):
    unit = get_object_or_404(OrgUnit, pk=pk)
    form = forms.UnitRenameForm(request.POST, unit=unit)
    if not form.is_valid():
        return _unit_page(request, unit, rename_form=form)
    old = unit.name
    unit.name = form.cleaned_data["name"]
    unit.save(update_fields=["name"])
    messages.success(request, f"已将「{old}」更名为「{unit.name}」。")
    return redirect("administration:unit", pk=unit.pk)


@admin_required
@require_POST
def unit_delete(request, pk):
    unit = get_object_or_404(OrgUnit, pk=pk)
    back = redirect("administration:unit", pk=unit.pk)
    if blockers := unit_delete_blockers(unit):
        messages.error(request, f"不能删除「{unit.name}」：{'，'.join(blockers)}。请先移走后再删除。")
        return back
    try:
        with transaction.atomic():
            unit.delete()
    except ProtectedError:
        messages.error(request, f"不能删除「{unit.name}」：办理记录中仍引用该单位。")
        return back
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
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    person = User.objects.create_user(
                        data["username"],
                        email=data["email"],
                        password=data["password"],
                        display_name=data["display_name"],
                        phone=data["phone"].strip(),
                    )
            except IntegrityError:
                form.add_error("username", "登录名已被使用。")
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
        membership_form=membership_form or forms.MembershipForm(user=person),
    )


@admin_required
def user_detail(request, pk):
    return _user_page(request, get_object_or_404(User, pk=pk))


@admin_required
@require_POST
def membership_add(request, pk):
    person = get_object_or_404(User, pk=pk)
    form = forms.MembershipForm(request.POST, user=person)
    if not form.is_valid():
        return _user_page(request, person, membership_form=form)
    try:
        with transaction.atomic():
            m = Membership.objects.create(
                user=person,
                unit=form.cleaned_data["unit"],
                role=form.cleaned_data["role"],
                post=form.cleaned_data["post"],
            )
    except IntegrityError:
        messages.error(request, "该任职已存在。")
    else:
        messages.success(request, f"已添加任职：{m.unit.name} · {m.get_role_display()}。")
    return redirect("administration:user", pk=person.pk)


@admin_required
@require_POST
def membership_post(request, pk, membership_pk):
    """Change the post (职务) of a membership: the reception-day rule follows it."""
    person = get_object_or_404(User, pk=pk)
    m = get_object_or_404(Membership.objects.select_related("unit"), pk=membership_pk, user=person)
    form = forms.PostForm(request.POST)
    if not form.is_valid():
        messages.error(request, "职务不能超过 30 个字。")
    else:
        Membership.objects.filter(pk=m.pk).update(post=form.cleaned_data["post"])
        post = form.cleaned_data["post"] or "无"
        messages.success(request, f"已将 {m.unit.name} · {m.get_role_display()} 的职务改为：{post}。")
    return redirect("administration:user", pk=person.pk)


@admin_required
@require_POST
def membership_remove(request, pk, membership_pk):
    person = get_object_or_404(User, pk=pk)
    m = get_object_or_404(Membership.objects.select_related("unit"), pk=membership_pk, user=person)
    if (
        person == request.user
        and m.role == Role.ADMIN
        and not person.memberships.filter(role=Role.ADMIN).exclude(pk=m.pk).exists()
    ):
        messages.error(request, "不能移除您自己唯一的系统管理员角色，否则将无法再进入系统管理。")
        return redirect("administration:user", pk=person.pk)
    m.delete()
    messages.success(request, f"已移除任职：{m.unit.name} · {m.get_role_display()}。")
    return redirect("administration:user", pk=person.pk)


@admin_required
@require_POST
def user_deactivate(request, pk):
    person = get_object_or_404(User, pk=pk)
    if person == request.user:
        messages.error(request, "不能停用您自己的账号。")
    else:
        User.objects.filter(pk=person.pk).update(is_active=False)
        messages.success(request, f"已停用 {person}，该账号不能再登录；历史记录保留。")
    return redirect("administration:user", pk=person.pk)


@admin_required
@require_POST
def user_activate(request, pk):
    person = get_object_or_404(User, pk=pk)
    User.objects.filter(pk=person.pk).update(is_active=True)
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
        can_have_children=category.level < forms.MAX_CATEGORY_LEVEL,
        rename_form=rename_form
        or forms.CategoryNameForm(instance=category, parent=category.parent, initial={"name": category.name}),
        child_form=child_form or forms.CategoryCreateForm(parent=category),
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
    form = forms.CategoryCreateForm(request.POST, parent=parent)
    if form.is_valid():
        try:
            with transaction.atomic():
                category = Category.objects.create(name=form.cleaned_data["name"], parent=parent)
        except IntegrityError:
            form.add_error("name", "同一上级下已有同名分类。")
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
    form = forms.CategoryNameForm(request.POST, instance=category, parent=category.parent)
    if form.is_valid():
        old = category.name
        category.name = form.cleaned_data["name"]
        try:
            with transaction.atomic():
                category.save(update_fields=["name"])
        except IntegrityError:
            form.add_error("name", "同一上级下已有同名分类。")
        else:
            messages.success(request, f"已将分类「{old}」更名为「{category.name}」。")
            return redirect("administration:category", pk=category.pk)
    category.refresh_from_db()
    return _category_page(request, category, rename_form=form)


def _descendant_ids(category) -> list[int]:
    ids, frontier = [], [category.pk]
    while frontier:
        frontier = list(Category.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids += frontier
    return ids


@admin_required
@require_POST
def category_deactivate(request, pk):
    category = get_object_or_404(Category, pk=pk)
    ids = [category.pk, *_descendant_ids(category)]
    Category.objects.filter(pk__in=ids).update(is_active=False)
    extra = f"及其 {len(ids) - 1} 个下级分类" if len(ids) > 1 else ""
    messages.success(request, f"已停用「{category.full_name}」{extra}：登记时不再可选，已有诉求不受影响。")
    return redirect("administration:category", pk=category.pk)


@admin_required
@require_POST
def category_activate(request, pk):
    category = get_object_or_404(Category.objects.select_related("parent"), pk=pk)
    if category.parent and not category.parent.is_active:
        messages.error(request, f"上级分类「{category.parent.full_name}」已停用，请先启用上级分类。")
    else:
        Category.objects.filter(pk=category.pk).update(is_active=True)
        messages.success(request, f"已启用「{category.full_name}」。")
    return redirect("administration:category", pk=category.pk)


@admin_required
@require_POST
def category_delete(request, pk):
    category = get_object_or_404(Category, pk=pk)
    if Appeal.objects.filter(category=category).exists():
        messages.error(request, f"「{category.full_name}」已有诉求使用，不能删除；如不再使用请停用。")
    elif category.children.exists():
        messages.error(request, f"「{category.full_name}」还有下级分类，不能删除。")
    elif DispatchRule.objects.filter(category=category).exists():
        messages.error(request, f"「{category.full_name}」在派单目录中仍有条目，请先删除这些条目。")
    else:
        try:
            with transaction.atomic():
                category.delete()
        except ProtectedError:
            messages.error(request, f"「{category.full_name}」仍被引用，不能删除；如不再使用请停用。")
            return redirect("administration:category", pk=category.pk)
        messages.success(request, f"已删除分类「{category.full_name}」。")
        return redirect("administration:categories")
    return redirect("administration:category", pk=category.pk)


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
        data = form.cleaned_data
        try:
            with transaction.atomic():
                rule = DispatchRule.objects.create(
                    category=data["category"],
                    area=data["area"],
                    unit=data["unit"],
                )
        except IntegrityError:
            form.add_error(None, "该分类在该区域已有派单目录条目，请修改已有条目。")
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
            rule.unit = form.cleaned_data["unit"]
            rule.save(update_fields=["unit", "updated_at"])
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
    rule.delete()
    messages.success(request, f"已删除派单目录：{_rule_label(rule)}。")
    return redirect("administration:dispatch")


# --- 工作日历与时限 ---------------------------------------------------------------------


def _recalculate(request):
    """After any calendar or rule edit: every running clock follows the new data."""
    calendar_changed()
    forget_calendar_notice()
    changed = actions.recompute_open_deadlines()
    messages.info(request, f"已重新计算 {changed} 件诉求的期限。")


def _check_year(year):
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404


@admin_required
def calendar(request):
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
            (
                r,
                forms.DeadlineRuleForm(
                    initial={"days": r.days, "working_days": r.working_days}, auto_id=f"rule{r.pk}_%s"
                ),
            )
            for r in DeadlineRule.objects.all()
        ],
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
        with transaction.atomic():
            day = CalendarDay.objects.create(
                date=data["date"], is_workday=data["kind"] == "work", name=data["name"].strip()
            )
    except IntegrityError:
        messages.error(request, f"{data['date']} 已有安排。")
        return redirect("administration:calendar_year", year=year)
    messages.success(request, f"已添加 {day}。")
    _recalculate(request)
    return _remember(request, reverse("administration:calendar_year", args=[year]))


@admin_required
@require_POST
def calendar_day_delete(request, pk):
    day = get_object_or_404(CalendarDay, pk=pk)
    day.delete()
    messages.success(request, f"已删除 {day}。")
    _recalculate(request)
    return redirect("administration:calendar_year", year=day.date.year)


@admin_required
@require_POST
def calendar_year_mark(request, year):
    _check_year(year)
    form = forms.CalendarYearForm(request.POST)
    source = form.cleaned_data["source"].strip() if form.is_valid() else ""
    CalendarYear.objects.update_or_create(year=year, defaults={"source": source})
    messages.success(request, f"{year} 年已标记为「已录入国务院公布的安排」。")
    _recalculate(request)
    return redirect("administration:calendar_year", year=year)


@admin_required
@require_POST
def calendar_year_unmark(request, year):
    _check_year(year)
    CalendarYear.objects.filter(year=year).delete()
    messages.success(request, f"已取消 {year} 年的「已录入」标记，跨入该年的期限将标为暂定。")
    _recalculate(request)
    return redirect("administration:calendar_year", year=year)


@admin_required
@require_POST
def calendar_paste(request, year):
    _check_year(year)
    form = forms.CalendarPasteForm(request.POST, year=year)
    if not form.is_valid():
        return _year_page(request, year, paste_form=form)
    data = form.cleaned_data
    with transaction.atomic():
        if data["replace"]:
            keep = [entry[0] for entry in form.days]
            removed, _by_model = CalendarDay.objects.filter(date__year=year).exclude(date__in=keep).delete()
        else:
            removed = 0
        for day, is_workday, name in form.days:
            CalendarDay.objects.update_or_create(date=day, defaults={"is_workday": is_workday, "name": name})
        if data["mark_entered"]:
            CalendarYear.objects.update_or_create(year=year, defaults={"source": data["source"].strip()})
    text = f"已保存 {year} 年的 {len(form.days)} 个日期"
    if removed:
        text += f"，删除 {removed} 个未列出的日期"
    if data["mark_entered"]:
        text += "，并标记为已录入"
    messages.success(request, text + "。")
    _recalculate(request)
    return redirect("administration:calendar_year", year=year)


@admin_required
@require_POST
def deadline_rule(request, pk):
    rule = get_object_or_404(DeadlineRule, pk=pk)
    form = forms.DeadlineRuleForm(request.POST)
    if not form.is_valid():
        problems = "；".join(e for errors in form.errors.values() for e in errors)
        messages.error(request, f"「{rule.name}」未保存：{problems}")
        return redirect("administration:calendar")
    rule.days = form.cleaned_data["days"]
    rule.working_days = form.cleaned_data["working_days"]
    rule.save(update_fields=["days", "working_days"])
    messages.success(request, f"已保存时限规则：{rule}。")
    _recalculate(request)
    return redirect("administration:calendar")
