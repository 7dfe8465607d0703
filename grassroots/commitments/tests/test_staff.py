"""Staff pages: list, create (standalone and from a ledger problem), edit, publish, 发布进展, access."""

from datetime import date

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from PIL import Image

from grassroots.commitments.models import Commitment, UpdateImage, UpdateKind
from grassroots.commitments.tests.helpers import make_commitment, photo, png
from grassroots.ledger import actions as ledger_actions
from grassroots.ledger.tests.helpers import make_problem

pytestmark = pytest.mark.usefixtures("travel")  # Monday 2026-03-02


def _form(org, **kw):
    data = {
        "content": "三月底前修好城东村三组的两盏路灯",
        "due_date": "2026-03-31",
        "responsible_unit": org.chengguan.pk,
        "responsible_person": "城关镇镇长 汉克",
        "place": org.chengdong.pk,
        "submission_token": "b" * 32,
    }
    data.update(kw)
    return data


# --- access: inside / above / beside / outside -------------------------------------------------


def test_it_shows_a_commitment_inside_and_above_its_unit_only(client, org):
    ours = make_commitment(org, content="城关镇的承诺")
    theirs = make_commitment(
        org, content="河口镇的承诺", responsible_unit=org.hekou, place=org.hekou, actor=org.leader
    )

    for user in (org.head, org.handler):  # inside
        client.force_login(user)
        page = client.get(reverse("commitments:list")).content.decode()
        assert "城关镇的承诺" in page
        assert "河口镇的承诺" not in page
        assert client.get(reverse("commitments:detail", args=[ours.pk])).status_code == 200
        assert client.get(reverse("commitments:detail", args=[theirs.pk])).status_code == 404

    client.force_login(org.leader)  # above
    page = client.get(reverse("commitments:list")).content.decode()
    assert "城关镇的承诺" in page and "河口镇的承诺" in page

    for user in (org.hekou_handler, org.village_handler, org.outsider, org.housing_handler):
        client.force_login(user)  # beside, below, outside, a department beside
        assert client.get(reverse("commitments:detail", args=[ours.pk])).status_code == 404
        assert "城关镇的承诺" not in client.get(reverse("commitments:list")).content.decode()


def test_it_asks_for_a_login(client, org):
    response = client.get(reverse("commitments:list"))
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]


# --- create ------------------------------------------------------------------------------------


def test_it_drafts_a_standalone_commitment_once_on_a_double_click(client, org):
    client.force_login(org.handler)
    response = client.post(reverse("commitments:new"), _form(org))
    commitment = Commitment.objects.get()
    assert response["Location"] == reverse("commitments:detail", args=[commitment.pk])
    assert (commitment.published, commitment.problem, commitment.created_by) == (False, None, org.handler)
    assert commitment.responsible_person == "城关镇镇长 汉克"

    again = client.post(reverse("commitments:new"), _form(org), follow=True)
    assert Commitment.objects.count() == 1
    assert "未重复创建" in again.content.decode()


def test_it_refuses_a_unit_outside_scope_a_place_outside_the_unit_and_a_past_due_date(client, org, chengxi):
    client.force_login(org.head)
    assert (
        client.post(reverse("commitments:new"), _form(org, responsible_unit=org.hekou.pk)).status_code == 400
    )

    response = client.post(
        reverse("commitments:new"),
        _form(org, responsible_unit=org.chengdong.pk, place=chengxi.pk, submission_token="c" * 32),
    )
    assert response.status_code == 400
    assert "承诺地点应在城东村所辖范围内" in response.content.decode()

    response = client.post(
        reverse("commitments:new"), _form(org, due_date="2026-03-01", submission_token="d" * 32)
    )
    assert response.status_code == 400
    assert "承诺时限不能早于今天" in response.content.decode()
    assert not Commitment.objects.exists()


def test_it_lets_a_department_promise_for_the_area_it_serves(client, org):
    client.force_login(org.housing_handler)  # 东城县住建局 serves 东城县: its places lie in the county
    response = client.post(reverse("commitments:new"), _form(org, responsible_unit=org.east_housing.pk))
    assert response.status_code == 302
    assert Commitment.objects.get().place == org.chengdong


