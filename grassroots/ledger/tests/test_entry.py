"""列入问题清单 in one click from an appeal, a hotspot group or an on-site task, over HTTP:
what the prefilled form shows, who gets the link, and what may never be prefilled."""

from datetime import date
from urllib.parse import parse_qs, urlencode

import pytest
from django.urls import reverse

from grassroots.appeals import actions as appeal_actions
from grassroots.ledger.models import DESCRIPTION_MAX_CHARS, Problem, Source
from grassroots.ledger.tests.helpers import make_problem
from grassroots.onsite import actions as onsite_actions
from grassroots.onsite.tests.helpers import decide, make_session, make_task

pytestmark = pytest.mark.usefixtures("travel")  # Monday 2026-03-02


def new_url(**query):
    return reverse("ledger:new") + "?" + urlencode(query)


def dispatched(make_appeal, org, unit=None, **kw):
    """An appeal registered at the county desk and dispatched to 城关镇 (or `unit`)."""
    appeal = make_appeal(**kw)
    return appeal_actions.dispatch(appeal, org.clerk, unit=unit or org.chengguan)


def shown(response) -> dict:
    """The values the new-problem form shows, as a browser would post them back."""
    form = response.context["form"]
    values = {name: form[name].value() for name in form.fields if name != "evidence"}
    return {k: v for k, v in values.items() if v is not None}


def selected(html, field, value) -> bool:
    """Whether the form's select `field` shows `value` chosen."""
    select = html.split(f'<select name="{field}"')[1].split("</select>")[0]
    return f'<option value="{value}" selected>' in select


# --- from an appeal --------------------------------------------------------------------------


def test_it_prefills_the_form_from_an_appeal_without_the_petitioners_identity(client, org, make_appeal):
    appeal = dispatched(
        make_appeal,
        org,
        title="城东村三组路灯损坏",
        content="我是王小明，电话13812345678，身份证110101199001011234。三组路灯坏了两个月，晚上出行不便。",
        address="城东村三组",
    )
    client.force_login(org.head)
    response = client.get(new_url(appeal=appeal.pk))
    html = response.content.decode()

    assert response.status_code == 200
    assert selected(html, "source", "appeal")
    assert f'value="{appeal.tracking_code}"' in html
    assert selected(html, "place", org.chengdong.pk) and selected(html, "responsible_unit", org.chengguan.pk)
    assert 'value="城东村三组"' in html
    description = response.context["form"]["description"].value()
    assert description.startswith("城东村三组路灯损坏\n我是王**，电话138****5678，身份证110***********1234。")
    assert "三组路灯坏了两个月" in description
    for secret in ("王小明", "13812345678", "110101199001011234"):
        assert secret not in html
    assert reverse("appeals:detail", args=[appeal.pk]) in html  # where the form came from
    assert selected(html, "domain", "")  # the domain is the user's to choose


def test_it_trims_a_long_appeal_to_the_ledgers_description_limit(client, org, make_appeal):
    appeal = dispatched(make_appeal, org, content="路灯" * 2400)
    client.force_login(org.head)
    description = client.get(new_url(appeal=appeal.pk)).context["form"]["description"].value()
    assert len(description) == DESCRIPTION_MAX_CHARS
    assert description.endswith("…")


def test_submitting_the_form_prefilled_from_an_appeal_puts_it_on_the_ledger_linked(client, org, make_appeal):
    appeal = dispatched(make_appeal, org)
    client.force_login(org.head)
    data = shown(client.get(new_url(appeal=appeal.pk)))
    data.update(domain="environment", deadline="2026-04-30")

    response = client.post(reverse("ledger:new"), data)

    problem = Problem.objects.get()
    assert response.status_code == 302
    assert problem.source == Source.APPEAL and problem.appeal == appeal
    assert problem.description == "小区路灯损坏\n城东村三组路灯坏了两个月，晚上出行不便。"
    assert problem.place == org.chengdong and problem.responsible_unit == org.chengguan
    assert problem.created_by == org.head


def test_it_answers_404_for_an_appeal_the_user_cannot_see(client, org, make_appeal):
    hekou = dispatched(make_appeal, org, unit=org.hekou, place_unit=org.hekou)
    undispatched = make_appeal()  # still at the county desk: not 城关镇's to see
    client.force_login(org.head)
    for pk in (hekou.pk, undispatched.pk, "x"):
        assert client.get(new_url(appeal=pk)).status_code == 404
    client.force_login(org.leader)  # the county above sees both
    assert client.get(new_url(appeal=hekou.pk)).status_code == 200


