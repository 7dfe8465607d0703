"""Suggestions on the staff pages, through the HTTP interface, with real (small) models."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from grassroots.accounts.models import OrgUnit
from grassroots.appeals import actions
from grassroots.appeals.models import Category, Status
from grassroots.textintel import engine
from grassroots.textintel.models import Suggestion
from textcore.classify import TextClassifier

ROADS = ["路面坑洼破损", "道路塌陷积水", "马路破损严重", "路面开裂", "道路年久失修"]
SCHOOLS = ["学位不足孩子无法入学", "学校招生不公", "幼儿园收费过高", "小学入学难", "学校食堂卫生差"]


def _texts(phrases, place):
    return [
        f"{place}{p}\n{place}{p}，影响群众出行和生活，请尽快处理。第{i}次反映。"
        for i, p in enumerate(phrases * 4)
    ]


@pytest.fixture
def categories(db):
    return Category.objects.create(name="城乡建设"), Category.objects.create(name="教育文体")


@pytest.fixture
def trained(settings, tmp_path, org, categories):
    """Category and unit models trained on a handful of synthetic appeals, in a private folder."""
    settings.TEXTCORE_MODEL_DIR = tmp_path / "models"
    roads, schools = categories
    texts = _texts(ROADS, "城东村") + _texts(SCHOOLS, "城关镇")
    labels = [str(roads.pk)] * 20 + [str(schools.pk)] * 20
    TextClassifier().fit(texts, labels).save(engine.model_path(engine.CATEGORY_MODEL))
    units = [str(org.chengguan.pk)] * 20 + [str(org.east_housing.pk)] * 20
    TextClassifier().fit(texts, units).save(engine.model_path(engine.UNIT_MODEL))
    return roads, schools


@pytest.fixture(autouse=True)
def _fresh_index():
    engine._duplicates.forget()
    yield
    engine._duplicates.forget()


def assist(client, user, appeal):
    client.force_login(user)
    return client.get(reverse("textintel:appeal_assist", args=[appeal.pk])).content.decode()


def test_it_suggests_a_category_and_a_unit_with_confidence_and_words(client, org, make_appeal, trained):
    roads, _ = trained
    appeal = make_appeal(title="城东村路面坑洼破损", content="城东村路面坑洼破损，影响出行，请尽快修复。")
    html = assist(client, org.clerk, appeal)
    assert "分类：</strong>城乡建设" in html
    assert "承办单位：</strong>城关镇" in html
    assert "置信度" in html and "依据：" in html
    assert "采用此分类" in html and "交办给城关镇" in html
    suggestion = Suggestion.objects.get(appeal=appeal, kind="category")
    assert suggestion.value_id == roads.pk and 0 < suggestion.confidence <= 1
    appeal.refresh_from_db()
    assert appeal.category is None and appeal.status == Status.REGISTERED  # never applied by itself


def test_it_suggests_only_a_unit_of_the_desks_own_jurisdiction(client, org, make_appeal, trained, settings):
    texts = _texts(ROADS, "城东村") + _texts(SCHOOLS, "城关镇")
    units = [str(org.shanqian.pk)] * 20 + [str(org.east_housing.pk)] * 20  # roads: another county
    TextClassifier().fit(texts, units).save(engine.model_path(engine.UNIT_MODEL))
    appeal = make_appeal(title="城东村路面坑洼破损", content="城东村路面坑洼破损，影响出行，请尽快修复。")
    html = assist(client, org.clerk, appeal)
    assert "山前街道" not in html
    assert "承办单位：</strong>东城县住建局" in html
    suggestion = Suggestion.objects.get(appeal=appeal, kind="unit")
    assert suggestion.value_id == org.east_housing.pk and suggestion.confidence < 0.5


def test_the_dispatch_list_puts_the_jurisdiction_first_grouped_by_level(client, org, make_appeal):
    appeal = make_appeal()
    client.force_login(org.clerk)
    page = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    select = page[page.index('name="unit"') : page.index("</select>", page.index('name="unit"'))]
    groups = re.findall(r'<optgroup label="([^"]+)"', select)
    assert groups[0].startswith("本辖区") and groups[-1].startswith("其他单位")
    assert groups.index("本辖区 · 乡镇（街道）") < groups.index("本辖区 · 村（社区）")
    assert select.index("城关镇") < select.index("河口镇") < select.index("城东村") < select.index("山前街道")
    assert 'data-search="输入名称筛选单位"' in select


def test_accepting_the_suggestion_is_one_ordinary_action(client, org, make_appeal, trained):
    roads, _ = trained
    appeal = make_appeal(title="城东村路面坑洼破损", content="城东村路面坑洼破损，影响出行，请尽快修复。")
    assist(client, org.clerk, appeal)
    response = client.post(
        reverse("appeals:act", args=[appeal.pk, "categorize"]),
        {"version": appeal.version, "category": roads.pk},
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.category == roads
    assert appeal.events.filter(kind="categorize").count() == 1


def test_it_works_without_models_and_with_a_broken_model_file(client, org, make_appeal, settings, tmp_path):
    settings.TEXTCORE_MODEL_DIR = tmp_path / "models"
    appeal = make_appeal()
    html = assist(client, org.clerk, appeal)
    assert "暂无建议" in html
    engine.model_path(engine.CATEGORY_MODEL).parent.mkdir(parents=True)
    engine.model_path(engine.CATEGORY_MODEL).write_bytes(b"garbage")
    engine.model_path(engine.UNIT_MODEL).write_bytes(b"\x80\x05garbage")
    assert "暂无建议" in assist(client, org.clerk, appeal)
    detail = client.get(reverse("appeals:detail", args=[appeal.pk]))
    assert detail.status_code == 200


def test_it_lists_earlier_similar_appeals_the_user_may_see_and_links_a_repeat(client, org, make_appeal):
    text = "城东村三组主路上的两盏路灯坏了两个月，晚上老人孩子出行不便，请尽快修复。"
    first = make_appeal(title="城东村路灯坏了", content=text)
    make_appeal(title="河口镇垃圾没人清运", content="河口镇菜市场门口的垃圾堆了一周没人清运，臭气熏天。")
    repeat = make_appeal(title="城东村路灯坏了", content=text + "（再次反映）")

    html = assist(client, org.clerk, repeat)
    assert first.tracking_code in html and "疑似重复件" in html
    assert "河口镇垃圾" not in html
    assert "认定为其重复件" in html
    theirs = make_appeal(title="城东村路灯坏了", content=text, registered_unit=org.shanqian)
    assert first.tracking_code not in assist(client, org.outsider, theirs)  # nothing leaks across scopes

    client.force_login(org.clerk)
    response = client.post(
        reverse("appeals:act", args=[repeat.pk, "mark_duplicate"]),
        {"version": repeat.version, "original": first.tracking_code},
    )
    assert response.status_code == 302
    repeat.refresh_from_db()
    assert (repeat.status, repeat.original) == (Status.DUPLICATE, first)


def test_the_outsider_cannot_open_the_panel_of_an_appeal_they_cannot_see(client, org, make_appeal):
    appeal = make_appeal()
    client.force_login(org.outsider)
    assert client.get(reverse("textintel:appeal_assist", args=[appeal.pk])).status_code == 404


def test_it_suggests_while_the_clerk_types_a_new_appeal(client, org, make_appeal, trained):
    earlier = make_appeal(title="城东村路面坑洼破损", content="城东村路面坑洼破损，影响出行，请尽快修复。")
    client.force_login(org.clerk)
    html = client.post(
        reverse("textintel:intake_assist"),
        {"title": "城东村路面坑洼破损", "content": "城东村路面坑洼破损，影响出行，请尽快修复。"},
    ).content.decode()
    assert "建议分类" in html and 'data-set-field="category"' in html
    assert earlier.tracking_code in html


def test_it_scores_a_draft_reply_before_it_is_sent(client, org, make_appeal):
    appeal = actions.inform(
        actions.dispatch(make_appeal(), org.clerk, unit=org.chengguan), org.handler, note="已受理"
    )
    client.force_login(org.handler)
    url = reverse("textintel:reply_hints", args=[appeal.pk])
    full = client.post(
        url,
        {
            "text": "经核查，城关镇城建办已于3月10日更换城东村三组路灯两盏。依据《城市照明管理规定》，"
            "今后由镇城建办每月巡查。如有问题请联系王主任，电话0571-12345678。"
        },
    ).content.decode()
    thin = client.post(url, {"text": "已转相关部门。"}).content.decode()
    assert "答复质量提示" in full and "答复质量提示" in thin
    assert "联系" in full and "依据" in full

    def overall(html):
        return int(html.split("综合 ")[1].split(" 分")[0])

    assert overall(full) > overall(thin)


def test_the_hotspot_page_groups_the_same_problem_at_the_same_place(client, org, make_appeal):
    for i in range(3):
        make_appeal(
            title="城东村自来水停水",
            content=f"城东村三组已经连续停水{i + 3}天，没有任何通知，老人吃水困难，请尽快恢复供水。",
            phone=f"1381234000{i}",
        )
    make_appeal(
        title="河口镇学校收费", content="河口镇中学乱收补课费，每人每学期八百元。", place_unit=org.hekou
    )
    client.force_login(org.clerk)
    html = client.get(reverse("textintel:hotspots")).content.decode()
    assert "热点问题" in html
    row = html.split("<tbody>")[1].split("</tr>")[0]
    assert "停水" in row and "<td>3</td>" in row
    assert "学校收费" not in html.split("<tbody>")[1].split("</tbody>")[0]


def test_retrain_learns_from_the_products_own_appeals(settings, tmp_path, org, make_appeal, categories):
    settings.TEXTCORE_MODEL_DIR = tmp_path / "models"
    roads, schools = categories
    for text in _texts(ROADS, "城东村")[:10]:
        appeal = make_appeal(title=text.split("\n")[0], content=text, category=roads)
        actions.dispatch(appeal, org.clerk, unit=org.chengguan)
    for text in _texts(SCHOOLS, "城关镇")[:10]:
        appeal = make_appeal(title=text.split("\n")[0], content=text, category=schools)
        actions.dispatch(appeal, org.clerk, unit=org.east_housing)
    call_command("retrain_textcore", min_per_class=5, stdout=open("/dev/null", "w"))  # noqa: SIM115
    for name in (engine.CATEGORY_MODEL, engine.UNIT_MODEL, engine.DUPLICATE_INDEX):
        assert engine.model_path(name).exists()
    suggested = engine.suggest_category("城东村路面坑洼破损，请修复")
    assert suggested.value == roads
    assert engine.suggest_unit("城关镇小学入学难", OrgUnit.objects.all()).value == org.east_housing


def test_retrain_if_missing_replaces_a_model_of_an_older_format(
    settings, tmp_path, org, make_appeal, categories
):
    import io

    from textcore import artifact
    from textcore.classify import ARTIFACT_KIND, FORMAT_VERSION

    settings.TEXTCORE_MODEL_DIR = tmp_path / "models"
    roads, schools = categories
    for texts, category, unit in (
        (_texts(ROADS, "城东村"), roads, org.chengguan),
        (_texts(SCHOOLS, "城关镇"), schools, org.east_housing),
    ):
        for text in texts[:10]:
            appeal = make_appeal(title=text.split("\n")[0], content=text, category=category)
            actions.dispatch(appeal, org.clerk, unit=unit)
    call_command("retrain_textcore", if_missing=True, stdout=io.StringIO())
    out = io.StringIO()
    call_command("retrain_textcore", if_missing=True, stdout=out)
    assert "跳过训练" in out.getvalue()

    stale = engine.model_path(engine.CATEGORY_MODEL)
    artifact.save(stale, ARTIFACT_KIND, FORMAT_VERSION - 1, {"old": "model"})
    out = io.StringIO()
    call_command("retrain_textcore", if_missing=True, stdout=out)
    assert "跳过训练" not in out.getvalue()
    assert engine.suggest_category("城东村路面坑洼破损，请修复") is not None


def test_retrain_check_says_whether_the_models_need_training(
    settings, tmp_path, org, make_appeal, categories
):
    settings.TEXTCORE_MODEL_DIR = tmp_path / "models"
    with pytest.raises(SystemExit) as missing:
        call_command("retrain_textcore", check=True)
    assert missing.value.code == 1  # `make run` says the models are training only then
    roads, schools = categories
    for text in _texts(ROADS, "城东村")[:10]:
        actions.dispatch(
            make_appeal(title=text[:20], content=text, category=roads), org.clerk, unit=org.chengguan
        )
    for text in _texts(SCHOOLS, "城关镇")[:10]:
        appeal = make_appeal(title=text[:20], content=text, category=schools)
        actions.dispatch(appeal, org.clerk, unit=org.east_housing)
    call_command("retrain_textcore", min_per_class=5, stdout=open("/dev/null", "w"))  # noqa: SIM115
    with pytest.raises(SystemExit) as ready:
        call_command("retrain_textcore", check=True)
    assert ready.value.code == 0


def test_the_adoption_page_counts_only_suggestions_shown_before_the_decision(
    client, org, make_appeal, trained
):
    decided_first = actions.dispatch(
        make_appeal(title="城东村路面坑洼破损", content="城东村路面坑洼破损，影响出行，请尽快修复。"),
        org.clerk,
        unit=org.chengguan,
    )
    assist(client, org.clerk, decided_first)  # the suggestion comes after the dispatch: not counted
    page = client.get(reverse("textintel:quality")).content.decode()
    assert 'id="no-figures"' in page and "%" not in page.split("<h1>")[1].split("</p>")[1]

    shown_first = make_appeal(title="城东村路面坑洼破损", content="城东村路面坑洼破损，请修复。")
    assist(client, org.clerk, shown_first)
    actions.dispatch(shown_first, org.clerk, unit=org.chengguan)
    page = client.get(reverse("textintel:quality")).content.decode()
    assert 'id="no-figures"' not in page
    unit_row = page.split("承办单位建议</td>")[1].split("</tr>")[0]
    assert "<td>1</td>" in unit_row and "1（100%）" in unit_row
