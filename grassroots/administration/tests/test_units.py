import pytest
from django.urls import reverse

from grassroots.accounts.models import Level, OrgUnit, UnitKind


@pytest.fixture
def admin(client, org):
    client.force_login(org.admin)
    return client


def add_child(client, parent, **data):
    return client.post(reverse("administration:unit_add_child", args=[parent.pk]), data, follow=True)


def test_it_lists_the_tree_with_children_under_their_parents(admin, org):
    page = admin.get(reverse("administration:units")).content.decode()
    assert (
        page.index("示范市")
        < page.index("东城县")
        < page.index("城关镇")
        < page.index("城东村")
        < page.index("河口镇")
        < page.index("西山区")
        < page.index("山前街道")
    )
    assert page.index("东城县信访局") < page.index("城关镇")  # departments first under their area


def test_it_adds_an_area_one_level_below_and_a_department_at_the_same_level(admin, org):
    add_child(admin, org.east, name="新城镇", kind=UnitKind.AREA)
    add_child(admin, org.east, name="东城县民政局", kind=UnitKind.DEPARTMENT)
    town = OrgUnit.objects.get(name="新城镇")
    bureau = OrgUnit.objects.get(name="东城县民政局")
    assert (town.level, town.parent, town.path) == (Level.TOWNSHIP, org.east, f"{org.east.path}{town.pk}/")
    assert (bureau.level, bureau.kind) == (Level.COUNTY, UnitKind.DEPARTMENT)


def test_it_creates_one_unit_when_the_form_is_submitted_twice(admin, org):
    data = {"name": "新城镇", "kind": UnitKind.AREA, "submission_token": "a" * 32}
    add_child(admin, org.east, **data)
    response = add_child(admin, org.east, **data)
    assert response.status_code == 200
    assert OrgUnit.objects.filter(name="新城镇").count() == 1


@pytest.mark.parametrize(
    "parent, kind, message",
    [
        ("chengdong", UnitKind.AREA, "村（社区）是最低一级行政区域"),
        ("east_housing", UnitKind.DEPARTMENT, "职能部门下不能再设下级单位"),
        ("east", UnitKind.AREA, "已有名为「城关镇」的单位"),
    ],
)
def test_it_refuses_a_child_that_does_not_fit_the_tree(admin, org, parent, kind, message):
    before = OrgUnit.objects.count()
    name = "城关镇" if parent == "east" else "新单位"
    response = add_child(admin, getattr(org, parent), name=name, kind=kind)
    assert message in response.content.decode()
    assert OrgUnit.objects.count() == before


def test_it_renames_a_unit_unless_a_sibling_has_the_name(admin, org):
    url = reverse("administration:unit_rename", args=[org.hekou.pk])
    response = admin.post(url, {"name": "城关镇"})
    assert "已有名为「城关镇」的单位" in response.content.decode()
    admin.post(url, {"name": "河口街道"})
    org.hekou.refresh_from_db()
    assert org.hekou.name == "河口街道"


def test_it_deletes_only_an_empty_unit_and_says_why_not(admin, org, make_appeal):
    response = admin.post(reverse("administration:unit_delete", args=[org.chengguan.pk]), follow=True)
    page = response.content.decode()
    assert "不能删除「城关镇」" in page and "有 1 个下级单位" in page and "有 2 名人员在此任职" in page
    assert OrgUnit.objects.filter(pk=org.chengguan.pk).exists()

    empty = OrgUnit.objects.create(name="新村", level=Level.VILLAGE, parent=org.hekou)
    make_appeal(place_unit=empty)
    response = admin.post(reverse("administration:unit_delete", args=[empty.pk]), follow=True)
    assert "有 1 件诉求与其相关" in response.content.decode()
    assert OrgUnit.objects.filter(pk=empty.pk).exists()

    spare = OrgUnit.objects.create(name="备用村", level=Level.VILLAGE, parent=org.hekou)
    response = admin.post(reverse("administration:unit_delete", args=[spare.pk]), follow=True)
    assert "已删除「备用村」" in response.content.decode()
    assert not OrgUnit.objects.filter(pk=spare.pk).exists()
