import io
from urllib.parse import quote

import pytest
from django.urls import reverse
from docx import Document

from grassroots.research.tests.helpers import make_topic

pytestmark = pytest.mark.usefixtures("travel")  # Monday 2026-03-02

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _download(client, user, topic):
    client.force_login(user)
    return client.get(reverse("research:report", args=[topic.pk]))


def _text(doc):
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_it_downloads_the_report_as_a_word_file_with_a_chinese_name(client, org, researched):
    response = _download(client, org.leader, researched)
    assert response.status_code == 200
    assert (
        response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    name = quote("调研报告-城关镇居家养老服务需求调研-20260302.docx")
    assert response["Content-Disposition"].endswith(f"filename*=UTF-8''{name}")
    assert response["Content-Disposition"].startswith("attachment;")


def test_it_holds_the_topic_the_visits_and_the_findings(client, org, researched):
    doc = Document(io.BytesIO(_download(client, org.head, researched).content))
    text = _text(doc)
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert "城关镇居家养老服务需求调研报告" in headings
    assert "二、调研走访（2 次）" in headings
    assert "三、问卷调查（1 份问卷）" in headings
    assert "四、调研发现（2 条）" in headings
    assert "五、整改措施" in headings
    for expected in (
        "城关镇居家养老服务需求调研",
        "东城县城关镇",
        "镇长汉克",
        "2026年2月1日至2026年6月30日",
    ):
        assert expected in text

    title_table, visits = doc.tables[0], doc.tables[1]
    assert [c.text for c in title_table.rows[1].cells] == ["课题负责人", "镇长汉克"]
    assert [c.text for c in visits.rows[0].cells] == ["日期", "地点", "参加领导干部", "走访纪要"]
    rows = [[c.text for c in row.cells] for row in visits.rows[1:]]
    assert rows[0][:3] == ["2026年2月26日", "东城县城关镇城东村（城东村三组）", "镇长汉克"]
    assert rows[0][3].startswith("走访城东村老年食堂：与 12 位老人座谈")
    assert rows[1][:3] == ["2026年3月2日", "东城县河口镇（河口镇敬老院）", "县长李、镇长汉克"]

    assert "【养老】城东村偏远村组老人吃饭难，助餐点覆盖不足" in text
    assert "【养老】敬老院护理员缺口大" in text
    measures = doc.tables[2]
    assert [c.text for c in measures.rows[0].cells] == [
        "问题",
        "整改措施",
        "责任单位",
        "整改时限",
        "进展",
        "状态",
    ]
    assert [c.text for c in measures.rows[1].cells][1:] == [
        "在三组、五组各设一个送餐点",
        "城关镇（镇长汉克）",
        "2026年6月30日",
        "0%",
        "整改中",
    ]


def test_it_holds_one_png_chart_per_choice_or_rating_question(client, org, researched):
    doc = Document(io.BytesIO(_download(client, org.head, researched).content))
    # single choice, multiple choice and rating are charted; the long-text question is summarised
    assert len(doc.inline_shapes) == 3
    images = [rel.target_part for rel in doc.part.rels.values() if "image" in rel.reltype]
    assert len(images) == 3
    for part in images:
        assert part.content_type == "image/png"
        assert part.blob.startswith(PNG_SIGNATURE)
    text = _text(doc)
    assert "问答题，共 2 条回答，摘录如下：" in text
    assert "希望补贴按时发放。" in text
    assert "希望在村里设助餐点。" in text
    assert "平均分 4.0 分。" in text


def test_it_writes_a_report_for_a_topic_with_nothing_in_it_yet(client, org):
    topic = make_topic(org)
    doc = Document(io.BytesIO(_download(client, org.head, topic).content))
    text = _text(doc)
    assert "尚未记录调研走访。" in text
    assert "本课题未使用问卷。" in text
    assert "尚无列入问题清单的调研发现。" in text
    assert len(doc.inline_shapes) == 0


def test_it_refuses_the_report_outside_the_topics_reach(client, org, researched):
    for user in (org.outsider, org.hekou_handler):
        assert _download(client, user, researched).status_code == 404