def test_it_lets_no_clerk_or_outsider_draft(client, org):
    client.force_login(org.clerk)
    assert client.get(reverse("commitments:new")).status_code == 403
    assert client.post(reverse("commitments:new"), _form(org)).status_code == 403
    assert not Commitment.objects.exists()


def test_it_drafts_a_commitment_from_a_ledger_problem(client, org):
    problem = make_problem(org, deadline=date(2026, 4, 30))
    client.force_login(org.head)
    page = client.get(reverse("commitments:new"), {"problem": problem.pk}).content.decode()
    assert "清淤并加装盖板" in page  # the measures offered as the promise
    assert 'value="2026-04-30"' in page
    assert "镇长汉克" in page

    response = client.post(reverse("commitments:new"), _form(org, problem=problem.pk, due_date="2026-04-30"))
    commitment = Commitment.objects.get()
    assert response.status_code == 302
    assert commitment.problem == problem
    page = client.get(reverse("commitments:detail", args=[commitment.pk])).content.decode()
    assert reverse("ledger:detail", args=[problem.pk]) in page


def test_it_refuses_a_problem_the_user_cannot_see_or_promise_for(client, org):
    hekou_problem = make_problem(org, unit=org.hekou, actor=org.leader, place=org.hekou)
    client.force_login(org.head)
    assert client.get(reverse("commitments:new"), {"problem": hekou_problem.pk}).status_code == 404
    assert client.post(reverse("commitments:new"), _form(org, problem=hekou_problem.pk)).status_code == 404

    county_problem = make_problem(org, unit=org.east, actor=org.leader, place=org.chengdong)
    client.force_login(org.leader)
    assert client.get(reverse("commitments:new"), {"problem": county_problem.pk}).status_code == 200
    client.force_login(org.housing_handler)  # sees nothing of the county's own ledger
    assert client.get(reverse("commitments:new"), {"problem": county_problem.pk}).status_code == 404
    assert not Commitment.objects.exists()


def test_the_problem_card_offers_a_commitment_to_whoever_may_draft_one(org, rf: RequestFactory):
    problem = make_problem(org)
    make_commitment(org, problem=problem, content="承诺清淤排水沟")
    template = Template("{% load commitment_tags %}{% problem_commitments problem %}")

    def render(user):
        request = rf.get("/")
        request.user = user
        return template.render(Context({"request": request, "problem": problem}))

    page = render(org.handler)
    assert "承诺清淤排水沟" in page
    assert f"{reverse('commitments:new')}?problem={problem.pk}" in page
    page = render(org.supervisor)
    assert "承诺清淤排水沟" in page
    page = render(org.clerk)
    assert "承诺清淤排水沟" not in page
    assert reverse("commitments:new") not in page


# --- edit and publish --------------------------------------------------------------------------


def test_it_edits_a_draft_but_not_a_published_commitment(client, org):
    commitment = make_commitment(org)
    client.force_login(org.handler)
    assert client.get(reverse("commitments:edit", args=[commitment.pk])).status_code == 200
    data = _form(org, due_date="2026-04-15", version=commitment.version)
    assert client.post(reverse("commitments:edit", args=[commitment.pk]), data).status_code == 302
    commitment.refresh_from_db()
    assert commitment.due_date == date(2026, 4, 15)

    client.force_login(org.head)
    client.post(reverse("commitments:publish", args=[commitment.pk]), {"version": commitment.version})
    commitment.refresh_from_db()
    data = _form(org, content="改过的承诺", version=commitment.version)
    response = client.post(reverse("commitments:edit", args=[commitment.pk]), data)
    assert response.status_code == 400
    assert "承诺已公开，不能再修改" in response.content.decode()
    assert Commitment.objects.get().content != "改过的承诺"