def test_it_refuses_to_prefill_from_a_report(client, org, make_appeal):
    report = make_appeal(title="反映住建局干部吃拿卡要", is_report=True, accused_unit=org.east_housing)
    client.force_login(org.leader)
    response = client.get(new_url(appeal=report.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert "检举类诉求不能列入问题清单" in html
    assert report.tracking_code not in html and "吃拿卡要" not in html

    data = {
        "source": "appeal",
        "appeal_code": report.tracking_code,
        "domain": "other",
        "description": "干部作风问题",
        "responsible_unit": org.east_housing.pk,
        "deadline": "2026-04-30",
        "progress": "0",
    }
    typed = client.post(reverse("ledger:new"), data)  # nor may the code be typed in by hand
    assert typed.status_code == 400
    assert "检举类诉求不能关联到问题清单" in typed.content.decode()
    assert not Problem.objects.exists()


def test_the_appeal_page_offers_the_ledger_only_to_those_who_may_put_problems_on_it(client, org, make_appeal):
    appeal = dispatched(make_appeal, org)
    entry = new_url(appeal=appeal.pk).replace("&", "&amp;")

    client.force_login(org.head)
    html = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert "列入问题清单" in html and entry in html
    assert "本诉求尚未列入问题清单" in html

    problem = make_problem(org, source=Source.APPEAL, appeal=appeal, description="三组路灯长期不亮")
    client.force_login(org.handler)  # sees the appeal and the problem, may not put problems on the ledger
    html = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert reverse("ledger:detail", args=[problem.pk]) in html and "三组路灯长期不亮" in html
    assert entry not in html and "列入问题清单</a>" not in html
    assert client.get(new_url(appeal=appeal.pk)).status_code == 403

    client.force_login(org.clerk)  # the desk: neither a problem it can see nor the right to add one
    html = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert 'id="ledger"' not in html


def test_the_report_page_offers_no_way_onto_the_ledger(client, org, make_appeal):
    report = make_appeal(title="反映住建局干部吃拿卡要", is_report=True, accused_unit=org.east_housing)
    client.force_login(org.leader)
    html = client.get(reverse("appeals:detail", args=[report.pk])).content.decode()
    assert "检举类诉求不列入问题清单" in html
    assert new_url(appeal=report.pk).replace("&", "&amp;") not in html


# --- from a hotspot group --------------------------------------------------------------------


def water(make_appeal, org, n, **kw):
    return [
        dispatched(
            make_appeal,
            org,
            title="城东村自来水停水",
            content=f"城东村三组已经连续停水{i + 3}天，没有任何通知，老人吃水困难，请尽快恢复供水。",
            phone=f"1381234000{i}",
            **kw,
        )
        for i in range(n)
    ]


def test_it_prefills_a_hotspot_from_the_appeals_the_user_may_see(client, org, make_appeal):
    a, b = water(make_appeal, org, 2)
    hidden = dispatched(make_appeal, org, unit=org.hekou, title="城东村自来水停水", content="河口镇的件")
    ids = f"{a.pk},{hidden.pk},{b.pk},999999"
    client.force_login(org.head)

    response = client.get(new_url(hotspot=ids, title="城东村自来水停水", place="城东村三组"))
    html = response.content.decode()

    assert response.status_code == 200
    assert selected(html, "source", "appeal")
    form = response.context["form"]
    assert form["description"].value() == "热点问题：城东村自来水停水（2 件诉求，城东村三组）"
    assert form["appeal_code"].value() == a.tracking_code
    assert hidden.tracking_code not in html and "河口镇的件" not in html

    data = shown(response)
    data.update(domain="environment", deadline="2026-04-30")
    assert client.post(reverse("ledger:new"), data).status_code == 302
    problem = Problem.objects.get()
    assert problem.source == Source.APPEAL and problem.appeal == a
    assert problem.description == "热点问题：城东村自来水停水（2 件诉求，城东村三组）"


def test_a_hotspot_link_cannot_smuggle_in_a_title_or_place_of_its_own(client, org, make_appeal):
    a, b = water(make_appeal, org, 2)
    client.force_login(org.head)
    response = client.get(new_url(hotspot=f"{b.pk},{a.pk}", title="请拨打13900001111", place="王小明"))
    form = response.context["form"]
    # the title is the first visible appeal's subject, the place its own place unit
    assert form["description"].value() == "热点问题：城东村自来水停水（2 件诉求，城东村）"
    assert form["appeal_code"].value() == b.tracking_code
    assert "13900001111" not in response.content.decode()


def test_a_hotspot_of_appeals_the_user_cannot_see_is_404(client, org, make_appeal):
    hidden = dispatched(make_appeal, org, unit=org.hekou)
    client.force_login(org.head)
    for ids in (str(hidden.pk), "", "abc,,"):
        assert client.get(new_url(hotspot=ids, title="小区路灯损坏")).status_code == 404


def test_a_hotspot_leaves_reports_out_and_is_refused_when_only_reports_remain(client, org, make_appeal):
    (a,) = water(make_appeal, org, 1)
    report = make_appeal(
        title="城东村自来水停水", content="水厂负责人收受好处", is_report=True, accused_unit=org.east_housing
    )
    client.force_login(org.leader)
    response = client.get(new_url(hotspot=f"{report.pk},{a.pk}", title="城东村自来水停水"))
    html = response.content.decode()
    assert response.context["form"]["description"].value() == "热点问题：城东村自来水停水（1 件诉求，城东村）"
    assert response.context["form"]["appeal_code"].value() == a.tracking_code
    assert "1 件检举类诉求，未计入" in html and "收受好处" not in html

    refused = client.get(new_url(hotspot=str(report.pk), title="城东村自来水停水")).content.decode()
    assert "检举类诉求不能列入问题清单" in refused and report.tracking_code not in refused


def test_the_hotspot_page_links_each_group_to_the_ledger_for_those_who_may_add(client, org, make_appeal):
    appeals = water(make_appeal, org, 3)
    problem = make_problem(org, source=Source.APPEAL, appeal=appeals[0], description="停水问题已列入")

    client.force_login(org.leader)
    html = client.get(reverse("textintel:hotspots")).content.decode()
    row = html.split("<tbody>")[1].split("</tr>")[0]
    assert "列入问题清单" in row
    link = row.split('href="' + reverse("ledger:new") + "?")[1].split('"')[0].replace("&amp;", "&")
    query = parse_qs(link)
    assert sorted(query["hotspot"][0].split(",")) == sorted(str(a.pk) for a in appeals)
    assert query["title"] == ["城东村自来水停水"]
    assert reverse("ledger:detail", args=[problem.pk]) in row  # already on the ledger from this group

    form = client.get(reverse("ledger:new") + "?" + link).context["form"]
    assert form["description"].value().startswith("热点问题：城东村自来水停水（3 件诉求")

    client.force_login(org.clerk)  # sees the hotspot, may not put problems on the ledger
    html = client.get(reverse("textintel:hotspots")).content.decode()
    assert "停水" in html and "列入问题清单" not in html


# --- from an on-site task --------------------------------------------------------------------


def test_it_prefills_the_form_from_an_on_site_task(client, org):
    session = make_session(org)
    item = session.agenda_items.get()
    task = decide(session, [org.chengguan], agenda_item=item, deadline=date(2026, 3, 20)).tasks.get()
    client.force_login(org.head)

    response = client.get(new_url(task=task.pk))
    html = response.content.decode()

    assert response.status_code == 200
    assert selected(html, "source", "onsite")
    assert selected(html, "responsible_unit", org.chengguan.pk) and selected(html, "place", org.chengdong.pk)
    assert 'value="2026-03-20"' in html
    assert response.context["form"]["description"].value() == (
        "城东村三组排水沟堵塞，雨天积水入户\n"
        "2026年03月02日现场办公「城东村排水问题现场办公」决定：两周内清淤排水沟并加装盖板"
    )
    assert reverse("onsite:task", args=[task.pk]) in html

    data = shown(response)
    data.update(domain="environment")
    assert client.post(reverse("ledger:new"), data).status_code == 302
    problem = Problem.objects.get()
    assert problem.source == Source.ONSITE and problem.appeal is None
    assert problem.responsible_unit == org.chengguan and problem.deadline == date(2026, 3, 20)


def test_a_task_prefill_links_the_agenda_items_appeal_when_the_user_may_see_it(client, org, make_appeal):
    appeal = dispatched(make_appeal, org)
    session = make_session(org, agenda=[])
    item = onsite_actions.add_agenda_item(session, org.leader, problem="三组路灯不亮", appeal=appeal)
    task = decide(session, [org.chengguan], agenda_item=item).tasks.get()
    client.force_login(org.head)
    assert client.get(new_url(task=task.pk)).context["form"]["appeal_code"].value() == appeal.tracking_code


def test_it_answers_404_for_a_task_the_user_cannot_see(client, org):
    theirs = make_task(org, unit=org.hekou)
    client.force_login(org.head)
    assert client.get(new_url(task=theirs.pk)).status_code == 404
    assert client.get(new_url(task="x")).status_code == 404
    client.force_login(org.leader)
    assert client.get(new_url(task=theirs.pk)).status_code == 200


def test_the_task_page_offers_the_ledger_only_to_those_who_may_put_problems_on_it(client, org):
    task = make_task(org)
    entry = new_url(task=task.pk)

    client.force_login(org.head)
    html = client.get(reverse("onsite:task", args=[task.pk])).content.decode()
    assert "列入问题清单" in html and entry in html

    client.force_login(org.handler)  # reports on the task, may not put problems on the ledger
    html = client.get(reverse("onsite:task", args=[task.pk])).content.decode()
    assert entry not in html and 'id="ledger"' not in html


def test_the_task_page_shows_the_ledger_problem_its_agenda_item_names(client, org):
    problem = make_problem(org, description="三组排水沟堵塞（台账）")
    session = make_session(org, agenda=[])
    item = onsite_actions.add_agenda_item(
        session, org.leader, problem="三组排水沟堵塞", ledger_problem=problem
    )
    task = decide(session, [org.chengguan], agenda_item=item).tasks.get()
    client.force_login(org.handler)  # sees the problem; the link to add another is not theirs
    html = client.get(reverse("onsite:task", args=[task.pk])).content.decode()
    assert reverse("ledger:detail", args=[problem.pk]) in html and "三组排水沟堵塞（台账）" in html
    assert new_url(task=task.pk) not in html
