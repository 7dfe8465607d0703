from django.urls import reverse


def test_the_appeal_page_offers_a_leader_to_take_the_case_and_then_shows_the_owner(client, org, make_appeal):
    appeal = make_appeal()
    client.force_login(org.leader)
    page = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert "包案领导" in page and "我来包案" in page

    client.post(reverse("reception:own", args=[appeal.pk]), {"note": "疑难复杂，亲自督办"})
    page = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert f"{org.leader.display_name} 自" in page and "疑难复杂，亲自督办" in page
    assert "解除包案" in page

    client.force_login(org.clerk)
    page = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert org.leader.display_name in page and "我来包案" not in page and "解除包案" not in page
