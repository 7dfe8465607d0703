"""Who sees whose record: inside, above, beside and outside the viewer's subtree."""

from datetime import date

import pytest

from grassroots.accounts.models import Membership, Role

from .conftest import main


@pytest.fixture
def records(org, activity, hekou_head, village_head, county_head):
    """Everyone in 东城县 went out once, long ago: all past the limit."""
    for who in (org.head, hekou_head, village_head, county_head):
        activity("outreach", date(2025, 12, 1), who)
    return {"hekou_head": hekou_head, "village_head": village_head}


def test_it_sends_an_anonymous_visitor_to_log_in(client, org):
    response = client.get("/accountability/")
    assert response.status_code == 302 and "/accounts/login" in response["Location"]


@pytest.mark.parametrize("url", ["/accountability/", "/accountability/absent", "/accountability/export.xlsx"])
def test_it_refuses_a_handler(client, org, url):
    client.force_login(org.handler)
    assert client.get(url).status_code == 403


def test_it_shows_nothing_of_the_county_to_an_outsider(client, org, records, travel):
    client.force_login(org.outsider)
    assert client.get("/accountability/").status_code == 403
    Membership.objects.create(user=org.outsider, unit=org.shanqian, role=Role.UNIT_HEAD)
    page = main(client.get("/accountability/"))
    assert "山前街道" in page and "东城县" not in page and "城关镇" not in page
    assert client.get(f"/accountability/?unit={org.east.pk}").status_code == 404
    assert client.get(f"/accountability/officials/{org.head.pk}/").status_code == 404
    absent = main(client.get("/accountability/absent"))
    assert "山前街道温迪" in absent and "镇长汉克" not in absent and "县长李" not in absent


def test_it_shows_a_town_head_his_town_but_not_the_next_town_nor_the_county(client, org, records, travel):
    client.force_login(org.head)
    page = main(client.get("/accountability/"))
    assert "城关镇（合计）" in page and "城东村" in page and "镇长汉克" in page
    assert "河口镇" not in page and "县长李" not in page
    assert client.get(f"/accountability/officials/{org.head.pk}/").status_code == 200
    assert client.get(f"/accountability/officials/{records['village_head'].pk}/").status_code == 200
    assert client.get(f"/accountability/officials/{records['hekou_head'].pk}/").status_code == 404
    assert client.get(f"/accountability/officials/{org.leader.pk}/").status_code == 404
    assert client.get(f"/accountability/?unit={org.hekou.pk}").status_code == 404
    assert client.get(f"/accountability/?unit={org.east.pk}").status_code == 404
    assert client.get(f"/accountability/absent?unit={org.hekou.pk}").status_code == 404
    absent = main(client.get("/accountability/absent"))
    assert "镇长汉克" in absent and "城东村书记陈" in absent
    assert "河口镇镇长何" not in absent and "县长李" not in absent


def test_it_shows_the_county_supervisor_every_official_below(client, org, records, travel):
    client.force_login(org.supervisor)
    page = main(client.get("/accountability/"))
    assert "东城县（合计）" in page and "城关镇" in page and "河口镇" in page and "县长李" in page
    assert "西山区" not in page
    for official in (org.leader, org.head, records["hekou_head"], records["village_head"]):
        assert client.get(f"/accountability/officials/{official.pk}/").status_code == 200
    assert client.get(f"/accountability/officials/{org.handler.pk}/").status_code == 404  # not an official
    absent = main(client.get("/accountability/absent"))
    assert all(name in absent for name in ("县长李", "镇长汉克", "河口镇镇长何", "城东村书记陈"))


def test_it_drills_down_from_the_county_to_a_town(client, org, records, travel):
    client.force_login(org.supervisor)
    page = main(client.get(f"/accountability/?unit={org.chengguan.pk}"))
    assert "城关镇（合计）" in page and "镇长汉克" in page and "河口镇" not in page
    assert f'href="?unit={org.east.pk}' in page  # the way back up


def test_it_lists_a_village_head_under_the_village_not_the_town(client, org, records, travel):
    client.force_login(org.head)
    page = main(client.get(f"/accountability/?unit={org.chengdong.pk}"))
    assert "城东村书记陈" in page and "镇长汉克" not in page


def test_it_shows_a_viewer_with_posts_in_two_towns_both_and_nothing_between(client, org, records, travel):
    Membership.objects.create(user=org.head, unit=org.hekou, role=Role.UNIT_HEAD)
    client.force_login(org.head)
    page = main(client.get("/accountability/"))
    assert f'href="?unit={org.chengguan.pk}' in page and f'href="?unit={org.hekou.pk}' in page
    assert "（合计）" not in page and "东城县" not in page
    assert client.get(f"/accountability/officials/{records['hekou_head'].pk}/").status_code == 200
    assert client.get(f"/accountability/officials/{org.leader.pk}/").status_code == 404