def test_it_lets_only_heads_leaders_and_supervisors_over_the_unit_publish(client, org):
    commitment = make_commitment(org, actor=org.handler)
    client.force_login(org.handler)
    page = client.get(reverse("commitments:detail", args=[commitment.pk])).content.decode()
    assert "公开承诺</button>" not in page
    response = client.post(
        reverse("commitments:publish", args=[commitment.pk]), {"version": commitment.version}
    )
    assert response.status_code == 403
    client.force_login(org.hekou_handler)
    response = client.post(
        reverse("commitments:publish", args=[commitment.pk]), {"version": commitment.version}
    )
    assert response.status_code == 404
    assert not Commitment.objects.get().published

    client.force_login(org.supervisor)  # above the unit
    response = client.post(
        reverse("commitments:publish", args=[commitment.pk]), {"version": commitment.version}
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert (commitment.published, commitment.published_by) == (True, org.supervisor)
    update = commitment.updates.get()
    assert update.kind == UpdateKind.PUBLISH
    assert "2026年03月31日前兑现" in update.note


def test_it_tells_the_second_of_two_publishers_someone_was_first(client, org):
    commitment = make_commitment(org)
    stale = commitment.version
    client.force_login(org.head)
    client.post(reverse("commitments:publish", args=[commitment.pk]), {"version": stale})
    client.force_login(org.leader)
    response = client.post(
        reverse("commitments:publish", args=[commitment.pk]), {"version": stale}, follow=True
    )
    assert "已被他人更新" in response.content.decode()
    assert Commitment.objects.get().updates.count() == 1


def test_it_publishes_a_sourced_commitment_already_accepted_as_fulfilled(client, org):
    problem = make_problem(org)
    problem = ledger_actions.mark_done(problem, org.handler, note="完成", evidence=[(png(), "image/png")])
    problem = ledger_actions.accept(problem, org.leader)
    commitment = make_commitment(org, problem=problem)
    client.force_login(org.head)
    client.post(reverse("commitments:publish", args=[commitment.pk]), {"version": commitment.version})
    commitment.refresh_from_db()
    assert commitment.status == "fulfilled"
    assert commitment.progress == 100


# --- 发布进展 ------------------------------------------------------------------------------------


def test_it_posts_progress_with_images_stripped_of_their_metadata(client, org):
    commitment = make_commitment(org, publish=True)
    client.force_login(org.handler)
    data = {
        "version": commitment.version,
        "progress": 60,
        "note": "已更换一盏路灯",
        "images": [photo(exif_model="Phone X")],
    }
    response = client.post(reverse("commitments:update", args=[commitment.pk]), data)
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert (commitment.progress, commitment.status) == (60, "in_progress")
    update = commitment.updates.last()
    assert (update.kind, update.note, update.author) == (UpdateKind.PROGRESS, "已更换一盏路灯", org.handler)
    stored = UpdateImage.objects.get()
    with stored.file.open("rb") as f, Image.open(f) as im:
        assert im.format == "JPEG"
        assert not im.getexif()

    data = {"version": commitment.version, "progress": 100, "note": "两盏路灯都已修好"}
    client.post(reverse("commitments:update", args=[commitment.pk]), data)
    commitment.refresh_from_db()
    assert commitment.status == "fulfilled"
    assert commitment.updates.last().kind == UpdateKind.FULFILLED


def test_it_refuses_a_pdf_or_a_fake_image_as_public_evidence(client, org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    commitment = make_commitment(org, publish=True)
    client.force_login(org.head)
    for bad, message in (
        (SimpleUploadedFile("方案.pdf", b"%PDF-1.4 x", content_type="application/pdf"), "公开佐证只接受"),
        (
            SimpleUploadedFile("坏图.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, content_type="image/png"),
            "无法读取",
        ),
        (SimpleUploadedFile("病毒.png", b"MZ not a picture", content_type="image/png"), "不是允许的类型"),
    ):
        data = {"version": commitment.version, "progress": 50, "note": "进展", "images": [bad]}
        response = client.post(reverse("commitments:update", args=[commitment.pk]), data)
        assert response.status_code == 400
        assert message in response.content.decode()
    assert commitment.updates.count() == 1
    assert not UpdateImage.objects.exists()


def test_it_publishes_images_chosen_from_the_problems_evidence(client, org):
    problem = make_problem(org)
    ledger_actions.update_progress(
        problem, org.handler, progress=30, note="内部：已联系施工队", evidence=[(png(), "image/png")]
    )
    evidence = problem.evidence.get()
    commitment = make_commitment(org, problem=problem, publish=True)
    client.force_login(org.handler)
    page = client.get(reverse("commitments:detail", args=[commitment.pk])).content.decode()
    assert "整改后.png" in page  # offered for publishing
    assert 'name="progress"' not in page  # a sourced commitment follows its source
    data = {"version": commitment.version, "note": "施工队已进场", "source_images": [evidence.pk]}
    assert client.post(reverse("commitments:update", args=[commitment.pk]), data).status_code == 302
    image = UpdateImage.objects.get()
    assert image.original_name == "整改后.png"
    assert image.file.name != evidence.file.name  # a copy, served publicly on its own
    assert commitment.updates.last().progress == 30


def test_it_refuses_progress_on_a_draft_and_from_someone_beside(client, org):
    commitment = make_commitment(org)
    client.force_login(org.head)
    data = {"version": commitment.version, "progress": 10, "note": "进展"}
    response = client.post(reverse("commitments:update", args=[commitment.pk]), data)
    assert response.status_code == 400
    assert "请先公开" in response.content.decode()
    client.force_login(org.hekou_handler)
    assert client.post(reverse("commitments:update", args=[commitment.pk]), data).status_code == 404
    assert not commitment.updates.exists()


# --- list filters ------------------------------------------------------------------------------


def test_it_filters_the_list_by_status_source_and_unit(client, org, travel):
    problem = make_problem(org)
    make_commitment(org, content="草稿承诺")
    make_commitment(org, content="进行中的承诺", publish=True, problem=problem)
    make_commitment(
        org, content="河口镇承诺", publish=True, responsible_unit=org.hekou, place=org.hekou, actor=org.leader
    )
    late = make_commitment(org, content="逾期的承诺", publish=True, due_date=date(2026, 3, 3))
    travel.move_to("2026-03-05 10:00 +0800")
    assert late.status_on() == "missed"
    client.force_login(org.leader)

    def shown(**params):
        page = client.get(reverse("commitments:list"), params).content.decode()
        return {t for t in ("草稿承诺", "进行中的承诺", "河口镇承诺", "逾期的承诺") if t in page}

    assert shown(status="draft") == {"草稿承诺"}
    assert shown(status="in_progress") == {"进行中的承诺", "河口镇承诺"}
    assert shown(status="missed") == {"逾期的承诺"}
    assert shown(status="fulfilled") == set()
    assert shown(source="problem") == {"进行中的承诺"}
    assert shown(source="standalone") == {"草稿承诺", "河口镇承诺", "逾期的承诺"}
    assert shown(unit=str(org.hekou.pk)) == {"河口镇承诺"}


def test_it_refuses_an_edit_or_update_from_a_stale_page(client, org):
    draft = make_commitment(org)
    stale = draft.version
    client.force_login(org.head)
    client.post(reverse("commitments:edit", args=[draft.pk]), _form(org, content="第一次修改", version=stale))
    response = client.post(
        reverse("commitments:edit", args=[draft.pk]),
        _form(org, content="第二次修改", version=stale),
        follow=True,
    )
    assert "已被他人更新" in response.content.decode()
    assert Commitment.objects.get(pk=draft.pk).content == "第一次修改"

    published = make_commitment(org, publish=True)
    stale = published.version
    data = {"version": stale, "progress": 30, "note": "第一条进展"}
    client.post(reverse("commitments:update", args=[published.pk]), data)
    response = client.post(
        reverse("commitments:update", args=[published.pk]), {**data, "note": "重复提交"}, follow=True
    )
    assert "已被他人更新" in response.content.decode()
    assert list(published.updates.values_list("note", flat=True))[-1] == "第一条进展"
