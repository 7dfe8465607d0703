"""Every administrative change, made through the pages, leaves one entry in the audit log: who,
when, from where, what before and after. Nobody can change or delete an entry."""

from datetime import date

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from grassroots.accounts.models import Membership, OrgUnit, Role, User
from grassroots.appeals.models import Category, DispatchRule
from grassroots.audit.models import AuditEntry, ImmutableEntry
from grassroots.portal.models import AssistedAddress
from grassroots.workcal.models import CalendarDay, CalendarYear, DeadlineRule, PauseGround

WHERE = {"REMOTE_ADDR": "10.8.0.21", "HTTP_USER_AGENT": "Mozilla/5.0 (Windows NT 10.0) 政务外网"}


@pytest.fixture
def admin(client, org):
    client.force_login(org.admin)
    return client


@pytest.fixture
def category(db):
    return Category.objects.create(name="城乡建设")


def _rule(org, category):
    return DispatchRule.objects.create(category=category, area=org.east, unit=org.east_housing)


# name -> (url, form data, expected action, what the entry says before, after); each built from
# (org, category) so the objects exist when the case runs
CHANGES = {
    "add a unit": lambda o, c: (
        reverse("administration:unit_add_child", args=[o.east.pk]),
        {"name": "新城镇", "kind": "area"},
        "unit.add",
        None,
        {"name": "新城镇", "level": 4},
    ),
    "rename a unit": lambda o, c: (
        reverse("administration:unit_rename", args=[o.hekou.pk]),
        {"name": "河口街道"},
        "unit.rename",
        {"name": "河口镇"},
        {"name": "河口街道"},
    ),
    "move a unit": lambda o, c: (
        reverse("administration:unit_move", args=[o.chengdong.pk]),
        {"parent": o.hekou.pk},
        "unit.move",
        {"parent": f"城关镇（#{o.chengguan.pk}）"},
        {"parent": f"河口镇（#{o.hekou.pk}）"},
    ),
    "set a reviewing organ": lambda o, c: (
        reverse("administration:unit_review_organ", args=[o.city.pk]),
        {"organ": OrgUnit.objects.create(name="示范省人民政府", level=1).pk},
        "unit.review_organ",
        {"review_organ": None},
        {"review_organ": f"示范省人民政府（#{OrgUnit.objects.get(name='示范省人民政府').pk}）"},
    ),
    "delete a unit": lambda o, c: (
        reverse(
            "administration:unit_delete",
            args=[OrgUnit.objects.create(name="备用村", level=5, parent=o.hekou).pk],
        ),
        {},
        "unit.delete",
        {"name": "备用村"},
        None,
    ),
    "create a user": lambda o, c: (
        reverse("administration:user_new"),
        {
            "username": "newbie",
            "display_name": "新同志",
            "email": "",
            "phone": "",
            "password": "Xk7!pq9-longer",
        },
        "user.create",
        None,
        {"username": "newbie", "is_active": True},
    ),
    "deactivate a user": lambda o, c: (
        reverse("administration:user_deactivate", args=[o.handler.pk]),
        {},
        "user.deactivate",
        {"is_active": True},
        {"is_active": False},
    ),
    "grant a role": lambda o, c: (
        reverse("administration:membership_add", args=[o.handler.pk]),
        {"unit": o.hekou.pk, "role": Role.UNIT_HEAD, "post": "镇长"},
        "role.grant",
        None,
        {"role": Role.UNIT_HEAD, "post": "镇长"},
    ),
    "change a post": lambda o, c: (
        reverse(
            "administration:membership_post",
            args=[o.leader.pk, Membership.objects.get(user=o.leader).pk],
        ),
        {"post": "县委书记"},
        "role.post",
        {"post": "县长"},
        {"post": "县委书记"},
    ),
    "revoke a role": lambda o, c: (
        reverse(
            "administration:membership_remove",
            args=[o.handler.pk, Membership.objects.get(user=o.handler).pk],
        ),
        {},
        "role.revoke",
        {"role": Role.HANDLER},
        None,
    ),
    "add a category": lambda o, c: (
        reverse("administration:category_add"),
        {"name": "社会保障"},
        "category.add",
        None,
        {"name": "社会保障", "is_active": True},
    ),
    "rename a category": lambda o, c: (
        reverse("administration:category_rename", args=[c.pk]),
        {"name": "住房城乡建设"},
        "category.rename",
        {"name": "城乡建设"},
        {"name": "住房城乡建设"},
    ),
    "deactivate a category": lambda o, c: (
        reverse("administration:category_deactivate", args=[c.pk]),
        {},
        "category.deactivate",
        {"is_active": True},
        {"is_active": False},
    ),
    "delete a category": lambda o, c: (
        reverse("administration:category_delete", args=[c.pk]),
        {},
        "category.delete",
        {"name": "城乡建设"},
        None,
    ),
    "add a dispatch rule": lambda o, c: (
        reverse("administration:dispatch_add"),
        {"category": c.pk, "area": o.east.pk, "unit": o.east_housing.pk},
        "dispatch.add",
        None,
        {"unit": f"东城县住建局（#{o.east_housing.pk}）"},
    ),
    "change a dispatch rule": lambda o, c: (
        reverse("administration:dispatch_rule", args=[_rule(o, c).pk]),
        {"unit": o.chengguan.pk},
        "dispatch.change",
        {"unit": f"东城县住建局（#{o.east_housing.pk}）"},
        {"unit": f"城关镇（#{o.chengguan.pk}）"},
    ),
    "delete a dispatch rule": lambda o, c: (
        reverse("administration:dispatch_delete", args=[_rule(o, c).pk]),
        {},
        "dispatch.delete",
        {"unit": f"东城县住建局（#{o.east_housing.pk}）"},
        None,
    ),
    "add a day off": lambda o, c: (
        reverse("administration:calendar_day_add", args=[2028]),
        {"date": "2028-10-01", "kind": "off", "name": "国庆节"},
        "calendar.day_add",
        None,
        {"date": "2028-10-01", "is_workday": False, "name": "国庆节"},
    ),
    "delete a day off": lambda o, c: (
        reverse(
            "administration:calendar_day_delete",
            args=[CalendarDay.objects.create(date=date(2028, 5, 1), name="劳动节").pk],
        ),
        {},
        "calendar.day_delete",
        {"date": "2028-05-01", "name": "劳动节"},
        None,
    ),
    "paste a year": lambda o, c: (
        reverse("administration:calendar_paste", args=[2028]),
        {"text": "2028-01-01 休 元旦", "replace": "on", "mark_entered": "on", "source": "通知"},
        "calendar.year_paste",
        {"日期": []},
        {"日期": ["2028-01-01 休 元旦"], "标记已录入": True},
    ),
    "mark a year entered": lambda o, c: (
        reverse("administration:calendar_year_mark", args=[2028]),
        {"source": "国办发明电"},
        "calendar.year_mark",
        {"已录入": False},
        {"已录入": True, "来源": "国办发明电"},
    ),
    "unmark a year": lambda o, c: (
        reverse("administration:calendar_year_unmark", args=[CalendarYear.objects.create(year=2028).year]),
        {},
        "calendar.year_unmark",
        {"已录入": True},
        {"已录入": False},
    ),
    "edit a time-limit rule": lambda o, c: (
        reverse("administration:deadline_rule", args=[DeadlineRule.objects.get(key="conclude").pk]),
        {"days": "45"},
        "rule.edit",
        {"days": 60},
        {"days": 45},
    ),
    "add a pause ground": lambda o, c: (
        reverse("administration:pause_ground_add"),
        {"name": "复查听证", "basis": "第三十五条（省规定）", "rules": ["review_decide"]},
        "pause_ground.add",
        None,
        {"name": "复查听证", "rules": "review_decide"},
    ),
    "switch a pause ground off": lambda o, c: (
        reverse(
            "administration:pause_ground_toggle", args=[PauseGround.objects.get(key="recheck_hearing").pk]
        ),
        {},
        "pause_ground.deactivate",
        {"is_active": True},
        {"is_active": False},
    ),
    "list an assisted-service address": lambda o, c: (
        reverse("administration:assisted_address_add"),
        {"network": "10.2.3.0/24", "name": "城关镇便民服务中心"},
        "assisted_address.add",
        None,
        {"network": "10.2.3.0/24", "name": "城关镇便民服务中心", "is_active": True},
    ),
    "switch an assisted-service address off": lambda o, c: (
        reverse(
            "administration:assisted_address_toggle",
            args=[AssistedAddress.objects.create(network="10.9.9.9/32", name="河口镇便民服务中心").pk],
        ),
        {},
        "assisted_address.deactivate",
        {"is_active": True},
        {"is_active": False},
    ),
}


