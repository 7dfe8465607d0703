"""What the pages show: the overview over a month or a quarter, an official's year, the
list of those past the limit (a setting), and the Excel export."""

import io
from datetime import date

from openpyxl import load_workbook

from grassroots.appeals.models import Rating, Status
from grassroots.reception.models import CaseOwnership

from .conftest import at, main


def test_it_counts_the_current_month_by_default_and_a_quarter_on_request(client, org, activity, travel):
    activity("outreach", date(2026, 1, 20), org.head)
    activity("research", date(2026, 2, 20), org.head)
    activity("research", date(2026, 3, 2), org.head)
    client.force_login(org.head)
    page = main(client.get("/accountability/"))
    assert "2026年3月（2026-03-01 至 2026-03-02）" in page
    assert '<td data-label="活动合计"><strong>1</strong>' in page
    page = main(client.get("/accountability/", {"period": "2026Q1"}))
    assert "2026年第1季度（2026-01-01 至 2026-03-02）" in page
    assert '<td data-label="宣讲">1</td><td data-label="调研">2</td>' in page
    assert '<td data-label="活动合计"><strong>3</strong>' in page
    assert '<option value="2026Q1" selected>' in page


def test_it_falls_back_to_the_current_month_for_a_bad_or_future_period(client, org, travel):
    client.force_login(org.head)
    for bad in ("2026-13", "next", "2026Q2", "2026-04"):
        assert "2026年3月（2026-03-01 至 2026-03-02）" in main(
            client.get("/accountability/", {"period": bad})
        )
    page = main(client.get("/accountability/", {"kind": "quarter"}))
    assert "2026年第1季度" in page


def test_it_lists_officials_past_the_limit_from_the_setting(client, org, activity, settings, travel):
    activity("outreach", date(2026, 2, 15), org.head)  # 15 days ago
    client.force_login(org.supervisor)
    page = main(client.get("/accountability/absent"))
    assert "超过 <strong>30</strong> 天" in page
    assert "县长李" in page and "镇长汉克" not in page
    settings.GRASSROOTS_ABSENCE_LIMIT_DAYS = 14
    page = main(client.get("/accountability/absent"))
    assert "超过 <strong>14</strong> 天" in page
    assert "镇长汉克" in page and "15 天" in page
    overview = main(client.get("/accountability/"))
    assert "逾期未下基层名单（超过 14 天）" in overview
    assert f'href="/accountability/absent?unit={org.chengguan.pk}">1 人</a>' in overview


def test_it_shows_an_officials_months_quarters_and_last_activity(client, org, activity, travel):
    activity("outreach", date(2025, 3, 31), org.head)  # before the twelve months shown
    activity("research", date(2025, 11, 3), org.head)
    activity("onsite", date(2026, 2, 10), org.head)
    client.force_login(org.supervisor)
    page = main(client.get(f"/accountability/officials/{org.head.pk}/"))
    assert "2026-02-10（20 天前）" in page
    assert '<td data-label="月份">2025年4月</td>' in page  # the oldest month shown, empty
    assert '<td data-label="月份">2025年3月</td>' not in page
    april = page.index('<td data-label="月份">2025年4月</td>')
    assert "未下基层" in page[april : april + 400]
    march = page.index('<td data-label="月份">2026年3月</td>')
    assert "进行中" in page[march : march + 400] and "未下基层" not in page[march : march + 400]
    november = page.index('<td data-label="月份">2025年11月</td>')
    assert '<td data-label="调研">1</td>' in page[november : november + 300]
    assert '<td data-label="季度">2025年第4季度</td>' in page
    assert '<td data-label="季度">2025年第1季度</td>' not in page
    assert "超过 30 天" not in page


def test_it_marks_an_official_who_never_went_out(client, org, travel):
    client.force_login(org.supervisor)
    page = main(client.get(f"/accountability/officials/{org.leader.pk}/"))
    assert "从未记录" in page and "已超过 30 天没有下基层活动记录" in page


