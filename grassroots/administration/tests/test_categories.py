import pytest
from django.urls import reverse

from grassroots.appeals.models import Category


@pytest.fixture
def admin(client, org):
    client.force_login(org.admin)
    return client


@pytest.fixture
def tree(db):
    top = Category.objects.create(name="城乡建设")
    mid = Category.objects.create(name="市政设施", parent=top)
    leaf = Category.objects.create(name="路灯", parent=mid)
    return top, mid, leaf


def add(client, parent=None, name="新分类", **extra):
    url = (
        reverse("administration:category_add_child", args=[parent.pk])
        if parent
        else reverse("administration:category_add")
    )
    return client.post(url, {"name": name, **extra}, follow=True)


def test_it_lists_categories_as_a_tree(admin, tree):
    Category.objects.create(name="教育")
    page = admin.get(reverse("administration:categories")).content.decode()
    assert page.index("城乡建设") < page.index("市政设施") < page.index("路灯") < page.index("教育")
    assert 'class="depth-2"' in page


def test_it_adds_categories_down_to_the_third_level(admin, tree):
    top, mid, _leaf = tree
    add(admin, name="教育")
    add(admin, top, name="住房保障")
    add(admin, mid, name="道路破损")
    assert Category.objects.get(name="教育").level == 1
    assert Category.objects.get(name="住房保障").parent == top
    assert Category.objects.get(name="道路破损").level == 3


def test_it_refuses_a_fourth_level(admin, tree):
    leaf = tree[2]
    response = add(admin, leaf, name="灯杆倾斜")
    assert "诉求分类最多三级，「城乡建设 / 市政设施 / 路灯」已是第三级" in response.content.decode()
    assert not Category.objects.filter(name="灯杆倾斜").exists()


@pytest.mark.parametrize("where", ["top", "child"])
def test_it_refuses_a_duplicate_name_under_one_parent(admin, tree, where):
    top, mid, _leaf = tree
    if where == "top":
        response = add(admin, name="城乡建设")
    else:
        response = add(admin, top, name="市政设施")
    assert "同一上级下名称不能重复" in response.content.decode()
    assert Category.objects.count() == 3


def test_it_allows_the_same_name_under_different_parents(admin, tree):
    other = Category.objects.create(name="交通出行")
    add(admin, other, name="市政设施")
    assert Category.objects.filter(name="市政设施").count() == 2


def test_it_renames_a_category_but_not_onto_a_sibling(admin, tree):
    top, mid, leaf = tree
    Category.objects.create(name="供水", parent=mid)
    url = reverse("administration:category_rename", args=[leaf.pk])
    response = admin.post(url, {"name": "供水"})
    assert "已有名为「供水」的分类" in response.content.decode()
    admin.post(url, {"name": "路灯照明"})
    leaf.refresh_from_db()
    assert leaf.name == "路灯照明"


def test_it_deactivates_a_branch_and_reactivates_top_down(admin, tree):
    top, mid, leaf = tree
    admin.post(reverse("administration:category_deactivate", args=[top.pk]))
    assert not Category.objects.filter(is_active=True).exists()

    response = admin.post(reverse("administration:category_activate", args=[leaf.pk]), follow=True)
    assert "请先启用上级分类" in response.content.decode()
    leaf.refresh_from_db()
    assert not leaf.is_active

    admin.post(reverse("administration:category_activate", args=[top.pk]))
    admin.post(reverse("administration:category_activate", args=[mid.pk]))
    assert set(Category.objects.filter(is_active=True)) == {top, mid}


def test_it_never_deletes_a_category_used_by_appeals(admin, tree, make_appeal):
    leaf = tree[2]
    make_appeal(category=leaf)
    response = admin.post(reverse("administration:category_delete", args=[leaf.pk]), follow=True)
    assert "已有诉求使用，不能删除" in response.content.decode()
    assert Category.objects.filter(pk=leaf.pk).exists()

    unused = Category.objects.create(name="错别字分类")
    admin.post(reverse("administration:category_delete", args=[unused.pk]))
    assert not Category.objects.filter(pk=unused.pk).exists()
