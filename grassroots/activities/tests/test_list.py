"""The list of activities: filters by kind, unit, official, dates and text, and pages."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from grassroots.activities.models import Kind
from grassroots.activities.tests.helpers import make_activity

pytestmark = pytest.mark.usefixtures("travel")  # Monday 2026-03-02


@pytest.fixture
def activities(org):
    make_activity(org, title="城东村医保政策宣讲", date=date(2026, 2, 26))
    make_activity(
        org,
        title="河口镇养老服务调研",
        kind=Kind.RESEARCH,
        unit=org.hekou,
        actor=org.leader,
        officials=[org.leader],
    )
    make_activity(
        org, title="城关镇现场办公", kind=Kind.ONSITE, date=date(2026, 1, 10), summary="解决排水沟堵塞"
    )


def titles(client, **params):
    page = client.get(reverse("activities:list"), params).content.decode()
    return {t for t in ("城东村医保政策宣讲", "河口镇养老服务调研", "城关镇现场办公") if t in page}


def test_it_filters_by_kind_unit_official_dates_and_text(client, org, activities):
    client.force_login(org.leader)
    everything = {"城东村医保政策宣讲", "河口镇养老服务调研", "城关镇现场办公"}
    assert titles(client) == everything
    assert titles(client, kind="research") == {"河口镇养老服务调研"}
    assert titles(client, unit=org.chengguan.pk) == {"城东村医保政策宣讲", "城关镇现场办公"}
    assert titles(client, official=org.leader.pk) == {"河口镇养老服务调研"}
    assert titles(client, start="2026-02-01") == {"城东村医保政策宣讲", "河口镇养老服务调研"}
    assert titles(client, end="2026-01-31") == {"城关镇现场办公"}
    assert titles(client, q="排水沟") == {"城关镇现场办公"}
    assert titles(client, q="政策宣讲") == {"城东村医保政策宣讲"}
    assert titles(client, q="河口镇") == {"河口镇养老服务调研"}  # the place's name
    assert titles(client, kind="bogus", unit="x", start="2026-13-45") == everything


def test_a_unit_outside_the_users_scope_filters_nothing_in(client, org, activities):
    client.force_login(org.head)
    assert titles(client) == {"城东村医保政策宣讲", "城关镇现场办公"}
    assert titles(client, unit=org.hekou.pk) == {"城东村医保政策宣讲", "城关镇现场办公"}
    page = client.get(reverse("activities:list")).content.decode()
    assert "河口镇" not in page


def test_it_pages_the_list(client, org):
    for i in range(31):
        make_activity(org, title=f"第{i:02d}场宣讲", date=date(2026, 3, 1) - timedelta(days=i))
    client.force_login(org.head)
    first = client.get(reverse("activities:list")).content.decode()
    assert "第00场宣讲" in first and "第30场宣讲" not in first
    assert "第 1 / 2 页，共 31 条" in first
    second = client.get(reverse("activities:list"), {"page": 2}).content.decode()
    assert "第30场宣讲" in second and "第00场宣讲" not in second