def test_it_shows_the_reception_rule_by_post(client, org, county_head, reception_day, person, travel):
    deputy = person("fu", "副县长冯", org.east, "leader", "副县长")
    reception_day(county_head, date(2026, 1, 15))
    client.force_login(org.supervisor)
    page = main(client.get(f"/accountability/officials/{county_head.pk}/"))
    assert "规定：每月至少 1 次" in page and "2026年2月" in page and "个周期未达标" in page
    page = main(client.get(f"/accountability/officials/{deputy.pk}/"))
    assert "该职务没有接访次数要求" in page
    march = main(client.get(f"/accountability/?unit={org.east.pk}"))
    assert "本期进行中" in march and "未达标" not in march  # March has just begun
    quarter = main(client.get(f"/accountability/?unit={org.east.pk}", {"period": "2026Q1"}))
    assert "未达标 1 期" in quarter  # February went by without a day
    assert "0 / 1 人" in quarter


def test_it_shows_owned_cases_with_outcome_and_hides_what_the_viewer_may_not_read(
    client, org, county_head, make_appeal, travel
):
    mine = make_appeal(title="小区排水不畅")
    mine.status = Status.CLOSED
    mine.save()
    Rating.objects.create(appeal=mine, stage="replied", score=Rating.Score.SATISFIED)
    CaseOwnership.objects.create(appeal=mine, leader=county_head, since=date(2026, 2, 1))
    client.force_login(org.supervisor)
    page = main(client.get(f"/accountability/officials/{county_head.pk}/"))
    assert "共 1 件：已办结 1" in page and "小区排水不畅" in page and "满意" in page
    assert f'<a href="/work/{mine.pk}/">{mine.tracking_code}</a>' in page
    # 城关镇's head owns a case registered at the county desk: his town cannot read it
    other = make_appeal(title="县城供暖")
    CaseOwnership.objects.create(appeal=other, leader=org.head, since=date(2026, 2, 1))
    client.force_login(org.head)
    page = main(client.get(f"/accountability/officials/{org.head.pk}/"))
    assert "共 1 件" in page and other.tracking_code in page
    assert "县城供暖" not in page and "不在您的诉求查看范围内" in page


def test_it_shows_the_tasks_of_the_sessions_an_official_owns(client, org, task, travel):
    task(org.head, org.chengdong, date(2026, 2, 10), "accepted", at(date(2026, 2, 12)), at(date(2026, 2, 13)))
    task(org.head, org.chengdong, date(2026, 2, 20), "in_progress")
    client.force_login(org.head)
    page = main(client.get(f"/accountability/officials/{org.head.pk}/"))
    assert "按期完成 0，逾期完成 1，逾期未完成 1" in page
    assert "逾期完成</span>" in page and "逾期未完成</span>" in page
    assert "修复城东村三组路灯" in page and "/onsite/tasks/" in page


def test_it_exports_the_overview_as_a_workbook(client, org, activity, hekou_head, travel):
    activity("outreach", date(2026, 3, 1), org.head, hekou_head)
    client.force_login(org.supervisor)
    response = client.get("/accountability/export.xlsx", {"period": "2026-03"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["单位汇总", "干部明细", "说明"]
    units = list(wb["单位汇总"].values)
    assert units[0][:2] == ("单位", "宣讲（次）")
    assert units[1][0] == "东城县（合计）" and units[1][1] == 1
    names = {row[0]: row for row in list(wb["干部明细"].values)[1:]}
    assert set(names) == {"县长李", "镇长汉克", "河口镇镇长何"}
    assert names["镇长汉克"][2] == 1 and names["县长李"][8:10] == ("从未", "是")
    assert "2026年3月" in wb["说明"]["B1"].value


def test_it_exports_only_the_viewers_subtree(client, org, hekou_head, travel):
    client.force_login(org.head)
    wb = load_workbook(io.BytesIO(client.get("/accountability/export.xlsx").content))
    assert [r[0] for r in list(wb["单位汇总"].values)[1:]] == ["城关镇（合计）", "城东村"]
    assert [r[0] for r in list(wb["干部明细"].values)[1:]] == ["镇长汉克"]
    assert client.get(f"/accountability/export.xlsx?unit={org.east.pk}").status_code == 404
