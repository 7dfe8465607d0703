"""Error pages a resident or a clerk meets when a form cannot be taken: in Chinese, in the site's
look, and with what they typed shown back to them."""

from django.test import Client
from django.urls import reverse


def test_a_portal_form_refused_for_blocked_cookies_explains_and_keeps_the_text(org, form_data):
    content = "城东村三组路灯坏了两个月，晚上出行不便。" * 20
    response = Client(enforce_csrf_checks=True).post("/p/submit", form_data(content=content))
    page = response.content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    assert response.status_code == 403
    assert "提交未成功" in main and "Cookie" in main
    assert "DEBUG" not in main and "CSRF" not in main  # not Django's page for developers
    assert 'href="/p/"' in page and "/work/" not in page  # a resident is not sent to staff pages
    assert content in page and "小区路灯损坏" in page  # the typed text, to copy
    assert "13812345678" not in page  # personal numbers are retyped, never echoed
    assert "12345" in page  # a number to call


def test_the_kept_text_is_escaped(org, form_data):
    response = Client(enforce_csrf_checks=True).post(
        "/p/submit", form_data(title="<script>alert(1)</script>")
    )
    page = response.content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_reply_typed_while_the_login_expired_is_shown_after_logging_in_again(client, org, make_appeal):
    appeal = make_appeal()
    page = reverse("appeals:detail", args=[appeal.pk])
    reply = "经现场核查，已更换城东村三组路灯两盏，今后每月巡查一次。"
    response = client.post(
        reverse("appeals:act", args=[appeal.pk, "reply"]), {"text": reply, "version": "3"}, HTTP_REFERER=page
    )
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={page}"  # not the form-only address

    client.force_login(org.handler)
    shown = client.get(page).content.decode()
    assert "登录过期前您填写的内容" in shown and reply in shown
    assert reply not in client.get(page).content.decode()  # shown once


def test_opening_a_form_only_address_gives_a_page_in_chinese(client, org, make_appeal):
    appeal = make_appeal()
    client.force_login(org.clerk)
    response = client.get(reverse("appeals:act", args=[appeal.pk, "dispatch"]))
    assert response.status_code == 405
    page = response.content.decode()
    assert "这个地址只接受表单提交" in page and 'href="/work/"' in page
    assert response["Allow"] == "POST"


def test_a_residents_missing_page_links_to_the_portal_only(client, db):
    response = client.get("/p/track/NOSUCHCODE/nothing-here")
    assert response.status_code == 404
    assert 'href="/p/"' in response.content.decode()
    assert "/work/" not in response.content.decode()
