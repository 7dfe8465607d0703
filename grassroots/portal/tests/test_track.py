from django.test import Client

from grassroots.appeals import actions
from grassroots.appeals.models import Appeal, Rating, Status

NO_MATCH = "查询码或手机号后四位不正确"


def unlock(client, appeal, last4="5678", **extra):
    return client.post("/p/track", {"code": appeal.tracking_code, "last4": last4}, **extra)


def replied(org, appeal, handle_note="内部：请鲍勃周五前去现场"):
    appeal = actions.dispatch(appeal, org.clerk, unit=org.chengguan)
    appeal = actions.inform(appeal, org.handler, note="已受理，将实地查看")
    appeal = actions.handle(appeal, org.handler, note=handle_note)
    return actions.reply(appeal, org.handler, text="已更换路灯两盏。")


def test_it_gives_one_generic_message_for_any_wrong_combination(client, make_appeal):
    appeal = make_appeal()
    wrong_digits = unlock(client, appeal, last4="0000").content.decode()
    no_such_code = client.post("/p/track", {"code": "ZZZZZZZZZZ", "last4": "5678"}).content.decode()
    assert NO_MATCH in wrong_digits and NO_MATCH in no_such_code
    assert client.get(f"/p/track/{appeal.tracking_code}").status_code == 404


def test_it_unlocks_the_progress_page_for_this_browser_only(client, make_appeal):
    appeal = make_appeal()
    assert Client().get(f"/p/track/{appeal.tracking_code}").status_code == 404
    response = client.post("/p/track", {"code": appeal.tracking_code.lower(), "last4": "5678"})
    assert response["Location"] == f"/p/track/{appeal.tracking_code}"
    page = client.get(response["Location"]).content.decode()
    assert "小区路灯损坏" in page and "正在确定承办单位" in page
    assert "王*" in page and "138****5678" in page and "13812345678" not in page
    assert Client().get(response["Location"]).status_code == 404


def test_it_limits_lookups_per_address(client, make_appeal, settings):
    settings.PORTAL_LOOKUP_RATE = 3
    appeal = make_appeal()
    for _ in range(3):
        unlock(client, appeal, last4="0000")
    response = unlock(client, appeal)
    assert response.status_code == 429
    assert "过于频繁" in response.content.decode()


def test_it_limits_guesses_at_one_tracking_code_from_any_address(client, make_appeal, settings):
    settings.PORTAL_LOOKUP_RATE_PER_CODE = 3
    appeal = make_appeal()
    for n in range(3):
        unlock(client, appeal, last4="0000", REMOTE_ADDR=f"192.0.2.{n}")
    response = unlock(client, appeal, REMOTE_ADDR="192.0.2.99")
    assert response.status_code == 429
    assert "这个查询码这一小时内查询的次数太多了" in response.content.decode()


def test_it_shows_public_progress_without_staff_or_internal_notes(client, org, make_appeal, travel):
    appeal = replied(org, make_appeal())
    unlock(client, appeal)
    page = client.get(f"/p/track/{appeal.tracking_code}").content.decode()
    assert "已书面答复" in page and "城关镇" in page
    assert "已受理，将实地查看" in page and "已更换路灯两盏。" in page
    assert "申请复查截止日" in page and "2026年4月1日" in page
    assert "内部" not in page
    for staff in (org.clerk, org.handler):
        assert staff.display_name not in page


def test_it_keeps_the_dispatch_instruction_and_close_note_from_the_resident(client, org, make_appeal):
    appeal = actions.dispatch(make_appeal(), org.clerk, unit=org.chengguan, note="此人多次来访，注意稳控")
    appeal = actions.inform(appeal, org.handler, note="已受理")
    appeal = actions.reply(appeal, org.handler, text="已修复。")
    actions.close(appeal, org.clerk, note="电话回访确认")
    unlock(client, appeal)
    page = client.get(f"/p/track/{appeal.tracking_code}").content.decode()
    assert "交办至城关镇" in page and "办结" in page
    assert "注意稳控" not in page and "电话回访确认" not in page


def test_it_never_names_the_accused_unit(client, org, make_appeal):
    appeal = make_appeal(is_report=True, accused_unit=org.hekou, title="反映河口镇乱收费")
    appeal = actions.dispatch(appeal, org.clerk, unit=org.chengguan)
    Appeal.objects.filter(pk=appeal.pk).update(title="反映乱收费")
    unlock(client, appeal)
    page = client.get(f"/p/track/{appeal.tracking_code}").content.decode()
    assert "反映乱收费" in page
    assert "河口镇" not in page


