import pytest
from django.urls import reverse

from grassroots.appeals.models import Category, DispatchRule


@pytest.fixture
def admin(client, org):
    client.force_login(org.admin)
    return client


@pytest.fixture
def lights(db):
    top = Category.objects.create(name="城乡建设")
    return Category.objects.create(name="路灯", parent=top)


def test_it_adds_an_entry_that_suggests_the_unit_for_new_appeals(admin, org, lights, make_appeal):
    old = make_appeal(category=lights)
    response = admin.post(
        reverse("administration:dispatch_add"),
        {"category": lights.pk, "area": org.chengguan.pk, "unit": org.chengguan.pk},
        follow=True,
    )
    page = response.content.decode()
    assert "只影响此后登记的诉求" in page
    assert "城乡建设 / 路灯 @ 城关镇 → 城关镇" in page
    assert make_appeal(category=lights).suggested_unit == org.chengguan
    old.refresh_from_db()
    assert old.suggested_unit is None


def test_it_refuses_a_second_entry_for_the_same_category_and_area(admin, org, lights):
    DispatchRule.objects.create(category=lights, area=org.chengguan, unit=org.chengguan)
    response = admin.post(
        reverse("administration:dispatch_add"),
        {"category": lights.pk, "area": org.chengguan.pk, "unit": org.east_housing.pk},
    )
    page = response.content.decode()
    assert "派单目录中已有「城乡建设 / 路灯」在「城关镇」的条目（承办单位：城关镇）" in page
    assert DispatchRule.objects.get().unit == org.chengguan


def test_it_refuses_a_department_as_the_area(admin, org, lights):
    admin.post(
        reverse("administration:dispatch_add"),
        {"category": lights.pk, "area": org.east_housing.pk, "unit": org.east_housing.pk},
    )
    assert not DispatchRule.objects.exists()


def test_it_filters_the_catalogue(admin, org, lights):
    water = Category.objects.create(name="供水")
    DispatchRule.objects.create(category=lights, area=org.chengguan, unit=org.chengguan)
    DispatchRule.objects.create(category=water, area=org.east, unit=org.east_housing)
    page = admin.get(reverse("administration:dispatch"), {"unit": org.east_housing.pk}).content.decode()
    assert "<td>供水</td>" in page and "<td>城乡建设 / 路灯</td>" not in page
    page = admin.get(reverse("administration:dispatch"), {"category": lights.pk}).content.decode()
    assert "<td>城乡建设 / 路灯</td>" in page and "<td>供水</td>" not in page


def test_it_changes_the_unit_and_deletes_an_entry(admin, org, lights):
    rule = DispatchRule.objects.create(category=lights, area=org.east, unit=org.east_housing)
    page = admin.get(reverse("administration:dispatch_rule", args=[rule.pk])).content.decode()
    assert "只影响此后登记的诉求" in page
    admin.post(reverse("administration:dispatch_rule", args=[rule.pk]), {"unit": org.chengguan.pk})
    rule.refresh_from_db()
    assert rule.unit == org.chengguan
    admin.post(reverse("administration:dispatch_delete", args=[rule.pk]))
    assert not DispatchRule.objects.exists()
