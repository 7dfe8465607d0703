"""Every administrative change, one function each: the org tree, people and their roles,
categories, the dispatch catalogue, the working calendar and the time-limit rules.

Each action is atomic and writes its entry in the audit log (who, when, from where, before and
after) in the same transaction; a refused change raises lib.actions.ActionError with a Chinese
message and writes nothing. Role grants and removals, and calendar or rule changes, are also
e-mailed to the administrators of the unit above (`tell_admins_above`). Callers check that the
user is an administrator; actions check the data.
"""

import ipaddress
from datetime import date

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Q, Value
from django.db.models.functions import Concat, Substr

from grassroots.accounts.access import memberships
from grassroots.accounts.models import Level, Membership, OrgUnit, Role, UnitKind, User
from grassroots.appeals.models import Appeal, Category, DispatchRule
from grassroots.audit.log import Audited
from grassroots.lib.actions import ActionError, require_text
from grassroots.notify.delivery import deliver
from grassroots.notify.models import Notification
from grassroots.portal.models import AssistedAddress
from grassroots.workcal.models import CalendarDay, CalendarYear, DeadlineRule, LegalBound, PauseGround
from grassroots.workcal.signals import announce_calendar_change

MAX_CATEGORY_LEVEL = 3
APPEAL_UNIT_FIELDS = (
    "place_unit",
    "registered_unit",
    "suggested_unit",
    "handling_unit",
    "review_unit",
    "accused_unit",
)
UNITS = Audited("unit", ("name", "kind", "level", "parent", "review_organ"))
USERS = Audited("user", ("username", "display_name", "email", "phone", "is_active"))
MEMBERSHIPS = Audited("membership", ("user", "unit", "role", "post"))
CATEGORIES = Audited("category", ("name", "parent", "is_active"))
DISPATCH_RULES = Audited("dispatch_rule", ("category", "area", "unit"))
CALENDAR_DAYS = Audited("calendar_day", ("date", "is_workday", "name"))
CALENDAR_YEARS = Audited("calendar_year", ())
DEADLINE_RULES = Audited("deadline_rule", ("days", "working_days", "extends_from_expiry"))
PAUSE_GROUNDS = Audited("pause_ground", ("key", "name", "basis", "rules", "is_active"))
ASSISTED_ADDRESSES = Audited("assisted_address", ("network", "name", "is_active"))


# --- who hears of a change ----------------------------------------------------------------------


def admins_above(unit, actor) -> list[str]:
    """The e-mail addresses of the administrators of the nearest unit above `unit` that has any;
    at the top of the tree, the other administrators of the unit itself."""
    chain = [*reversed(unit.ancestors()), unit] if unit.parent_id else [unit]
    for node in chain:
        admins = Membership.objects.filter(unit=node, role=Role.ADMIN, user__is_active=True).exclude(
            user=actor
        )
        emails = sorted({m.user.email for m in admins.select_related("user") if m.user.email})
        if emails:
            return emails
    return []


def tell_admins_above(unit, actor, subject, body) -> None:
    """E-mail them after commit: a rolled-back change tells nobody."""
    emails = admins_above(unit, actor)
    text = f"{body}（操作人：{actor}）"

    def send():
        for email in emails:
            deliver(Notification.Channel.EMAIL, email, subject=subject, body=text, template="admin_change")

    transaction.on_commit(send, robust=True)


def _tell_of_system_change(actor, subject, body) -> None:
    """A change for the whole system is told above the highest unit where the actor administers."""
    units = [m.unit for m in memberships(actor) if m.role == Role.ADMIN]
    unit = min(units, key=lambda u: u.level) if units else OrgUnit.objects.order_by("path").first()
    if unit is not None:
        tell_admins_above(unit, actor, subject, body)


# --- the org tree -------------------------------------------------------------------------------


def _unique_name(model, parent, name, exclude=None, what="单位"):
    siblings = model.objects.filter(parent=parent, name=name)
    if exclude is not None:
        siblings = siblings.exclude(pk=exclude.pk)
    if siblings.exists():
        where = f"「{parent.name if model is OrgUnit else parent.full_name}」下" if parent else "顶级"
        raise ActionError(f"{where}已有名为「{name}」的{what}，同一上级下名称不能重复。")