def test_it_escapes_what_residents_typed(client, org, form_data):
    client.post("/p/submit", form_data(title="<script>alert(1)</script>"))
    appeal = Appeal.objects.get()
    unlock(client, appeal)
    page = client.get(f"/p/track/{appeal.tracking_code}").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


def test_it_takes_one_rating_per_answer(client, org, make_appeal, travel):
    appeal = replied(org, make_appeal())
    unlock(client, appeal)
    url = f"/p/track/{appeal.tracking_code}"
    assert 'action="' + url + '/rate"' in client.get(url).content.decode()

    page = client.post(url + "/rate", {"score": "satisfied", "comment": "很快"}, follow=True)
    assert "感谢您的评价" in page.content.decode()
    assert 'action="' + url + '/rate"' not in page.content.decode()

    page = client.post(url + "/rate", {"score": "unsatisfied"}, follow=True)
    assert "您已评价过本次答复" in page.content.decode()
    assert list(Rating.objects.values_list("score", flat=True)) == ["satisfied"]


def test_it_refuses_a_rating_before_any_written_answer(client, make_appeal):
    appeal = make_appeal()
    unlock(client, appeal)
    page = client.post(f"/p/track/{appeal.tracking_code}/rate", {"score": "satisfied"}, follow=True)
    assert "尚未收到书面答复" in page.content.decode()
    assert not Rating.objects.exists()


def test_it_offers_a_review_after_an_unsatisfied_rating(client, org, make_appeal, travel):
    appeal = replied(org, make_appeal())
    unlock(client, appeal)
    url = f"/p/track/{appeal.tracking_code}"
    page = client.post(url + "/rate", {"score": "unsatisfied", "comment": "灯还是不亮"}, follow=True)
    appeal.refresh_from_db()
    assert appeal.unsatisfied
    assert 'action="' + url + '/review"' in page.content.decode()

    version = appeal.version
    page = client.post(url + "/review", {"reason": "换的灯第二天又坏了", "version": version}, follow=True)
    appeal.refresh_from_db()
    assert appeal.status == Status.REVIEWING and appeal.review_unit == org.east
    assert "东城县将在法定期限内出具意见" in page.content.decode()
    assert "复查中" in page.content.decode()


def test_it_refuses_a_review_30_days_after_the_answer_was_read_online(client, org, make_appeal, travel):
    appeal = replied(org, make_appeal())
    unlock(client, appeal)
    url = f"/p/track/{appeal.tracking_code}"
    client.get(url)  # read on Mon 2 Mar: received (§35), the window runs to Wed 1 Apr
    travel.move_to("2026-04-20 10:00 +0800")
    unlock(client, appeal)
    appeal.refresh_from_db()
    page = client.post(url + "/review", {"reason": "不服", "version": appeal.version}, follow=True)
    assert "申请期限已于 2026年04月01日 届满" in page.content.decode()
    appeal.refresh_from_db()
    assert appeal.status == Status.REPLIED


def test_it_tells_about_a_stale_page_without_naming_staff(client, org, make_appeal, travel):
    appeal = replied(org, make_appeal())
    unlock(client, appeal)
    stale_version = appeal.version
    actions.close(appeal, org.clerk)
    url = f"/p/track/{appeal.tracking_code}"
    page = client.post(url + "/review", {"reason": "不服", "version": stale_version}, follow=True)
    assert "办理情况刚刚有更新" in page.content.decode()
    assert org.clerk.display_name not in page.content.decode()


def test_it_requires_an_unlocked_session_to_rate_or_review(client, org, make_appeal, travel):
    appeal = replied(org, make_appeal())
    url = f"/p/track/{appeal.tracking_code}"
    assert client.post(url + "/rate", {"score": "satisfied"}).status_code == 404
    assert client.post(url + "/review", {"reason": "不服", "version": appeal.version}).status_code == 404
    assert not Rating.objects.exists()


def test_after_a_review_the_rating_asks_about_the_review_opinion(client, org, make_appeal, travel):
    appeal = replied(org, make_appeal())
    unlock(client, appeal)
    url = f"/p/track/{appeal.tracking_code}"
    assert "您对答复意见是否满意" in client.get(url).content.decode()
    client.post(url + "/rate", {"score": "unsatisfied", "comment": "灯还是不亮"})
    appeal.refresh_from_db()
    client.post(url + "/review", {"reason": "换的灯第二天又坏了", "version": appeal.version})
    appeal.refresh_from_db()
    actions.decide_review(appeal, org.leader, decision="varied", text="责成城关镇更换灯具并每周巡查。")
    page = client.get(url).content.decode()
    assert "您对复查意见是否满意" in page and "您对答复意见是否满意" not in page
    assert "变更原处理意见。责成城关镇更换灯具并每周巡查。" in page
