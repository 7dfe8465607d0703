import pytest
from django.test import Client
from django.urls import reverse

from grassroots.accounts.models import Membership, Role, User


@pytest.fixture
def admin(client, org):
    client.force_login(org.admin)
    return client


def new_user(client, **overrides):
    data = {
        "username": "zhang",
        "display_name": "张三",
        "email": "zhang@example.gov.cn",
        "phone": "0591-1234567",
        "password": "初始密码-2026",
        **overrides,
    }
    return client.post(reverse("administration:user_new"), data, follow=True)


def test_it_lists_users_with_their_memberships(admin, org):
    page = admin.get(reverse("administration:users")).content.decode()
    assert "bob" in page and "城关镇 · 承办人" in page and "示范市 · 系统管理员" in page
    page = admin.get(reverse("administration:users"), {"q": "河口"}).content.decode()
    assert "carl" in page and "bob" not in page


def test_it_creates_a_user_who_can_log_in(admin, org):
    response = new_user(admin)
    person = User.objects.get(username="zhang")
    assert response.redirect_chain[-1][0] == reverse("administration:user", args=[person.pk])
    assert person.display_name == "张三"
    assert (person.email, person.phone) == ("zhang@example.gov.cn", "0591-1234567")
    assert person.check_password("初始密码-2026")


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"password": "short"}, "8"),
        ({"username": "BOB"}, "登录名「BOB」已被使用"),
        ({"display_name": ""}, "这个字段是必填项"),
    ],
)
def test_it_refuses_a_user_with_bad_input(admin, org, overrides, message):
    before = User.objects.count()
    response = new_user(admin, **overrides)
    assert message in response.content.decode()
    assert User.objects.count() == before


def test_it_adds_and_removes_a_membership(admin, org):
    url = reverse("administration:membership_add", args=[org.handler.pk])
    admin.post(url, {"unit": org.hekou.pk, "role": Role.UNIT_HEAD})
    assert Membership.objects.filter(user=org.handler, unit=org.hekou, role=Role.UNIT_HEAD).exists()

    response = admin.post(url, {"unit": org.hekou.pk, "role": Role.UNIT_HEAD})
    assert "已是单位负责人" in response.content.decode()
    assert Membership.objects.filter(user=org.handler).count() == 2

    m = Membership.objects.get(user=org.handler, unit=org.hekou)
    admin.post(reverse("administration:membership_remove", args=[org.handler.pk, m.pk]))
    assert not Membership.objects.filter(pk=m.pk).exists()


def test_it_changes_the_post_of_a_membership(admin, org):
    m = Membership.objects.get(user=org.leader)
    url = reverse("administration:membership_post", args=[org.leader.pk, m.pk])
    response = admin.post(url, {"post": "县委书记"}, follow=True)
    assert "职务改为：县委书记" in response.content.decode()
    m.refresh_from_db()
    assert m.post == "县委书记"

    response = admin.post(url, {"post": "长" * 31}, follow=True)
    assert "职务不能超过 30 个字" in response.content.decode()
    m.refresh_from_db()
    assert m.post == "县委书记"


def test_it_keeps_an_admin_from_locking_themselves_out(admin, org):
    m = Membership.objects.get(user=org.admin)
    response = admin.post(reverse("administration:membership_remove", args=[org.admin.pk, m.pk]), follow=True)
    assert "不能移除您自己唯一的系统管理员角色" in response.content.decode()
    assert Membership.objects.filter(pk=m.pk).exists()
    response = admin.post(reverse("administration:user_deactivate", args=[org.admin.pk]), follow=True)
    assert "不能停用您自己的账号" in response.content.decode()
    org.admin.refresh_from_db()
    assert org.admin.is_active


def test_it_deactivates_a_user_who_then_cannot_log_in(admin, org):
    admin.post(reverse("administration:user_deactivate", args=[org.handler.pk]))
    org.handler.refresh_from_db()
    assert not org.handler.is_active
    assert not Client().login(username="bob", password="pw-12345678")
    admin.post(reverse("administration:user_activate", args=[org.handler.pk]))
    org.handler.refresh_from_db()
    assert org.handler.is_active