@transaction.atomic
def add_unit(actor, *, parent, name, kind) -> OrgUnit:
    name = require_text(name, "名称", 100)
    if parent.kind == UnitKind.DEPARTMENT:
        raise ActionError("职能部门下不能再设下级单位，请在它所服务的行政区域下添加。")
    if kind == UnitKind.AREA and parent.level >= Level.VILLAGE:
        raise ActionError("村（社区）是最低一级行政区域，其下不能再设行政区域。")
    _unique_name(OrgUnit, parent, name)
    level = parent.level + (1 if kind == UnitKind.AREA else 0)
    unit = OrgUnit.objects.create(name=name, kind=kind, level=level, parent=parent)
    UNITS.created("unit.add", "添加单位", actor, unit, unit=unit)
    return unit


@transaction.atomic
def rename_unit(actor, unit, *, name) -> OrgUnit:
    name = require_text(name, "名称", 100)
    if name == unit.name:
        raise ActionError("名称没有变化。")
    _unique_name(OrgUnit, unit.parent, name, exclude=unit)
    before = UNITS.snapshot(unit)
    unit.name = name
    unit.save(update_fields=["name"])
    UNITS.changed("unit.rename", "单位更名", actor, unit, before, unit=unit)
    return unit


@transaction.atomic
def move_unit(actor, unit, *, parent) -> OrgUnit:
    """区划调整: the unit and everything below it move under `parent`; everyone's view follows."""
    if parent is None:
        raise ActionError("请选择新的上级单位。")
    if unit.contains(parent):
        raise ActionError("不能把单位移到它自己或它的下级单位之下。")
    if parent.pk == unit.parent_id:
        raise ActionError("上级单位没有变化。")
    if parent.kind == UnitKind.DEPARTMENT:
        raise ActionError("职能部门下不能再设下级单位。")
    expected = parent.level + (1 if unit.kind == UnitKind.AREA else 0)
    if unit.level != expected:
        raise ActionError(
            f"「{unit.name}」是{unit.get_level_display()}，只能移到"
            f"{'上一级' if unit.kind == UnitKind.AREA else '同级'}的行政区域之下。"
        )
    _unique_name(OrgUnit, parent, unit.name, exclude=unit)
    before = UNITS.snapshot(unit)
    old_path, new_path = unit.path, f"{parent.path}{unit.pk}/"
    OrgUnit.objects.filter(pk=unit.pk).update(parent=parent)
    OrgUnit.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1))
    )
    unit.refresh_from_db()
    UNITS.changed("unit.move", "单位移动（区划调整）", actor, unit, before, unit=parent)
    return unit


@transaction.atomic
def set_review_organ(actor, unit, *, organ) -> OrgUnit:
    """The organ that reviews (复查/复核) this unit's answers when it is not the unit above."""
    if organ is not None and unit.contains(organ):
        raise ActionError("复查（复核）机关不能是本单位或其下级单位（信访工作条例第三十五条：上一级机关）。")
    if organ is None and unit.parent_id is None:
        raise ActionError(f"「{unit.name}」没有上级单位，必须配置复查（复核）机关。")
    before = UNITS.snapshot(unit)
    unit.review_organ = organ
    unit.save(update_fields=["review_organ"])
    UNITS.changed("unit.review_organ", "配置复查（复核）机关", actor, unit, before, unit=unit)
    from grassroots.appeals.actions import reassess_doubtful_requests

    reassess_doubtful_requests()
    return unit


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


@transaction.atomic
def delete_unit(actor, unit) -> None:
    if blockers := unit_delete_blockers(unit):
        raise ActionError(f"不能删除「{unit.name}」：{'，'.join(blockers)}。请先移走后再删除。")
    before = UNITS.snapshot(unit)
    parent = unit.parent
    try:
        with transaction.atomic():
            pk = unit.pk
            unit.delete()
            unit.pk = pk
    except ProtectedError:
        raise ActionError(f"不能删除「{unit.name}」：办理记录中仍引用该单位。") from None
    UNITS.deleted("unit.delete", "删除单位", actor, unit, before, unit=parent)


# --- people and roles ---------------------------------------------------------------------------


