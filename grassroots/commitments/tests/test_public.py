"""The residents' side: the board of a place, a commitment's page, evidence images, follow/unfollow."""

import uuid
from datetime import date

import pytest
from django.urls import reverse

from grassroots.commitments import actions
from grassroots.commitments.models import Follower
from grassroots.commitments.tests.helpers import make_commitment, photo
from grassroots.ledger.tests.helpers import make_problem
from grassroots.lib import crypto
from grassroots.notify.models import Notification

pytestmark = pytest.mark.usefixtures("travel")  # Monday 2026-03-02

BOARD = reverse("commitments_public:board")


def place_board(unit):
    return reverse("commitments_public:place", args=[unit.pk])


def follow(client, commitment, phone="13900001111", token=None):
    return client.post(
        reverse("commitments_public:detail", args=[commitment.pk]),
        {"phone": phone, "submission_token": token or uuid.uuid4().hex},
    )


# --- the board ----------------------------------------------------------------------------------


def test_the_board_of_a_village_shows_its_own_and_not_a_sibling_villages(client, org, chengxi):
    make_commitment(org, content="城东村修路灯", publish=True)
    make_commitment(org, content="城西村修水渠", place=chengxi, publish=True)
    make_commitment(org, content="城关镇建菜市场", place=org.chengguan, publish=True)
    make_commitment(org, content="河口镇修桥", responsible_unit=org.hekou, place=org.hekou, actor=org.leader)
    actions.publish(org.hekou.commitments.get(), org.leader)

    def shown(url):
        page = client.get(url).content.decode()
        return {t for t in ("城东村修路灯", "城西村修水渠", "城关镇建菜市场", "河口镇修桥") if t in page}

    assert shown(place_board(org.chengdong)) == {"城东村修路灯"}
    assert shown(place_board(chengxi)) == {"城西村修水渠"}
    assert shown(place_board(org.chengguan)) == {"城东村修路灯", "城西村修水渠", "城关镇建菜市场"}
    assert shown(place_board(org.east)) == {"城东村修路灯", "城西村修水渠", "城关镇建菜市场", "河口镇修桥"}
    assert shown(place_board(org.west)) == set()
    assert shown(BOARD) == {"城东村修路灯", "城西村修水渠", "城关镇建菜市场", "河口镇修桥"}


def test_the_board_lets_residents_choose_a_county_then_a_township_then_a_village(client, org, chengxi):
    make_commitment(org, publish=True)
    page = client.get(BOARD).content.decode()
    assert place_board(org.east) in page and place_board(org.west) in page
    assert place_board(org.chengguan) not in page
    page = client.get(place_board(org.east)).content.decode()
    assert place_board(org.chengguan) in page and place_board(org.hekou) in page
    assert place_board(org.east_housing) not in page  # departments are not places
    page = client.get(place_board(org.chengguan)).content.decode()
    assert place_board(org.chengdong) in page and place_board(chengxi) in page
    assert place_board(org.east) in page  # the way back up
    assert client.get(place_board(org.east_housing)).status_code == 404
    assert client.get(reverse("commitments_public:place", args=[99999])).status_code == 404


def test_the_board_shows_what_by_when_who_status_and_progress(client, org):
    make_commitment(org, publish=True)
    page = client.get(place_board(org.chengdong)).content.decode()
    for text in (
        "年底前修好城东村三组的路灯",
        "2026年3月31日",
        "城关镇",
        "城关镇镇长 汉克",
        "进行中",
        "还有 29 天",
    ):
        assert text in page
    assert '<progress max="100" value="0"' in page
    assert 'name="viewport"' in page


def test_the_board_filters_by_status(client, org, travel):
    make_commitment(org, content="按期的承诺", publish=True)
    make_commitment(org, content="逾期的承诺", publish=True, due_date=date(2026, 3, 3))
    done = make_commitment(org, content="兑现的承诺", publish=True)
    actions.post_update(done, org.head, note="已修好", progress=100)
    travel.move_to("2026-03-05 10:00 +0800")
    for status, expected in (
        ("in_progress", "按期的承诺"),
        ("missed", "逾期的承诺"),
        ("fulfilled", "兑现的承诺"),
    ):
        page = client.get(BOARD, {"status": status}).content.decode()
        assert [t for t in ("按期的承诺", "逾期的承诺", "兑现的承诺") if t in page] == [expected]


def test_drafts_are_invisible_to_residents(client, org):
    draft = make_commitment(org, content="还在拟定的承诺")
    assert "还在拟定的承诺" not in client.get(BOARD).content.decode()
    assert "还在拟定的承诺" not in client.get(place_board(org.chengdong)).content.decode()
    assert client.get(reverse("commitments_public:detail", args=[draft.pk])).status_code == 404
    assert follow(client, draft).status_code == 404
    assert not Follower.objects.exists()


# --- a commitment's page -------------------------------------------------------------------------


def test_the_page_shows_the_timeline_and_evidence_but_no_petitioner_or_internal_note(
    client, org, make_appeal
):
    appeal = make_appeal()
    problem = make_problem(org, appeal=appeal, description="王小明家门口排水沟堵塞")
    commitment = make_commitment(org, problem=problem, publish=True)
    from grassroots.ledger import actions as ledger_actions

    ledger_actions.update_progress(
        problem, org.handler, progress=40, note="内部：施工队王队长电话13712345678"
    )
    commitment.refresh_from_db()
    actions.post_update(commitment, org.head, note="第一盏路灯已更换", images=[(photo(), "image/jpeg")])
    page = client.get(reverse("commitments_public:detail", args=[commitment.pk])).content.decode()
    assert "整改进展更新，已完成 40%" in page
    assert "第一盏路灯已更换" in page
    image = commitment.updates.last().images.get()
    assert reverse("commitments_public:image", args=[commitment.pk, image.pk]) in page
    for secret in (
        "王小明",
        "13812345678",
        "138****5678",
        "内部",
        "13712345678",
        "排水沟堵塞",
        appeal.tracking_code,
    ):
        assert secret not in page


