from datetime import date

import pytest
from django.urls import reverse

from grassroots.accounts.models import Membership
from grassroots.appeals.models import Category, DispatchRule
from grassroots.workcal.models import CalendarDay, DeadlineRule


@pytest.fixture
def urls(org):
    category = Category.objects.create(name="城乡建设")
    rule = DispatchRule.objects.create(category=category, area=org.east, unit=org.east_housing)
    membership = Membership.objects.get(user=org.handler)
    day = CalendarDay.objects.get(date=date(2026, 10, 1))
    deadline = DeadlineRule.objects.get(key="conclude")
    names = [
        ("home", []),
        ("units", []),
        ("unit", [org.east.pk]),
        ("unit_add_child", [org.east.pk]),
        ("unit_rename", [org.east.pk]),
        ("unit_delete", [org.hekou.pk]),
        ("users", []),
        ("user_new", []),
        ("user", [org.handler.pk]),
        ("membership_add", [org.handler.pk]),
        ("membership_post", [org.handler.pk, membership.pk]),
        ("membership_remove", [org.handler.pk, membership.pk]),
        ("user_deactivate", [org.handler.pk]),
        ("user_activate", [org.handler.pk]),
        ("categories", []),
        ("category_add", []),
        ("category", [category.pk]),
        ("category_add_child", [category.pk]),
        ("category_rename", [category.pk]),
        ("category_deactivate", [category.pk]),
        ("category_activate", [category.pk]),
        ("category_delete", [category.pk]),
        ("dispatch", []),
        ("dispatch_add", []),
        ("dispatch_rule", [rule.pk]),
        ("dispatch_delete", [rule.pk]),
        ("calendar", []),
        ("calendar_open", []),
        ("calendar_year", [2027]),
        ("calendar_day_add", [2027]),
        ("calendar_paste", [2027]),
        ("calendar_year_mark", [2027]),
        ("calendar_year_unmark", [2026]),
        ("calendar_day_delete", [day.pk]),
        ("deadline_rule", [deadline.pk]),
    ]
    return [reverse(f"administration:{name}", args=args) for name, args in names]


@pytest.mark.parametrize("who", ["clerk", "supervisor", "leader", "head", "handler"])
def test_it_refuses_every_page_to_non_admins(client, org, urls, who):
    client.force_login(getattr(org, who))
    for url in urls:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"name": "x", "days": "1"}).status_code == 403, url
    # nothing the POSTs asked for happened
    assert Category.objects.filter(name="城乡建设", is_active=True).exists()
    assert DispatchRule.objects.count() == 1
    assert Membership.objects.filter(user=org.handler).exists()
    assert CalendarDay.objects.filter(date=date(2026, 10, 1)).exists()


def test_it_sends_anonymous_visitors_to_the_login_page(client, org, urls):
    response = client.get(urls[0])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_shows_every_section_to_an_admin(client, org):
    client.force_login(org.admin)
    for name in ("home", "units", "users", "user_new", "categories", "dispatch", "calendar"):
        response = client.get(reverse(f"administration:{name}"))
        assert response.status_code == 200, name
    page = client.get(reverse("administration:home")).content.decode()
    for section in ("组织机构", "用户与角色", "诉求分类", "派单目录", "工作日历与时限"):
        assert section in page
