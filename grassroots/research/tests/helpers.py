from datetime import date

from grassroots.research import actions


def make_topic(org, *, unit=None, owner=None, actor=None, title="城关镇居家养老服务需求调研", **kw):
    """A topic of 城关镇 run by 镇长汉克, March to June 2026."""
    fields = {
        "title": title,
        "description": "了解辖区老年人助餐、助医需求。",
        "unit": unit or org.chengguan,
        "owner": owner or org.head,
        "starts_on": date(2026, 2, 1),
        "ends_on": date(2026, 6, 30),
    }
    fields.update(kw)
    return actions.create_topic(actor=actor or org.head, **fields)


def make_visit(org, topic, *, actor=None, **kw):
    fields = {
        "title": "走访城东村老年食堂",
        "place": org.chengdong,
        "address": "城东村三组",
        "date": date(2026, 2, 26),
        "duration_minutes": 150,
        "officials": [org.head],
        "summary": "与 12 位老人座谈，助餐点不足、送餐覆盖不到偏远组。",
    }
    fields.update(kw)
    return actions.add_visit(topic, actor or org.head, **fields)


def make_finding(org, topic, *, actor=None, text="城东村偏远村组老人吃饭难，助餐点覆盖不足", **kw):
    fields = {"domain": "elderly", "measures": "增设流动送餐点"}
    fields.update(kw)
    return actions.add_finding(topic, actor or org.head, text=text, **fields)


def topic_form(org, **kw):
    data = {
        "title": "河口镇农村客运调研",
        "description": "了解群众出行难问题。",
        "unit": org.hekou.pk,
        "owner": org.leader.pk,
        "starts_on": "2026-03-01",
        "ends_on": "2026-05-31",
        "submission_token": "a" * 32,
    }
    data.update(kw)
    return data


def visit_form(org, **kw):
    data = {
        "title": "走访城东村",
        "place": org.chengdong.pk,
        "address": "城东村村委会",
        "date": "2026-02-27",
        "duration_minutes": "90",
        "officials": [org.head.pk],
        "summary": "召开村民座谈会，收集意见 8 条。",
        "submission_token": "b" * 32,
    }
    data.update(kw)
    return data