@transaction.atomic
def create_user(actor, *, username, display_name, email="", phone="", password) -> User:
    username = require_text(username, "登录名", 150)
    if User.objects.filter(username__iexact=username).exists():
        raise ActionError(f"登录名「{username}」已被使用。")
    probe = User(username=username, display_name=display_name, email=email)
    try:
        validate_password(password, probe)
    except ValidationError as e:
        raise ActionError("；".join(e.messages)) from None
    try:
        with transaction.atomic():
            person = User.objects.create_user(
                username,
                email=email,
                password=password,
                display_name=require_text(display_name, "姓名", 50),
                phone=(phone or "").strip(),
            )
    except IntegrityError:
        raise ActionError(f"登录名「{username}」已被使用。") from None
    USERS.created("user.create", "创建用户", actor, person)
    return person


@transaction.atomic
def set_user_active(actor, person, *, active: bool) -> User:
    if not active and person.pk == actor.pk:
        raise ActionError("不能停用您自己的账号。")
    if person.is_active == active:
        raise ActionError("账号状态没有变化。")
    before = USERS.snapshot(person)
    person.is_active = active
    person.save(update_fields=["is_active"])
    units = [m.unit for m in person.memberships.select_related("unit")]
    USERS.changed(
        "user.activate" if active else "user.deactivate",
        "启用账号" if active else "停用账号",
        actor,
        person,
        before,
        unit=units[0] if len(units) == 1 else None,
    )
    return person


@transaction.atomic
def grant_role(actor, person, *, unit, role, post="") -> Membership:
    if role not in Role.values:
        raise ActionError("请选择角色。")
    post = require_text(post, "职务", 30, required=False)
    if Membership.objects.filter(user=person, unit=unit, role=role).exists():
        raise ActionError(f"{person} 在「{unit.name}」已是{Role(role).label}。")
    membership = Membership.objects.create(user=person, unit=unit, role=role, post=post)
    MEMBERSHIPS.created("role.grant", "授予角色", actor, membership, unit=unit)
    tell_admins_above(
        unit,
        actor,
        "授予角色",
        f"{person}（{person.username}）被授予「{unit.name}」的{Role(role).label}角色"
        + (f"，职务：{post}" if post else "")
        + "。",
    )
    return membership


@transaction.atomic
def change_post(actor, membership, *, post) -> Membership:
    """The post (职务) within a role: the reception-day rule follows it."""
    post = require_text(post, "职务", 30, required=False)
    if post == membership.post:
        raise ActionError("职务没有变化。")
    before = MEMBERSHIPS.snapshot(membership)
    membership.post = post
    membership.save(update_fields=["post"])
    MEMBERSHIPS.changed("role.post", "修改职务", actor, membership, before, unit=membership.unit)
    return membership


@transaction.atomic
def revoke_role(actor, membership) -> None:
    person = membership.user
    others = person.memberships.filter(role=Role.ADMIN).exclude(pk=membership.pk)
    if person.pk == actor.pk and membership.role == Role.ADMIN and not others.exists():
        raise ActionError("不能移除您自己唯一的系统管理员角色，否则将无法再进入系统管理。")
    before = MEMBERSHIPS.snapshot(membership)
    unit, label = membership.unit, membership.get_role_display()
    membership.delete()
    MEMBERSHIPS.deleted("role.revoke", "移除角色", actor, f"{person} · {unit} · {label}", before, unit=unit)
    tell_admins_above(
        unit, actor, "移除角色", f"{person}（{person.username}）在「{unit.name}」的{label}角色已被移除。"
    )


# --- categories ---------------------------------------------------------------------------------


@transaction.atomic
def add_category(actor, *, name, parent=None) -> Category:
    name = require_text(name, "名称", 50)
    if parent is not None and parent.level >= MAX_CATEGORY_LEVEL:
        raise ActionError(f"诉求分类最多三级，「{parent.full_name}」已是第三级，不能再添加下级分类。")
    _unique_name(Category, parent, name, what="分类")
    category = Category.objects.create(name=name, parent=parent)
    CATEGORIES.created("category.add", "添加诉求分类", actor, category)
    return category


