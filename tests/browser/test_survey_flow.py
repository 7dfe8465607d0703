"""A questionnaire, in a real Chromium: built and opened by staff, answered by a resident on
its public link on a phone, and the answer counted on the staff results page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grassroots.surveys.models import Answer, Questionnaire, Response, Status

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_SCREEN = {"width": 390, "height": 844}
LOCAL_MINUTE = "%Y-%m-%dT%H:%M"  # what a datetime-local input takes


def add_question(page, text, kind, options=(), required=True, max_choices="", depends_on="", option=""):
    form = page.locator("form", has=page.get_by_role("button", name="添加题目"))
    form.locator("#id_text").fill(text)
    form.locator("#id_kind").select_option(kind)
    form.locator("#id_options_text").fill("\n".join(options))
    form.locator("#id_max_choices").fill(max_choices)
    if depends_on:
        form.locator("#id_depends_on").select_option(label=depends_on)
        form.locator("#id_depends_option").fill(option)
    form.locator("#id_required").set_checked(required)
    form.get_by_role("button", name="添加题目").click()
    expect(page.locator(".msg-success")).to_contain_text("题目已保存")


def test_a_questionnaire_answered_on_its_public_link_shows_in_the_results(org, live_server, new_page):
    base = live_server.url
    now = timezone.localtime()

    staff = new_page()
    login(staff, base, "hank")
    staff.goto(f"{base}/surveys/")
    staff.get_by_role("link", name="新建问卷").click()
    staff.fill("#id_title", "城东村老年食堂满意度调查")
    staff.fill("#id_description", "为改进老年食堂服务，请您抽两分钟填写，谢谢！")
    staff.select_option("#id_owner_unit", str(org.chengguan.pk))
    staff.select_option("#id_purpose", "satisfaction")
    staff.fill("#id_opens_at", (now - timedelta(hours=1)).strftime(LOCAL_MINUTE))
    staff.fill("#id_closes_at", (now + timedelta(days=14)).strftime(LOCAL_MINUTE))
    staff.get_by_role("button", name="保存").click()
    expect(staff.locator(".msg-success")).to_contain_text("问卷已创建")

    add_question(staff, "您是否知道村里新开了老年食堂？", "single", ["知道", "不知道"])
    add_question(
        staff,
        "您是通过哪些渠道知道的？",
        "multiple",
        ["村广播", "微信群", "宣讲会", "邻居告知"],
        max_choices="2",
        depends_on="您是否知道村里新开了老年食堂？",
        option="知道",
    )
    add_question(staff, "您对老年食堂饭菜质量的满意度", "rating")
    add_question(staff, "您对老年食堂还有什么意见和建议？", "long_text", required=False)
    staff.get_by_role("button", name="开放填写").click()
    expect(staff.locator(".msg-success")).to_contain_text("问卷已开放填写")
    public_link = staff.locator("dd code").inner_text().strip()
    q = Questionnaire.objects.get()
    assert q.status == Status.OPEN and public_link.endswith(f"/p/s/{q.public_key}")

    resident = new_page(viewport=PHONE_SCREEN)
    resident.goto(public_link)
    expect(resident.locator("h1")).to_have_text("城东村老年食堂满意度调查")
    channels = resident.locator("fieldset", has_text="您是通过哪些渠道知道的？")
    rating_legend = resident.locator("legend", has_text="您对老年食堂饭菜质量的满意度")
    expect(channels).to_be_hidden()  # shown only to those who know of it
    expect(rating_legend).to_contain_text("2. 您对老年食堂饭菜质量的满意度")  # no gap for the hidden one
    resident.get_by_label("知道", exact=True).check()
    expect(channels).to_be_visible()
    expect(channels.locator("legend")).to_contain_text("2. 您是通过哪些渠道知道的？")
    expect(rating_legend).to_contain_text("3. 您对老年食堂饭菜质量的满意度")
    channels.get_by_label("微信群").check()
    channels.get_by_label("宣讲会").check()
    resident.get_by_label("4 分").check()
    resident.get_by_role("textbox", name="您对老年食堂还有什么意见和建议？").fill(
        "饭菜偏咸，希望少放盐；周末也能开门就更好了。"
    )
    resident.get_by_role("button", name="提交问卷").click()
    expect(resident.locator("body")).to_contain_text("提交成功，感谢您的参与！")

    staff.get_by_role("link", name="查看结果").click()
    expect(staff.locator("body")).to_contain_text("共 1 份答卷（其中纸质问卷代录 0 份）")

    def bar(question, option):
        section = staff.locator("section", has_text=question)
        return section.locator("tr", has=staff.get_by_role("rowheader", name=option, exact=True))

    expect(bar("您是否知道村里新开了老年食堂？", "知道")).to_contain_text("1 人（100.0%）")
    expect(bar("您是否知道村里新开了老年食堂？", "不知道")).to_contain_text("0 人（0.0%）")
    expect(bar("您是通过哪些渠道知道的？", "微信群")).to_contain_text("1 人（100.0%）")
    expect(bar("您是通过哪些渠道知道的？", "村广播")).to_contain_text("0 人（0.0%）")
    rating = staff.locator("section", has_text="您对老年食堂饭菜质量的满意度")
    expect(rating).to_contain_text("平均分：4.0")
    expect(staff.locator("section", has_text="意见和建议")).to_contain_text("饭菜偏咸，希望少放盐")

    response = Response.objects.get()
    assert not response.on_paper
    assert sorted(Answer.objects.filter(response=response).values_list("question__position", flat=True)) == [
        1,
        2,
        3,
        4,
    ]