@pytest.mark.parametrize("change", CHANGES)
def test_it_records_who_when_where_and_before_and_after(admin, org, category, change):
    url, data, action, before, after = CHANGES[change](org, category)
    response = admin.post(url, data, **WHERE)
    assert response.status_code == 302, response.content.decode()[:2000]

    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor_id, entry.ip) == (action, org.admin.pk, "10.8.0.21")
    assert "管理员（adam）" == entry.actor_name and "政务外网" in entry.user_agent
    for expected, recorded in ((before, entry.before), (after, entry.after)):
        if expected is None:
            assert recorded is None
        else:
            assert {k: recorded[k] for k in expected} == expected


def test_it_writes_nothing_for_a_refused_change(admin, org):
    admin.post(reverse("administration:unit_rename", args=[org.hekou.pk]), {"name": "城关镇"}, **WHERE)
    admin.post(
        reverse("administration:deadline_rule", args=[DeadlineRule.objects.get(key="conclude").pk]),
        {"days": "90"},
    )
    assert not AuditEntry.objects.exists()
    assert OrgUnit.objects.get(pk=org.hekou.pk).name == "河口镇"


def test_nobody_can_change_or_delete_an_entry(admin, org):
    admin.post(reverse("administration:unit_rename", args=[org.hekou.pk]), {"name": "河口街道"})
    entry = AuditEntry.objects.get()
    entry.actor_name = "别人"
    with pytest.raises(ImmutableEntry):
        entry.save()
    with pytest.raises(ImmutableEntry):
        entry.delete()
    with pytest.raises(ImmutableEntry):
        AuditEntry.objects.update(actor_name="别人")
    with pytest.raises(ImmutableEntry):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get().actor_name == "管理员（adam）"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger is PostgreSQL's; SQLite relies on the model"
)
def test_the_database_refuses_to_rewrite_an_entry(admin, org):
    admin.post(reverse("administration:unit_rename", args=[org.hekou.pk]), {"name": "河口街道"})
    with pytest.raises(DatabaseError, match="只能追加"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET actor_name = '别人'")
    with pytest.raises(DatabaseError, match="只能追加"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry")


def test_administrators_above_hear_of_a_role_granted_or_removed(
    admin, org, _memory_outbox, django_capture_on_commit_callbacks
):
    county_admin = User.objects.create(username="ken", display_name="县管理员", email="ken@example.gov.cn")
    Membership.objects.create(user=county_admin, unit=org.east, role=Role.ADMIN)
    admin.force_login(county_admin)
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(
            reverse("administration:membership_add", args=[org.hekou_handler.pk]),
            {"unit": org.hekou.pk, "role": Role.UNIT_HEAD, "post": ""},
        )
    told = [m for m in _memory_outbox if m["subject"] == "授予角色"]
    assert [m["to"] for m in told] == ["adam@example.gov.cn"]  # the city's administrator, above 东城县
    assert (
        "河口镇卡尔" in told[0]["body"] and "单位负责人" in told[0]["body"] and "县管理员" in told[0]["body"]
    )


def test_administrators_above_hear_of_a_calendar_change(
    admin, org, _memory_outbox, django_capture_on_commit_callbacks
):
    other = User.objects.create(username="ann", display_name="另一位管理员", email="ann@example.gov.cn")
    Membership.objects.create(user=other, unit=org.city, role=Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(
            reverse("administration:calendar_day_add", args=[2028]),
            {"date": "2028-10-02", "kind": "off", "name": "国庆"},
        )
    assert [m["to"] for m in _memory_outbox if m["subject"] == "工作日历已修改"] == ["ann@example.gov.cn"]


# --- who reads the log ----------------------------------------------------------------------------


def test_administrators_and_supervisors_read_the_log_within_their_scope(client, org):
    client.force_login(org.admin)
    client.post(reverse("administration:unit_rename", args=[org.hekou.pk]), {"name": "河口街道"})
    client.post(reverse("administration:unit_rename", args=[org.shanqian.pk]), {"name": "山前镇"})
    client.post(
        reverse("administration:deadline_rule", args=[DeadlineRule.objects.get(key="conclude").pk]),
        {"days": "50"},
    )
    page = client.get(reverse("audit:entries")).content.decode()
    assert "河口街道" in page and "山前镇" in page and "修改时限规则" in page

    client.force_login(org.supervisor)  # 东城县: its own units, and the system-wide rules
    page = client.get(reverse("audit:entries")).content.decode()
    assert "河口街道" in page and "修改时限规则" in page and "山前镇" not in page

    client.force_login(org.clerk)
    assert client.get(reverse("audit:entries")).status_code == 403


def test_the_log_has_no_way_to_edit(client, org):
    client.force_login(org.admin)
    client.post(reverse("administration:unit_rename", args=[org.hekou.pk]), {"name": "河口街道"})
    assert client.post(reverse("audit:entries"), {"actor_name": "别人"}).status_code == 405
    assert AuditEntry.objects.get().actor_name == "管理员（adam）"