@transaction.atomic
def rename_category(actor, category, *, name) -> Category:
    name = require_text(name, "名称", 50)
    if name == category.name:
        raise ActionError("名称没有变化。")
    _unique_name(Category, category.parent, name, exclude=category, what="分类")
    before = CATEGORIES.snapshot(category)
    category.name = name
    category.save(update_fields=["name"])
    CATEGORIES.changed("category.rename", "诉求分类更名", actor, category, before)
    return category


def _descendant_ids(category) -> list[int]:
    ids, frontier = [], [category.pk]
    while frontier:
        frontier = list(Category.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids += frontier
    return ids


@transaction.atomic
def set_category_active(actor, category, *, active: bool) -> int:
    """Deactivating takes the categories below along; activating needs the parent active."""
    if active and category.parent and not category.parent.is_active:
        raise ActionError(f"上级分类「{category.parent.full_name}」已停用，请先启用上级分类。")
    ids = [category.pk] if active else [category.pk, *_descendant_ids(category)]
    before = CATEGORIES.snapshot(category)
    Category.objects.filter(pk__in=ids).update(is_active=active)
    category.refresh_from_db()
    after = {**CATEGORIES.snapshot(category), "下级分类": len(ids) - 1}
    CATEGORIES.record(
        "category.activate" if active else "category.deactivate",
        "启用诉求分类" if active else "停用诉求分类",
        actor=actor,
        target=category,
        before=before,
        after=after,
    )
    return len(ids)


@transaction.atomic
def delete_category(actor, category) -> None:
    if Appeal.objects.filter(category=category).exists():
        raise ActionError(f"「{category.full_name}」已有诉求使用，不能删除；如不再使用请停用。")
    if category.children.exists():
        raise ActionError(f"「{category.full_name}」还有下级分类，不能删除。")
    if DispatchRule.objects.filter(category=category).exists():
        raise ActionError(f"「{category.full_name}」在派单目录中仍有条目，请先删除这些条目。")
    before = CATEGORIES.snapshot(category)
    label = category.full_name
    try:
        with transaction.atomic():
            category.delete()
    except ProtectedError:
        raise ActionError(f"「{label}」仍被引用，不能删除；如不再使用请停用。") from None
    CATEGORIES.deleted("category.delete", "删除诉求分类", actor, label, before)


# --- the dispatch catalogue ---------------------------------------------------------------------


@transaction.atomic
def add_dispatch_rule(actor, *, category, area, unit) -> DispatchRule:
    existing = DispatchRule.objects.select_related("unit").filter(category=category, area=area).first()
    if existing:
        raise ActionError(
            f"派单目录中已有「{category.full_name}」在「{area.name}」的条目（承办单位：{existing.unit.name}），"
            "同一分类和区域只能有一条，请在列表中修改该条目的承办单位。"
        )
    rule = DispatchRule.objects.create(category=category, area=area, unit=unit)
    DISPATCH_RULES.created("dispatch.add", "添加派单目录", actor, rule, unit=area)
    return rule


@transaction.atomic
def change_dispatch_rule(actor, rule, *, unit) -> DispatchRule:
    if unit is None or unit.pk == rule.unit_id:
        raise ActionError("承办单位没有变化。")
    before = DISPATCH_RULES.snapshot(rule)
    rule.unit = unit
    rule.save(update_fields=["unit", "updated_at"])
    DISPATCH_RULES.changed("dispatch.change", "修改派单目录", actor, rule, before, unit=rule.area)
    return rule


@transaction.atomic
def delete_dispatch_rule(actor, rule) -> None:
    before = DISPATCH_RULES.snapshot(rule)
    label, area = str(rule), rule.area
    rule.delete()
    DISPATCH_RULES.deleted("dispatch.delete", "删除派单目录", actor, label, before, unit=area)


# --- the working calendar and the rules ---------------------------------------------------------


def _calendar_changed(actor, what: str) -> list[str]:
    """Every app recomputes what the calendar moves; the administrators above are told."""
    recomputed = announce_calendar_change()
    _tell_of_system_change(actor, "工作日历已修改", f"工作日历已修改：{what}。")
    return recomputed


@transaction.atomic
def add_calendar_day(actor, *, day: date, is_workday: bool, name="") -> list[str]:
    name = require_text(name, "名称", 50, required=False)
    if is_workday and day.weekday() < 5:
        raise ActionError(f"{day:%Y-%m-%d} 本来就是工作日；「班」只用于周六、周日的调休上班。")
    if CalendarDay.objects.filter(date=day).exists():
        raise ActionError(f"{day:%Y-%m-%d} 已有安排，如需修改请先删除。")
    entry = CalendarDay.objects.create(date=day, is_workday=is_workday, name=name)
    CALENDAR_DAYS.created("calendar.day_add", "添加节假日/调休", actor, entry)
    return _calendar_changed(actor, f"添加 {entry}")


@transaction.atomic
def delete_calendar_day(actor, entry) -> list[str]:
    before = CALENDAR_DAYS.snapshot(entry)
    label = str(entry)
    entry.delete()
    CALENDAR_DAYS.deleted("calendar.day_delete", "删除节假日/调休", actor, label, before)
    return _calendar_changed(actor, f"删除 {label}")


@transaction.atomic
def mark_year(actor, year: int, *, source="") -> list[str]:
    """The year's schedule is entered: its days are no longer provisional."""
    existing = CalendarYear.objects.filter(year=year).first()
    before = {"已录入": bool(existing), "来源": existing.source if existing else ""}
    CalendarYear.objects.update_or_create(year=year, defaults={"source": (source or "").strip()[:200]})
    CALENDAR_YEARS.record(
        "calendar.year_mark",
        "标记年度已录入",
        actor=actor,
        target=f"{year}年",
        before=before,
        after={"已录入": True, "来源": (source or "").strip()[:200]},
    )
    return _calendar_changed(actor, f"{year} 年标记为已录入国务院公布的安排")


@transaction.atomic
def unmark_year(actor, year: int) -> list[str]:
    existing = CalendarYear.objects.filter(year=year).first()
    if existing is None:
        raise ActionError(f"{year} 年尚未标记为已录入。")
    before = {"已录入": True, "来源": existing.source}
    existing.delete()
    CALENDAR_YEARS.record(
        "calendar.year_unmark",
        "取消年度已录入",
        actor=actor,
        target=f"{year}年",
        before=before,
        after={"已录入": False},
    )
    return _calendar_changed(actor, f"取消 {year} 年的已录入标记")


@transaction.atomic
def replace_year(
    actor, year: int, *, days, replace: bool, mark_entered: bool, source=""
) -> tuple[int, list[str]]:
    """Save a pasted schedule (validated lines of (date, is_workday, name)); with `replace`, the
    year's other entries go. Returns (entries removed, what was recomputed)."""
    before = list(CalendarDay.objects.filter(date__year=year).values_list("date", "is_workday", "name"))
    removed = 0
    if replace:
        keep = [d for d, _w, _n in days]
        removed, _by_model = CalendarDay.objects.filter(date__year=year).exclude(date__in=keep).delete()
    for day, is_workday, name in days:
        CalendarDay.objects.update_or_create(date=day, defaults={"is_workday": is_workday, "name": name})
    if mark_entered:
        CalendarYear.objects.update_or_create(year=year, defaults={"source": (source or "").strip()[:200]})
    after = list(CalendarDay.objects.filter(date__year=year).values_list("date", "is_workday", "name"))
    CALENDAR_YEARS.record(
        "calendar.year_paste",
        "录入年度节假日安排",
        actor=actor,
        target=f"{year}年",
        before={"日期": _days_text(before)},
        after={"日期": _days_text(after), "标记已录入": mark_entered},
    )
    return removed, _calendar_changed(actor, f"录入 {year} 年节假日安排（{len(days)} 个日期）")


def _days_text(entries) -> list[str]:
    return [f"{d:%Y-%m-%d} {'班' if work else '休'} {name}".strip() for d, work, name in sorted(entries)]


@transaction.atomic
def edit_deadline_rule(actor, rule, *, days: int, extends_from_expiry: bool | None = None) -> DeadlineRule:
    """A time limit's days, within the law's bound: the state's limits may be made stricter, never
    longer; a party's window stays as the law sets it. Applies to clocks that start afterwards:
    a running clock keeps the days it started with, so no running window is ever shortened."""
    low, high = rule.allowed_days()
    if not low <= days <= high:
        if rule.legal_bound == LegalBound.EXACT:
            raise ActionError(
                f"「{rule.name}」是信访人（或承办单位）的法定期间，应为 {rule.legal_days} "
                f"{'个工作日' if rule.working_days else '日'}（信访工作条例{rule.basis}），不能修改。"
            )
        raise ActionError(
            f"「{rule.name}」不得超过法定的 {rule.legal_days} {'个工作日' if rule.working_days else '日'}"
            f"（信访工作条例{rule.basis}），可设为 {low} 至 {high}。"
        )
    before = DEADLINE_RULES.snapshot(rule)
    rule.days = days
    if extends_from_expiry is not None:
        rule.extends_from_expiry = extends_from_expiry
    if DEADLINE_RULES.snapshot(rule) == before:
        raise ActionError("时限规则没有变化。")
    rule.save(update_fields=["days", "extends_from_expiry"])
    DEADLINE_RULES.changed("rule.edit", "修改时限规则", actor, rule, before)
    _tell_of_rule_change(actor, f"时限规则「{rule}」已修改，此后开始计算的期限适用。")
    return rule


def _tell_of_rule_change(actor, body):
    _tell_of_system_change(actor, "时限规则已修改", body)


@transaction.atomic
def add_pause_ground(actor, *, key, name, basis, rules) -> PauseGround:
    """A ground for stopping a clock joins the closed list only with its article."""
    name = require_text(name, "名称", 50)
    basis = require_text(basis, "法律依据（条款）", 100)
    keys = [k for k in rules if k in set(DeadlineRule.objects.values_list("key", flat=True))]
    if not keys:
        raise ActionError("请选择该事由可以中止的时限。")
    if PauseGround.objects.filter(key=key).exists():
        raise ActionError("已有相同标识的中止事由。")
    ground = PauseGround.objects.create(key=key, name=name, basis=basis, rules=",".join(keys))
    PAUSE_GROUNDS.created("pause_ground.add", "添加期限中止事由", actor, ground)
    _tell_of_rule_change(actor, f"期限中止事由「{ground}」已添加。")
    return ground


@transaction.atomic
def set_pause_ground_active(actor, ground, *, active: bool) -> PauseGround:
    _set_active(PAUSE_GROUNDS, "期限中止事由", actor, ground, active)
    _tell_of_rule_change(actor, f"期限中止事由「{ground}」已{'启用' if active else '停用'}。")
    return ground


# --- the portal's assisted-service addresses ------------------------------------------------


@transaction.atomic
def add_assisted_address(actor, *, network, name) -> AssistedAddress:
    """List a 便民服务中心's address (or network) for the portal's higher per-address limit."""
    name = require_text(name, "服务点名称", 100)
    try:
        parsed = ipaddress.ip_network((network or "").strip(), strict=False)
    except ValueError:
        raise ActionError("请填写正确的网络地址，如 10.2.3.4 或 10.2.3.0/24。") from None
    if parsed.num_addresses > 256:
        raise ActionError("网段不能大于 256 个地址（/24）：只登记服务点自己的地址。")
    if AssistedAddress.objects.filter(network=str(parsed)).exists():
        raise ActionError(f"地址 {parsed} 已经登记。")
    address = AssistedAddress.objects.create(network=str(parsed), name=name)
    ASSISTED_ADDRESSES.created("assisted_address.add", "登记便民服务点地址", actor, address)
    return address


@transaction.atomic
def set_assisted_address_active(actor, address, *, active: bool) -> AssistedAddress:
    return _set_active(ASSISTED_ADDRESSES, "便民服务点地址", actor, address, active)


def _set_active(audited: Audited, noun: str, actor, obj, active: bool):
    """启用 or 停用 an object of a closed list, on the audit log as <type>.activate/deactivate."""
    if obj.is_active == active:
        raise ActionError("状态没有变化。")
    before = audited.snapshot(obj)
    obj.is_active = active
    obj.save(update_fields=["is_active"])
    verb, label = ("activate", "启用") if active else ("deactivate", "停用")
    audited.changed(f"{audited.target_type}.{verb}", f"{label}{noun}", actor, obj, before)
    return obj