def test_it_serves_evidence_images_of_published_commitments_only(client, org):
    commitment = make_commitment(org, publish=True)
    actions.post_update(commitment, org.head, note="已开工", progress=20, images=[(photo(), "image/jpeg")])
    image = commitment.updates.last().images.get()
    response = client.get(reverse("commitments_public:image", args=[commitment.pk, image.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8\xff")

    other = make_commitment(org, content="另一项承诺", publish=True)
    assert client.get(reverse("commitments_public:image", args=[other.pk, image.pk])).status_code == 404
    draft = make_commitment(org, content="草稿")
    assert client.get(reverse("commitments_public:image", args=[draft.pk, image.pk])).status_code == 404


def test_it_escapes_html_in_the_public_note_and_content(client, org):
    commitment = make_commitment(org, content="<b>修路</b>", publish=True)
    actions.post_update(commitment, org.head, note="<script>alert('x')</script>已开工", progress=10)
    for url in (reverse("commitments_public:detail", args=[commitment.pk]), place_board(org.chengdong)):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page
        assert "<b>修路</b>" not in page
    page = client.get(reverse("commitments_public:detail", args=[commitment.pk])).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;已开工" in page


# --- follow and unfollow -------------------------------------------------------------------------


def test_a_resident_follows_once_by_phone_and_gets_the_unfollow_code(
    client, org, django_capture_on_commit_callbacks, _memory_outbox
):
    commitment = make_commitment(org, publish=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = follow(client, commitment, phone="139 0000 1111", token="e" * 32)
    assert response.status_code == 200
    assert "139****1111 已关注" in response.content.decode()
    follower = Follower.objects.get()
    assert (
        follower.phone_encrypted != "13900001111"
        and crypto.decrypt(follower.phone_encrypted) == "13900001111"
    )
    assert _memory_outbox[-1]["to"] == "13900001111"
    assert follower.unfollow_code in _memory_outbox[-1]["body"]
    note = Notification.objects.get(template="commitment_followed")
    assert note.recipient == "139****1111"

    with django_capture_on_commit_callbacks(execute=True):
        again = follow(client, commitment, phone="13900001111", token="e" * 32)  # a double click
        other_token = follow(client, commitment, phone="13900001111")  # the same phone again
    assert again.status_code == other_token.status_code == 200
    assert "已关注" in other_token.content.decode()
    assert Follower.objects.count() == 1
    assert len(_memory_outbox) == 1


def test_it_refuses_a_bad_phone_and_a_fulfilled_commitment(client, org):
    commitment = make_commitment(org, publish=True)
    response = follow(client, commitment, phone="12345")
    assert response.status_code == 400
    assert "请填写正确的手机号码" in response.content.decode()
    response = client.post(
        reverse("commitments_public:detail", args=[commitment.pk]), {"phone": "13900001111"}
    )
    assert response.status_code == 400
    assert "表单已失效" in response.content.decode()

    actions.post_update(commitment, org.head, note="办好了", progress=100)
    assert (
        "关注这项承诺</h2>"
        not in client.get(reverse("commitments_public:detail", args=[commitment.pk])).content.decode()
    )
    response = follow(client, commitment)
    assert response.status_code == 400
    assert "已经兑现，无需再关注" in response.content.decode()
    assert not Follower.objects.exists()


def test_it_limits_follows_per_client_per_hour(client, org, settings):
    settings.PORTAL_SUBMIT_RATE = 2
    commitment = make_commitment(org, publish=True)
    assert follow(client, commitment, phone="13900000001").status_code == 200
    assert follow(client, commitment, phone="13900000002").status_code == 200
    response = follow(client, commitment, phone="13900000003")
    assert response.status_code == 429
    assert "操作过于频繁" in response.content.decode()
    assert Follower.objects.count() == 2


def test_a_resident_unfollows_with_the_code_from_the_sms(client, org):
    commitment = make_commitment(org, publish=True)
    follower, _new = actions.follow(commitment.pk, phone="13900001111")
    url = reverse("commitments_public:unfollow")
    assert follower.unfollow_code in client.get(url, {"code": follower.unfollow_code}).content.decode()

    response = client.post(url, {"code": "TDWRONGCODE"})
    assert response.status_code == 400
    assert "退订码不正确" in response.content.decode()
    assert Follower.objects.exists()

    response = client.post(url, {"code": follower.unfollow_code.lower()})
    assert response.status_code == 200
    assert "已取消关注" in response.content.decode()
    assert not Follower.objects.exists()


def test_it_limits_unfollow_attempts_per_client_per_hour(client, org, settings):
    settings.PORTAL_LOOKUP_RATE = 2
    url = reverse("commitments_public:unfollow")
    assert client.post(url, {"code": "TDAAAAAAAA"}).status_code == 400
    assert client.post(url, {"code": "TDBBBBBBBB"}).status_code == 400
    assert client.post(url, {"code": "TDCCCCCCCC"}).status_code == 429
