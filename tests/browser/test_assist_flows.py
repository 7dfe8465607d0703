"""Text intelligence in a real browser: suggestions while a clerk types, and reply hints."""

import pytest
from playwright.sync_api import expect

from grassroots.appeals import actions
from grassroots.appeals.models import Appeal, Category
from grassroots.textintel import engine
from textcore.classify import TextClassifier

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATER = ["停水三天没有通知", "自来水经常停水", "水压太低用不上水", "自来水发黄有异味", "供水管道爆裂漏水"]
NOISE = ["工地夜间施工噪音", "广场舞音响太吵", "酒吧噪音扰民", "装修噪音影响休息", "商铺喇叭噪音大"]


@pytest.fixture
def category_model(db):
    water = Category.objects.create(name="供水")
    noise = Category.objects.create(name="噪声扰民")
    texts = [f"{p}\n小区{p}，已经持续很久，请相关部门尽快处理。" for p in WATER * 4 + NOISE * 4]
    labels = [str(water.pk)] * 20 + [str(noise.pk)] * 20
    TextClassifier().fit(texts, labels).save(engine.model_path(engine.CATEGORY_MODEL))
    return water


def test_a_clerk_takes_the_suggested_category_and_sees_an_earlier_similar_appeal(
    org, make_appeal, category_model, live_server, new_page
):
    earlier = make_appeal(
        title="城东村停水三天", content="城东村三组停水三天没有通知，老人做饭喝水都成问题，请尽快恢复供水。"
    )
    page = new_page()
    login(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/work/new")
    page.fill("#id_title", "城东村又停水了")
    page.locator("#id_content").type(
        "城东村三组停水三天没有通知，老人做饭喝水都成问题，请尽快恢复供水。", delay=2
    )
    assist = page.locator("#intake-assist")
    expect(assist).to_contain_text("建议分类：", timeout=30_000)  # the first call loads the models
    expect(assist).to_contain_text("供水")
    expect(assist).to_contain_text(earlier.tracking_code)
    assist.get_by_role("button", name="采用").click()
    assert page.locator("#id_category").input_value() == str(category_model.pk)


def test_a_handler_sees_reply_quality_hints_while_typing(org, make_appeal, live_server, new_page):
    appeal = actions.inform(
        actions.dispatch(make_appeal(), org.clerk, unit=org.chengguan), org.handler, note="已受理"
    )
    page = new_page()
    login(page, live_server.url, "bob")
    page.goto(f"{live_server.url}/work/{appeal.pk}/")
    page.locator("#action-reply summary").click()
    page.locator("#id_reply_text").type("已转相关部门。", delay=2)
    hints = page.locator("#reply-hints")
    expect(hints).to_contain_text("答复质量提示", timeout=30_000)  # the first call loads jieba
    expect(hints).to_contain_text("完整性")
    assert Appeal.objects.get(pk=appeal.pk).status == "handling"  # hints never send the reply
