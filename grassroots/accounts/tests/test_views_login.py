from django.urls import reverse


def test_it_shows_a_chinese_login_page(client, db):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert "工作人员登录" in response.content.decode()


def test_it_signs_in_and_lands_on_the_work_queues(client, org):
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": "pw-12345678"})
    assert response.status_code == 302
    assert response["Location"] == reverse("appeals:inbox")
    assert client.get(reverse("appeals:inbox")).status_code == 200


def test_it_refuses_a_wrong_password_in_chinese(client, org):
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": "wrong"})
    assert response.status_code == 200
    assert "密码" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_returns_to_the_page_asked_for_after_login(client, org):
    response = client.get(reverse("appeals:supervisions"))
    assert response.status_code == 302
    login_url = response["Location"]
    assert login_url.startswith(reverse("accounts:login"))
    response = client.post(
        login_url, {"username": "bob", "password": "pw-12345678", "next": reverse("appeals:supervisions")}
    )
    assert response["Location"] == reverse("appeals:supervisions")


def test_it_signs_out_by_post_only(client, org):
    client.force_login(org.clerk)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


def test_it_shows_the_administration_link_to_administrators_only(client, org):
    client.force_login(org.admin)
    page = client.get(reverse("appeals:supervisions")).content.decode()
    assert "系统管理" in page and "/manage/" in page
    client.force_login(org.clerk)
    page = client.get(reverse("appeals:supervisions")).content.decode()
    assert "系统管理" not in page
    assert "登记诉求" in page and "退出" in page and "登记员爱丽丝" in page


def test_it_shows_the_intake_link_only_to_desk_staff(client, org):
    client.force_login(org.handler)
    page = client.get(reverse("appeals:inbox")).content.decode()
    assert reverse("appeals:new") not in page
    assert "督办通知" in page
