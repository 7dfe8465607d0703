from django.template.loader import render_to_string
from django.test import RequestFactory

from grassroots.appeals.access import access_appeal_by_id
from grassroots.reception.views import ownership_context


def test_it_renders_the_staff_and_portal_pages(client, org, day):
    day.published = True
    day.save()
    client.force_login(org.leader)
    for url in ["/reception/", "/reception/new", f"/reception/{day.pk}/edit", "/reception/leader/"]:
        assert client.get(url).status_code == 200, url
    client.logout()
    page = client.get(f"/p/reception/{day.pk}/").content.decode()
    assert "尚余 2 个" in page
    assert 'name="submission_token"' in page
    assert client.get("/p/reception/cancel").status_code == 200


def test_it_offers_ownership_on_the_appeal_page_snippet(org, make_appeal):
    appeal = access_appeal_by_id(org.leader, make_appeal().pk)
    request = RequestFactory().get(f"/work/{appeal.pk}/")
    request.user = org.leader
    context = ownership_context(org.leader, appeal)
    html = render_to_string("reception/_ownership.html", context, request=request)
    assert "我来包案" in html
    assert "暂无领导包案" in html


def test_the_portal_names_the_leader_with_the_post_and_labels_the_form_plainly(client, org, day):
    day.published = True
    day.save()
    listing = client.get("/p/reception/").content.decode()
    assert "东城县县长 县长李 接访" in listing
    page = client.get(f"/p/reception/{day.pk}/").content.decode()
    assert "东城县县长 县长李 接访" in page
    assert "姓名:" not in page and "姓名：" not in page and ">姓名<" in page
